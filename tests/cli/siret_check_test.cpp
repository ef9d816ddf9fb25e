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
  CHECK(ok.err.find("valid: 3, invalid: 0") != std::string::npos);

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
  CHECK(r.err.find("valid: 4, invalid: 1, repeated: 1") != std::string::npos);
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

TEST_CASE("a Windows-1252 export from French Excel, --column \"N° SIRET\" typed in UTF-8") {
  ChorusRunner chorus;
  // Nom;N° SIRET with ° as 0xB0; no-break spaces (0xA0) inside a SIRET; Excel's damage.
  std::string csv = "Nom;N\xB0 SIRET\r\nGAEC du Pr\xE9;732\xA0" "829\xA0" "320\xA0" "00074\r\n;\r\n"
                    "EARL;=\"13000918600011\"\r\nSCEA;7,00079E+13\r\n";
  auto r = chorus.Run({"-o", "json", "siret", "check", "--from", "-", "--column", "N\xC2\xB0 SIRET"}, csv,
                      {"LC_ALL=C.UTF-8"});
  INFO(r.err);
  CHECK(r.exit_code == 1);
  auto doc = json::parse(r.out);
  REQUIRE(doc.size() == 3);
  CHECK(doc[0]["siret"] == "73282932000074");
  CHECK(doc[0]["input"] == "732\xC2\xA0" "829\xC2\xA0" "320\xC2\xA0" "00074");
  CHECK(doc[1]["siret"] == "13000918600011");
  CHECK(doc[2]["line"] == 5);
  CHECK(doc[2]["error"].get<std::string>().find("scientific notation") != std::string::npos);
  // Said once, on stderr.
  const std::string note = "stdin: read as Windows-1252 text";
  CHECK(r.err.find(note) != std::string::npos);
  CHECK(r.err.find(note) == r.err.rfind(note));
}

TEST_CASE("workbooks: .xlsx and .ods, the first sheet or --sheet") {
  ChorusRunner chorus;
  const std::string dir = std::string(CHORUS_SOURCE_DIR) + "/tests/fixtures/";
  for (const char* file : {"clients.xlsx", "clients.ods"}) {
    CAPTURE(file);
    auto r = chorus.Run({"-o", "json", "siret", "check", "--from", dir + file});
    INFO(r.err);
    CHECK(r.exit_code == 1);  // one SIRET was lost by Excel
    auto doc = json::parse(r.out);
    REQUIRE(doc.size() == 4);
    CHECK(doc[0]["line"] == 2);
    CHECK(doc[0]["siret"] == "73282932000074");
    CHECK(doc[1]["siret"] == "13000918600011");
    CHECK(doc[2]["line"] == 5);
    CHECK(doc[2]["valid"] == false);
    CHECK(doc[3]["duplicate_of"] == 2);
    CHECK(r.err.find("read as sheet \"Clients\"") != std::string::npos);

    auto archive = chorus.Run({"-o", "json", "siret", "check", "--from", dir + file, "--sheet", "Archive"});
    CHECK(archive.exit_code == 0);
    CHECK(json::parse(archive.out)[0]["siret"] == "82460382300025");
    auto missing = chorus.Run({"siret", "check", "--from", dir + file, "--sheet", "Feuil9"});
    CHECK(missing.exit_code == 2);
    CHECK(missing.err.find("no such sheet (the workbook has \"Clients\", \"Archive\")") != std::string::npos);
  }
}

TEST_CASE("a binary file that is not a workbook: exit 2 and save-as-CSV advice, never 'valid: 0, invalid: 0'") {
  ChorusRunner chorus;
  chorus::testing::WriteFile(chorus.dir.File("clients.xls"),
                             std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(512, '\0'));
  chorus::testing::WriteFile(chorus.dir.File("scan.pdf"), "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n");
  for (const char* file : {"clients.xls", "scan.pdf"}) {
    CAPTURE(file);
    auto r = chorus.Run({"siret", "check", "--from", chorus.dir.File(file)});
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("save it as CSV") != std::string::npos);
    CHECK(r.err.find("valid: 0") == std::string::npos);
  }
  // The bulk commands read it the same way, before anything is sent.
  REQUIRE(chorus.Run({"profile", "add", "p", "--sandbox", "http://127.0.0.1:9", "--login", "a@b.example",
                      "--password-cmd", "echo x"})
              .exit_code == 0);
  auto bulk = chorus.Run({"--yes", "attach", "request", "--from", chorus.dir.File("clients.xls")});
  CHECK(bulk.exit_code == 2);
  CHECK(bulk.err.find("save it as CSV") != std::string::npos);
  auto sheet = chorus.Run({"attach", "status", "--from", std::string(CHORUS_SOURCE_DIR) + "/tests/fixtures/clients.ods",
                           "--sheet", "Nope"});
  CHECK(sheet.exit_code == 2);
  CHECK(sheet.err.find("no such sheet") != std::string::npos);
}
