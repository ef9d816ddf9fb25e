// What every command shares: the global options, the terminal, the profile,
// and the mapping from a library Status to a message and an exit code.
#pragma once

#include <iosfwd>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "chorus/cancel.h"
#include "chorus/i18n.h"
#include "chorus/client.h"
#include "chorus/profile.h"
#include "chorus/session.h"
#include "chorus/status.h"
#include "output.h"
#include "portal_steps.h"

namespace CLI {
class App;
}

namespace chorus::cli {

// The client secret of chorus-sandbox's built-in client, public.
inline constexpr const char* kSandboxClientSecret = "sandbox";

// Exit codes of product.md §3 that are not a library ErrorKind.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitPartial = 3;
inline constexpr int kExitInterrupted = 130;

struct GlobalOptions {
  std::string profile;
  std::string config;
  std::string output;  // empty: table on a terminal, tsv otherwise (csv with csv_excel)
  bool csv_excel = false;  // csv for French Excel: ';', a BOM, CRLF
  std::string color = "auto";
  std::string progress = "auto";  // bulk runs: auto (a bar when stderr is a terminal), bar, ndjson, none
  int verbosity = 0;
  bool quiet = false;
  bool yes = false;
  bool dry_run = false;
  std::string timeout;       // --timeout DURATION, checked at parse time; empty: the profile's, else 60 s
  bool retry_login = false;  // send credentials remembered as refused once more
};

class Interrupts;

// "sandbox", "qualification", "PRODUCTION": production in capitals wherever
// chorus says where a change goes.
std::string EnvironmentLabel(Environment environment);

class App {
 public:
  App();
  ~App();

  GlobalOptions options;
  EnvLookup env;

  bool stdin_is_tty() const { return stdin_tty_; }
  bool stdout_is_tty() const { return stdout_tty_; }
  bool stderr_is_tty() const { return stderr_tty_; }
  // Columns of the terminal on stdout / stderr; COLUMNS when it is not one
  // (or says nothing); 0 when unknown.
  int stdout_width() const { return Width(1, stdout_tty_); }
  int stderr_width() const { return Width(2, stderr_tty_); }
  OutputFormat format() const;
  bool color_stdout() const;
  bool color_stderr() const;

  // A printer on stdout in the chosen format.
  std::unique_ptr<RecordPrinter> Printer(std::vector<Column> columns, bool single = false) const;

  // Messages on stderr. Warnings and errors always show; Info is silenced by -q.
  void Info(const std::string& message) const;
  void Warn(const std::string& message) const;
  void Error(const std::string& message) const;

  // Secret values to keep out of everything chorus prints (see Redact).
  void NoteSecret(const std::string& secret) const;
  // The text with every noted secret replaced: portal messages may quote them.
  std::string Redact(std::string_view text) const;

  // Prints the error on stderr (with a hint for some kinds) and returns its
  // exit code. With -o json or ndjson, the error object goes to stdout too,
  // as {"error": {...}}, unless `json_on_stdout` is false (a bulk run's
  // NDJSON summary carries it already).
  int Fail(const Status& status, bool json_on_stdout = true) const;
  // The failure as the JSON error object (output.h), its texts redacted.
  nlohmann::json ErrorJson(const Status& status) const;

  // The config file, loaded once; its warnings are printed on first load.
  StatusOr<ConfigFile*> Config();
  std::string ConfigFilePath() const;
  // The profile selected by --profile / CHORUS_PROFILE / default_profile,
  // with CHORUS_* overrides applied.
  StatusOr<Profile> ActiveProfile();

  // $XDG_STATE_HOME, else ~/.local/state.
  std::string StateHome() const;

  // What every blocking point of a command obeys. The first call installs
  // the Ctrl-C / SIGTERM handlers (see interrupts.h): commands that never ask
  // keep the default, immediate Ctrl-C.
  CancelToken cancel_token();

  // A secret of the active profile, resolved once per process (a
  // password_cmd runs once, however many sessions a command opens).
  StatusOr<std::string> Secret(const Profile& profile, SecretKind kind);

  // A session on the active profile: secrets resolved, -vv trace on stderr,
  // --timeout, and the refused-login memory in $XDG_STATE_HOME/chorus.
  // need_account: resolve the password too (every call but sign-up/activation);
  // fails, sending nothing, when the portal refused these credentials before.
  // bulk: a longer retry budget, for runs that must ride out a quota or an outage.
  StatusOr<std::unique_ptr<Session>> OpenSession(bool need_account, bool bulk = false);
  // The SessionOptions OpenSession uses (doctor builds its own checks on them).
  StatusOr<SessionOptions> BaseSessionOptions(const Profile& profile);

