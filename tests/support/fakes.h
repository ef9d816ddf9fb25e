// Test doubles for the network layers: a transport that replays queued
// answers and records what it was sent, a clock that only moves when told
// (or when something sleeps on it), and a token provider with counters.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "chorus/clock.h"
#include "chorus/http.h"
#include "chorus/token.h"

namespace chorus::testing {

inline HttpResponse Reply(int status, std::string body, Headers headers = {}) {
  if (!body.empty() && FindHeader(headers, "Content-Type") == nullptr) {
    headers.emplace_back("Content-Type", "application/json");
  }
  return HttpResponse{status, std::move(headers), std::move(body)};
}

inline HttpResponse OkEnvelope(std::string extra_fields = "") {
  std::string body = R"({"codeRetour":0,"libelle":"TRA_MSG_00.000")";
  if (!extra_fields.empty()) body += "," + extra_fields;
  body += "}";
  return Reply(200, std::move(body));
}

// Replays queued results in order; an empty queue answers an error so a test
// that sends more than expected fails visibly. Thread-safe.
class FakeTransport final : public HttpTransport {
 public:
  struct Shared {
    std::mutex mu;
    std::deque<StatusOr<HttpResponse>> queue;
    std::vector<HttpRequest> requests;
    std::function<void(const HttpRequest&)> on_send;  // e.g. advance a clock
  };

  FakeTransport() : shared_(std::make_shared<Shared>()) {}
  // A second handle on the same queue and log (to keep after moving the
  // transport into the object under test).
  explicit FakeTransport(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}

  std::shared_ptr<Shared> shared() const { return shared_; }

  void Push(StatusOr<HttpResponse> result) {
    std::lock_guard<std::mutex> lock(shared_->mu);
    shared_->queue.push_back(std::move(result));
  }
  std::vector<HttpRequest> requests() const {
    std::lock_guard<std::mutex> lock(shared_->mu);
    return shared_->requests;
  }
  size_t sent() const { return requests().size(); }

  StatusOr<HttpResponse> Send(const HttpRequest& request) override {
    std::function<void(const HttpRequest&)> hook;
    StatusOr<HttpResponse> result = Status(ErrorKind::kInternal, "FakeTransport: no queued answer");
    {
      std::lock_guard<std::mutex> lock(shared_->mu);
      shared_->requests.push_back(request);
      hook = shared_->on_send;
      if (!shared_->queue.empty()) {
        result = std::move(shared_->queue.front());
        shared_->queue.pop_front();
      }
    }
    if (hook) hook(request);
    return result;
  }

 private:
  std::shared_ptr<Shared> shared_;
};

// Time moves only through Advance() and SleepFor(); sleeps are recorded. Thread-safe.
class FakeClock final : public Clock {
 public:
  FakeClock()
      : now_(std::chrono::steady_clock::time_point{} + std::chrono::hours(1000)),
        // Thu, 01 Jan 2026 00:00:00 GMT: a fixed wall time for HTTP-date tests.
        wall_(std::chrono::sys_days(std::chrono::year(2026) / 1 / 1)) {}

  time_point Now() override {
    std::lock_guard<std::mutex> lock(mu_);
    return now_;
  }
  std::chrono::system_clock::time_point WallNow() override {
    std::lock_guard<std::mutex> lock(mu_);
    return wall_;
  }
  void SleepFor(std::chrono::milliseconds d) override {
    std::lock_guard<std::mutex> lock(mu_);
    sleeps_.push_back(d);
    now_ += d;
    wall_ += d;
  }
  void Advance(std::chrono::milliseconds d) {
    std::lock_guard<std::mutex> lock(mu_);
    now_ += d;
    wall_ += d;
  }
  std::vector<std::chrono::milliseconds> sleeps() const {
    std::lock_guard<std::mutex> lock(mu_);
    return sleeps_;
  }
  std::chrono::milliseconds total_slept() const {
    std::chrono::milliseconds total{0};
    for (auto d : sleeps()) total += d;
    return total;
  }

 private:
  mutable std::mutex mu_;
  time_point now_;
  std::chrono::system_clock::time_point wall_;
  std::vector<std::chrono::milliseconds> sleeps_;
};

// Hands out "token-1", "token-2", ...; a new one after each matching Invalidate.
class FakeTokenProvider final : public TokenProvider {
 public:
  StatusOr<std::string> GetToken(const CancelToken& cancel = {},
                                 std::chrono::milliseconds = std::chrono::milliseconds(0)) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++get_calls;
    if (cancel.stop_requested()) return Status(ErrorKind::kCancelled, "cancelled");
    if (!fail_with.ok()) return fail_with;
    if (current_.empty()) current_ = "token-" + std::to_string(++issued);
    return current_;
  }
  void Invalidate(std::string_view rejected) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++invalidations;
    if (rejected == current_) current_.clear();
  }

  int get_calls = 0;
  int issued = 0;
  int invalidations = 0;
  Status fail_with;  // non-OK: every GetToken fails with it

 private:
  std::mutex mu_;
  std::string current_;
};

// Answers every request with a function of it; thread-safe when the function
// is. For tests that need a portal's logic rather than a fixed script.
class FunctionTransport final : public HttpTransport {
 public:
  using Handler = std::function<StatusOr<HttpResponse>(const HttpRequest&)>;
  explicit FunctionTransport(Handler handler) : handler_(std::move(handler)) {}
  StatusOr<HttpResponse> Send(const HttpRequest& request) override { return handler_(request); }

 private:
  Handler handler_;
};

}  // namespace chorus::testing
