#include "clidoc/command_tree.h"

#include <CLI/CLI.hpp>

namespace chorus::clidoc {
namespace {

OptionSpec DescribeOption(const CLI::Option& opt) {
  OptionSpec spec;
  spec.short_names.reserve(opt.get_snames().size());
  for (const auto& s : opt.get_snames()) spec.short_names.push_back("-" + s);
  for (const auto& l : opt.get_lnames()) spec.long_names.push_back("--" + l);
  if (!opt.nonpositional()) spec.positional_name = opt.get_name(true);
  spec.description = opt.get_description();
  // Flags expect no value; everything else does.
  spec.takes_value = opt.get_expected_max() > 0;
  if (spec.takes_value) {
    std::string type = opt.get_type_name();
    spec.value_name = type.substr(0, type.find(':'));
    spec.choices = ChoicesFromTypeName(type);
    spec.default_value = opt.get_default_str();
  }
  spec.repeatable = opt.get_items_expected_max() > 1;
  spec.required = opt.get_required();
  return spec;
}

void Describe(const CLI::App& app, std::vector<std::string> path, std::vector<CommandSpec>& out) {
  CommandSpec spec;
  spec.path = path;
  spec.name = app.get_name();
  spec.description = app.get_description();
  spec.footer = app.get_footer();
  // A subcommand starts with a copy of its parent's footer.
  if (app.get_parent() && app.get_parent()->get_footer() == spec.footer) spec.footer.clear();
  spec.requires_subcommand = app.get_require_subcommand_min() > 0;
  for (const CLI::Option* opt : app.get_options()) {
    OptionSpec o = DescribeOption(*opt);
    (o.positional() ? spec.positionals : spec.options).push_back(std::move(o));
  }
  auto visible = app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
  for (const CLI::App* sub : visible) spec.subcommands.push_back(sub->get_name());
  out.push_back(std::move(spec));
  for (const CLI::App* sub : visible) {
    std::vector<std::string> child = path;
    child.push_back(sub->get_name());
    Describe(*sub, std::move(child), out);
  }
}

}  // namespace

std::string OptionSpec::DisplayNames() const {
  if (positional()) return positional_name;
  std::string text;
  for (const auto& n : AllNames()) text += (text.empty() ? "" : ", ") + n;
  return text;
}

std::vector<std::string> OptionSpec::AllNames() const {
  std::vector<std::string> names = short_names;
  names.insert(names.end(), long_names.begin(), long_names.end());
  return names;
}

std::string CommandSpec::PathString() const {
  std::string text;
  for (const auto& p : path) text += (text.empty() ? "" : " ") + p;
  return text;
}

std::vector<CommandSpec> DescribeTree(const CLI::App& root) {
  std::vector<CommandSpec> out;
  Describe(root, {}, out);
  return out;
}

bool TakesPath(const OptionSpec& opt) {
  if (!opt.takes_value) return false;
  for (const auto& name : opt.long_names)
    if (name == "--config" || name == "--from" || name == "--ca-bundle" ||
        (name.size() > 5 && name.compare(name.size() - 5, 5, "-file") == 0))
      return true;
  return false;
}

std::set<std::string> ValuedOptionNames(const std::vector<CommandSpec>& tree) {
  std::set<std::string> names;
  for (const auto& cmd : tree)
    for (const auto& opt : cmd.options)
      if (opt.takes_value)
        for (const auto& n : opt.AllNames()) names.insert(n);
  return names;
}

std::vector<std::string> ChoicesFromTypeName(const std::string& type_name) {
  // CLI::IsMember describes itself as "{a,b,c}" after the base type name.
  std::vector<std::string> choices;
  auto open = type_name.find(":{");
  if (open == std::string::npos) return choices;
  auto close = type_name.find('}', open);
  if (close == std::string::npos) return choices;
  std::string list = type_name.substr(open + 2, close - open - 2);
  std::size_t start = 0;
  while (start <= list.size()) {
    auto comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) choices.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return choices;
}

}  // namespace chorus::clidoc
