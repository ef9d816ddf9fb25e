// chorus profile add/list/show/use/remove: manage the profiles of config.toml.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "app.h"
#include "chorus/text.h"
#include "help.h"
#include "locale_text.h"
#include "prompt.h"
#include "tr.h"

namespace chorus::cli {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct ProfileAddOptions {
  std::string name;
  std::string environment;
  std::string sandbox_url;
  Profile fields;
  bool client_secret_stdin = false;
  bool password_stdin = false;
  bool make_default = false;
  bool force = false;
};

// Where `profile add` keeps the secrets it is given: beside the config, as an
// absolute path, so that a profile saved through a relative --config or
// CHORUS_CONFIG works from any directory.
fs::path SecretsDir(const std::string& config_path) {
  std::error_code ec;
  fs::path config = fs::absolute(config_path, ec);
  if (ec) config = config_path;
  return config.lexically_normal().parent_path() / "secrets";
}

// Secrets given on stdin are kept in a 0600 file beside the config, which
// the profile then names: the config file itself never holds a secret.
std::string SecretFilePath(const std::string& config_path, const std::string& profile, const std::string& kind) {
  return (SecretsDir(config_path) / (profile + "." + kind)).string();
}

Status StoreSecretFile(const std::string& path, const std::string& value) {
  const fs::path dir = fs::path(path).parent_path();
  if (Status s = MakePrivateDirectory(dir.parent_path().string()); !s.ok()) return s;
  if (Status s = MakePrivateDirectory(dir.string()); !s.ok()) return s;
  return WritePrivateFile(path, value + "\n");
}

// One line of stdin, from the terminal's charset to UTF-8 (exit 2 when it
// cannot be); nullopt at end of input.
StatusOr<std::optional<std::string>> ReadStdinLine(std::istream& in, const std::string& what) {
  std::string line;
  if (!std::getline(in, line)) return std::optional<std::string>();
  if (!line.empty() && line.back() == '\r') line.pop_back();
  auto text = FromUserLocale(line, what);
  if (!text.ok()) return text.status();
  return std::optional<std::string>(std::move(*text));
}

// A secret from stdin: a hidden prompt on a terminal (never echoed), else
// one line. kInvalidArgument when it is empty.
enum class SecretInput { kClientSecret, kPassword };
StatusOr<std::string> ReadSecret(App& app, SecretInput kind) {
  const bool password = kind == SecretInput::kPassword;
  auto v = app.stdin_is_tty()
               ? AskHidden(password ? Tr("Password") : Tr("Client secret"), app.cancel_token())
               : ReadStdinLine(std::cin, password ? "the password on stdin" : "the client secret on stdin");
  if (!v.ok()) return v.status();
  if (!*v || (*v)->empty())
    return Status(ErrorKind::kInvalidArgument, password ? Msg("expected the password on stdin")
                                                        : Msg("expected the client secret on stdin"));
  return std::move(**v);
}

// A profile name becomes a TOML key, a file name under secrets/ and a shell
// completion candidate: a small alphabet keeps it harmless in all three.
Status CheckProfileName(const std::string& name) {
  bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
  if (ok) return OkStatus();
  return Status(ErrorKind::kInvalidArgument,
                Msg("profile name \"{}\": use letters A-Z a-z, digits, '.', '_' and '-' only (it names files and "
                    "is completed by shells)",
                    name));
}

// The keys of a profile in config.toml, as `profile set` names them.
struct ProfileKey {
  const char* name;
  std::string Profile::*field;  // null for environment and timeout
};
constexpr ProfileKey kProfileKeys[] = {
    {"environment", nullptr},
    {"api_url", &Profile::api_url},
    {"oauth_url", &Profile::oauth_url},
    {"client_id", &Profile::client_id},
    {"client_secret_cmd", &Profile::client_secret_cmd},
    {"client_secret_file", &Profile::client_secret_file},
    {"login", &Profile::login},
    {"password_cmd", &Profile::password_cmd},
    {"password_file", &Profile::password_file},
    {"ca_bundle", &Profile::ca_bundle},
    {"timeout", nullptr},
};

std::string KeyValue(const Profile& p, const ProfileKey& key) {
  if (key.field) return p.*key.field;
  if (std::string_view(key.name) == "environment") return EnvironmentName(p.environment);
  return p.timeout.count() > 0 ? FormatDuration(p.timeout) : "";
}

// "login: marie@a.example → marie@b.example", one line per key that
// changes; every key that is set when there was no profile before.
std::vector<Message> ProfileChanges(const Profile* before, const Profile& after) {
  std::vector<Message> lines;
  for (const auto& key : kProfileKeys) {
    const std::string now = KeyValue(after, key);
    if (!before) {
      if (!now.empty()) lines.push_back(Message{fmt::format("{}: {}", key.name, now), ""});
      continue;
    }
    const std::string was = KeyValue(*before, key);
    if (was != now) {
      Message line{fmt::format("{}: {} → {}", key.name, was.empty() ? "(none)" : was, now.empty() ? "(none)" : now),
                   ""};
      if (was.empty() || now.empty())
        line.localized = fmt::format("{}: {} → {}", key.name, was.empty() ? Tr("(none)") : was,
                                     now.empty() ? Tr("(none)") : now);
      lines.push_back(std::move(line));
    }
  }
  return lines;
}

// Saves the config, or with --dry-run says what would change.
int SaveOrShow(App& app, ConfigFile& cfg, const App::Change& change,
               const std::vector<std::pair<std::string, std::string>>& secret_files) {
  if (app.options.dry_run) {
    App::Change shown = change;
    for (const auto& secret : secret_files)
      shown.Add(Msg("a secret would be stored in {} (mode 0600)", secret.first));
    app.ShowDryRun(shown);
    return kExitOk;
  }
  for (const auto& [path, value] : secret_files)
    if (Status s = StoreSecretFile(path, value); !s.ok()) return app.Fail(s);
  if (Status s = SaveConfigFile(cfg); !s.ok()) return app.Fail(s);
  std::string text = change.what;
  for (const auto& d : change.details) text += "\n  " + d;
  app.Info(text);
  return kExitOk;
}

int RunProfileAdd(App& app, ProfileAddOptions& o) {
  if (Status s = CheckProfileName(o.name); !s.ok()) return app.Fail(s);
  auto config = app.Config();
  if (!config.ok()) return app.Fail(config.status());
  ConfigFile& cfg = **config;
  const Profile* existing = cfg.Find(o.name);
  if (existing && !o.force)
    return app.Fail(Status(ErrorKind::kAlreadyExists,
                           Msg("profile \"{}\" exists; change single keys with `chorus profile set {} KEY=VALUE`, or "
                               "replace it with --force",
                               o.name, o.name)));
  Profile p = o.fields;
  p.name = o.name;
  if (!o.sandbox_url.empty()) {
    std::string url = o.sandbox_url;
    while (!url.empty() && url.back() == '/') url.pop_back();
    if (url.size() > 5 && url.compare(url.size() - 5, 5, "/cpro") == 0) url.resize(url.size() - 5);
    p.environment = Environment::kSandbox;
    if (p.api_url.empty()) p.api_url = url + "/cpro";
    if (p.oauth_url.empty()) p.oauth_url = url + "/api/oauth/token";
    if (p.client_id.empty()) p.client_id = "sandbox";
  } else if (!o.environment.empty()) {
    p.environment = *ParseEnvironment(o.environment);
  }
  if (p.environment == Environment::kSandbox && p.api_url.empty())
    return app.Fail(Status(ErrorKind::kInvalidArgument,
                           Msg("a sandbox profile needs --sandbox URL (or --api-url)")));
  int secret_sources = (o.client_secret_stdin ? 1 : 0) + !p.client_secret_cmd.empty() +
                       !p.client_secret_file.empty();
  int password_sources = (o.password_stdin ? 1 : 0) + !p.password_cmd.empty() + !p.password_file.empty();
  if (secret_sources > 1 || password_sources > 1)
    return app.Fail(Status(ErrorKind::kInvalidArgument,
                           Msg("give one source per secret: *-cmd, *-file or *-stdin")));
  // Client secret first, then password, one line each (or hidden prompts).
  std::vector<std::pair<std::string, std::string>> secret_files;  // path, value
  if (o.client_secret_stdin) {
    auto v = ReadSecret(app, SecretInput::kClientSecret);
    if (!v.ok()) return app.Fail(v.status());
    p.client_secret_file = SecretFilePath(cfg.path, p.name, "client_secret");
    secret_files.emplace_back(p.client_secret_file, *v);
  } else if (!o.sandbox_url.empty() && secret_sources == 0) {
    // The sandbox's default client is sandbox:sandbox; a public value, kept in a file anyway.
    p.client_secret_file = SecretFilePath(cfg.path, p.name, "client_secret");
    secret_files.emplace_back(p.client_secret_file, kSandboxClientSecret);
  }
  if (o.password_stdin) {
    auto v = ReadSecret(app, SecretInput::kPassword);
    if (!v.ok()) return app.Fail(v.status());
    p.password_file = SecretFilePath(cfg.path, p.name, "password");
    secret_files.emplace_back(p.password_file, *v);
  }
  App::Change change(existing ? Msg("Profile \"{}\" replaced in {}.", p.name, cfg.path)
                              : Msg("Profile \"{}\" added to {}.", p.name, cfg.path),
                     ProfileChanges(existing, p));
  const std::string old_default = cfg.default_profile;
  if (Profile* slot = cfg.Find(p.name)) *slot = p;
  else cfg.profiles.push_back(p);
  if (o.make_default || cfg.default_profile.empty()) cfg.default_profile = p.name;
  if (cfg.default_profile != old_default)
    change.Add(old_default.empty() ? Msg("default profile: (none) → {}", cfg.default_profile)
                                   : Msg("default profile: {} → {}", old_default, cfg.default_profile));
  return SaveOrShow(app, cfg, change, secret_files);
}

json ProfileRecord(const Profile& p, const ConfigFile& cfg, const App& app) {
  auto secret_source = [&](const char* var, const std::string& cmd, const std::string& file) -> json {
    if (auto v = app.env(var); v && !v->empty()) return std::string("environment ") + var;
    if (!cmd.empty()) return "command: " + cmd;
    if (!file.empty()) return "file: " + file;
    return nullptr;
  };
  return json{{"name", p.name},
              {"environment", EnvironmentName(p.environment)},
              {"default", cfg.default_profile == p.name},
              {"api_url", p.api_url},
              {"oauth_url", p.oauth_url},
              {"client_id", p.client_id},
              {"client_secret", "(redacted)"},
              {"client_secret_source",
               secret_source("CHORUS_CLIENT_SECRET", p.client_secret_cmd, p.client_secret_file)},
              {"login", p.login},
              {"password", "(redacted)"},
              {"password_source", secret_source("CHORUS_PASSWORD", p.password_cmd, p.password_file)},
              {"ca_bundle", p.ca_bundle.empty() ? json(nullptr) : json(p.ca_bundle)}};
}

std::vector<Column> ProfileColumns() {
  return {{"name", Tr("Name")},
          {"environment", Tr("Environment")},
          {"default", Tr("Default")},
          {"api_url", Tr("API URL")},
          {"oauth_url", Tr("OAuth URL")},
          {"client_id", Tr("Client ID")},
          {"client_secret", Tr("Client secret")},
          {"client_secret_source", Tr("Client secret from")},
          {"login", Tr("Login")},
          {"password", Tr("Password")},
          {"password_source", Tr("Password from")},
          {"ca_bundle", Tr("CA bundle")}};
}

// A header in capitals, French accents included (é → É: the Latin-1
// letters U+00E0-U+00FE but ÷ are two UTF-8 bytes C3 A0-BE, their capitals C3 80-9E).
std::string UpperHeader(std::string text) {
  for (std::size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c == 0xC3 && i + 1 < text.size()) {
      auto next = static_cast<unsigned char>(text[i + 1]);
      if (next >= 0xA0 && next <= 0xBE && next != 0xB7) text[i + 1] = static_cast<char>(next - 0x20);
      ++i;
    } else {
      text[i] = static_cast<char>(std::toupper(c));
    }
  }
  return text;
}

