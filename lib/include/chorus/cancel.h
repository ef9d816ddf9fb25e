// Cancellation the way a user presses Ctrl-C: the first request means "send
// nothing new" (no new item, no retry, no token fetch; every wait wakes at
// once), the second "abort what is in flight". One CancelToken is handed to
// every blocking point; it is two std::stop_tokens, so waits use the standard
// std::condition_variable_any::wait(lock, stop_token, pred) and stop_callback.
#pragma once

#include <stop_token>

namespace chorus {

class CancelToken {
 public:
  CancelToken() = default;  // never cancelled
  CancelToken(std::stop_token stop, std::stop_token abort)
      : stop_(std::move(stop)), abort_(std::move(abort)) {}

  // First stage: start nothing new, wake from waits.
  bool stop_requested() const { return stop_.stop_requested(); }
  // Second stage: cut transfers in flight.
  bool abort_requested() const { return abort_.stop_requested(); }
  const std::stop_token& stop() const { return stop_; }
  const std::stop_token& abort() const { return abort_; }

 private:
  std::stop_token stop_;
  std::stop_token abort_;
};

class CancelSource {
 public:
  CancelToken token() const { return CancelToken(stop_.get_token(), abort_.get_token()); }
  void RequestStop() { stop_.request_stop(); }
  // Aborting implies stopping.
  void RequestAbort() {
    stop_.request_stop();
    abort_.request_stop();
  }
  bool stop_requested() const { return stop_.stop_requested(); }
  bool abort_requested() const { return abort_.stop_requested(); }

 private:
  std::stop_source stop_;
  std::stop_source abort_;
};

}  // namespace chorus
