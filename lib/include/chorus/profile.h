// Profiles: where chorus connects and as whom, read from a TOML file
// ($XDG_CONFIG_HOME/chorus/config.toml). Secrets are never stored in the
// profile itself: it names a command or a file that yields them.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "chorus/status.h"

namespace chorus {

enum class Environment { kSandbox, kQualification, kProduction };
const char* EnvironmentName(Environment env);
std::optional<Environment> ParseEnvironment(std::string_view name);

// The PISTE URLs built into chorus for qualification and production.
std::string DefaultApiUrl(Environment env);
std::string DefaultOauthUrl(Environment env);

struct Profile {
  std::string name;
  Environment environment = Environment::kSandbox;
  std::string api_url;    // ".../cpro"
  std::string oauth_url;  // ".../api/oauth/token"
  std::string client_id;
  std::string client_secret_cmd;
  std::string client_secret_file;
  std::string login;  // the Chorus Pro account (cpro-account header)
  std::string password_cmd;
  std::string password_file;
  std::string ca_bundle;
  // How long one operation may take, retries included (`timeout`, formerly
  // `timeout_seconds`); 0: the built-in default.
  std::chrono::milliseconds timeout{0};
};

// The longest --timeout / `timeout` chorus accepts.
inline constexpr std::chrono::milliseconds kMaxTimeout = std::chrono::hours(1);

// "90", "90s", "1m30s", "2m", "500ms", "1h": a duration (a bare number is in
// seconds); nullopt when unreadable.
std::optional<std::chrono::milliseconds> ParseDuration(std::string_view text);
// "1m30s", "45s", "500ms": the shortest way to write it back.
std::string FormatDuration(std::chrono::milliseconds d);

struct ConfigFile {
  std::string path;
  bool exists = false;
  std::string default_profile;
  std::vector<Profile> profiles;
  // Non-fatal remarks found while reading (unknown keys, permissions), in
  // English and in the user's language.
  std::vector<Message> warnings;

  const Profile* Find(std::string_view name) const;
  Profile* Find(std::string_view name);
};

// Reads the environment; tests pass a fake.
using EnvLookup = std::function<std::optional<std::string>(std::string_view)>;
EnvLookup ProcessEnvironment();

// The config file to use: the --config flag, else CHORUS_CONFIG, else
// $XDG_CONFIG_HOME/chorus/config.toml, else $HOME/.config/chorus/config.toml.
std::string ConfigPath(const std::string& flag, const EnvLookup& env);

// Parses a config. Errors (kInvalidConfig) name the file, the line and the key.
StatusOr<ConfigFile> ParseConfig(std::string_view text, const std::string& path);
// Reads and parses; a missing file is an empty config with exists == false.
// Adds a warning when the file is readable by group or others.
StatusOr<ConfigFile> LoadConfigFile(const std::string& path);
// Writes atomically with mode 0600 (WritePrivateFile), creating the
// directory 0700 if needed.
Status SaveConfigFile(const ConfigFile& config);
// Creates dir with mode 0700 (its missing parents as the umask says); an
// existing dir is left as it is.
Status MakePrivateDirectory(const std::string& dir);
// Replaces the file at path with data, mode 0600: through a new temporary
// file beside it (O_CREAT|O_EXCL|O_NOFOLLOW), fsync, rename, then an fsync of
// the directory. A symlink at path is replaced, never followed.
Status WritePrivateFile(const std::string& path, std::string_view data);
std::string SerializeConfig(const ConfigFile& config);

// A warning naming the fix when the file at path is readable by group or others.
std::optional<Message> PermissionWarning(const std::string& path);

// Picks the profile (flag > CHORUS_PROFILE > default_profile > the only one),
// then applies CHORUS_ENVIRONMENT, CHORUS_API_URL, CHORUS_OAUTH_URL,
// CHORUS_CLIENT_ID and CHORUS_LOGIN over it, then the built-in URLs of
// qualification and production. With no profile at all, CHORUS_API_URL alone
// defines one named "env".
StatusOr<Profile> ResolveProfile(const ConfigFile& config, const std::string& flag_profile,
                                 const EnvLookup& env);

enum class SecretKind { kClientSecret, kPassword };

// A secret, from the first that is set: a value read from stdin (the caller
// read it), CHORUS_CLIENT_SECRET / CHORUS_PASSWORD, the profile's *_cmd
// (run with /bin/sh, trailing newline dropped), the profile's *_file.
StatusOr<std::string> ResolveSecret(const Profile& profile, SecretKind kind, const EnvLookup& env,
                                    const std::optional<std::string>& from_stdin = std::nullopt);

// Runs a shell command (/bin/sh -c) and returns its stdout without the
// trailing newline; a non-zero exit is an error quoting the start of its
// stderr. Its stdin is /dev/null; its environment is ours without
// CHORUS_PASSWORD and CHORUS_CLIENT_SECRET; both its outputs are read as they
// come. A command still running after `timeout`, or printing more than
// 64 KiB, is killed with what it started (its process group) and is an error.
StatusOr<std::string> RunSecretCommand(const std::string& command,
                                       std::chrono::milliseconds timeout = std::chrono::seconds(30));

// "~/x" → "$HOME/x"; a relative path is taken relative to base_dir.
std::string ExpandPath(const std::string& path, const std::string& base_dir, const EnvLookup& env);

}  // namespace chorus
