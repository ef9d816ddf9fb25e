#include "app.h"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <iostream>

#include "chorus/login_budget.h"
#include "interrupts.h"
#include "prompt.h"
#include "terminal_text.h"
#include "tr.h"

namespace chorus::cli {

std::string EnvironmentLabel(Environment environment) {
  return environment == Environment::kProduction ? "PRODUCTION" : EnvironmentName(environment);
}

App::App()
    : env(ProcessEnvironment()),
      stdin_tty_(isatty(0) == 1),
      stdout_tty_(isatty(1) == 1),
      stderr_tty_(isatty(2) == 1) {}

App::~App() = default;

std::string App::StateHome() const {
  if (auto v = env("XDG_STATE_HOME"); v && !v->empty()) return *v;
  return env("HOME").value_or("") + "/.local/state";
}

CancelToken App::cancel_token() {
  if (!interrupts_)
    interrupts_ = std::make_unique<Interrupts>(cancel_, [](int n) {
      if (n == 1)
        std::cerr << "\n"
                  << Tr("interrupted: nothing new is sent; waiting for the requests in flight "
                        "(Ctrl-C again aborts them)")
                  << "\n"
                  << std::flush;
      else if (n == 2)
        std::cerr << "\n" << Tr("aborting the requests in flight") << "\n" << std::flush;
    });
  return cancel_.token();
}

int App::Width(int fd, bool tty) const {
  winsize size{};
  if (tty && ::ioctl(fd, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) return size.ws_col;
  const std::string columns = env("COLUMNS").value_or("");
  if (columns.empty() || columns.size() > 4 || columns.find_first_not_of("0123456789") != std::string::npos) return 0;
  return std::stoi(columns);
}

OutputFormat App::format() const {
  if (!options.output.empty())
    if (auto f = ParseOutputFormat(options.output)) return *f;
  if (options.csv_excel) return OutputFormat::kCsv;
  return stdout_tty_ ? OutputFormat::kTable : OutputFormat::kTsv;
}

namespace {
// --color always/never win; in auto mode NO_COLOR, CLICOLOR_FORCE and TERM=dumb
// are honoured, then whether the stream is a terminal.
bool UseColor(const App& app, bool tty) {
  if (app.options.color == "always") return true;
  if (app.options.color == "never") return false;
  if (auto v = app.env("NO_COLOR"); v && !v->empty()) return false;
  if (auto v = app.env("CLICOLOR_FORCE"); v && !v->empty() && *v != "0") return true;
  if (app.env("TERM").value_or("") == "dumb") return false;
  return tty;
}
}  // namespace

bool App::color_stdout() const { return UseColor(*this, stdout_tty_); }
bool App::color_stderr() const { return UseColor(*this, stderr_tty_); }

std::unique_ptr<RecordPrinter> App::Printer(std::vector<Column> columns, bool single) const {
  PrintOptions print;
  print.color = color_stdout();
  print.single = single;
  print.width = format() == OutputFormat::kTable ? stdout_width() : 0;
  print.excel = options.csv_excel;
  return std::make_unique<RecordPrinter>(std::cout, format(), std::move(columns), print);
}

void App::NoteSecret(const std::string& secret) const {
  if (secret.empty()) return;
  std::lock_guard lock(secrets_mu_);
  if (secret == public_secret_) return;
  if (std::find(secrets_.begin(), secrets_.end(), secret) == secrets_.end()) secrets_.push_back(secret);
}

std::string App::Redact(std::string_view text) const {
  std::lock_guard lock(secrets_mu_);
  return RedactSecrets(text, secrets_);
}

void App::Info(const std::string& message) const {
  if (!options.quiet) std::cerr << TerminalSafe(Redact(message), Newlines::kKeep) << '\n';
}

void App::Warn(const std::string& message) const {
  // TRANSLATORS: the prefix of every warning ("attention :").
  const char* label = Tr("warning:");
  std::cerr << (color_stderr() ? fmt::format("\x1b[33m{}\x1b[0m ", label) : fmt::format("{} ", label)) << TerminalSafe(Redact(message), Newlines::kKeep) << '\n';
}

void App::Error(const std::string& message) const {
  // TRANSLATORS: the prefix of every error message ("erreur :").
  const char* label = Tr("error:");
  std::cerr << (color_stderr() ? fmt::format("\x1b[31m{}\x1b[0m ", label) : fmt::format("{} ", label))
            << TerminalSafe(Redact(message), Newlines::kKeep) << '\n';
}

nlohmann::json App::ErrorJson(const Status& status) const {
  nlohmann::json error = ErrorObject(status, Redact(status.message()));
  if (error["libelle"].is_string()) error["libelle"] = Redact(error["libelle"].get<std::string>());
  return error;
}

int App::Fail(const Status& status, bool json_on_stdout) const {
  if (json_on_stdout && IsJsonFormat(format())) {
    const nlohmann::json error{{"error", ErrorJson(status)}};
    std::cout << JsonText(error, format() == OutputFormat::kJson ? 2 : -1) << '\n' << std::flush;
  }
  std::string message = status.localized_message();
  if (status.code_retour() && *status.code_retour() != 0) {
    message += " [codeRetour " + std::to_string(*status.code_retour());
    if (!status.libelle().empty()) message += " " + status.libelle();
    message += "]";
  } else if (status.http_status() != 0) {
    message += " [HTTP " + std::to_string(status.http_status()) + "]";
  }
  Error(message);
  if (IsAccountRefusal(status)) Info(LoginRefusalHint(status));
  return ExitCodeFor(status.kind());
}

std::string App::LoginRefusalHint(const Status& status) const {
  StatusOr<Profile> resolved = Status(ErrorKind::kNotFound, "no configuration loaded");
  if (config_) resolved = ResolveProfile(*config_, options.profile, env);
  std::string profile = resolved.ok() ? resolved->name : options.profile.empty() ? "NAME" : options.profile;
  std::string login = resolved.ok() && !resolved->login.empty() ? resolved->login : "LOGIN";
  std::string hint;
  // The first refusal names the account; later ones already did, with when.
  if (!status.details().count("refused_at"))
    hint = TrFormat("The portal refused the login or password of profile \"{}\" (login {}). It locks an account "
                    "for an hour after 5 failed logins: chorus will not send this password again.",
                    profile, login) +
           "\n";
  if (resolved.ok()) {
    if (env("CHORUS_PASSWORD")) hint += std::string(Tr("Fix: set CHORUS_PASSWORD to the right password.")) + "\n";
    else if (!resolved->password_cmd.empty())
      hint += TrFormat("Fix: make `{}` print the right password.", resolved->password_cmd) + "\n";
    else if (!resolved->password_file.empty())
      hint += TrFormat("Fix: write the right password to {}.", resolved->password_file) + "\n";
  }
  hint += TrFormat("Or store the right password: chorus profile add {} --force --login {} --password-stdin (with "
                   "its other options).",
                   profile, login) +
          "\n" +
          Tr("If the password is right (the account was locked, or not yet activated), send it once more on "
             "purpose: chorus --retry-login ...");
  return hint;
}

std::string App::ConfigFilePath() const { return ConfigPath(options.config, env); }

StatusOr<ConfigFile*> App::Config() {
  if (!config_) {
    auto loaded = LoadConfigFile(ConfigFilePath());
    if (!loaded.ok()) return loaded.status();
    config_ = std::move(*loaded);
    for (const auto& w : config_->warnings) Warn(w.localized.empty() ? w.english : w.localized);
  }
  return &*config_;
}

StatusOr<Profile> App::ActiveProfile() {
  auto config = Config();
  if (!config.ok()) return config.status();
  return ResolveProfile(**config, options.profile, env);
}

StatusOr<std::string> App::Secret(const Profile& profile, SecretKind kind) {
  if (auto it = secrets_resolved_.find(kind); it != secrets_resolved_.end()) return it->second;
  auto secret = ResolveSecret(profile, kind, env);
  if (!secret.ok()) return secret.status();
  // chorus-sandbox's built-in client (sandbox:sandbox) is published in its
  // documentation: masking it would mask the word "sandbox" in every message.
  if (kind == SecretKind::kClientSecret && profile.environment == Environment::kSandbox &&
      *secret == kSandboxClientSecret) {
    std::lock_guard lock(secrets_mu_);
    public_secret_ = *secret;
  }
  NoteSecret(*secret);
  return secrets_resolved_[kind] = std::move(*secret);
}

StatusOr<SessionOptions> App::BaseSessionOptions(const Profile& profile) {
  SessionOptions options;
  options.profile = profile;
  if (!this->options.timeout.empty())
    if (auto timeout = ParseDuration(this->options.timeout)) options.timeout = *timeout;
  options.state_dir = StateHome() + "/chorus";
  options.retry_login = this->options.retry_login;
  if (this->options.verbosity >= 2) options.tracer = TerminalTracer();
  // -v: a line per HTTP exchange and per retry; a portal message in a
  // retry's reason may quote a secret, so it goes through Redact.
  if (this->options.verbosity >= 1)
    options.on_call = [this](const CallEvent& event) {
      const std::string line = TerminalSafe(Redact("* " + CallEventLine(event)));
      std::lock_guard lock(dump_mu_);
      // A progress bar may hold the line: clear it first (it redraws).
      std::cerr << (stderr_tty_ ? "\r\x1b[K" : "") << line << '\n' << std::flush;
    };
  options.on_secret = [this](const std::string& secret) { NoteSecret(secret); };
  return options;
}

StatusOr<std::unique_ptr<Session>> App::OpenSession(bool need_account, bool bulk) {
  auto profile = ActiveProfile();
  if (!profile.ok()) return profile.status();
  auto options = BaseSessionOptions(*profile);
  if (!options.ok()) return options.status();
  auto secret = Secret(*profile, SecretKind::kClientSecret);
  if (!secret.ok()) return secret.status();
  options->client_secret = *secret;
  if (need_account) {
    if (profile->login.empty())
      return Status(ErrorKind::kInvalidConfig,
                    Msg("profile \"{}\" has no login (set login, or CHORUS_LOGIN)", profile->name));
    auto password = Secret(*profile, SecretKind::kPassword);
    if (!password.ok()) return password.status();
    options->account = AccountCredentials{profile->login, *password};
  }
  if (bulk) {
    options->retry.max_attempts = 10;
    options->retry.max_wait = std::chrono::seconds(30);
    options->backoff.initial = std::chrono::milliseconds(200);
    options->backoff.maximum = std::chrono::seconds(10);
  }
  auto session = Session::Open(std::move(*options));
  if (!session.ok()) return session.status();
  // Credentials the portal refused before are not sent again.
  if (Status refused = (*session)->login_status(); !refused.ok()) return refused;
  return session;
}

StatusOr<App::Portal> App::Connect(bool need_account, bool bulk) {
  auto session = OpenSession(need_account, bulk);
  if (!session.ok()) return session.status();
  Portal portal;
  portal.session = std::move(*session);
  portal.connection = portal.session->NewConnection();
  portal.client = std::make_unique<Client>(*portal.connection);
  portal.client->set_cancel(cancel_token());
  if (options.dry_run)
    portal.client->set_dry_run([this](const HttpRequest& request) { DryRunDump(request); });
  return portal;
}

void App::DryRunDump(const HttpRequest& request) const {
  // stderr: stdout stays the command's result, valid JSON/NDJSON/TSV.
  std::lock_guard lock(dump_mu_);
  std::cerr << "# " << Tr("dry run: would send") << "\n" << TerminalSafe(Redact(RedactedDump(request)), Newlines::kKeep) << "\n"
            << std::flush;
}

Status App::RequireSandbox(const std::string& command, PortalStep step) {
  auto profile = ActiveProfile();
  if (!profile.ok()) return profile.status();
  if (profile->environment == Environment::kSandbox) return OkStatus();
  std::cerr << PortalSteps(step) << "\n";
  return Status(ErrorKind::kNotAvailable,
                Msg("`chorus {}` is not available on {}: the public Chorus Pro API has no such operation; nothing "
                    "was sent. Do the steps above on the portal.",
                    command, EnvironmentName(profile->environment)));
}

std::string App::ConfirmationText(const Change& change, const Profile* subject, bool english) {
  // The labels, aligned in either language.
  const auto label = [english](const char* msgid, const char* translated) {
    return std::string(english ? msgid : translated);
  };
  std::string text = english ? change.WhatEnglish() : change.what;
  std::optional<Profile> active;
  if (!subject)
    if (auto p = ActiveProfile(); p.ok()) active = std::move(*p);
  const Profile* p = subject ? subject : active ? &*active : nullptr;
  if (p) {
    // TRANSLATORS: the confirmation's labels are padded to the same width.
    text += "\n  " + label("profile:     ", Tr("profile:     ")) + p->name;
    text += "\n  " + label("login:       ", Tr("login:       ")) + (p->login.empty() ? label("(none)", Tr("(none)")) : p->login);
    text += "\n  " + label("environment: ", Tr("environment: ")) + EnvironmentLabel(p->environment) + " (" + p->api_url + ")";
  }
  for (const auto& detail : english ? change.DetailsEnglish() : change.details) text += "\n  " + detail;
  text = TerminalSafe(Redact(text), Newlines::kKeep);
  // Production stands out: it is the one where a mistake reaches real farms.
  if (!english && p && p->environment == Environment::kProduction && color_stderr())
    if (auto pos = text.find(EnvironmentLabel(Environment::kProduction)); pos != std::string::npos)
      text.replace(pos, std::strlen("PRODUCTION"), "\x1b[1;31mPRODUCTION\x1b[0m");
  return text;
}

void App::ShowDryRun(const Change& change) const {
  std::string text = TrFormat("Dry run, nothing was changed. {}", change.what);
  for (const auto& d : change.details) text += "\n  " + d;
  Info(text);
}

Status App::RequireConfirmation(const Change& change, bool ask_on_terminal, const Profile* subject) {
  if (options.yes || options.dry_run) return OkStatus();
  // The terminal: stdin, or /dev/tty when stdin is the data.
  int fd = -1;
  if (!stdin_is_data_ && stdin_tty_) fd = STDIN_FILENO;
  else if (stdin_is_data_) fd = ::open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
  struct Closer {
    int fd;
    ~Closer() {
      if (fd > STDERR_FILENO) ::close(fd);
    }
  } closer{fd};
  if (fd >= 0 && !ask_on_terminal) return OkStatus();
  const std::string text = ConfirmationText(change, subject);
  if (fd < 0) {
    const std::string english_text = ConfirmationText(change, subject, true);
    // The same sentence around the English confirmation (JSON) and the user's one (stderr).
    const auto refusal = [&](const std::string& shown) {
      return stdin_is_data_ ? Msg("{}\nRefusing to change anything without --yes: stdin is the data and there is "
                                  "no terminal to ask on.",
                                  shown)
                            : Msg("{}\nRefusing to change anything without --yes when stdin is not a terminal.",
                                  shown);
    };
    Message both = refusal(english_text);
    both.localized = refusal(text).localized;
    if (both.localized.empty() && text != english_text) both.localized = refusal(text).english;
    return Status(ErrorKind::kInvalidArgument, both);
  }
  if (fd == STDIN_FILENO) std::cerr << text << "\n";
  else (void)!::write(fd, (text + "\n").data(), text.size() + 1);
  // Ctrl-C at the prompt wakes it: nothing is sent.
  // TRANSLATORS: y, yes, o and oui are all accepted.
  auto answer = Ask(Tr("Continue? [y/N]"), cancel_token(), fd);
  if (!answer.ok()) return answer.status();
  if (*answer) {
    std::string word = **answer;
    for (char& c : word) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (word == "y" || word == "yes" || word == "o" || word == "oui") return OkStatus();
  }
  return Status(ErrorKind::kCancelled, Msg("cancelled: nothing was sent"));
}

}  // namespace chorus::cli
