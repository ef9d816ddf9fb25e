// chorus __man DIR (hidden): writes chorus(1) and one chorus-GROUP(1) page per
// command group, generated from the command tree at build time. Only what the
// tree cannot know is written here: exit codes, environment, files, examples.
#include <CLI/CLI.hpp>

#include "app.h"
#include "clidoc/man_page.h"

namespace chorus::cli {
namespace {

clidoc::ManInfo ChorusManInfo() {
  clidoc::ManInfo info;
  info.program = "chorus";
  info.version = CHORUS_VERSION;
  info.manual = "chorus manual";
  info.exit_status = {
      {"0", "Success."},
      {"1", "Error."},
      {"2", "Usage error: unknown command or option, bad value."},
      {"3", "Partial: some items of a bulk run failed (one result per item says which)."},
      {"4", "Authentication or authorisation refused."},
      {"5", "Not found."},
      {"6", "Not available in this environment: a portal-only step on a PISTE profile; "
            "the steps to do by hand on the portal are printed."},
      {"7", "Portal unavailable: network error, HTTP 5xx or 429 after retries."},
      {"130", "Interrupted (Ctrl-C); a rerun of a bulk command resumes from its journal."},
  };
  info.environment = {
      {"CHORUS_PROFILE", "Profile to use, as --profile."},
      {"CHORUS_CONFIG", "Config file, as --config."},
      {"CHORUS_ENVIRONMENT", "Overrides the profile's environment: sandbox, qualification or production."},
      {"CHORUS_API_URL", "Overrides the profile's API base URL; alone, defines a profile named env."},
      {"CHORUS_OAUTH_URL", "Overrides the profile's OAuth token URL."},
      {"CHORUS_CLIENT_ID", "Overrides the profile's client id."},
      {"CHORUS_LOGIN", "Overrides the profile's account login."},
      {"CHORUS_CLIENT_SECRET", "The client secret, for CI; prefer client_secret_cmd or client_secret_file, "
                               "since the environment of a process can leak."},
      {"CHORUS_PASSWORD", "The account password, for CI; same caution as CHORUS_CLIENT_SECRET."},
      {"NO_COLOR", "When set and not empty, no colour unless --color always."},
      {"CLICOLOR_FORCE", "When set to a value other than 0, colour even when output is not a terminal."},
      {"XDG_CONFIG_HOME", "Base of the default config file (default ~/.config)."},
      {"XDG_STATE_HOME", "Base of the bulk-run journals (default ~/.local/state)."},
  };
  info.files = {
      {"$XDG_CONFIG_HOME/chorus/config.toml",
       "Profiles (default ~/.config/chorus/config.toml); see chorus-config(5). Written with mode 0600; "
       "a config readable by group or others gets a warning."},
      {"$XDG_CONFIG_HOME/chorus/secrets/",
       "Secrets given to profile add on stdin, one 0600 file each."},
      {"$XDG_STATE_HOME/chorus/",
       "Journals of bulk runs, so that rerunning the same command resumes without re-sending finished items."},
  };
  info.see_also = {"chorus-config(5)", "chorus-sandbox(1)"};

  auto& ex = info.examples;
  ex["chorus"] = {
      {"Start the local portal and point a profile at it:",
       "chorus-sandbox serve --data ./sandbox-data --seed demo &\n"
       "chorus profile add sandbox --sandbox http://127.0.0.1:8787"},
      {"Check the setup, then who you are on the portal:", "chorus doctor\nchorus whoami"},
      {"Ask to be attached to every client farm of a CSV file, then follow the requests:",
       "chorus attach request --from clients.csv --yes\nchorus list pending --outgoing -o json"},
  };
  ex["chorus-signup"] = {
      {"Create an account and a new structure (you become its main manager), opening the "
       "\"Sollicitations émises\" space:",
       "chorus signup --email marie.martin@cg-beauce.example --siret 44306184100047 \\\n"
       "  --first-name Marie --last-name Martin --payment-requests \\\n"
       "  --structure-name \"CG Beauce\" --address \"1 rue du Marché\" --postal-code 28000 --city Chartres \\\n"
       "  --open-space SOLLICITATIONS_EMISES --yes"},
      {"Create an account on a structure that exists (an attachment request):",
       "chorus signup --email paul@cg-beauce.example --siret 44306184100047 --first-name Paul --last-name Durand"},
  };
  ex["chorus-activate"] = {
      {"Activate from the link of the e-mail; the password and secret answer are prompted for:",
       "chorus activate --link 'http://127.0.0.1:8787/activation?token=...' --secret-question 'First pet?'"},
      {"Non-interactive: password and secret answer as two lines of stdin:",
       "printf '%s\\n%s\\n' \"$PASSWORD\" \"$ANSWER\" | chorus activate --token T --credentials-stdin"},
  };
  ex["chorus-structure"] = {
      {"Show a structure, then search by name:",
       "chorus structure show 44306184100047\nchorus structure search --name beauce -o json"},
      {"Mark your structure as a centre de gestion agricole:",
       "chorus structure edit 44306184100047 --centre-de-gestion --yes"},
      {"Open the TIC refund space of a farm you manage:",
       "chorus structure edit 73282932000074 --open-space demande-remboursement-tic --yes"},
  };
  ex["chorus-attach"] = {
      {"Ask to be attached to a few farms:", "chorus attach request 73282932000074 \"443 061 841 00047\" --yes"},
      {"Bulk, from the SIRET column of a CSV; rerun the same command to resume after a failure:",
       "chorus attach request --from clients.csv --column siret --yes -o ndjson"},
      {"As a farm's manager, approve every pending request:", "chorus attach approve --all --yes"},
      {"As the manager of several farms, approve the centre's requests to those a file lists, 4 at a time:",
       "chorus attach approve --from farms.csv --user marie@cg-beauce.example --concurrency 4 --yes"},
      {"Reject two requests by ID, with the reason the requester will read:",
       "chorus attach reject 42 43 --comment \"Pas de mandat signé\" --yes"},
      {"Which client farms are ready for TIC refund requests:", "chorus attach status --from clients.csv -o csv"},
  };
  ex["chorus-list"] = {
      {"Requests waiting for you, and yours waiting for others:", "chorus list pending\nchorus list pending --incoming -o json"},
  };
  ex["chorus-profile"] = {
      {"A profile on the local sandbox, made the default:",
       "chorus profile add sandbox --sandbox http://127.0.0.1:8787 --login marie@cg.example --password-stdin --default"},
      {"A qualification profile whose secrets come from a password manager:",
       "chorus profile add qualif --environment qualification --client-id ID \\\n"
       "  --client-secret-cmd 'pass show piste/secret' --login tech@cg.example --password-cmd 'pass show piste/account'"},
      {"List, inspect and switch:", "chorus profile list\nchorus profile show qualif\nchorus profile use qualif"},
  };
  ex["chorus-siret"] = {
      {"Check SIRETs given as arguments, or a file before a bulk run:",
       "chorus siret check 73282932000074 \"356 000 000 00048\"\nchorus siret check --from clients.csv"},
  };
  ex["chorus-doctor"] = {
      {"Check the active profile, then another one:", "chorus doctor\nchorus --profile qualif doctor"},
  };
  ex["chorus-whoami"] = {
      {"The account and its attachments, as JSON:", "chorus whoami -o json"},
  };
  ex["chorus-completion"] = {
      {"Load bash completion in the current shell:", "source <(chorus completion bash)"},
      {"Install for the current user (bash, zsh, fish):",
       "chorus completion bash > ~/.local/share/bash-completion/completions/chorus\n"
       "chorus completion zsh > \"${fpath[1]}/_chorus\"\n"
       "chorus completion fish > ~/.config/fish/completions/chorus.fish"},
  };
  return info;
}

}  // namespace

void RegisterManCommand(CLI::App& root) { clidoc::AddManCommand(root, ChorusManInfo()); }

}  // namespace chorus::cli
