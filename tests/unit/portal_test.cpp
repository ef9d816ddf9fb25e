#include <doctest/doctest.h>

#include <atomic>

#include "chorus/circuit_breaker.h"
#include "chorus/login_budget.h"
#include "chorus/portal.h"
#include "chorus/rate_limiter.h"
#include "support/fakes.h"
#include "support/process.h"

using namespace chorus;
using namespace chorus::testing;
using std::chrono::milliseconds;
using std::chrono::seconds;

namespace {

struct PortalFixture {
  FakeClock clock;
  std::shared_ptr<FakeTokenProvider> tokens = std::make_shared<FakeTokenProvider>();
  std::shared_ptr<FakeTransport::Shared> wire = std::make_shared<FakeTransport::Shared>();
  FakeTransport transport{wire};

  PortalOptions Options() {
    PortalOptions options;
    options.api_base_url = "http://127.0.0.1:8080/cpro/";
    options.account = AccountCredentials{"Aladdin", "open sesame"};
    options.retry = RetryPolicy{4, milliseconds(0), seconds(60)};
    options.backoff = BackoffPolicy{milliseconds(100), 2.0, milliseconds(1000)};
    options.random = [] { return 0.5; };  // delays 50, 100, 200 ms
    return options;
  }
  PortalConnection Connect(PortalOptions options) {
    return PortalConnection(std::move(options), tokens, std::make_unique<FakeTransport>(wire), clock);
  }
  PortalConnection Connect() { return Connect(Options()); }
};

const std::string* Header(const HttpRequest& r, std::string_view name) {
  return FindHeader(r.headers, name);
}

}  // namespace

