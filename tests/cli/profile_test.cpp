// chorus profile add/list/show/use/remove against a private config dir.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include <filesystem>
#include <map>

#include "cli_support.h"
#include "terminal_run.h"

using chorus::testing::ChorusRunner;
using nlohmann::json;

namespace {
unsigned ModeOf(const std::string& path) {
  struct stat st {};
  REQUIRE(stat(path.c_str(), &st) == 0);
  return st.st_mode & 0777;
}
}  // namespace

TEST_CASE("add, list, show, use, remove") {
  ChorusRunner chorus;
  auto empty = chorus.Run({"profile", "list"});
  CHECK(empty.exit_code == 0);
  CHECK(empty.out.empty());
  CHECK(empty.err.find("chorus profile add") != std::string::npos);

  auto add = chorus.Run({"profile", "add", "sb", "--sandbox", "http://127.0.0.1:8787/",
                         "--login", "marie@cg.example", "--password-cmd", "echo pw"});
  REQUIRE(add.exit_code == 0);
  CHECK(ModeOf(chorus.ConfigPath()) == 0600);

  auto prod = chorus.Run({"profile", "add", "prod", "--environment", "production", "--client-id",
                          "app", "--client-secret-stdin", "--password-stdin", "--login",
                          "TECH_1@cpro.fr"},
                         "top-secret-value\nhunter2-password\n");
  REQUIRE(prod.exit_code == 0);

  auto list = chorus.Run({"-o", "json", "profile", "list"});
  auto profiles = json::parse(list.out);
  REQUIRE(profiles.size() == 2);
  CHECK(profiles[0]["name"] == "prod");
  CHECK(profiles[0]["api_url"] == "https://api.piste.gouv.fr/cpro");
  CHECK(profiles[1]["name"] == "sb");
  CHECK(profiles[1]["default"] == true);  // the first profile becomes the default

  auto show = chorus.Run({"-o", "json", "profile", "show", "prod"});
  REQUIRE(show.exit_code == 0);
  auto p = json::parse(show.out);
  CHECK(p["client_secret"] == "(redacted)");
  CHECK(p["password"] == "(redacted)");
  CHECK(p["oauth_url"] == "https://oauth.piste.gouv.fr/api/oauth/token");
  std::string secret_file = p["client_secret_source"].get<std::string>().substr(6);
  CHECK(ModeOf(secret_file) == 0600);
  for (const auto& text : {show.out, show.err, list.out, chorus::testing::ReadFile(chorus.ConfigPath())}) {
    CHECK(text.find("top-secret-value") == std::string::npos);
    CHECK(text.find("hunter2-password") == std::string::npos);
  }

  auto sb = json::parse(chorus.Run({"-o", "json", "profile", "show"}).out);
  CHECK(sb["name"] == "sb");
  CHECK(sb["api_url"] == "http://127.0.0.1:8787/cpro");
  CHECK(sb["oauth_url"] == "http://127.0.0.1:8787/api/oauth/token");
  CHECK(sb["client_id"] == "sandbox");

  CHECK(chorus.Run({"profile", "use", "prod"}).exit_code == 0);
  CHECK(json::parse(chorus.Run({"-o", "json", "profile", "show"}).out)["name"] == "prod");
  auto env_pick = chorus.Run({"-o", "json", "profile", "show"}, "", {"CHORUS_PROFILE=sb"});
  CHECK(json::parse(env_pick.out)["name"] == "sb");
  auto flag_pick = chorus.Run({"--profile", "prod", "-o", "json", "profile", "show"}, "",
                              {"CHORUS_PROFILE=sb"});
  CHECK(json::parse(flag_pick.out)["name"] == "prod");

  CHECK(chorus.Run({"profile", "add", "sb", "--sandbox", "http://127.0.0.1:1"}).exit_code == 1);
  CHECK(chorus.Run({"profile", "use", "nope"}).exit_code == 5);
  CHECK(chorus.Run({"profile", "remove", "prod", "--yes"}).exit_code == 0);
  struct stat st {};
  CHECK(stat(secret_file.c_str(), &st) != 0);  // the secret file chorus wrote is gone
  CHECK(chorus.Run({"profile", "show", "prod"}).exit_code == 5);
}

TEST_CASE("a bad config file is named with its line and key") {
  ChorusRunner chorus;
  chorus::testing::WriteFile(chorus.ConfigPath(),
                             "default_profile = \"a\"\n[profiles.a]\nenvironment = \"prod\"\n", 0600);
  auto r = chorus.Run({"profile", "show"});
  CHECK(r.exit_code == 1);
  CHECK(r.err.find(chorus.ConfigPath() + ":3: key 'profiles.a.environment'") != std::string::npos);
}

