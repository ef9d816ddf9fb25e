#include <doctest/doctest.h>

#include <sstream>
#include <thread>

#include "chorus/token.h"
#include "chorus/trace.h"
#include "support/fakes.h"

using namespace chorus;
using namespace chorus::testing;

namespace {

bool Contains(const std::string& haystack, std::string_view needle) {
  return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("secret field names") {
  for (std::string name : {"motDePasse", "nouveauMotDePasse", "password", "Password", "reponseSecrete",
                           "client_secret", "clientSecret", "access_token", "refresh_token",
                           "jetonActivation", "id_token"}) {
    CAPTURE(name);
    CHECK(IsSecretFieldName(name));
  }
  for (std::string name : {"login", "siret", "questionSecrete", "dateExpirationMotPasseCompteTech",
                           "client_id", "token_type", "expires_in", "libelle"}) {
    CAPTURE(name);
    CHECK_FALSE(IsSecretFieldName(name));
  }
}

TEST_CASE("header redaction") {
  CHECK(RedactHeaderValue("Authorization", "Bearer abc.def") == "Bearer ***REDACTED***");
  CHECK(RedactHeaderValue("authorization", "abc") == "***REDACTED***");
  CHECK(RedactHeaderValue("CPRO-ACCOUNT", "dXNlcjpwdw==") == "***REDACTED***");
  CHECK(RedactHeaderValue("Content-Type", "application/json") == "application/json");
}

TEST_CASE("JSON body redaction, nested, keeping field order") {
  std::string body = RedactBody(
      R"({"login":"a@b.fr","motDePasse":"pw1","compte":{"reponseSecrete":"chat","questionSecrete":"animal ?"},)"
      R"("liste":[{"password":"pw2"},{"jetonActivation":"jt-value"}],"access_token":"tok-value","client_secret":"cs-value","n":3})");
  for (std::string secret : {"pw1", "pw2", "chat", "jt-value", "tok-value", "cs-value"}) {
    CAPTURE(secret);
    CHECK_FALSE(Contains(body, secret));
  }
  CHECK(Contains(body, R"("motDePasse":"***REDACTED***")"));
  CHECK(Contains(body, "a@b.fr"));
  CHECK(Contains(body, "animal ?"));
  CHECK(body.find("login") < body.find("motDePasse"));
}

TEST_CASE("form body redaction") {
  CHECK(RedactBody("grant_type=client_credentials&client_id=id&client_secret=s%26x&scope=openid") ==
        "grant_type=client_credentials&client_id=id&client_secret=***REDACTED***&scope=openid");
  CHECK(RedactBody("login=a&password=pw") == "login=a&password=***REDACTED***");
  CHECK(RedactBody("plain text, not a form") == "plain text, not a form");
}

TEST_CASE("known secret values are replaced as whole tokens; long ones anywhere") {
  CHECK(RedactSecrets("x hunter2 y hunter2", {"hunter2"}) == "x ***REDACTED*** y ***REDACTED***");
  CHECK(RedactSecrets("abcdef", {"abc", "abcdef", ""}) == "***REDACTED***");
  CHECK(RedactSecrets("nothing", {}) == "nothing");
  // A short or common value is never masked inside a word, a flag or a path (issue 13.8).
  const std::vector<std::string> sandbox = {"sandbox"};
  CHECK(RedactSecrets("chorus profile add NAME --sandbox URL", sandbox) == "chorus profile add NAME --sandbox URL");
  CHECK(RedactSecrets("cat ~/.config/chorus/sandbox.secret", sandbox) == "cat ~/.config/chorus/sandbox.secret");
  CHECK(RedactSecrets("http://sandbox.example/cpro sandboxes chorus-sandbox", sandbox) ==
        "http://sandbox.example/cpro sandboxes chorus-sandbox");
  // ...but as a token of its own, in a message or a form, it is.
  CHECK(RedactSecrets("the secret is sandbox.", sandbox) == "the secret is ***REDACTED***.");
  CHECK(RedactSecrets("client_secret=sandbox&x=1", sandbox) == "client_secret=***REDACTED***&x=1");
  CHECK(RedactSecrets("\"motDePasse\": \"sandbox\"", sandbox) == "\"motDePasse\": \"***REDACTED***\"");
  // A long secret is masked wherever it is, inside other text too.
  const std::string token = "eyJhbGciOiJIUzI1NiJ9abcdef";
  CHECK(RedactSecrets("Bearer" + token + "xyz", {token}) == "Bearer***REDACTED***xyz");
}

TEST_CASE("the tracing transport shows requests and responses with every secret redacted") {
  std::ostringstream out;
  auto tracer = Tracer::ToStream(out);
  tracer->AddSecret("value-only-known-to-the-tracer");
  FakeClock clock;
  auto inner = std::make_unique<FakeTransport>();
  auto wire = inner->shared();
  wire->on_send = [&clock](const HttpRequest&) { clock.Advance(std::chrono::milliseconds(42)); };
  FakeTransport control(wire);
  control.Push(Reply(200, R"({"access_token":"eyJhbGci.secret.token","expires_in":3600})"));
  control.Push(Reply(200, R"({"codeRetour":0,"libelle":"OK","echo":"value-only-known-to-the-tracer"})",
                     {{"Set-Cookie", "session=abc"}}));
  control.Push(Status(ErrorKind::kUnavailable, "connection refused"));
  auto traced = MakeTracingTransport(std::move(inner), tracer, clock);

  HttpRequest token_request;
  token_request.url = "https://oauth.example/api/oauth/token";
  token_request.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  token_request.body = ClientCredentialsFormBody({"", "the-id", "the-client-secret", "openid"});
  REQUIRE(traced->Send(token_request).ok());

  HttpRequest api_request;
  api_request.url = "https://api.example/cpro/utilisateurs/v1/activer";
  api_request.headers = {{"Authorization", "Bearer eyJhbGci.secret.token"},
                         {"cpro-account", "bG9naW46cGFzc3dvcmQ="},
                         {"Content-Type", "application/json;charset=utf-8"}};
  api_request.body =
      R"({"jetonActivation":"J-123","motDePasse":"Pw!1","reponseSecrete":"Rex","password":"P2"})";
  REQUIRE(traced->Send(api_request).ok());
  CHECK_FALSE(traced->Send(api_request).ok());

  const std::string trace = out.str();
  for (std::string secret : {"the-client-secret", "eyJhbGci", "bG9naW46cGFzc3dvcmQ=", "J-123", "Pw!1",
                             "Rex", "\"P2\"", "session=abc", "value-only-known-to-the-tracer"}) {
    CAPTURE(secret);
    CHECK_FALSE(Contains(trace, secret));
  }
  CHECK(Contains(trace, "> POST https://oauth.example/api/oauth/token"));
  CHECK(Contains(trace, "client_id=the-id"));
  CHECK(Contains(trace, "> Authorization: Bearer ***REDACTED***"));
  CHECK(Contains(trace, "< HTTP 200 (42 ms)"));
  CHECK(Contains(trace, "< error (42 ms): unavailable: connection refused"));
}

TEST_CASE("concurrent writes are not interleaved") {
  std::string all;
  Tracer tracer([&all](std::string_view text) {
    for (char c : text) all += c;  // slow, char by char: interleaving would show
  });
  std::vector<std::thread> threads;
  for (char c = 'a'; c < 'e'; ++c) {
    threads.emplace_back([&tracer, c] {
      for (int i = 0; i < 50; ++i) tracer.Write(std::string(20, c) + "\n");
    });
  }
  for (auto& t : threads) t.join();
  size_t lines = 0;
  for (size_t start = 0; start < all.size(); start += 21, ++lines) {
    CHECK(all.substr(start, 20) == std::string(20, all[start]));
  }
  CHECK(lines == 200);
}
