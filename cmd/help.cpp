#include "help.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <sstream>

#include "app.h"
#include "clidoc/parse_error.h"
#include "tr.h"

namespace chorus::cli {
namespace {

// ---------------------------------------------------------------- the tree

std::vector<const CLI::App*> VisibleSubcommands(const CLI::App& app) {
  return app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
}

const CLI::App* FindSubcommand(const CLI::App& app, const std::string& name) {
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    if (sub->get_name() == name) return sub;
    const auto& aliases = sub->get_aliases();
    if (std::find(aliases.begin(), aliases.end(), name) != aliases.end()) return sub;
  }
  return nullptr;
}

// "attach request"; "" for the root.
std::string PathOf(const CLI::App& app) {
  std::string path;
  for (const CLI::App* a = &app; a->get_parent(); a = a->get_parent())
    path = a->get_name() + (path.empty() ? "" : " " + path);
  return path;
}

const CLI::App& RootOf(const CLI::App& app) {
  const CLI::App* a = &app;
  while (a->get_parent()) a = a->get_parent();
  return *a;
}

// "chorus attach request"; "chorus" for the root.
std::string FullName(const CLI::App& app) {
  std::string path = PathOf(app);
  return RootOf(app).get_name() + (path.empty() ? "" : " " + path);
}

// -h/--help is every command's own; --version is the program's alone.
bool IsHelpFlag(const CLI::Option& opt) {
  const auto& names = opt.get_lnames();
  return std::find(names.begin(), names.end(), "help") != names.end() ||
         std::find(names.begin(), names.end(), "version") != names.end();
}

// The options a command accepts from its ancestors (global options are
// accepted after the command too).
std::vector<const CLI::Option*> InheritedOptions(const CLI::App& app) {
  std::vector<const CLI::Option*> out;
  for (const CLI::App* a = app.get_parent(); a; a = a->get_parent())
    for (const CLI::Option* opt : a->get_options())
      if (opt->nonpositional() && !IsHelpFlag(*opt)) out.push_back(opt);
  return out;
}

// The option that `name` ("--from", "-o") names, on the command or an ancestor.
const CLI::Option* FindOption(const CLI::App& app, const std::string& name) {
  for (const CLI::App* a = &app; a; a = a->get_parent())
    for (const CLI::Option* opt : a->get_options()) {
      if (!opt->nonpositional()) continue;
      for (const auto& l : opt->get_lnames())
        if (name == "--" + l) return opt;
      for (const auto& s : opt->get_snames())
        if (name == "-" + s) return opt;
    }
  return nullptr;
}

// ------------------------------------------------------------ the help page

// "FILE" from "FILE", "TEXT" from "TEXT:{a,b}"; "" for a flag.
std::string ValueName(const CLI::Option& opt) {
  if (opt.get_expected_max() == 0) return "";
  std::string type = opt.get_type_name();
  type = type.substr(0, type.find(':'));
  return type.empty() ? "VALUE" : type;
}

// Words of `text` on lines of at most `width` columns, each line but the
// first indented by `indent`.
std::string Wrap(const std::string& text, std::size_t width, std::size_t indent) {
  std::string out, line;
  std::size_t line_width = 0;
  auto width_of = [](const std::string& s) {
    return static_cast<std::size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
  };
  std::istringstream words(text);
  std::string word;
  const std::size_t room = width > indent + 20 ? width - indent : 20;
  while (words >> word) {
    const std::size_t w = width_of(word);
    if (line_width > 0 && line_width + 1 + w > room) {
      out += line + "\n" + std::string(indent, ' ');
      line.clear();
      line_width = 0;
    }
    line += (line_width ? " " : "") + word;
    line_width += (line_width ? 1 : 0) + w;
  }
  return out + line;
}

// A text that keeps its own line breaks, each line wrapped.
std::string WrapLines(const std::string& text, std::size_t width, std::size_t indent) {
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    out += (start ? "\n" + std::string(indent, ' ') : "") + Wrap(text.substr(start, end - start), width, indent);
    start = end + 1;
  }
  return out;
}

struct Row {
  std::string names;
  std::string text;
};

void PrintRows(std::ostream& out, const std::vector<Row>& rows, std::size_t width) {
  std::size_t column = 0;
  for (const auto& r : rows) column = std::max(column, r.names.size());
  column = std::min<std::size_t>(column + 4, 30);
  for (const auto& r : rows) {
    std::string line = "  " + r.names;
    if (line.size() + 2 > column) line += "\n" + std::string(column, ' ');
    else line += std::string(column - line.size(), ' ');
    out << line << Wrap(r.text, width, column) << "\n";
  }
}

