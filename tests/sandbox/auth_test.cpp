// OAuth token endpoint, Bearer checks, cpro-account checks and the lockout.
#include <doctest/doctest.h>

#include <algorithm>
#include <vector>

#include "sandbox_client.h"

using sbtest::Json;
using sbtest::Login;
using sbtest::Portal;

namespace {
constexpr const char* kEpoch = "1700000000";

sbtest::Response Form(Portal& p, const std::string& body, std::vector<std::string> headers = {}) {
  headers.push_back("Content-Type: application/x-www-form-urlencoded");
  return p.http().Post(p.url() + "/api/oauth/token", body, headers);
}

sbtest::Response WithBearer(Portal& p, const std::string& token, const std::string& path,
                            const Json& body = Json::object()) {
  return p.http().Post(p.url() + "/cpro" + path, body.dump(), {"Authorization: Bearer " + token});
}

void Advance(Portal& p, long seconds) {
  auto r = p.http().Post(p.url() + "/_sandbox/clock", Json{{"advanceSeconds", seconds}}.dump());
  REQUIRE_MESSAGE(r.status == 200, r.body);
}
}  // namespace

TEST_CASE("oauth: client credentials give a bearer token; bad clients get invalid_client") {
  Portal p({"--client", "cg-app:s3cret", "--token-ttl", "120"});
  auto ok = Form(p, "grant_type=client_credentials&client_id=cg-app&client_secret=s3cret&scope=openid");
  REQUIRE(ok.status == 200);
  Json j = ok.json();
  CHECK(j["token_type"] == "Bearer");
  CHECK(j["expires_in"] == 120);
  CHECK(j["scope"] == "openid");
  CHECK(j["access_token"].get<std::string>().size() >= 32);

  // The default client is replaced by the --client ones.
  auto def = Form(p, "grant_type=client_credentials&client_id=sandbox&client_secret=sandbox");
  CHECK(def.status == 401);
  CHECK(def.json()["error"] == "invalid_client");
  auto wrong = Form(p, "grant_type=client_credentials&client_id=cg-app&client_secret=nope");
  CHECK(wrong.status == 401);
  CHECK(wrong.json()["error"] == "invalid_client");
  auto grant = Form(p, "grant_type=password&client_id=cg-app&client_secret=s3cret");
  CHECK(grant.status == 400);
  CHECK(grant.json()["error"] == "unsupported_grant_type");
  // HTTP Basic client authentication (RFC 6749 §2.3.1) works too.
  auto basic = Form(p, "grant_type=client_credentials",
                    {"Authorization: Basic " + sbtest::Base64("cg-app:s3cret")});
  CHECK(basic.status == 200);
}

TEST_CASE("oauth: /cpro needs a known, unexpired bearer token") {
  Portal p({"--fake-clock", kEpoch, "--token-ttl", "600"});
  auto none = p.http().Post(p.url() + "/cpro/utilisateurs/v1/activer/compte", "{}");
  CHECK(none.status == 401);
  CHECK(none.code() == 10001);
  CHECK(none.headers["www-authenticate"] == R"(Bearer realm="PISTE",error="invalid_token")");
  auto unknown = WithBearer(p, "not-a-token", "/utilisateurs/v1/activer/compte");
  CHECK(unknown.status == 401);
  CHECK(unknown.code() == 10002);
  CHECK(unknown.headers["www-authenticate"] == none.headers["www-authenticate"]);

  std::string token = p.Token();
  // Valid token: the request reaches the operation (400 for the empty body).
  auto valid = WithBearer(p, token, "/utilisateurs/v1/activer/compte");
  CHECK(valid.status == 400);
  Advance(p, 599);
  CHECK(WithBearer(p, token, "/utilisateurs/v1/activer/compte").status == 400);
  Advance(p, 1);
  auto expired = WithBearer(p, token, "/utilisateurs/v1/activer/compte");
  CHECK(expired.status == 401);
  CHECK(expired.code() == 10003);
  CHECK(expired.libelle() == "SBX_AUTH_JETON_EXPIRE");
}

