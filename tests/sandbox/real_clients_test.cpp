// Issue 14: what public Chorus Pro clients send, byte for byte, is accepted.
// go-choruspro serialises every field of its request types, unset ones as
// their zero value (0, "", false, null); OCA asks for 10,000 results a page.
// The bodies below are theirs (the issue quotes the Go client's).
#include <doctest/doctest.h>
#include <fmt/format.h>

#include <string>

#include "sandbox_client.h"
#include "support/process.h"

using sbtest::Json;
using sbtest::Login;
using sbtest::Portal;

namespace {

struct DemoWorld {
  Portal p{{"--seed", "demo", "--farms", "50"}};
  Json accounts = Json::parse(chorus::testing::ReadFile(p.process().data_dir() + "/demo-accounts.json"));
  Login farm(size_t i) const { return {accounts[i]["login"], accounts[i]["password"]}; }
};

// go-choruspro's RechercherStructuresOptions with only nomStructure set.
std::string GoSearchBody(const std::string& nom) {
  return fmt::format(
      R"({{"parametres":null,"restreindreStructuresPrivees":false,"structure":{{"adresseCodePays":"",)"
      R"("adresseCodePostal":"","adresseVille":"","estMOA":false,"estMOAUniquement":false,)"
      R"("identifiantStructure":"","libelleStructure":"","nomStructure":"{}","prenomStructure":"",)"
      R"("raisonSocialeStructure":"","statutStructure":"","typeIdentifiantStructure":"","typeStructure":""}}}})",
      nom);
}

}  // namespace

TEST_CASE("consulter: go-choruspro's body names the structure idStructure") {
  DemoWorld w;
  REQUIRE(w.accounts[0]["idStructureCPP"] == 1);
  auto r = w.p.CallRaw("/structures/v1/consulter", R"({"codeLangue":"FR","idStructure":1})", w.farm(3));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  CHECK(r.json()["informationGenerales"]["idStructureCPP"] == 1);
  CHECK(r.json()["informationGenerales"]["identifiantStructure"] == w.accounts[0]["siret"]);
  // The documented name still wins when both are sent.
  auto both = w.p.CallRaw("/structures/v1/consulter", R"({"idStructureCPP":2,"idStructure":1})", w.farm(3));
  CHECK(both.json()["informationGenerales"]["idStructureCPP"] == 2);
  // Zero is "not given": with nothing else, the id is missing (and named).
  auto zero = w.p.CallRaw("/structures/v1/consulter", R"({"codeLangue":"FR","idStructure":0})", w.farm(3));
  CHECK(zero.status == 400);
  CHECK(zero.code() == 30002);
  CHECK(zero.json()["champ"] == "idStructureCPP");
  // The technical password expiry is a timestamp, as go's time.Time decodes it.
  std::string expiry = r.json()["informationGenerales"]["dateExpirationMotPasseCompteTech"];
  CHECK(expiry.size() == 20);
  CHECK(expiry.find('T') == 10);
  CHECK(expiry.back() == 'Z');
}

TEST_CASE("lister/rattachementsutilisateur: the zero values of a typed client count as absent") {
  DemoWorld w;
  std::string siret = w.accounts[0]["siret"];
  // The issue's body: idUtilisateur 0, an empty e-mail, idStructure 0, and the SIRET.
  std::string go_body = fmt::format(
      R"({{"adresseEmailConnexionUtilisateur":"","idStructure":0,"idUtilisateur":0,"identifiantStructure":"{}",)"
      R"("parametresListerRattachementsStructureUtilisateur":null,"typeIdentifiantStructure":"SIRET"}})",
      siret);
  auto go = w.p.CallRaw("/structures/v1/lister/rattachementsutilisateur", go_body, w.farm(0));
  REQUIRE_MESSAGE(go.status == 200, go.body);
  auto absent = w.p.Call("/structures/v1/lister/rattachementsutilisateur",
                         {{"identifiantStructure", siret}, {"typeIdentifiantStructure", "SIRET"}}, w.farm(0));
  REQUIRE(absent.status == 200);
  CHECK(go.json() == absent.json());
  CHECK(go.json()["idStructure"] == w.accounts[0]["idStructureCPP"]);
  REQUIRE(go.json()["listeServices"].size() == 1);  // the main manager's attachment, one service
  CHECK(go.json()["listeServices"][0]["idService"].is_number_integer());
  CHECK(go.json()["listeServices"][0]["statutRattachement"] == "ACTIF");
  // Blank strings are absent too.
  auto blanks = w.p.Call("/structures/v1/lister/rattachementsutilisateur",
                         {{"adresseEmailConnexionUtilisateur", "  "}, {"idStructure", w.accounts[0]["idStructureCPP"]}},
                         w.farm(0));
  CHECK(blanks.status == 200);
}

