// Account creation (2a/2b), validation, activation and the mail outbox.
#include <doctest/doctest.h>

#include "sandbox_client.h"
#include "support/process.h"

using sbtest::Json;
using sbtest::Login;
using sbtest::Portal;

namespace {
const char* kSignUp = "/utilisateurs/v1/creer/compte";
const char* kActivate = "/utilisateurs/v1/activer/compte";

Json ActivationBody(const std::string& token, const std::string& password = sbtest::kGoodPassword) {
  return {{"jetonActivation", token},
          {"motDePasse", password},
          {"questionSecrete", "Nom du chien ?"},
          {"reponseSecrete", "Rex"}};
}

int CountUsers(Portal& p) {
  // Every sign-up sends exactly one activation mail: count them.
  int n = 0;
  for (const auto& m : p.Mails("")) n += m["type"] == "ACTIVATION";
  return n;
}
}  // namespace

TEST_CASE("sign-up 2a: a new structure, its creator is the main manager") {
  Portal p;
  Json body = p.SignUpBody("Marie.Martin@CG-Beauce.example", sbtest::TestSiret(10), "CG de Beauce");
  body["listeEspacesAOuvrir"] = {"SOLLICITATIONS_EMISES"};
  auto r = p.Call(kSignUp, body);
  REQUIRE_MESSAGE(r.status == 200, r.body);
  Json j = r.json();
  CHECK(j["codeRetour"] == 0);
  CHECK(j["cas"] == "CREATION_STRUCTURE");
  CHECK(j["roleUtilisateur"] == "GESTIONNAIRE_PRINCIPAL");
  CHECK(j["statutUtilisateur"] == "EN_ATTENTE_ACTIVATION");
  CHECK(j["adresseEmailConnexion"] == "marie.martin@cg-beauce.example");
  long long id = j["idStructureCPP"].get<long long>();

  // The activation mail carries the link and the token.
  Json mails = p.Mails("marie.martin@cg-beauce.example");
  REQUIRE(mails.size() == 1);
  std::string token = mails[0]["jetonActivation"];
  CHECK(mails[0]["lienActivation"] == p.url() + "/activation?jeton=" + token);
  CHECK(mails[0]["body"].get<std::string>().find(token) != std::string::npos);
  auto link = p.http().Get(p.url() + "/activation?jeton=" + token);
  CHECK(link.status == 200);
  CHECK(link.json()["statutJeton"] == "VALIDE");

  REQUIRE(p.Call(kActivate, ActivationBody(token)).status == 200);
  Login me{"marie.martin@cg-beauce.example", sbtest::kGoodPassword};
  auto c = p.Call("/structures/v1/consulter", {{"idStructureCPP", id}, {"codeLangue", "fr"}}, me);
  REQUIRE(c.status == 200);
  CHECK(c.json()["informationGenerales"]["raisonSocialeStructure"] == "CG de Beauce");
  CHECK(c.json()["adressePostaleDuSiege"]["ville"] == "Chartres");
  CHECK(c.json()["extensionSandbox"]["listeEspaces"] == Json::array({"SOLLICITATIONS_EMISES"}));
  CHECK(c.json()["extensionSandbox"]["gestionnairePrincipal"]["adresseEmail"] ==
        "marie.martin@cg-beauce.example");
  auto att = p.Call("/utilisateurs/v1/monCompte/recuperer/rattachements", Json::object(), me);
  REQUIRE(att.json()["listeStructureRattachement"].size() == 1);
  CHECK(att.json()["listeStructureRattachement"][0]["roleUtilisateur"] == "GESTIONNAIRE_PRINCIPAL");
  CHECK(att.json()["listeStructureRattachement"][0]["statutRattachementStructure"] == "ACTIF");
}

