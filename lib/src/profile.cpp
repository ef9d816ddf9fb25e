#include "chorus/profile.h"

#include "chorus/text.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <toml++/toml.h>
#include <vector>

#include "chorus/i18n.h"
#include "chorus/text.h"

extern char** environ;

namespace chorus {
namespace {

namespace fs = std::filesystem;

Status ConfigError(const std::string& path, int line, Message what) {
  std::string where = path.empty() ? "config" : path;
  if (line > 0) where += ":" + std::to_string(line);
  return Status(ErrorKind::kInvalidConfig, std::move(what)).WithContext(where);
}

int LineOf(const toml::node& node) { return static_cast<int>(node.source().begin.line); }

// Reads one string-valued key of a profile table into *out.
Status ReadString(const toml::node& node, const std::string& path, const std::string& key,
                  std::string* out) {
  if (!node.is_string())
    return ConfigError(path, LineOf(node), Msg("key '{}' must be a string", key));
  *out = *node.value<std::string>();
  return OkStatus();
}

struct ProfileKey {
  const char* name;
  std::string Profile::*field;
};

constexpr std::array<ProfileKey, 9> kStringKeys = {{
    {"api_url", &Profile::api_url},
    {"oauth_url", &Profile::oauth_url},
    {"client_id", &Profile::client_id},
    {"client_secret_cmd", &Profile::client_secret_cmd},
    {"client_secret_file", &Profile::client_secret_file},
    {"login", &Profile::login},
    {"password_cmd", &Profile::password_cmd},
    {"password_file", &Profile::password_file},
    {"ca_bundle", &Profile::ca_bundle},
}};

// Secrets themselves do not belong in the file: say so rather than ignore them.
bool IsInlineSecretKey(std::string_view key) {
  return key == "client_secret" || key == "password";
}

StatusOr<Profile> ParseProfile(const std::string& name, const toml::table& table,
                               const std::string& path, std::vector<Message>* warnings) {
  Profile p;
  p.name = name;
  for (auto&& [key, node] : table) {
    std::string k(key.str());
    std::string where = "profiles." + name + "." + k;
    if (k == "environment") {
      std::string value;
      if (auto s = ReadString(node, path, where, &value); !s.ok()) return s;
      auto env = ParseEnvironment(value);
      if (!env)
        return ConfigError(path, LineOf(node),
                           Msg("key '{}': unknown environment \"{}\" (expected sandbox, qualification or "
                               "production)",
                               where, value));
      p.environment = *env;
      continue;
    }
    if (k == "timeout" || k == "timeout_seconds") {
      // A duration ("90s", "2m") or whole seconds; timeout_seconds is the
      // older spelling of the same key.
      std::optional<std::chrono::milliseconds> d;
      if (node.is_integer()) d = std::chrono::seconds(*node.value<int64_t>());
      else if (node.is_string()) d = ParseDuration(*node.value<std::string>());
      if (!d || *d < std::chrono::seconds(1) || *d > kMaxTimeout)
        return ConfigError(path, LineOf(node),
                           Msg("key '{}' must be a duration between 1s and 1h (\"90s\", \"2m\") or whole seconds",
                               where));
      p.timeout = *d;
      continue;
    }
    if (IsInlineSecretKey(k))
      return ConfigError(path, LineOf(node),
                         Msg("key '{}': secrets are not stored in the profile; use {}_cmd or {}_file", where, k, k));
    bool known = false;
    for (const auto& sk : kStringKeys) {
      if (k != sk.name) continue;
      known = true;
      if (auto s = ReadString(node, path, where, &(p.*sk.field)); !s.ok()) return s;
    }
    if (!known)
      warnings->push_back(Msg("{}:{}: unknown key '{}' ignored", path, LineOf(node), where));
  }
  return p;
}

}  // namespace

const char* EnvironmentName(Environment env) {
  switch (env) {
    case Environment::kSandbox: return "sandbox";
    case Environment::kQualification: return "qualification";
    case Environment::kProduction: return "production";
  }
  return "sandbox";
}

std::optional<Environment> ParseEnvironment(std::string_view name) {
  if (name == "sandbox") return Environment::kSandbox;
  if (name == "qualification") return Environment::kQualification;
  if (name == "production") return Environment::kProduction;
  return std::nullopt;
}

std::string DefaultApiUrl(Environment env) {
  switch (env) {
    case Environment::kQualification: return "https://sandbox-api.piste.gouv.fr/cpro";
    case Environment::kProduction: return "https://api.piste.gouv.fr/cpro";
    case Environment::kSandbox: return "";
  }
  return "";
}

std::string DefaultOauthUrl(Environment env) {
  switch (env) {
    case Environment::kQualification: return "https://sandbox-oauth.piste.gouv.fr/api/oauth/token";
    case Environment::kProduction: return "https://oauth.piste.gouv.fr/api/oauth/token";
    case Environment::kSandbox: return "";
  }
  return "";
}

const Profile* ConfigFile::Find(std::string_view name) const {
  for (const auto& p : profiles)
    if (p.name == name) return &p;
  return nullptr;
}

Profile* ConfigFile::Find(std::string_view name) {
  for (auto& p : profiles)
    if (p.name == name) return &p;
  return nullptr;
}

EnvLookup ProcessEnvironment() {
  return [](std::string_view name) -> std::optional<std::string> {
    const char* v = std::getenv(std::string(name).c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
}

std::string ConfigPath(const std::string& flag, const EnvLookup& env) {
  if (!flag.empty()) return flag;
  if (auto v = env("CHORUS_CONFIG"); v && !v->empty()) return *v;
  if (auto v = env("XDG_CONFIG_HOME"); v && !v->empty()) return *v + "/chorus/config.toml";
  std::string home = env("HOME").value_or("");
  return home + "/.config/chorus/config.toml";
}

StatusOr<ConfigFile> ParseConfig(std::string_view text, const std::string& path) {
  ConfigFile config;
  config.path = path;
  config.exists = true;
  toml::table root;
  try {
    root = toml::parse(text, path);
  } catch (const toml::parse_error& e) {
    // toml++'s description is English: said as such after a translated lead.
    return ConfigError(path, static_cast<int>(e.source().begin.line),
                       Msg("not valid TOML: {}", std::string(e.description())));
  }
  for (auto&& [key, node] : root) {
    std::string k(key.str());
    if (k == "default_profile") {
      if (auto s = ReadString(node, path, k, &config.default_profile); !s.ok()) return s;
    } else if (k == "profiles") {
      const toml::table* profiles = node.as_table();
      if (!profiles) return ConfigError(path, LineOf(node), Msg("key 'profiles' must be a table"));
      for (auto&& [pname, pnode] : *profiles) {
        std::string name(pname.str());
        const toml::table* t = pnode.as_table();
        if (!t)
          return ConfigError(path, LineOf(pnode),
                             Msg("key 'profiles.{}' must be a table ([profiles.{}])", name, name));
        auto profile = ParseProfile(name, *t, path, &config.warnings);
        if (!profile.ok()) return profile.status();
        config.profiles.push_back(std::move(*profile));
      }
    } else {
      config.warnings.push_back(Msg("{}:{}: unknown key '{}' ignored", path, LineOf(node), k));
    }
  }
  if (!config.default_profile.empty() && !config.Find(config.default_profile))
    return ConfigError(path, LineOf(*root.get("default_profile")),
                       Msg("key 'default_profile': no profile named \"{}\"", config.default_profile));
  return config;
}

StatusOr<ConfigFile> LoadConfigFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (errno == ENOENT) {
      ConfigFile empty;
      empty.path = path;
      return empty;
    }
    return Status(ErrorKind::kInvalidConfig,
                  Msg("{}: cannot read: {}", path, SystemError{errno}));
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto config = ParseConfig(ss.str(), path);
  if (!config.ok()) return config;
  if (auto w = PermissionWarning(path)) config->warnings.push_back(*w);
  return config;
}

std::optional<Message> PermissionWarning(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return std::nullopt;
  if ((st.st_mode & 077) == 0) return std::nullopt;
  char mode[8];
  std::snprintf(mode, sizeof mode, "%04o", static_cast<unsigned>(st.st_mode & 07777));
  return Msg("{} is readable by group or others (mode {}); it names where your secrets come from. Fix it with: "
             "chmod 600 '{}'",
             path, std::string(mode), path);
}

namespace {

// A profile name as a TOML key: bare when it can be, else a basic string.
// (toml++ writes a key with a tab, a line break or a quote bare, which it
// cannot read back: a rewritten config would be lost.)
std::string TomlKey(std::string_view name) {
  const bool bare = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-';
  });
  if (bare) return std::string(name);
  std::string out = "\"";
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (u < 0x20 || u == 0x7F) {
      char escape[8];
      std::snprintf(escape, sizeof escape, "\\u%04X", u);
      out += escape;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

}  // namespace

std::string SerializeConfig(const ConfigFile& config) {
  std::ostringstream out;
  out << "# chorus profiles; see chorus-config(5). Written by `chorus profile`.\n";
  if (!config.default_profile.empty()) out << toml::table{{"default_profile", config.default_profile}} << "\n";
  std::vector<const Profile*> profiles;
  for (const auto& p : config.profiles) profiles.push_back(&p);
  std::sort(profiles.begin(), profiles.end(), [](const Profile* a, const Profile* b) { return a->name < b->name; });
  if (profiles.empty()) out << "\n[profiles]\n";
  for (const Profile* p : profiles) {
    toml::table t;
    t.insert("environment", EnvironmentName(p->environment));
    for (const auto& sk : kStringKeys)
      if (!(p->*sk.field).empty()) t.insert(sk.name, p->*sk.field);
    if (p->timeout.count() > 0) t.insert("timeout", FormatDuration(p->timeout));
    out << "\n[profiles." << TomlKey(p->name) << "]\n" << t << "\n";
  }
  return out.str();
}

Status MakePrivateDirectory(const std::string& dir) {
  fs::path path(dir);
  std::error_code ec;
  if (path.has_parent_path() && !fs::exists(path.parent_path(), ec)) {
    fs::create_directories(path.parent_path(), ec);
    if (ec)
      return Status(ErrorKind::kInvalidConfig, Msg("cannot create {}: {}", path.parent_path().string(), SystemError{ec.value()}));
  }
  // Created 0700 at once: create_directories then chmod left a window in which
  // it had the umask's mode.
  if (::mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST)
    return Status(ErrorKind::kInvalidConfig, Msg("cannot create {}: {}", dir, SystemError{errno}));
  return OkStatus();
}

Status WritePrivateFile(const std::string& path, std::string_view data) {
  fs::path target(path);
  std::string dir = target.has_parent_path() ? target.parent_path().string() : ".";
  auto fail = [&](std::string_view what, const std::string& file) {
    const SystemError why{errno};
    if (what == "replace") return Status(ErrorKind::kInvalidConfig, Msg("cannot replace {}: {}", file, why));
    if (what == "sync") return Status(ErrorKind::kInvalidConfig, Msg("cannot sync {}: {}", file, why));
    return Status(ErrorKind::kInvalidConfig, Msg("cannot write {}: {}", file, why));
  };
  // A fresh name, created exclusively and never through a symlink: nothing
  // planted beside the file can redirect the write.
  std::string tmp;
  int fd = -1;
  for (int attempt = 0; fd < 0 && attempt < 16; ++attempt) {
    char suffix[40];
    std::snprintf(suffix, sizeof suffix, ".tmp.%ld.%08x", static_cast<long>(::getpid()),
                  static_cast<unsigned>(std::random_device{}()));
    tmp = path + suffix;
    fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 && errno != EEXIST) return fail("write", tmp);
  }
  if (fd < 0) return fail("write", tmp);
  size_t off = 0;
  while (off < data.size()) {
    ssize_t n = ::write(fd, data.data() + off, data.size() - off);
    if (n < 0) {
      if (errno == EINTR) continue;
      Status s = fail("write", tmp);
      ::close(fd);
      ::unlink(tmp.c_str());
      return s;
    }
    off += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    Status s = fail("write", tmp);
    ::close(fd);
    ::unlink(tmp.c_str());
    return s;
  }
  if (::close(fd) != 0) {
    Status s = fail("write", tmp);
    ::unlink(tmp.c_str());
    return s;
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    Status s = fail("replace", path);
    ::unlink(tmp.c_str());
    return s;
  }
  // The rename itself is durable once the directory is.
  int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir_fd < 0) return fail("sync", dir);
  int rc = ::fsync(dir_fd);
  ::close(dir_fd);
  if (rc != 0) return fail("sync", dir);
  return OkStatus();
}

