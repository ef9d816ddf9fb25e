// Services (rechercher/services, consulter/service, listeServices of
// lister/rattachementsutilisateur) and the transverses read endpoints.
#include <doctest/doctest.h>

#include <set>
#include <string>

#include "sandbox_client.h"
#include "support/process.h"

using sbtest::Json;
using sbtest::Login;
using sbtest::Portal;

namespace {
constexpr const char* kSearch = "/structures/v1/rechercher/services";
constexpr const char* kConsult = "/structures/v1/consulter/service";
constexpr const char* kLister = "/structures/v1/lister/rattachementsutilisateur";

struct World {
  Portal p{{"--seed", "demo", "--farms", "6", "--fake-clock", "1700000000"}};
  Json accounts = Json::parse(chorus::testing::ReadFile(p.process().data_dir() + "/demo-accounts.json"));
  Login farm(size_t i) const { return {accounts[i]["login"], accounts[i]["password"]}; }
  long long id(size_t i) const { return accounts[i]["idStructureCPP"]; }
};
}  // namespace

TEST_CASE("rechercher/services: every structure has services; paged; attached users only") {
  World w;
  // Farm 1: the default service only, with PISTE's fields and date forms.
  auto one = w.p.Call(kSearch, {{"idStructure", w.id(0)}}, w.farm(0));
  REQUIRE_MESSAGE(one.status == 200, one.body);
  Json list = one.json()["listeServices"];
  REQUIRE(list.size() == 1);
  CHECK(list[0]["codeService"] == "SERVICE_GENERAL");
  CHECK(list[0]["libelleService"] == "Service général");
  CHECK(list[0]["statutService"] == "ACTIF");
  CHECK(list[0]["estActif"] == true);
  CHECK(list[0]["idService"].is_number_integer());
  CHECK(list[0]["dateDbtService"] == "2023-11-14 22:13");  // the fake clock, to the minute
  CHECK(list[0]["dateFinService"] == "2050-12-31 00:00");
  CHECK(one.json()["parametresRetour"] ==
        Json{{"pageCourante", 1}, {"pages", 1}, {"nbResultatsParPage", 100}, {"total", 1}});

  // Farm 6: three services, one closed; two pages of two, no overlap.
  std::set<long long> seen;
  std::set<std::string> codes;
  for (int page = 1; page <= 2; ++page) {
    auto r = w.p.Call(kSearch,
                      {{"idStructure", w.id(5)},
                       {"parametresRechercherServicesStructure",
                        {{"nbResultatsParPage", 2}, {"pageResultatDemandee", page}, {"triColonne", "CodeService"}}}},
                      w.farm(5));
    REQUIRE(r.status == 200);
    CHECK(r.json()["parametresRetour"]["total"] == 3);
    CHECK(r.json()["parametresRetour"]["pages"] == 2);
    Json page_list = r.json()["listeServices"];
    CHECK(page_list.size() == (page == 1 ? 2u : 1u));
    for (const auto& s : page_list) {
      seen.insert(s["idService"].get<long long>());
      codes.insert(s["codeService"].get<std::string>());
      if (s["codeService"] == "ANCIEN_SITE") {
        CHECK(s["statutService"] == "INACTIF");
        CHECK(s["estActif"] == false);
        CHECK(s["dateFinService"] == "2023-11-14 22:13");
      }
    }
  }
  CHECK(seen.size() == 3);
  CHECK(codes == std::set<std::string>{"ANCIEN_SITE", "COMPTABILITE", "SERVICE_GENERAL"});

  // By SIRET, and idStructureCPP, as elsewhere.
  CHECK(w.p.Call(kSearch, {{"identifiantStructure", w.accounts[5]["siret"]}}, w.farm(5)).json()["listeServices"].size() ==
        3);
  CHECK(w.p.Call(kSearch, {{"idStructureCPP", w.id(5)}}, w.farm(5)).status == 200);
  // Not attached: refused; unknown structure; no structure.
  auto other = w.p.Call(kSearch, {{"idStructure", w.id(5)}}, w.farm(0));
  CHECK(other.status == 403);
  CHECK(other.code() == 50002);
  CHECK(w.p.Call(kSearch, {{"idStructure", 999999}}, w.farm(0)).code() == 60001);
  CHECK(w.p.Call(kSearch, Json::object(), w.farm(0)).code() == 30002);

  // A signed-up structure (2a) has its default service at once.
  Login gp = w.p.CreateManager("gp@cg.example", sbtest::TestSiret(30), "CG Services");
  long long cg = w.p.StructureId(sbtest::TestSiret(30), gp);
  Json cg_services = w.p.Call(kSearch, {{"idStructure", cg}}, gp).json()["listeServices"];
  REQUIRE(cg_services.size() == 1);
  CHECK(cg_services[0]["codeService"] == "SERVICE_GENERAL");
}

