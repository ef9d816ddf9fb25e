// "Safe to point at a real account": the login budget, one authenticated
// check per command, a bulk run that stops at the first account refusal or
// when the portal dies, Ctrl-C, and the journal's lock — each against a real
// chorus-sandbox.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <set>
#include <sstream>
#include <fstream>
#include <thread>

#include "chorus/http.h"
#include "chorus/portal.h"
#include "cli_support.h"
#include "sandbox_world.h"
#include "terminal_run.h"

using chorus::testing::BackgroundProcess;
using chorus::testing::NdjsonLines;
using chorus::testing::ProcessResult;
using chorus::testing::ReadFile;
using chorus::testing::SandboxProcess;
using chorus::testing::SandboxWorld;
using chorus::testing::TerminalRun;
using chorus::testing::WriteFile;
using nlohmann::json;
using std::chrono::milliseconds;
using std::chrono::seconds;
using SteadyClock = std::chrono::steady_clock;

namespace {

const std::string kDemander = "utilisateurs/v1/monCompte/demander/rattachement";

// The sandbox's count of consecutive failed logins for an account.
long FailedLogins(const std::string& data_dir, const std::string& login) {
  sqlite3* db = nullptr;
  std::string uri = "file:" + data_dir + "/sandbox.db?mode=ro";
  REQUIRE(sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) == SQLITE_OK);
  sqlite3_busy_timeout(db, 5000);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT failed_attempts FROM users WHERE login = ?", -1, &st, nullptr) == SQLITE_OK);
  sqlite3_bind_text(st, 1, login.c_str(), -1, SQLITE_TRANSIENT);
  long n = -1;
  if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
  sqlite3_finalize(st);
  sqlite3_close(db);
  return n;
}

std::string SiretList(const json& accounts, std::size_t n) {
  std::string list;
  for (std::size_t i = 0; i < n && i < accounts.size(); ++i) list += accounts[i]["siret"].get<std::string>() + "\n";
  return list;
}

// Sends one API call as `login:password` straight to the sandbox (no chorus),
// and returns the codeRetour (0 on success, -1 on a transport error).
int RawCall(const std::string& url, const std::string& login, const std::string& password) {
  auto transport = chorus::MakeCurlTransport({});
  chorus::HttpRequest token;
  token.url = url + "/api/oauth/token";
  token.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  token.body = "grant_type=client_credentials&client_id=sandbox&client_secret=sandbox";
  auto t = transport->Send(token);
  if (!t.ok()) return -1;
  auto access = json::parse(t->body, nullptr, false);
  if (!access.is_object() || !access.contains("access_token")) return -1;
  chorus::HttpRequest call;
  call.url = url + "/cpro/utilisateurs/v1/monCompte/recuperer/rattachements";
  call.headers = {{"Authorization", "Bearer " + access["access_token"].get<std::string>()},
                  {"cpro-account", chorus::CproAccountHeaderValue({login, password})},
                  {"Content-Type", "application/json"}};
  call.body = "{}";
  auto r = transport->Send(call);
  if (!r.ok()) return -1;
  auto body = json::parse(r->body, nullptr, false);
  return body.is_object() ? body.value("codeRetour", 0) : -1;
}

}  // namespace

