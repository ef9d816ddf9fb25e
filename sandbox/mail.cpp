#include "mail.h"

#include <fmt/format.h>

#include <filesystem>
#include <nlohmann/json.hpp>

#include "../cmd/tr.h"
#include "clock.h"
#include "portal.h"

namespace sandbox {

int PrintMails(const std::string& data_dir, const std::string& to, bool last_only, bool json) {
  std::string db = data_dir + "/sandbox.db";
  if (!std::filesystem::exists(db)) {
    fmt::print(stderr, "chorus-sandbox: {}\n", chorus::cli::TrFormat("no sandbox data in {} (no sandbox.db)", data_dir));
    return 1;
  }
  Clock clock;
  Portal portal(db, clock, HashCost::kMin);
  Json mails = portal.Mails(to);
  if (last_only && !mails.empty()) mails = Json::array({mails.back()});
  if (json) {
    fmt::print("{}\n", mails.dump(2));
    return 0;
  }
  if (mails.empty()) {
    if (to.empty()) fmt::print(stderr, "{}\n", chorus::Tr("no mail"));
    else fmt::print(stderr, "{}\n", chorus::cli::TrFormat("no mail for {}", to));
    return 0;
  }
  for (const auto& m : mails) {
    fmt::print("--- mail #{} · {} · {}\n", m["id"].get<int64_t>(), m["date"].get<std::string>(),
               m["type"].get<std::string>());
    fmt::print("To: {}\nSubject: {}\n", m["to"].get<std::string>(),
               m["subject"].get<std::string>());
    if (m.contains("lienActivation"))
      fmt::print("Activation-Link: {}\nActivation-Token: {}\n",
                 m["lienActivation"].get<std::string>(), m["jetonActivation"].get<std::string>());
    fmt::print("\n{}\n", m["body"].get<std::string>());
  }
  return 0;
}

}  // namespace sandbox