TEST_CASE("sign-up 2b: a known SIRET gives a pending request naming the main manager") {
  Portal p;
  std::string siret = sbtest::TestSiret(11);
  Login gp = p.CreateManager("gp@cg.example", siret, "CG du Perche");
  auto r = p.Call(kSignUp, p.SignUpBody("paul@cg.example", siret));
  REQUIRE_MESSAGE(r.status == 200, r.body);
  Json j = r.json();
  CHECK(j["cas"] == "DEMANDE_RATTACHEMENT");
  CHECK(j["statutRattachement"] == "EN_ATTENTE");
  CHECK(j["idDemandeRattachement"].get<long long>() > 0);
  CHECK(j["gestionnairePrincipal"]["adresseEmail"] == "gp@cg.example");
  CHECK(j["gestionnairePrincipal"]["nom"] == "Martin");
  CHECK(j["designationStructure"] == "CG du Perche");
  // The main manager is told about the request.
  Json gp_mails = p.Mails("gp@cg.example");
  REQUIRE(gp_mails.size() == 2);  // activation + the request
  CHECK(gp_mails[1]["type"] == "DEMANDE_RATTACHEMENT");
  CHECK(gp_mails[1]["body"].get<std::string>().find("paul@cg.example") != std::string::npos);
  // The manager sees it pending.
  auto pending = p.Call("/structures/v1/rechercher/demandesRattachement/enAttente", Json::object(), gp);
  REQUIRE(pending.json()["listeDemandesRattachement"].size() == 1);
  CHECK(pending.json()["listeDemandesRattachement"][0]["adresseEmailUtilisateur"] == "paul@cg.example");
  CHECK(pending.json()["listeDemandesRattachement"][0]["statutUtilisateur"] == "EN_ATTENTE_ACTIVATION");
}

TEST_CASE("sign-up validation: each bad input has its code and creates nothing") {
  Portal p;
  std::string siret = sbtest::TestSiret(12);
  struct Case {
    const char* name;
    Json body;
    int code;
  };
  Json good = p.SignUpBody("x@cg.example", siret, "CG X");
  auto without = [&](const char* field) {
    Json b = good;
    b.erase(field);
    return b;
  };
  auto with = [&](const char* field, Json v) {
    Json b = good;
    b[field] = v;
    return b;
  };
  Json no_city = good;
  no_city["adresse"].erase("ville");
  std::vector<Case> cases = {
      {"bad luhn", with("identifiantStructure", "12345678901234"), 30003},
      {"short siret", with("identifiantStructure", "1234"), 30003},
      {"la poste bad sum", with("identifiantStructure", "35600000000002"), 30003},
      {"bad email", with("adresseEmailConnexion", "not-an-email"), 30004},
      {"email no domain dot", with("adresseEmailConnexion", "a@b"), 30004},
      {"no email", without("adresseEmailConnexion"), 30002},
      {"no nom", without("nom"), 30002},
      {"no prenom", without("prenom"), 30002},
      {"no siret", without("identifiantStructure"), 30002},
      {"2a without raison sociale", without("raisonSociale"), 30002},
      {"2a without address", without("adresse"), 30002},
      {"2a without city", no_city, 30002},
      {"unknown space", with("listeEspacesAOuvrir", Json::array({"ESPACE_BIDON"})), 30006},
      {"unknown identifier type", with("typeIdentifiantStructure", "SIREN"), 30007},
      {"bool of wrong type", with("deposerDemandesPaiement", Json::array()), 30010},
  };
  for (const auto& c : cases) {
    CAPTURE(c.name);
    auto r = p.Call(kSignUp, c.body);
    CHECK(r.status == 400);
    CHECK(r.code() == c.code);
    CHECK(!r.json().value("message", "").empty());
  }
  CHECK(CountUsers(p) == 0);
  auto not_json = p.http().Post(p.url() + "/cpro" + kSignUp, "{not json",
                                {"Authorization: Bearer " + p.Token()});
  CHECK(not_json.status == 400);
  CHECK(not_json.code() == 30001);

  // La Poste's SIRETs follow the digit-sum rule, not Luhn.
  auto la_poste = p.Call(kSignUp, with("identifiantStructure", "35600000000001"));
  CHECK_MESSAGE(la_poste.status == 200, la_poste.body);
  // An existing login is a conflict.
  auto again = p.Call(kSignUp, p.SignUpBody("X@cg.example", siret, "CG X"));
  CHECK(again.status == 409);
  CHECK(again.code() == 70003);
  CHECK(CountUsers(p) == 1);
  // SIRETs written with spaces or dots are accepted.
  auto spaced = p.Call(kSignUp, p.SignUpBody("y@cg.example", "356 000 000 00001", ""));
  CHECK_MESSAGE(spaced.status == 200, spaced.body);
  CHECK(spaced.json()["cas"] == "DEMANDE_RATTACHEMENT");
}

