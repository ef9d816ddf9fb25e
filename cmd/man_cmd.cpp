// chorus __man DIR (hidden): writes chorus(1) and one chorus-GROUP(1) page per
// command group, generated from the command tree at build time. Only what the
// tree cannot know is written here: environment and files; the exit codes and
// the examples are those of the help pages (help.h).
#include <CLI/CLI.hpp>

#include "app.h"
#include "help.h"
#include "tr.h"
#include "clidoc/man_page.h"

namespace chorus::cli {
namespace {

clidoc::ManInfo ChorusManInfo(const CLI::App& root) {
  clidoc::ManInfo info;
  info.program = "chorus";
  info.version = CHORUS_VERSION;
  info.manual = Tr("chorus manual");
  for (const auto& e : ExitStatusTable()) info.exit_status.push_back({e.code, e.meaning});
  info.environment = {
      {"CHORUS_PROFILE", Tr("Profile to use, as --profile.")},
      {"CHORUS_CONFIG", Tr("Config file, as --config.")},
      {"CHORUS_ENVIRONMENT", Tr("Overrides the profile's environment: sandbox, qualification or production.")},
      {"CHORUS_API_URL", Tr("Overrides the profile's API base URL; alone, defines a profile named env.")},
      {"CHORUS_OAUTH_URL", Tr("Overrides the profile's OAuth token URL.")},
      {"CHORUS_CLIENT_ID", Tr("Overrides the profile's client id.")},
      {"CHORUS_LOGIN", Tr("Overrides the profile's account login.")},
      {"CHORUS_CLIENT_SECRET", Tr("The client secret, for CI; prefer client_secret_cmd or client_secret_file, "
                                  "since the environment of a process can leak.")},
      {"CHORUS_PASSWORD", Tr("The account password, for CI; same caution as CHORUS_CLIENT_SECRET.")},
      {"NO_COLOR", Tr("When set and not empty, no colour unless --color always.")},
      {"CLICOLOR_FORCE", Tr("When set to a value other than 0, colour even when output is not a terminal.")},
      {"XDG_CONFIG_HOME", Tr("Base of the default config file (default ~/.config).")},
      {"XDG_STATE_HOME", Tr("Base of the bulk-run journals (default ~/.local/state).")},
  };
  info.files = {
      {"$XDG_CONFIG_HOME/chorus/config.toml",
       Tr("Profiles (default ~/.config/chorus/config.toml); see chorus-config(5). Written with mode 0600; "
          "a config readable by group or others gets a warning.")},
      {"$XDG_CONFIG_HOME/chorus/secrets/", Tr("Secrets given to profile add on stdin, one 0600 file each.")},
      {"$XDG_STATE_HOME/chorus/",
       Tr("Journals of bulk runs, so that rerunning the same command resumes without re-sending finished items.")},
  };
  info.see_also = {"chorus-config(5)", "chorus-sandbox(1)"};

  // The examples of each command's help page, gathered on its group's page.
  auto add = [&info](const std::string& page, const std::string& path) {
    for (const auto& ex : ExamplesOf(path)) info.examples[page].push_back({ex.description + ":", ex.command});
  };
  add("chorus", "");
  for (const CLI::App* group : root.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); })) {
    const std::string page = "chorus-" + group->get_name();
    add(page, group->get_name());
    for (const CLI::App* sub : group->get_subcommands([](const CLI::App*) { return true; }))
      add(page, group->get_name() + " " + sub->get_name());
  }
  return info;
}

}  // namespace

void RegisterManCommand(CLI::App& root) { clidoc::AddManCommand(root, ChorusManInfo(root)); }

}  // namespace chorus::cli