TEST_CASE("a config readable by others gets a warning naming the fix") {
  ChorusRunner chorus;
  chorus::testing::WriteFile(chorus.ConfigPath(),
                             "[profiles.a]\napi_url = \"http://127.0.0.1:1/cpro\"\n", 0644);
  auto r = chorus.Run({"profile", "list"});
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("warning: ") != std::string::npos);
  CHECK(r.err.find("chmod 600") != std::string::npos);
}

TEST_CASE("new profile names: letters, digits, '.', '_' and '-' only") {
  ChorusRunner chorus;
  for (const char* name : {"x$(>pwned)y", "a b", "../etc", "caf\xC3\xA9", "a;b"}) {
    CAPTURE(name);
    auto add = chorus.Run({"profile", "add", name, "--sandbox", "http://127.0.0.1:8787"});
    CHECK(add.exit_code == 2);
    CHECK(add.err.find("letters A-Z a-z, digits, '.', '_' and '-' only") != std::string::npos);
  }
  CHECK(chorus.Run({"profile", "list"}).out.empty());
  CHECK(chorus.Run({"profile", "add", "Prod_2.eu-west", "--sandbox", "http://127.0.0.1:8787"}).exit_code == 0);
}

TEST_CASE("a relative --config stores absolute secret paths; directories are created 0700") {
  ChorusRunner chorus;
  auto options = chorus.Options("hunter2-password\n");
  options.cwd = chorus.dir.path();
  auto add = chorus::testing::RunProcess(
      chorus.Argv({"--config", "cfg/chorus.toml", "profile", "add", "p", "--sandbox", "http://127.0.0.1:8787",
                   "--login", "marie@cg.example", "--password-stdin"}),
      options);
  INFO(add.err);
  REQUIRE(add.exit_code == 0);
  CHECK(ModeOf(chorus.dir.File("cfg")) == 0700);
  CHECK(ModeOf(chorus.dir.File("cfg/secrets")) == 0700);
  std::string config = chorus::testing::ReadFile(chorus.dir.File("cfg/chorus.toml"));
  CHECK(config.find("password_file = '" + chorus.dir.File("cfg/secrets/p.password") + "'") != std::string::npos);
  CHECK(chorus::testing::ReadFile(chorus.dir.File("cfg/secrets/p.password")) == "hunter2-password\n");
  // From anywhere else, the profile still finds its secret.
  auto show = chorus.Run({"--config", chorus.dir.File("cfg/chorus.toml"), "-o", "json", "profile", "show", "p"});
  REQUIRE(show.exit_code == 0);
  CHECK(json::parse(show.out)["password_source"] == "file: " + chorus.dir.File("cfg/secrets/p.password"));
}

namespace {
// Every file under the config directory and its bytes: what a dry run must not touch.
std::map<std::string, std::string> Snapshot(const ChorusRunner& chorus) {
  std::map<std::string, std::string> files;
  const std::string root = chorus.dir.File("config");
  if (!std::filesystem::exists(root)) return files;
  for (const auto& f : std::filesystem::recursive_directory_iterator(root))
    if (f.is_regular_file()) files[f.path().string()] = chorus::testing::ReadFile(f.path().string());
  return files;
}
}  // namespace

TEST_CASE("--dry-run: profile add/set/use/remove say what would change and touch nothing (issue 13.2)") {
  ChorusRunner chorus;
  REQUIRE(chorus.Run({"profile", "add", "farm1", "--sandbox", "http://127.0.0.1:8787", "--login", "marie@cg.example",
                      "--password-stdin"},
                     "farm-one-password\n")
              .exit_code == 0);
  const auto before = Snapshot(chorus);
  REQUIRE(before.size() == 3);  // config, client secret, password

  auto remove = chorus.Run({"--dry-run", "profile", "remove", "farm1"});
  CHECK(remove.exit_code == 0);
  CHECK(remove.err.find("would be removed") != std::string::npos);
  CHECK(remove.err.find("farm1.password") != std::string::npos);  // its secret file, named
  auto add = chorus.Run({"--dry-run", "profile", "add", "farm2", "--sandbox", "http://127.0.0.1:8787", "--login",
                         "paul@cg.example", "--password-stdin", "--default"},
                        "farm-two-password\n");
  CHECK(add.exit_code == 0);
  CHECK(add.err.find("login: paul@cg.example") != std::string::npos);
  CHECK(add.err.find("default profile: farm1 → farm2") != std::string::npos);
  CHECK(add.err.find("farm-two-password") == std::string::npos);
  auto set = chorus.Run({"--dry-run", "profile", "set", "farm1", "login=paul@cg.example"});
  CHECK(set.exit_code == 0);
  CHECK(set.err.find("login: marie@cg.example → paul@cg.example") != std::string::npos);
  auto use = chorus.Run({"--dry-run", "profile", "use", "farm1"});
  CHECK(use.exit_code == 0);
  CHECK(Snapshot(chorus) == before);

  // Removing asks on a terminal; without one it needs --yes, and says what,
  // whose and where.
  auto refused = chorus.Run({"profile", "remove", "farm1"});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("--yes") != std::string::npos);
  CHECK(refused.err.find("farm1") != std::string::npos);
  CHECK(refused.err.find("marie@cg.example") != std::string::npos);
  CHECK(refused.err.find("sandbox") != std::string::npos);
  CHECK(Snapshot(chorus) == before);
  CHECK(chorus.Run({"profile", "remove", "farm1", "--yes"}).exit_code == 0);
  CHECK(Snapshot(chorus).size() == 1);  // the config; the secret files went with the profile

  // A production profile stands out.
  REQUIRE(chorus.Run({"profile", "add", "prod", "--environment", "production", "--client-id", "app",
                      "--client-secret-cmd", "echo s", "--login", "tech@cpro.example", "--password-cmd", "echo p"})
              .exit_code == 0);
  auto prod = chorus.Run({"profile", "remove", "prod"});
  CHECK(prod.exit_code == 2);
  CHECK(prod.err.find("PRODUCTION") != std::string::npos);
}

