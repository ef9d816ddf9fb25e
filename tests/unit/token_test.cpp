#include <doctest/doctest.h>

#include <condition_variable>
#include <mutex>
#include <thread>
#include <vector>

#include "chorus/token.h"
#include "support/fakes.h"

using namespace chorus;
using namespace chorus::testing;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

const char* kTokenUrl = "http://127.0.0.1:9/api/oauth/token";

struct TokenFixture {
  FakeClock clock;
  std::shared_ptr<FakeTransport::Shared> wire = std::make_shared<FakeTransport::Shared>();
  FakeTransport transport{wire};
  std::shared_ptr<TokenProvider> provider = MakeClientCredentialsTokenProvider(
      ClientCredentials{kTokenUrl, "my id", "s3cr&t=+/é", "openid"},
      std::make_unique<FakeTransport>(wire), clock);
};

HttpResponse TokenReply(const std::string& token, int expires_in) {
  return Reply(200, R"({"access_token":")" + token + R"(","token_type":"Bearer","expires_in":)" +
                        std::to_string(expires_in) + R"(,"scope":"openid"})");
}

}  // namespace

TEST_CASE("form values are url-encoded") {
  CHECK(FormUrlEncode("abcXYZ019-._~") == "abcXYZ019-._~");
  CHECK(FormUrlEncode("a b&c=d+e/f") == "a+b%26c%3Dd%2Be%2Ff");
  CHECK(FormUrlEncode("é") == "%C3%A9");
  CHECK(ClientCredentialsFormBody({"u", "my id", "s3cr&t", "openid"}) ==
        "grant_type=client_credentials&client_id=my+id&client_secret=s3cr%26t&scope=openid");
}

TEST_CASE_FIXTURE(TokenFixture, "the token request is an exact form POST") {
  transport.Push(TokenReply("abc", 3600));
  auto token = provider->GetToken();
  REQUIRE(token.ok());
  CHECK(*token == "abc");
  auto sent = transport.requests();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].method == "POST");
  CHECK(sent[0].url == kTokenUrl);
  CHECK(sent[0].body ==
        "grant_type=client_credentials&client_id=my+id&client_secret=s3cr%26t%3D%2B%2F%C3%A9"
        "&scope=openid");
  REQUIRE(FindHeader(sent[0].headers, "content-type") != nullptr);
  CHECK(*FindHeader(sent[0].headers, "content-type") == "application/x-www-form-urlencoded");
}

TEST_CASE_FIXTURE(TokenFixture, "the token is cached and renewed shortly before it expires") {
  transport.Push(TokenReply("first", 3600));
  transport.Push(TokenReply("second", 3600));
  CHECK(*provider->GetToken() == "first");
  clock.Advance(seconds(3000));
  CHECK(*provider->GetToken() == "first");
  CHECK(transport.sent() == 1);
  // 3600 s minus a 60 s margin: renewed from 3540 s on.
  clock.Advance(seconds(539));
  CHECK(*provider->GetToken() == "first");
  clock.Advance(seconds(1));
  CHECK(*provider->GetToken() == "second");
  CHECK(transport.sent() == 2);
}

TEST_CASE_FIXTURE(TokenFixture, "a short-lived token is renewed 10 % early") {
  transport.Push(TokenReply("short", 100));
  transport.Push(TokenReply("next", 100));
  CHECK(*provider->GetToken() == "short");
  clock.Advance(seconds(89));
  CHECK(*provider->GetToken() == "short");
  clock.Advance(seconds(1));
  CHECK(*provider->GetToken() == "next");
}

TEST_CASE_FIXTURE(TokenFixture, "a one-second token is renewed 100 ms early, not at its last instant") {
  transport.Push(TokenReply("brief", 1));
  transport.Push(TokenReply("after", 1));
  CHECK(*provider->GetToken() == "brief");
  clock.Advance(milliseconds(899));
  CHECK(*provider->GetToken() == "brief");
  clock.Advance(milliseconds(1));
  CHECK(*provider->GetToken() == "after");
}

TEST_CASE_FIXTURE(TokenFixture, "Invalidate drops only the rejected token") {
  transport.Push(TokenReply("one", 3600));
  transport.Push(TokenReply("two", 3600));
  CHECK(*provider->GetToken() == "one");
  provider->Invalidate("something-else");
  CHECK(*provider->GetToken() == "one");
  provider->Invalidate("one");
  CHECK(*provider->GetToken() == "two");
  CHECK(transport.sent() == 2);
}

TEST_CASE_FIXTURE(TokenFixture, "400 and 401 from the token endpoint are unauthenticated") {
  for (int http : {400, 401}) {
    transport.Push(Reply(http, R"({"error":"invalid_client","error_description":"Bad client credentials"})"));
    auto token = provider->GetToken();
    REQUIRE_FALSE(token.ok());
    CHECK(token.status().kind() == ErrorKind::kUnauthenticated);
    CHECK(token.status().http_status() == http);
    CHECK(token.status().message().find("invalid_client") != std::string::npos);
    CHECK(token.status().message().find("Bad client credentials") != std::string::npos);
  }
}

