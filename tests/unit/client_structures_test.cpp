// Client::ConsultStructure's reading of the technical password expiry, and
// Client::StructureServices, against answers queued on a fake transport.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "support/client_fixture.h"

using namespace chorus;
using namespace chorus::testing;
using nlohmann::json;

namespace {

std::string ConsultAnswer(const json& expiry) {
  json info{{"idStructureCPP", 7}, {"identifiantStructure", "73282932000074"}};
  if (!expiry.is_discarded()) info["dateExpirationMotPasseCompteTech"] = expiry;
  return json{{"codeRetour", 0}, {"libelle", "TRA_MSG_00.000"}, {"informationGenerales", info}}.dump();
}

}  // namespace

TEST_CASE_FIXTURE(ClientFixture, "ConsultStructure: the technical password expiry as a date or a timestamp") {
  // Its format on PISTE is not documented: a bare date, or a timestamp as
  // the sandbox sends it (what typed clients parse), read the same.
  struct Case {
    json sent;
    std::string read;
  };
  for (const Case& c : {Case{"2028-01-30", "2028-01-30"}, Case{"2028-01-30T09:12:00Z", "2028-01-30"},
                        Case{"2028-01-30T09:12:00.376+01:00", "2028-01-30"}, Case{"2028-01-30 09:12", "2028-01-30"},
                        // Unreadable text is kept as sent (doctor says it is unreadable); absent is empty.
                        Case{"30/01/2028", "30/01/2028"}, Case{"2028-1-30", "2028-1-30"},
                        Case{"2028-01-30x", "2028-01-30x"}, Case{nullptr, ""},
                        Case{json(json::value_t::discarded), ""}}) {
    CAPTURE(c.sent.dump());
    transport.Push(Reply(200, ConsultAnswer(c.sent)));
    auto d = client.ConsultStructure(7);
    REQUIRE(d.ok());
    CHECK(d->tech_password_expiry == c.read);
  }
}

TEST_CASE_FIXTURE(ClientFixture, "StructureServices: every page of rechercher/services") {
  transport.Push(Reply(200, R"({"codeRetour":0,"libelle":"TRA_MSG_00.000","listeServices":[
      {"idService":27946199,"codeService":"FACTURES_PUBLIQUES","libelleService":"Factures publiques",
       "statutService":"ACTIF","estActif":true,"dateDbtService":"2016-10-25 17:42"}],
      "parametresRetour":{"pageCourante":1,"pages":2,"nbResultatsParPage":1,"total":2}})"));
  transport.Push(Reply(200, R"({"codeRetour":0,"libelle":"TRA_MSG_00.000","listeServices":[
      {"idService":"27946200","codeService":"ANCIEN","libelleService":"Ancien","statutService":"INACTIF",
       "estActif":false}],
      "parametresRetour":{"pageCourante":2,"pages":2,"nbResultatsParPage":1,"total":2}})"));
  auto services = client.StructureServices(42);
  REQUIRE(services.ok());
  REQUIRE(services->size() == 2);
  CHECK((*services)[0].id == 27946199);
  CHECK((*services)[0].code == "FACTURES_PUBLIQUES");
  CHECK((*services)[0].name == "Factures publiques");
  CHECK((*services)[0].status == "ACTIF");
  CHECK((*services)[0].active == true);
  CHECK((*services)[1].id == 27946200);
  CHECK((*services)[1].active == false);
  // The real request: idStructure and parametresRechercherServicesStructure, page by page.
  auto sent = transport.requests();
  REQUIRE(sent.size() == 2);
  CHECK(sent[0].url.find("structures/v1/rechercher/services") != std::string::npos);
  json first = json::parse(sent[0].body), second = json::parse(sent[1].body);
  CHECK(first["idStructure"] == 42);
  CHECK(first["parametresRechercherServicesStructure"]["pageResultatDemandee"] == 1);
  CHECK(second["parametresRechercherServicesStructure"]["pageResultatDemandee"] == 2);

  // A refusal is the portal's status, for the command to decide.
  transport.Push(Reply(403, R"({"codeRetour":50002,"libelle":"SBX_ACCES_REFUSE"})"));
  auto refused = client.StructureServices(43);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().kind() == ErrorKind::kPermissionDenied);
}
