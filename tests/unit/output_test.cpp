// The output door (cmd/output.h) and the progress line (cmd/progress.h):
// tables that fit the terminal, colour that never shifts a column, the
// machine formats carrying the same fields in the same order (issue 13.4,
// 13.6, 13.10).
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>

#include "output.h"
#include "progress.h"
#include "support/process.h"

using namespace chorus::cli;
using chorus::testing::TempDir;
using nlohmann::json;

namespace {

const std::vector<Column> kColumns = {{"siret", "SIRET"},
                                      {"designation", "STRUCTURE"},
                                      {"hidden", "HIDDEN", false},
                                      {"ready", "READY"},
                                      {"next_step", "NEXT STEP"}};

std::vector<json> Records() {
  return {json{{"siret", "73282932000074"},
               {"designation", "GAEC des Grands Champs de la Beauce et du Perche"},
               {"hidden", 7},
               {"ready", false},
               {"next_step", "waiting for Jeanne Dupont <jeanne.dupont@ferme-des-grands-champs.example> to validate"}},
          json{{"siret", "35600000000048"}, {"designation", "La Poste"}, {"hidden", nullptr}, {"ready", true},
               {"next_step", nullptr}}};
}

std::string Render(OutputFormat format, PrintOptions options = {}, const std::vector<Column>& columns = kColumns) {
  std::ostringstream out;
  RecordPrinter printer(out, format, columns, options);
  for (const auto& r : Records()) printer.Print(r);
  printer.Finish();
  return out.str();
}

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

std::string StripColour(const std::string& s) { return std::regex_replace(s, std::regex("\x1b\\[[0-9;]*m"), ""); }

}  // namespace

TEST_CASE("a table fits the terminal by shortening its longest text columns with …; -o wide shows all") {
  for (int width : {60, 80, 100}) {
    CAPTURE(width);
    PrintOptions options;
    options.width = width;
    const auto lines = Lines(Render(OutputFormat::kTable, options));
    REQUIRE(lines.size() == 3);
    for (const auto& line : lines) CHECK(DisplayWidth(line) <= static_cast<std::size_t>(width));
    CHECK(lines[1].find("…") != std::string::npos);            // the long cells were cut...
    CHECK(lines[1].find("73282932000074") != std::string::npos);  // ...never the short ones
    CHECK(lines[0].find("HIDDEN") == std::string::npos);
  }
  const std::string wide = Render(OutputFormat::kWide, PrintOptions{.width = 60});
  CHECK(wide.find("…") == std::string::npos);
  CHECK(wide.find("HIDDEN") != std::string::npos);
  CHECK(wide.find("jeanne.dupont@ferme-des-grands-champs.example> to validate") != std::string::npos);
  // No terminal width: nothing is cut.
  CHECK(Render(OutputFormat::kTable).find("…") == std::string::npos);
}

TEST_CASE("colour never breaks alignment: columns start at the same place with and without it") {
  const std::vector<Column> doctor = {
      {"check", "CHECK"},
      {"result", "RESULT", true, [](const json& v) { return v == "ok" ? Emphasis::kGood : Emphasis::kBad; }},
      {"detail", "DETAIL"}};
  std::ostringstream plain_out, colour_out;
  for (auto* out : {&plain_out, &colour_out}) {
    RecordPrinter printer(*out, OutputFormat::kTable, doctor, PrintOptions{.color = out == &colour_out});
    printer.Print(json{{"check", "config"}, {"result", "ok"}, {"detail", "found"}});
    printer.Print(json{{"check", "password_expiry"}, {"result", "fail"}, {"detail", "expired"}});
    printer.Finish();
  }
  CHECK(colour_out.str() != plain_out.str());  // it is coloured...
  CHECK(colour_out.str().find("\x1b[31mfail\x1b[0m") != std::string::npos);
  CHECK(StripColour(colour_out.str()) == plain_out.str());  // ...and lines up the same
  const auto lines = Lines(plain_out.str());
  REQUIRE(lines.size() == 3);
  CHECK(lines[1].find("found") == lines[0].find("DETAIL"));
  CHECK(lines[2].find("expired") == lines[0].find("DETAIL"));
}