int RunProfileList(App& app) {
  auto config = app.Config();
  if (!config.ok()) return app.Fail(config.status());
  // The same fields as profile show; the table keeps the ones that tell
  // profiles apart.
  std::vector<Column> columns = ProfileColumns();
  for (auto& c : columns) {
    c.in_table = c.key == "name" || c.key == "default" || c.key == "environment" || c.key == "login" ||
                 c.key == "api_url";
    c.header = UpperHeader(c.header);
  }
  auto printer = app.Printer(columns);
  for (const auto& p : (*config)->profiles) {
    Profile shown = p;
    if (shown.api_url.empty()) shown.api_url = DefaultApiUrl(shown.environment);
    printer->Print(ProfileRecord(shown, **config, app));
  }
  printer->Finish();
  if ((*config)->profiles.empty())
    app.Info(TrFormat("no profiles in {}; add one with `chorus profile add NAME --sandbox URL`", (*config)->path));
  return kExitOk;
}

int RunProfileShow(App& app, const std::string& name) {
  if (!name.empty()) app.options.profile = name;
  auto config = app.Config();
  if (!config.ok()) return app.Fail(config.status());
  auto profile = app.ActiveProfile();
  if (!profile.ok()) return app.Fail(profile.status());
  auto printer = app.Printer(ProfileColumns(), /*single=*/true);
  printer->Print(ProfileRecord(*profile, **config, app));
  printer->Finish();
  return kExitOk;
}

