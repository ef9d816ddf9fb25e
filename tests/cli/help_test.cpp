// Point 1 of issue 13: a user finds the way from the command line alone.
// Every leaf's help page has USAGE, a real example, its own flags with the
// required ones marked and the inherited global ones; a mistyped command or
// flag gets the nearest known one and exit 2; bare groups print their help.
#include <doctest/doctest.h>

#include <set>
#include <sstream>

#include "cli_support.h"

using chorus::testing::ChorusRunner;

namespace {

// The lines of a help page's section ("COMMANDS", "FLAGS"), up to the next.
std::vector<std::string> Section(const std::string& page, const std::string& title) {
  std::vector<std::string> lines;
  std::istringstream in(page);
  bool inside = false;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty() && line[0] != ' ') {
      inside = line == title;
      continue;
    }
    if (inside && !line.empty()) lines.push_back(line);
  }
  return lines;
}

// The command paths of the tree, from the help pages themselves.
void Walk(const ChorusRunner& chorus, const std::string& path, std::vector<std::string>& leaves) {
  std::vector<std::string> args;
  std::istringstream words(path);
  for (std::string w; words >> w;) args.push_back(w);
  args.push_back("--help");
  auto r = chorus.Run(args);
  REQUIRE(r.exit_code == 0);
  auto commands = Section(r.out, "COMMANDS");
  if (commands.empty()) {
    leaves.push_back(path);
    return;
  }
  for (const auto& line : commands) {
    if (line.size() < 3 || line[2] == ' ') continue;  // a wrapped description
    std::string name = line.substr(2, line.find(' ', 2) - 2);
    Walk(chorus, path.empty() ? name : path + " " + name, leaves);
  }
}

}  // namespace

TEST_CASE("every leaf's help: usage, a real example, its flags (required marked), the inherited ones") {
  ChorusRunner chorus;
  std::vector<std::string> leaves;
  Walk(chorus, "", leaves);
  CHECK(leaves.size() >= 20);
  for (const auto& path : {"attach request", "profile set", "help", "list pending"})
    CHECK(std::find(leaves.begin(), leaves.end(), path) != leaves.end());
  for (const auto& path : leaves) {
    INFO("chorus " << path);
    std::vector<std::string> args;
    std::istringstream words(path);
    for (std::string w; words >> w;) args.push_back(w);
    args.push_back("--help");
    const std::string page = chorus.Run(args).out;
    CHECK(page.find("USAGE\n  chorus " + path) != std::string::npos);
    const auto inherited = Section(page, "INHERITED FLAGS");
    std::string inherited_text;
    for (const auto& l : inherited) inherited_text += l + "\n";
    for (const char* global : {"--dry-run", "--yes", "--output", "--profile", "--verbose"})
      CHECK(inherited_text.find(global) != std::string::npos);
    CHECK(page.find("EXIT STATUS") == std::string::npos);  // once, in the root page
    // Each example runs this command, with flags this page lists.
    const auto examples = Section(page, "EXAMPLES");
    bool runs_it = false;
    for (const auto& line : examples) {
      if (line.rfind("  $ chorus " + path, 0) != 0) continue;
      runs_it = true;
      std::istringstream tokens(line.substr(4));
      for (std::string t; tokens >> t;)
        if (t.rfind("--", 0) == 0) {
          const std::string flag = t.substr(0, t.find('='));
          const bool listed = page.find("  " + flag + " ") != std::string::npos ||
                              page.find(", " + flag + " ") != std::string::npos ||
                              page.find("  " + flag + "\n") != std::string::npos ||
                              page.find(", " + flag + "\n") != std::string::npos;
          CHECK_MESSAGE(listed, flag << " in an example of chorus " << path);
        }
    }
    CHECK_MESSAGE(runs_it, "no example runs chorus " << path);
  }
  // Required arguments are marked; `help CMD` is `CMD --help`.
  auto add = chorus.Run({"help", "profile", "add"});
  CHECK(add.exit_code == 0);
  CHECK(add.out == chorus.Run({"profile", "add", "--help"}).out);
  CHECK(add.out.find("NAME") != std::string::npos);
  CHECK(add.out.find("(required)") != std::string::npos);
}

