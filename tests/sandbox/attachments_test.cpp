// Attachment requests: request, duplicates, pending search, validate/refuse,
// my requests, my attachments, lister/rattachementsutilisateur, TIC readiness
// and authorisation.
#include <doctest/doctest.h>

#include <fmt/format.h>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>

#include "chorus/client.h"
#include "chorus/portal.h"
#include "sandbox_client.h"

using sbtest::Json;
using sbtest::Login;
using sbtest::Portal;

namespace {
const char* kRequest = "/utilisateurs/v1/monCompte/demander/rattachement";
const char* kPending = "/structures/v1/rechercher/demandesRattachement/enAttente";
const char* kMine = "/utilisateurs/v1/monCompte/recuperer/demandesRattachement";
const char* kAttachments = "/utilisateurs/v1/monCompte/recuperer/rattachements";
const char* kApprove = "/structures/v1/valider/rattachement";
const char* kReject = "/structures/v1/refuser/rattachement";

// A CG user and two farms (one with TIC open, one without), each with its GP.
struct World {
  Portal p;
  Login cg, farm1_gp, farm2_gp;
  std::string farm1 = sbtest::TestSiret(31), farm2 = sbtest::TestSiret(32);
  long long farm1_id = 0, farm2_id = 0;
  World() {
    cg = p.CreateManager("marie@cg.example", sbtest::TestSiret(30), "CG Beauce");
    farm1_gp = p.CreateManager("gp1@farm.example", farm1, "GAEC des Tilleuls",
                               {"FACTURES_EMISES", "DEMANDE_REMBOURSEMENT_TIC"});
    farm2_gp = p.CreateManager("gp2@farm.example", farm2, "EARL du Moulin", {"FACTURES_EMISES"});
    farm1_id = p.StructureId(farm1, cg);
    farm2_id = p.StructureId(farm2, cg);
  }
  Json Mine() { return p.Call(kMine, Json::object(), cg).json()["listeDemandesRattachement"]; }
};
}  // namespace

TEST_CASE("request attachment: by SIRET or id; repeats are 409 and create nothing") {
  World w;
  auto r = w.p.Call(kRequest, {{"identifiantStructure", w.farm1}, {"typeIdentifiantStructure", "SIRET"}}, w.cg);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  long long id = r.json()["idDemandeRattachement"];
  CHECK(r.json()["statut"] == "EN_ATTENTE");
  CHECK(r.json()["idStructureCPP"] == w.farm1_id);
  CHECK(r.json()["gestionnairePrincipal"]["adresseEmail"] == "gp1@farm.example");
  // The farm's manager got a mail.
  Json mails = w.p.Mails("gp1@farm.example");
  CHECK(mails.back()["type"] == "DEMANDE_RATTACHEMENT");
  CHECK(mails.back()["body"].get<std::string>().find(std::to_string(id)) != std::string::npos);

  auto again = w.p.Call(kRequest, {{"identifiantStructure", w.farm1}}, w.cg);
  CHECK(again.status == 409);
  CHECK(again.code() == 70001);
  CHECK(again.libelle() == "SBX_DEMANDE_DEJA_EN_ATTENTE");
  CHECK(again.json()["idDemandeRattachement"] == id);
  auto by_id = w.p.Call(kRequest, {{"idStructureCPP", w.farm1_id}}, w.cg);
  CHECK(by_id.code() == 70001);
  CHECK(w.Mine().size() == 1);

  REQUIRE(w.p.Call(kApprove, {{"idDemandeRattachement", id}}, w.farm1_gp).status == 200);
  auto attached = w.p.Call(kRequest, {{"idStructureCPP", w.farm1_id}}, w.cg);
  CHECK(attached.status == 409);
  CHECK(attached.code() == 70002);
  CHECK(w.Mine().size() == 1);
  // A manager asking for its own structure is already attached too.
  CHECK(w.p.Call(kRequest, {{"idStructureCPP", w.farm1_id}}, w.farm1_gp).code() == 70002);

  auto unknown = w.p.Call(kRequest, {{"identifiantStructure", sbtest::TestSiret(77)}}, w.cg);
  CHECK(unknown.status == 404);
  CHECK(unknown.code() == 60001);
  auto empty = w.p.Call(kRequest, Json::object(), w.cg);
  CHECK(empty.status == 400);
  CHECK(empty.code() == 30002);

  // Stats count the requests created per user and structure: exactly one.
  Json created = w.p.Admin("/stats").json()["requestsCreated"];
  REQUIRE(created.size() == 1);
  CHECK(created[0] == Json{{"login", "marie@cg.example"}, {"identifiantStructure", w.farm1}, {"count", 1}});
}