TEST_CASE("profile set changes single keys; --password stores the password alone (issue 13.8)") {
  ChorusRunner chorus;
  REQUIRE(chorus.Run({"profile", "add", "q", "--environment", "qualification", "--client-id", "app",
                      "--client-secret-cmd", "pass show piste/secret", "--login", "tech@cg.example",
                      "--password-cmd", "pass show piste/account"})
              .exit_code == 0);
  auto show = [&] { return json::parse(chorus.Run({"-o", "json", "profile", "show", "q"}).out); };
  const json before = show();

  auto login = chorus.Run({"profile", "set", "q", "login=tech2@cg.example", "timeout=90s"});
  CHECK(login.exit_code == 0);
  CHECK(login.err.find("login: tech@cg.example → tech2@cg.example") != std::string::npos);
  json after = show();
  CHECK(after["login"] == "tech2@cg.example");
  for (const char* key : {"client_id", "client_secret_source", "password_source", "api_url", "environment"})
    CHECK(after[key] == before[key]);
  CHECK(chorus::testing::ReadFile(chorus.ConfigPath()).find("timeout = '1m30s'") != std::string::npos);

  auto password = chorus.Run({"profile", "set", "q", "--password"}, "n3w-passw0rd\n");
  CHECK(password.exit_code == 0);
  CHECK(password.err.find("n3w-passw0rd") == std::string::npos);
  after = show();
  const std::string source = after["password_source"];
  REQUIRE(source.rfind("file: ", 0) == 0);
  CHECK(ModeOf(source.substr(6)) == 0600);
  CHECK(chorus::testing::ReadFile(source.substr(6)) == "n3w-passw0rd\n");
  CHECK(after["client_secret_source"] == before["client_secret_source"]);
  CHECK(chorus::testing::ReadFile(chorus.ConfigPath()).find("pass show piste/account") == std::string::npos);

  auto inline_secret = chorus.Run({"profile", "set", "q", "password=hunter2"});
  CHECK(inline_secret.exit_code == 2);
  CHECK(inline_secret.err.find("--password") != std::string::npos);
  CHECK(chorus::testing::ReadFile(chorus.ConfigPath()).find("hunter2") == std::string::npos);
  auto typo = chorus.Run({"profile", "set", "q", "logn=x@y.example"});
  CHECK(typo.exit_code == 2);
  CHECK(typo.err.find("did you mean \"login\"?") != std::string::npos);
  CHECK(chorus.Run({"profile", "set", "nope", "login=x"}).exit_code == 5);
  CHECK(chorus.Run({"profile", "set", "q", "environment=staging"}).exit_code == 2);
}

TEST_CASE("secrets typed at a terminal are asked for without echo (issue 13.8)") {
  ChorusRunner chorus;
  chorus::testing::TerminalRun run(chorus, {"profile", "add", "t", "--sandbox", "http://127.0.0.1:8787", "--login",
                                            "marie@cg.example", "--client-secret-stdin", "--password-stdin"});
  REQUIRE(run.WaitFor("Client secret:", std::chrono::seconds(20)));
  run.Type("typed-client-secret\n");
  REQUIRE(run.WaitFor("Password:", std::chrono::seconds(20)));
  run.Type("typed-password\n");
  CHECK(run.Wait(std::chrono::seconds(20)) == 0);
  CHECK(run.output().find("typed-client-secret") == std::string::npos);
  CHECK(run.output().find("typed-password") == std::string::npos);
  auto shown = json::parse(chorus.Run({"-o", "json", "profile", "show", "t"}).out);
  CHECK(chorus::testing::ReadFile(shown["password_source"].get<std::string>().substr(6)) == "typed-password\n");
}
