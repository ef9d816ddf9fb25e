// Instants for people in local time, for programs in UTC (issue 15, point 6):
// a table shows a request's date in the TZ of the reader and in the format of
// the user's language; JSON keeps ISO 8601 UTC whatever the TZ and language.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <ctime>
#include <string>
#include <vector>

#include "chorus/text.h"
#include "cli_support.h"
#include "sandbox_world.h"

using chorus::testing::SandboxWorld;

namespace {

bool Has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// The instant as a reader three hours east of UTC sees it, in `format`.
std::string ThreeHoursEast(const std::string& iso, const char* format) {
  const auto epoch = chorus::ParseIsoTime(iso);
  REQUIRE(epoch.has_value());
  const std::time_t t = static_cast<std::time_t>(*epoch + 3 * 3600);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[64];
  std::strftime(text, sizeof text, format, &tm);
  return text;
}

}  // namespace

TEST_CASE("ParseIsoTime reads the portal's and the sandbox's instants, and nothing else") {
  CHECK(chorus::ParseIsoTime("1970-01-01T00:00:00Z") == 0);
  CHECK(chorus::ParseIsoTime("2024-05-01T09:30:00Z") == 1714555800);
  CHECK(chorus::ParseIsoTime("2024-05-01T11:30:00+02:00") == 1714555800);
  CHECK(chorus::ParseIsoTime("2024-05-01T11:30:00.123+0200") == 1714555800);
  CHECK(chorus::ParseIsoTime("2024-05-01 09:30") == 1714555800);
  CHECK_FALSE(chorus::ParseIsoTime("2024-05-01").has_value());
  CHECK_FALSE(chorus::ParseIsoTime("2024-13-01T00:00:00Z").has_value());
  CHECK_FALSE(chorus::ParseIsoTime("2024-05-01T09:30:00Z trailing").has_value());
  CHECK_FALSE(chorus::ParseIsoTime("FERME LES YEUX").has_value());
  CHECK(chorus::IsoUtc(*chorus::ParseIsoTime("2026-12-02T19:46:49Z")) == "2026-12-02T19:46:49Z");
  // No catalogue in this process: dates keep the English (ISO) order.
  CHECK(chorus::HumanDate("2028-01-30") == "2028-01-30");
  CHECK(chorus::HumanDate("2028-02-30x") == "2028-02-30x");
  CHECK(chorus::HumanDate("bientôt") == "bientôt");
}

TEST_CASE("structure show: a date in the French format in a French table, ISO in JSON") {
  SandboxWorld w(1);
  w.AddProfile("p", w.accounts[0]["login"], w.accounts[0]["password"]);
  const std::string siret = w.accounts[0]["siret"];
  const std::vector<std::string> french = {"LC_ALL=", "LANG=fr_FR.UTF-8"};
  auto json = w.chorus.Run({"-o", "json", "structure", "show", siret}, "", french);
  INFO(json.err);
  REQUIRE(json.exit_code == 0);
  const std::string iso = nlohmann::json::parse(json.out)["tech_password_expiry"];
  REQUIRE(iso.size() == 10);
  const std::string french_date = iso.substr(8, 2) + "/" + iso.substr(5, 2) + "/" + iso.substr(0, 4);
  auto table = w.chorus.Run({"-o", "table", "structure", "show", siret}, "", french);
  INFO(table.out);
  CHECK(Has(table.out, french_date));
  CHECK(!Has(table.out, iso));
  CHECK(Has(table.out, "Désignation :"));
  auto english = w.chorus.Run({"-o", "table", "structure", "show", siret}, "", {"LC_ALL=C.UTF-8"});
  CHECK(Has(english.out, iso));
}

TEST_CASE("list pending: the table in local time and the language's format, JSON in UTC in every TZ and language") {
  SandboxWorld w(2, {"--pending-requests", "1"});
  w.AddProfile("p", w.accounts[0]["login"], w.accounts[0]["password"]);
  const std::vector<std::string> english_east = {"LC_ALL=C.UTF-8", "TZ=XYZ-3"};
  const std::vector<std::string> french_east = {"LC_ALL=", "LANG=fr_FR.UTF-8", "TZ=XYZ-3"};

  auto json_utc = w.chorus.Run({"-o", "json", "list", "pending"}, "", {"LC_ALL=C.UTF-8", "TZ=UTC0"});
  INFO(json_utc.err);
  REQUIRE(json_utc.exit_code == 0);
  const auto requests = nlohmann::json::parse(json_utc.out);
  REQUIRE(!requests.empty());
  const std::string iso = requests[0]["requested_at"];
  CHECK(iso.back() == 'Z');
  // Machine output: the same bytes whatever the TZ and the language.
  CHECK(w.chorus.Run({"-o", "json", "list", "pending"}, "", english_east).out == json_utc.out);
  CHECK(w.chorus.Run({"-o", "json", "list", "pending"}, "", french_east).out == json_utc.out);
  CHECK(w.chorus.Run({"-o", "tsv", "list", "pending"}, "", french_east).out ==
        w.chorus.Run({"-o", "tsv", "list", "pending"}, "", {"LC_ALL=C.UTF-8", "TZ=UTC0"}).out);

  auto english = w.chorus.Run({"-o", "wide", "list", "pending"}, "", english_east);
  INFO(english.out);
  CHECK(Has(english.out, ThreeHoursEast(iso, "%Y-%m-%d %H:%M:%S XYZ")));
  CHECK(!Has(english.out, iso));

  auto french = w.chorus.Run({"-o", "wide", "list", "pending"}, "", french_east);
  INFO(french.out);
  CHECK(Has(french.out, ThreeHoursEast(iso, "%d/%m/%Y %H:%M:%S XYZ")));
  CHECK(!Has(french.out, iso));
}