TEST_CASE_FIXTURE(TokenFixture, "token endpoint failures keep retryable kinds") {
  transport.Push(Reply(503, "<html>down</html>", {{"Retry-After", "7"}}));
  auto token = provider->GetToken();
  CHECK(token.status().kind() == ErrorKind::kUnavailable);
  CHECK(token.status().http_status() == 503);
  CHECK(token.status().retry_after() == seconds(7));

  transport.Push(Status(ErrorKind::kDeadlineExceeded, "timed out"));
  CHECK(provider->GetToken().status().kind() == ErrorKind::kDeadlineExceeded);

  transport.Push(Reply(429, ""));
  CHECK(provider->GetToken().status().kind() == ErrorKind::kResourceExhausted);

  transport.Push(Reply(403, ""));
  CHECK(provider->GetToken().status().kind() == ErrorKind::kPermissionDenied);
}

TEST_CASE_FIXTURE(TokenFixture, "a malformed token answer is a protocol error") {
  transport.Push(Reply(200, "not json"));
  CHECK(provider->GetToken().status().kind() == ErrorKind::kProtocol);
  transport.Push(Reply(200, R"({"token_type":"Bearer"})"));
  CHECK(provider->GetToken().status().kind() == ErrorKind::kProtocol);
  transport.Push(Reply(200, R"({"access_token":"x","expires_in":-3})"));
  CHECK(provider->GetToken().status().kind() == ErrorKind::kProtocol);
  // After failures, a good answer still works.
  transport.Push(TokenReply("good", 3600));
  CHECK(*provider->GetToken() == "good");
}

TEST_CASE_FIXTURE(TokenFixture, "threads sharing the provider cause a single fetch") {
  transport.Push(TokenReply("shared", 3600));
  std::vector<std::thread> threads;
  std::vector<std::string> seen(8);
  for (size_t i = 0; i < seen.size(); ++i) {
    threads.emplace_back([this, &seen, i] {
      auto token = provider->GetToken();
      seen[i] = token.ok() ? *token : token.status().ToString();
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& s : seen) CHECK(s == "shared");
  CHECK(transport.sent() == 1);
}

TEST_CASE("a caller waiting for another thread's token fetch returns at once on a stop request") {
  FakeClock clock;
  std::mutex mu;
  std::condition_variable cv;
  bool release = false;
  auto provider = MakeClientCredentialsTokenProvider(
      ClientCredentials{kTokenUrl, "id", "secret", "openid"},
      std::make_unique<FunctionTransport>([&](const HttpRequest&) -> StatusOr<HttpResponse> {
        std::unique_lock lock(mu);
        cv.wait(lock, [&] { return release; });
        return TokenReply("slow", 3600);
      }),
      clock);
  std::thread fetcher([&] { CHECK(*provider->GetToken() == "slow"); });
  std::this_thread::sleep_for(milliseconds(50));  // the fetch is under way
  CancelSource cancel;
  std::thread stopper([&] {
    std::this_thread::sleep_for(milliseconds(50));
    cancel.RequestStop();
  });
  auto waited = provider->GetToken(cancel.token());
  CHECK(waited.status().kind() == ErrorKind::kCancelled);
  stopper.join();
  {
    std::lock_guard lock(mu);
    release = true;
  }
  cv.notify_all();
  fetcher.join();
  CHECK(*provider->GetToken() == "slow");  // cached for the others
  CancelSource stopped;
  stopped.RequestStop();
  CHECK(provider->GetToken(stopped.token()).status().kind() == ErrorKind::kCancelled);  // no fetch, no cache
}

TEST_CASE_FIXTURE(TokenFixture, "expires_in is taken between 1 s and 1 day, whatever its form") {
  // Each answer is cached for at most a day: one more second later, a new fetch.
  for (const char* expires : {"99999999999", "\"99999999999\"", "1e300", "18446744073709551615", "86401"}) {
    CAPTURE(expires);
    transport.Push(Reply(200, std::string(R"({"access_token":"long","expires_in":)") + expires + "}"));
    transport.Push(TokenReply("next", 3600));
    auto first = provider->GetToken();
    REQUIRE(first.ok());
    CHECK(*first == "long");
    clock.Advance(std::chrono::hours(23));
    CHECK(*provider->GetToken() == "long");
    clock.Advance(std::chrono::hours(1) + seconds(1));
    CHECK(*provider->GetToken() == "next");
    provider->Invalidate("next");
  }
  // A part of a second counts as one: cached for an instant, not refetched on every call.
  transport.Push(Reply(200, R"({"access_token":"brief","expires_in":0.2})"));
  REQUIRE(provider->GetToken().ok());
  CHECK(*provider->GetToken() == "brief");
  clock.Advance(seconds(1));
  transport.Push(TokenReply("after", 3600));
  CHECK(*provider->GetToken() == "after");
}
