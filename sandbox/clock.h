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
  // Epoch milliseconds: Now() * 1000 on a fake clock. Token lifetimes use it:
  // in whole seconds, a token issued at 10.999 would be dead at 11.000.
  int64_t NowMillis() const;
  bool fake() const { return fake_; }
  void Set(int64_t epoch) { now_.store(epoch); }
  void Advance(int64_t seconds) { now_.fetch_add(seconds); }

 private:
  bool fake_ = false;
  std::atomic<int64_t> now_{0};
};

}  // namespace sandbox
