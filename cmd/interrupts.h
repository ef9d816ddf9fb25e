// Ctrl-C and SIGTERM, as a two-stage cancellation: the first signal asks to
// stop (nothing new is sent, every wait wakes), the second aborts what is in
// flight, and if the process has not ended a moment later it exits 130 on the
// spot. Signal handlers may only touch lock-free atomics and write(2), so the
// handler writes a byte to a pipe and a watcher thread turns it into
// CancelSource requests. Installed only by commands that obey the token;
// others keep the default behaviour (Ctrl-C ends them at once).
#pragma once

#include <functional>
#include <thread>

#include "chorus/cancel.h"

namespace chorus::cli {

class Interrupts {
 public:
  // on_signal(n) is told the n-th signal (from the watcher thread), to say
  // on stderr what happens now.
  Interrupts(CancelSource& source, std::function<void(int)> on_signal);
  ~Interrupts();
  Interrupts(const Interrupts&) = delete;
  Interrupts& operator=(const Interrupts&) = delete;

 private:
  void Watch(std::stop_token stop);
  CancelSource& source_;
  std::function<void(int)> on_signal_;
  std::jthread watcher_;
};

}  // namespace chorus::cli