TEST_CASE("cpro-account: missing, unreadable, wrong; unknown and not activated answer alike") {
  Portal p;
  Login gp = p.CreateManager("gp@cg.example", sbtest::TestSiret(1), "CG Beauce");
  // A signed-up account that is not activated yet.
  REQUIRE(p.Call("/utilisateurs/v1/creer/compte",
                 p.SignUpBody("new@cg.example", sbtest::TestSiret(1)))
              .status == 200);

  auto missing = p.Call("/utilisateurs/v1/monCompte/consulter", Json::object());
  CHECK(missing.status == 403);
  CHECK(missing.code() == 20001);

  std::string token = p.Token();
  auto unreadable = p.http().Post(p.url() + "/cpro/utilisateurs/v1/monCompte/consulter", "{}",
                                  {"Authorization: Bearer " + token, "cpro-account: %%%not base64"});
  CHECK(unreadable.status == 403);
  CHECK(unreadable.code() == 20002);
  auto no_colon = p.http().Post(p.url() + "/cpro/utilisateurs/v1/monCompte/consulter", "{}",
                                {"Authorization: Bearer " + token,
                                 "cpro-account: " + sbtest::Base64("nocolon")});
  CHECK(no_colon.code() == 20002);

  auto wrong = p.Call("/utilisateurs/v1/monCompte/consulter", Json::object(),
                      Login{gp.login, "Wrong-password1!"});
  // Refused credentials answer the PISTE way: 401 with PISTE's own challenge
  // (not invalid_token, which would send a client after a new token), and
  // the portal's codeRetour/libelle body.
  CHECK(wrong.status == 401);
  CHECK(wrong.code() == 20003);
  CHECK(wrong.libelle() == "SBX_IDENTIFIANTS_INVALIDES");
  CHECK(wrong.headers["www-authenticate"] ==
        R"(Bearer realm="PISTE",error="Unauthorized",error_description="login or password incorrects")");
  auto unknown = p.Call("/utilisateurs/v1/monCompte/consulter", Json::object(),
                        Login{"nobody@cg.example", "whatever"});
  CHECK(unknown.code() == 20003);
  CHECK(unknown.headers["www-authenticate"] == wrong.headers["www-authenticate"]);
  // An account that exists but is not activated answers exactly as an
  // unknown login (and as a wrong password): the answer tells no one which
  // logins exist.
  auto inactive = p.Call("/utilisateurs/v1/monCompte/consulter", Json::object(),
                         Login{"new@cg.example", "whatever"});
  CHECK(inactive.status == unknown.status);
  CHECK(inactive.body == unknown.body);
  CHECK(inactive.body == wrong.body);
  // Base64url and unpadded values are read too (libsodium's decoder).
  std::string padded = sbtest::Base64(gp.login + ":" + gp.password);
  std::string unpadded = padded.substr(0, padded.find('='));
  CHECK(p.http().Post(p.url() + "/cpro/utilisateurs/v1/monCompte/consulter", "{}",
                      {"Authorization: Bearer " + token, "cpro-account: " + unpadded})
            .status == 200);
  CHECK(p.http().Post(p.url() + "/cpro/utilisateurs/v1/monCompte/consulter", "{}",
                      {"Authorization: Bearer " + token, "cpro-account: " + padded + "==="})
            .code() == 20002);

  auto ok = p.Call("/utilisateurs/v1/monCompte/consulter", Json::object(), gp);
  REQUIRE(ok.status == 200);
  CHECK(ok.code() == 0);
  CHECK(ok.libelle() == "TRA_MSG_00.000");
  CHECK(ok.json()["adresseEmailConnexion"] == "gp@cg.example");
  CHECK(ok.json()["statutUtilisateur"] == "ACTIF");
  CHECK(ok.json()["deposerDemandesPaiement"] == true);
  CHECK(ok.json()["questionSecrete"] == "Ville natale ?");
  // The login is case-insensitive.
  CHECK(p.Call("/utilisateurs/v1/monCompte/consulter", Json::object(),
               Login{"GP@CG.example", gp.password})
            .status == 200);
}

