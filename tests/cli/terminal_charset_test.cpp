// A terminal whose locale is not UTF-8 gets its own charset; pipes keep
// UTF-8 (cmd/terminal_charset.h).
#include <doctest/doctest.h>

#include <chrono>
#include <string>

#include "cli_support.h"
#include "terminal_run.h"

using chorus::testing::ChorusRunner;
using chorus::testing::TerminalRun;

TEST_CASE("in a Latin-1 terminal, output is Latin-1; piped, it stays UTF-8") {
  ChorusRunner chorus;
  // "7300é" typed in Latin-1: an invalid SIRET that chorus echoes back.
  const std::string typed = "7300\xe9";
  const std::vector<std::string> latin1 = {"LC_ALL=fr_FR.ISO-8859-1", "LANGUAGE=en"};
  TerminalRun run(chorus, {"siret", "check", typed}, std::nullopt, latin1);
  CHECK(run.Wait(std::chrono::seconds(20)) == 1);
  INFO(run.output());
  CHECK(run.output().find("7300\xe9") != std::string::npos);    // é as the terminal shows it
  CHECK(run.output().find("\xc3\xa9") == std::string::npos);    // no UTF-8 é ("Ã©")

  auto piped = chorus.Run({"siret", "check", typed}, "", latin1);
  CHECK(piped.out.find("7300\xc3\xa9") != std::string::npos);  // UTF-8 for programs
  CHECK(piped.out.find("7300\xe9") == std::string::npos);

  // A UTF-8 terminal gets UTF-8 as before.
  TerminalRun utf8(chorus, {"siret", "check", "7300\xc3\xa9"}, std::nullopt, {"LC_ALL=C.UTF-8"});
  CHECK(utf8.Wait(std::chrono::seconds(20)) == 1);
  CHECK(utf8.output().find("7300\xc3\xa9") != std::string::npos);
}
