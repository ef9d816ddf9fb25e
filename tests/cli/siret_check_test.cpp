// chorus siret check against arguments, files and stdin.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "cli_support.h"

using chorus::testing::ChorusRunner;
using nlohmann::json;

TEST_CASE("valid SIRETs exit 0, any invalid exits 1 with the reason") {
  ChorusRunner chorus;
  auto ok = chorus.Run({"-o", "json", "siret", "check", "73282932000074", "356 000 000 49837",
                        "35600000000048"});
  CHECK(ok.exit_code == 0);
  auto doc = json::parse(ok.out);
  REQUIRE(doc.size() == 3);
  for (const auto& item : doc) CHECK(item["valid"] == true);
  CHECK(doc[1]["siret"] == "35600000049837");
  CHECK(ok.err.find("3 valid, 0 invalid") != std::string::npos);

  auto bad = chorus.Run({"-o", "json", "siret", "check", "73282932000074", "35600000049838"});
  CHECK(bad.exit_code == 1);
  auto bad_doc = json::parse(bad.out);
  CHECK(bad_doc[1]["valid"] == false);
  CHECK(bad_doc[1]["error"].get<std::string>().find("La Poste") != std::string::npos);
}

TEST_CASE("--from a spreadsheet export, with line numbers and duplicates") {
  ChorusRunner chorus;
  auto r = chorus.Run({"-o", "json", "siret", "check", "--from",
                       std::string(CHORUS_SOURCE_DIR) + "/examples/clients.csv"});
  CHECK(r.exit_code == 1);
  auto doc = json::parse(r.out);
  REQUIRE(doc.size() == 5);
  CHECK(doc[0]["line"] == 2);
  CHECK(doc[0]["siret"] == "73282932000074");
  CHECK(doc[3]["line"] == 5);
  CHECK(doc[3]["valid"] == false);
  CHECK(doc[4]["duplicate_of"] == 2);
  CHECK(r.err.find("4 valid, 1 invalid, 1 duplicate") != std::string::npos);
}

TEST_CASE("stdin with - or --from -, CRLF and BOM") {
  ChorusRunner chorus;
  std::string input = "\xEF\xBB\xBF" "73282932000074\r\n\r\n35600000000048\r\n";
  auto dash = chorus.Run({"-o", "ndjson", "siret", "check", "-"}, input);
  CHECK(dash.exit_code == 0);
  CHECK(dash.out.find("\"line\":3") != std::string::npos);
  auto from = chorus.Run({"-o", "ndjson", "siret", "check", "--from", "-"}, input);
  CHECK(from.out == dash.out);
}

TEST_CASE("input problems are usage errors") {
  ChorusRunner chorus;
  auto missing = chorus.Run({"siret", "check", "--from", chorus.dir.File("nope.csv")});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("nope.csv") != std::string::npos);
  auto nothing = chorus.Run({"siret", "check"});
  CHECK(nothing.exit_code == 2);
  auto column = chorus.Run({"siret", "check", "--from", "-", "--column", "code"}, "a;b\n1;2\n");
  CHECK(column.exit_code == 2);
  CHECK(column.err.find("\"a\", \"b\"") != std::string::npos);
}
