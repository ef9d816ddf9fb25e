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
#include <vector>

#include "chorus/cancel.h"
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

// Exit codes of product.md §3 that are not a library ErrorKind.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitPartial = 3;
inline constexpr int kExitInterrupted = 130;

struct GlobalOptions {
  std::string profile;
  std::string config;
  std::string output;  // empty: table on a terminal, tsv otherwise
  std::string color = "auto";
  int verbosity = 0;
  bool quiet = false;
  bool yes = false;
  bool dry_run = false;
  std::string timeout;       // --timeout DURATION, checked at parse time; empty: the profile's, else 60 s
  bool retry_login = false;  // send credentials remembered as refused once more
};

class Interrupts;

class App {
 public:
  App();
  ~App();

  GlobalOptions options;
  EnvLookup env;

  bool stdin_is_tty() const { return stdin_tty_; }
  bool stdout_is_tty() const { return stdout_tty_; }
  bool stderr_is_tty() const { return stderr_tty_; }
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

  // Prints the error (with a hint for some kinds) and returns its exit code.
  int Fail(const Status& status) const;

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
  // Ctrl-C. With --dry-run, mutations print their redacted request on stdout
  // instead of being sent.
  struct Portal {
    std::unique_ptr<Session> session;
    std::unique_ptr<PortalConnection> connection;
    std::unique_ptr<Client> client;
  };
  StatusOr<Portal> Connect(bool need_account, bool bulk = false);

  // Portal-only steps: against a PISTE profile, prints what to do by hand on
  // the portal and returns kNotAvailable; OK on a sandbox profile.
  Status RequireSandbox(const std::string& command, PortalStep step);

  // Mutations need --yes when nobody is at the terminal to confirm.
  // ask_on_terminal: false for steps the user already confirms by typing
  // secrets (activation); they still need --yes off a terminal.
  Status RequireConfirmation(const std::string& what, bool ask_on_terminal = true);

 private:
  // How to fix credentials the portal refused, for this profile.
  std::string LoginRefusalHint(const Status& status) const;

  bool stdin_tty_, stdout_tty_, stderr_tty_;
  CancelSource cancel_;
  std::unique_ptr<Interrupts> interrupts_;
  std::map<SecretKind, std::string> secrets_resolved_;
  mutable std::mutex secrets_mu_;
  mutable std::vector<std::string> secrets_;
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
