#include "chorus/retry.h"

#include "chorus/text.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace chorus {

using std::chrono::milliseconds;

bool RetryPolicy::AllowsAnotherAttempt(int attempts_made, milliseconds elapsed,
                                       milliseconds next_wait) const {
  if (attempts_made >= max_attempts) return false;
  if (max_elapsed.count() > 0 && elapsed + next_wait > max_elapsed) return false;
  return true;
}

RandomSource DefaultRandomSource() {
  return [] {
    // One engine per thread: no lock, and threads do not share a sequence.
    thread_local std::mt19937_64 engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
  };
}

RandomSource SeededRandomSource(std::uint64_t seed) {
  auto engine = std::make_shared<std::mt19937_64>(seed);
  return [engine] { return std::uniform_real_distribution<double>(0.0, 1.0)(*engine); };
}

milliseconds BackoffPolicy::Ceiling(int retry_index) const {
  const double base = static_cast<double>(std::max<milliseconds::rep>(initial.count(), 0));
  const double cap = static_cast<double>(std::max<milliseconds::rep>(maximum.count(), 0));
  const double factor = std::max(multiplier, 1.0);
  // Computed in double and capped before converting, so a large index cannot overflow.
  const double value = base * std::pow(factor, std::max(retry_index, 0));
  return milliseconds(static_cast<milliseconds::rep>(std::min(value, cap)));
}

milliseconds BackoffPolicy::Delay(int retry_index, double uniform01) const {
  const milliseconds ceiling = Ceiling(retry_index);
  const double u = std::clamp(uniform01, 0.0, 1.0);
  const auto ms = static_cast<milliseconds::rep>(std::floor(u * static_cast<double>(ceiling.count())));
  return std::min(milliseconds(ms), ceiling);
}

milliseconds NextWait(milliseconds backoff, std::optional<milliseconds> retry_after,
                      milliseconds cap) {
  milliseconds wait = backoff;
  if (retry_after && *retry_after > wait) wait = *retry_after;
  return std::clamp(wait, milliseconds(0), std::max(cap, milliseconds(0)));
}

namespace {

constexpr milliseconds kMaxRetryAfter = std::chrono::hours(24);

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
}

std::optional<int> ToInt(std::string_view s) {
  if (!AllDigits(s) || s.size() > 9) return std::nullopt;
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

std::optional<unsigned> MonthNumber(std::string_view name) {
  static constexpr std::array<std::string_view, 12> kMonths = {
      "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (size_t i = 0; i < kMonths.size(); ++i) {
    if (name == kMonths[i]) return static_cast<unsigned>(i + 1);
  }
  return std::nullopt;
}

// "08:49:37" -> seconds since midnight.
std::optional<int> TimeOfDay(std::string_view s) {
  if (s.size() != 8 || s[2] != ':' || s[5] != ':') return std::nullopt;
  auto h = ToInt(s.substr(0, 2)), m = ToInt(s.substr(3, 2)), sec = ToInt(s.substr(6, 2));
  if (!h || !m || !sec || *h > 23 || *m > 59 || *sec > 60) return std::nullopt;
  return *h * 3600 + *m * 60 + *sec;
}

// The three HTTP-date forms of RFC 9110 §5.6.7, split on spaces, commas and dashes:
//   IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT"  -> Sun 06 Nov 1994 08:49:37 GMT
//   RFC 850     "Sunday, 06-Nov-94 08:49:37 GMT" -> Sunday 06 Nov 94 08:49:37 GMT
//   asctime     "Sun Nov  6 08:49:37 1994"       -> Sun Nov 6 08:49:37 1994
std::optional<std::chrono::system_clock::time_point> ParseHttpDate(std::string_view text) {
  std::vector<std::string_view> tokens;
  size_t start = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == ' ' || text[i] == ',' || text[i] == '-') {
      if (i > start) tokens.push_back(text.substr(start, i - start));
      start = i + 1;
    }
  }
  std::optional<int> day, year, seconds;
  std::optional<unsigned> month;
  if (tokens.size() == 6 && tokens[5] == "GMT") {
    day = ToInt(tokens[1]);
    month = MonthNumber(tokens[2]);
    year = ToInt(tokens[3]);
    seconds = TimeOfDay(tokens[4]);
    // RFC 850 two-digit years: RFC 9110 says to read them as the most recent
    // past year with those digits; a fixed pivot is close enough for a retry hint.
    if (year && tokens[3].size() == 2) *year += *year < 70 ? 2000 : 1900;
  } else if (tokens.size() == 5) {
    month = MonthNumber(tokens[1]);
    day = ToInt(tokens[2]);
    seconds = TimeOfDay(tokens[3]);
    year = ToInt(tokens[4]);
  }
  if (!day || !month || !year || !seconds) return std::nullopt;
  const std::chrono::year_month_day date{std::chrono::year(*year), std::chrono::month(*month),
                                         std::chrono::day(static_cast<unsigned>(*day))};
  // system_clock counts nanoseconds in 64 bits: years past 2262 would overflow.
  if (!date.ok() || *year < 1900 || *year > 2200) return std::nullopt;
  return std::chrono::sys_days(date) + std::chrono::seconds(*seconds);
}

}  // namespace

std::optional<milliseconds> ParseRetryAfter(std::string_view value,
                                            std::chrono::system_clock::time_point wall_now) {
  value = TrimView(value);
  if (AllDigits(value)) {
    // More digits than a day needs: cap without parsing into an overflow.
    if (value.size() > 6) return kMaxRetryAfter;
    return std::min<milliseconds>(std::chrono::seconds(*ToInt(value)), kMaxRetryAfter);
  }
  auto when = ParseHttpDate(value);
  if (!when) return std::nullopt;
  auto delta = std::chrono::duration_cast<milliseconds>(*when - wall_now);
  return std::clamp(delta, milliseconds(0), kMaxRetryAfter);
}

bool IsRetryableHttpStatus(int http_status) {
  switch (http_status) {
    case 408: case 429: case 500: case 502: case 503: case 504: return true;
    default: return false;
  }
}

bool IsRetryable(const Status& status) {
  if (status.ok()) return false;
  if (status.http_status() != 0) return IsRetryableHttpStatus(status.http_status());
  switch (status.kind()) {
    case ErrorKind::kUnavailable:
    case ErrorKind::kDeadlineExceeded:
    case ErrorKind::kResourceExhausted: return true;
    default: return false;
  }
}

}  // namespace chorus