TEST_CASE("lockout: 5 failures lock the account for an hour, even for the right password") {
  Portal p({"--fake-clock", kEpoch, "--token-ttl", "100000"});
  Login gp = p.CreateManager("gp@cg.example", sbtest::TestSiret(2), "CG Perche");
  Login bad{gp.login, "Wrong-password1!"};
  // A success resets the count: 4 failures, a success, 4 failures do not lock.
  for (int i = 0; i < 4; ++i) CHECK(p.Call("/utilisateurs/v1/monCompte/consulter", {}, bad).code() == 20003);
  CHECK(p.Call("/utilisateurs/v1/monCompte/consulter", {}, gp).status == 200);
  for (int i = 0; i < 4; ++i) CHECK(p.Call("/utilisateurs/v1/monCompte/consulter", {}, bad).code() == 20003);
  CHECK(p.Call("/utilisateurs/v1/monCompte/consulter", {}, gp).status == 200);

  // The cached credential must not bypass the lock.
  for (int i = 0; i < 5; ++i) CHECK(p.Call("/utilisateurs/v1/monCompte/consulter", {}, bad).code() == 20003);
  auto locked = p.Call("/utilisateurs/v1/monCompte/consulter", {}, gp);
  CHECK(locked.status == 401);
  CHECK(locked.code() == 20005);
  CHECK(locked.headers["www-authenticate"].find(R"(error="Unauthorized")") != std::string::npos);
  CHECK(locked.libelle() == "SBX_COMPTE_BLOQUE");
  Advance(p, 3599);
  CHECK(p.Call("/utilisateurs/v1/monCompte/consulter", {}, gp).code() == 20005);
  Advance(p, 1);
  auto unlocked = p.Call("/utilisateurs/v1/monCompte/consulter", {}, gp);
  CHECK(unlocked.status == 200);
  // And the failure count started afresh: 4 more failures do not lock.
  for (int i = 0; i < 4; ++i) p.Call("/utilisateurs/v1/monCompte/consulter", {}, bad);
  CHECK(p.Call("/utilisateurs/v1/monCompte/consulter", {}, gp).status == 200);
}

TEST_CASE("interactive argon2 cost: credentials verified once, then cached") {
  Portal p({"--password-hash-cost", "interactive"});
  Login gp = p.CreateManager("gp@cg.example", sbtest::TestSiret(3), "CG Dunois");
  auto first = p.Call("/utilisateurs/v1/monCompte/consulter", {}, gp);
  REQUIRE(first.status == 200);
  int fast = 0;
  for (int i = 0; i < 20; ++i) {
    auto r = p.Call("/utilisateurs/v1/monCompte/consulter", {}, gp);
    REQUIRE(r.status == 200);
    fast += r.seconds < first.seconds / 2;
  }
  // The later calls skip the interactive argon2 verification (tolerating a
  // scheduling hiccup or two on a busy machine).
  CHECK(fast >= 18);
  CHECK(p.Call("/utilisateurs/v1/monCompte/consulter", {}, Login{gp.login, "Wrong-password1!"}).code() ==
        20003);
}

TEST_CASE("unknown and not-activated logins cost the same work as a wrong password") {
  // With the interactive argon2 cost a verification takes tens of
  // milliseconds; refusing an unknown login or an account without a password
  // at once would tell, by the time of the answer, which logins exist.
  Portal p({"--password-hash-cost", "interactive"});
  Login gp = p.CreateManager("gp@cg.example", sbtest::TestSiret(4), "CG Thimerais");
  REQUIRE(p.Call("/utilisateurs/v1/creer/compte", p.SignUpBody("new@cg.example", sbtest::TestSiret(8), "CG N"))
              .status == 200);
  auto median_seconds = [&](const Login& who) {
    std::vector<double> s;
    for (int i = 0; i < 3; ++i) {
      auto r = p.Call("/utilisateurs/v1/monCompte/consulter", {}, who);
      CHECK(r.code() == 20003);
      s.push_back(r.seconds);
    }
    std::sort(s.begin(), s.end());
    return s[1];
  };
  double unknown = median_seconds(Login{"nobody@cg.example", "Wrong-password1!"});  // first: makes the dummy hash
  double wrong = median_seconds(Login{gp.login, "Wrong-password1!"});
  double inactive = median_seconds(Login{"new@cg.example", "Wrong-password1!"});
  MESSAGE("median refusal: wrong password " << wrong << " s, unknown " << unknown << " s, not activated "
                                            << inactive << " s");
  // Generous bounds (a shared machine): the same order of magnitude, where
  // answering at once would be some hundred times faster.
  CHECK(unknown > wrong / 4);
  CHECK(inactive > wrong / 4);
  // The wrong passwords above count towards gp's lockout; a success resets it.
  CHECK(p.Call("/utilisateurs/v1/monCompte/consulter", {}, gp).status == 200);
}

