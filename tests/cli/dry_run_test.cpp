// --dry-run (issue 13.2): the requests a mutation would send go to stderr,
// so stdout stays valid NDJSON/JSON/TSV; nothing reaches the portal; a read
// runs as usual and says so, the same way for every read command.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <sstream>

#include "cli_support.h"
#include "sandbox_world.h"

using chorus::testing::NdjsonLines;
using chorus::testing::NdjsonSummary;
using chorus::testing::SandboxWorld;
using nlohmann::json;

TEST_CASE("--dry-run: dumps on stderr, stdout valid for machines, nothing sent; reads run and say so") {
  SandboxWorld w(3);
  w.AddProfile("p", w.accounts[0]["login"], w.accounts[0]["password"]);
  const std::string own = w.accounts[0]["siret"], farm = w.accounts[1]["siret"];
  const std::string demander = "utilisateurs/v1/monCompte/demander/rattachement";

  auto ndjson = w.chorus.Run({"--dry-run", "-o", "ndjson", "attach", "request", farm});
  INFO(ndjson.err);
  CHECK(ndjson.exit_code == 0);
  auto records = NdjsonLines(ndjson.out);  // every line parses
  REQUIRE(records.size() == 1);
  CHECK(records[0]["result"] == "dry_run");
  CHECK(NdjsonSummary(ndjson.out)["dry_run"] == 1);
  CHECK(ndjson.out.find("would send") == std::string::npos);
  CHECK(ndjson.err.find("# dry run: would send\n> POST " + w.sandbox.url() + "/cpro/" + demander) !=
        std::string::npos);
  CHECK(ndjson.err.find("***REDACTED***") != std::string::npos);
  CHECK(w.Calls(demander) == 0);

  auto tsv = w.chorus.Run({"--dry-run", "-o", "tsv", "attach", "request", farm});
  CHECK(tsv.exit_code == 0);
  CHECK(tsv.out == "1\t" + farm + "\tdry_run\t\t\t\t\tfalse\n");

  auto edit = w.chorus.Run({"--dry-run", "-o", "json", "structure", "edit", own, "--centre-de-gestion"});
  CHECK(edit.exit_code == 0);
  CHECK(edit.out.empty());
  CHECK(edit.err.find("centre de gestion agricole: no → yes") != std::string::npos);
  CHECK(w.Calls("structures/v1/modifier") == 0);
  auto shown = json::parse(w.chorus.Run({"-o", "json", "structure", "show", own}).out);
  CHECK(shown["centre_de_gestion"] == false);

  // Reads: run as usual, the same note everywhere, stdout as without --dry-run.
  for (const std::vector<std::string>& read : std::vector<std::vector<std::string>>{
           {"attach", "list"}, {"whoami"}, {"structure", "show", own}, {"list", "pending"}}) {
    std::vector<std::string> args = {"--dry-run", "-o", "json"};
    args.insert(args.end(), read.begin(), read.end());
    auto dry = w.chorus.Run(args);
    auto plain = w.chorus.Run(std::vector<std::string>(args.begin() + 1, args.end()));
    CAPTURE(read[0]);
    CHECK(dry.exit_code == 0);
    CHECK(dry.out == plain.out);
    std::string path;
    for (const auto& word : read)
      if (word != own) path += (path.empty() ? "" : " ") + word;
    CHECK(dry.err.find("--dry-run: chorus " + path + " only reads, so it ran as usual and changed nothing.") !=
          std::string::npos);
  }
}