Row OptionRow(const CLI::Option& opt) {
  std::string names;
  if (opt.get_snames().empty()) names = "    ";
  for (const auto& s : opt.get_snames()) names += "-" + s + ", ";
  for (const auto& l : opt.get_lnames()) names += "--" + l + ", ";
  names.resize(names.size() - 2);
  if (std::string value = ValueName(opt); !value.empty()) names += " " + value;
  std::string text = opt.get_description();
  if (opt.get_required()) text += Tr(" (required)");
  return {names, text};
}

class HelpFormatter final : public CLI::FormatterBase {
 public:
  explicit HelpFormatter(int width) : width_(width > 0 ? std::min(width, 100) : 80) {}

  std::string make_help(const CLI::App* app, std::string, CLI::AppFormatMode) const override {
    std::ostringstream out;
    const std::string full = FullName(*app);
    const auto subcommands = VisibleSubcommands(*app);
    out << WrapLines(app->get_description(), width_, 0) << "\n";
    if (std::string footer = OwnFooter(*app); !footer.empty()) out << "\n" << WrapLines(footer, width_, 0) << "\n";

    out << "\n" << Tr("USAGE") << "\n  " << full;
    if (!subcommands.empty()) out << " " << Tr("<command>");
    for (const CLI::Option* opt : app->get_options())
      if (!opt->nonpositional()) {
        std::string arg = opt->get_name(true) + (opt->get_items_expected_max() > 1 ? "..." : "");
        out << " " << (opt->get_required() ? arg : "[" + arg + "]");
      }
    out << " " << Tr("[flags]") << "\n";

    if (!subcommands.empty()) {
      out << "\n" << Tr("COMMANDS") << "\n";
      std::vector<Row> rows;
      for (const CLI::App* sub : subcommands) rows.push_back({sub->get_name(), sub->get_description()});
      PrintRows(out, rows, width_);
    }
    std::vector<Row> arguments, flags, inherited;
    for (const CLI::Option* opt : app->get_options()) {
      if (!opt->nonpositional())
        arguments.push_back({opt->get_name(true), opt->get_description() + (opt->get_required() ? Tr(" (required)") : "")});
      else
        flags.push_back(OptionRow(*opt));
    }
    for (const CLI::Option* opt : InheritedOptions(*app)) inherited.push_back(OptionRow(*opt));
    if (!arguments.empty()) {
      out << "\n" << Tr("ARGUMENTS") << "\n";
      PrintRows(out, arguments, width_);
    }
    if (!flags.empty()) {
      out << "\n" << Tr("FLAGS") << "\n";
      PrintRows(out, flags, width_);
    }
    if (!inherited.empty()) {
      out << "\n" << Tr("INHERITED FLAGS") << "\n";
      PrintRows(out, inherited, width_);
    }

    const std::string path = PathOf(*app);
    if (const auto& examples = ExamplesOf(path); !examples.empty()) {
      out << "\n" << Tr("EXAMPLES") << "\n";
      for (const auto& ex : examples) {
        out << "  # " << Wrap(ex.description, width_, 4) << "\n";
        std::istringstream lines(ex.command);
        for (std::string line; std::getline(lines, line);)
          out << "  " << (line.rfind("  ", 0) == 0 ? "  " : "$ ") << line << "\n";
      }
    }
    if (!app->get_parent()) {
      out << "\n" << Tr("EXIT STATUS") << "\n";
      std::vector<Row> rows;
      for (const auto& e : ExitStatusTable()) rows.push_back({e.code, e.meaning});
      PrintRows(out, rows, width_);
    }

    out << "\n" << Tr("LEARN MORE") << "\n";
    if (!subcommands.empty())
      out << "  " << TrFormat("Use \"{} <command> --help\" for more about a command.", full) << "\n";
    const std::string page =
        RootOf(*app).get_name() + (path.empty() ? "" : "-" + path.substr(0, path.find(' ')));
    out << "  " << TrFormat("Read the manual: man {}", page) << "\n";
    return out.str();
  }

 private:
  // CLI11 copies a parent's footer into each subcommand: only a command's own
  // footer is shown.
  static std::string OwnFooter(const CLI::App& app) {
    std::string footer = app.get_footer();
    if (app.get_parent() && app.get_parent()->get_footer() == footer) return "";
    return footer;
  }

  std::size_t width_;
};

// The help page of exactly this command (CLI::App::help() would describe the
// subcommand the command line selected: help itself).
std::string PageOf(const CLI::App& command) {
  return command.get_formatter()->make_help(&command, command.get_name(), CLI::AppFormatMode::Normal);
}

