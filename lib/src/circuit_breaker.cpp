#include "chorus/circuit_breaker.h"

#include "chorus/i18n.h"

#include <string>

namespace chorus {

CircuitBreaker::CircuitBreaker(BreakerPolicy policy, Clock& clock, std::function<void(const Status&)> on_trip)
    : policy_(policy), clock_(clock), on_trip_(std::move(on_trip)) {}

bool CircuitBreaker::IsOutage(const Status& status) {
  if (status.ok()) return false;
  if (status.http_status() != 0) return status.http_status() >= 500;
  return status.kind() == ErrorKind::kUnavailable || status.kind() == ErrorKind::kDeadlineExceeded;
}

void CircuitBreaker::RecordSuccess() {
  std::lock_guard lock(mu_);
  streak_ = 0;
}

void CircuitBreaker::RecordFailure(const Status& status) {
  std::function<void(const Status&)> notify;
  Status reason;
  {
    std::lock_guard lock(mu_);
    if (!reason_.ok()) return;
    const auto now = clock_.Now();
    if (streak_++ == 0) streak_start_ = now;
    const auto failing = std::chrono::duration_cast<std::chrono::milliseconds>(now - streak_start_);
    const bool by_count = policy_.max_consecutive_failures > 0 && streak_ >= policy_.max_consecutive_failures;
    const bool by_time = policy_.max_failing_time.count() > 0 && failing >= policy_.max_failing_time;
    if (!by_count && !by_time) return;
    reason_ = Status(ErrorKind::kUnavailable,
                     Message{Msg("portal unreachable: {} calls in a row failed over {} s (last: {})", streak_,
                                 failing.count() / 1000, status.message())
                                 .english,
                             Msg("portal unreachable: {} calls in a row failed over {} s (last: {})", streak_,
                                 failing.count() / 1000, status.localized_message())
                                 .localized});
    if (status.http_status() != 0) reason_.set_http_status(status.http_status());
    reason = reason_;
    notify = on_trip_;
  }
  if (notify) notify(reason);
}

bool CircuitBreaker::tripped() const {
  std::lock_guard lock(mu_);
  return !reason_.ok();
}

Status CircuitBreaker::reason() const {
  std::lock_guard lock(mu_);
  return reason_;
}

}  // namespace chorus