TEST_CASE("consulter/service: one service, with PISTE's field names") {
  World w;
  Json services = w.p.Call(kSearch, {{"idStructure", w.id(2)}}, w.farm(2)).json()["listeServices"];
  REQUIRE(services.size() == 2);  // farm 3: the default service and COMPTABILITE
  long long compta = 0;
  for (const auto& s : services)
    if (s["codeService"] == "COMPTABILITE") compta = s["idService"];
  REQUIRE(compta != 0);
  auto r = w.p.Call(kConsult, {{"idStructure", w.id(2)}, {"idService", compta}, {"codeLangue", "FR"}}, w.farm(2));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  Json j = r.json();
  CHECK(j["informationsGenerales"]["codeService"] == "COMPTABILITE");
  CHECK(j["informationsGenerales"]["nomService"] == "Comptabilité");
  CHECK(j["informationsGenerales"]["descriptionService"].is_string());
  CHECK(j["adressePostale"]["codePostal"].is_string());
  CHECK(j["adressePostale"]["ville"] != "");
  CHECK(j["parametres"]["dateCreation"] == "2023-11-14 22:13");
  CHECK(j["parametres"]["dateFinValidite"] == "2050-12-31 00:00");
  CHECK(j["parametres"]["miseEnPaiement"] == false);
  CHECK(j["parametres"]["numeroEngagement"] == false);
  // idStructure may be left out (the service names it) but must match when given.
  CHECK(w.p.Call(kConsult, {{"idService", compta}}, w.farm(2)).json() == j);
  auto wrong = w.p.Call(kConsult, {{"idStructure", w.id(1)}, {"idService", compta}}, w.farm(2));
  CHECK(wrong.status == 404);
  CHECK(wrong.code() == 60006);
  CHECK(w.p.Call(kConsult, {{"idService", 987654}}, w.farm(2)).code() == 60006);
  CHECK(w.p.Call(kConsult, {{"idStructure", w.id(2)}}, w.farm(2)).code() == 30002);
  auto outsider = w.p.Call(kConsult, {{"idService", compta}}, w.farm(0));
  CHECK(outsider.status == 403);
  CHECK(outsider.code() == 50002);
}