TEST_CASE("rechercher: the real criteria are honoured, from go-choruspro's full body") {
  DemoWorld w;
  auto all = w.p.CallRaw("/structures/v1/rechercher", GoSearchBody(""), w.farm(0));
  REQUIRE_MESSAGE(all.status == 200, all.body);
  CHECK(all.json()["parametresRetour"]["total"] == 50);
  // The issue: nomStructure "zzzz" returned all 50 structures.
  auto zzzz = w.p.CallRaw("/structures/v1/rechercher", GoSearchBody("zzzz"), w.farm(0));
  REQUIRE(zzzz.status == 200);
  CHECK(zzzz.json()["parametresRetour"]["total"] == 0);
  CHECK(zzzz.json()["listeStructures"].empty());

  // nomStructure / prenomStructure find a private person's structure by name.
  Portal& p = w.p;
  Json person = p.SignUpBody("jean.dupont@particulier.example", "");
  person["identifiantStructure"] = "P-0001";
  person["typeIdentifiantStructure"] = "PARTICULIER";
  person["nom"] = "Dupont";
  person["prenom"] = "Jean";
  person["adresse"] = {{"adresse", "2 chemin Vert"}, {"codePostal", "28000"}, {"ville", "Chartres"}};
  auto signed_up = p.Call("/utilisateurs/v1/creer/compte", person);
  REQUIRE_MESSAGE(signed_up.status == 200, signed_up.body);
  long long person_id = signed_up.json()["idStructureCPP"];
  auto by_name = p.Call("/structures/v1/rechercher", {{"structure", {{"nomStructure", "dupo"}, {"prenomStructure", "JEAN"}}}},
                        w.farm(0));
  REQUIRE(by_name.json()["listeStructures"].size() == 1);
  CHECK(by_name.json()["listeStructures"][0]["idStructureCPP"] == person_id);
  CHECK(by_name.json()["listeStructures"][0]["designationStructure"] == "Jean Dupont");
  CHECK(p.Call("/structures/v1/rechercher", {{"structure", {{"nomStructure", "Dupont"}, {"prenomStructure", "Marie"}}}},
               w.farm(0)).json()["parametresRetour"]["total"] == 0);
  Json info = p.Call("/structures/v1/consulter", {{"idStructureCPP", person_id}}, w.farm(0)).json()["informationGenerales"];
  CHECK(info["nomStructure"] == "Dupont");
  CHECK(info["prenomStructure"] == "Jean");

  // estMOA / estMOAUniquement: no sandbox structure is a maître d'ouvrage.
  for (const char* moa : {"estMOA", "estMOAUniquement"}) {
    CAPTURE(moa);
    auto r = p.Call("/structures/v1/rechercher", {{"structure", {{moa, true}}}}, w.farm(0));
    REQUIRE(r.status == 200);
    CHECK(r.json()["parametresRetour"]["total"] == 0);
    CHECK(p.Call("/structures/v1/rechercher", {{"structure", {{moa, false}}}}, w.farm(0))
              .json()["parametresRetour"]["total"] == 51);
  }
  // restreindreStructuresPrivees: only the private structures I am attached to.
  auto mine = p.Call("/structures/v1/rechercher", {{"restreindreStructuresPrivees", true}}, w.farm(4));
  REQUIRE(mine.status == 200);
  REQUIRE(mine.json()["listeStructures"].size() == 1);
  CHECK(mine.json()["listeStructures"][0]["idStructureCPP"] == w.accounts[4]["idStructureCPP"]);
  // A wrong type is still a 400 naming the field.
  auto typed = p.Call("/structures/v1/rechercher", {{"structure", {{"estMOA", "peut-être"}}}}, w.farm(0));
  CHECK(typed.code() == 30010);
  CHECK(typed.json()["champ"] == "estMOA");
}

TEST_CASE("services: go-choruspro's and OCA's bodies") {
  DemoWorld w;
  long long farm6 = w.accounts[5]["idStructureCPP"];  // demo farm 6: three services, one closed
  // go-choruspro: RechercherServicesOptions (idUtilisateurCourant 0, no pagination).
  auto go = w.p.CallRaw("/structures/v1/rechercher/services",
                        fmt::format(R"({{"idUtilisateurCourant":0,"idStructure":{},)"
                                    R"("parametresRechercherServicesStructure":null}})",
                                    farm6),
                        w.farm(5));
  REQUIRE_MESSAGE(go.status == 200, go.body);
  Json services = go.json()["listeServices"];
  REQUIRE(services.size() == 3);
  CHECK(go.json()["parametresRetour"]["nbResultatsParPage"] == 100);  // the services' default
  // OCA: 10,000 a page, answered (cut to 1000).
  auto oca = w.p.CallRaw("/structures/v1/rechercher/services",
                         fmt::format(R"({{"idStructure": {}, "parametresRechercherServicesStructure": )"
                                     R"({{"nbResultatsParPage": 10000}}}})",
                                     farm6),
                         w.farm(5));
  REQUIRE_MESSAGE(oca.status == 200, oca.body);
  CHECK(oca.json()["listeServices"] == services);
  // go-choruspro: ConsulterServiceOptions.
  long long id = services[0]["idService"];
  auto one = w.p.CallRaw("/structures/v1/consulter/service",
                         fmt::format(R"({{"codeLangue":"FR","idService":{},"idStructure":{}}})", id, farm6),
                         w.farm(5));
  REQUIRE_MESSAGE(one.status == 200, one.body);
  CHECK(one.json()["informationsGenerales"]["codeService"] == services[0]["codeService"]);
}
