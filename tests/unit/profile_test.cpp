#include "chorus/profile.h"

#include <doctest/doctest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>

#include "support/process.h"

using chorus::ConfigFile;
using chorus::EnvLookup;
using chorus::ErrorKind;
using chorus::Profile;

namespace {

EnvLookup FakeEnv(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

const char* kSample = R"(default_profile = "sandbox"

[profiles.sandbox]
environment = "sandbox"
api_url = "http://127.0.0.1:8787/cpro"
oauth_url = "http://127.0.0.1:8787/api/oauth/token"
client_id = "sandbox"
client_secret_cmd = "echo s3cret"
login = "marie.martin@cg-beauce.example"
password_cmd = "printf 'pw\n'"

[profiles.prod]
environment = "production"
client_id = "app"
login = "TECH_1_x@cpro.fr"
password_file = "~/pw"
)";

}  // namespace

TEST_CASE("config path precedence: flag > CHORUS_CONFIG > XDG > HOME") {
  auto env = FakeEnv({{"CHORUS_CONFIG", "/c/env.toml"}, {"XDG_CONFIG_HOME", "/xdg"}, {"HOME", "/h"}});
  CHECK(chorus::ConfigPath("/flag.toml", env) == "/flag.toml");
  CHECK(chorus::ConfigPath("", env) == "/c/env.toml");
  CHECK(chorus::ConfigPath("", FakeEnv({{"XDG_CONFIG_HOME", "/xdg"}, {"HOME", "/h"}})) ==
        "/xdg/chorus/config.toml");
  CHECK(chorus::ConfigPath("", FakeEnv({{"HOME", "/h"}})) == "/h/.config/chorus/config.toml");
}

TEST_CASE("parse the documented profile file") {
  auto config = chorus::ParseConfig(kSample, "/x/config.toml");
  REQUIRE(config.ok());
  CHECK(config->default_profile == "sandbox");
  REQUIRE(config->profiles.size() == 2);
  const Profile* s = config->Find("sandbox");
  REQUIRE(s);
  CHECK(s->api_url == "http://127.0.0.1:8787/cpro");
  CHECK(s->client_id == "sandbox");
  CHECK(s->login == "marie.martin@cg-beauce.example");
  CHECK(config->Find("prod")->environment == chorus::Environment::kProduction);
  CHECK(config->warnings.empty());
}

TEST_CASE("errors name the file, the line and the key") {
  auto bad_type = chorus::ParseConfig("[profiles.a]\nclient_id = 12\n", "/c.toml");
  REQUIRE_FALSE(bad_type.ok());
  CHECK(bad_type.status().kind() == ErrorKind::kInvalidConfig);
  CHECK(bad_type.status().message() == "/c.toml:2: key 'profiles.a.client_id' must be a string");

  auto bad_env = chorus::ParseConfig("\n[profiles.a]\n\nenvironment = \"prod\"\n", "/c.toml");
  REQUIRE_FALSE(bad_env.ok());
  CHECK(bad_env.status().message().rfind("/c.toml:4: key 'profiles.a.environment'", 0) == 0);

  auto syntax = chorus::ParseConfig("[profiles.a]\nlogin = \"x\nfoo\n", "/c.toml");
  REQUIRE_FALSE(syntax.ok());
  CHECK(syntax.status().message().rfind("/c.toml:2: not valid TOML: ", 0) == 0);

  auto secret = chorus::ParseConfig("[profiles.a]\npassword = \"hunter2\"\n", "/c.toml");
  REQUIRE_FALSE(secret.ok());
  CHECK(secret.status().message().find("password_cmd") != std::string::npos);
  CHECK(secret.status().message().find("hunter2") == std::string::npos);

  auto dangling = chorus::ParseConfig("default_profile = \"nope\"\n[profiles.a]\n", "/c.toml");
  REQUIRE_FALSE(dangling.ok());
  CHECK(dangling.status().message() == "/c.toml:1: key 'default_profile': no profile named \"nope\"");

  auto header = chorus::ParseConfig("[profiles.a]\nlogin = \"x\"\n[profiles.b\n", "/c.toml");
  REQUIRE_FALSE(header.ok());
  CHECK(header.status().kind() == chorus::ErrorKind::kInvalidConfig);
  CHECK(header.status().message().rfind("/c.toml:3: not valid TOML: ", 0) == 0);

  auto unknown = chorus::ParseConfig("[profiles.a]\npasword_cmd = \"x\"\n", "/c.toml");
  REQUIRE(unknown.ok());
  REQUIRE(unknown->warnings.size() == 1);
  CHECK(unknown->warnings[0].english == "/c.toml:2: unknown key 'profiles.a.pasword_cmd' ignored");
}

