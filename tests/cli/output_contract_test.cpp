// docs/output.md is the contract of the machine output (issue 13.4): every
// command is run against a sandbox, and the fields of its JSON, in order,
// must be those its section of the document lists; its CSV header too, and
// every TSV row has as many fields. The error object and the bulk summary
// record are checked the same way.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <map>
#include <sstream>

#include "cli_support.h"
#include "sandbox_world.h"

using chorus::testing::NdjsonLines;
using chorus::testing::NdjsonSummary;
using chorus::testing::ProcessResult;
using chorus::testing::ReadFile;
using chorus::testing::SandboxWorld;
using nlohmann::json;

namespace {

using Fields = std::vector<std::string>;

// Each section's fields, in the order of its table: the backquoted names of
// the first cell of each row. A section is named by its heading's first
// backquoted text ("chorus attach list") or by the heading itself ("Errors").
std::map<std::string, Fields> DocumentedFields() {
  std::istringstream doc(ReadFile(std::string(CHORUS_SOURCE_DIR) + "/docs/output.md"));
  std::map<std::string, Fields> out;
  std::string line, section;
  while (std::getline(doc, line)) {
    if (line.rfind("## ", 0) == 0) {
      auto open = line.find('`');
      section = open == std::string::npos ? line.substr(3) : line.substr(open + 1, line.find('`', open + 1) - open - 1);
      continue;
    }
    if (section.empty() || line.rfind("| `", 0) != 0) continue;
    const std::string cell = line.substr(1, line.find('|', 1) - 1);
    for (std::size_t at = cell.find('`'); at != std::string::npos; at = cell.find('`', cell.find('`', at + 1) + 1))
      out[section].push_back(cell.substr(at + 1, cell.find('`', at + 1) - at - 1));
  }
  return out;
}

Fields KeysOf(const json& object) {
  Fields keys;
  for (const auto& [key, value] : object.items()) keys.push_back(key);
  return keys;
}

// nlohmann::json sorts keys: parse with ordered_json to see the printed order.
Fields PrintedKeys(const std::string& json_text) {
  const auto doc = nlohmann::ordered_json::parse(json_text);  // kept alive: items() of a temporary dangles
  Fields keys;
  for (const auto& [key, value] : doc.items()) keys.push_back(key);
  return keys;
}

struct Contract {
  std::map<std::string, Fields> documented = DocumentedFields();

  const Fields& Of(const std::string& section) {
    INFO("docs/output.md has no table for " << section);
    REQUIRE(documented.count(section) == 1);
    REQUIRE(!documented[section].empty());
    return documented[section];
  }
  // The JSON output of `run` (an array or one object), its objects' keys in
  // printed order.
  void CheckJson(const std::string& section, const ProcessResult& run) {
    INFO(section << "\nstdout: " << run.out << "\nstderr: " << run.err);
    REQUIRE(run.exit_code == 0);
    const Fields& expected = Of(section);
    auto doc = nlohmann::ordered_json::parse(run.out);
    if (doc.is_object()) doc = nlohmann::ordered_json::array({doc});
    REQUIRE(!doc.empty());
    for (const auto& record : doc) CHECK(PrintedKeys(record.dump()) == expected);
  }
  // CSV: the header is the documented fields; TSV: as many fields a row.
  void CheckCsvTsv(const std::string& section, const ProcessResult& csv, const ProcessResult& tsv) {
    INFO(section << "\ncsv: " << csv.out << "\ntsv: " << tsv.out);
    REQUIRE(csv.exit_code == 0);
    REQUIRE(tsv.exit_code == 0);
    const Fields& expected = Of(section);
    std::string header;
    for (const auto& f : expected) header += (header.empty() ? "" : ",") + f;
    CHECK(csv.out.substr(0, csv.out.find("\r\n")) == header);
    std::istringstream rows(tsv.out);
    std::string row;
    std::size_t n = 0;
    while (std::getline(rows, row)) {
      ++n;
      CHECK(static_cast<std::size_t>(std::count(row.begin(), row.end(), '\t')) + 1 == expected.size());
    }
    CHECK(n > 0);
  }
};

std::string ActivationLink(const SandboxWorld& w, const std::string& email) {
  auto mail = chorus::testing::RunProcess(
      {CHORUS_SANDBOX_BIN, "mail", "--data", w.sandbox.data_dir(), "--to", email, "--last"});
  REQUIRE(mail.exit_code == 0);
  auto pos = mail.out.find("http://");
  REQUIRE(pos != std::string::npos);
  return mail.out.substr(pos, mail.out.find_first_of("\n ", pos) - pos);
}

}  // namespace