TEST_CASE("lister/rattachementsutilisateur: one entry per attachment and active service") {
  World w;
  // Farm 6's manager: one attachment, three services of which two active.
  Json services = w.p.Call(kSearch, {{"idStructure", w.id(5)}}, w.farm(5)).json()["listeServices"];
  std::set<long long> active;
  for (const auto& s : services)
    if (s["estActif"] == true) active.insert(s["idService"].get<long long>());
  REQUIRE(active.size() == 2);
  auto r = w.p.Call(kLister, {{"idStructure", w.id(5)}}, w.farm(5));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  Json list = r.json()["listeServices"];
  REQUIRE(list.size() == 2);
  std::set<long long> listed;
  for (const auto& e : list) {
    listed.insert(e["idService"].get<long long>());
    CHECK(e["idRattachement"] == list[0]["idRattachement"]);  // one attachment
    CHECK(e["statutRattachement"] == "ACTIF");
    CHECK(e["codeService"] != "");
    CHECK(e["nomService"] != "");
  }
  CHECK(listed == active);
  CHECK(r.json()["parametresRetour"]["total"] == 2);
  // Paged one by one: the same two entries, in service order.
  auto p1 = w.p.Call(kLister, {{"idStructure", w.id(5)}, {"parametresListerRattachementsStructureUtilisateur",
                                                          {{"nbResultatsParPage", 1}}}}, w.farm(5));
  auto p2 = w.p.Call(kLister, {{"idStructure", w.id(5)}, {"parametresListerRattachementsStructureUtilisateur",
                                                          {{"nbResultatsParPage", 1}, {"pageResultatDemandee", 2}}}},
                     w.farm(5));
  REQUIRE(p1.json()["listeServices"].size() == 1);
  REQUIRE(p2.json()["listeServices"].size() == 1);
  CHECK(p1.json()["listeServices"][0]["idService"] != p2.json()["listeServices"][0]["idService"]);
}

TEST_CASE("transverses: structures actives by space; SIRET information or 'not simulated'") {
  World w;
  // Farm 1's manager: FACTURES_EMISES is open on every demo farm, FACTURES_RECUES on none.
  auto supplier = w.p.Call("/transverses/v1/recuperer/structures/actives/fournisseur", Json::object(), w.farm(0));
  REQUIRE_MESSAGE(supplier.status == 200, supplier.body);
  Json list = supplier.json()["listeStructures"];
  REQUIRE(list.size() == 1);
  CHECK(list[0]["idStructureCPP"] == w.id(0));
  CHECK(list[0]["identifiant"] == w.accounts[0]["siret"]);
  CHECK(list[0]["designationStructure"] == w.accounts[0]["designation"]);
  auto recipient = w.p.Call("/transverses/v1/recuperer/structures/actives/destinataire", Json::object(), w.farm(0));
  REQUIRE(recipient.status == 200);
  CHECK(recipient.json()["listeStructures"].empty());
  // Opening FACTURES_RECUES puts the farm in the recipient list.
  REQUIRE(w.p.Call("/structures/v1/ajouter/espace", {{"idStructureCPP", w.id(0)}, {"codeEspace", "FACTURES_RECUES"}},
                   w.farm(0)).status == 200);
  CHECK(w.p.Call("/transverses/v1/recuperer/structures/actives/destinataire", Json::object(), w.farm(0))
            .json()["listeStructures"].size() == 1);
  CHECK(w.p.Call("/transverses/v1/recuperer/structures/actives/facturetravaux", Json::object(), w.farm(0))
            .json()["listeStructures"].empty());

  // SIRET information: the sandbox's structures only.
  auto known = w.p.Call("/transverses/v1/consulter/information/siret", {{"siretStructure", w.accounts[1]["siret"]}},
                        w.farm(0));
  REQUIRE_MESSAGE(known.status == 200, known.body);
  CHECK(known.json()["siret"] == w.accounts[1]["siret"]);
  CHECK(known.json()["siren"] == w.accounts[1]["siret"].get<std::string>().substr(0, 9));
  CHECK(known.json()["raisonSociale"] == w.accounts[1]["designation"]);
  CHECK(known.json()["estActif"] == true);
  auto unknown = w.p.Call("/transverses/v1/consulter/information/siret", {{"siretStructure", sbtest::TestSiret(77)}},
                          w.farm(0));
  CHECK(unknown.status == 404);
  CHECK(unknown.code() == 60007);
  CHECK(unknown.libelle() == "SBX_SIRET_NON_SIMULE");
  CHECK(unknown.json()["message"].get<std::string>().find("pas simulé") != std::string::npos);
  CHECK(w.p.Call("/transverses/v1/consulter/information/siret", {{"siretStructure", "12345678901234"}}, w.farm(0))
            .code() == 30003);
  CHECK(w.p.Call("/transverses/v1/consulter/information/siret", Json::object(), w.farm(0)).code() == 30002);
}
