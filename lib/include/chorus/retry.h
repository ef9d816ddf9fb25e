// When to try again and how long to wait: a retry budget, exponential backoff
// with full jitter, and the server's Retry-After. All pure functions of their
// inputs (time and randomness are passed in) so tests need no real clock.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string_view>

#include "chorus/status.h"

namespace chorus {

// The retry budget of one call.
struct RetryPolicy {
  int max_attempts = 4;                     // including the first; 1 disables retries
  std::chrono::milliseconds max_elapsed{0};  // 0: no time limit
  std::chrono::milliseconds max_wait{60'000};  // cap on a single wait, Retry-After included

  // Whether attempt number `attempts_made + 1` may start after waiting `next_wait`,
  // `elapsed` after the first attempt started.
  bool AllowsAnotherAttempt(int attempts_made, std::chrono::milliseconds elapsed,
                            std::chrono::milliseconds next_wait) const;
};

// A uniform random number in [0, 1). Must be safe to call from the thread that
// owns it; DefaultRandomSource() is safe from any thread.
using RandomSource = std::function<double()>;
RandomSource DefaultRandomSource();
RandomSource SeededRandomSource(std::uint64_t seed);  // deterministic, not thread-safe

// Exponential backoff with "full jitter": the wait before retry n (0-based) is
// uniform in [0, min(maximum, initial * multiplier^n)], which spreads out the
// retries of many clients hit by the same outage.
struct BackoffPolicy {
  std::chrono::milliseconds initial{500};
  double multiplier = 2.0;  // values below 1 are treated as 1
  std::chrono::milliseconds maximum{30'000};

  std::chrono::milliseconds Ceiling(int retry_index) const;
  // `uniform01` in [0, 1), from a RandomSource.
  std::chrono::milliseconds Delay(int retry_index, double uniform01) const;
};

// The wait before the next attempt: the larger of the backoff delay and the
// server's Retry-After, capped at `cap`.
std::chrono::milliseconds NextWait(std::chrono::milliseconds backoff,
                                   std::optional<std::chrono::milliseconds> retry_after,
                                   std::chrono::milliseconds cap);

// Parses a Retry-After header value: delta-seconds ("120") or an HTTP-date
// (IMF-fixdate "Sun, 06 Nov 1994 08:49:37 GMT", and the obsolete RFC 850 and
// asctime forms). A date in the past gives 0. nullopt when unparsable.
// Results are capped at one day so a silly value cannot overflow anything.
std::optional<std::chrono::milliseconds> ParseRetryAfter(
    std::string_view value, std::chrono::system_clock::time_point wall_now);

// HTTP statuses worth retrying: 408, 429, 500, 502, 503, 504.
bool IsRetryableHttpStatus(int http_status);

// Whether a failed call may succeed if tried again: by HTTP status when the
// error came from an HTTP answer, otherwise transport kUnavailable and
// kDeadlineExceeded (and kResourceExhausted).
bool IsRetryable(const Status& status);

}  // namespace chorus
