#include "chorus/clock.h"

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
};

}  // namespace

Clock& SystemClock() {
  static RealClock clock;  // stateless, so sharing it between threads is safe
  return clock;
}

}  // namespace chorus
