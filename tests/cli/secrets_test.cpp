// No secret leaks: every command at -vv, on success and failure paths, must
// keep the client secret, the passwords, the cpro-account value and the
// bearer tokens out of stdout, stderr, the journal and every file chorus
// writes, and out of the argv of the processes it starts.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <sys/stat.h>

#include <filesystem>

#include "chorus/portal.h"
#include "cli_support.h"
#include "sandbox_world.h"

using chorus::testing::ChorusRunner;
using chorus::testing::ProcessResult;
using chorus::testing::ReadFile;
using chorus::testing::SandboxWorld;
using chorus::testing::WriteFile;
using nlohmann::json;

namespace {

// Every access token the sandbox ever issued (chorus's included).
std::vector<std::string> IssuedTokens(const std::string& data_dir) {
  std::vector<std::string> tokens;
  sqlite3* db = nullptr;
  std::string uri = "file:" + data_dir + "/sandbox.db?mode=ro";
  REQUIRE(sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr) == SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  REQUIRE(sqlite3_prepare_v2(db, "SELECT token FROM access_tokens", -1, &st, nullptr) == SQLITE_OK);
  while (sqlite3_step(st) == SQLITE_ROW)
    tokens.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
  sqlite3_finalize(st);
  sqlite3_close(db);
  return tokens;
}

}  // namespace