TEST_CASE("validate and refuse: manager only, comment mandatory, mails, decided once") {
  World w;
  long long r1 = w.p.Call(kRequest, {{"identifiantStructure", w.farm1}}, w.cg).json()["idDemandeRattachement"];
  long long r2 = w.p.Call(kRequest, {{"identifiantStructure", w.farm2}}, w.cg).json()["idDemandeRattachement"];

  // Pending, as seen by each manager, with filters.
  auto pending1 = w.p.Call(kPending, Json::object(), w.farm1_gp).json();
  REQUIRE(pending1["listeDemandesRattachement"].size() == 1);
  Json item = pending1["listeDemandesRattachement"][0];
  CHECK(item["idDemandeRattachement"] == r1);
  CHECK(item["adresseEmailUtilisateur"] == "marie@cg.example");
  CHECK(item["identifiantStructure"] == w.farm1);
  CHECK(item["statut"] == "EN_ATTENTE");
  CHECK(pending1["parametresRetour"]["total"] == 1);
  CHECK(w.p.Call(kPending, {{"adresseEmailUtilisateur", "someone@else.example"}}, w.farm1_gp)
            .json()["listeDemandesRattachement"].empty());
  CHECK(w.p.Call(kPending, {{"adresseEmailUtilisateur", "marie@cg.example"}}, w.farm1_gp)
            .json()["listeDemandesRattachement"].size() == 1);
  CHECK(w.p.Call(kPending, {{"identifiantStructure", w.farm1}}, w.farm1_gp)
            .json()["listeDemandesRattachement"].size() == 1);
  auto foreign = w.p.Call(kPending, {{"idStructureCPP", w.farm2_id}}, w.farm1_gp);
  CHECK(foreign.status == 403);
  CHECK(foreign.code() == 50001);
  // The CG user manages only its own structure: nothing pending there.
  CHECK(w.p.Call(kPending, Json::object(), w.cg).json()["listeDemandesRattachement"].empty());

  // Wrong manager: 403, and nothing changes.
  auto wrong = w.p.Call(kApprove, {{"idDemandeRattachement", r1}}, w.farm2_gp);
  CHECK(wrong.status == 403);
  CHECK(wrong.code() == 50001);
  auto self = w.p.Call(kApprove, {{"idDemandeRattachement", r1}}, w.cg);
  CHECK(self.code() == 50001);
  auto wrong_refuse = w.p.Call(kReject, {{"idDemandeRattachement", r1}, {"commentaire", "non"}}, w.farm2_gp);
  CHECK(wrong_refuse.code() == 50001);
  CHECK(w.Mine()[0]["statut"] == "EN_ATTENTE");
  CHECK(w.p.Call(kPending, Json::object(), w.farm1_gp).json()["listeDemandesRattachement"].size() == 1);

  // Refusal needs a comment.
  auto no_comment = w.p.Call(kReject, {{"idDemandeRattachement", r2}}, w.farm2_gp);
  CHECK(no_comment.status == 400);
  CHECK(no_comment.code() == 30002);
  CHECK(no_comment.json()["champ"] == "commentaire");
  CHECK(w.p.Call(kApprove, {{"idDemandeRattachement", 987654}}, w.farm1_gp).code() == 60002);
  CHECK(w.p.Call(kApprove, {{"idDemandeRattachement", r1}, {"roleUtilisateur", "ROI"}}, w.farm1_gp).code() == 30010);

  auto ok = w.p.Call(kApprove, {{"idDemandeRattachement", r1}}, w.farm1_gp);
  REQUIRE_MESSAGE(ok.status == 200, ok.body);
  CHECK(ok.json()["statut"] == "ACTIF");
  auto no = w.p.Call(kReject, {{"idDemandeRattachement", r2}, {"commentaire", "Client inconnu"}}, w.farm2_gp);
  REQUIRE(no.status == 200);
  CHECK(no.json()["statut"] == "REFUSE");
  // Deciding again: a distinct conflict, whatever the decision, naming the
  // request and (extension) what it became; nothing changes.
  struct Again { const char* route; long long id; Login as; const char* became; };
  for (const Again& a : {Again{kApprove, r1, w.farm1_gp, "ACTIF"},   // approve, approve again
                         Again{kReject, r1, w.farm1_gp, "ACTIF"},    // approve, then reject
                         Again{kApprove, r2, w.farm2_gp, "REFUSE"},  // reject, then approve
                         Again{kReject, r2, w.farm2_gp, "REFUSE"}}) {
    CAPTURE(a.route);
    CAPTURE(a.id);
    auto again = w.p.Call(a.route, {{"idDemandeRattachement", a.id}, {"commentaire", "x"}}, a.as);
    CHECK(again.status == 409);
    CHECK(again.code() == 70005);
    CHECK(again.libelle() == "SBX_DEMANDE_DEJA_TRAITEE");
    CHECK(again.json()["idDemandeRattachement"] == a.id);
    CHECK(again.json()["statut"] == a.became);
    // The library reads the same answer as "already decided, and became ...".
    chorus::Status status = chorus::StatusFromResponse(
        chorus::HttpResponse{static_cast<int>(again.status), {}, again.body}, std::chrono::system_clock::now());
    CHECK(chorus::IsAlreadyDecided(status));
    CHECK(chorus::DecidedStatus(status) == a.became);
    CHECK(chorus::ExistingRequestId(status) == std::optional<std::int64_t>(a.id));
  }

  // The requester got both decisions by mail.
  Json mails = w.p.Mails("marie@cg.example");
  REQUIRE(mails.size() == 3);
  CHECK(mails[1]["type"] == "RATTACHEMENT_VALIDE");
  CHECK(mails[2]["type"] == "RATTACHEMENT_REFUSE");
  CHECK(mails[2]["body"].get<std::string>().find("Client inconnu") != std::string::npos);

  // My requests: statuses, comment, TIC readiness.
  Json mine = w.Mine();
  REQUIRE(mine.size() == 2);
  CHECK(mine[0]["statut"] == "ACTIF");
  CHECK(mine[0]["pretPourTIC"] == true);
  CHECK(mine[1]["statut"] == "REFUSE");
  CHECK(mine[1]["commentaire"] == "Client inconnu");
  CHECK(mine[1]["pretPourTIC"] == false);
  CHECK(w.p.Call(kMine, {{"statut", "REFUSE"}}, w.cg).json()["listeDemandesRattachement"].size() == 1);
  // After a refusal a new request may be made.
  auto retry = w.p.Call(kRequest, {{"identifiantStructure", w.farm2}}, w.cg);
  CHECK(retry.status == 200);
  CHECK(w.Mine().size() == 3);
}

