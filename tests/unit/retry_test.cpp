#include <doctest/doctest.h>

#include "chorus/retry.h"

using namespace chorus;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {
const auto kWallNow = std::chrono::sys_days(std::chrono::year(1994) / 11 / 6) + std::chrono::hours(8) +
                      std::chrono::minutes(49);  // Sun, 06 Nov 1994 08:49:00 GMT
}

TEST_CASE("backoff ceilings grow exponentially up to the maximum") {
  BackoffPolicy backoff{milliseconds(100), 2.0, milliseconds(1000)};
  CHECK(backoff.Ceiling(0) == milliseconds(100));
  CHECK(backoff.Ceiling(1) == milliseconds(200));
  CHECK(backoff.Ceiling(3) == milliseconds(800));
  CHECK(backoff.Ceiling(4) == milliseconds(1000));
  CHECK(backoff.Ceiling(1000) == milliseconds(1000));  // no overflow
}

TEST_CASE("full jitter stays within [0, ceiling] and spreads out") {
  BackoffPolicy backoff{milliseconds(100), 2.0, milliseconds(1000)};
  CHECK(backoff.Delay(2, 0.0) == milliseconds(0));
  CHECK(backoff.Delay(2, 0.5) == milliseconds(200));
  CHECK(backoff.Delay(2, 0.999999) <= milliseconds(400));
  auto random = SeededRandomSource(42);
  milliseconds low = milliseconds::max(), high{0};
  for (int i = 0; i < 200; ++i) {
    auto d = backoff.Delay(3, random());
    CHECK(d >= milliseconds(0));
    CHECK(d <= milliseconds(800));
    low = std::min(low, d);
    high = std::max(high, d);
  }
  CHECK(low < milliseconds(200));
  CHECK(high > milliseconds(600));
}

TEST_CASE("seeded random sources repeat, the default one is in range") {
  auto a = SeededRandomSource(7), b = SeededRandomSource(7);
  for (int i = 0; i < 5; ++i) CHECK(a() == b());
  auto r = DefaultRandomSource();
  for (int i = 0; i < 100; ++i) {
    double v = r();
    CHECK(v >= 0.0);
    CHECK(v < 1.0);
  }
}

TEST_CASE("the next wait is max(backoff, Retry-After), capped") {
  CHECK(NextWait(milliseconds(300), std::nullopt, seconds(60)) == milliseconds(300));
  CHECK(NextWait(milliseconds(300), seconds(5), seconds(60)) == seconds(5));
  CHECK(NextWait(milliseconds(9000), seconds(5), seconds(60)) == milliseconds(9000));
  CHECK(NextWait(milliseconds(300), seconds(3600), seconds(60)) == seconds(60));
}

TEST_CASE("Retry-After in delta-seconds") {
  CHECK(ParseRetryAfter("120", kWallNow) == seconds(120));
  CHECK(ParseRetryAfter(" 0 ", kWallNow) == seconds(0));
  CHECK(ParseRetryAfter("99999999999999999999", kWallNow) == std::chrono::hours(24));
  CHECK_FALSE(ParseRetryAfter("", kWallNow).has_value());
  CHECK_FALSE(ParseRetryAfter("-5", kWallNow).has_value());
  CHECK_FALSE(ParseRetryAfter("1.5", kWallNow).has_value());
  CHECK_FALSE(ParseRetryAfter("soon", kWallNow).has_value());
}

TEST_CASE("Retry-After as an HTTP-date in its three forms") {
  CHECK(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 GMT", kWallNow) == seconds(37));
  CHECK(ParseRetryAfter("Sunday, 06-Nov-94 08:49:37 GMT", kWallNow) == seconds(37));
  CHECK(ParseRetryAfter("Sun Nov  6 08:49:37 1994", kWallNow) == seconds(37));
  CHECK(ParseRetryAfter("Sun, 06 Nov 1994 09:49:00 GMT", kWallNow) == std::chrono::hours(1));
  // In the past: retry now.
  CHECK(ParseRetryAfter("Sat, 05 Nov 1994 08:49:37 GMT", kWallNow) == seconds(0));
  // Far future: capped.
  CHECK(ParseRetryAfter("Fri, 01 Jan 2100 00:00:00 GMT", kWallNow) == std::chrono::hours(24));
  CHECK_FALSE(ParseRetryAfter("Sun, 31 Feb 1994 08:49:37 GMT", kWallNow).has_value());
  CHECK_FALSE(ParseRetryAfter("Sun, 06 Nov 1994 08:49:37 CET", kWallNow).has_value());
  CHECK_FALSE(ParseRetryAfter("Sun, 06 Foo 1994 08:49:37 GMT", kWallNow).has_value());
  CHECK_FALSE(ParseRetryAfter("Sun, 06 Nov 1994 8:49:37 GMT", kWallNow).has_value());
}

TEST_CASE("which failures are retryable") {
  for (int http : {408, 429, 500, 502, 503, 504}) CHECK(IsRetryableHttpStatus(http));
  for (int http : {200, 400, 401, 403, 404, 409, 501}) CHECK_FALSE(IsRetryableHttpStatus(http));
  CHECK(IsRetryable(Status(ErrorKind::kUnavailable, "connect")));
  CHECK(IsRetryable(Status(ErrorKind::kDeadlineExceeded, "timeout")));
  CHECK_FALSE(IsRetryable(Status(ErrorKind::kProtocol, "too large")));
  CHECK_FALSE(IsRetryable(Status(ErrorKind::kInvalidArgument, "bad url")));
  CHECK_FALSE(IsRetryable(Status(ErrorKind::kCancelled, "ctrl-c")));
  CHECK(IsRetryable(Status(ErrorKind::kUnavailable, "5xx").set_http_status(503)));
  CHECK_FALSE(IsRetryable(Status(ErrorKind::kUnavailable, "501").set_http_status(501)));
  CHECK_FALSE(IsRetryable(Status(ErrorKind::kFailedPrecondition, "400").set_http_status(400)));
  CHECK_FALSE(IsRetryable(OkStatus()));
}

TEST_CASE("the retry budget counts attempts and elapsed time") {
  RetryPolicy policy{3, milliseconds(0), seconds(60)};
  CHECK(policy.AllowsAnotherAttempt(1, seconds(0), seconds(1)));
  CHECK(policy.AllowsAnotherAttempt(2, seconds(0), seconds(1)));
  CHECK_FALSE(policy.AllowsAnotherAttempt(3, seconds(0), seconds(1)));
  RetryPolicy timed{100, seconds(10), seconds(60)};
  CHECK(timed.AllowsAnotherAttempt(5, seconds(8), seconds(2)));
  CHECK_FALSE(timed.AllowsAnotherAttempt(5, seconds(8), milliseconds(2001)));
}
