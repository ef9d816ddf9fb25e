// -v and -vv (issue 13.9): -v prints one line per HTTP call (method, path,
// status, milliseconds, attempt) and one per retry (reason, wait); -vv adds
// the redacted dumps.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <regex>
#include <sstream>

#include "cli_support.h"
#include "sandbox_world.h"

using chorus::testing::NdjsonLines;
using chorus::testing::SandboxWorld;
using nlohmann::json;

namespace {

std::vector<std::string> Lines(const std::string& text, const std::string& prefix) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(prefix, 0) == 0) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("-v: a line per HTTP call and per retry, as many as the portal saw; -vv keeps the dumps") {
  // A call in five fails with a 500: over 40-odd calls, retries are all but
  // certain (0.8^40 < 1e-3), and too rare to trip the outage breaker.
  SandboxWorld w(20, {"--fail-rate", "0.2"});
  w.AddProfile("p", w.accounts[0]["login"], w.accounts[0]["password"]);
  std::string list;
  for (const auto& a : w.accounts) list += a["siret"].get<std::string>() + "\n";
  chorus::testing::WriteFile(w.chorus.dir.File("sirets.txt"), list);

  auto quiet = w.chorus.Run({"-o", "ndjson", "attach", "status", "--from", w.chorus.dir.File("sirets.txt")});
  CHECK(quiet.exit_code == 0);
  CHECK(Lines(quiet.err, "* ").empty());  // nothing without -v

  const json before = w.Stats();
  auto run = w.chorus.Run({"-v", "-o", "ndjson", "attach", "status", "--from", w.chorus.dir.File("sirets.txt"),
                           "--concurrency", "4"});
  INFO(run.err);
  CHECK(run.exit_code == 0);
  CHECK(NdjsonLines(run.out).size() == 20);  // stdout stays the results
  const json after = w.Stats();

  const std::regex exchange(R"(\* (GET|POST) (/\S+) (\d{3}|error) (\d+) ms( \(attempt (\d+)\))?(: .*)?)");
  const std::regex retry(R"(\* retry: (GET|POST) (/cpro/\S+) attempt (\d+) failed: .*HTTP 500.*; next attempt in (\d+) ms)");
  long api_calls = 0, failed_500 = 0, retries = 0, token_calls = 0;
  for (const auto& line : Lines(run.err, "* ")) {
    std::smatch m;
    if (std::regex_match(line, m, retry)) {
      ++retries;
      CHECK(std::stoi(m[3]) >= 1);
      continue;
    }
    INFO(line);
    REQUIRE(std::regex_match(line, m, exchange));
    if (m[2].str().rfind("/cpro/", 0) == 0) {
      ++api_calls;
      CHECK(m[6].matched);  // API calls name their attempt
      if (m[3] == "500") ++failed_500;
    } else {
      ++token_calls;
      CHECK(m[2] == "/api/oauth/token");
      if (m[3] == "500") ++failed_500;  // the token endpoint fails too; the call is retried
    }
  }
  long portal_saw = 0;
  for (const auto& [path, n] : after["callsByPath"].items())
    if (path.rfind("/cpro/", 0) == 0) portal_saw += n.get<long>() - before["callsByPath"].value(path, 0L);
  CHECK(api_calls == portal_saw);  // one line per call the portal received
  CHECK(failed_500 > 0);
  CHECK(retries == failed_500);    // each 500 (API or token) was retried, and said so
  CHECK(token_calls >= 1);

  auto trace = w.chorus.Run({"-vv", "-o", "ndjson", "attach", "status", w.accounts[0]["siret"]});
  CHECK(trace.exit_code == 0);
  CHECK(!Lines(trace.err, "* POST /cpro/").empty());
  CHECK(trace.err.find("cpro-account: ***REDACTED***") != std::string::npos);  // the dumps, redacted
  CHECK(trace.err.find(w.accounts[0]["password"].get<std::string>()) == std::string::npos);
}
