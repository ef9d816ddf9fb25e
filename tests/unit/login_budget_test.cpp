#include <doctest/doctest.h>
#include <sys/stat.h>

#include "chorus/circuit_breaker.h"
#include "chorus/login_budget.h"
#include "chorus/portal.h"
#include "support/fakes.h"
#include "support/process.h"

using namespace chorus;
using namespace chorus::testing;
using std::chrono::seconds;

namespace {

Status Refusal(int code) {
  return Status(ErrorKind::kPermissionDenied, "Identifiants invalides").set_http_status(403).set_envelope(code, "X");
}

}  // namespace

TEST_CASE("login budget: which answers refuse the credentials") {
  CHECK(IsAccountRefusal(Refusal(20003)));
  CHECK(IsAccountRefusal(Refusal(20004)));
  CHECK(IsAccountRefusal(Refusal(20005)));
  CHECK_FALSE(IsAccountRefusal(Refusal(20001)));  // no header: a bug, not a password
  CHECK_FALSE(IsAccountRefusal(Status(ErrorKind::kPermissionDenied, "no").set_http_status(403)));
  CHECK_FALSE(IsAccountRefusal(OkStatus()));
}

TEST_CASE("login budget: a refusal is remembered under a keyed hash, for the same secret only") {
  TempDir state;
  const std::string dir = state.File("chorus");
  AccountCredentials wrong{"marie@cg.example", "wrong-password-1"};
  {
    LoginBudget budget(dir, "farm", wrong);
    CHECK(budget.CheckRemembered().ok());
    CHECK(budget.CheckThisRun().ok());
    REQUIRE(budget.Refused(Refusal(20003)).ok());
    CHECK_FALSE(budget.CheckThisRun().ok());
  }
  // On disk: 0600, and neither the password nor the login in clear.
  struct stat st {};
  REQUIRE(stat((dir + "/refused-logins").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  REQUIRE(stat((dir + "/login-budget.key").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  const std::string stored = ReadFile(dir + "/refused-logins");
  CHECK(stored.find("wrong-password-1") == std::string::npos);
  CHECK(stored.find("marie") == std::string::npos);

  LoginBudget later(dir, "farm", wrong);
  Status remembered = later.CheckRemembered();
  REQUIRE_FALSE(remembered.ok());
  CHECK(remembered.kind() == ErrorKind::kUnauthenticated);
  CHECK(remembered.code_retour() == 20003);
  CHECK(remembered.message().find("marie@cg.example") != std::string::npos);
  CHECK(remembered.message().find("\"farm\"") != std::string::npos);
  CHECK(remembered.message().find("5 failed logins") != std::string::npos);
  CHECK(remembered.details().count("refused_at") == 1);
  CHECK_FALSE(later.CheckThisRun().ok());

  // Another password, another profile: not the same secret.
  CHECK(LoginBudget(dir, "farm", {"marie@cg.example", "new-password"}).CheckRemembered().ok());
  CHECK(LoginBudget(dir, "other", wrong).CheckRemembered().ok());
}

TEST_CASE("login budget: a successful login forgets the refusals of its profile and login") {
  TempDir state;
  const std::string dir = state.File("chorus");
  LoginBudget(dir, "farm", {"m@x.fr", "old"}).Refused(Refusal(20003));
  LoginBudget(dir, "other", {"o@x.fr", "pw"}).Refused(Refusal(20005));
  LoginBudget(dir, "farm", {"m@x.fr", "new"}).Accepted();
  CHECK(LoginBudget(dir, "farm", {"m@x.fr", "old"}).CheckRemembered().ok());
  CHECK_FALSE(LoginBudget(dir, "other", {"o@x.fr", "pw"}).CheckRemembered().ok());
}

TEST_CASE("login budget: an unreadable store never blocks a login") {
  TempDir state;
  const std::string dir = state.File("chorus");
  REQUIRE(::mkdir(dir.c_str(), 0700) == 0);
  WriteFile(dir + "/refused-logins", "garbage line\n\n", 0600);
  CHECK(LoginBudget(dir, "farm", {"m@x.fr", "pw"}).CheckRemembered().ok());
}

TEST_CASE("circuit breaker: trips after N consecutive outages, or after a long failing streak") {
  FakeClock clock;
  int trips = 0;
  CircuitBreaker breaker(BreakerPolicy{3, seconds(60)}, clock, [&](const Status&) { ++trips; });
  const Status down = Status(ErrorKind::kUnavailable, "could not connect");
  breaker.RecordFailure(down);
  breaker.RecordFailure(down);
  breaker.RecordSuccess();  // an answer ends the streak
  breaker.RecordFailure(down);
  breaker.RecordFailure(down);
  CHECK_FALSE(breaker.tripped());
  breaker.RecordFailure(down);
  CHECK(breaker.tripped());
  CHECK(trips == 1);
  CHECK(breaker.reason().kind() == ErrorKind::kUnavailable);
  CHECK(breaker.reason().message().find("portal unreachable") != std::string::npos);
  breaker.RecordFailure(down);
  CHECK(trips == 1);  // told once

  CircuitBreaker slow(BreakerPolicy{0, seconds(60)}, clock);
  slow.RecordFailure(down);
  clock.Advance(seconds(59));
  slow.RecordFailure(down);
  CHECK_FALSE(slow.tripped());
  clock.Advance(seconds(1));
  slow.RecordFailure(down);
  CHECK(slow.tripped());

  CHECK(CircuitBreaker::IsOutage(Status(ErrorKind::kUnavailable, "x").set_http_status(502)));
  CHECK(CircuitBreaker::IsOutage(Status(ErrorKind::kDeadlineExceeded, "timed out")));
  CHECK_FALSE(CircuitBreaker::IsOutage(Status(ErrorKind::kResourceExhausted, "429").set_http_status(429)));
  CHECK_FALSE(CircuitBreaker::IsOutage(Refusal(20003)));
}
