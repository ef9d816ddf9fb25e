// A client-side request rate limit shared by the workers of a bulk run:
// requests are spaced 1/rate apart, with a burst of one.
#pragma once

#include <chrono>
#include <mutex>
#include <stop_token>

#include "chorus/clock.h"

namespace chorus {

class RateLimiter {
 public:
  // rate_per_second <= 0: no limit.
  explicit RateLimiter(double rate_per_second, Clock& clock = SystemClock());
  // Blocks (through the clock) until this caller may send; false, at once,
  // when `stop` is requested before or during the wait.
  bool Acquire(const std::stop_token& stop = {});

 private:
  Clock& clock_;
  std::chrono::nanoseconds interval_{0};
  std::mutex mu_;
  Clock::time_point next_{};
};

}  // namespace chorus