TEST_CASE("TIC readiness and monCompte/recuperer/rattachements") {
  World w;
  long long r1 = w.p.Call(kRequest, {{"identifiantStructure", w.farm1}}, w.cg).json()["idDemandeRattachement"];
  long long r2 = w.p.Call(kRequest, {{"identifiantStructure", w.farm2}}, w.cg).json()["idDemandeRattachement"];
  // Pending: not listed among active attachments, not ready.
  Json before = w.p.Call(kAttachments, Json::object(), w.cg).json()["listeStructureRattachement"];
  CHECK(before.size() == 1);  // only the CG's own structure
  REQUIRE(w.p.Call(kApprove, {{"idDemandeRattachement", r1}}, w.farm1_gp).status == 200);
  REQUIRE(w.p.Call(kApprove, {{"idDemandeRattachement", r2}}, w.farm2_gp).status == 200);
  auto r = w.p.Call(kAttachments, {{"parametresRecherche", {{"nbResultatsParPage", 10}, {"pageResultatDemandee", 1}}}}, w.cg);
  REQUIRE(r.status == 200);
  Json list = r.json()["listeStructureRattachement"];
  REQUIRE(list.size() == 3);
  CHECK(r.json()["parametresRetour"]["total"] == 3);
  std::map<std::string, Json> by_siret;
  for (const auto& a : list) by_siret[a["identifiantStructure"]] = a;
  Json f1 = by_siret[w.farm1];
  CHECK(f1["idStructure"] == w.farm1_id);
  CHECK(f1["idRattachementStructure"] == r1);
  CHECK(f1["designationStructure"] == "GAEC des Tilleuls");
  CHECK(f1["typeIdentifiantStructure"] == "SIRET");
  CHECK(f1["roleUtilisateur"] == "UTILISATEUR");
  CHECK(f1["statutRattachementStructure"] == "ACTIF");
  CHECK(f1["statutUtilisateur"] == "ACTIF");
  CHECK(f1["listeServicesRattache"].is_array());
  CHECK(f1["pretPourTIC"] == true);
  CHECK(by_siret[w.farm2]["pretPourTIC"] == false);  // TIC space not open
  // The farm opens TIC: the CG user becomes ready.
  REQUIRE(w.p.Call("/structures/v1/ajouter/espace",
                   {{"idStructureCPP", w.farm2_id}, {"codeEspace", "DEMANDE_REMBOURSEMENT_TIC"}}, w.farm2_gp)
              .status == 200);
  Json after = w.p.Call(kAttachments, Json::object(), w.cg).json()["listeStructureRattachement"];
  int ready = 0;
  for (const auto& a : after) ready += a["identifiantStructure"] == w.farm2 && a["pretPourTIC"] == true;
  CHECK(ready == 1);
  // Paging the same listing: 2 per page.
  auto page2 = w.p.Call(kAttachments, {{"parametresRecherche", {{"nbResultatsParPage", 2}, {"pageResultatDemandee", 2}}}}, w.cg);
  CHECK(page2.json()["listeStructureRattachement"].size() == 1);
  CHECK(page2.json()["parametresRetour"]["pages"] == 2);
}

