#include "chorus/clock.h"

#include <condition_variable>
#include <mutex>
#include <thread>

namespace chorus {
namespace {

class RealClock final : public Clock {
 public:
  time_point Now() override { return std::chrono::steady_clock::now(); }
  std::chrono::system_clock::time_point WallNow() override {
    return std::chrono::system_clock::now();
  }
  void SleepFor(std::chrono::milliseconds d) override {
    if (d.count() > 0) std::this_thread::sleep_for(d);
  }
  bool SleepFor(std::chrono::milliseconds d, const std::stop_token& stop) override {
    // A private mutex and condition per sleep: the stop token's callback
    // wakes exactly this sleeper, and sleepers never contend.
    std::mutex mu;
    std::condition_variable_any wake;
    std::unique_lock lock(mu);
    wake.wait_for(lock, stop, d, [] { return false; });
    return !stop.stop_requested();
  }
};

}  // namespace

Clock& SystemClock() {
  static RealClock clock;  // stateless, so sharing it between threads is safe
  return clock;
}

}  // namespace chorus