int RunProfileUse(App& app, const std::string& name) {
  auto config = app.Config();
  if (!config.ok()) return app.Fail(config.status());
  ConfigFile& cfg = **config;
  if (!cfg.Find(name))
    return app.Fail(Status(ErrorKind::kNotFound, Msg("no profile named \"{}\" in {}", name, cfg.path)));
  App::Change change(Msg("The default profile is now \"{}\".", name),
                     {cfg.default_profile.empty() ? Msg("default profile: (none) → {}", name)
                                                  : Msg("default profile: {} → {}", cfg.default_profile, name)});
  cfg.default_profile = name;
  return SaveOrShow(app, cfg, change, {});
}

// A profile goes with the secret files `profile add` wrote for it; others
// are the user's. Asked on a terminal, --yes otherwise.
int RunProfileRemove(App& app, const std::string& name) {
  auto config = app.Config();
  if (!config.ok()) return app.Fail(config.status());
  ConfigFile& cfg = **config;
  const Profile* found = cfg.Find(name);
  if (!found) return app.Fail(Status(ErrorKind::kNotFound, Msg("no profile named \"{}\" in {}", name, cfg.path)));
  const Profile p = *found;
  std::vector<std::string> files;
  const fs::path secrets = SecretsDir(cfg.path);
  for (const std::string& f : {p.client_secret_file, p.password_file})
    if (!f.empty() && fs::absolute(f).lexically_normal().parent_path() == secrets) files.push_back(f);
  App::Change change(Msg("About to remove profile \"{}\" from {}.", name, cfg.path));
  for (const auto& f : files) change.Add(Msg("secret file {} is deleted", f));
  if (cfg.default_profile == name) change.Add(Msg("default profile: {} → (none)", name));
  if (app.options.dry_run) {
    change.Set(Msg("Profile \"{}\" would be removed from {}.", name, cfg.path));
    app.ShowDryRun(change);
    return kExitOk;
  }
  if (Status s = app.RequireConfirmation(change, true, &p); !s.ok()) return app.Fail(s);
  for (const auto& f : files) {
    std::error_code ec;
    fs::remove(f, ec);
  }
  std::erase_if(cfg.profiles, [&](const Profile& q) { return q.name == name; });
  if (cfg.default_profile == name) cfg.default_profile.clear();
  if (Status s = SaveConfigFile(cfg); !s.ok()) return app.Fail(s);
  app.Info(TrFormat("Profile \"{}\" removed.", name));
  return kExitOk;
}

