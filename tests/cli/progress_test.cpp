// A bulk run's progress (issue 13.6): on a terminal, a line redrawn in place
// ("\r" ... ESC[K) that never exceeds the terminal's width, whatever it is,
// and counts done, already, failed and retrying; --progress ndjson gives
// wrappers one JSON event a line on stderr.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <sstream>

#include "cli_support.h"
#include "sandbox_world.h"
#include "terminal_run.h"

using chorus::testing::NdjsonLines;
using chorus::testing::SandboxWorld;
using chorus::testing::TerminalRun;
using nlohmann::json;
using std::chrono::seconds;

namespace {

// Code points, as the terminal counts columns (the text is ASCII and "·…").
std::size_t Columns(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

// The progress redraws a terminal saw: what each "\r" wrote before ESC[K.
std::vector<std::string> Redraws(const std::string& output) {
  std::vector<std::string> out;
  static const std::regex redraw("\r([^\r\n\x1b]+)\x1b\\[K");
  for (auto it = std::sregex_iterator(output.begin(), output.end(), redraw); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1]);
  return out;
}

struct World : SandboxWorld {
  World() : SandboxWorld(60, {"--latency", "15"}) {
    AddProfile("p", accounts[0]["login"], accounts[0]["password"]);
    std::string list;
    for (const auto& a : accounts) list += a["siret"].get<std::string>() + "\n";
    chorus::testing::WriteFile(sirets(), list);
  }
  std::string sirets() const { return chorus.dir.File("sirets.txt"); }
};

}  // namespace

TEST_CASE("the progress bar redraws in place and fits the terminal at any width") {
  World w;
  for (int columns : {30, 50, 120}) {
    CAPTURE(columns);
    TerminalRun run(w.chorus, {"-o", "ndjson", "attach", "status", "--from", w.sirets(), "--concurrency", "2"},
                    std::nullopt, {"COLUMNS=" + std::to_string(columns)});
    REQUIRE(run.Wait(std::chrono::milliseconds(30000)) == 0);
    const auto redraws = Redraws(run.output());
    INFO(run.output());
    CHECK(redraws.size() >= 2);
    for (const auto& line : redraws) CHECK(Columns(line) <= static_cast<std::size_t>(columns - 1));
    if (columns == 120) {
      const std::string& last = redraws.back();
      CHECK(last.find("[#") == 0);
      CHECK(last.find(" done") != std::string::npos);
      CHECK(last.find(" already") != std::string::npos);
      CHECK(last.find(" failed") != std::string::npos);
      CHECK(last.find(" retrying") != std::string::npos);
    }
  }
  // Not a terminal: no bar.
  auto piped = w.chorus.Run({"-o", "ndjson", "attach", "status", "--from", w.sirets()});
  CHECK(piped.err.find("\x1b[K") == std::string::npos);
}

TEST_CASE("--progress ndjson: machine-readable progress events on stderr, stdout untouched") {
  World w;
  auto run = w.chorus.Run(
      {"--progress", "ndjson", "-o", "ndjson", "attach", "status", "--from", w.sirets(), "--concurrency", "2"});
  INFO(run.err);
  REQUIRE(run.exit_code == 0);
  CHECK(NdjsonLines(run.out).size() == 60);
  std::vector<json> events;
  std::istringstream err(run.err);
  for (std::string line; std::getline(err, line);)
    if (line.rfind("{\"event\"", 0) == 0) events.push_back(json::parse(line));
  REQUIRE(events.size() >= 2);
  // Their fields are those of docs/output.md, "Progress events", in order.
  const std::string doc = chorus::testing::ReadFile(std::string(CHORUS_SOURCE_DIR) + "/docs/output.md");
  const std::string section = doc.substr(doc.find("## Progress events"), doc.find("## `chorus siret check`") - doc.find("## Progress events"));
  std::vector<std::string> documented;
  static const std::regex row(R"(\n\| `([a-z_]+)` \|)");
  for (auto it = std::sregex_iterator(section.begin(), section.end(), row); it != std::sregex_iterator(); ++it)
    documented.push_back((*it)[1]);
  std::string last_line;
  for (std::istringstream again(run.err); std::getline(again, last_line);)
    if (last_line.rfind("{\"event\":\"end\"", 0) == 0) break;
  std::vector<std::string> printed;
  const auto end_event = nlohmann::ordered_json::parse(last_line);
  for (const auto& [key, value] : end_event.items()) printed.push_back(key);
  CHECK(printed == documented);
  for (const auto& e : events) {
    CHECK(e["total"] == 60);
    for (const char* key : {"done", "already", "failed", "retrying", "interrupted", "elapsed_ms"})
      CHECK(e[key].is_number_unsigned());
  }
  CHECK(events.front()["event"] == "progress");
  CHECK(events.back()["event"] == "end");
  CHECK(events.back()["done"] == 60);
  CHECK(events.back()["failed"] == 0);
  // Each event counts no less than the one before.
  for (std::size_t i = 1; i < events.size(); ++i) CHECK(events[i]["done"] >= events[i - 1]["done"]);
  CHECK(w.chorus.Run({"--progress", "sometimes", "attach", "status", "--from", w.sirets()}).exit_code == 2);
}

TEST_CASE("a table on a terminal fits its width, the long cells cut with …; -o wide shows them whole") {
  World w;
  const std::string file = w.chorus.dir.File("few.txt");
  chorus::testing::WriteFile(file, w.accounts[0]["siret"].get<std::string>() + "\n" +
                                       w.accounts[1]["siret"].get<std::string>() + "\n");
  TerminalRun table(w.chorus, {"attach", "status", "--from", file}, std::nullopt, {"COLUMNS=100"});
  REQUIRE(table.Wait(std::chrono::milliseconds(20000)) == 0);
  std::istringstream lines(table.output());
  std::size_t rows = 0;
  bool cut = false;
  for (std::string line; std::getline(lines, line);) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    line = line.substr(line.rfind('\r') == std::string::npos ? 0 : line.rfind('\r') + 1);  // after the progress
    line = std::regex_replace(line, std::regex("\x1b\\[[0-9;]*[mK]"), "");                  // bold
    if (line.rfind("LINE", 0) != 0 && line.find(w.accounts[1]["siret"].get<std::string>()) == std::string::npos) continue;
    ++rows;  // the SIRET stays whole: only long text gives way
    CHECK(Columns(line) <= 100);
    cut = cut || line.find("…") != std::string::npos;
  }
  CHECK(rows == 2);  // the header and the farm that is not ready
  CHECK(cut);        // its next step did not fit whole
  TerminalRun wide(w.chorus, {"-o", "wide", "attach", "status", "--from", file}, std::nullopt, {"COLUMNS=100"});
  REQUIRE(wide.Wait(std::chrono::milliseconds(20000)) == 0);
  CHECK(wide.output().find("…") == std::string::npos);
  CHECK(wide.output().find("MAIN MANAGER E-MAIL") != std::string::npos);
  CHECK(wide.output().find("ask to be attached: chorus attach request " + w.accounts[1]["siret"].get<std::string>()) !=
        std::string::npos);
}

TEST_CASE("-o xlsx is refused on a terminal: a workbook is binary") {
  chorus::testing::ChorusRunner chorus;
  TerminalRun run(chorus, {"-o", "xlsx", "siret", "check", "73282932000074"});
  CHECK(run.Wait(std::chrono::milliseconds(10000)) == 2);
#ifdef CHORUS_HAVE_XLSX
  CHECK(run.output().find("redirect stdout to a file") != std::string::npos);
#else
  CHECK(run.output().find("built without libxlsxwriter") != std::string::npos);
#endif
}
