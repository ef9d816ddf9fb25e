// Every help page of chorus is translated (issue 15, point 1): the French
// page of each command of the live tree shares no sentence with the English
// one. A description added without Tr(), or a msgid left out of po/fr.po,
// reads the same in both and fails here, naming the command and the line.
#include <doctest/doctest.h>

#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "cli_support.h"

using chorus::testing::ChorusRunner;

namespace {

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

// Prose: two words of three letters or more. Example command lines ("  $ ...",
// and their continuations) are commands, the same in every language.
bool IsProse(const std::string& line) {
  static const std::regex kWords("[a-z]{3,} [a-z]{3,}");
  if (line.rfind("  $ ", 0) == 0 || line.rfind("    ", 0) == 0) return false;
  return std::regex_search(line, kWords);
}

}  // namespace

TEST_CASE("every command's --help is in French under a French locale: no English sentence left") {
  ChorusRunner chorus;
  auto list = chorus.Run({"__man", "--list"});
  REQUIRE(list.exit_code == 0);
  std::set<std::string> commands = {""};
  for (const auto& line : Lines(list.out)) {
    const auto tab = line.find('\t');
    if (tab != std::string::npos && line.compare(tab + 1, 7, "chorus ") == 0) commands.insert(line.substr(tab + 8));
  }
  REQUIRE(commands.size() > 20);
  const std::vector<std::string> english = {"LC_ALL=C.UTF-8", "COLUMNS=1000"};
  const std::vector<std::string> french = {"LC_ALL=", "LANG=fr_FR.UTF-8", "COLUMNS=1000"};
  for (const auto& command : commands) {
    std::vector<std::string> args;
    std::istringstream words(command);
    for (std::string w; words >> w;) args.push_back(w);
    args.push_back("--help");
    CAPTURE(command);
    auto en = chorus.Run(args, "", english);
    auto fr = chorus.Run(args, "", french);
    REQUIRE(en.exit_code == 0);
    REQUIRE(fr.exit_code == 0);
    const auto en_lines = Lines(en.out);
    const auto fr_list = Lines(fr.out);
    const std::set<std::string> fr_lines(fr_list.begin(), fr_list.end());
    for (const auto& line : en_lines) {
      if (!IsProse(line) || !fr_lines.count(line)) continue;
      // A shell line the completion page shows as its own example.
      if (line.find("chorus completion ") != std::string::npos) continue;
      FAIL_CHECK("untranslated help line: " << line);
    }
  }
}

TEST_CASE("CLI11's refusals in French on stderr; the JSON error and the exit code as in English") {
  ChorusRunner chorus;
  const std::vector<std::string> english = {"LC_ALL=C.UTF-8"};
  const std::vector<std::string> french = {"LC_ALL=", "LANG=fr_FR.UTF-8"};
  struct Case {
    std::vector<std::string> args;
    std::string french_text;
  };
  const std::vector<Case> cases = {
      {{"-o", "json", "attach", "status", "--only", "maybe"}, "--only : maybe ne fait pas partie de ready, not-ready"},
      {{"-o", "json", "attach", "request", "--concurrency", "0", "73282932000074"}, "n'est pas entre 1 et 64"},
      {{"-o", "json", "whoami", "extra"}, "argument inattendu : extra"},
      {{"-o", "json", "attach", "request", "--concurrency"}, "--concurrency : il manque la valeur"},
      {{"-o", "json", "attach", "request", "--rate", "x", "73282932000074"}, "--rate : x n'est pas un nombre"},
      {{"-o", "json", "attach", "request", "--rate", "-2", "73282932000074"}, "--rate : -2 est négatif"},
      {{"-o", "json", "attach", "request", "--from", "a", "--from", "b"}, "--from : donnée 2 fois, 1 au plus"},
      {{"-o", "json", "attach", "approve", "0"}, "ID : un nombre supérieur à 0 est attendu, reçu 0"},
      {{"-o", "json", "--timeout", "xyz", "whoami"}, "--timeout : une durée entre 1s et 1h est attendue"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.french_text);
    auto en = chorus.Run(c.args, "", english);
    auto fr = chorus.Run(c.args, "", french);
    INFO(fr.err);
    CHECK(fr.exit_code == 2);
    CHECK(en.exit_code == 2);
    CHECK(fr.out == en.out);  // the JSON error object, in English
    CHECK(fr.err.find(c.french_text) != std::string::npos);
    // CLI11's own English never reaches people, in either language.
    for (const char* cli11 : {"not in range", "required but received", "required N:", "not in {"}) {
      CHECK(en.err.find(cli11) == std::string::npos);
      CHECK(fr.err.find(cli11) == std::string::npos);
    }
  }
  // The JSON error: plain English, not CLI11's wording.
  auto rate = chorus.Run({"-o", "json", "attach", "request", "--rate", "x", "73282932000074"}, "", french);
  CHECK(rate.out.find("\"--rate: x is not a number\"") != std::string::npos);
  auto timeout = chorus.Run({"-o", "json", "--timeout", "xyz", "whoami"}, "", french);
  CHECK(timeout.out.find("\"--timeout: expected a duration between 1s and 1h, such as 90s or 2m\"") !=
        std::string::npos);
}