// ----------------------------------------------------------- profile set

struct ProfileSetOptions {
  std::string name;
  std::vector<std::string> assignments;  // KEY=VALUE
  bool password = false;
  bool client_secret = false;
};

// Applies one KEY=VALUE; an empty VALUE unsets the key. Setting one source
// of a secret drops the other: a profile has one source per secret.
Status ApplyAssignment(Profile& p, const std::string& assignment) {
  const auto eq = assignment.find('=');
  if (eq == std::string::npos || eq == 0)
    return Status(ErrorKind::kInvalidArgument, Msg("\"{}\": expected KEY=VALUE", assignment));
  const std::string key = assignment.substr(0, eq), value = assignment.substr(eq + 1);
  if (key == "client_secret" || key == "password")
    return Status(ErrorKind::kInvalidArgument,
                  Msg("a secret never goes on the command line: use `chorus profile set {} --{}`", p.name,
                      key == "password" ? "password" : "client-secret"));
  const ProfileKey* found = nullptr;
  for (const auto& k : kProfileKeys)
    if (key == k.name) found = &k;
  if (!found) {
    std::string known, nearest;
    for (const auto& k : kProfileKeys) {
      known += (known.empty() ? "" : ", ") + std::string(k.name);
      if (nearest.empty() && EditDistance(key, k.name) <= 2) nearest = k.name;
    }
    return Status(ErrorKind::kInvalidArgument,
                  nearest.empty() ? Msg("unknown key \"{}\"; the keys are {}", key, known)
                                  : Msg("unknown key \"{}\"; did you mean \"{}\"?", key, nearest));
  }
  if (found->field) {
    p.*found->field = value;
    if (key == "password_cmd" && !value.empty()) p.password_file.clear();
    if (key == "password_file" && !value.empty()) p.password_cmd.clear();
    if (key == "client_secret_cmd" && !value.empty()) p.client_secret_file.clear();
    if (key == "client_secret_file" && !value.empty()) p.client_secret_cmd.clear();
    return OkStatus();
  }
  if (key == "environment") {
    auto env = ParseEnvironment(value);
    if (!env)
      return Status(ErrorKind::kInvalidArgument, Msg("environment: expected sandbox, qualification or production"));
    p.environment = *env;
    return OkStatus();
  }
  if (value.empty()) {
    p.timeout = std::chrono::milliseconds(0);
    return OkStatus();
  }
  auto timeout = ParseDuration(value);
  if (!timeout || *timeout < std::chrono::seconds(1) || *timeout > kMaxTimeout)
    return Status(ErrorKind::kInvalidArgument, Msg("timeout: expected a duration between 1s and 1h, such as 90s or 2m"));
  p.timeout = *timeout;
  return OkStatus();
}

