// chorus profile add/list/show/use/remove: manage the profiles of config.toml.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include "app.h"
#include "locale_text.h"

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
StatusOr<std::string> StoreSecretFile(const std::string& config_path, const std::string& profile,
                                      const std::string& kind, const std::string& value) {
  fs::path dir = SecretsDir(config_path);
  if (Status s = MakePrivateDirectory(dir.parent_path().string()); !s.ok()) return s;
  if (Status s = MakePrivateDirectory(dir.string()); !s.ok()) return s;
  std::string path = (dir / (profile + "." + kind)).string();
  if (Status s = WritePrivateFile(path, value + "\n"); !s.ok()) return s;
  return path;
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

// A profile name becomes a TOML key, a file name under secrets/ and a shell
// completion candidate: a small alphabet keeps it harmless in all three.
Status CheckProfileName(const std::string& name) {
  bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-';
  });
  if (ok) return OkStatus();
  return Status(ErrorKind::kInvalidArgument,
                "profile name \"" + name +
                    "\": use letters A-Z a-z, digits, '.', '_' and '-' only (it names files and is completed "
                    "by shells)");
}

int RunProfileAdd(App& app, ProfileAddOptions& o) {
  if (Status s = CheckProfileName(o.name); !s.ok()) return app.Fail(s);
  auto config = app.Config();
  if (!config.ok()) return app.Fail(config.status());
  ConfigFile& cfg = **config;
  if (cfg.Find(o.name) && !o.force)
    return app.Fail(Status(ErrorKind::kAlreadyExists,
                           "profile \"" + o.name + "\" exists; remove it first or pass --force"));
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
                           "a sandbox profile needs --sandbox URL (or --api-url)"));
  int secret_sources = (o.client_secret_stdin ? 1 : 0) + !p.client_secret_cmd.empty() +
                       !p.client_secret_file.empty();
  int password_sources = (o.password_stdin ? 1 : 0) + !p.password_cmd.empty() + !p.password_file.empty();
  if (secret_sources > 1 || password_sources > 1)
    return app.Fail(Status(ErrorKind::kInvalidArgument,
                           "give one source per secret: *-cmd, *-file or *-stdin"));
  // Client secret first, then password, one line each.
  if (o.client_secret_stdin) {
    auto v = ReadStdinLine(std::cin, "the client secret on stdin");
    if (!v.ok()) return app.Fail(v.status());
    if (!*v || (*v)->empty())
      return app.Fail(Status(ErrorKind::kInvalidArgument, "expected the client secret on stdin"));
    auto path = StoreSecretFile(cfg.path, p.name, "client_secret", **v);
    if (!path.ok()) return app.Fail(path.status());
    p.client_secret_file = *path;
  } else if (!o.sandbox_url.empty() && secret_sources == 0) {
    // The sandbox's default client is sandbox:sandbox; a public value, kept in a file anyway.
    auto path = StoreSecretFile(cfg.path, p.name, "client_secret", "sandbox");
    if (!path.ok()) return app.Fail(path.status());
    p.client_secret_file = *path;
  }
  if (o.password_stdin) {
    auto v = ReadStdinLine(std::cin, "the password on stdin");
    if (!v.ok()) return app.Fail(v.status());
    if (!*v || (*v)->empty())
      return app.Fail(Status(ErrorKind::kInvalidArgument, "expected the password on stdin"));
    auto path = StoreSecretFile(cfg.path, p.name, "password", **v);
    if (!path.ok()) return app.Fail(path.status());
    p.password_file = *path;
  }
  if (Profile* existing = cfg.Find(p.name)) *existing = p;
  else cfg.profiles.push_back(p);
  if (o.make_default || cfg.default_profile.empty()) cfg.default_profile = p.name;
  if (Status s = SaveConfigFile(cfg); !s.ok()) return app.Fail(s);
  app.Info("profile \"" + p.name + "\" saved in " + cfg.path +
           (cfg.default_profile == p.name ? " (default)" : ""));
  return kExitOk;
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

int RunProfileList(App& app) {
  auto config = app.Config();
  if (!config.ok()) return app.Fail(config.status());
  auto printer = app.Printer({{"name", "NAME"},
                              {"default", "DEFAULT"},
                              {"environment", "ENVIRONMENT"},
                              {"login", "LOGIN"},
                              {"api_url", "API URL"}});
  for (const auto& p : (*config)->profiles) {
    Profile shown = p;
    if (shown.api_url.empty()) shown.api_url = DefaultApiUrl(shown.environment);
    printer->Print(ProfileRecord(shown, **config, app));
  }
  printer->Finish();
  if ((*config)->profiles.empty())
    app.Info("no profiles in " + (*config)->path + "; add one with `chorus profile add NAME --sandbox URL`");
  return kExitOk;
}

int RunProfileShow(App& app, const std::string& name) {
  if (!name.empty()) app.options.profile = name;
  auto config = app.Config();
  if (!config.ok()) return app.Fail(config.status());
  auto profile = app.ActiveProfile();
  if (!profile.ok()) return app.Fail(profile.status());
  auto printer = app.Printer({{"name", "Name"},
                              {"environment", "Environment"},
                              {"default", "Default"},
                              {"api_url", "API URL"},
                              {"oauth_url", "OAuth URL"},
                              {"client_id", "Client ID"},
                              {"client_secret", "Client secret"},
                              {"client_secret_source", "Client secret from"},
                              {"login", "Login"},
                              {"password", "Password"},
                              {"password_source", "Password from"},
                              {"ca_bundle", "CA bundle"}},
                             /*single=*/true);
  printer->Print(ProfileRecord(*profile, **config, app));
  printer->Finish();
  return kExitOk;
}

