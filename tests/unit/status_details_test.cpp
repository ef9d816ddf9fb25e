// Status::details(): the scalar fields of the portal's error answer that say
// more than its code (champ, idDemandeRattachement, statut), through
// StatusFromResponse, the retry loop, and the Client's "nothing to do" helpers.
#include <doctest/doctest.h>

#include <map>
#include <memory>
#include <string>

#include "chorus/client.h"
#include "chorus/portal.h"
#include "support/client_fixture.h"
#include "support/fakes.h"

using namespace chorus;
using namespace chorus::testing;
using std::chrono::milliseconds;
using std::chrono::seconds;
using Details = std::map<std::string, std::string>;

namespace {

Status FromBody(int http, const std::string& body) {
  return StatusFromResponse(Reply(http, body), std::chrono::system_clock::now());
}

}  // namespace

TEST_CASE("Status: set_detail adds and replaces; details do not take part in ==") {
  Status s(ErrorKind::kAlreadyExists, "déjà traitée");
  CHECK(s.details().empty());
  s.set_detail("statut", "ACTIF").set_detail("champ", "idDemandeRattachement");
  CHECK(s.details() == Details{{"champ", "idDemandeRattachement"}, {"statut", "ACTIF"}});
  s.set_detail("statut", "REFUSE");
  CHECK(s.details().at("statut") == "REFUSE");
  CHECK(s.details().size() == 2);
  CHECK(s == Status(ErrorKind::kAlreadyExists, "déjà traitée"));
  // ToString is unchanged by details.
  CHECK(s.ToString() == "already_exists: déjà traitée");
}

TEST_CASE("StatusFromResponse: champ, idDemandeRattachement and statut become details") {
  Status missing = FromBody(400, R"({"codeRetour":30002,"libelle":"SBX_CHAMP_OBLIGATOIRE",
      "message":"Le commentaire est obligatoire pour un refus.","champ":"commentaire"})");
  CHECK(missing.kind() == ErrorKind::kFailedPrecondition);
  CHECK(missing.details() == Details{{"champ", "commentaire"}});

  Status all = FromBody(409, R"({"codeRetour":70005,"libelle":"SBX_DEMANDE_DEJA_TRAITEE",
      "champ":"idDemandeRattachement","idDemandeRattachement":42,"statut":"ACTIF","autre":"x"})");
  CHECK(all.details() == Details{{"champ", "idDemandeRattachement"},
                                 {"idDemandeRattachement", "42"},
                                 {"statut", "ACTIF"}});

  // Numbers as decimal text, whatever their JSON spelling.
  CHECK(FromBody(409, R"({"codeRetour":70001,"idDemandeRattachement":"17"})").details() ==
        Details{{"idDemandeRattachement", "17"}});
  CHECK(FromBody(409, R"({"codeRetour":70001,"idDemandeRattachement":17.0})").details() ==
        Details{{"idDemandeRattachement", "17"}});
  CHECK(FromBody(409, R"({"codeRetour":70001,"idDemandeRattachement":18446744073709551615})")
            .details() == Details{{"idDemandeRattachement", "18446744073709551615"}});
  CHECK(FromBody(409, R"({"codeRetour":70001,"idDemandeRattachement":-3})").details() ==
        Details{{"idDemandeRattachement", "-3"}});
  CHECK(FromBody(400, R"({"codeRetour":30010,"champ":2.5})").details() == Details{{"champ", "2.5"}});

  // A non-zero codeRetour in a 200 is an error too, with its details.
  Status in_200 = FromBody(200, R"({"codeRetour":30002,"libelle":"L","champ":"nom"})");
  CHECK_FALSE(in_200.ok());
  CHECK(in_200.details() == Details{{"champ", "nom"}});
}

TEST_CASE("StatusFromResponse: non-scalar values are not details") {
  Status s = FromBody(409, R"({"codeRetour":70005,"champ":{"nom":"x"},"idDemandeRattachement":[12],
      "statut":true})");
  CHECK(s.code_retour() == 70005);
  CHECK(s.details().empty());
  CHECK(FromBody(409, R"({"codeRetour":70005,"statut":null,"champ":false})").details().empty());
  // No JSON object, no details.
  CHECK(FromBody(409, R"(["champ","statut"])").details().empty());
  CHECK(FromBody(500, "<html>champ</html>").details().empty());
}

TEST_CASE("StatusFromResponse: a success has no details") {
  Status ok = FromBody(200, R"({"codeRetour":0,"libelle":"TRA_MSG_00.000","statut":"ACTIF",
      "idDemandeRattachement":42,"champ":"x"})");
  CHECK(ok.ok());
  CHECK(ok.details().empty());
}

