// chorus: administer Chorus Pro accounts and structure attachments.
#include <CLI/CLI.hpp>

#include <iostream>
#include <set>
#include <string>

#include "app.h"
#include "chorus/i18n.h"
#include "help.h"
#include "tr.h"
#include "locale_text.h"
#include "terminal_charset.h"
#include "xlsx_sink.h"

namespace {

// --dry-run means the same everywhere: change nothing. A command that only
// reads changes nothing anyway, so it runs as usual; it says so.
void NoteReadOnlyDryRun(const chorus::cli::App& app, CLI::App& root) {
  static const std::set<std::string> kMutations = {
      "signup", "activate", "structure edit", "attach request", "attach approve", "attach reject",
      "profile add", "profile set", "profile use", "profile remove"};
  std::string path;
  for (CLI::App* command = &root; !command->get_subcommands().empty();) {
    command = command->get_subcommands().front();
    path += (path.empty() ? "" : " ") + command->get_name();
  }
  if (path.empty() || path == "help" || kMutations.count(path)) return;
  app.Info(chorus::cli::TrFormat("--dry-run: chorus {} only reads, so it ran as usual and changed nothing.", path));
}

int Main(int argc, char** argv) {
  using namespace chorus::cli;
  chorus::InitTranslations(argc > 0 ? argv[0] : "chorus");
  TerminalCharset terminal_charset(UserLocale());  // before anything is printed
  App app;
  CLI::App root(Tr("chorus: administer Chorus Pro accounts and structure attachments (rattachements): sign up, "
                   "attachment requests (demandes de rattachement) that a structure's main manager (gestionnaire "
                   "principal) approves, profiles for the sandbox or PISTE with a technical account (compte "
                   "technique)"),
                "chorus");
  root.set_version_flag("--version", "chorus " CHORUS_VERSION, Tr("Display program version information and exit"));
  root.footer(Tr("Profiles live in $XDG_CONFIG_HOME/chorus/config.toml; see chorus-config(5)."));
  // Exactly one command; alone, chorus (or a group) prints its help (help.h).
  root.require_subcommand(1);
  InstallHelpFormatter(root, app.stdout_width());
  // Global options are accepted after the subcommand too.
  root.fallthrough();
  root.option_defaults()->always_capture_default(false);

  GlobalOptions& o = app.options;
  root.add_option("--profile", o.profile, Tr("Profile to use (env: CHORUS_PROFILE)"))->type_name("NAME");
  root.add_option("--config", o.config, Tr("Config file (env: CHORUS_CONFIG)"))->type_name("FILE");
  root.add_option("-o,--output", o.output,
                  Tr("Output format: table, wide (a table of every field, never shortened), json, ndjson, "
                  "tsv, csv, xlsx (an Excel workbook, to redirect to a file) (default: table on a terminal, "
                  "tsv otherwise)"))
      ->type_name("FORMAT")
      ->check(CLI::IsMember({"table", "wide", "json", "ndjson", "tsv", "csv", "xlsx"}))
      ->check(CLI::Validator(
          [&app](std::string& format) -> std::string {
            if (format != "xlsx") return "";
            // In English: the JSON error says it so; stderr translates it (DescribeParseError).
            if (!XlsxSink::Available())
              return Msg("this chorus was built without libxlsxwriter: use -o csv --csv-excel").english;
            if (app.stdout_is_tty())
              return Msg("an xlsx workbook is binary: redirect stdout to a file (> clients.xlsx)").english;
            return "";
          },
          ""));
  root.add_flag("--csv-excel", o.csv_excel,
                Tr("CSV that French Excel opens in columns: ';' separator, UTF-8 BOM, CRLF (implies -o csv)"));
  root.add_option("--color", o.color, Tr("Colour: auto, always, never (auto honours NO_COLOR)"))
      ->type_name("WHEN")
      ->check(CLI::IsMember({"auto", "always", "never"}));
  root.add_option("--progress", o.progress,
                  Tr("Bulk runs' progress on stderr: auto (a bar on a terminal), bar, ndjson (one JSON event a "
                  "line, for wrappers), none"))
      ->type_name("HOW")
      ->check(CLI::IsMember({"auto", "bar", "ndjson", "none"}));
  root.add_flag("-q,--quiet", o.quiet, Tr("Print only results and errors"));
  root.add_flag("-v,--verbose", o.verbosity,
                Tr("On stderr: -v a line per HTTP call (method, path, status, ms, attempt) and per retry (reason, "
                "wait); -vv also the requests and responses (secrets redacted)"));
  root.add_flag("--yes", o.yes, Tr("Confirm mutations (required when stdin is not a terminal)"));
  root.add_flag("--dry-run", o.dry_run,
                Tr("Change nothing: a mutation shows what it would change (the requests it would send, on "
                "stderr) and changes nothing, on the portal or in the config; a read runs as usual"));
  root.add_option("--timeout", o.timeout,
                  Tr("Longest time one portal operation may take, retries included, e.g. 90s or 2m "
                  "(default: the profile's timeout, else 60s)"))
      ->type_name("DURATION")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            auto d = chorus::ParseDuration(text);
            if (!d || *d < std::chrono::seconds(1) || *d > chorus::kMaxTimeout)
              return Msg("expected a duration between 1s and 1h, such as 90s or 2m").english;
            return "";
          },
          "DURATION"));
  root.add_flag("--retry-login", o.retry_login,
                Tr("Send credentials the portal refused before once more, on purpose (it locks an "
                "account for an hour after 5 failed logins)"));

  int exit_code = 0;
  RegisterAccountCommands(root, app, &exit_code);
  RegisterStructureCommands(root, app, &exit_code);
  RegisterAttachCommands(root, app, &exit_code);
  RegisterProfileCommands(root, app, &exit_code);
  RegisterSiretCommands(root, app, &exit_code);
  RegisterDoctorCommand(root, app, &exit_code);
  RegisterCompletionCommand(root, app, &exit_code);
  RegisterHelpCommand(root, app, &exit_code);
  RegisterManCommand(root);

  // Arguments typed in a Latin-1 terminal become UTF-8 here, or exit 2.
  auto args = Utf8Arguments::FromCommandLine(argc, argv, root);
  if (!args.ok()) return app.Fail(args.status());
  try {
    root.parse(args->argc(), args->argv());
  } catch (const CLI::ParseError& e) {
    // CLI11's own codes (100+) become the documented usage code 2.
    return ExitForParseError(app, root, e, args->argc(), args->argv());
  }
  if (app.options.dry_run) NoteReadOnlyDryRun(app, root);
  return exit_code;
}

}  // namespace

int main(int argc, char** argv) {
  // No exception crosses main: a bug gets a message and exit 1, never an
  // abort (134) that leaves a half-printed run without its summary.
  try {
    return Main(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "chorus: " << chorus::Tr("internal error:") << " " << e.what() << "\n";
  } catch (...) {
    std::cerr << "chorus: " << chorus::Tr("internal error: unknown exception") << "\n";
  }
  return chorus::cli::kExitError;
}
