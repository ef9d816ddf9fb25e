// Stops a bulk run that meets nothing but failures. When the portal is
// unreachable or answers 5xx to every call for a while, going on only grinds
// (a dead portal kept a run busy for more than 10 minutes) and, once the
// portal is back, floods it with retries. Shared by every worker of a run.
#pragma once

#include <chrono>
#include <functional>
#include <mutex>

#include "chorus/clock.h"
#include "chorus/status.h"

namespace chorus {

struct BreakerPolicy {
  int max_consecutive_failures = 10;             // across workers; 0: no count limit
  std::chrono::milliseconds max_failing_time{60'000};  // since the first of the streak; 0: no time limit
};

class CircuitBreaker {
 public:
  // on_trip is called once, from the thread whose failure tripped it.
  explicit CircuitBreaker(BreakerPolicy policy, Clock& clock = SystemClock(),
                          std::function<void(const Status&)> on_trip = nullptr);

  // Whether a failed call says the portal is down: no connection, a timeout,
  // a stalled transfer, or an HTTP 5xx. Refusals, 4xx and 429 are answers.
  static bool IsOutage(const Status& status);

  // An answer that is not an outage ends the streak.
  void RecordSuccess();
  // An outage: extends the streak, and trips when the policy says so.
  void RecordFailure(const Status& status);

  bool tripped() const;
  // kUnavailable "portal unreachable: ..." once tripped; OK before.
  Status reason() const;

 private:
  BreakerPolicy policy_;
  Clock& clock_;
  std::function<void(const Status&)> on_trip_;
  mutable std::mutex mu_;
  int streak_ = 0;
  Clock::time_point streak_start_{};
  Status reason_;
};

}  // namespace chorus
