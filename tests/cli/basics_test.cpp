// The command frame: version, usage errors, output formats, colour.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "cli_support.h"

using chorus::testing::ChorusRunner;
using nlohmann::json;

TEST_CASE("--version prints the version and exits 0") {
  ChorusRunner chorus;
  auto r = chorus.Run({"--version"});
  CHECK(r.exit_code == 0);
  CHECK(r.out.rfind("chorus ", 0) == 0);
}

TEST_CASE("usage errors exit 2") {
  ChorusRunner chorus;
  CHECK(chorus.Run({"no-such-command"}).exit_code == 2);
  CHECK(chorus.Run({"siret", "check", "--no-such-flag"}).exit_code == 2);
  CHECK(chorus.Run({"-o", "yaml", "siret", "check", "73282932000074"}).exit_code == 2);
  CHECK(chorus.Run({"--color", "sometimes", "siret", "check", "73282932000074"}).exit_code == 2);
  auto help = chorus.Run({"--help"});
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("EXIT STATUS") != std::string::npos);
}

TEST_CASE("output defaults to tsv when stdout is not a terminal; other formats on request") {
  ChorusRunner chorus;
  auto tsv = chorus.Run({"siret", "check", "73282932000074"});
  CHECK(tsv.exit_code == 0);
  CHECK(tsv.out == "1\t73282932000074\t73282932000074\ttrue\t\t\n");  // booleans: true/false

  auto csv = chorus.Run({"-o", "csv", "siret", "check", "73282932000074"});
  CHECK(csv.out == "line,input,siret,valid,error,duplicate_of\r\n1,73282932000074,73282932000074,true,,\r\n");

  auto table = chorus.Run({"siret", "check", "-o", "table", "73282932000074"});
  CHECK(table.out.rfind("LINE  INPUT", 0) == 0);
  CHECK(table.out.find("\x1b[") == std::string::npos);  // not a terminal: no colour

  auto forced = chorus.Run({"--color", "always", "-o", "table", "siret", "check", "73282932000074"});
  CHECK(forced.out.find("\x1b[1m") != std::string::npos);
  auto env_forced = chorus.Run({"-o", "table", "siret", "check", "73282932000074"}, "",
                               {"CLICOLOR_FORCE=1"});
  CHECK(env_forced.out.find("\x1b[1m") != std::string::npos);
  auto no_color = chorus.Run({"-o", "table", "siret", "check", "73282932000074"}, "",
                             {"CLICOLOR_FORCE=1", "NO_COLOR=1"});
  CHECK(no_color.out.find("\x1b[") == std::string::npos);

  auto ndjson = chorus.Run({"-o", "ndjson", "siret", "check", "73282932000074", "35600000049837"});
  auto first = ndjson.out.find('\n');
  REQUIRE(first != std::string::npos);
  CHECK(json::parse(ndjson.out.substr(0, first))["siret"] == "73282932000074");
  CHECK(json::parse(ndjson.out.substr(first + 1))["siret"] == "35600000049837");
}