int RunProfileUse(App& app, const std::string& name) {
  auto config = app.Config();
  if (!config.ok()) return app.Fail(config.status());
  if (!(*config)->Find(name))
    return app.Fail(Status(ErrorKind::kNotFound, "no profile named \"" + name + "\" in " + (*config)->path));
  (*config)->default_profile = name;
  if (Status s = SaveConfigFile(**config); !s.ok()) return app.Fail(s);
  app.Info("default profile is now \"" + name + "\"");
  return kExitOk;
}

int RunProfileRemove(App& app, const std::string& name) {
  auto config = app.Config();
  if (!config.ok()) return app.Fail(config.status());
  ConfigFile& cfg = **config;
  const Profile* p = cfg.Find(name);
  if (!p) return app.Fail(Status(ErrorKind::kNotFound, "no profile named \"" + name + "\" in " + cfg.path));
  // Secret files that `profile add` wrote go with the profile; others are the user's.
  fs::path secrets = SecretsDir(cfg.path);
  for (const std::string& f : {p->client_secret_file, p->password_file})
    if (!f.empty() && fs::absolute(f).lexically_normal().parent_path() == secrets) {
      std::error_code ec;
      fs::remove(f, ec);
    }
  std::erase_if(cfg.profiles, [&](const Profile& q) { return q.name == name; });
  if (cfg.default_profile == name) cfg.default_profile.clear();
  if (Status s = SaveConfigFile(cfg); !s.ok()) return app.Fail(s);
  app.Info("profile \"" + name + "\" removed");
  return kExitOk;
}

}  // namespace

void RegisterProfileCommands(CLI::App& root, App& app, int* exit_code) {
  auto* profile = root.add_subcommand("profile", "Manage connection profiles (config.toml)");
  profile->require_subcommand(1);

  auto add = std::make_shared<ProfileAddOptions>();
  auto* a = profile->add_subcommand("add", "Add a profile; secrets never go on the command line");
  a->add_option("NAME", add->name, "Profile name: letters, digits, '.', '_' and '-'")->required();
  a->add_option("--sandbox", add->sandbox_url,
                "URL of a running chorus-sandbox (e.g. http://127.0.0.1:8787)")
      ->type_name("URL");
  a->add_option("--environment", add->environment, "sandbox, qualification or production")
      ->type_name("ENVIRONMENT")
      ->check(CLI::IsMember({"sandbox", "qualification", "production"}));
  a->add_option("--api-url", add->fields.api_url, "API base URL (default for qualification/production: PISTE)")
      ->type_name("URL");
  a->add_option("--oauth-url", add->fields.oauth_url, "OAuth token URL")->type_name("URL");
  a->add_option("--client-id", add->fields.client_id, "PISTE (or sandbox) client id")->type_name("ID");
  a->add_option("--client-secret-cmd", add->fields.client_secret_cmd, "Command printing the client secret")
      ->type_name("COMMAND");
  a->add_option("--client-secret-file", add->fields.client_secret_file, "File holding the client secret")
      ->type_name("FILE");
  a->add_flag("--client-secret-stdin", add->client_secret_stdin,
              "Read the client secret from stdin and keep it in a 0600 file");
  a->add_option("--login", add->fields.login, "Chorus Pro account login (technical account on PISTE)")
      ->type_name("EMAIL");
  a->add_option("--password-cmd", add->fields.password_cmd, "Command printing the account password")
      ->type_name("COMMAND");
  a->add_option("--password-file", add->fields.password_file, "File holding the account password")
      ->type_name("FILE");
  a->add_flag("--password-stdin", add->password_stdin,
              "Read the password from stdin (after the client secret, if both) into a 0600 file");
  a->add_option("--ca-bundle", add->fields.ca_bundle, "CA bundle for TLS (PEM file)")->type_name("FILE");
  a->add_flag("--default", add->make_default, "Make it the default profile");
  a->add_flag("--force", add->force, "Replace an existing profile of that name");
  a->callback([&app, add, exit_code] { *exit_code = RunProfileAdd(app, *add); });

  profile->add_subcommand("list", "List profiles")->callback([&app, exit_code] {
    *exit_code = RunProfileList(app);
  });

  auto show_name = std::make_shared<std::string>();
  auto* s = profile->add_subcommand("show", "Show a profile as chorus resolves it (secrets redacted)");
  s->add_option("NAME", *show_name, "Profile name (default: the active profile)");
  s->callback([&app, show_name, exit_code] { *exit_code = RunProfileShow(app, *show_name); });

  auto use_name = std::make_shared<std::string>();
  auto* u = profile->add_subcommand("use", "Make a profile the default");
  u->add_option("NAME", *use_name, "Profile name")->required();
  u->callback([&app, use_name, exit_code] { *exit_code = RunProfileUse(app, *use_name); });

  auto rm_name = std::make_shared<std::string>();
  auto* r = profile->add_subcommand("remove", "Remove a profile (and the secret files chorus wrote for it)");
  r->add_option("NAME", *rm_name, "Profile name")->required();
  r->callback([&app, rm_name, exit_code] { *exit_code = RunProfileRemove(app, *rm_name); });
}

}  // namespace chorus::cli