// ------------------------------------------------------- mistyped commands

// The names that are close to `word`: a small edit distance, or a prefix.
std::vector<std::string> Nearest(const std::string& word, const std::vector<std::string>& names) {
  std::vector<std::pair<std::size_t, std::string>> scored;
  const std::size_t limit = word.size() <= 3 ? 1 : 2;
  for (const auto& name : names) {
    std::size_t d = EditDistance(word, name);
    const bool prefix = word.size() >= 2 && name.rfind(word, 0) == 0;
    if (d <= limit || prefix) scored.emplace_back(prefix ? 0 : d, name);
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (const auto& [d, name] : scored)
    if (std::find(out.begin(), out.end(), name) == out.end()) out.push_back(name);
  if (out.size() > 3) out.resize(3);
  return out;
}

// Commands anywhere in the tree named `word`: "chorus request" meant
// "chorus attach request".
void FindByName(const CLI::App& app, const std::string& word, std::vector<std::string>& out) {
  for (const CLI::App* sub : VisibleSubcommands(app)) {
    if (sub->get_name() == word) out.push_back(FullName(*sub));
    FindByName(*sub, word, out);
  }
}

struct Diagnosis {
  const CLI::App* command = nullptr;  // the deepest command the words name
  std::string unknown_command;         // a word where a command was expected
  std::string unknown_flag;            // the first flag no command in the path takes
};

Diagnosis Diagnose(const CLI::App& root, int argc, const char* const* argv) {
  Diagnosis d;
  d.command = &root;
  bool positionals = false;  // the leaf's arguments have started
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.size() > 1 && arg[0] == '-') {
      const bool is_long = arg.rfind("--", 0) == 0;
      const auto eq = arg.find('=');
      const std::string name = is_long ? arg.substr(0, eq) : arg.substr(0, 2);
      const CLI::Option* opt = FindOption(*d.command, name);
      if (!opt) {
        if (d.unknown_flag.empty()) d.unknown_flag = name;
        continue;
      }
      const bool value_attached = is_long ? eq != std::string::npos : arg.size() > 2;
      if (opt->get_expected_max() > 0 && !value_attached) ++i;  // its value
      continue;
    }
    if (positionals) continue;
    if (const CLI::App* sub = FindSubcommand(*d.command, arg)) {
      d.command = sub;
      continue;
    }
    const bool takes_arguments = !d.command->get_options([](const CLI::Option* o) { return !o->nonpositional(); }).empty();
    if (!VisibleSubcommands(*d.command).empty() && !takes_arguments) {
      d.unknown_command = arg;
      break;
    }
    positionals = true;
  }
  return d;
}

void SuggestCommands(const App& app, const CLI::App& parent, const std::string& word) {
  std::vector<std::string> names;
  for (const CLI::App* sub : VisibleSubcommands(parent)) names.push_back(sub->get_name());
  std::vector<std::string> suggestions;
  for (const auto& name : Nearest(word, names)) suggestions.push_back(FullName(parent) + " " + name);
  if (suggestions.empty()) FindByName(RootOf(parent), word, suggestions);
  app.Error(TrFormat("unknown command \"{}\" for \"{}\"", word, FullName(parent)));
  if (suggestions.size() == 1) std::cerr << TrFormat("Did you mean \"{}\"?", suggestions.front()) << "\n";
  else if (!suggestions.empty()) {
    std::cerr << Tr("Did you mean one of these?") << "\n";
    for (const auto& s : suggestions) std::cerr << "  " << s << "\n";
  }
  std::cerr << TrFormat("Run \"{} --help\" to see its commands.", FullName(parent)) << "\n";
}

void SuggestFlags(const App& app, const CLI::App& command, const std::string& flag) {
  std::vector<std::string> names;
  for (const CLI::App* a = &command; a; a = a->get_parent())
    for (const CLI::Option* opt : a->get_options())
      for (const auto& l : opt->get_lnames()) names.push_back("--" + l);
  app.Error(TrFormat("unknown flag \"{}\" for \"{}\"", flag, FullName(command)));
  if (flag.rfind("--", 0) == 0)
    if (auto near = Nearest(flag, names); !near.empty())
      std::cerr << TrFormat("Did you mean \"{}\"?", near.front()) << "\n";
  std::cerr << TrFormat("Run \"{} --help\" to see its flags.", FullName(command)) << "\n";
}

