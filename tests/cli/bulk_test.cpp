// Bulk attachment runs against a sandbox with its fault knobs: every item
// accounted for, exactly one request per (user, structure), resumable.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <signal.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>
#include <set>
#include <map>
#include <thread>

#include "cli_support.h"
#include "support/sandbox_process.h"

using chorus::testing::BackgroundProcess;
using chorus::testing::ChorusRunner;
using chorus::testing::ReadFile;
using chorus::testing::SandboxProcess;
using chorus::testing::WriteFile;
using nlohmann::json;

namespace {

// A sandbox with `farms` farms; the runner gets a profile for its first farm's
// manager and a file listing every farm SIRET.
struct World {
  World(int farms, std::vector<std::string> knobs) : sandbox(Args(farms, std::move(knobs))) {
    accounts = json::parse(ReadFile(sandbox.data_dir() + "/demo-accounts.json"));
    REQUIRE(chorus.Run({"profile", "add", "p", "--sandbox", sandbox.url(), "--login", accounts[0]["login"],
                        "--password-stdin"},
                       accounts[0]["password"].get<std::string>() + "\n")
                .exit_code == 0);
    std::string list;
    for (const auto& a : accounts) list += a["siret"].get<std::string>() + "\n";
    WriteFile(sirets(), list);
  }
  static std::vector<std::string> Args(int farms, std::vector<std::string> knobs) {
    std::vector<std::string> args = {"--seed", "demo", "--farms", std::to_string(farms)};
    args.insert(args.end(), knobs.begin(), knobs.end());
    return args;
  }
  std::string sirets() const { return chorus.dir.File("sirets.txt"); }
  json Stats() const {
    auto r = chorus::testing::RunProcess({"/usr/bin/curl", "-s", sandbox.url() + "/_sandbox/stats"});
    REQUIRE(r.exit_code == 0);
    return json::parse(r.out);
  }
  long Calls(const std::string& path) const {
    auto stats = Stats();
    return stats["callsByPath"].value("/cpro/" + path, 0L);
  }
  // Attachment requests created per structure, for the profile's user.
  std::map<std::string, long> Created() const {
    std::map<std::string, long> out;
    json stats = Stats();  // kept alive: a range-for over Stats()[...] would dangle
    for (const auto& r : stats["requestsCreated"])
      if (r["login"] == accounts[0]["login"]) out[r["identifiantStructure"]] += r["count"].get<long>();
    return out;
  }
  std::vector<json> Results(const std::string& ndjson) const {
    std::vector<json> out;
    std::size_t start = 0, nl;
    while ((nl = ndjson.find('\n', start)) != std::string::npos) {
      out.push_back(json::parse(ndjson.substr(start, nl - start)));
      start = nl + 1;
    }
    return out;
  }
  std::string JournalDir() const { return chorus.dir.File("state/chorus/journals"); }
  std::size_t JournalLines() const {
    std::size_t n = 0;
    if (!std::filesystem::exists(JournalDir())) return 0;
    for (const auto& f : std::filesystem::directory_iterator(JournalDir())) {
      std::string text = ReadFile(f.path());
      n += static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n'));
    }
    return n;
  }

  SandboxProcess sandbox;
  ChorusRunner chorus;
  json accounts;
};

const std::string kDemander = "utilisateurs/v1/monCompte/demander/rattachement";

}  // namespace

TEST_CASE("1,000 SIRETs through failures, resets, a quota and a short token life") {
  World w(1000, {"--fail-rate", "0.1", "--reset-rate", "0.05", "--quota", "300", "--token-ttl", "1"});
  auto run = w.chorus.Run({"--yes", "-o", "ndjson", "attach", "request", "--from", w.sirets(), "--concurrency", "8"});
  INFO(run.err);
  CHECK(run.exit_code == 0);
  auto results = w.Results(run.out);
  REQUIRE(results.size() == 1000);
  std::map<std::string, int> by_result;
  std::set<std::string> seen;
  for (const auto& r : results) {
    by_result[r["result"]]++;
    seen.insert(r["siret"]);
  }
  CHECK(seen.size() == 1000);
  // Its own farm: already attached. A lost answer retried: already pending.
  CHECK(by_result["already_attached"] == 1);
  CHECK(by_result["requested"] + by_result["already_pending"] == 999);
  CHECK(by_result["failed"] == 0);
  auto created = w.Created();
  CHECK(created.size() == 999);
  for (const auto& [siret, count] : created) {
    CAPTURE(siret);
    CHECK(count == 1);
  }
  CHECK(run.err.find("0 failed, 0 invalid") != std::string::npos);
  CHECK(w.JournalLines() == 0);  // a finished run leaves no journal
}

