#include "clidoc/man_page.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "chorus/i18n.h"
#include "chorus/text.h"
#include "clidoc/command_tree.h"

namespace chorus::clidoc {
namespace {

using chorus::Tr;
using chorus::Upper;

// Text for a roff body line: backslashes and quotes escaped, non-ASCII as
// \[uXXXX] so that groff needs no preconv, and a leading control character
// neutralised.
std::string Escape(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == '\\') {
      out += "\\e";
    } else if (c == '"') {
      out += "\\(dq";
    } else if (c == '\n') {
      out += '\n';
    } else if (c < 0x80) {
      if ((c == '.' || c == '\'') && (out.empty() || out.back() == '\n')) out += "\\&";
      out += static_cast<char>(c);
    } else {
      // One UTF-8 sequence; a stray byte becomes U+FFFD.
      char32_t cp = 0xFFFD;
      if (std::size_t n = DecodeUtf8(std::string_view(text).substr(i), &cp); n > 0) i += n - 1;
      else cp = 0xFFFD;
      char buf[16];
      std::snprintf(buf, sizeof buf, "\\[u%04X]", static_cast<unsigned>(cp));
      out += buf;
    }
  }
  return out;
}

// An option or command name: hyphens as \- so that they copy as ASCII minus.
std::string EscapeName(const std::string& name) {
  std::string out;
  for (char c : Escape(name)) {
    if (c == '-') out += "\\-";
    else out += c;
  }
  return out;
}