TEST_CASE("tsv, csv, json and ndjson carry the same fields in the same order; booleans true/false") {
  const auto csv = Lines(Render(OutputFormat::kCsv));
  REQUIRE(csv.size() == 3);
  CHECK(csv[0] == "siret,designation,hidden,ready,next_step\r");
  CHECK(csv[2] == "35600000000048,La Poste,,true,\r");
  const auto tsv = Lines(Render(OutputFormat::kTsv));
  REQUIRE(tsv.size() == 2);
  CHECK(tsv[1] == "35600000000048\tLa Poste\t\ttrue\t");
  const auto ndjson = Lines(Render(OutputFormat::kNdjson));
  CHECK(ndjson[1] ==
        R"({"siret":"35600000000048","designation":"La Poste","hidden":null,"ready":true,"next_step":null})");
  // A field no column declares is in no format.
  std::ostringstream out;
  RecordPrinter printer(out, OutputFormat::kJson, {{"a", "A"}}, {});
  printer.Print(json{{"a", 1}, {"b", 2}});
  printer.Finish();
  CHECK(json::parse(out.str()) == json::parse(R"([{"a":1}])"));
}

TEST_CASE("--csv-excel: ';' separator, a UTF-8 BOM, CRLF") {
  const std::string excel = Render(OutputFormat::kCsv, PrintOptions{.excel = true});
  CHECK(excel.rfind("\xEF\xBB\xBFsiret;designation;hidden;ready;next_step\r\n", 0) == 0);
  CHECK(excel.find("35600000000048;La Poste;;true;\r\n") != std::string::npos);
  // A cell holding the separator is quoted.
  std::ostringstream out;
  RecordPrinter printer(out, OutputFormat::kCsv, {{"a", "A"}}, PrintOptions{.excel = true});
  printer.Print(json{{"a", "x;y"}});
  printer.Finish();
  CHECK(out.str() == "\xEF\xBB\xBF" "a\r\n\"x;y\"\r\n");
}

TEST_CASE("the progress line fits any width, never wraps, and shows done, already, failed and retrying") {
  ProgressView view;
  view.counts.total = 2000;
  view.counts.done = 502;
  view.counts.failed = 2;
  view.counts.retrying = 3;
  view.already = 12;
  view.seconds = 10;
  const std::string wide = ProgressLine(view, 200);
  CHECK(wide.find("[#") == 0);
  CHECK(wide.find("504/2000") != std::string::npos);
  CHECK(wide.find("490 done") != std::string::npos);
  CHECK(wide.find("12 already") != std::string::npos);
  CHECK(wide.find("2 failed") != std::string::npos);
  CHECK(wide.find("3 retrying") != std::string::npos);
  CHECK(wide.find("ETA") != std::string::npos);
  for (int width = 10; width <= 200; ++width) {
    CAPTURE(width);
    const std::string line = ProgressLine(view, width);
    CHECK(DisplayWidth(line) <= static_cast<std::size_t>(width - 1));
    CHECK(line.find('\n') == std::string::npos);
  }
  // Narrow: the bar and the rate give way before the counts.
  const std::string narrow = ProgressLine(view, 70);
  CHECK(narrow.find("3 retrying") != std::string::npos);
  CHECK(narrow.find("/s") == std::string::npos);
  CHECK(ProgressLine(view, 0).size() > 0);  // unknown width: 80
}

TEST_CASE("--progress ndjson events") {
  ProgressView view;
  view.counts.total = 10;
  view.counts.done = 4;
  view.counts.from_journal = 2;
  view.counts.failed = 1;
  view.already = 3;  // 1 said already by the portal, 2 from the journal
  view.seconds = 1.5;
  const json event = json::parse(ProgressEvent(view, false));
  CHECK(event == json{{"event", "progress"}, {"total", 10},      {"done", 3},         {"already", 3},
                      {"failed", 1},         {"retrying", 0},    {"interrupted", 0},  {"elapsed_ms", 1500}});
  CHECK(json::parse(ProgressEvent(view, true))["event"] == "end");
}

#ifdef CHORUS_HAVE_XLSX
TEST_CASE("-o xlsx: a workbook on the stream once finished; nothing, and no temporary file, when not") {
  TempDir tmp;
  setenv("TMPDIR", tmp.path().c_str(), 1);
  std::ostringstream out;
  {
    RecordPrinter printer(out, OutputFormat::kXlsx, kColumns, {});
    for (const auto& r : Records()) printer.Print(r);
    printer.Finish();
  }
  CHECK(out.str().rfind("PK\x03\x04", 0) == 0);  // a zip: the workbook
  CHECK(out.str().size() > 1000);
  std::ostringstream failed;
  {
    RecordPrinter printer(failed, OutputFormat::kXlsx, kColumns, {});
    printer.Print(Records()[0]);
  }  // a command that failed never finishes its printer
  CHECK(failed.str().empty());
  CHECK(std::filesystem::is_empty(tmp.path()));  // both temporary files are gone
  unsetenv("TMPDIR");
}
#endif
