// Man pages (roff, man(7) macros) generated from a CLI11 command tree: one page
// for the program and, optionally, one per top-level command group.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace chorus::clidoc {

struct ManEntry {
  std::string term;  // "4", "CHORUS_PROFILE", "~/.config/chorus/config.toml"
  std::string text;
};

struct ManExample {
  std::string description;
  std::string command;  // one or more lines, shown verbatim
};

struct ManInfo {
  std::string program;  // "chorus"; CLI11 names an unnamed root after argv[0]
  std::string version;
  std::string manual;   // the centre header, e.g. "chorus manual"
  // true: program.1 plus program-GROUP.1 per visible top-level command;
  // false: a single program.1 holding every command.
  bool page_per_group = true;
  std::vector<ManEntry> exit_status;
  std::vector<ManEntry> environment;
  std::vector<ManEntry> files;
  // Keyed by page name ("chorus", "chorus-attach").
  std::map<std::string, std::vector<ManExample>> examples;
  // Pages outside the tree that every page refers to, e.g. "chorus-config(5)".
  std::vector<std::string> see_also;
};

// A generated page: its file name ("chorus-attach.1") and roff text.
struct ManPage {
  std::string file_name;
  std::string roff;
};

std::vector<ManPage> RenderManPages(const CLI::App& root, const ManInfo& info);

// What the pages must cover, one "PAGE<TAB>TEXT" line per command and option
// of the tree ("chorus-attach<TAB>chorus attach request", "chorus-attach<TAB>--from"):
// tests check each TEXT against the rendered PAGE.
std::string CoverageList(const CLI::App& root, const ManInfo& info);

// Registers a hidden "__man" command: "__man DIR" writes the pages into DIR,
// "__man --list" prints CoverageList. Either ends the program through
// CLI::Success (or CLI::RuntimeError after a message on stderr).
void AddManCommand(CLI::App& root, ManInfo info);

}  // namespace chorus::clidoc
