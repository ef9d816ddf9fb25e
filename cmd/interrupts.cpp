#include "interrupts.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>

namespace chorus::cli {
namespace {

// The self-pipe: the handler's write end, the watcher's read end.
int g_pipe[2] = {-1, -1};
struct sigaction g_old_int {}, g_old_term {};

extern "C" void OnSignal(int) {
  const int saved = errno;
  const char byte = 1;
  (void)!::write(g_pipe[1], &byte, 1);
  errno = saved;
}

// How long in-flight work may take to wind down after the abort.
constexpr auto kAbortGrace = std::chrono::milliseconds(900);

}  // namespace

Interrupts::Interrupts(CancelSource& source, std::function<void(int)> on_signal)
    : source_(source), on_signal_(std::move(on_signal)) {
  if (::pipe2(g_pipe, O_CLOEXEC | O_NONBLOCK) != 0) return;
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  sigaction(SIGINT, &sa, &g_old_int);
  sigaction(SIGTERM, &sa, &g_old_term);
  watcher_ = std::jthread([this](std::stop_token stop) { Watch(stop); });
}

Interrupts::~Interrupts() {
  if (g_pipe[0] < 0) return;
  sigaction(SIGINT, &g_old_int, nullptr);
  sigaction(SIGTERM, &g_old_term, nullptr);
  watcher_.request_stop();
  if (watcher_.joinable()) watcher_.join();
  ::close(g_pipe[0]);
  ::close(g_pipe[1]);
  g_pipe[0] = g_pipe[1] = -1;
}

void Interrupts::Watch(std::stop_token stop) {
  int signals = 0;
  std::chrono::steady_clock::time_point abort_deadline{};
  while (!stop.stop_requested()) {
    // A short poll keeps the thread responsive to its own stop and to the
    // grace period without a second wake-up channel.
    pollfd fd{g_pipe[0], POLLIN, 0};
    ::poll(&fd, 1, 100);
    char buf[16];
    ssize_t n;
    while ((n = ::read(g_pipe[0], buf, sizeof buf)) > 0) {
      for (ssize_t i = 0; i < n; ++i) {
        ++signals;
        if (signals == 1) {
          source_.RequestStop();
        } else if (signals == 2) {
          source_.RequestAbort();
          abort_deadline = std::chrono::steady_clock::now() + kAbortGrace;
        }
        try {
          if (on_signal_) on_signal_(signals);
        } catch (...) {
        }
        if (signals >= 3) ::_exit(130);
      }
    }
    if (signals >= 2 && std::chrono::steady_clock::now() >= abort_deadline) ::_exit(130);
  }
}

}  // namespace chorus::cli
