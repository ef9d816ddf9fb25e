// The sandbox's notion of "now" (epoch seconds). Real by default; with
// --fake-clock it stands still until a test sets or advances it, so token
// expiry, activation expiry and lockout can be tested without waiting.
#pragma once

#include <atomic>
#include <cstdint>

namespace sandbox {

class Clock {
 public:
  Clock() = default;
  explicit Clock(int64_t fake_epoch) : fake_(true), now_(fake_epoch) {}

  int64_t Now() const;
  bool fake() const { return fake_; }
  void Set(int64_t epoch) { now_.store(epoch); }
  void Advance(int64_t seconds) { now_.fetch_add(seconds); }

 private:
  bool fake_ = false;
  std::atomic<int64_t> now_{0};
};

}  // namespace sandbox