// Every required argument or flag the command line left out, at once.
std::vector<std::string> MissingRequired(const CLI::App& command) {
  std::vector<std::string> missing;
  for (const CLI::App* a = &command; a; a = a->get_parent())
    for (const CLI::Option* opt : a->get_options())
      if (opt->get_required() && opt->count() == 0)
        missing.push_back(opt->nonpositional() ? opt->get_name(false, true) : opt->get_name(true));
  return missing;
}

}  // namespace

std::size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (std::size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i)
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}

void InstallHelpFormatter(CLI::App& root, int width) {
  root.formatter(std::make_shared<HelpFormatter>(width));
  // CLI11's own flags, in the user's language; subcommands copy the help flag.
  root.set_help_flag("-h,--help", Tr("Print this help message and exit"));
  if (CLI::Option* version = root.get_version_ptr()) version->description(Tr("Display program version information and exit"));
}

void RegisterHelpCommand(CLI::App& root, App& app, int* exit_code) {
  auto* help = root.add_subcommand("help", Tr("Show the help of chorus or of one of its commands"));
  auto words = std::make_shared<std::vector<std::string>>();
  help->add_option("COMMAND", *words, Tr("A command, as you would type it: attach, attach request"));
  help->callback([&root, &app, words, exit_code] {
    const CLI::App* command = &root;
    for (const auto& word : *words) {
      const CLI::App* sub = FindSubcommand(*command, word);
      if (!sub || sub->get_group().empty()) {
        SuggestCommands(app, *command, word);
        *exit_code = kExitUsage;
        return;
      }
      command = sub;
    }
    std::cout << PageOf(*command) << std::flush;
    *exit_code = kExitOk;
  });
}

namespace {

// The -o/--output a command line asked for, read from argv: a parse error
// stops CLI11 before it stores any option.
std::string OutputAskedFor(int argc, const char* const* argv) {
  std::string output;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "-o" || arg == "--output") && i + 1 < argc) output = argv[++i];
    else if (arg.rfind("--output=", 0) == 0) output = arg.substr(9);
    else if (arg.rfind("-o", 0) == 0 && arg.size() > 2 && arg[2] != '-') output = arg.substr(2);
  }
  return output;
}

// Under -o json/ndjson, a usage error is the JSON error object on stdout
// too, like every failure (issue 13.3); the text stays on stderr.
int UsageFailure(const App& app, int argc, const char* const* argv, const std::string& message) {
  auto format = ParseOutputFormat(OutputAskedFor(argc, argv));
  if (format && IsJsonFormat(*format)) {
    const nlohmann::json error{{"error", app.ErrorJson(Status(ErrorKind::kInvalidArgument, message))}};
    std::cout << JsonText(error, *format == OutputFormat::kJson ? 2 : -1) << '\n' << std::flush;
  }
  return kExitUsage;
}

}  // namespace

int ExitForParseError(const App& app, const CLI::App& root, const CLI::ParseError& error, int argc,
                      const char* const* argv) {
  if (error.get_exit_code() == 0) return root.exit(error);  // --help, --version
  const Diagnosis d = Diagnose(root, argc, argv);
  if (!d.unknown_command.empty()) {
    SuggestCommands(app, *d.command, d.unknown_command);
    return UsageFailure(app, argc, argv,
                        fmt::format("unknown command \"{}\" for \"{}\"", d.unknown_command, FullName(*d.command)));
  }
  const bool required = error.get_name() == "RequiredError";
  if (required && d.command->get_require_subcommand_min() > 0 &&
      std::string(error.what()).find("subcommand") != std::string::npos) {
    std::cout << PageOf(*d.command) << std::flush;  // a group alone: its commands
    return kExitOk;
  }
  if (!d.unknown_flag.empty()) {
    SuggestFlags(app, *d.command, d.unknown_flag);
    return UsageFailure(app, argc, argv,
                        fmt::format("unknown flag \"{}\" for \"{}\"", d.unknown_flag, FullName(*d.command)));
  }
  if (required) {
    std::string list;
    for (const auto& m : MissingRequired(*d.command)) list += (list.empty() ? "" : ", ") + m;
    if (!list.empty()) {
      const Message message = Msg("\"{}\" needs: {}", FullName(*d.command), list);
      app.Error(message.localized.empty() ? message.english : message.localized);
      std::cerr << TrFormat("Run \"{} --help\" for its usage.", FullName(*d.command)) << "\n";
      return UsageFailure(app, argc, argv, message.english);
    }
  }
  const Message message = clidoc::DescribeParseError(error.what());
  app.Error(message.localized.empty() ? message.english : message.localized);
  std::cerr << TrFormat("Run \"{} --help\" for its usage.", FullName(*d.command)) << "\n";
  return UsageFailure(app, argc, argv, message.english);
}

}  // namespace chorus::cli