TEST_CASE("profile selection: flag > CHORUS_PROFILE > default_profile") {
  auto config = chorus::ParseConfig(kSample, "/x/config.toml");
  REQUIRE(config.ok());
  auto env = FakeEnv({{"CHORUS_PROFILE", "prod"}});
  CHECK(chorus::ResolveProfile(*config, "sandbox", env)->name == "sandbox");
  CHECK(chorus::ResolveProfile(*config, "", env)->name == "prod");
  CHECK(chorus::ResolveProfile(*config, "", FakeEnv({}))->name == "sandbox");
  auto missing = chorus::ResolveProfile(*config, "nope", FakeEnv({}));
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().kind() == ErrorKind::kNotFound);
  CHECK(missing.status().message().find("known: prod, sandbox") != std::string::npos);
}

TEST_CASE("environment overrides the profile, defaults fill the rest") {
  auto config = chorus::ParseConfig(kSample, "/x/config.toml");
  REQUIRE(config.ok());
  auto p = chorus::ResolveProfile(*config, "sandbox",
                                  FakeEnv({{"CHORUS_API_URL", "http://127.0.0.1:9/cpro/"},
                                           {"CHORUS_LOGIN", "other@example.org"}}));
  REQUIRE(p.ok());
  CHECK(p->api_url == "http://127.0.0.1:9/cpro");
  CHECK(p->login == "other@example.org");
  CHECK(p->client_id == "sandbox");

  auto prod = chorus::ResolveProfile(*config, "prod", FakeEnv({}));
  REQUIRE(prod.ok());
  CHECK(prod->api_url == "https://api.piste.gouv.fr/cpro");
  CHECK(prod->oauth_url == "https://oauth.piste.gouv.fr/api/oauth/token");

  auto qualif = chorus::ResolveProfile(*config, "prod", FakeEnv({{"CHORUS_ENVIRONMENT", "qualification"}}));
  REQUIRE(qualif.ok());
  CHECK(qualif->api_url == "https://sandbox-api.piste.gouv.fr/cpro");
  CHECK(qualif->oauth_url == "https://sandbox-oauth.piste.gouv.fr/api/oauth/token");
}

TEST_CASE("no config: a profile from the environment alone, or a helpful error") {
  ConfigFile empty;
  empty.path = "/nowhere/config.toml";
  auto p = chorus::ResolveProfile(empty, "", FakeEnv({{"CHORUS_API_URL", "http://127.0.0.1:5/cpro"}}));
  REQUIRE(p.ok());
  CHECK(p->name == "env");
  CHECK(p->oauth_url == "http://127.0.0.1:5/api/oauth/token");
  auto none = chorus::ResolveProfile(empty, "", FakeEnv({}));
  REQUIRE_FALSE(none.ok());
  CHECK(none.status().message().find("chorus profile add") != std::string::npos);
}

TEST_CASE("secrets: stdin > environment > command > file") {
  chorus::testing::TempDir dir;
  chorus::testing::WriteFile(dir.File("pw"), "from-file\n", 0600);
  Profile p;
  p.name = "t";
  p.client_secret_cmd = "echo from-cmd";
  p.password_file = dir.File("pw");
  auto env = FakeEnv({});
  CHECK(*chorus::ResolveSecret(p, chorus::SecretKind::kClientSecret, env) == "from-cmd");
  CHECK(*chorus::ResolveSecret(p, chorus::SecretKind::kPassword, env) == "from-file");
  CHECK(*chorus::ResolveSecret(p, chorus::SecretKind::kClientSecret,
                               FakeEnv({{"CHORUS_CLIENT_SECRET", "from-env"}})) == "from-env");
  CHECK(*chorus::ResolveSecret(p, chorus::SecretKind::kPassword,
                               FakeEnv({{"CHORUS_PASSWORD", "from-env"}}),
                               std::string("from-stdin")) == "from-stdin");
  Profile none;
  none.name = "n";
  auto missing = chorus::ResolveSecret(none, chorus::SecretKind::kPassword, env);
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.status().message().find("password_cmd") != std::string::npos);

  p.client_secret_cmd = "echo oops >&2; exit 3";
  auto failed = chorus::ResolveSecret(p, chorus::SecretKind::kClientSecret, env);
  REQUIRE_FALSE(failed.ok());
  CHECK(failed.status().message().find("exit 3") != std::string::npos);
  CHECK(failed.status().message().find("oops") != std::string::npos);
}