TEST_CASE("the root page lists the commands and the exit statuses; bare groups print their help") {
  ChorusRunner chorus;
  auto bare = chorus.Run({});
  CHECK(bare.exit_code == 0);
  CHECK(bare.out.find("COMMANDS") != std::string::npos);
  CHECK(bare.out.find("EXIT STATUS") != std::string::npos);
  CHECK(bare.out.find("130") != std::string::npos);
  CHECK(bare.out == chorus.Run({"help"}).out);
  CHECK(bare.out == chorus.Run({"--help"}).out);
  for (const char* group : {"attach", "profile", "structure", "list", "siret"}) {
    INFO(group);
    auto r = chorus.Run({group});
    CHECK(r.exit_code == 0);
    CHECK(r.out.find(std::string("USAGE\n  chorus ") + group + " <command>") != std::string::npos);
    CHECK(r.out.find("EXIT STATUS") == std::string::npos);
    CHECK(r.out == chorus.Run({"help", group}).out);
  }
}

TEST_CASE("a mistyped command or flag gets did you mean ...? and exit 2") {
  ChorusRunner chorus;
  struct Case {
    std::vector<std::string> args;
    std::string said;
  } cases[] = {
      {{"atach", "request"}, "Did you mean \"chorus attach\"?"},
      {{"attach", "requets"}, "Did you mean \"chorus attach request\"?"},
      {{"request"}, "Did you mean \"chorus attach request\"?"},
      {{"siret", "check", "--form", "x.csv"}, "Did you mean \"--from\"?"},
      {{"--dryrun", "attach", "list"}, "Did you mean \"--dry-run\"?"},
      {{"help", "atach"}, "Did you mean \"chorus attach\"?"},
  };
  for (const auto& c : cases) {
    INFO(c.args.front());
    auto r = chorus.Run(c.args);
    CHECK(r.exit_code == 2);
    CHECK(r.out.empty());
    CHECK(r.err.find(c.said) != std::string::npos);
  }
  auto missing = chorus.Run({"profile", "add"});
  CHECK(missing.exit_code == 2);
  CHECK(missing.err.find("NAME") != std::string::npos);
}

TEST_CASE("every missing required flag is named at once") {
  ChorusRunner chorus;
  auto r = chorus.Run({"signup"}, "", {"CHORUS_API_URL=http://127.0.0.1:9/cpro"});
  CHECK(r.exit_code == 2);
  for (const char* flag : {"--email", "--siret", "--first-name", "--last-name"})
    CHECK_MESSAGE(r.err.find(flag) != std::string::npos, flag);
  auto structure = chorus.Run({"signup", "--email", "a@b.example", "--siret", "73282932000074", "--first-name", "A",
                               "--last-name", "B", "--city", "Chartres"},
                              "", {"CHORUS_API_URL=http://127.0.0.1:9/cpro"});
  CHECK(structure.exit_code == 2);
  for (const char* flag : {"--structure-name", "--address", "--postal-code"})
    CHECK_MESSAGE(structure.err.find(flag) != std::string::npos, flag);
}

TEST_CASE("under -o json or ndjson a usage error is the JSON error object on stdout too (issue 13.3)") {
  ChorusRunner chorus;
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"-o", "json", "atach", "request"}, "unknown command \"atach\" for \"chorus\""},
      {{"attach", "status", "--onl", "ready", "--output=ndjson"}, "unknown flag \"--onl\" for \"chorus attach status\""},
      {{"-ojson", "attach", "status", "--only", "maybe"}, "--only: maybe is not one of ready, not-ready"},
  };
  for (const auto& [args, message] : cases) {
    auto r = chorus.Run(args);
    INFO(r.out << r.err);
    CHECK(r.exit_code == 2);
    auto doc = nlohmann::json::parse(r.out);
    CHECK(doc["error"]["kind"] == "invalid_argument");
    CHECK(doc["error"]["exit_code"] == 2);
    CHECK(doc["error"]["message"] == message);
    CHECK(r.err.find(message) != std::string::npos);  // and for people, on stderr
  }
  // Other formats: stdout stays empty.
  auto tsv = chorus.Run({"attach", "status", "--onl", "ready"});
  CHECK(tsv.exit_code == 2);
  CHECK(tsv.out.empty());
}