int RunProfileSet(App& app, const ProfileSetOptions& o) {
  if (o.assignments.empty() && !o.password && !o.client_secret)
    return app.Fail(Status(ErrorKind::kInvalidArgument,
                           Msg("nothing to change: give KEY=VALUE (e.g. login=marie@cg.example), --password or "
                               "--client-secret")));
  auto config = app.Config();
  if (!config.ok()) return app.Fail(config.status());
  ConfigFile& cfg = **config;
  Profile* slot = cfg.Find(o.name);
  if (!slot) return app.Fail(Status(ErrorKind::kNotFound, Msg("no profile named \"{}\" in {}", o.name, cfg.path)));
  const Profile before = *slot;
  Profile after = before;
  for (const auto& a : o.assignments)
    if (Status s = ApplyAssignment(after, a); !s.ok()) return app.Fail(s);
  std::vector<std::pair<std::string, std::string>> secret_files;
  if (o.client_secret) {
    auto v = ReadSecret(app, SecretInput::kClientSecret);
    if (!v.ok()) return app.Fail(v.status());
    after.client_secret_cmd.clear();
    after.client_secret_file = SecretFilePath(cfg.path, after.name, "client_secret");
    secret_files.emplace_back(after.client_secret_file, *v);
  }
  if (o.password) {
    auto v = ReadSecret(app, SecretInput::kPassword);
    if (!v.ok()) return app.Fail(v.status());
    after.password_cmd.clear();
    after.password_file = SecretFilePath(cfg.path, after.name, "password");
    secret_files.emplace_back(after.password_file, *v);
  }
  App::Change change(Msg("Profile \"{}\" changed in {}.", o.name, cfg.path), ProfileChanges(&before, after));
  if (change.details.empty() && secret_files.empty()) {
    app.Info(TrFormat("Profile \"{}\" already says that; nothing changed.", o.name));
    return kExitOk;
  }
  *slot = after;
  return SaveOrShow(app, cfg, change, secret_files);
}

}  // namespace