TEST_CASE("activation: 60 minutes, single use, password policy, mandatory fields") {
  Portal p({"--fake-clock", "1700000000", "--token-ttl", "100000"});
  REQUIRE(p.Call(kSignUp, p.SignUpBody("a@cg.example", sbtest::TestSiret(13), "CG A")).status == 200);
  REQUIRE(p.Call(kSignUp, p.SignUpBody("b@cg.example", sbtest::TestSiret(14), "CG B")).status == 200);
  std::string ta = p.ActivationToken("a@cg.example");
  std::string tb = p.ActivationToken("b@cg.example");

  auto unknown = p.Call(kActivate, ActivationBody("deadbeef"));
  CHECK(unknown.status == 404);
  CHECK(unknown.code() == 60003);
  for (const char* weak : {"Court-1!", "toutenminuscule-1!", "TOUTENMAJUSCULE-1!",
                           "SansChiffre-Ni!", "SansSpecial12345"}) {
    CAPTURE(weak);
    auto r = p.Call(kActivate, ActivationBody(ta, weak));
    CHECK(r.status == 400);
    CHECK(r.code() == 30005);
  }
  Json no_answer = ActivationBody(ta);
  no_answer.erase("reponseSecrete");
  CHECK(p.Call(kActivate, no_answer).code() == 30002);
  Json no_question = ActivationBody(ta);
  no_question.erase("questionSecrete");
  CHECK(p.Call(kActivate, no_question).code() == 30002);
  // Still not activated after all these failures.
  CHECK(p.Call("/utilisateurs/v1/monCompte/consulter", {}, Login{"a@cg.example", sbtest::kGoodPassword})
            .code() == 20003);

  // 59 minutes later the link still works; it then cannot be reused.
  auto advance = [&](long s) {
    REQUIRE(p.http().Post(p.url() + "/_sandbox/clock", Json{{"advanceSeconds", s}}.dump()).status == 200);
  };
  advance(59 * 60);
  auto ok = p.Call(kActivate, ActivationBody(ta));
  REQUIRE_MESSAGE(ok.status == 200, ok.body);
  CHECK(ok.json()["statutUtilisateur"] == "ACTIF");
  auto reused = p.Call(kActivate, ActivationBody(ta));
  CHECK(reused.status == 409);
  CHECK(reused.code() == 70004);
  CHECK(p.http().Get(p.url() + "/activation?jeton=" + ta).json()["statutJeton"] == "UTILISE");
  CHECK(p.Call("/utilisateurs/v1/monCompte/consulter", {}, Login{"a@cg.example", sbtest::kGoodPassword})
            .status == 200);

  // b's link, 61 minutes old, has expired.
  advance(2 * 60);
  auto expired = p.Call(kActivate, ActivationBody(tb));
  CHECK(expired.status == 400);
  CHECK(expired.code() == 30009);
  CHECK(p.http().Get(p.url() + "/activation?jeton=" + tb).json()["statutJeton"] == "EXPIRE");
  CHECK(p.Call("/utilisateurs/v1/monCompte/consulter", {}, Login{"b@cg.example", sbtest::kGoodPassword})
            .code() == 20003);
}

TEST_CASE("mail command prints the outbox with the activation link") {
  Portal p;
  REQUIRE(p.Call(kSignUp, p.SignUpBody("a@cg.example", sbtest::TestSiret(15), "CG A")).status == 200);
  REQUIRE(p.Call(kSignUp, p.SignUpBody("b@cg.example", sbtest::TestSiret(16), "CG B")).status == 200);
  std::string tb = p.ActivationToken("b@cg.example");
  auto all = chorus::testing::RunProcess({CHORUS_SANDBOX_BIN, "mail", "--data", p.process().data_dir()});
  CHECK(all.exit_code == 0);
  CHECK(all.out.find("To: a@cg.example") != std::string::npos);
  CHECK(all.out.find("To: b@cg.example") != std::string::npos);
  auto to_b = chorus::testing::RunProcess(
      {CHORUS_SANDBOX_BIN, "mail", "--data", p.process().data_dir(), "--to", "b@cg.example", "--last"});
  CHECK(to_b.exit_code == 0);
  CHECK(to_b.out.find("To: a@cg.example") == std::string::npos);
  CHECK(to_b.out.find(p.url() + "/activation?jeton=" + tb) != std::string::npos);
  auto json = chorus::testing::RunProcess(
      {CHORUS_SANDBOX_BIN, "mail", "--data", p.process().data_dir(), "--json"});
  CHECK(Json::parse(json.out).size() == 2);
  auto missing = chorus::testing::RunProcess({CHORUS_SANDBOX_BIN, "mail", "--data", "/nonexistent-dir"});
  CHECK(missing.exit_code == 1);
  // Filter on the admin endpoint.
  CHECK(p.Mails("a@cg.example").size() == 1);
  CHECK(p.Mails("").size() == 2);
}
