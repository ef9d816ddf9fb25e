// Time seams: retry, backoff and token expiry read the time and sleep through
// these so that tests run on a fake clock and never sleep.
#pragma once

#include <chrono>

namespace chorus {

class Clock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  virtual time_point Now() = 0;
  // Wall clock, for HTTP-date Retry-After values.
  virtual std::chrono::system_clock::time_point WallNow() = 0;
  virtual void SleepFor(std::chrono::milliseconds d) = 0;
};

// The real clock.
Clock& SystemClock();

}  // namespace chorus
