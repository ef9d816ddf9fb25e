// Read endpoints (rechercher, consulter, transverses), structure edits, spaces
// and the centre-de-gestion / TIC rule, with their authorisation.
#include <doctest/doctest.h>

#include <set>

#include "sandbox_client.h"
#include "support/process.h"

using sbtest::Json;
using sbtest::Login;
using sbtest::Portal;

namespace {
Json Consult(Portal& p, long long id, const Login& as) {
  auto r = p.Call("/structures/v1/consulter", {{"idStructureCPP", id}, {"codeLangue", "fr"}}, as);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  return r.json();
}
}  // namespace

TEST_CASE("transverses: health-check and identifier types") {
  Portal p;
  Login gp = p.CreateManager("gp@cg.example", sbtest::TestSiret(20), "CG");
  std::string token = p.Token();
  auto hc = p.http().Get(p.url() + "/cpro/transverses/v1/health-check",
                         {"Authorization: Bearer " + token,
                          "cpro-account: " + sbtest::Base64(gp.login + ":" + gp.password)});
  CHECK(hc.status == 200);
  CHECK(hc.json()["codeRetour"] == 0);
  CHECK(hc.json()["statusCodeValue"] == 200);
  auto types = p.Call("/transverses/v1/recuperer/typeidentifiant/structure", Json::object(), gp);
  REQUIRE(types.status == 200);
  Json list = types.json()["listeTypeIdentifiant"];
  CHECK(list.size() == 7);
  CHECK(list[0]["typeIdentifiantStructure"] == "SIRET");
}

TEST_CASE("rechercher: by SIRET, by raison sociale, paged and sorted") {
  Portal p({"--seed", "demo", "--farms", "30"});
  Json accounts = Json::parse(chorus::testing::ReadFile(p.process().data_dir() + "/demo-accounts.json"));
  Login me{accounts[0]["login"], accounts[0]["password"]};
  std::string siret = accounts[5]["siret"];
  auto by_siret = p.Call("/structures/v1/rechercher",
                         {{"structure", {{"identifiantStructure", siret},
                                         {"typeIdentifiantStructure", "SIRET"}}},
                          {"parametres", {{"nbResultatsParPage", 10}, {"pageResultatDemandee", 1}}}},
                         me);
  REQUIRE(by_siret.status == 200);
  Json found = by_siret.json()["listeStructures"];
  REQUIRE(found.size() == 1);
  CHECK(found[0]["identifiantStructure"] == siret);
  CHECK(found[0]["idStructureCPP"] == accounts[5]["idStructureCPP"]);
  CHECK(found[0]["designationStructure"] == accounts[5]["designation"]);
  CHECK(found[0]["typeIdentifiantStructure"] == "SIRET");
  CHECK(found[0]["statut"] == "ACTIF");
  CHECK(by_siret.json()["parametresRetour"] ==
        Json{{"pageCourante", 1}, {"pages", 1}, {"nbResultatsParPage", 10}, {"total", 1}});

  auto none = p.Call("/structures/v1/rechercher",
                     {{"structure", {{"identifiantStructure", sbtest::TestSiret(99)}}}}, me);
  CHECK(none.json()["listeStructures"].empty());
  CHECK(none.json()["parametresRetour"]["total"] == 0);

  // By raison sociale: case-insensitive substring.
  int gaec = 0;
  for (const auto& a : accounts) gaec += a["designation"].get<std::string>().rfind("GAEC", 0) == 0;
  REQUIRE(gaec > 2);
  auto by_name = p.Call("/structures/v1/rechercher",
                        {{"structure", {{"raisonSocialeStructure", "gaec"}}},
                         {"parametres", {{"nbResultatsParPage", 100}}}},
                        me);
  CHECK(by_name.json()["parametresRetour"]["total"] == gaec);
  Json by_name_list = by_name.json()["listeStructures"];
  for (const auto& s : by_name_list)
    CHECK(s["designationStructure"].get<std::string>().find("GAEC") != std::string::npos);

  // Pagination across pages: 30 farms by 7 = 5 pages, no duplicates, all seen.
  std::set<long long> seen;
  for (int page = 1; page <= 5; ++page) {
    auto r = p.Call("/structures/v1/rechercher",
                    {{"parametres", {{"nbResultatsParPage", 7}, {"pageResultatDemandee", page},
                                     {"triColonne", "IdStructure"}, {"triSens", "Descendant"}}}},
                    me);
    REQUIRE(r.status == 200);
    Json ret = r.json()["parametresRetour"];
    CHECK(ret["pages"] == 5);
    CHECK(ret["total"] == 30);
    CHECK(ret["pageCourante"] == page);
    Json list = r.json()["listeStructures"];
    CHECK(list.size() == (page < 5 ? 7u : 2u));
    for (size_t i = 1; i < list.size(); ++i)
      CHECK(list[i - 1]["idStructureCPP"].get<long long>() > list[i]["idStructureCPP"].get<long long>());
    for (const auto& s : list) seen.insert(s["idStructureCPP"].get<long long>());
  }
  CHECK(seen.size() == 30);
  auto beyond = p.Call("/structures/v1/rechercher",
                       {{"parametres", {{"nbResultatsParPage", 7}, {"pageResultatDemandee", 6}}}}, me);
  CHECK(beyond.json()["listeStructures"].empty());
  auto bad = p.Call("/structures/v1/rechercher", {{"parametres", {{"nbResultatsParPage", -1}}}}, me);
  CHECK(bad.status == 400);
  CHECK(bad.code() == 30008);
  CHECK(p.Call("/structures/v1/rechercher", {{"parametres", {{"pageResultatDemandee", -2}}}}, me).code() == 30008);
  // 0 is the default (a typed client's unset field); more than 1000 a page is cut to 1000.
  auto zero = p.Call("/structures/v1/rechercher",
                     {{"parametres", {{"nbResultatsParPage", 0}, {"pageResultatDemandee", 0}}}}, me);
  REQUIRE(zero.status == 200);
  CHECK(zero.json()["parametresRetour"]["nbResultatsParPage"] == 20);
  CHECK(zero.json()["parametresRetour"]["pageCourante"] == 1);
  CHECK(zero.json()["listeStructures"].size() == 20);
  auto huge = p.Call("/structures/v1/rechercher", {{"parametres", {{"nbResultatsParPage", 10000}}}}, me);
  REQUIRE(huge.status == 200);
  CHECK(huge.json()["parametresRetour"]["nbResultatsParPage"] == 1000);
  CHECK(huge.json()["listeStructures"].size() == 30);
}