TEST_CASE_FIXTURE(ClientFixture, "Decide: a 409 70005 says the request is decided, which one, and what it became") {
  transport.Push(Reply(409, R"({"codeRetour":70005,"libelle":"SBX_DEMANDE_DEJA_TRAITEE",
      "message":"La demande 42 a déjà été traitée (ACTIF).","champ":"idDemandeRattachement",
      "idDemandeRattachement":42,"statut":"ACTIF"})"));
  auto approved = client.Decide(42, true, "");
  REQUIRE_FALSE(approved.ok());
  const Status& s = approved.status();
  CHECK(IsAlreadyDecided(s));
  CHECK_FALSE(IsAlreadyPending(s));
  CHECK_FALSE(IsAlreadyAttached(s));
  CHECK(DecidedStatus(s) == "ACTIF");
  CHECK(ExistingRequestId(s) == std::optional<std::int64_t>(42));

  transport.Push(Reply(409, R"({"codeRetour":70005,"idDemandeRattachement":"7","statut":"REFUSE"})"));
  auto refused = client.Decide(7, true, "");
  REQUIRE_FALSE(refused.ok());
  CHECK(IsAlreadyDecided(refused.status()));
  CHECK(DecidedStatus(refused.status()) == "REFUSE");
  CHECK(ExistingRequestId(refused.status()) == std::optional<std::int64_t>(7));

  // A portal that does not say (PISTE, an older sandbox): decided, status unknown.
  transport.Push(Reply(409, R"({"codeRetour":70005,"libelle":"SBX_DEMANDE_DEJA_TRAITEE"})"));
  auto silent = client.Decide(9, false, "non");
  CHECK(IsAlreadyDecided(silent.status()));
  CHECK(DecidedStatus(silent.status()) == "");
  CHECK_FALSE(ExistingRequestId(silent.status()).has_value());
  CHECK(transport.sent() == 3);  // a 409 is not retried
}

TEST_CASE_FIXTURE(ClientFixture, "RequestAttachment: 70001 and 70002 name the existing request") {
  transport.Push(Reply(409, R"({"codeRetour":70001,"libelle":"SBX_DEMANDE_DEJA_EN_ATTENTE",
      "idDemandeRattachement":12})"));
  auto pending = client.RequestAttachment(std::int64_t{5});
  CHECK(IsAlreadyPending(pending.status()));
  CHECK(ExistingRequestId(pending.status()) == std::optional<std::int64_t>(12));
  CHECK_FALSE(IsAlreadyDecided(pending.status()));
  CHECK(DecidedStatus(pending.status()) == "");  // only 70005 says what a request became

  transport.Push(Reply(409, R"({"codeRetour":70002,"libelle":"SBX_DEJA_RATTACHE","idDemandeRattachement":13})"));
  auto attached = client.RequestAttachment(std::int64_t{5});
  CHECK(IsAlreadyAttached(attached.status()));
  CHECK(ExistingRequestId(attached.status()) == std::optional<std::int64_t>(13));
}

TEST_CASE("ExistingRequestId and DecidedStatus: only for their codes, only sensible values") {
  // Another code naming a request id: not one of the "existing request" answers.
  Status other = FromBody(409, R"({"codeRetour":70003,"idDemandeRattachement":12,"statut":"ACTIF"})");
  CHECK_FALSE(ExistingRequestId(other).has_value());
  CHECK(DecidedStatus(other) == "");
  // 70005 on a status other than 409 is not "already decided".
  Status in_200 = FromBody(200, R"({"codeRetour":70005,"idDemandeRattachement":12,"statut":"ACTIF"})");
  CHECK_FALSE(IsAlreadyDecided(in_200));
  CHECK_FALSE(ExistingRequestId(in_200).has_value());
  // Ids that are not positive decimal integers name no request.
  for (const char* id : {R"("abc")", R"("-3")", "0", "-3", R"("")", R"("12 ")", R"("99999999999999999999")", "12.5"}) {
    CAPTURE(id);
    Status s = FromBody(409, std::string(R"({"codeRetour":70005,"idDemandeRattachement":)") + id + "}");
    CHECK(IsAlreadyDecided(s));
    CHECK_FALSE(ExistingRequestId(s).has_value());
  }
  // A status that is not a decision is not reported as one.
  CHECK(DecidedStatus(FromBody(409, R"({"codeRetour":70005,"statut":"EN_ATTENTE"})")) == "");
  CHECK(DecidedStatus(FromBody(409, R"({"codeRetour":70005,"statut":"actif"})")) == "");
}

TEST_CASE_FIXTURE(ClientFixture, "details survive the retry loop's rewritten messages") {
  for (int i = 0; i < 3; ++i)
    transport.Push(Reply(503, R"({"codeRetour":90001,"libelle":"SBX_ERREUR_SIMULEE","champ":"x",
        "statut":"EN_PANNE"})"));
  auto reply = connection.Call("POST", "x", "{}");
  REQUIRE_FALSE(reply.ok());
  CHECK(reply.status().message().find("gave up after 3 attempts") != std::string::npos);
  CHECK(reply.status().details() == Details{{"champ", "x"}, {"statut", "EN_PANNE"}});
}