  // A connected client for commands that talk to the portal, obeying
  // Ctrl-C. With --dry-run, mutations print their redacted request on
  // stderr (DryRunDump) instead of being sent.
  struct Portal {
    std::unique_ptr<Session> session;
    std::unique_ptr<PortalConnection> connection;
    std::unique_ptr<Client> client;
  };
  StatusOr<Portal> Connect(bool need_account, bool bulk = false);
  // A request a dry run would send, redacted, on stderr; thread-safe.
  void DryRunDump(const HttpRequest& request) const;

  // Portal-only steps: against a PISTE profile, prints what to do by hand on
  // the portal and returns kNotAvailable; OK on a sandbox profile.
  Status RequireSandbox(const std::string& command, PortalStep step);

  // What a mutation is about to do, as its confirmation shows it: one
  // sentence, then the details of the change ("centre de gestion agricole:
  // no → yes").
  // what and details are in the user's language (shown on stderr); the
  // *_english forms, when given, are the same in English, for the error a
  // refused confirmation puts in JSON (machine formats stay English). Build
  // one with Msg() texts to have both: Change(Msg("About to ..."), ...), and
  // add details with Add(Msg(...)).
  struct Change {
    Change() = default;
    Change(std::string what_text, std::vector<std::string> detail_texts = {})
        : what(std::move(what_text)), details(std::move(detail_texts)) {}
    Change(const Message& what_text, const std::vector<Message>& detail_texts = {}) { Set(what_text); for (const auto& d : detail_texts) Add(d); }
    void Set(const Message& text) {
      what = text.localized.empty() ? text.english : text.localized;
      what_english = text.english;
    }
    void Add(const Message& detail) {
      if (details_english.size() != details.size()) details_english = details;
      details.push_back(detail.localized.empty() ? detail.english : detail.localized);
      details_english.push_back(detail.english);
    }
    // The English forms (what/details when no English one was given).
    const std::string& WhatEnglish() const { return what_english.empty() ? what : what_english; }
    const std::vector<std::string>& DetailsEnglish() const {
      return details_english.size() == details.size() ? details_english : details;
    }
    std::string what;
    std::vector<std::string> details;
    std::string what_english;
    std::vector<std::string> details_english;
  };
  // Mutations need --yes when nobody is at the terminal to confirm; with
  // --dry-run nothing changes, so nothing is asked. The question names the
  // profile, its login and its environment (production stands out), then
  // the change. subject: the profile the change is about (profile remove),
  // else the active one. When stdin carries the data (--from -), the
  // question is asked on /dev/tty. ask_on_terminal: false for steps the user
  // already confirms by typing secrets (activation); they still need --yes
  // off a terminal.
  Status RequireConfirmation(const Change& change, bool ask_on_terminal = true,
                             const Profile* subject = nullptr);
  // What a dry run would have changed, on stderr.
  void ShowDryRun(const Change& change) const;
  // stdin is the data of the command (--from -): a confirmation cannot read it.
  void StdinCarriesData() { stdin_is_data_ = true; }

 private:
  // How to fix credentials the portal refused, for this profile.
  std::string LoginRefusalHint(const Status& status) const;

  int Width(int fd, bool tty) const;

  // The confirmation's text: what, who, where, the change.
  // english: the same text in English (for a refusal's JSON error).
  std::string ConfirmationText(const Change& change, const Profile* subject, bool english = false);

  bool stdin_tty_, stdout_tty_, stderr_tty_;
  bool stdin_is_data_ = false;
  CancelSource cancel_;
  std::unique_ptr<Interrupts> interrupts_;
  std::map<SecretKind, std::string> secrets_resolved_;
  mutable std::mutex secrets_mu_;
  mutable std::mutex dump_mu_;
  mutable std::vector<std::string> secrets_;
  std::string public_secret_;  // guarded by secrets_mu_
  std::optional<ConfigFile> config_;
};

// Each subcommand group registers itself on the root command; the callback it
// installs stores the command's exit code in *exit_code.
void RegisterProfileCommands(CLI::App& root, App& app, int* exit_code);
void RegisterSiretCommands(CLI::App& root, App& app, int* exit_code);
void RegisterDoctorCommand(CLI::App& root, App& app, int* exit_code);
void RegisterAccountCommands(CLI::App& root, App& app, int* exit_code);
void RegisterStructureCommands(CLI::App& root, App& app, int* exit_code);
void RegisterAttachCommands(CLI::App& root, App& app, int* exit_code);
void RegisterCompletionCommand(CLI::App& root, App& app, int* exit_code);
// Hidden __man DIR: the man pages, generated from root's tree.
void RegisterManCommand(CLI::App& root);

}  // namespace chorus::cli
