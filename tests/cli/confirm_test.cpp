// Point 7 of issue 13: a confirmation says who (profile, login), where (the
// environment) and what changes; with the data on stdin (--from -) it is
// asked on the terminal.
#include <doctest/doctest.h>

#include "cli_support.h"
#include "sandbox_world.h"
#include "terminal_run.h"

using chorus::testing::SandboxWorld;
using chorus::testing::TerminalRun;
using std::chrono::seconds;

namespace {
const std::string kDemander = "utilisateurs/v1/monCompte/demander/rattachement";
}

TEST_CASE("confirmations name the profile, login, environment and the change; --from - asks on /dev/tty") {
  SandboxWorld w(4);
  const std::string login = w.accounts[0]["login"];
  w.AddProfile("marie", login, w.accounts[0]["password"]);
  const std::string farm1 = w.accounts[1]["siret"], farm2 = w.accounts[2]["siret"], own = w.accounts[0]["siret"];

  // Off a terminal, --yes is needed; the refusal says what would have been asked.
  auto request = w.chorus.Run({"attach", "request", farm1});
  CHECK(request.exit_code == 2);
  CHECK(request.err.find("About to send 1 attachment request,") != std::string::npos);
  CHECK(request.err.find("profile:     marie") != std::string::npos);
  CHECK(request.err.find("login:       " + login) != std::string::npos);
  CHECK(request.err.find("environment: sandbox (" + w.sandbox.url() + "/cpro)") != std::string::npos);
  CHECK(w.Calls(kDemander) == 0);

  // The change itself: before → after.
  auto edit = w.chorus.Run({"structure", "edit", own, "--centre-de-gestion"});
  CHECK(edit.exit_code == 2);
  CHECK(edit.err.find("centre de gestion agricole: no → yes") != std::string::npos);
  auto dry = w.chorus.Run({"--dry-run", "structure", "edit", own, "--centre-de-gestion", "--close-space",
                           "demande-remboursement-tic"});
  CHECK(dry.exit_code == 0);
  CHECK(dry.err.find("centre de gestion agricole: no → yes") != std::string::npos);
  CHECK(dry.err.find("space DEMANDE_REMBOURSEMENT_TIC: ") != std::string::npos);
  CHECK(dry.err.find("Dry run, nothing was changed.") != std::string::npos);

  // The SIRETs on stdin, the question on the terminal.
  {
    TerminalRun run(w.chorus, {"attach", "request", "--from", "-"}, "siret\n" + farm2 + "\n");
    REQUIRE(run.WaitFor("[y/N]", seconds(20)));
    CHECK(run.output().find("About to send 1 attachment request,") != std::string::npos);
    CHECK(run.output().find(login) != std::string::npos);
    run.Type("y\n");
    CHECK(run.Wait(seconds(30)) == 0);
  }
  CHECK(w.Calls(kDemander) == 1);
  // In French the question says [o/N], and "OUI" answers it, in any case.
  {
    TerminalRun run(w.chorus, {"attach", "request", farm1}, std::nullopt, {"LC_ALL=", "LANG=fr_FR.UTF-8"});
    REQUIRE(run.WaitFor("[o/N]", seconds(20)));
    CHECK(run.output().find("Vous allez envoyer 1 demande de rattachement") != std::string::npos);
    run.Type("OUI\n");
    CHECK(run.Wait(seconds(30)) == 0);
  }
  CHECK(w.Calls(kDemander) == 2);
  // ...and without a terminal to ask on, --yes.
  auto piped = w.chorus.Run({"attach", "request", "--from", "-"}, "siret\n" + farm1 + "\n");
  CHECK(piped.exit_code == 2);
  CHECK(piped.err.find("stdin is the data") != std::string::npos);
  CHECK(w.Calls(kDemander) == 2);
}