Status SaveConfigFile(const ConfigFile& config) {
  fs::path path(config.path);
  if (path.has_parent_path())
    if (Status s = MakePrivateDirectory(path.parent_path().string()); !s.ok()) return s;
  return WritePrivateFile(config.path, SerializeConfig(config));
}

StatusOr<Profile> ResolveProfile(const ConfigFile& config, const std::string& flag_profile,
                                 const EnvLookup& env) {
  std::string name = flag_profile;
  if (name.empty()) name = env("CHORUS_PROFILE").value_or("");
  if (name.empty()) name = config.default_profile;
  if (name.empty() && config.profiles.size() == 1) name = config.profiles.front().name;

  Profile profile;
  if (!name.empty()) {
    const Profile* found = config.Find(name);
    if (!found) {
      std::string known;
      for (const auto& p : config.profiles) known += (known.empty() ? "" : ", ") + p.name;
      if (known.empty())
        return Status(ErrorKind::kNotFound, Msg("no profile named \"{}\" in {} (it has none)", name, config.path));
      return Status(ErrorKind::kNotFound,
                    Msg("no profile named \"{}\" in {} (known: {})", name, config.path, known));
    }
    profile = *found;
  } else if (env("CHORUS_API_URL").value_or("").empty()) {
    if (config.exists)
      return Status(ErrorKind::kInvalidConfig,
                    Msg("no profile: {} has no default_profile; create one with `chorus profile add NAME "
                        "--sandbox URL` (or pass --profile NAME)",
                        config.path));
    return Status(ErrorKind::kInvalidConfig,
                  Msg("no profile: {} does not exist; create one with `chorus profile add NAME --sandbox URL` "
                      "(or pass --profile NAME)",
                      config.path));
  } else {
    profile.name = "env";
  }

  if (auto v = env("CHORUS_ENVIRONMENT"); v && !v->empty()) {
    auto e = ParseEnvironment(*v);
    if (!e)
      return Status(ErrorKind::kInvalidConfig,
                    Msg("CHORUS_ENVIRONMENT=\"{}\" is not one of sandbox, qualification, production", *v));
    profile.environment = *e;
  }
  struct Override {
    const char* var;
    std::string Profile::*field;
  };
  for (const Override& o : {Override{"CHORUS_API_URL", &Profile::api_url},
                            Override{"CHORUS_OAUTH_URL", &Profile::oauth_url},
                            Override{"CHORUS_CLIENT_ID", &Profile::client_id},
                            Override{"CHORUS_LOGIN", &Profile::login}}) {
    if (auto v = env(o.var); v && !v->empty()) profile.*o.field = *v;
  }
  if (profile.api_url.empty()) profile.api_url = DefaultApiUrl(profile.environment);
  if (profile.oauth_url.empty()) profile.oauth_url = DefaultOauthUrl(profile.environment);
  if (profile.api_url.empty())
    return Status(ErrorKind::kInvalidConfig,
                  Msg("profile \"{}\" ({}) has no api_url; a sandbox profile needs the sandbox URL", profile.name,
                      EnvironmentName(profile.environment)));
  while (!profile.api_url.empty() && profile.api_url.back() == '/') profile.api_url.pop_back();
  if (profile.oauth_url.empty()) {
    // A sandbox serves its token endpoint beside /cpro, as PISTE's layout does.
    std::string base = profile.api_url;
    if (base.size() >= 5 && base.compare(base.size() - 5, 5, "/cpro") == 0)
      base.resize(base.size() - 5);
    profile.oauth_url = base + "/api/oauth/token";
  }
  return profile;
}