TEST_CASE("every command's JSON fields, CSV header and TSV rows are those docs/output.md lists, in order") {
  // Farm 1's manager ("p") has pending requests from farms 2 and 3.
  SandboxWorld w(5, {"--pending-requests", "2"});
  w.AddProfile("p", w.accounts[0]["login"], w.accounts[0]["password"]);
  REQUIRE(w.chorus.Run({"profile", "add", "anon", "--sandbox", w.sandbox.url()}).exit_code == 0);
  const std::string own = w.accounts[0]["siret"], other = w.accounts[4]["siret"];
  Contract contract;
  auto as = [&](const std::string& format, std::vector<std::string> args, const std::string& profile = "p",
                const std::string& stdin_data = "") {
    std::vector<std::string> full = {"--profile", profile, "-o", format, "--yes"};
    full.insert(full.end(), args.begin(), args.end());
    return w.chorus.Run(full, stdin_data);
  };
  // The reads: JSON, CSV and TSV.
  const std::vector<std::pair<std::string, std::vector<std::string>>> reads = {
      {"chorus siret check", {"siret", "check", own, "10000000900009"}},
      {"chorus profile list", {"profile", "list"}},
      {"chorus profile list", {"profile", "show"}},
      {"chorus whoami", {"whoami"}},
      {"chorus structure show", {"structure", "show", own}},
      {"chorus structure search", {"structure", "search", "--siret", own}},
      {"chorus list pending", {"list", "pending"}},
      {"chorus attach list", {"attach", "list"}},
      {"chorus attach status", {"attach", "status", own, other, "10000000900009"}},
      {"chorus doctor", {"doctor"}},
  };
  for (const auto& read : reads) {
    // Not a structured binding: clang 14 cannot capture one (CAPTURE).
    const std::string& section = read.first;
    const std::vector<std::string>& args = read.second;
    CAPTURE(section);
    contract.CheckJson(section, as("json", args));
    contract.CheckCsvTsv(section, as("csv", args), as("tsv", args));
  }
  // The mutations: JSON once.
  contract.CheckJson("chorus attach request", as("json", {"attach", "request", other}));
  contract.CheckJson("chorus attach approve", as("json", {"attach", "approve", "--all"}));
  contract.CheckJson("chorus structure show", as("json", {"structure", "edit", own, "--centre-de-gestion=false"}));
  contract.CheckJson("chorus signup", as("json",
                                         {"signup", "--email", "new@cg.example", "--siret", own, "--first-name",
                                          "Nina", "--last-name", "Neuve"},
                                         "anon"));
  contract.CheckJson("chorus activate", as("json",
                                           {"activate", "--link", ActivationLink(w, "new@cg.example"),
                                            "--secret-question", "Ville ?", "--credentials-stdin"},
                                           "anon", "N3uve-Nina!2026\nTours\n"));

  // The error object: on stdout with -o json and -o ndjson, in its order.
  for (const char* format : {"json", "ndjson"}) {
    auto missing = as(format, {"structure", "show", "10000000900009"});
    INFO(missing.out);
    CHECK(missing.exit_code == 5);
    auto doc = json::parse(missing.out);
    REQUIRE(KeysOf(doc) == Fields{"error"});
    CHECK(PrintedKeys(nlohmann::ordered_json::parse(missing.out)["error"].dump()) == contract.Of("Errors"));
  }
  // ...and as a bulk record's error.
  auto unknown = as("ndjson", {"attach", "request", "10000000900009"});
  auto records = NdjsonLines(unknown.out);
  REQUIRE(records.size() == 1);
  REQUIRE(records[0]["error"].is_object());
  CHECK(records[0]["error"]["kind"] == "not_found");
  auto first_line = nlohmann::ordered_json::parse(unknown.out.substr(0, unknown.out.find('\n')));
  CHECK(PrintedKeys(first_line["error"].dump()) == contract.Of("Errors"));

  // The summary record ends the stream: the command's counts, then the
  // documented fields in order.
  auto status = as("ndjson", {"attach", "status", own, other});
  auto summary = NdjsonSummary(status.out);
  REQUIRE(summary.is_object());
  const std::string last = status.out.substr(status.out.rfind('\n', status.out.size() - 2) + 1);
  Fields keys = PrintedKeys(nlohmann::ordered_json::parse(last)["summary"].dump());
  REQUIRE(keys.size() > 3);
  CHECK(Fields(keys.begin(), keys.begin() + 3) == Fields{"ready", "not_ready", "not_found"});
  CHECK(Fields(keys.begin() + 3, keys.end()) == contract.Of("Bulk summary"));
  CHECK(summary["total"] == 2);
  CHECK(summary["exit_code"] == 0);
}

TEST_CASE("a --from file that cannot be read prints the error, never an empty result") {
  SandboxWorld w(2);
  w.AddProfile("p", w.accounts[0]["login"], w.accounts[0]["password"]);
  const std::string nope = w.chorus.dir.File("nope.csv");
  const std::vector<std::vector<std::string>> commands = {{"siret", "check", "--from", nope},
                                                          {"attach", "request", "--from", nope},
                                                          {"attach", "status", "--from", nope},
                                                          {"attach", "approve", "--from", nope}};
  for (const auto& command : commands) {
    for (const char* format : {"json", "ndjson", "tsv", "csv"}) {
      std::vector<std::string> args = {"--profile", "p", "--yes", "-o", format};
      args.insert(args.end(), command.begin(), command.end());
      auto r = w.chorus.Run(args);
      CAPTURE(command[1]);
      CAPTURE(format);
      INFO(r.out);
      CHECK(r.exit_code == 2);
      CHECK(r.err.find("nope.csv") != std::string::npos);
      if (std::string(format) == "json" || std::string(format) == "ndjson") {
        auto doc = json::parse(r.out);
        CHECK(doc["error"]["kind"] == "invalid_argument");
        CHECK(doc["error"]["message"].get<std::string>().find("nope.csv") != std::string::npos);
      } else {
        CHECK(r.out.empty());
      }
    }
  }
}
