// Help for people finding their way: the help pages (gh's layout: USAGE,
// FLAGS, INHERITED FLAGS, EXAMPLES, LEARN MORE), `chorus help [COMMAND...]`,
// and what a mistyped command line is told (did you mean ...?, exit 2).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace CLI {
class App;
class ParseError;
}  // namespace CLI

namespace chorus::cli {

class App;

struct Example {
  std::string description;
  std::string command;  // one or more lines, each a command a user can type
};

// The examples of a command, by path ("attach request"; "" for chorus
// itself): its help page and its man page show them.
const std::vector<Example>& ExamplesOf(const std::string& path);

struct ExitStatus {
  const char* code;
  const char* meaning;
};
// The exit codes of product.md §3: in the root help page and in chorus(1).
const std::vector<ExitStatus>& ExitStatusTable();

// Installs the help page formatter on root; call before adding subcommands,
// which inherit it. width: the terminal's columns, 0 when not a terminal.
void InstallHelpFormatter(CLI::App& root, int width);

// `chorus help [COMMAND...]`.
void RegisterHelpCommand(CLI::App& root, App& app, int* exit_code);

// The exit code for a command line CLI11 refused, after saying why on
// stderr: an unknown command or flag gets the nearest known ones (exit 2); a
// group given without its command, or chorus alone, prints its help (exit 0);
// every missing required argument is named at once (exit 2).
int ExitForParseError(const App& app, const CLI::App& root, const CLI::ParseError& error, int argc,
                      const char* const* argv);

// The Damerau-Levenshtein distance (optimal string alignment) between a and
// b: edits, transpositions included, that turn one into the other.
std::size_t EditDistance(const std::string& a, const std::string& b);

}  // namespace chorus::cli
