#include "sandbox_world.h"

#include <doctest/doctest.h>

namespace chorus::testing {
namespace {

std::vector<std::string> ServeArgs(int farms, std::vector<std::string> extra_args) {
  std::vector<std::string> args = {"--seed", "demo", "--farms", std::to_string(farms)};
  args.insert(args.end(), extra_args.begin(), extra_args.end());
  return args;
}

}  // namespace

SandboxWorld::SandboxWorld(int farms, std::vector<std::string> extra_args)
    : sandbox(ServeArgs(farms, std::move(extra_args))),
      accounts(nlohmann::json::parse(ReadFile(sandbox.data_dir() + "/demo-accounts.json"))) {}

void SandboxWorld::AddProfile(const std::string& name, const std::string& login, const std::string& password,
                              const std::string& client_id, const std::string& client_secret) const {
  std::vector<std::string> args = {"profile", "add", name, "--sandbox", sandbox.url()};
  std::string stdin_data;
  if (!client_id.empty()) {
    args.insert(args.end(), {"--client-id", client_id, "--client-secret-stdin"});
    stdin_data = client_secret + "\n";
  }
  args.insert(args.end(), {"--login", login, "--password-stdin"});
  stdin_data += password + "\n";
  REQUIRE(chorus.Run(args, stdin_data).exit_code == 0);
}

nlohmann::json SandboxWorld::Stats() const {
  auto r = RunProcess({"/usr/bin/curl", "-s", sandbox.url() + "/_sandbox/stats"});
  REQUIRE(r.exit_code == 0);
  return nlohmann::json::parse(r.out);
}

long SandboxWorld::Calls(const std::string& path) const {
  auto stats = Stats();
  return stats["callsByPath"].value("/cpro/" + path, 0L);
}

}  // namespace chorus::testing
