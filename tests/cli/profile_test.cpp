// chorus profile add/list/show/use/remove against a private config dir.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <sys/stat.h>

#include "cli_support.h"

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
  CHECK(chorus.Run({"profile", "remove", "prod"}).exit_code == 0);
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
