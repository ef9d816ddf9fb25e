// Time seams: retry, backoff and token expiry read the time and sleep through
// these so that tests run on a fake clock and never sleep.
#pragma once

#include <chrono>
#include <stop_token>

namespace chorus {

class Clock {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  virtual ~Clock() = default;
  virtual time_point Now() = 0;
  // Wall clock, for HTTP-date Retry-After values.
  virtual std::chrono::system_clock::time_point WallNow() = 0;
  virtual void SleepFor(std::chrono::milliseconds d) = 0;
  // Sleeps for d, or until `stop` is requested; false when it was (then or
  // before). The default sleeps whole: a fake clock's sleep takes no time.
  virtual bool SleepFor(std::chrono::milliseconds d, const std::stop_token& stop) {
    if (stop.stop_requested()) return false;
    SleepFor(d);
    return !stop.stop_requested();
  }
};

// The real clock: its stoppable sleep wakes as soon as stop is requested.
Clock& SystemClock();

}  // namespace chorus