// "chorus: does things.\nMore." -> "does things": the one-line NAME summary
// ("chorus : fait des choses." in French).
std::string Summary(const std::string& description, const std::string& program) {
  std::string s = description.substr(0, description.find('\n'));
  if (s.rfind(program + ": ", 0) == 0) s = s.substr(program.size() + 2);
  else if (s.rfind(program + " : ", 0) == 0) s = s.substr(program.size() + 3);  // French typography
  while (!s.empty() && (s.back() == '.' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string JoinPath(const std::string& program, const CommandSpec& cmd) {
  return cmd.path.empty() ? program : program + " " + cmd.PathString();
}

std::string PageNameOf(const ManInfo& info, const CommandSpec& cmd) {
  if (!info.page_per_group || cmd.path.empty()) return info.program;
  return info.program + "-" + cmd.path.front();
}

void Synopsis(std::ostream& out, const std::string& program, const CommandSpec& cmd) {
  out << ".B " << EscapeName(JoinPath(program, cmd)) << "\n";
  std::string args;
  if (!cmd.options.empty()) args += "[\\fIOPTIONS\\fR]";
  for (const auto& p : cmd.positionals) {
    std::string arg = "\\fI" + EscapeName(p.positional_name) + "\\fR" + (p.repeatable ? "\\&..." : "");
    args += std::string(args.empty() ? "" : " ") + (p.required ? arg : "[" + arg + "]");
  }
  if (!cmd.subcommands.empty())
    args += std::string(args.empty() ? "" : " ") + (cmd.requires_subcommand ? "\\fICOMMAND\\fR" : "[\\fICOMMAND\\fR]");
  if (!args.empty()) out << args << "\n";
  out << ".br\n";
}

void OptionItem(std::ostream& out, const OptionSpec& opt) {
  out << ".TP\n";
  if (opt.positional()) {
    out << "\\fI" << EscapeName(opt.positional_name) << "\\fR" << (opt.repeatable ? "\\&..." : "") << "\n";
  } else {
    std::string names;
    for (const auto& n : opt.AllNames())
      names += (names.empty() ? "" : ", ") + std::string("\\fB") + EscapeName(n) + "\\fR";
    if (opt.takes_value) names += " \\fI" + EscapeName(opt.value_name.empty() ? "VALUE" : opt.value_name) + "\\fR";
    out << names << "\n";
  }
  std::string text = opt.description;
  if (!opt.choices.empty()) {
    std::string list;
    for (const auto& c : opt.choices) list += (list.empty() ? "" : ", ") + c;
    text += " (one of: " + list + ")";
  }
  if (!opt.default_value.empty()) text += " (default: " + opt.default_value + ")";
  if (opt.repeatable && !opt.positional() && text.find(Tr("repeatable")) == std::string::npos)
    text += Tr(" (repeatable)");
  if (opt.required) text += Tr(" (required)");
  out << Escape(text.empty() ? Tr("(no description)") : text) << "\n";
}

void Preformatted(std::ostream& out, const std::string& text) {
  out << ".PP\n.RS 4\n.nf\n" << Escape(text) << "\n.fi\n.RE\n";
}

void EntrySection(std::ostream& out, const char* title, const std::vector<ManEntry>& entries,
                  bool bold_terms) {
  if (entries.empty()) return;
  out << ".SH " << Escape(title) << "\n";
  for (const auto& e : entries)
    out << ".TP\n" << (bold_terms ? "\\fB" : "\\fI") << EscapeName(e.term) << "\\fR\n" << Escape(e.text) << "\n";
}

// Every subcommand has -h/--help; the pages list it once, with the global options.
bool IsSubcommandHelp(const CommandSpec& cmd, const OptionSpec& opt) {
  return !cmd.path.empty() &&
         std::find(opt.long_names.begin(), opt.long_names.end(), "--help") != opt.long_names.end();
}

std::vector<const OptionSpec*> DocumentedOptions(const CommandSpec& cmd) {
  std::vector<const OptionSpec*> out;
  for (const auto& p : cmd.positionals) out.push_back(&p);
  for (const auto& o : cmd.options)
    if (!IsSubcommandHelp(cmd, o)) out.push_back(&o);
  return out;
}

struct PagePlan {
  std::string name;                          // "chorus-attach"
  std::vector<const CommandSpec*> commands;  // the commands the page documents, depth first
};

std::vector<PagePlan> PlanPages(const std::vector<CommandSpec>& tree, const ManInfo& info) {
  std::vector<PagePlan> pages;
  auto page_for = [&](const std::string& name) -> PagePlan& {
    for (auto& p : pages)
      if (p.name == name) return p;
    pages.push_back({name, {}});
    return pages.back();
  };
  for (const auto& cmd : tree) page_for(PageNameOf(info, cmd)).commands.push_back(&cmd);
  return pages;
}

std::string RenderPage(const PagePlan& page, const std::vector<PagePlan>& all,
                       const CommandSpec& root, const ManInfo& info) {
  std::ostringstream out;
  const CommandSpec& head = *page.commands.front();
  bool root_page = head.path.empty();
  out << ".\\\" Generated by `" << info.program << " __man` from the command tree; do not edit.\n";
  out << ".TH " << EscapeName(Upper(page.name)) << " 1 \"\" \"" << Escape(info.program + " " + info.version)
      << "\" \"" << Escape(info.manual) << "\"\n";

  out << ".SH " << Escape(Tr("NAME")) << "\n" << EscapeName(page.name) << " \\- "
      << Escape(Summary(head.description, info.program)) << "\n";

  out << ".SH " << Escape(Tr("SYNOPSIS")) << "\n";
  for (const CommandSpec* cmd : page.commands)
    if (cmd == &head || cmd->subcommands.empty() || !cmd->requires_subcommand) Synopsis(out, info.program, *cmd);

  out << ".SH " << Escape(Tr("DESCRIPTION")) << "\n" << Escape(head.description) << "\n";
  if (!root_page && !head.footer.empty()) Preformatted(out, head.footer);
  // The commands this page documents, or for the root page of a split
  // manual, the groups and the page of each.
  if (root_page && info.page_per_group) {
    out << ".PP\n" << Escape(Tr("Commands (each has its own page):")) << "\n";
    for (const auto& name : head.subcommands) {
      const PagePlan* p = nullptr;
      for (const auto& candidate : all)
        if (candidate.name == info.program + "-" + name) p = &candidate;
      if (!p) continue;
      out << ".TP\n.BR " << EscapeName(p->name) << " (1)\n"
          << Escape(Summary(p->commands.front()->description, info.program)) << "\n";
    }
  } else if (page.commands.size() > 1) {
    out << ".PP\n" << Escape(Tr("Commands:")) << "\n";
    for (const CommandSpec* cmd : page.commands) {
      if (cmd == &head) continue;
      out << ".TP\n.B " << EscapeName(JoinPath(info.program, *cmd)) << "\n" << Escape(cmd->description) << "\n";
      if (!cmd->footer.empty()) Preformatted(out, cmd->footer);
    }
  }

  out << ".SH " << Escape(Tr("OPTIONS")) << "\n";
  for (const CommandSpec* cmd : page.commands) {
    auto documented = DocumentedOptions(*cmd);
    if (documented.empty()) continue;
    if (page.commands.size() > 1 || !root_page)
      out << ".SS \"" << Escape(cmd->path.empty() ? Tr("Global options") : JoinPath(info.program, *cmd)) << "\"\n";
    for (const OptionSpec* o : documented) OptionItem(out, *o);
  }
  // Global options are accepted after any command; a group page repeats them.
  if (!root_page && !root.options.empty()) {
    out << ".SS \"" << Escape(Tr("Global options")) << "\"\n" << Escape(Tr("Accepted before or after the command; see")) << "\n.BR "
        << EscapeName(info.program) << " (1).\n";
    for (const auto& o : root.options) OptionItem(out, o);
  }

  // The exit codes are the program's: one table, on its own page.
  if (root_page || !info.page_per_group) EntrySection(out, Tr("EXIT STATUS"), info.exit_status, true);
  else if (!info.exit_status.empty())
    out << ".SH " << Escape(Tr("EXIT STATUS")) << "\n" << Escape(Tr("As listed in")) << "\n.BR " << EscapeName(info.program) << " (1).\n";
  EntrySection(out, Tr("ENVIRONMENT"), info.environment, true);
  EntrySection(out, Tr("FILES"), info.files, false);

  if (auto it = info.examples.find(page.name); it != info.examples.end() && !it->second.empty()) {
    out << ".SH " << Escape(Tr("EXAMPLES")) << "\n";
    for (const auto& ex : it->second) {
      out << ".PP\n" << Escape(ex.description) << "\n";
      out << ".PP\n.RS 4\n.nf\n" << Escape(ex.command) << "\n.fi\n.RE\n";
    }
  }

  std::vector<std::string> refs;
  for (const auto& p : all)
    if (p.name != page.name) refs.push_back(p.name + "(1)");
  refs.insert(refs.end(), info.see_also.begin(), info.see_also.end());
  if (!refs.empty()) {
    out << ".SH " << Escape(Tr("SEE ALSO")) << "\n";
    for (std::size_t i = 0; i < refs.size(); ++i) {
      auto paren = refs[i].find('(');
      out << ".BR " << EscapeName(refs[i].substr(0, paren)) << " " << refs[i].substr(paren)
          << (i + 1 < refs.size() ? "," : "") << "\n";
    }
  }
  return out.str();
}

}  // namespace

std::vector<ManPage> RenderManPages(const CLI::App& root, const ManInfo& info) {
  std::vector<CommandSpec> tree = DescribeTree(root);
  std::vector<PagePlan> plans = PlanPages(tree, info);
  std::vector<ManPage> pages;
  for (const auto& plan : plans)
    pages.push_back({plan.name + ".1", RenderPage(plan, plans, tree.front(), info)});
  return pages;
}

std::string CoverageList(const CLI::App& root, const ManInfo& info) {
  std::ostringstream out;
  for (const CommandSpec& cmd : DescribeTree(root)) {
    std::string page = PageNameOf(info, cmd);
    if (!cmd.path.empty()) out << page << "\t" << JoinPath(info.program, cmd) << "\n";
    for (const OptionSpec* o : DocumentedOptions(cmd)) {
      if (o->positional()) out << page << "\t" << o->positional_name << "\n";
      for (const auto& n : o->AllNames()) out << page << "\t" << n << "\n";
    }
  }
  return out.str();
}

void AddManCommand(CLI::App& root, ManInfo info) {
  auto* man = root.add_subcommand("__man", "Write the man pages into DIR (build step)");
  man->group("");  // hidden
  auto dir = std::make_shared<std::string>();
  auto list = std::make_shared<bool>(false);
  man->add_option("DIR", *dir, "Directory to write the pages into");
  man->add_flag("--list", *list, "Print what the pages must cover instead");
  man->callback([&root, info = std::move(info), dir, list] {
    if (*list) {
      std::cout << CoverageList(root, info);
      throw CLI::Success();
    }
    if (dir->empty()) throw CLI::ValidationError("__man", "give DIR or --list");
    std::error_code ec;
    std::filesystem::create_directories(*dir, ec);
    for (const ManPage& page : RenderManPages(root, info)) {
      std::string path = (std::filesystem::path(*dir) / page.file_name).string();
      std::ofstream file(path, std::ios::binary | std::ios::trunc);
      file << page.roff;
      file.close();
      if (!file) {
        std::cerr << info.program << ": cannot write " << path << "\n";
        throw CLI::RuntimeError(1);
      }
    }
    throw CLI::Success();
  });
}

}  // namespace chorus::clidoc
