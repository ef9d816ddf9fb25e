// A chorus-sandbox seeded with demo farms, a chorus with a private config
// directory to run against it, and the demo accounts the seed wrote.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "cli_support.h"
#include "support/sandbox_process.h"

namespace chorus::testing {

class SandboxWorld {
 public:
  // `chorus-sandbox serve --seed demo --farms <farms> <extra_args>`; reads
  // DATA/demo-accounts.json. No chorus profile is added.
  explicit SandboxWorld(int farms, std::vector<std::string> extra_args = {});

  // `chorus profile add <name> --sandbox URL --login <login> --password-stdin`,
  // the password piped on stdin; REQUIREs that it succeeds. With a client_id,
  // the profile uses that sandbox client and `--client-secret-stdin` (the
  // secret is piped first).
  void AddProfile(const std::string& name, const std::string& login, const std::string& password,
                  const std::string& client_id = "", const std::string& client_secret = "") const;

  // GET /_sandbox/stats (REQUIREs that curl succeeds).
  nlohmann::json Stats() const;
  // How many calls /cpro/<path> has had, from the stats.
  long Calls(const std::string& path) const;

  SandboxProcess sandbox;
  ChorusRunner chorus;
  nlohmann::json accounts;  // demo-accounts.json: login, password, siret, designation, ticSpaceOpen
};

}  // namespace chorus::testing