TEST_CASE("save writes 0600 and round-trips; loose permissions are warned about") {
  chorus::testing::TempDir dir;
  auto config = chorus::ParseConfig(kSample, dir.File("sub/config.toml"));
  REQUIRE(config.ok());
  REQUIRE(chorus::SaveConfigFile(*config).ok());
  struct stat st {};
  REQUIRE(stat(dir.File("sub/config.toml").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto again = chorus::LoadConfigFile(dir.File("sub/config.toml"));
  REQUIRE(again.ok());
  CHECK(again->warnings.empty());
  CHECK(again->default_profile == "sandbox");
  CHECK(again->Find("prod")->password_file == "~/pw");
  CHECK(again->Find("sandbox")->client_secret_cmd == "echo s3cret");

  chmod(dir.File("sub/config.toml").c_str(), 0644);
  auto loose = chorus::LoadConfigFile(dir.File("sub/config.toml"));
  REQUIRE(loose.ok());
  REQUIRE(loose->warnings.size() == 1);
  CHECK(loose->warnings[0].english.find("chmod 600") != std::string::npos);

  auto absent = chorus::LoadConfigFile(dir.File("none.toml"));
  REQUIRE(absent.ok());
  CHECK_FALSE(absent->exists);
}

TEST_CASE("the config directory is created 0700; a symlink at the config path is replaced, not followed") {
  chorus::testing::TempDir dir;
  auto config = chorus::ParseConfig(kSample, dir.File("new/chorus/config.toml"));
  REQUIRE(config.ok());
  umask(022);
  REQUIRE(chorus::SaveConfigFile(*config).ok());
  struct stat st {};
  REQUIRE(stat(dir.File("new/chorus").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0700);

  // A link planted at the config path (or a leftover temporary name) must not
  // redirect the write to its target.
  chorus::testing::WriteFile(dir.File("target"), "precious\n");
  auto linked = chorus::ParseConfig(kSample, dir.File("linked.toml"));
  REQUIRE(linked.ok());
  REQUIRE(symlink(dir.File("target").c_str(), dir.File("linked.toml").c_str()) == 0);
  REQUIRE(chorus::SaveConfigFile(*linked).ok());
  CHECK(chorus::testing::ReadFile(dir.File("target")) == "precious\n");
  REQUIRE(lstat(dir.File("linked.toml").c_str(), &st) == 0);
  CHECK(S_ISREG(st.st_mode));
  CHECK((st.st_mode & 0777) == 0600);
  // No temporary file is left behind.
  int entries = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir.path())) entries += e.path().filename() != "new";
  CHECK(entries == 2);  // target, linked.toml
}

TEST_CASE("secret commands: a timeout, both pipes drained, no chorus secret in their environment") {
  auto start = std::chrono::steady_clock::now();
  auto slow = chorus::RunSecretCommand("sleep 20; echo late", std::chrono::milliseconds(300));
  REQUIRE_FALSE(slow.ok());
  CHECK(slow.status().message().find("did not finish") != std::string::npos);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(5));

  // 200 KB on stderr before the secret: more than a pipe holds.
  auto noisy = chorus::RunSecretCommand("head -c 200000 /dev/zero | tr '\\0' x >&2; echo s3cret",
                                        std::chrono::seconds(20));
  REQUIRE(noisy.ok());
  CHECK(*noisy == "s3cret");

  auto endless = chorus::RunSecretCommand("yes", std::chrono::seconds(20));
  REQUIRE_FALSE(endless.ok());
  CHECK(endless.status().message().find("more than 64 KiB") != std::string::npos);

  setenv("CHORUS_PASSWORD", "leaked-password", 1);
  setenv("CHORUS_CLIENT_SECRET", "leaked-secret", 1);
  setenv("CHORUS_TEST_VISIBLE", "visible", 1);
  auto env = chorus::RunSecretCommand(
      "printf '%s|%s|%s' \"${CHORUS_PASSWORD-unset}\" \"${CHORUS_CLIENT_SECRET-unset}\" \"$CHORUS_TEST_VISIBLE\"");
  unsetenv("CHORUS_PASSWORD");
  unsetenv("CHORUS_CLIENT_SECRET");
  unsetenv("CHORUS_TEST_VISIBLE");
  REQUIRE(env.ok());
  CHECK(*env == "unset|unset|visible");
}

TEST_CASE("a config rewritten by chorus reads back, whatever the hand-written profile names") {
  // toml++ writes keys with a tab, a line break or a quote bare: the profile names are quoted by chorus.
  const std::string text =
      "default_profile = \"d'eure\"\n"
      "[profiles.\"d'eure\"]\nlogin = \"a@b.example\"\n"
      "[profiles.\"tab\\there\"]\nlogin = \"t\"\n"
      "[profiles.\"line\\nbreak\"]\nlogin = \"n\"\n"
      "[profiles.'back\\slash \"quoted\"']\nlogin = \"q\"\n"
      "[profiles.plain-name_1]\nlogin = \"p\"\n";
  auto config = chorus::ParseConfig(text, "/c.toml");
  REQUIRE(config.ok());
  REQUIRE(config->profiles.size() == 5);
  const std::string written = chorus::SerializeConfig(*config);
  INFO(written);
  auto again = chorus::ParseConfig(written, "/w.toml");
  REQUIRE(again.ok());
  CHECK(again->default_profile == "d'eure");
  REQUIRE(again->profiles.size() == 5);
  for (const auto& p : config->profiles) {
    CAPTURE(p.name);
    const chorus::Profile* back = again->Find(p.name);
    REQUIRE(back != nullptr);
    CHECK(back->login == p.login);
  }
  CHECK(written.find("[profiles.plain-name_1]") != std::string::npos);
}