TEST_CASE("lister/rattachementsutilisateur: the user or a manager of the structure") {
  World w;
  long long r1 = w.p.Call(kRequest, {{"identifiantStructure", w.farm1}}, w.cg).json()["idDemandeRattachement"];
  Json body{{"adresseEmailConnexionUtilisateur", "marie@cg.example"}, {"idStructure", w.farm1_id}};
  auto as_manager = w.p.Call("/structures/v1/lister/rattachementsutilisateur", body, w.farm1_gp);
  REQUIRE_MESSAGE(as_manager.status == 200, as_manager.body);
  Json j = as_manager.json();
  CHECK(j["idStructure"] == w.farm1_id);
  CHECK(j["identifiantStructure"] == w.farm1);
  CHECK(j["designationStructure"] == "GAEC des Tilleuls");
  REQUIRE(j["listeServices"].size() == 1);
  CHECK(j["listeServices"][0]["idRattachement"] == r1);
  CHECK(j["listeServices"][0]["statutRattachement"] == "EN_ATTENTE");
  CHECK(j["parametresRetour"]["total"] == 1);
  // The user itself, by SIRET, without naming itself.
  auto as_self = w.p.Call("/structures/v1/lister/rattachementsutilisateur",
                          {{"identifiantStructure", w.farm1}, {"typeIdentifiantStructure", "SIRET"}}, w.cg);
  CHECK(as_self.status == 200);
  CHECK(as_self.json()["listeServices"].size() == 1);
  // Someone else: refused.
  auto other = w.p.Call("/structures/v1/lister/rattachementsutilisateur", body, w.farm2_gp);
  CHECK(other.status == 403);
  CHECK(other.code() == 50002);
  auto unknown = w.p.Call("/structures/v1/lister/rattachementsutilisateur",
                          {{"adresseEmailConnexionUtilisateur", "ghost@x.example"}, {"idStructure", w.farm1_id}},
                          w.farm1_gp);
  CHECK(unknown.status == 404);
  CHECK(unknown.code() == 60004);
  REQUIRE(w.p.Call(kReject, {{"idDemandeRattachement", r1}, {"commentaire", "Non"}}, w.farm1_gp).status == 200);
  Json after = w.p.Call("/structures/v1/lister/rattachementsutilisateur", body, w.farm1_gp).json();
  CHECK(after["listeServices"][0]["statutRattachement"] == "REFUSE");
  CHECK(after["listeServices"][0]["commentaire"] == "Non");
}