std::string ExpandPath(const std::string& path, const std::string& base_dir,
                       const EnvLookup& env) {
  if (path == "~" || path.rfind("~/", 0) == 0) return env("HOME").value_or("") + path.substr(1);
  if (!path.empty() && path[0] != '/' && !base_dir.empty()) return base_dir + "/" + path;
  return path;
}

StatusOr<std::string> RunSecretCommand(const std::string& command, std::chrono::milliseconds timeout) {
  // The helper's environment is ours without chorus's own secrets: a helper
  // has no business with them, and may log its environment. Built before
  // fork(): the child may only call async-signal-safe functions.
  std::vector<std::string> env_strings;
  for (char** e = environ; *e != nullptr; ++e) {
    std::string_view entry(*e);
    if (entry.rfind("CHORUS_PASSWORD=", 0) == 0 || entry.rfind("CHORUS_CLIENT_SECRET=", 0) == 0) continue;
    env_strings.emplace_back(entry);
  }
  std::vector<char*> envp;
  for (auto& e : env_strings) envp.push_back(e.data());
  envp.push_back(nullptr);
  const char* argv[] = {"sh", "-c", command.c_str(), nullptr};

  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0)
    return Status(ErrorKind::kInternal, std::string("pipe: ") + std::strerror(errno));
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return Status(ErrorKind::kInternal, std::string("pipe: ") + std::strerror(errno));
  }
  pid_t pid = fork();
  if (pid < 0) {
    for (int fd : {out_pipe[0], out_pipe[1], err_pipe[0], err_pipe[1]}) ::close(fd);
    return Status(ErrorKind::kInternal, std::string("fork: ") + std::strerror(errno));
  }
  if (pid == 0) {
    setpgid(0, 0);  // its own group, so that a timeout ends what it started too
    int devnull = ::open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    // The command text comes from the profile, never a secret value.
    execve("/bin/sh", const_cast<char* const*>(argv), envp.data());
    _exit(127);
  }
  setpgid(pid, pid);  // in both processes, so that it holds whichever runs first
  ::close(out_pipe[1]);
  ::close(err_pipe[1]);
  // Both pipes drained together: a helper that fills stderr before writing
  // stdout would otherwise block for ever. Bounded in time and in size.
  constexpr std::size_t kMaxOutput = 64 * 1024;
  std::string out, err;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool timed_out = false, too_long = false;
  while (fds[0].fd >= 0 || fds[1].fd >= 0) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    int n = ::poll(fds, 2, static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < 2 && n > 0; ++i) {
      if (fds[i].fd < 0 || fds[i].revents == 0) continue;
      char buf[4096];
      ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        ::close(fds[i].fd);
        fds[i].fd = -1;
        continue;
      }
      std::string& sink = i == 0 ? out : err;
      if (sink.size() <= kMaxOutput) sink.append(buf, static_cast<size_t>(got));  // stderr past it: drained
      if (out.size() > kMaxOutput) too_long = true;
    }
    if (too_long) break;
  }
  if (timed_out || too_long) {
    ::kill(-pid, SIGKILL);
    ::kill(pid, SIGKILL);
  }
  for (auto& f : fds)
    if (f.fd >= 0) ::close(f.fd);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out)
    return Status(ErrorKind::kInvalidConfig,
                  Msg("secret command `{}` did not finish within {} s and was stopped", command,
                      std::chrono::duration_cast<std::chrono::seconds>(timeout).count()));
  if (too_long)
    return Status(ErrorKind::kInvalidConfig,
                  Msg("secret command `{}` printed more than {} KiB; a secret is one line", command,
                      kMaxOutput / 1024));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    if (err.size() > 200) err.resize(200);
    while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.pop_back();
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
    if (err.empty())
      return Status(ErrorKind::kInvalidConfig, Msg("secret command `{}` failed (exit {})", command, code));
    return Status(ErrorKind::kInvalidConfig,
                  Msg("secret command `{}` failed (exit {}): {}", command, code, ReplaceInvalidUtf8(err)));
  }
  if (!out.empty() && out.back() == '\n') out.pop_back();
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return out;
}

