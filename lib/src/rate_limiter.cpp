#include "chorus/rate_limiter.h"

#include <algorithm>

namespace chorus {

RateLimiter::RateLimiter(double rate_per_second, Clock& clock) : clock_(clock) {
  if (rate_per_second > 0)
    interval_ = std::chrono::nanoseconds(static_cast<long long>(1e9 / rate_per_second));
}

bool RateLimiter::Acquire(const std::stop_token& stop) {
  if (stop.stop_requested()) return false;
  if (interval_.count() == 0) return true;
  Clock::time_point slot;
  {
    // Reserve the next slot under the lock, sleep outside it.
    std::lock_guard lock(mu_);
    slot = std::max(next_, clock_.Now());
    next_ = slot + interval_;
  }
  auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(slot - clock_.Now());
  if (wait.count() > 0) return clock_.SleepFor(wait, stop);
  return true;
}

}  // namespace chorus
