// The scripts in examples/ run as documented against a real sandbox.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "cli_support.h"
#include "sandbox_world.h"

using chorus::testing::ChorusRunner;
using chorus::testing::ProcessOptions;
using chorus::testing::RunProcess;
using chorus::testing::SandboxWorld;

namespace {
std::string BinDir(const std::string& path) { return path.substr(0, path.rfind('/')); }
}  // namespace

TEST_CASE("ci-smoke-test.sh: 0 when healthy, chorus's code when not") {
  SandboxWorld w(3);
  const ChorusRunner& chorus = w.chorus;
  const nlohmann::json& accounts = w.accounts;
  REQUIRE(chorus.Run({"profile", "add", "smoke", "--sandbox", w.sandbox.url(), "--login",
                      accounts[0]["login"]})
              .exit_code == 0);
  ProcessOptions o;
  o.env = {"XDG_CONFIG_HOME=" + chorus.dir.File("config"), "CHORUS_BIN=" + std::string(CHORUS_BIN),
           "CHORUS_PASSWORD=" + accounts[0]["password"].get<std::string>()};
  std::string script = std::string(CHORUS_SOURCE_DIR) + "/examples/ci-smoke-test.sh";
  auto ok = RunProcess({"/bin/bash", script}, o);
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(ok.out.find("ok: " + accounts[0]["login"].get<std::string>() + " on sandbox, 1 active attachment(s)") !=
        std::string::npos);

  o.env.back() = "CHORUS_PASSWORD=wrong-password";
  auto refused = RunProcess({"/bin/bash", script}, o);
  CHECK(refused.exit_code == 4);
  CHECK(refused.err.find("smoke test FAILED") != std::string::npos);
  CHECK(refused.err.find("wrong-password") == std::string::npos);
}

TEST_CASE("onboarding-demo.sh runs the story to the end") {
  // The demo takes the build directory that holds cmd/ and sandbox/.
  std::string build = BinDir(BinDir(CHORUS_BIN));
  auto demo = RunProcess({"/bin/bash", std::string(CHORUS_SOURCE_DIR) + "/examples/onboarding-demo.sh", build},
                         ProcessOptions{{"NO_COLOR=1"}, {}, "", "", std::chrono::milliseconds(120'000)});
  INFO(demo.err);
  CHECK(demo.exit_code == 0);
  CHECK(demo.out.find("exit status: 4") != std::string::npos);
  CHECK(demo.out.find("already_pending") != std::string::npos);
  CHECK(demo.out.find("rejected") != std::string::npos);
  CHECK(demo.out.find("1 ready, 2 not ready") == std::string::npos);  // the summary goes to stderr
  CHECK(demo.err.find("1 ready, 2 not ready, 0 not found, 0 failed") != std::string::npos);
  // Its French part: the table and the summary in the portal's words.
  CHECK(demo.out.find("ÉTAPE SUIVANTE") != std::string::npos);
  CHECK(demo.out.find("en attente de la validation de") != std::string::npos);
  CHECK(demo.err.find("1 prêt, 2 pas prêts") != std::string::npos);
}