void RegisterProfileCommands(CLI::App& root, App& app, int* exit_code) {
  auto* profile = root.add_subcommand("profile", Tr("Manage connection profiles (config.toml)"));
  profile->require_subcommand(1);

  auto add = std::make_shared<ProfileAddOptions>();
  auto* a = profile->add_subcommand("add", Tr("Add a profile; secrets never go on the command line"));
  a->add_option("NAME", add->name, Tr("Profile name: letters, digits, '.', '_' and '-'"))->required();
  a->add_option("--sandbox", add->sandbox_url,
                Tr("URL of a running chorus-sandbox (e.g. http://127.0.0.1:8787)"))
      ->type_name("URL");
  a->add_option("--environment", add->environment, Tr("sandbox, qualification or production"))
      ->type_name("ENVIRONMENT")
      ->check(CLI::IsMember({"sandbox", "qualification", "production"}));
  a->add_option("--api-url", add->fields.api_url, Tr("API base URL (default for qualification/production: PISTE)"))
      ->type_name("URL");
  a->add_option("--oauth-url", add->fields.oauth_url, Tr("OAuth token URL"))->type_name("URL");
  a->add_option("--client-id", add->fields.client_id, Tr("PISTE (or sandbox) client id"))->type_name("ID");
  a->add_option("--client-secret-cmd", add->fields.client_secret_cmd, Tr("Command printing the client secret"))
      ->type_name("COMMAND");
  a->add_option("--client-secret-file", add->fields.client_secret_file, Tr("File holding the client secret"))
      ->type_name("FILE");
  a->add_flag("--client-secret-stdin", add->client_secret_stdin,
              Tr("Read the client secret (a hidden prompt on a terminal, else a line of stdin) into a 0600 file"));
  a->add_option("--login", add->fields.login, Tr("Chorus Pro account login (technical account on PISTE)"))
      ->type_name("EMAIL");
  a->add_option("--password-cmd", add->fields.password_cmd, Tr("Command printing the account password"))
      ->type_name("COMMAND");
  a->add_option("--password-file", add->fields.password_file, Tr("File holding the account password"))
      ->type_name("FILE");
  a->add_flag("--password-stdin", add->password_stdin,
              Tr("Read the password (a hidden prompt on a terminal, else a line of stdin, after the client secret) "
              "into a 0600 file"));
  a->add_option("--ca-bundle", add->fields.ca_bundle, Tr("CA bundle for TLS (PEM file)"))->type_name("FILE");
  a->add_flag("--default", add->make_default, Tr("Make it the default profile"));
  a->add_flag("--force", add->force, Tr("Replace an existing profile of that name"));
  a->callback([&app, add, exit_code] { *exit_code = RunProfileAdd(app, *add); });

  profile->add_subcommand("list", Tr("List profiles"))->callback([&app, exit_code] {
    *exit_code = RunProfileList(app);
  });

  auto show_name = std::make_shared<std::string>();
  auto* s = profile->add_subcommand("show", Tr("Show a profile as chorus resolves it (secrets redacted)"));
  s->add_option("NAME", *show_name, Tr("Profile name (default: the active profile)"));
  s->callback([&app, show_name, exit_code] { *exit_code = RunProfileShow(app, *show_name); });

  auto use_name = std::make_shared<std::string>();
  auto* u = profile->add_subcommand("use", Tr("Make a profile the default"));
  u->add_option("NAME", *use_name, Tr("Profile name"))->required();
  u->callback([&app, use_name, exit_code] { *exit_code = RunProfileUse(app, *use_name); });

  auto rm_name = std::make_shared<std::string>();
  auto* r = profile->add_subcommand(
      "remove", Tr("Remove a profile and the secret files chorus wrote for it (asked on a terminal, --yes otherwise)"));
  r->add_option("NAME", *rm_name, Tr("Profile name"))->required();
  r->callback([&app, rm_name, exit_code] { *exit_code = RunProfileRemove(app, *rm_name); });

  auto set = std::make_shared<ProfileSetOptions>();
  auto* st = profile->add_subcommand(
      "set", Tr("Change single keys of a profile (KEY=VALUE; an empty VALUE unsets), or store a new password"));
  st->add_option("NAME", set->name, Tr("Profile name"))->required();
  st->add_option("KEY=VALUE", set->assignments,
                 Tr("environment, api_url, oauth_url, client_id, client_secret_cmd, client_secret_file, login, "
                 "password_cmd, password_file, ca_bundle, timeout"));
  st->add_flag("--password", set->password,
               Tr("Store a new password, asked for (hidden) on a terminal or read as one line of stdin, in a 0600 file"));
  st->add_flag("--client-secret", set->client_secret,
               Tr("Store a new client secret the same way (before the password when both come from stdin)"));
  st->callback([&app, set, exit_code] { *exit_code = RunProfileSet(app, *set); });
}

}  // namespace chorus::cli
