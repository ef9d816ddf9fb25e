// A plain description of a CLI11 command tree (commands, options, positionals),
// read from the live CLI::App so that completion scripts and man pages follow
// every flag the commands register, without copies to keep in sync.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace chorus::clidoc {

struct OptionSpec {
  std::vector<std::string> short_names;  // "-o"
  std::vector<std::string> long_names;   // "--output"
  std::string positional_name;           // "SIRET" for a positional, else empty
  std::string description;
  std::string value_name;                // "TEXT", "INT"; empty for a flag
  std::vector<std::string> choices;      // from a CLI::IsMember check
  std::string default_value;             // when the command shows one
  bool takes_value = false;
  bool repeatable = false;
  bool required = false;

  bool positional() const { return !positional_name.empty(); }
  // "-o, --output" or "SIRET".
  std::string DisplayNames() const;
  // Every spelling a user may type: short and long names.
  std::vector<std::string> AllNames() const;
};

struct CommandSpec {
  std::vector<std::string> path;  // {} for the root, {"attach", "request"}
  std::string name;               // the program name for the root
  std::string description;
  std::string footer;  // its own, not the one CLI11 copies from the parent
  std::vector<OptionSpec> options;      // named options, help included
  std::vector<OptionSpec> positionals;  // in order
  std::vector<std::string> subcommands; // names of the visible ones
  bool requires_subcommand = false;

  // "attach request"; "" for the root.
  std::string PathString() const;
};

// Visible commands depth first, the root first. A command whose group is ""
// is hidden (CLI11's convention) and so are its descendants.
std::vector<CommandSpec> DescribeTree(const CLI::App& root);

// True for an option whose value names a file: --config, --from,
// --ca-bundle, --*-file (completed as file names).
bool TakesPath(const OptionSpec& opt);

// Every spelling ("-o", "--output") of the options of `tree` that take a value.
std::set<std::string> ValuedOptionNames(const std::vector<CommandSpec>& tree);

// The "{a,b,c}" set of a type name such as "TEXT:{a,b,c}", or nothing.
std::vector<std::string> ChoicesFromTypeName(const std::string& type_name);

}  // namespace chorus::clidoc