TEST_CASE("pending search and my requests page across several pages") {
  World w;
  // 5 farms managed by the same GP, one request each from the CG user.
  std::vector<long long> ids;
  for (int i = 0; i < 5; ++i) {
    std::string siret = sbtest::TestSiret(40 + i);
    Json body = w.p.SignUpBody(fmt::format("x{}@farm.example", i), siret, fmt::format("Ferme {}", i));
    REQUIRE(w.p.Call("/utilisateurs/v1/creer/compte", body).status == 200);
    w.p.Activate(fmt::format("x{}@farm.example", i));
    ids.push_back(w.p.Call(kRequest, {{"identifiantStructure", siret}}, w.cg).json()["idDemandeRattachement"]);
  }
  std::vector<long long> seen;
  for (int page = 1; page <= 3; ++page) {
    Json r = w.p.Call(kMine, {{"parametresRecherche", {{"nbResultatsParPage", 2}, {"pageResultatDemandee", page}}}}, w.cg).json();
    CHECK(r["parametresRetour"]["pages"] == 3);
    CHECK(r["parametresRetour"]["total"] == 5);
    for (const auto& d : r["listeDemandesRattachement"]) seen.push_back(d["idDemandeRattachement"]);
  }
  CHECK(seen == ids);
  // A manager of several structures sees all their pending requests, paged.
  Login x0{"x0@farm.example", sbtest::kGoodPassword};
  auto [helper, hr] = w.p.CreateRequester("helper@cg.example", sbtest::TestSiret(41));
  (void)helper;
  // x1 validates x0 as GESTIONNAIRE on its structure so x0 manages 2 structures.
  auto x0_req = w.p.Call(kRequest, {{"identifiantStructure", sbtest::TestSiret(41)}}, x0);
  REQUIRE(x0_req.status == 200);
  Login x1{"x1@farm.example", sbtest::kGoodPassword};
  REQUIRE(w.p.Call(kApprove, {{"idDemandeRattachement", x0_req.json()["idDemandeRattachement"]},
                              {"roleUtilisateur", "GESTIONNAIRE"}}, x1).status == 200);
  Json p1 = w.p.Call(kPending, {{"parametresRecherche", {{"nbResultatsParPage", 2}, {"pageResultatDemandee", 1}}}}, x0).json();
  CHECK(p1["parametresRetour"]["total"] == 3);  // marie->x0, marie->x1, helper->x1
  CHECK(p1["parametresRetour"]["pages"] == 2);
  CHECK(p1["listeDemandesRattachement"].size() == 2);
  // Now x0 may decide a request on x1's structure.
  CHECK(w.p.Call(kApprove, {{"idDemandeRattachement", hr}}, x0).status == 200);
}
