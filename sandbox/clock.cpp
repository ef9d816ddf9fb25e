#include "clock.h"

#include <chrono>

namespace sandbox {

int64_t Clock::Now() const {
  if (fake_) return now_.load();
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t Clock::NowMillis() const {
  if (fake_) return now_.load() * 1000;
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace sandbox