TEST_CASE("attach list in French: the status words and yes/no of a table in French, the JSON values in English") {
  SandboxWorld w(2, {"--pending-requests", "1"});
  w.AddProfile("p", w.accounts[1]["login"], w.accounts[1]["password"]);
  const std::vector<std::string> french = {"LC_ALL=", "LANG=fr_FR.UTF-8"};
  auto statuses = w.chorus.Run({"-o", "json", "attach", "list"}, "", french);
  auto status_table = w.chorus.Run({"-o", "wide", "attach", "list"}, "", french);
  INFO(statuses.out);
  INFO(status_table.out);
  REQUIRE(statuses.exit_code == 0);
  const auto records = nlohmann::json::parse(statuses.out);
  REQUIRE(!records.empty());
  // Farmer 2 of the seed has asked to be attached to farm 1: one pending request.
  int pending = 0;
  for (const auto& r : records) pending += r["status"] == "pending";
  CHECK(pending >= 1);
  CHECK(Has(status_table.out, "en attente"));
  CHECK(!Has(status_table.out, " pending "));
}

TEST_CASE("the portal's codes in a French table: roles, directions, doctor's checks, a service's status") {
  SandboxWorld w(2, {"--pending-requests", "1"});
  w.AddProfile("p", w.accounts[0]["login"], w.accounts[0]["password"]);
  const std::vector<std::string> english = {"LC_ALL=C.UTF-8"};
  const std::vector<std::string> french = {"LC_ALL=", "LANG=fr_FR.UTF-8"};
  const std::string siret = w.accounts[0]["siret"];

  auto attachments = w.chorus.Run({"-o", "wide", "attach", "list"}, "", french);
  INFO(attachments.out);
  CHECK(Has(attachments.out, "gestionnaire principal"));
  CHECK(!Has(attachments.out, "GESTIONNAIRE_PRINCIPAL"));
  CHECK(Has(w.chorus.Run({"-o", "wide", "attach", "list"}, "", english).out, "GESTIONNAIRE_PRINCIPAL"));

  auto whoami = w.chorus.Run({"-o", "table", "whoami"}, "", french);
  INFO(whoami.out);
  CHECK(Has(whoami.out, siret + " "));
  CHECK(Has(whoami.out, "(gestionnaire principal)"));

  // Farm 1's manager has one incoming request.
  auto pending = w.chorus.Run({"-o", "wide", "list", "pending"}, "", french);
  INFO(pending.out);
  CHECK(Has(pending.out, "reçue"));
  CHECK(!Has(pending.out, "incoming"));

  auto doctor = w.chorus.Run({"-o", "table", "doctor"}, "", french);
  INFO(doctor.out);
  CHECK(Has(doctor.out, "accès au portail"));
  CHECK(Has(doctor.out, "expiration du mot de passe"));
  CHECK(!Has(doctor.out, "reachability"));

  auto structure = w.chorus.Run({"-o", "table", "structure", "show", siret}, "", french);
  INFO(structure.out);
  CHECK(Has(structure.out, "(actif)"));
  CHECK(!Has(structure.out, "(active)"));

  // None of it reaches the machine formats.
  for (const auto& args : std::vector<std::vector<std::string>>{{"-o", "json", "attach", "list"},
                                                                {"-o", "tsv", "whoami"},
                                                                {"-o", "json", "list", "pending"},
                                                                {"-o", "tsv", "structure", "show", siret}}) {
    CAPTURE(args[3]);
    const auto fr = w.chorus.Run(args, "", french);
    CHECK(fr.exit_code == 0);
    CHECK(fr.out == w.chorus.Run(args, "", english).out);
    CHECK(!Has(fr.out, "@human"));
  }
}