TEST_CASE("a refused password is sent once, whatever the commands that follow; the right one still works") {
  SandboxWorld w(200);
  const std::string login = w.accounts[0]["login"], password = w.accounts[0]["password"];
  const std::string data = w.sandbox.data_dir();
  w.AddProfile("farm", login, "not-the-password");
  WriteFile(w.chorus.dir.File("sirets.txt"), SiretList(w.accounts, 200));
  const std::string siret = w.accounts[1]["siret"];

  // doctor alone spends at most one attempt: its reachability check goes
  // without the account.
  auto doctor = w.chorus.Run({"doctor"});
  CHECK(doctor.exit_code == 4);
  CHECK(FailedLogins(data, login) == 1);

  const std::vector<std::vector<std::string>> commands = {
      {"whoami"},
      {"doctor"},
      {"attach", "list"},
      {"--yes", "attach", "request", "--from", w.chorus.dir.File("sirets.txt")},
      {"structure", "show", siret},
  };
  for (int round = 0; round < 3; ++round)
    for (const auto& args : commands) {
      auto r = w.chorus.Run(args);
      INFO("chorus " << args[0] << " (round " << round << "): " << r.err);
      CHECK(r.exit_code == 4);
      if (args[0] != "doctor") {
        // What was refused, by whom, when, why chorus stops, and the fix.
        CHECK(r.err.find(login) != std::string::npos);
        CHECK(r.err.find("\"farm\"") != std::string::npos);
        CHECK(r.err.find("5 failed logins") != std::string::npos);
        CHECK(r.err.find("chorus profile add farm --force") != std::string::npos);
        CHECK(r.err.find("--retry-login") != std::string::npos);
      }
    }
  CHECK(FailedLogins(data, login) == 1);
  CHECK(w.Calls(kDemander) == 0);

  // The memory holds no secret.
  for (const auto& f : std::filesystem::recursive_directory_iterator(w.chorus.dir.File("state")))
    if (f.is_regular_file()) CHECK(ReadFile(f.path()).find("not-the-password") == std::string::npos);

  // --retry-login sends it once more, on purpose.
  CHECK(w.chorus.Run({"--retry-login", "whoami"}).exit_code == 4);
  CHECK(FailedLogins(data, login) == 2);
  CHECK(w.chorus.Run({"whoami"}).exit_code == 4);
  CHECK(FailedLogins(data, login) == 2);

  // A new secret is not the refused one.
  REQUIRE(w.chorus.Run({"profile", "add", "farm", "--force", "--sandbox", w.sandbox.url(), "--login", login,
                        "--password-stdin"},
                       password + "\n")
              .exit_code == 0);
  auto ok = w.chorus.Run({"whoami"});
  INFO(ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(FailedLogins(data, login) == 0);
}

// Issue 16: the sandbox answers a stale password the PISTE way (401 with
// error="Unauthorized"), which must not pass for an expired token.
TEST_CASE("a stale password against the sandbox's 401: whoami, attach list, structure show send it at most twice, all in the first") {
  SandboxWorld w(3);
  const std::string login = w.accounts[0]["login"], password = w.accounts[0]["password"];
  const std::string data = w.sandbox.data_dir();
  w.AddProfile("farm", login, "Stale-passw0rd!");
  long after_first = -1;
  for (const auto& args : std::vector<std::vector<std::string>>{
           {"whoami"}, {"attach", "list"}, {"structure", "show", w.accounts[1]["siret"].get<std::string>()}}) {
    auto r = w.chorus.Run(args);
    INFO("chorus " << args[0] << ": " << r.err);
    CHECK(r.exit_code == 4);
    // Every message names the profile and the login, and how to fix it.
    CHECK(r.err.find("\"farm\"") != std::string::npos);
    CHECK(r.err.find(login) != std::string::npos);
    CHECK(r.err.find("--retry-login") != std::string::npos);
    if (after_first < 0) after_first = FailedLogins(data, login);
    CHECK(FailedLogins(data, login) == after_first);  // nothing sent after the first command
  }
  CHECK(after_first >= 1);
  CHECK(after_first <= 2);
  REQUIRE(w.chorus.Run({"profile", "add", "farm", "--force", "--sandbox", w.sandbox.url(), "--login", login,
                        "--password-stdin"},
                       password + "\n")
              .exit_code == 0);
  for (const auto& args : std::vector<std::vector<std::string>>{{"whoami"}, {"attach", "list"}}) {
    auto ok = w.chorus.Run(args);
    INFO("chorus " << args[0] << ": " << ok.err);
    CHECK(ok.exit_code == 0);
  }
  CHECK(FailedLogins(data, login) == 0);
}

TEST_CASE("a password_cmd runs once per command, approve --all included") {
  SandboxWorld w(10, {"--pending-requests", "4"});
  const std::string login = w.accounts[0]["login"], password = w.accounts[0]["password"];
  const std::string counter = w.chorus.dir.File("runs.txt");
  WriteFile(w.chorus.dir.File("pw"), password + "\n", 0600);
  WriteFile(w.chorus.ConfigPath(),
            "default_profile = \"p\"\n[profiles.p]\nenvironment = \"sandbox\"\n"
            "api_url = \"" + w.sandbox.url() + "/cpro\"\noauth_url = \"" + w.sandbox.url() +
                "/api/oauth/token\"\nclient_id = \"sandbox\"\nclient_secret_cmd = \"echo sandbox\"\n"
                "login = \"" + login + "\"\npassword_cmd = \"echo run >> '" + counter + "'; cat '" +
                w.chorus.dir.File("pw") + "'\"\n",
            0600);
  auto approve = w.chorus.Run({"--yes", "-o", "ndjson", "attach", "approve", "--all"});
  INFO(approve.err);
  CHECK(approve.exit_code == 0);
  CHECK(NdjsonLines(approve.out).size() == 4);
  CHECK(ReadFile(counter) == "run\n");
  WriteFile(counter, "");
  CHECK(w.chorus.Run({"doctor"}).exit_code == 0);
  CHECK(ReadFile(counter) == "run\n");
}

TEST_CASE("an account locked in the middle of a 500-item run stops it at once") {
  // Slow enough (a rate) for a burst of wrong logins to land between two of
  // the run's own successes, which reset the portal's count of failures.
  SandboxWorld w(500, {"--threads", "16"});
  const std::string login = w.accounts[0]["login"], password = w.accounts[0]["password"];
  w.AddProfile("p", login, password);
  WriteFile(w.chorus.dir.File("sirets.txt"), SiretList(w.accounts, 500));
  BackgroundProcess run(w.chorus.Argv({"--yes", "-o", "ndjson", "attach", "request", "--from",
                                       w.chorus.dir.File("sirets.txt"), "--concurrency", "4", "--rate", "40"}),
                        w.chorus.Options());
  for (int i = 0; i < 200 && w.Calls(kDemander) < 100; ++i) std::this_thread::sleep_for(milliseconds(25));
  REQUIRE(w.Calls(kDemander) >= 100);
  bool locked = false;
  for (int burst = 0; burst < 40 && !locked; ++burst) {
    std::vector<std::thread> wrong;
    std::atomic<int> answered_locked{0};
    for (int i = 0; i < 6; ++i)
      wrong.emplace_back([&, i] {
        if (RawCall(w.sandbox.url(), login, "wrong-" + std::to_string(i)) == 20005) ++answered_locked;
      });
    for (auto& t : wrong) t.join();
    locked = answered_locked > 0 || RawCall(w.sandbox.url(), login, "probe-wrong") == 20005;
  }
  REQUIRE(locked);
  const long calls_at_lock = w.Calls(kDemander);
  int code = run.Wait(milliseconds(30'000));
  CHECK(code == 4);
  const long calls_after = w.Calls(kDemander) - calls_at_lock;
  CHECK(calls_after <= 4);
  std::string out;
  for (std::string line; !(line = run.ReadLine(milliseconds(100))).empty();) out += line + "\n";
  std::size_t refused = 0, not_sent = 0;
  for (const auto& r : NdjsonLines(out)) {
    if (r["result"] != "failed") continue;
    std::string error = r["error"];
    if (error.find("codeRetour 20005") != std::string::npos) ++refused;
    else if (error.find("run stopped") != std::string::npos) ++not_sent;
  }
  CHECK(refused >= 1);
  CHECK(refused <= 4);  // what was in flight when the lock came: at most --concurrency
  const std::string err = run.StderrSoFar();
  CHECK(err.find("not started") != std::string::npos);
  CHECK(err.find("run stopped") != std::string::npos);
  CHECK(err.find("journal") != std::string::npos);
}

TEST_CASE("a portal that dies mid-run stops the run (exit 7); the rerun finishes the job exactly once") {
  chorus::testing::TempDir data;
  auto sandbox = std::make_unique<SandboxProcess>(
      std::vector<std::string>{"--seed", "demo", "--farms", "600", "--latency", "40"}, data.path());
  const std::string url = sandbox->url();
  const std::string port = url.substr(url.rfind(':') + 1);
  json accounts = json::parse(ReadFile(data.File("demo-accounts.json")));
  chorus::testing::ChorusRunner chorus;
  REQUIRE(chorus.Run({"profile", "add", "p", "--sandbox", url, "--login", accounts[0]["login"], "--password-stdin"},
                     accounts[0]["password"].get<std::string>() + "\n")
              .exit_code == 0);
  WriteFile(chorus.dir.File("sirets.txt"), SiretList(accounts, 600));
  const std::vector<std::string> args = {"--yes", "-o", "ndjson", "attach", "request", "--from",
                                         chorus.dir.File("sirets.txt"), "--concurrency", "8"};
  BackgroundProcess run(chorus.Argv(args), chorus.Options());
  std::this_thread::sleep_for(seconds(2));
  sandbox->process().Signal(SIGKILL);
  const auto killed_at = SteadyClock::now();
  int code = run.Wait(milliseconds(120'000));
  const double took = std::chrono::duration<double>(SteadyClock::now() - killed_at).count();
  CHECK(code == 7);
  CHECK(took < 90);
  const std::string err = run.StderrSoFar();
  INFO(err);
  CHECK(err.find("portal unreachable") != std::string::npos);
  CHECK(err.find("journal") != std::string::npos);

  sandbox->Stop();
  sandbox = std::make_unique<SandboxProcess>(std::vector<std::string>{}, data.path(), "127.0.0.1:" + port);
  auto rerun = chorus.Run(args);
  INFO(rerun.err);
  CHECK(rerun.exit_code == 0);
  auto stats_run = chorus::testing::RunProcess({"/usr/bin/curl", "-s", sandbox->url() + "/_sandbox/stats"});
  json stats = json::parse(stats_run.out);
  std::size_t structures = 0;
  for (const auto& r : stats["requestsCreated"]) {
    if (r["login"] != accounts[0]["login"]) continue;
    ++structures;
    CHECK(r["count"] == 1);
  }
  CHECK(structures == 599);  // every farm but its own, each asked once
}

TEST_CASE("Ctrl-C: nothing starts after the first signal; a second aborts what is in flight") {
  SandboxWorld w(4, {"--latency", "3000"});
  w.AddProfile("p", w.accounts[0]["login"], w.accounts[0]["password"]);
  WriteFile(w.chorus.dir.File("sirets.txt"), SiretList(w.accounts, 4));
  const std::vector<std::string> args = {"--yes", "-o", "ndjson", "attach", "request", "--from",
                                         w.chorus.dir.File("sirets.txt"), "--concurrency", "1"};
  auto wait_for_calls = [&](long n) {
    for (int i = 0; i < 400 && w.Calls(kDemander) < n; ++i) std::this_thread::sleep_for(milliseconds(25));
    REQUIRE(w.Calls(kDemander) >= n);
  };

  SUBCASE("one signal: the request in flight finishes, nothing new starts, exit 130 within 1 s") {
    BackgroundProcess run(w.chorus.Argv(args), w.chorus.Options());
    wait_for_calls(1);
    run.Signal(SIGINT);
    const long at_signal = w.Calls(kDemander);
    const auto signalled = SteadyClock::now();
    CHECK(run.Wait(milliseconds(10'000)) == 130);
    // The call in flight had up to 3 s left; then at most 1 s to exit.
    CHECK(SteadyClock::now() - signalled < milliseconds(3000 + 1000 + 500));
    CHECK(w.Calls(kDemander) == at_signal);
    CHECK(run.StderrSoFar().find("interrupted") != std::string::npos);
  }
  SUBCASE("two signals: the call in flight is cut, its item is interrupted, the rerun settles it") {
    BackgroundProcess run(w.chorus.Argv(args), w.chorus.Options());
    wait_for_calls(1);
    run.Signal(SIGINT);
    std::this_thread::sleep_for(milliseconds(200));
    run.Signal(SIGINT);
    const auto aborted = SteadyClock::now();
    CHECK(run.Wait(milliseconds(5'000)) == 130);
    CHECK(SteadyClock::now() - aborted < milliseconds(1000));
    std::string out;
    for (std::string line; !(line = run.ReadLine(milliseconds(100))).empty();) out += line + "\n";
    auto records = NdjsonLines(out);
    REQUIRE(records.size() >= 1);
    CHECK(records[0]["result"] == "interrupted");
    CHECK(records[0]["error"].get<std::string>().find("may have reached the portal") != std::string::npos);
    CHECK(run.StderrSoFar().find("1 interrupted") != std::string::npos);

    // The same command again settles it: every farm asked once, none twice.
    auto rerun = w.chorus.Run(args);
    INFO(rerun.err);
    CHECK(rerun.exit_code == 0);
    json stats = w.Stats();
    std::size_t asked = 0;
    for (const auto& r : stats["requestsCreated"]) {
      if (r["login"] != w.accounts[0]["login"]) continue;
      ++asked;
      CHECK(r["count"] == 1);
    }
    CHECK(asked == 3);  // the other three farms
  }
}

TEST_CASE("a second run on the same journal is refused while the first runs") {
  SandboxWorld w(40, {"--latency", "200"});
  w.AddProfile("p", w.accounts[0]["login"], w.accounts[0]["password"]);
  WriteFile(w.chorus.dir.File("sirets.txt"), SiretList(w.accounts, 40));
  const std::vector<std::string> args = {"--yes", "-o", "ndjson", "attach", "request", "--from",
                                         w.chorus.dir.File("sirets.txt"), "--concurrency", "1"};
  BackgroundProcess first(w.chorus.Argv(args), w.chorus.Options());
  for (int i = 0; i < 400 && w.Calls(kDemander) < 2; ++i) std::this_thread::sleep_for(milliseconds(25));
  auto second = w.chorus.Run(args);
  CHECK(second.exit_code == 1);
  CHECK(second.err.find("another chorus run is using the journal") != std::string::npos);
  first.Signal(SIGINT);
  CHECK(first.Wait(milliseconds(10'000)) == 130);
}

TEST_CASE("Ctrl-C at a confirmation prompt ends it at once; nothing is sent") {
  SandboxWorld w(3);
  w.AddProfile("p", w.accounts[0]["login"], w.accounts[0]["password"]);
  TerminalRun run(w.chorus, {"attach", "request", w.accounts[1]["siret"].get<std::string>()});
  REQUIRE(run.WaitFor("[y/N]", seconds(20)));
  run.Signal(SIGINT);
  const auto signalled = SteadyClock::now();
  CHECK(run.Wait(seconds(5)) == 130);
  CHECK(SteadyClock::now() - signalled < milliseconds(1000));
  CHECK(w.Calls(kDemander) == 0);
}

TEST_CASE("what is sent is what was validated: a --from file changed at the confirmation prompt changes nothing") {
  SandboxWorld w(8);
  w.AddProfile("p", w.accounts[0]["login"], w.accounts[0]["password"]);
  const std::string file = w.chorus.dir.File("clients.csv");
  // Farms 1-3 are validated and confirmed; farms 4-7 are written over them afterwards.
  std::string first = "siret\n", later = "siret\n";
  for (int i = 1; i <= 3; ++i) first += w.accounts[i]["siret"].get<std::string>() + "\n";
  for (int i = 4; i <= 7; ++i) later += w.accounts[i]["siret"].get<std::string>() + "\n";
  WriteFile(file, first);
  TerminalRun run(w.chorus, {"attach", "request", "--from", file});
  REQUIRE(run.WaitFor("[y/N]", seconds(20)));
  WriteFile(file, later);
  run.Type("y\n");
  CHECK(run.Wait(seconds(30)) == 0);
  json stats = w.Stats();
  std::set<std::string> asked;
  for (const auto& r : stats["requestsCreated"])
    if (r["login"] == w.accounts[0]["login"]) asked.insert(r["identifiantStructure"].get<std::string>());
  CHECK(asked == std::set<std::string>{w.accounts[1]["siret"], w.accounts[2]["siret"], w.accounts[3]["siret"]});
}

TEST_CASE("a bulk command says once how its --from file was decoded") {
  SandboxWorld w(3);
  w.AddProfile("p", w.accounts[0]["login"], w.accounts[0]["password"]);
  const std::string file = w.chorus.dir.File("excel.csv");
  // French Excel's "CSV (séparateur : point-virgule)": Windows-1252, CRLF.
  WriteFile(file, std::string("N\xb0 SIRET;Raison sociale\r\n") + w.accounts[1]["siret"].get<std::string>() +
                      ";EARL Dur\xe9\r\n");
  auto r = w.chorus.Run({"--dry-run", "attach", "status", "--from", file, "--column", "N° SIRET"});
  INFO(r.err);
  CHECK(r.exit_code == 0);
  CHECK(r.err.find("Windows-1252") != std::string::npos);
  CHECK(r.err.find("1 valid SIRET") != std::string::npos);
}

// Issue 11.5: while the portal pushes back, the progress line on a terminal
// says how many items are retrying and how many have failed.
TEST_CASE("the progress line shows the items retrying and the items failed") {
  SandboxWorld w(30, {"--quota", "3"});  // 3 calls a second: the rest get 429
  w.AddProfile("p", w.accounts[0]["login"], w.accounts[0]["password"]);
  // Farms 1-29 (not the account's own structure), a valid SIRET the portal
  // does not know (a permanent failure) among the first.
  std::string list;
  for (int i = 1; i < 30; ++i) {
    list += w.accounts[i]["siret"].get<std::string>() + "\n";
    if (i == 3) list += "73282932000074\n";
  }
  const std::string file = w.chorus.dir.File("sirets.txt");
  WriteFile(file, list);
  TerminalRun run(w.chorus, {"--yes", "attach", "request", "--from", file, "--concurrency", "8"});
  CHECK(run.Wait(seconds(90)) == 3);  // the unknown SIRET failed
  // The progress line is redrawn after each "\r"; look at its states.
  bool retrying = false, failed = false;
  std::string line;
  std::istringstream redraws(run.output());
  while (std::getline(redraws, line, '\r')) {
    if (line.rfind("[", 0) != 0) continue;
    INFO(line);
    if (line.find(" retrying") != std::string::npos) retrying = true;
    if (line.find(" 1 failed") != std::string::npos) failed = true;
  }
  INFO(run.output());
  CHECK(retrying);
  CHECK(failed);
}