TEST_CASE("no secret in any output, file or child argv, at -vv, on success and failure") {
  // A sandbox client with a secret of its own, so it is recognisable.
  const std::string client_secret = "Cl13nt-S3cr3t-value";
  SandboxWorld w(4, {"--client", "chorus-test:" + client_secret});
  const ChorusRunner& chorus = w.chorus;
  const json& accounts = w.accounts;
  const std::string login = accounts[0]["login"], password = accounts[0]["password"];
  const std::string other_login = accounts[1]["login"], other_password = accounts[1]["password"];

  // The secret helpers log their own argv and their parent's (chorus's) to a
  // file, then print the secret from a file: the secret is never on a command line.
  const std::string argv_log = chorus.dir.File("argv.log");
  WriteFile(chorus.dir.File("pw"), password + "\n", 0600);
  WriteFile(chorus.dir.File("cs"), client_secret + "\n", 0600);
  auto helper = [&](const std::string& file) {
    return "tr '\\0' ' ' </proc/$$/cmdline >>" + argv_log + "; echo >>" + argv_log + "; tr '\\0' ' ' </proc/$PPID/cmdline >>" +
           argv_log + "; echo >>" + argv_log + "; cat " + file;
  };
  REQUIRE(chorus.Run({"profile", "add", "p", "--sandbox", w.sandbox.url(), "--client-id", "chorus-test",
                      "--client-secret-cmd", helper(chorus.dir.File("cs")), "--login", login, "--password-cmd",
                      helper(chorus.dir.File("pw"))})
              .exit_code == 0);
  // A second profile whose secrets chorus keeps in files (from stdin).
  w.AddProfile("q", other_login, other_password, "chorus-test", client_secret);

  const std::string farm = accounts[1]["siret"], farm2 = accounts[2]["siret"];
  WriteFile(chorus.dir.File("sirets.txt"), farm + "\n" + farm2 + "\n73282932000075\n");
  std::vector<std::vector<std::string>> commands = {
      {"doctor"},
      {"whoami"},
      {"profile", "show"},
      {"profile", "list"},
      {"structure", "show", farm},
      {"structure", "search", "--siret", farm},
      {"structure", "search", "--name", "zzz-nothing"},                       // not found
      {"structure", "edit", farm, "--centre-de-gestion"},                      // not a manager
      {"--dry-run", "structure", "edit", accounts[0]["siret"], "--open-space", "factures-recues"},
      {"attach", "request", farm},
      {"attach", "request", farm},                                             // already pending
      {"attach", "request", "--from", chorus.dir.File("sirets.txt"), "--skip-invalid"},
      {"--dry-run", "attach", "request", farm2},
      {"attach", "request", "35600000000048"},                                 // unknown SIRET
      {"attach", "list"},
      {"attach", "status", "--from", chorus.dir.File("sirets.txt"), "--skip-invalid"},
      {"list", "pending"},
      {"attach", "approve", "--all"},
      {"--profile", "q", "attach", "approve", "--all"},                        // the farm's manager
      {"--profile", "q", "attach", "reject", "999999", "--comment", "no"},     // unknown request
      {"signup", "--email", "new.user@example.org", "--siret", "73282932000074", "--first-name", "N",
       "--last-name", "U", "--structure-name", "S", "--address", "A", "--postal-code", "28000", "--city", "C"},
      {"--dry-run", "signup", "--email", "x@example.org", "--siret", farm, "--first-name", "X", "--last-name", "Y"},
      {"activate", "--token", "not-a-token", "--secret-question", "q", "--credentials-stdin"},
      {"--dry-run", "activate", "--token", "t", "--secret-question", "q", "--credentials-stdin"},
      {"siret", "check", farm},
  };
  std::vector<ProcessResult> results;
  for (auto args : commands) {
    args.insert(args.begin(), {"-vv", "--yes", "--profile", "p"});
    results.push_back(chorus.Run(args, "N3w-Passw0rd!x\nanswer\n"));
  }
  // Failure paths with wrong credentials: the wrong values must not show either.
  const std::string wrong_password = "Wr0ng-Passw0rd-value";
  results.push_back(chorus.Run({"-vv", "whoami"}, "", {"CHORUS_PASSWORD=" + wrong_password}));
  results.push_back(chorus.Run({"-vv", "doctor"}, "", {"CHORUS_CLIENT_SECRET=Wr0ng-Cl13nt-value"}));

  // Some of them must really have succeeded and failed, or this proves little.
  CHECK(results[0].exit_code == 0);   // doctor
  CHECK(results[7].exit_code == 4);   // edit as a non-manager
  CHECK(results[9].exit_code == 0);   // attach request
  CHECK(results[13].exit_code == 5);  // unknown SIRET
  CHECK(results.back().exit_code == 4);

  std::vector<std::string> secrets = {client_secret, password, other_password, wrong_password,
                                      "Wr0ng-Cl13nt-value", "N3w-Passw0rd!x",
                                      chorus::Base64Encode(login + ":" + password),
                                      chorus::Base64Encode(other_login + ":" + other_password),
                                      chorus::Base64Encode(login + ":" + wrong_password)};
  auto tokens = IssuedTokens(w.sandbox.data_dir());
  REQUIRE(tokens.size() >= 2);
  secrets.insert(secrets.end(), tokens.begin(), tokens.end());

  for (std::size_t i = 0; i < results.size(); ++i) {
    CAPTURE(i);
    // The trace really was on: requests are shown, with their secrets masked.
    if (i < commands.size() && commands[i][0] == "whoami") CHECK(results[i].err.find("> POST ") != std::string::npos);
    for (const auto& s : secrets) {
      CAPTURE(s.substr(0, 4));
      CHECK(results[i].out.find(s) == std::string::npos);
      CHECK(results[i].err.find(s) == std::string::npos);
    }
  }
  CHECK(results[1].err.find("cpro-account: ***REDACTED***") != std::string::npos);

  // Every file chorus wrote (config, journals): no secret, except the 0600
  // secret files `profile add --*-stdin` exists to write.
  namespace fs = std::filesystem;
  std::size_t files = 0;
  for (const auto& dir : {chorus.dir.File("config"), chorus.dir.File("state")}) {
    if (!fs::exists(dir)) continue;
    for (const auto& entry : fs::recursive_directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;
      ++files;
      struct stat st {};
      REQUIRE(stat(entry.path().c_str(), &st) == 0);
      CAPTURE(entry.path().string());
      CHECK((st.st_mode & 077) == 0);  // 0600: config, secret files, journals
      if (entry.path().parent_path().filename() == "secrets") continue;
      std::string text = ReadFile(entry.path());
      for (const auto& s : secrets) CHECK(text.find(s) == std::string::npos);
    }
  }
  CHECK(files >= 3);

  // The argv of every process chorus started, and chorus's own.
  std::string argvs = ReadFile(argv_log);
  CHECK(argvs.find("sh -c ") != std::string::npos);
  CHECK(argvs.find(CHORUS_BIN) != std::string::npos);
  for (const auto& s : secrets) CHECK(argvs.find(s) == std::string::npos);
}
