// chorus: administer Chorus Pro accounts and structure attachments.
#include <CLI/CLI.hpp>

#include <iostream>

#include "app.h"
#include "locale_text.h"
#include "terminal_charset.h"

namespace {

constexpr const char* kFooter = R"(Exit status:
  0 ok, 1 error, 2 usage, 3 partial (some items failed), 4 authentication or
  authorisation refused, 5 not found, 6 not available in this environment
  (portal-only), 7 portal unavailable (network, 5xx or 429 after retries),
  130 interrupted.

Profiles live in $XDG_CONFIG_HOME/chorus/config.toml; see chorus-config(5).)";

}  // namespace

namespace {

int Main(int argc, char** argv) {
  using namespace chorus::cli;
  TerminalCharset terminal_charset(UserLocale());  // before anything is printed
  App app;
  CLI::App root("chorus: administer Chorus Pro accounts and structure attachments", "chorus");
  root.set_version_flag("--version", "chorus " CHORUS_VERSION);
  root.footer(kFooter);
  root.require_subcommand(1);
  // Global options are accepted after the subcommand too.
  root.fallthrough();
  root.option_defaults()->always_capture_default(false);

  GlobalOptions& o = app.options;
  root.add_option("--profile", o.profile, "Profile to use (env: CHORUS_PROFILE)");
  root.add_option("--config", o.config, "Config file (env: CHORUS_CONFIG)");
  root.add_option("-o,--output", o.output,
                  "Output format: table, json, ndjson, tsv, csv (default: table on a terminal, "
                  "tsv otherwise)")
      ->check(CLI::IsMember({"table", "json", "ndjson", "tsv", "csv"}));
  root.add_option("--color", o.color, "Colour: auto, always, never (auto honours NO_COLOR)")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  root.add_flag("-q,--quiet", o.quiet, "Print only results and errors");
  root.add_flag("-v,--verbose", o.verbosity,
                "More detail on stderr; -vv traces HTTP requests and responses (secrets redacted)");
  root.add_flag("--yes", o.yes, "Confirm mutations (required when stdin is not a terminal)");
  root.add_flag("--dry-run", o.dry_run, "Print the requests a mutation would send; send nothing");
  root.add_option("--timeout", o.timeout,
                  "Longest time one portal operation may take, retries included, e.g. 90s or 2m "
                  "(default: the profile's timeout, else 60s)")
      ->type_name("DURATION")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            auto d = chorus::ParseDuration(text);
            if (!d || *d < std::chrono::seconds(1) || *d > chorus::kMaxTimeout)
              return "expected a duration between 1s and 1h, such as 90s or 2m";
            return "";
          },
          "DURATION"));
  root.add_flag("--retry-login", o.retry_login,
                "Send credentials the portal refused before once more, on purpose (it locks an "
                "account for an hour after 5 failed logins)");

  int exit_code = 0;
  RegisterAccountCommands(root, app, &exit_code);
  RegisterStructureCommands(root, app, &exit_code);
  RegisterAttachCommands(root, app, &exit_code);
  RegisterProfileCommands(root, app, &exit_code);
  RegisterSiretCommands(root, app, &exit_code);
  RegisterDoctorCommand(root, app, &exit_code);
  RegisterCompletionCommand(root, app, &exit_code);
  RegisterManCommand(root);

  // Arguments typed in a Latin-1 terminal become UTF-8 here, or exit 2.
  auto args = Utf8Arguments::FromCommandLine(argc, argv, root);
  if (!args.ok()) return app.Fail(args.status());
  try {
    root.parse(args->argc(), args->argv());
  } catch (const CLI::ParseError& e) {
    // CLI11's own codes (100+) become the documented usage code 2.
    int code = root.exit(e);
    return code == 0 ? 0 : kExitUsage;
  }
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  // No exception crosses main: a bug gets a message and exit 1, never an
  // abort (134) that leaves a half-printed run without its summary.
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "chorus: internal error: " << e.what() << "\n";
  } catch (...) {
    std::cerr << "chorus: internal error: unknown exception\n";
  }
  return chorus::cli::kExitError;
}