StatusOr<std::string> ResolveSecret(const Profile& profile, SecretKind kind, const EnvLookup& env,
                                    const std::optional<std::string>& from_stdin) {
  bool client = kind == SecretKind::kClientSecret;
  auto nonempty = [&](StatusOr<std::string> s, const std::string& source) -> StatusOr<std::string> {
    if (s.ok() && s->empty())
      return Status(ErrorKind::kInvalidConfig, client ? Msg("the client secret from {} is empty", source)
                                                      : Msg("the password from {} is empty", source));
    return s;
  };
  if (from_stdin) return nonempty(*from_stdin, "stdin");
  const char* var = client ? "CHORUS_CLIENT_SECRET" : "CHORUS_PASSWORD";
  if (auto v = env(var); v && !v->empty()) return *v;
  const std::string& cmd = client ? profile.client_secret_cmd : profile.password_cmd;
  if (!cmd.empty()) return nonempty(RunSecretCommand(cmd), "`" + cmd + "`");
  const std::string& file = client ? profile.client_secret_file : profile.password_file;
  if (!file.empty()) {
    std::string path = ExpandPath(file, "", env);
    std::ifstream in(path, std::ios::binary);
    if (!in)
      return Status(ErrorKind::kInvalidConfig,
                    client ? Msg("cannot read the client secret file {}: {}", path, SystemError{errno})
                           : Msg("cannot read the password file {}: {}", path, SystemError{errno}));
    std::string value((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    return nonempty(value, path);
  }
  if (client)
    return Status(ErrorKind::kInvalidConfig,
                  Msg("no client secret for profile \"{}\": set client_secret_cmd or client_secret_file in the "
                      "profile, or {} in the environment, or pass it on stdin",
                      profile.name, var));
  return Status(ErrorKind::kInvalidConfig,
                Msg("no password for profile \"{}\": set password_cmd or password_file in the profile, or {} "
                    "in the environment, or pass it on stdin",
                    profile.name, var));
}

std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text) {
  text = TrimView(text);
  if (text.empty()) return std::nullopt;
  using std::chrono::milliseconds;
  milliseconds total{0};
  bool bare = true;
  while (!text.empty()) {
    std::size_t digits = 0;
    while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
    if (digits == 0 || digits > 9) return std::nullopt;
    const long long n = std::stoll(std::string(text.substr(0, digits)));
    text.remove_prefix(digits);
    std::size_t unit_len = 0;
    while (unit_len < text.size() && !(text[unit_len] >= '0' && text[unit_len] <= '9')) ++unit_len;
    const std::string unit = Lower(text.substr(0, unit_len));
    text.remove_prefix(unit_len);
    if (unit.empty()) {
      if (!bare || !text.empty()) return std::nullopt;  // "90" alone: seconds
      return std::chrono::seconds(n);
    }
    bare = false;
    if (unit == "ms") total += milliseconds(n);
    else if (unit == "s") total += std::chrono::seconds(n);
    else if (unit == "m" || unit == "min") total += std::chrono::minutes(n);
    else if (unit == "h") total += std::chrono::hours(n);
    else return std::nullopt;
    if (total > std::chrono::hours(24 * 365)) return std::nullopt;
  }
  return total;
}

std::string FormatDuration(std::chrono::milliseconds d) {
  using namespace std::chrono;
  if (d.count() % 1000 != 0) return std::to_string(d.count()) + "ms";
  long long s = duration_cast<seconds>(d).count();
  std::string out;
  if (s >= 3600) out += std::to_string(s / 3600) + "h", s %= 3600;
  if (s >= 60) out += std::to_string(s / 60) + "m", s %= 60;
  if (s > 0 || out.empty()) out += std::to_string(s) + "s";
  return out;
}

}  // namespace chorus
