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
#include "sandbox_world.h"

using chorus::testing::BackgroundProcess;
using chorus::testing::NdjsonLines;
using chorus::testing::ReadFile;
using chorus::testing::SandboxWorld;
using chorus::testing::WriteFile;
using nlohmann::json;

namespace {

// A sandbox with `farms` farms; the runner gets a profile for its first farm's
// manager and a file listing every farm SIRET.
struct World : SandboxWorld {
  World(int farms, std::vector<std::string> knobs) : SandboxWorld(farms, std::move(knobs)) {
    AddProfile("p", accounts[0]["login"], accounts[0]["password"]);
    std::string list;
    for (const auto& a : accounts) list += a["siret"].get<std::string>() + "\n";
    WriteFile(sirets(), list);
  }
  std::string sirets() const { return chorus.dir.File("sirets.txt"); }
  // Attachment requests created per structure, for the profile's user.
  std::map<std::string, long> Created() const {
    std::map<std::string, long> out;
    json stats = Stats();  // kept alive: a range-for over Stats()[...] would dangle
    for (const auto& r : stats["requestsCreated"])
      if (r["login"] == accounts[0]["login"]) out[r["identifiantStructure"]] += r["count"].get<long>();
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
  // Starts `chorus args`, waits for `lines` journaled items, kills it with SIGKILL.
  void KillAfterJournaled(const std::vector<std::string>& args, std::size_t lines) const {
    BackgroundProcess run(chorus.Argv(args), chorus.Options());
    for (int i = 0; i < 400 && JournalLines() < lines; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    REQUIRE(JournalLines() >= lines);
    run.Signal(SIGKILL);
    CHECK(run.Wait(std::chrono::milliseconds(5000)) == 128 + SIGKILL);
  }
};

const std::string kDemander = "utilisateurs/v1/monCompte/demander/rattachement";

}  // namespace

TEST_CASE("1,000 SIRETs through failures, resets, a quota and a short token life") {
  World w(1000, {"--fail-rate", "0.1", "--reset-rate", "0.05", "--quota", "300", "--token-ttl", "1"});
  auto run = w.chorus.Run({"--yes", "-o", "ndjson", "attach", "request", "--from", w.sirets(), "--concurrency", "8"});
  INFO(run.err);
  CHECK(run.exit_code == 0);
  auto results = NdjsonLines(run.out);
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
  for (const auto& entry : created) {  // not a structured binding: clang 14 cannot capture one
    CAPTURE(entry.first);
    CHECK(entry.second == 1);
  }
  CHECK(run.err.find("0 failed, 0 invalid") != std::string::npos);
  CHECK(w.JournalLines() == 0);  // a finished run leaves no journal
  // The stream ends with one summary record, told apart by its one field.
  const auto summary = chorus::testing::NdjsonSummary(run.out);
  REQUIRE(summary.is_object());
  CHECK(summary["total"] == 1000);
  CHECK(summary["already_attached"] == 1);
  CHECK(summary["failed"] == 0);
  CHECK(summary["exit_code"] == 0);
  CHECK(summary["error"].is_null());
}

TEST_CASE("a run killed with SIGKILL resumes without re-sending finished items") {
  World w(400, {"--latency", "20"});
  w.KillAfterJournaled({"--yes", "-o", "ndjson", "attach", "request", "--from", w.sirets(), "--concurrency", "4"}, 100);
  std::size_t journaled = w.JournalLines();
  REQUIRE(journaled < 400);
  long calls_before = w.Calls(kDemander);
  auto second = w.chorus.Run({"--yes", "-o", "ndjson", "attach", "request", "--from", w.sirets(), "--concurrency", "4"});
  INFO(second.err);
  CHECK(second.exit_code == 0);
  CHECK(second.err.find("resuming: " + std::to_string(journaled)) != std::string::npos);
  auto results = NdjsonLines(second.out);
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
  CHECK(NdjsonLines(skipped.out).size() == w.accounts.size() - 1);
  CHECK(w.Calls(kDemander) == static_cast<long>(w.accounts.size() - 1));
}

TEST_CASE("a wrong password stops the run before the items: one failed login, not one per item") {
  World w(20, {});
  auto r = w.chorus.Run({"--yes", "attach", "request", "--from", w.sirets()}, "", {"CHORUS_PASSWORD=wrong"});
  CHECK(r.exit_code == 4);
  // Until the portal accepts the account, the first item goes alone: it is
  // the one call the wrong password costs.
  CHECK(w.Calls(kDemander) == 1);
  CHECK(r.err.find("19 not started") != std::string::npos);
  // The account is not locked: the right password still works.
  CHECK(w.chorus.Run({"whoami"}).exit_code == 0);
}

TEST_CASE("attach status in bulk; --dry-run, which only ever changes nothing, runs a read as usual") {
  World w(50, {"--fail-rate", "0.1"});
  auto status = w.chorus.Run({"-o", "ndjson", "attach", "status", "--from", w.sirets(), "--concurrency", "4"});
  INFO(status.err);
  CHECK(status.exit_code == 0);
  auto results = NdjsonLines(status.out);
  REQUIRE(results.size() == 50);
  std::size_t ready = 0;
  for (const auto& r : results) ready += r["ready"] == true ? 1 : 0;
  // Only its own farm is attached; it is ready if its TIC space is open.
  CHECK(ready == (w.accounts[0]["ticSpaceOpen"] == true ? 1u : 0u));
  auto dry = w.chorus.Run({"--dry-run", "-o", "ndjson", "attach", "status", "--from", w.sirets()});
  CHECK(dry.exit_code == 0);
  CHECK(NdjsonLines(dry.out).size() == 50);
  CHECK(dry.err.find("--dry-run: chorus attach status only reads, so it ran as usual") != std::string::npos);
}

// ------------------------------------------------------------- approve/reject
// The seed's --pending-requests K: farmers 2..K+1 have asked to be attached to
// farm 1, whose manager is the World's profile.

namespace {

const std::string kValider = "structures/v1/valider/rattachement";

std::vector<json> PendingIncoming(const World& w) {
  auto r = w.chorus.Run({"-o", "ndjson", "list", "pending", "--incoming"});
  REQUIRE(r.exit_code == 0);
  return NdjsonLines(r.out);
}

}  // namespace

TEST_CASE("approve --all: hundreds of requests through failures, resets and a short token life") {
  World w(301, {"--pending-requests", "300", "--fail-rate", "0.1", "--reset-rate", "0.05", "--token-ttl", "1"});
  REQUIRE(PendingIncoming(w).size() == 300);
  auto run = w.chorus.Run({"--yes", "-o", "ndjson", "attach", "approve", "--all", "--concurrency", "8"});
  INFO(run.err);
  CHECK(run.exit_code == 0);
  auto results = NdjsonLines(run.out);
  REQUIRE(results.size() == 300);
  std::set<std::int64_t> ids;
  std::set<std::string> users;
  std::size_t approved = 0, already = 0;
  for (const auto& r : results) {
    ids.insert(r["request_id"].get<std::int64_t>());
    users.insert(r["user_email"]);
    CHECK(r["siret"] == w.accounts[0]["siret"]);
    approved += r["result"] == "approved" ? 1 : 0;
    already += r["result"] == "already_approved" ? 1 : 0;  // a lost answer, retried
  }
  CHECK(ids.size() == 300);
  CHECK(users.size() == 300);
  CHECK(approved + already == 300);
  CHECK(run.err.find(std::to_string(approved) + " approved, " + std::to_string(already) +
                     " already approved, 0 failed, 0 invalid") != std::string::npos);
  CHECK(PendingIncoming(w).empty());
  CHECK(w.JournalLines() == 0);  // a listing needs no journal: the portal's list is one
  // Nothing left: a rerun says so and sends nothing.
  long decided = w.Calls(kValider);
  auto again = w.chorus.Run({"--yes", "attach", "approve", "--all"});
  CHECK(again.exit_code == 0);
  CHECK(again.err.find("no pending request matches") != std::string::npos);
  CHECK(w.Calls(kValider) == decided);
}

TEST_CASE("approve by request IDs: killed with SIGKILL, the rerun resumes from the journal") {
  World w(201, {"--pending-requests", "200", "--latency", "20"});
  std::vector<std::string> args = {"--yes", "-o", "ndjson", "attach", "approve", "--concurrency", "4"};
  for (const auto& r : PendingIncoming(w)) args.push_back(r["request_id"].dump());
  REQUIRE(args.size() == 7 + 200);
  w.KillAfterJournaled(args, 50);
  std::size_t journaled = w.JournalLines();
  REQUIRE(journaled < 200);
  long calls_before = w.Calls(kValider);
  auto second = w.chorus.Run(args);
  INFO(second.err);
  CHECK(second.exit_code == 0);
  CHECK(second.err.find("resuming: " + std::to_string(journaled)) != std::string::npos);
  auto results = NdjsonLines(second.out);
  REQUIRE(results.size() == 200);
  std::size_t from_journal = 0, already = 0;
  for (const auto& r : results) {
    from_journal += r.value("from_journal", false) ? 1 : 0;
    already += r["result"] == "already_approved" ? 1 : 0;
    CHECK((r["result"] == "approved" || r["result"] == "already_approved"));
  }
  CHECK(from_journal == journaled);
  CHECK(already <= 4);  // decided by the killed run, answer never journaled: at most those in flight
  CHECK(w.Calls(kValider) - calls_before == static_cast<long>(200 - journaled));
  CHECK(w.Calls(kValider) <= 200 + 4);
  CHECK(PendingIncoming(w).empty());
  CHECK(w.JournalLines() == 0);
}

TEST_CASE("approve --from: one line per structure, invalid lines first, one refusal fails alone") {
  World w(6, {"--pending-requests", "3"});
  const std::string mine = w.accounts[0]["siret"], other = w.accounts[1]["siret"];
  // Farm 1 (three requests), farm 2 (not managed by this account), a bad
  // line, and farm 1 again written with spaces.
  std::string spaced = mine.substr(0, 3) + " " + mine.substr(3, 3) + " " + mine.substr(6);
  WriteFile(w.chorus.dir.File("farms.txt"), mine + "\n" + other + "\n12345678901234\n" + spaced + "\n");
  std::vector<std::string> args = {"--yes", "-o", "ndjson", "attach", "approve", "--from", w.chorus.dir.File("farms.txt")};

  auto refused = w.chorus.Run(args);
  CHECK(refused.exit_code == 2);
  CHECK(refused.err.find("farms.txt line 3:") != std::string::npos);
  CHECK(w.Calls(kValider) == 0);

  args.push_back("--skip-invalid");
  auto run = w.chorus.Run(args);
  INFO(run.err);
  CHECK(run.exit_code == 3);
  auto results = NdjsonLines(run.out);
  REQUIRE(results.size() == 4);
  std::set<std::string> users;
  for (int i = 0; i < 3; ++i) {
    CHECK(results[i]["line"] == 1);
    CHECK(results[i]["siret"] == mine);
    CHECK(results[i]["result"] == "approved");
    users.insert(results[i]["user_email"]);
  }
  CHECK(users.size() == 3);
  CHECK(results[3]["line"] == 2);
  CHECK(results[3]["siret"] == other);
  CHECK(results[3]["result"] == "failed");
  // The error is an object: kind, HTTP status, the portal's codeRetour...
  CHECK(results[3]["error"]["kind"] == "permission_denied");
  CHECK(results[3]["error"]["http_status"] == 403);
  CHECK(results[3]["error"]["exit_code"] == 4);
  CHECK(results[3]["error"].contains("code_retour"));
  CHECK(run.err.find("3 approved, 0 already approved, 0 none pending, 1 failed, 1 invalid") != std::string::npos);
  // A refused permission is not for a rerun to fix: it is listed as needing action.
  CHECK(run.err.find("Rerun the same command to retry") == std::string::npos);
  CHECK(run.err.find("1 item failed for a reason a rerun cannot fix; it needs action first") != std::string::npos);
  CHECK(run.err.find("SIRET " + other + " (line 2)") != std::string::npos);
  const auto summary = chorus::testing::NdjsonSummary(run.out);
  CHECK(summary["need_action"] == 1);
  CHECK(summary["rerun_can_fix"] == 0);
  CHECK(summary["exit_code"] == 3);
  CHECK(PendingIncoming(w).empty());

  // The rerun takes farm 1 from the journal and tries farm 2 again.
  long decided = w.Calls(kValider);
  auto rerun = w.chorus.Run(args);
  CHECK(rerun.exit_code == 3);
  auto again = NdjsonLines(rerun.out);
  REQUIRE(again.size() == 4);
  for (int i = 0; i < 3; ++i) CHECK(again[i]["from_journal"] == true);
  CHECK(again[3]["result"] == "failed");
  CHECK(w.Calls(kValider) == decided);

  // Another selection of the same structure: nothing pending any more.
  auto none = w.chorus.Run({"--yes", "-o", "ndjson", "attach", "approve", "--structure", mine});
  CHECK(none.exit_code == 0);
  auto none_results = NdjsonLines(none.out);
  REQUIRE(none_results.size() == 1);
  CHECK(none_results[0]["result"] == "none_pending");
}

TEST_CASE("deciding again: the same decision is done, the opposite one fails and says why") {
  World w(4, {"--pending-requests", "2"});
  auto pending = PendingIncoming(w);
  REQUIRE(pending.size() == 2);
  std::string first = pending[0]["request_id"].dump(), second = pending[1]["request_id"].dump();
  REQUIRE(w.chorus.Run({"--yes", "attach", "approve", first}).exit_code == 0);
  REQUIRE(w.chorus.Run({"--yes", "attach", "reject", second, "--comment", "non"}).exit_code == 0);

  auto same = w.chorus.Run({"--yes", "-o", "ndjson", "attach", "approve", first, first});
  CHECK(same.exit_code == 0);
  CHECK(same.err.find("1 repeated request ID skipped") != std::string::npos);
  auto same_results = NdjsonLines(same.out);
  REQUIRE(same_results.size() == 1);
  CHECK(same_results[0]["result"] == "already_approved");

  auto opposite = w.chorus.Run({"--yes", "-o", "ndjson", "attach", "approve", second});
  CHECK(opposite.exit_code == 1);
  auto opposite_results = NdjsonLines(opposite.out);
  REQUIRE(opposite_results.size() == 1);
  CHECK(opposite_results[0]["result"] == "failed");
  CHECK(opposite_results[0]["error"]["message"].get<std::string>().find("was already rejected") != std::string::npos);
  CHECK(opposite.err.find("Rerun the same command") == std::string::npos);  // a rerun cannot change that
  CHECK(opposite.err.find("needs action first") != std::string::npos);

  // Both kinds of selectors at once are refused before anything is sent.
  auto both = w.chorus.Run({"--yes", "attach", "approve", first, "--all"});
  CHECK(both.exit_code == 2);
  auto all_and_from = w.chorus.Run({"--yes", "attach", "approve", "--all", "--structure", w.accounts[0]["siret"]});
  CHECK(all_and_from.exit_code == 2);
}