TEST_CASE("consulter: real fields plus the sandbox extension; unknown id is 404") {
  Portal p;
  Login gp = p.CreateManager("gp@cg.example", sbtest::TestSiret(21), "CG Consult",
                             {"SOLLICITATIONS_EMISES", "FACTURES_RECUES"});
  long long id = p.StructureId(sbtest::TestSiret(21), gp);
  Json c = Consult(p, id, gp);
  Json info = c["informationGenerales"];
  CHECK(info["idStructureCPP"] == id);
  CHECK(info["identifiantStructure"] == sbtest::TestSiret(21));
  CHECK(info["typeIdentifiantStructure"] == "SIRET");
  // A timestamp (YYYY-MM-DDTHH:MM:SSZ), 424 days after the creation.
  std::string expiry = info["dateExpirationMotPasseCompteTech"];
  CHECK(expiry.size() == 20);
  CHECK(expiry[10] == 'T');
  CHECK(expiry.back() == 'Z');
  CHECK(info["nomStructure"] == "");
  for (const char* f : {"codePostal", "ville", "pays", "adresse"})
    CHECK(c["adressePostaleDuSiege"].contains(f));
  CHECK(c["parametres"].contains("connexionEDI"));
  CHECK(c["extensionSandbox"]["estCentreDeGestionAgricole"] == false);
  CHECK(c["extensionSandbox"]["espaceTICOuvert"] == false);
  CHECK(c["extensionSandbox"]["listeEspaces"] ==
        Json::array({"FACTURES_RECUES", "SOLLICITATIONS_EMISES"}));
  auto missing = p.Call("/structures/v1/consulter", {{"idStructureCPP", 999999}}, gp);
  CHECK(missing.status == 404);
  CHECK(missing.code() == 60001);
  auto no_id = p.Call("/structures/v1/consulter", Json::object(), gp);
  CHECK(no_id.status == 400);
  CHECK(no_id.code() == 30002);
}