TEST_CASE("a run killed with SIGKILL resumes without re-sending finished items") {
  World w(400, {"--latency", "20"});
  {
    BackgroundProcess first(w.chorus.Argv({"--yes", "-o", "ndjson", "attach", "request", "--from", w.sirets(),
                                           "--concurrency", "4"}),
                            w.chorus.Options());
    for (int i = 0; i < 400 && w.JournalLines() < 100; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    REQUIRE(w.JournalLines() >= 100);
    first.Signal(SIGKILL);
    CHECK(first.Wait(std::chrono::milliseconds(5000)) == 128 + SIGKILL);
  }
  std::size_t journaled = w.JournalLines();
  REQUIRE(journaled < 400);
  long calls_before = w.Calls(kDemander);
  auto second = w.chorus.Run({"--yes", "-o", "ndjson", "attach", "request", "--from", w.sirets(), "--concurrency", "4"});
  INFO(second.err);
  CHECK(second.exit_code == 0);
  CHECK(second.err.find("resuming: " + std::to_string(journaled)) != std::string::npos);
  auto results = w.Results(second.out);
  REQUIRE(results.size() == 400);
  std::size_t from_journal = 0;
  for (const auto& r : results) from_journal += r.value("from_journal", false) ? 1 : 0;
  CHECK(from_journal == journaled);
  // Only what was not journaled is sent again: at most the 4 in flight were redundant.
  long resent = w.Calls(kDemander) - calls_before;
  CHECK(resent == static_cast<long>(400 - journaled));
  CHECK(w.Calls(kDemander) <= 400 + 4);
  auto created = w.Created();
  CHECK(created.size() == 399);
  for (const auto& [siret, count] : created) CHECK(count == 1);
  CHECK(w.JournalLines() == 0);
}

TEST_CASE("Ctrl-C lets requests in flight finish, keeps the journal, exits 130") {
  World w(300, {"--latency", "20"});
  BackgroundProcess run(w.chorus.Argv({"--yes", "-o", "ndjson", "attach", "request", "--from", w.sirets(),
                                       "--concurrency", "4"}),
                        w.chorus.Options());
  for (int i = 0; i < 400 && w.JournalLines() < 50; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  run.Signal(SIGINT);
  CHECK(run.Wait(std::chrono::milliseconds(10'000)) == 130);
  std::string err = run.StderrSoFar();
  CHECK(err.find("interrupted; rerun the same command to resume") != std::string::npos);
  CHECK(err.find("not started") != std::string::npos);
  std::size_t journaled = w.JournalLines();
  CHECK(journaled >= 50);
  CHECK(journaled < 300);
  // Every request the portal created is in the journal: nothing in flight was lost.
  CHECK(w.Created().size() + 1 == journaled);  // + its own farm, already attached
  for (const auto& f : std::filesystem::directory_iterator(w.JournalDir())) {
    struct stat st {};
    REQUIRE(stat(f.path().c_str(), &st) == 0);
    CHECK((st.st_mode & 0777) == 0600);
  }
  auto rest = w.chorus.Run({"--yes", "-o", "ndjson", "attach", "request", "--from", w.sirets()});
  CHECK(rest.exit_code == 0);
  CHECK(w.Created().size() == 299);
}

TEST_CASE("invalid lines stop the run before anything is sent, unless --skip-invalid") {
  World w(5, {});
  std::string csv = "Nom;SIRET\r\n";
  for (std::size_t i = 1; i < w.accounts.size(); ++i)
    csv += "F;" + w.accounts[i]["siret"].get<std::string>() + "\r\n";
  csv += "Bad;73282932000075\r\nWorse;123\r\n";
  WriteFile(w.chorus.dir.File("clients.csv"), csv);
  auto refused = w.chorus.Run({"--yes", "attach", "request", "--from", w.chorus.dir.File("clients.csv")});
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("clients.csv line 6: SIRET 73282932000075 fails the Luhn check") != std::string::npos);
  CHECK(refused.err.find("clients.csv line 7: a SIRET has 14 digits") != std::string::npos);
  CHECK(w.Calls(kDemander) == 0);

  // stdin works the same; --skip-invalid goes on, and the run is partial (3).
  auto skipped = w.chorus.Run({"--yes", "-o", "ndjson", "attach", "request", "--from", "-", "--skip-invalid"}, csv);
  CHECK(skipped.exit_code == 3);
  CHECK(w.Results(skipped.out).size() == w.accounts.size() - 1);
  CHECK(w.Calls(kDemander) == static_cast<long>(w.accounts.size() - 1));
}

TEST_CASE("a wrong password stops the run before the items: one failed login, not one per item") {
  World w(20, {});
  auto r = w.chorus.Run({"--yes", "attach", "request", "--from", w.sirets()}, "", {"CHORUS_PASSWORD=wrong"});
  CHECK(r.exit_code == 4);
  CHECK(w.Calls(kDemander) == 0);
  // The account is not locked: the right password still works.
  CHECK(w.chorus.Run({"whoami"}).exit_code == 0);
}

TEST_CASE("attach status in bulk; --dry-run only validates") {
  World w(50, {"--fail-rate", "0.1"});
  auto status = w.chorus.Run({"-o", "ndjson", "attach", "status", "--from", w.sirets(), "--concurrency", "4"});
  INFO(status.err);
  CHECK(status.exit_code == 0);
  auto results = w.Results(status.out);
  REQUIRE(results.size() == 50);
  std::size_t ready = 0;
  for (const auto& r : results) ready += r["ready"] == true ? 1 : 0;
  // Only its own farm is attached; it is ready if its TIC space is open.
  CHECK(ready == (w.accounts[0]["ticSpaceOpen"] == true ? 1u : 0u));
  long consult = w.Calls("structures/v1/consulter");
  auto dry = w.chorus.Run({"--dry-run", "attach", "status", "--from", w.sirets()});
  CHECK(dry.exit_code == 0);
  CHECK(dry.err.find("50 valid SIRET(s) would be checked") != std::string::npos);
  CHECK(w.Calls("structures/v1/consulter") == consult);
}
