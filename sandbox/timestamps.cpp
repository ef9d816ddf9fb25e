#include "timestamps.h"

#include "chorus/text.h"

#include <ctime>

namespace sandbox {

namespace {
std::string Format(int64_t epoch, const char* format) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}
}  // namespace

std::string IsoTime(int64_t epoch) { return chorus::IsoUtc(epoch); }

std::string MinuteTime(int64_t epoch) { return Format(epoch, "%Y-%m-%d %H:%M"); }

}  // namespace sandbox