TEST_CASE("modifier and spaces: the centre de gestion / TIC rule") {
  Portal p;
  Login gp = p.CreateManager("gp@cg.example", sbtest::TestSiret(22), "CG Eure-et-Loir");
  long long id = p.StructureId(sbtest::TestSiret(22), gp);
  // Open TIC, then typing the structure CG is refused while TIC is open.
  auto open = p.Call("/structures/v1/ajouter/espace",
                     {{"idStructureCPP", id}, {"codeEspace", "DEMANDE_REMBOURSEMENT_TIC"}}, gp);
  REQUIRE(open.status == 200);
  CHECK(open.json()["modifie"] == true);
  auto typed = p.Call("/structures/v1/modifier",
                      {{"idStructureCPP", id}, {"estCentreDeGestionAgricole", true}}, gp);
  CHECK(typed.status == 400);
  CHECK(typed.code() == 40002);
  CHECK(Consult(p, id, gp)["extensionSandbox"]["estCentreDeGestionAgricole"] == false);
  // Close TIC, type CG; opening TIC is now refused.
  auto close = p.Call("/structures/v1/supprimer/espace",
                      {{"idStructureCPP", id}, {"codeEspace", "DEMANDE_REMBOURSEMENT_TIC"}}, gp);
  REQUIRE(close.status == 200);
  CHECK(close.json()["modifie"] == true);
  auto close_again = p.Call("/structures/v1/supprimer/espace",
                            {{"idStructureCPP", id}, {"codeEspace", "DEMANDE_REMBOURSEMENT_TIC"}}, gp);
  CHECK(close_again.status == 200);
  CHECK(close_again.json()["modifie"] == false);
  auto cg = p.Call("/structures/v1/modifier",
                   {{"idStructureCPP", id},
                    {"estCentreDeGestionAgricole", true},
                    {"raisonSocialeStructure", "CG 28"},
                    {"adressePostaleDuSiege", {{"ville", "Dreux"}, {"codePostal", "28100"}}}},
                   gp);
  REQUIRE_MESSAGE(cg.status == 200, cg.body);
  CHECK(cg.json()["estCentreDeGestionAgricole"] == true);
  Json c = Consult(p, id, gp);
  CHECK(c["extensionSandbox"]["estCentreDeGestionAgricole"] == true);
  CHECK(c["informationGenerales"]["raisonSocialeStructure"] == "CG 28");
  CHECK(c["adressePostaleDuSiege"]["ville"] == "Dreux");
  auto tic = p.Call("/structures/v1/ajouter/espace",
                    {{"idStructureCPP", id}, {"codeEspace", "DEMANDE_REMBOURSEMENT_TIC"}}, gp);
  CHECK(tic.status == 400);
  CHECK(tic.code() == 40001);
  CHECK(Consult(p, id, gp)["extensionSandbox"]["espaceTICOuvert"] == false);
  // Other spaces still open; unknown codes are refused.
  CHECK(p.Call("/structures/v1/ajouter/espace", {{"idStructureCPP", id}, {"codeEspace", "FACTURES_EMISES"}}, gp)
            .status == 200);
  auto bogus = p.Call("/structures/v1/ajouter/espace", {{"idStructureCPP", id}, {"codeEspace", "BIDON"}}, gp);
  CHECK(bogus.status == 400);
  CHECK(bogus.code() == 30006);
  CHECK(p.Call("/structures/v1/ajouter/espace", {{"idStructureCPP", 424242}, {"codeEspace", "FACTURES_EMISES"}}, gp)
            .code() == 60001);
  // Un-typing works and TIC can then be opened.
  REQUIRE(p.Call("/structures/v1/modifier", {{"idStructureCPP", id}, {"estCentreDeGestionAgricole", false}}, gp)
              .status == 200);
  CHECK(p.Call("/structures/v1/ajouter/espace",
               {{"idStructureCPP", id}, {"codeEspace", "DEMANDE_REMBOURSEMENT_TIC"}}, gp)
            .status == 200);
}

TEST_CASE("authorisation: non-managers cannot edit or change spaces, and nothing changes") {
  Portal p;
  std::string siret = sbtest::TestSiret(23);
  Login gp = p.CreateManager("gp@farm.example", siret, "EARL Dupont",
                             {"FACTURES_EMISES", "DEMANDE_REMBOURSEMENT_TIC"});
  long long id = p.StructureId(siret, gp);
  // An outsider (manager of another structure) and a pending requester.
  Login outsider = p.CreateManager("out@cg.example", sbtest::TestSiret(24), "CG Other");
  auto [pending_user, request] = p.CreateRequester("pending@cg.example", siret);
  // A plain user (validated as UTILISATEUR).
  auto [plain_user, plain_request] = p.CreateRequester("plain@cg.example", siret);
  REQUIRE(p.Call("/structures/v1/valider/rattachement", {{"idDemandeRattachement", plain_request}}, gp)
              .status == 200);
  Json before = Consult(p, id, gp);
  for (const Login& who : {outsider, pending_user, plain_user}) {
    CAPTURE(who.login);
    auto edit = p.Call("/structures/v1/modifier",
                       {{"idStructureCPP", id}, {"raisonSocialeStructure", "HACKED"},
                        {"estCentreDeGestionAgricole", false}}, who);
    CHECK(edit.status == 403);
    CHECK(edit.code() == 50001);
    auto add = p.Call("/structures/v1/ajouter/espace", {{"idStructureCPP", id}, {"codeEspace", "FACTURES_RECUES"}}, who);
    CHECK(add.status == 403);
    CHECK(add.code() == 50001);
    auto del = p.Call("/structures/v1/supprimer/espace",
                      {{"idStructureCPP", id}, {"codeEspace", "DEMANDE_REMBOURSEMENT_TIC"}}, who);
    CHECK(del.status == 403);
    CHECK(del.code() == 50001);
  }
  CHECK(Consult(p, id, gp) == before);
  (void)request;

  // A secondary manager (validated as GESTIONNAIRE) may edit.
  auto [second, second_request] = p.CreateRequester("second@farm.example", siret);
  REQUIRE(p.Call("/structures/v1/valider/rattachement",
                 {{"idDemandeRattachement", second_request}, {"roleUtilisateur", "GESTIONNAIRE"}}, gp)
              .status == 200);
  CHECK(p.Call("/structures/v1/ajouter/espace", {{"idStructureCPP", id}, {"codeEspace", "FACTURES_RECUES"}}, second)
            .status == 200);
  CHECK(Consult(p, id, gp)["extensionSandbox"]["listeEspaces"].size() == 3);
}