TEST_CASE("base64 and the cpro-account value") {
  CHECK(Base64Encode("") == "");
  CHECK(Base64Encode("f") == "Zg==");
  CHECK(Base64Encode("fo") == "Zm8=");
  CHECK(Base64Encode("foo") == "Zm9v");
  CHECK(Base64Encode("foob") == "Zm9vYg==");
  CHECK(CproAccountHeaderValue({"Aladdin", "open sesame"}) == "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  // A ':' in the password stays: the server splits at the first one.
  CHECK(CproAccountHeaderValue({"a@b.fr", "p:w"}) == Base64Encode("a@b.fr:p:w"));
}

TEST_CASE_FIXTURE(PortalFixture, "a call sends the bearer token, cpro-account and JSON headers") {
  transport.Push(OkEnvelope(R"("listeStructures":[])"));
  auto portal = Connect();
  auto reply = portal.Call("post", "/structures/v1/rechercher", R"({"parametres":{}})");
  REQUIRE(reply.ok());
  CHECK(reply->http_status == 200);
  CHECK(reply->body.find("listeStructures") != std::string::npos);
  auto sent = transport.requests();
  REQUIRE(sent.size() == 1);
  CHECK(sent[0].method == "POST");
  CHECK(sent[0].url == "http://127.0.0.1:8080/cpro/structures/v1/rechercher");
  CHECK(sent[0].body == R"({"parametres":{}})");
  CHECK(*Header(sent[0], "Authorization") == "Bearer token-1");
  CHECK(*Header(sent[0], "cpro-account") == "QWxhZGRpbjpvcGVuIHNlc2FtZQ==");
  CHECK(*Header(sent[0], "Content-Type") == "application/json;charset=utf-8");
  CHECK(*Header(sent[0], "Accept") == "application/json");
}

TEST_CASE_FIXTURE(PortalFixture, "sign-up style calls go without cpro-account; GET has no body") {
  transport.Push(OkEnvelope());
  transport.Push(Reply(200, ""));
  auto portal = Connect();
  CallOptions anonymous;
  anonymous.with_account = false;
  REQUIRE(portal.Call("POST", "utilisateurs/v1/creer", "{}", anonymous).ok());
  REQUIRE(portal.Call("GET", "transverses/v1/health-check", "").ok());
  auto sent = transport.requests();
  CHECK(Header(sent[0], "cpro-account") == nullptr);
  CHECK(Header(sent[0], "Authorization") != nullptr);
  CHECK(sent[1].method == "GET");
  CHECK(sent[1].body.empty());
  CHECK(Header(sent[1], "Content-Type") == nullptr);
}

TEST_CASE_FIXTURE(PortalFixture, "with the real token provider: one token fetch, refreshed once on 401") {
  auto provider = MakeClientCredentialsTokenProvider(
      {"http://127.0.0.1:8080/api/oauth/token", "id", "secret", "openid"},
      std::make_unique<FakeTransport>(wire), clock);
  PortalConnection portal(Options(), provider, std::make_unique<FakeTransport>(wire), clock);
  auto token_reply = [](const std::string& t) {
    return Reply(200, R"({"access_token":")" + t + R"(","expires_in":3600})");
  };

  SUBCASE("cached across calls") {
    transport.Push(token_reply("T1"));
    transport.Push(OkEnvelope());
    transport.Push(OkEnvelope());
    REQUIRE(portal.Call("POST", "a", "{}").ok());
    REQUIRE(portal.Call("POST", "b", "{}").ok());
    auto sent = transport.requests();
    REQUIRE(sent.size() == 3);
    CHECK(sent[0].url == "http://127.0.0.1:8080/api/oauth/token");
    CHECK(*Header(sent[2], "Authorization") == "Bearer T1");
  }
  SUBCASE("a 401 refetches the token once and the call succeeds") {
    transport.Push(token_reply("T1"));
    transport.Push(Reply(401, ""));
    transport.Push(token_reply("T2"));
    transport.Push(OkEnvelope());
    auto reply = portal.Call("POST", "a", "{}");
    REQUIRE(reply.ok());
    auto sent = transport.requests();
    REQUIRE(sent.size() == 4);
    CHECK(*Header(sent[1], "Authorization") == "Bearer T1");
    CHECK(sent[2].url.find("oauth") != std::string::npos);
    CHECK(*Header(sent[3], "Authorization") == "Bearer T2");
    CHECK(clock.sleeps().empty());
  }
  SUBCASE("a second 401 is unauthenticated") {
    transport.Push(token_reply("T1"));
    transport.Push(Reply(401, "", {{"WWW-Authenticate", "Bearer error=\"invalid_token\""}}));
    transport.Push(token_reply("T2"));
    transport.Push(Reply(401, ""));
    auto reply = portal.Call("POST", "a", "{}");
    REQUIRE_FALSE(reply.ok());
    CHECK(reply.status().kind() == ErrorKind::kUnauthenticated);
    CHECK(reply.status().http_status() == 401);
    CHECK(transport.sent() == 4);
  }
}

TEST_CASE_FIXTURE(PortalFixture, "the envelope: a non-zero codeRetour in a 200 is an error") {
  transport.Push(Reply(200, R"({"codeRetour":20001,"libelle":"GCU_MSG_05_001","message":"SIRET inconnu"})"));
  auto reply = Connect().Call("POST", "x", "{}");
  REQUIRE_FALSE(reply.ok());
  const Status& s = reply.status();
  CHECK(s.kind() == ErrorKind::kFailedPrecondition);
  CHECK(s.http_status() == 200);
  REQUIRE(s.code_retour().has_value());
  CHECK(*s.code_retour() == 20001);
  CHECK(s.libelle() == "GCU_MSG_05_001");
  CHECK(s.message() == "SIRET inconnu");
  CHECK(transport.sent() == 1);  // not retried
}

TEST_CASE("StatusFromResponse: body shapes") {
  const auto now = std::chrono::system_clock::now();
  CHECK(StatusFromResponse(Reply(200, R"({"codeRetour":0,"libelle":"TRA_MSG_00.000"})"), now).ok());
  CHECK(StatusFromResponse(Reply(200, R"({"anything":1})"), now).ok());
  CHECK(StatusFromResponse(Reply(200, ""), now).ok());
  CHECK(StatusFromResponse(Reply(200, R"({"codeRetour":"0"})"), now).ok());
  CHECK(StatusFromResponse(Reply(200, "<html>"), now).kind() == ErrorKind::kProtocol);
  CHECK(StatusFromResponse(Reply(200, "[1,2]"), now).kind() == ErrorKind::kProtocol);
  CHECK(StatusFromResponse(Reply(200, R"({"codeRetour":"oops"})"), now).kind() == ErrorKind::kProtocol);
  Status libelle_only = StatusFromResponse(Reply(200, R"({"codeRetour":3,"libelle":"L"})"), now);
  CHECK(libelle_only.message() == "L");
}

TEST_CASE("StatusFromResponse: each HTTP status maps to a kind") {
  const auto now = std::chrono::system_clock::now();
  struct Case { int http; ErrorKind kind; };
  for (const Case& c : {Case{400, ErrorKind::kFailedPrecondition}, Case{401, ErrorKind::kUnauthenticated},
                            Case{403, ErrorKind::kPermissionDenied}, Case{404, ErrorKind::kNotFound},
                            Case{408, ErrorKind::kDeadlineExceeded}, Case{409, ErrorKind::kAlreadyExists},
                            Case{410, ErrorKind::kNotFound}, Case{422, ErrorKind::kFailedPrecondition},
                            Case{429, ErrorKind::kResourceExhausted}, Case{500, ErrorKind::kUnavailable},
                            Case{502, ErrorKind::kUnavailable}, Case{503, ErrorKind::kUnavailable},
                            Case{504, ErrorKind::kUnavailable}, Case{302, ErrorKind::kProtocol}}) {
    CAPTURE(c.http);
    Status s = StatusFromResponse(Reply(c.http, ""), now);
    CHECK(s.kind() == c.kind);
    CHECK(s.http_status() == c.http);
    CHECK_FALSE(s.message().empty());
  }
  Status with_envelope = StatusFromResponse(
      Reply(409, R"({"codeRetour":30002,"libelle":"RATTACHEMENT_EN_ATTENTE","message":"déjà en attente"})"), now);
  CHECK(with_envelope.kind() == ErrorKind::kAlreadyExists);
  CHECK(*with_envelope.code_retour() == 30002);
  CHECK(with_envelope.libelle() == "RATTACHEMENT_EN_ATTENTE");
  CHECK(with_envelope.message() == "déjà en attente");
  Status redirect = StatusFromResponse(Reply(302, "", {{"Location", "https://elsewhere/"}}), now);
  CHECK(redirect.message().find("https://elsewhere/") != std::string::npos);
  Status html_500 = StatusFromResponse(Reply(500, "<html>oops</html>"), now);
  CHECK(html_500.kind() == ErrorKind::kUnavailable);
}

TEST_CASE_FIXTURE(PortalFixture, "retries 500, 503 and 429 with exponential jittered backoff") {
  transport.Push(Reply(500, R"({"codeRetour":99,"libelle":"ERREUR"})"));
  transport.Push(Reply(503, ""));
  transport.Push(Reply(429, ""));
  transport.Push(OkEnvelope());
  auto reply = Connect().Call("POST", "x", "{}");
  REQUIRE(reply.ok());
  CHECK(transport.sent() == 4);
  CHECK(clock.sleeps() == std::vector<milliseconds>{milliseconds(50), milliseconds(100), milliseconds(200)});
}

TEST_CASE_FIXTURE(PortalFixture, "jittered waits stay within their exponential ceilings") {
  auto options = Options();
  options.retry.max_attempts = 8;
  options.random = SeededRandomSource(1234);
  for (int i = 0; i < 7; ++i) transport.Push(Reply(503, ""));
  transport.Push(OkEnvelope());
  REQUIRE(Connect(options).Call("POST", "x", "{}").ok());
  auto sleeps = clock.sleeps();
  REQUIRE(sleeps.size() == 7);
  for (size_t i = 0; i < sleeps.size(); ++i) {
    CAPTURE(i);
    CHECK(sleeps[i] >= milliseconds(0));
    CHECK(sleeps[i] <= options.backoff.Ceiling(static_cast<int>(i)));
  }
}

TEST_CASE_FIXTURE(PortalFixture, "Retry-After is honoured in seconds and as an HTTP-date, capped") {
  // The fake wall clock starts at Thu, 01 Jan 2026 00:00:00 GMT.
  transport.Push(Reply(429, "", {{"Retry-After", "5"}}));
  transport.Push(Reply(503, "", {{"Retry-After", "Thu, 01 Jan 2026 00:00:35 GMT"}}));
  transport.Push(Reply(429, "", {{"Retry-After", "3600"}}));
  transport.Push(OkEnvelope());
  REQUIRE(Connect().Call("POST", "x", "{}").ok());
  // 5 s; then 35 s minus the 5 s already slept; then the 60 s cap.
  CHECK(clock.sleeps() == std::vector<milliseconds>{seconds(5), seconds(30), seconds(60)});
}

TEST_CASE_FIXTURE(PortalFixture, "gives up after max attempts with the last status") {
  for (int i = 0; i < 3; ++i) transport.Push(Reply(503, ""));
  transport.Push(Reply(429, R"({"codeRetour":1,"libelle":"QUOTA"})", {{"Retry-After", "2"}}));
  auto reply = Connect().Call("POST", "x", "{}");
  REQUIRE_FALSE(reply.ok());
  CHECK(reply.status().kind() == ErrorKind::kResourceExhausted);
  CHECK(reply.status().http_status() == 429);
  CHECK(reply.status().retry_after() == seconds(2));
  CHECK(reply.status().libelle() == "QUOTA");
  CHECK(reply.status().message().find("gave up after 4 attempts") != std::string::npos);
  CHECK(transport.sent() == 4);
  CHECK(clock.sleeps().size() == 3);
}

TEST_CASE_FIXTURE(PortalFixture, "the elapsed-time budget stops retries") {
  auto options = Options();
  options.retry = RetryPolicy{100, seconds(10), seconds(60)};
  transport.Push(Reply(503, "", {{"Retry-After", "6"}}));
  transport.Push(Reply(503, "", {{"Retry-After", "6"}}));
  auto reply = Connect(options).Call("POST", "x", "{}");
  CHECK(reply.status().kind() == ErrorKind::kUnavailable);
  CHECK(transport.sent() == 2);
  CHECK(clock.sleeps() == std::vector<milliseconds>{seconds(6)});
}

TEST_CASE_FIXTURE(PortalFixture, "no retry on 400, 403, 404, 409") {
  auto portal = Connect();
  for (int http : {400, 403, 404, 409}) {
    CAPTURE(http);
    transport.Push(Reply(http, R"({"codeRetour":1,"libelle":"NON"})"));
    auto reply = portal.Call("POST", "x", "{}");
    CHECK(reply.status().http_status() == http);
  }
  CHECK(transport.sent() == 4);
  CHECK(clock.sleeps().empty());
}

TEST_CASE_FIXTURE(PortalFixture, "transport errors are retried, then succeed") {
  transport.Push(Status(ErrorKind::kUnavailable, "connection refused"));
  transport.Push(Status(ErrorKind::kDeadlineExceeded, "timed out"));
  transport.Push(OkEnvelope());
  REQUIRE(Connect().Call("POST", "x", "{}").ok());
  CHECK(transport.sent() == 3);
  transport.Push(Status(ErrorKind::kInvalidArgument, "refused URL"));
  CHECK(Connect().Call("POST", "x", "{}").status().kind() == ErrorKind::kInvalidArgument);
  CHECK(transport.sent() == 4);
}

TEST_CASE_FIXTURE(PortalFixture, "a non-idempotent call is retried only when the server did not process it") {
  CallOptions create;
  create.idempotent = false;
  auto portal = Connect();
  transport.Push(Reply(500, ""));
  CHECK(portal.Call("POST", "x", "{}", create).status().http_status() == 500);
  CHECK(transport.sent() == 1);
  transport.Push(Status(ErrorKind::kDeadlineExceeded, "timed out"));
  CHECK(portal.Call("POST", "x", "{}", create).status().kind() == ErrorKind::kDeadlineExceeded);
  CHECK(transport.sent() == 2);
  transport.Push(Reply(503, ""));
  transport.Push(Reply(429, ""));
  transport.Push(OkEnvelope());
  CHECK(portal.Call("POST", "x", "{}", create).ok());
  CHECK(transport.sent() == 5);
}

TEST_CASE_FIXTURE(PortalFixture, "token failures take part in the retry loop") {
  tokens->fail_with = Status(ErrorKind::kUnavailable, "token endpoint down").set_http_status(502);
  auto reply = Connect().Call("POST", "x", "{}");
  CHECK(reply.status().kind() == ErrorKind::kUnavailable);
  CHECK(tokens->get_calls == 4);
  CHECK(transport.sent() == 0);
  tokens->fail_with = Status(ErrorKind::kUnauthenticated, "bad client secret").set_http_status(401);
  CHECK(Connect().Call("POST", "x", "{}").status().kind() == ErrorKind::kUnauthenticated);
  CHECK(tokens->get_calls == 5);
}

TEST_CASE_FIXTURE(PortalFixture, "cancellation before a call and during a wait") {
  CancelSource cancel;
  cancel.RequestStop();
  CallOptions options;
  options.cancel = cancel.token();
  auto portal = Connect();
  CHECK(portal.Call("POST", "x", "{}", options).status().kind() == ErrorKind::kCancelled);
  CHECK(transport.sent() == 0);
  CHECK(tokens->get_calls == 0);  // no token fetch after a stop either

  CancelSource during;
  options.cancel = during.token();
  wire->on_send = [&during](const HttpRequest& request) {
    CHECK(request.abort.stop_possible());  // handed down to the transport
    CHECK_FALSE(request.abort.stop_requested());
    during.RequestStop();  // Ctrl-C while the request is in flight
  };
  transport.Push(Reply(503, "", {{"Retry-After", "30"}}));
  CHECK(portal.Call("POST", "x", "{}", options).status().kind() == ErrorKind::kCancelled);
  CHECK(transport.sent() == 1);
  CHECK(clock.total_slept() < seconds(1));  // the 30 s wait was never slept
}

TEST_CASE_FIXTURE(PortalFixture, "the operation timeout bounds retries and each attempt") {
  PortalOptions o = Options();
  o.timeout = seconds(10);
  o.retry.max_attempts = 100;
  std::vector<milliseconds> attempt_limits;
  wire->on_send = [&](const HttpRequest& request) {
    attempt_limits.push_back(request.timeout);
    // Each attempt takes 3 s to fail, or is cut at its own limit.
    clock.Advance(std::min<milliseconds>(seconds(3), request.timeout));
  };
  for (int i = 0; i < 10; ++i) transport.Push(Status(ErrorKind::kUnavailable, "connection reset"));
  auto portal = Connect(o);
  auto start = clock.Now();
  auto reply = portal.Call("POST", "x", "{}");
  REQUIRE_FALSE(reply.ok());
  CHECK(reply.status().kind() == ErrorKind::kUnavailable);
  CHECK(reply.status().message().find("timeout would pass") != std::string::npos);
  CHECK(clock.Now() - start <= seconds(10));
  REQUIRE(attempt_limits.size() >= 2);
  CHECK(attempt_limits.front() == seconds(10));       // the first attempt may take it all
  CHECK(attempt_limits.back() < attempt_limits.front());  // later ones only what is left
}

TEST_CASE_FIXTURE(PortalFixture, "an attempt cut by the operation deadline says so") {
  PortalOptions o = Options();
  o.timeout = seconds(5);
  wire->on_send = [&](const HttpRequest&) { clock.Advance(seconds(5)); };
  transport.Push(Status(ErrorKind::kDeadlineExceeded, "timed out"));
  auto portal = Connect(o);
  auto reply = portal.Call("POST", "x", "{}");
  REQUIRE_FALSE(reply.ok());
  CHECK(reply.status().kind() == ErrorKind::kDeadlineExceeded);
  CHECK(reply.status().message().find("5 s timeout") != std::string::npos);
  CHECK(transport.sent() == 1);
}

TEST_CASE_FIXTURE(PortalFixture, "retries are announced to on_retry with their reason and wait") {
  std::vector<RetryNotice> notices;
  CallOptions options;
  options.on_retry = [&](const RetryNotice& n) { notices.push_back(n); };
  transport.Push(Reply(503, "", {{"Retry-After", "2"}}));
  transport.Push(OkEnvelope());
  REQUIRE(Connect().Call("POST", "x", "{}", options).ok());
  REQUIRE(notices.size() == 1);
  CHECK(notices[0].attempt == 1);
  CHECK(notices[0].failure.http_status() == 503);
  CHECK(notices[0].wait == seconds(2));
}

TEST_CASE_FIXTURE(PortalFixture, "Prepare builds the request without a token fetch, for --dry-run") {
  auto portal = Connect();
  HttpRequest request = portal.Prepare("POST", "utilisateurs/v1/creer",
                                       R"({"login":"a@b.fr","motDePasse":"hunter2"})");
  CHECK(tokens->get_calls == 0);
  CHECK(transport.sent() == 0);
  CHECK(request.url == "http://127.0.0.1:8080/cpro/utilisateurs/v1/creer");
  CHECK(*Header(request, "Authorization") == "Bearer <token>");
  std::string dump = RedactedDump(request);
  CHECK(dump.find("POST http://127.0.0.1:8080/cpro/utilisateurs/v1/creer") != std::string::npos);
  CHECK(dump.find("hunter2") == std::string::npos);
  CHECK(dump.find("QWxhZGRpbjpvcGVuIHNlc2FtZQ==") == std::string::npos);
  CHECK(dump.find("a@b.fr") != std::string::npos);
}

TEST_CASE_FIXTURE(PortalFixture, "retries are noted in the trace") {
  std::string trace;
  auto options = Options();
  options.tracer = std::make_shared<Tracer>([&trace](std::string_view t) { trace += t; });
  transport.Push(Reply(503, ""));
  transport.Push(OkEnvelope());
  REQUIRE(Connect(options).Call("POST", "x", "{}").ok());
  CHECK(trace.find("retrying in 50 ms") != std::string::npos);
}

TEST_CASE_FIXTURE(PortalFixture, "a rate limiter spaces every request sent, retries and 401 repeats included") {
  RateLimiter limiter(10, clock);  // one request each 100 ms
  std::vector<FakeClock::time_point> sent_at;
  wire->on_send = [&](const HttpRequest&) { sent_at.push_back(clock.Now()); };
  transport.Push(Reply(503, ""));   // retried after 50 ms of backoff, then waits for its slot
  transport.Push(Reply(401, ""));   // a new token, at once but for the limiter
  transport.Push(OkEnvelope());
  transport.Push(OkEnvelope());
  CallOptions options;
  options.rate_limiter = &limiter;
  auto connection = Connect();
  REQUIRE(connection.Call("POST", "x", "{}", options).ok());
  REQUIRE(connection.Call("POST", "y", "{}", options).ok());
  REQUIRE(sent_at.size() == 4);
  for (std::size_t i = 1; i < sent_at.size(); ++i) {
    CAPTURE(i);
    CHECK(sent_at[i] - sent_at[i - 1] >= milliseconds(100));
  }
  // Without a limiter nothing waits but the backoff.
  FakeClock::time_point before = clock.Now();
  transport.Push(OkEnvelope());
  transport.Push(OkEnvelope());
  REQUIRE(connection.Call("POST", "x", "{}").ok());
  REQUIRE(connection.Call("POST", "x", "{}").ok());
  CHECK(clock.Now() == before);
}

TEST_CASE_FIXTURE(PortalFixture, "refused credentials are not sent again; calls without the account still go") {
  TempDir state;
  PortalOptions o = Options();
  o.login_budget = std::make_shared<LoginBudget>(state.path(), "p", *o.account);
  auto portal = Connect(o);
  transport.Push(Reply(403, R"({"codeRetour":20003,"libelle":"SBX_IDENTIFIANTS_INVALIDES"})"));
  auto first = portal.Call("POST", "x", "{}");
  CHECK(first.status().code_retour() == 20003);
  CHECK(transport.sent() == 1);
  auto second = portal.Call("POST", "x", "{}");
  CHECK(second.status().code_retour() == 20003);
  CHECK(transport.sent() == 1);  // not sent
  CallOptions anonymous;
  anonymous.with_account = false;
  transport.Push(OkEnvelope());
  CHECK(portal.Call("POST", "utilisateurs/v1/creer", "{}", anonymous).ok());
  CHECK(transport.sent() == 2);
  // Another connection of a later run with the same credentials sends nothing either.
  PortalOptions later = Options();
  later.login_budget = std::make_shared<LoginBudget>(state.path(), "p", *later.account);
  CHECK_FALSE(later.login_budget->CheckRemembered().ok());
  CHECK(Connect(later).Call("POST", "x", "{}").status().code_retour() == 20003);
  CHECK(transport.sent() == 2);
}

TEST_CASE_FIXTURE(PortalFixture, "a tripped circuit breaker stops retries and new calls") {
  CircuitBreaker breaker(BreakerPolicy{3, seconds(0)}, clock);
  CallOptions options;
  options.breaker = &breaker;
  for (int i = 0; i < 5; ++i) transport.Push(Reply(502, ""));
  auto reply = Connect().Call("POST", "x", "{}", options);
  REQUIRE_FALSE(reply.ok());
  CHECK(transport.sent() == 3);  // the third failure tripped it: no fourth attempt
  CHECK(breaker.tripped());
  CHECK(reply.status().kind() == ErrorKind::kUnavailable);
  CHECK(reply.status().message().find("portal unreachable") != std::string::npos);
  CHECK(Connect().Call("POST", "x", "{}", options).status().message().find("portal unreachable") !=
        std::string::npos);
  CHECK(transport.sent() == 3);
}

TEST_CASE_FIXTURE(PortalFixture, "-v: every exchange and every retry reach the call observer, with the attempt") {
  std::vector<CallEvent> events;
  auto options = Options();
  options.on_call = [&](const CallEvent& e) { events.push_back(e); };  // the retries
  transport.Push(Reply(503, "", {{"Retry-After", "2"}}));
  transport.Push(OkEnvelope());
  // The exchanges: as a session wraps each transport.
  PortalConnection portal(options, tokens,
                          MakeObservingTransport(std::make_unique<FakeTransport>(wire),
                                                 [&](const CallEvent& e) { events.push_back(e); }, clock),
                          clock);
  REQUIRE(portal.Call("POST", "structures/v1/rechercher?q=1", "{}").ok());
  REQUIRE(events.size() == 3);
  CHECK(events[0].kind == CallEvent::Kind::kExchange);
  CHECK(events[0].http_status == 503);
  CHECK(events[0].attempt == 1);
  CHECK(events[0].path == "/cpro/structures/v1/rechercher");
  CHECK(events[1].kind == CallEvent::Kind::kRetry);
  CHECK(events[1].wait == seconds(2));
  CHECK(events[1].error.http_status() == 503);
  CHECK(events[2].http_status == 200);
  CHECK(events[2].attempt == 2);
  CHECK(CallEventLine(events[0]) == "POST /cpro/structures/v1/rechercher 503 0 ms (attempt 1)");
  CHECK(CallEventLine(events[1]).find("retry: POST /cpro/structures/v1/rechercher attempt 1 failed: ") == 0);
  CHECK(CallEventLine(events[1]).find("; next attempt in 2000 ms") != std::string::npos);
}

TEST_CASE("UrlPath keeps the path alone") {
  CHECK(UrlPath("https://api.piste.gouv.fr/cpro/structures/v1/rechercher?x=1#f") == "/cpro/structures/v1/rechercher");
  CHECK(UrlPath("http://127.0.0.1:8787") == "/");
  CHECK(UrlPath("/api/oauth/token") == "/api/oauth/token");
}

TEST_CASE_FIXTURE(PortalFixture, "PISTE's 401 for a refused password is final: no token refresh, remembered") {
  TempDir state;
  PortalOptions o = Options();
  o.login_budget = std::make_shared<LoginBudget>(state.path(), "qualif", *o.account);
  auto portal = Connect(o);
  transport.Push(Reply(401, R"({"message":"Unauthorized"})",
                       {{"WWW-Authenticate",
                         R"(Bearer realm="PISTE",error="Unauthorized",error_description="login or password incorrects")"}}));
  auto reply = portal.Call("POST", "x", "{}");
  REQUIRE_FALSE(reply.ok());
  CHECK(reply.status().kind() == ErrorKind::kUnauthenticated);
  CHECK(IsAccountRefusal(reply.status()));
  CHECK(transport.sent() == 1);
  CHECK(tokens->invalidations == 0);  // the token was fine
  CHECK(portal.Call("POST", "x", "{}").status().kind() == ErrorKind::kUnauthenticated);
  CHECK(transport.sent() == 1);  // not sent again, in this run or the next
  CHECK_FALSE(LoginBudget(state.path(), "qualif", *o.account).CheckRemembered().ok());
}

TEST_CASE("a 401's challenge says whether the token or the credentials were refused") {
  auto with = [](std::string challenge) {
    return ClassifyUnauthorized(Reply(401, "", {{"WWW-Authenticate", std::move(challenge)}}));
  };
  CHECK(ClassifyUnauthorized(Reply(401, "")) == Unauthorized::kToken);
  CHECK(with(R"(Bearer error="invalid_token")") == Unauthorized::kToken);
  CHECK(with(R"(Bearer realm="PISTE", error="invalid_token", error_description="expired")") == Unauthorized::kToken);
  CHECK(with(R"(Bearer realm="PISTE",error="Unauthorized",error_description="login or password incorrects")") ==
        Unauthorized::kCredentials);
  CHECK(with(R"(bearer ERROR=unauthorized)") == Unauthorized::kCredentials);
  CHECK(with(R"(Bearer error="invalid_request", error_description="bad password")") == Unauthorized::kCredentials);
}

TEST_CASE_FIXTURE(PortalFixture, "a 401 again after a new token refuses the credentials the call carried") {
  transport.Push(Reply(401, "", {{"WWW-Authenticate", R"(Bearer error="invalid_token")"}}));
  transport.Push(Reply(401, ""));
  auto with_account = Connect().Call("POST", "x", "{}");
  CHECK(transport.sent() == 2);
  CHECK(IsAccountRefusal(with_account.status()));
  CHECK(with_account.status().message().find("after fetching a new token") != std::string::npos);

  transport.Push(Reply(401, ""));
  transport.Push(Reply(401, ""));
  CallOptions anonymous;
  anonymous.with_account = false;
  auto without = Connect().Call("POST", "x", "{}", anonymous);
  CHECK(without.status().kind() == ErrorKind::kUnauthenticated);
  CHECK_FALSE(IsAccountRefusal(without.status()));  // no account was sent: not its fault
}

TEST_CASE_FIXTURE(PortalFixture, "a 401 or 403 with no portal answer says it came from the gateway") {
  for (int http : {401, 403}) {
    CAPTURE(http);
    transport.Push(Reply(http, ""));
    if (http == 401) transport.Push(Reply(http, "<html>denied</html>"));
    auto reply = Connect().Call("POST", "x", "{}");
    REQUIRE_FALSE(reply.ok());
    CHECK(ExitCodeFor(reply.status().kind()) == 4);
    CHECK(reply.status().http_status() == http);
    CHECK(reply.status().message().find("gateway") != std::string::npos);
    CHECK(reply.status().message().find(std::to_string(http)) != std::string::npos);
  }
}