TEST_CASE("authorisation: write operations without valid credentials change nothing") {
  Portal p;
  std::string farm = sbtest::TestSiret(5);
  Login gp = p.CreateManager("gp@farm.example", farm, "GAEC Témoin", {"FACTURES_EMISES"});
  long long id = p.StructureId(farm, gp);
  auto [requester, request] = p.CreateRequester("req@cg.example", farm);
  // A signed-up but not activated account, and a locked one.
  REQUIRE(p.Call("/utilisateurs/v1/creer/compte", p.SignUpBody("inactive@cg.example", sbtest::TestSiret(6), "CG I"))
              .status == 200);
  Login locked = p.CreateManager("locked@cg.example", sbtest::TestSiret(7), "CG L");
  for (int i = 0; i < 5; ++i) p.Call("/utilisateurs/v1/monCompte/consulter", {}, Login{locked.login, "Wrong-password1!"});

  auto snapshot = [&] {
    Json s;
    s["structure"] = p.Call("/structures/v1/consulter", {{"idStructureCPP", id}}, gp).json();
    s["pending"] = p.Call("/structures/v1/rechercher/demandesRattachement/enAttente", Json::object(), gp).json();
    s["created"] = p.Admin("/stats").json()["requestsCreated"];
    s["mails"] = p.Mails("").size();
    return s;
  };
  Json before = snapshot();
  struct Write {
    const char* path;
    Json body;
  };
  std::vector<Write> writes = {
      {"/structures/v1/modifier", {{"idStructureCPP", id}, {"estCentreDeGestionAgricole", true}}},
      {"/structures/v1/ajouter/espace", {{"idStructureCPP", id}, {"codeEspace", "FACTURES_RECUES"}}},
      {"/structures/v1/supprimer/espace", {{"idStructureCPP", id}, {"codeEspace", "FACTURES_EMISES"}}},
      {"/structures/v1/valider/rattachement", {{"idDemandeRattachement", request}}},
      {"/structures/v1/refuser/rattachement", {{"idDemandeRattachement", request}, {"commentaire", "x"}}},
      {"/utilisateurs/v1/monCompte/demander/rattachement", {{"idStructureCPP", id}}},
  };
  std::string token = p.Token();
  for (const auto& w : writes) {
    CAPTURE(w.path);
    auto no_token = p.http().Post(p.url() + "/cpro" + w.path, w.body.dump());
    CHECK(no_token.status == 401);
    CHECK(no_token.code() == 10001);
    auto no_account = p.http().Post(p.url() + "/cpro" + w.path, w.body.dump(), {"Authorization: Bearer " + token});
    CHECK(no_account.code() == 20001);
    CHECK(p.Call(w.path, w.body, Login{gp.login, "Wrong-password1!"}).code() == 20003);
    CHECK(p.Call(w.path, w.body, Login{"inactive@cg.example", sbtest::kGoodPassword}).code() == 20003);
    CHECK(p.Call(w.path, w.body, locked).code() == 20005);
    // The pending requester itself is not a manager of the farm.
    if (std::string(w.path).find("/structures/") == 0) CHECK(p.Call(w.path, w.body, requester).code() == 50001);
    // Reset gp's failure count with a good call so it never locks here.
    REQUIRE(p.Call("/utilisateurs/v1/monCompte/consulter", {}, gp).status == 200);
  }
  // Sign-up and activation without a token.
  CHECK(p.http().Post(p.url() + "/cpro/utilisateurs/v1/creer/compte",
                      p.SignUpBody("ghost@cg.example", farm).dump()).status == 401);
  CHECK(p.http().Post(p.url() + "/cpro/utilisateurs/v1/activer/compte",
                      Json{{"jetonActivation", p.ActivationToken("inactive@cg.example")},
                           {"motDePasse", sbtest::kGoodPassword}, {"questionSecrete", "q"}, {"reponseSecrete", "r"}}
                          .dump()).status == 401);
  CHECK(snapshot() == before);
  CHECK(p.Call("/utilisateurs/v1/monCompte/consulter", {}, Login{"inactive@cg.example", sbtest::kGoodPassword}).code() ==
        20003);
}
