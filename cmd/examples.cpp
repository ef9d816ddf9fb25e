// The examples of every command, shown by its help page and its man page. A
// test checks that each names its command and only flags that command takes.
#include <map>

#include "help.h"
#include "tr.h"

namespace chorus::cli {

// Both tables are built on their first call, after InitTranslations: their
// descriptions are in the user's language (the commands are not).
const std::vector<ExitStatus>& ExitStatusTable() {
  static const std::vector<ExitStatus> kTable = {
      {"0", Tr("Success.")},
      {"1", Tr("Error (including invalid SIRETs for siret check).")},
      {"2", Tr("Usage error: unknown command or flag, bad value, unreadable input file.")},
      {"3", Tr("Partial: some items of a bulk run failed (one result per item says which).")},
      {"4", Tr("Authentication or authorisation refused.")},
      {"5", Tr("Not found.")},
      {"6", Tr("Not available in this environment: a portal-only step on a PISTE profile; the steps to do "
            "by hand on the portal are printed.")},
      {"7", Tr("Portal unavailable: network error, HTTP 5xx or 429 after retries.")},
      {"130", Tr("Interrupted (Ctrl-C); a rerun of a bulk command resumes from its journal.")},
  };
  return kTable;
}

const std::vector<Example>& ExamplesOf(const std::string& path) {
  static const std::map<std::string, std::vector<Example>> kExamples = {
      {"",
       {{Tr("Start the local portal and point a profile at it"),
         "chorus-sandbox serve --data ./sandbox-data --seed demo &\n"
         "chorus profile add sandbox --sandbox http://127.0.0.1:8787"},
        {Tr("Check the setup, then who you are on the portal"), "chorus doctor\nchorus whoami"},
        {Tr("Ask to be attached to every client farm of a CSV file, then follow the requests"),
         "chorus attach request --from clients.csv --yes\nchorus list pending --outgoing -o json"}}},
      {"signup",
       {{Tr("Create an account and a new structure (you become its main manager), opening the "
         "\"Sollicitations émises\" space"),
         "chorus signup --email marie.martin@cg-beauce.example --siret 44306184100047 \\\n"
         "  --first-name Marie --last-name Martin --payment-requests \\\n"
         "  --structure-name \"CG Beauce\" --address \"1 rue du Marché\" --postal-code 28000 --city Chartres \\\n"
         "  --open-space SOLLICITATIONS_EMISES --yes"},
        {Tr("Create an account on a structure that exists (an attachment request its main manager validates)"),
         "chorus signup --email paul@cg-beauce.example --siret 44306184100047 --first-name Paul --last-name Durand"}}},
      {"activate",
       {{Tr("Activate from the link of the e-mail; the password and secret answer are asked for, hidden"),
         "chorus activate --link 'http://127.0.0.1:8787/activation?jeton=...' --secret-question 'First pet?'"},
        {Tr("In a script: the password and the secret answer as two lines of stdin"),
         "printf '%s\\n%s\\n' \"$PASSWORD\" \"$ANSWER\" | chorus activate --token T --secret-question 'First pet?' "
         "--credentials-stdin --yes"}}},
      {"whoami", {{Tr("The account and its attachments, as JSON"), "chorus whoami -o json"}}},
      {"structure show",
       {{Tr("A structure by SIRET, then by its portal id"), "chorus structure show 44306184100047\nchorus structure show 1042"}}},
      {"structure search",
       {{Tr("Structures whose name contains \"beauce\", as JSON"), "chorus structure search --name beauce -o json"},
        {Tr("The structure of a SIRET"), "chorus structure search --siret \"443 061 841 00047\""}}},
      {"structure edit",
       {{Tr("Mark your structure as a centre de gestion agricole"),
         "chorus structure edit 44306184100047 --centre-de-gestion --yes"},
        {Tr("Open the TIC refund space of a farm you manage"),
         "chorus structure edit 73282932000074 --open-space demande-remboursement-tic --yes"},
        {Tr("See what would change, changing nothing"),
         "chorus structure edit 44306184100047 --centre-de-gestion=false --dry-run"}}},
      {"attach request",
       {{Tr("Ask to be attached to a few farms"), "chorus attach request 73282932000074 \"443 061 841 00047\" --yes"},
        {Tr("Bulk, from the SIRET column of a CSV; rerun the same command to resume after a failure"),
         "chorus attach request --from clients.csv --column siret --yes -o ndjson"},
        {Tr("The requests it would send, on stderr; nothing is sent"),
         "chorus attach request --from clients.csv --dry-run"}}},
      {"attach approve",
       {{Tr("As a farm's manager, approve every pending request"), "chorus attach approve --all --yes"},
        {Tr("As the manager of several farms, approve the centre's requests to those a file lists, 4 at a time"),
         "chorus attach approve --from farms.csv --user marie@cg-beauce.example --concurrency 4 --yes"},
        {Tr("Approve two requests by ID"), "chorus attach approve 42 43 --yes"}}},
      {"attach reject",
       {{Tr("Reject two requests by ID, with the reason the requester will read"),
         "chorus attach reject 42 43 --comment \"Pas de mandat signé\" --yes"},
        {Tr("Reject every pending request of one user"), "chorus attach reject --user paul@example.org --comment \"Inconnu\" --yes"}}},
      {"attach list",
       {{Tr("Your attachments and requests"), "chorus attach list"},
        {Tr("Only the refused ones, as CSV for French Excel"), "chorus attach list --status refused -o csv --csv-excel > refused.csv"},
        {Tr("Is this farm ready for TIC refund requests?"), "chorus attach list --siret 73282932000074 --ready"}}},
      {"attach status",
       {{Tr("Which client farms are ready for TIC refund requests, and what to do for the others"),
         "chorus attach status --from clients.csv"},
        {Tr("The chase list: the farms not ready yet and the next step for each, for French Excel"),
         "chorus attach status --from clients.csv --only not-ready -o csv --csv-excel > to-chase.csv"}}},
      {"list pending",
       {{Tr("Requests waiting for you, and yours waiting for others"), "chorus list pending"},
        {Tr("Requests to one of your structures, from one user, as JSON"),
         "chorus list pending --incoming --structure 73282932000074 --user paul@example.org -o json"}}},
      {"profile add",
       {{Tr("A profile on the local sandbox, made the default; the password is asked for, hidden"),
         "chorus profile add sandbox --sandbox http://127.0.0.1:8787 --login marie@cg.example --password-stdin "
         "--default"},
        {Tr("A qualification profile whose secrets come from a password manager"),
         "chorus profile add qualif --environment qualification --client-id ID \\\n"
         "  --client-secret-cmd 'pass show piste/secret' --login tech@cg.example --password-cmd 'pass show piste/account'"}}},
      {"profile set",
       {{Tr("Change the login of a profile, and only that"), "chorus profile set qualif login=tech2@cg.example"},
        {Tr("Store a new password (asked for, hidden)"), "chorus profile set sandbox --password"},
        {Tr("Take the password from a password manager from now on"),
         "chorus profile set qualif password_cmd='pass show piste/account'"}}},
      {"profile list", {{Tr("Every profile, as JSON"), "chorus profile list -o json"}}},
      {"profile show", {{Tr("The active profile, then another one"), "chorus profile show\nchorus profile show qualif"}}},
      {"profile use", {{Tr("Make qualif the default profile"), "chorus profile use qualif"}}},
      {"profile remove",
       {{Tr("What removing a profile would change, then remove it"),
         "chorus profile remove farm1 --dry-run\nchorus profile remove farm1 --yes"}}},
      {"siret check",
       {{Tr("Check SIRETs given as arguments"), "chorus siret check 73282932000074 \"356 000 000 00048\""},
        {Tr("Check a file before a bulk run"), "chorus siret check --from clients.csv"}}},
      {"doctor",
       {{Tr("Check the active profile, then another one"), "chorus doctor\nchorus --profile qualif doctor"}}},
      {"completion",
       {{Tr("Load bash completion in the current shell"), "source <(chorus completion bash)"},
        {Tr("Install for the current user (bash, zsh, fish)"),
         "chorus completion bash > ~/.local/share/bash-completion/completions/chorus\n"
         "chorus completion zsh > \"${fpath[1]}/_chorus\"\n"
         "chorus completion fish > ~/.config/fish/completions/chorus.fish"}}},
      {"help",
       {{Tr("The commands of a group, then one command's page"), "chorus help attach\nchorus help attach request"}}},
  };
  static const std::vector<Example> kNone;
  auto it = kExamples.find(path);
  return it == kExamples.end() ? kNone : it->second;
}

}  // namespace chorus::cli
