// Attachments, the user's side: my attachments, one user's attachments on a
// structure (lister/rattachementsutilisateur), asking to be attached, and my
// requests.
#include "attachments.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api_error.h"
#include "chorus/text.h"
#include "db.h"
#include "directory.h"
#include "outbox.h"
#include "paging.h"
#include "portal.h"
#include "request.h"
#include "timestamps.h"

namespace sandbox {

using chorus::Lower;

namespace {

// Columns shared by the attachment listings (a = attachments, s = structures).
constexpr const char* kAttachmentColumns =
    "a.id, s.id, s.identifiant, s.type_identifiant, s.raison_sociale, a.role, a.status, "
    "a.comment, a.created_at, a.decided_at, "
    "EXISTS(SELECT 1 FROM spaces sp WHERE sp.structure_id = s.id AND sp.code = "
    "'DEMANDE_REMBOURSEMENT_TIC')";

std::string StatusFilter(const std::string& value, const char* field) {
  if (value.empty() || value == "TOUS") return "";
  if (value != "EN_ATTENTE" && value != "ACTIF" && value != "REFUSE")
    throw ApiError(errors::kBadValue,
                   fmt::format("{} doit valoir EN_ATTENTE, ACTIF, REFUSE ou TOUS.", field), field);
  return value;
}

// One page of `user`'s attachments (kAttachmentColumns) with the extra
// condition `where` (" AND ...") and the status `status` ("" for all).
PageQuery UserAttachments(Db& db, int64_t user, std::string where, const std::string& status,
                          const Paging& paging) {
  where = " FROM attachments a JOIN structures s ON s.id = a.structure_id WHERE a.user_id = ?" +
          where;
  std::vector<SqlArg> args{user};
  if (!status.empty()) {
    where += " AND a.status = ?";
    args.emplace_back(status);
  }
  return CountAndSelect(db, kAttachmentColumns, where, args,
                        OrderBy(paging, AttachmentSortColumns()));
}

}  // namespace

const SortColumns& AttachmentSortColumns() {
  static const SortColumns columns = {
      {"iddemanderattachement", "a.id"},   {"idrattachementstructure", "a.id"},
      {"idstructure", "s.id"},             {"identifiantstructure", "s.identifiant"},
      {"designationstructure", "s.raison_sociale"}, {"datedemande", "a.created_at"}};
  return columns;
}

int64_t CreateAttachmentRequest(Db& db, int64_t user, int64_t structure, int64_t now) {
  db.Query("INSERT INTO attachments(user_id, structure_id, role, status, via_request, "
           "created_at) VALUES(?,?,'UTILISATEUR','EN_ATTENTE',1,?)",
           user, structure, now)
      ->Run();
  int64_t request = db.LastInsertId();
  std::string requester;
  {
    auto q = db.Query("SELECT prenom || ' ' || nom || ' <' || login || '>' FROM users WHERE id = ?",
                      user);
    q->Step();
    requester = q->Text(0);
  }
  NotifyManagers(db, now, structure, request, requester);
  return request;
}

Json Portal::MyAttachments(int64_t me, const Json& body) {
  Paging paging = ParsePaging(body, "parametresRecherche");
  // Like Chorus Pro: active attachments by default; extension filter for others.
  std::string status = Str(body, "statutRattachementStructure");
  if (status.empty()) status = "ACTIF";
  status = StatusFilter(status, "statutRattachementStructure");
  auto read = Read();
  auto [total, q] = UserAttachments(*db_, me, "", status, paging);
  Json list = Json::array();
  while (q->Step()) {
    bool tic = q->Int(10) != 0;
    bool active = q->Text(6) == "ACTIF";
    list.push_back(Json{{"designationStructure", q->Text(4)},
                        {"idRattachementStructure", q->Int(0)},
                        {"idStructure", q->Int(1)},
                        {"identifiantStructure", q->Text(2)},
                        {"typeIdentifiantStructure", q->Text(3)},
                        {"roleUtilisateur", q->Text(5)},
                        {"statutRattachementStructure", q->Text(6)},
                        {"statutUtilisateur", "ACTIF"},
                        {"listeServicesRattache", Json::array()},
                        {"espaceTICOuvert", tic},
                        {"pretPourTIC", tic && active}});
  }
  return Json{{"listeStructureRattachement", list},
              {"parametresRetour", PagingResult(paging, total)}};
}

Json Portal::ListUserAttachments(int64_t me, const Json& body) {
  Paging paging = ParsePaging(body, "parametresListerRattachementsStructureUtilisateur");
  std::string email = Lower(Str(body, "adresseEmailConnexionUtilisateur"));
  auto user_id = OptInt(body, "idUtilisateur");
  auto read = Read();
  int64_t user = me;
  if (!email.empty() || user_id) {
    auto q = email.empty() ? db_->Query("SELECT id FROM users WHERE id = ?", *user_id)
                           : db_->Query("SELECT id FROM users WHERE login = ?", email);
    if (!q->Step()) throw ApiError(errors::kUnknownUser, "Utilisateur inconnu.");
    user = q->Int(0);
  }
  int64_t id = ResolveStructure(*db_, body, "idStructure");
  if (user != me && !IsManager(*db_, me, id))
    throw ApiError(errors::kNotAllowed,
                   "Seuls l'utilisateur lui-même et les gestionnaires de la structure peuvent "
                   "consulter ces rattachements.");
  StructureRow s = LoadStructure(*db_, id);
  // One entry per attachment and active service of the structure: the
  // sandbox attaches to a structure as a whole, so the entries of one
  // attachment share its idRattachement (the idDemandeRattachement).
  auto [total, q] = CountAndSelect(
      *db_, std::string(kAttachmentColumns) + ", sv.id, sv.code, sv.nom",
      " FROM attachments a JOIN structures s ON s.id = a.structure_id JOIN services sv ON "
      "sv.structure_id = s.id AND sv.actif = 1 WHERE a.user_id = ? AND a.structure_id = ?",
      {user, id}, OrderBy(paging, AttachmentSortColumns(), "sv.id"));
  Json list = Json::array();
  while (q->Step())
    list.push_back(Json{{"idRattachement", q->Int(0)},
                        {"idService", q->Int(11)},
                        {"codeService", q->Text(12)},
                        {"nomService", q->Text(13)},
                        {"statutRattachement", q->Text(6)},
                        {"roleUtilisateur", q->Text(5)},
                        {"commentaire", q->Text(7)},
                        {"dateDebut", IsoTime(q->Int(8))},
                        {"dateFin", q->Text(6) == "REFUSE" ? Json(IsoTime(q->Int(9))) : Json()}});
  return Json{{"designationStructure", s.raison_sociale},
              {"idStructure", id},
              {"identifiantStructure", s.identifiant},
              {"premierService", false},
              {"listeServices", list},
              {"parametresRetour", PagingResult(paging, total)}};
}

Json Portal::RequestAttachment(int64_t me, const Json& body) {
  int64_t now = clock_.Now();
  std::lock_guard lock(mu_);
  int64_t id = ResolveStructure(*db_, body, "idStructureCPP");
  Transaction tx(*db_);
  {
    auto q = db_->Query("SELECT id, status FROM attachments WHERE user_id = ? AND structure_id = ? "
                        "AND status IN ('EN_ATTENTE','ACTIF') ORDER BY id LIMIT 1",
                        me, id);
    if (q->Step()) {
      if (q->Text(1) == "ACTIF")
        throw ApiError(errors::kAlreadyAttached, "Vous êtes déjà rattaché à cette structure.", "",
                       q->Int(0));
      throw ApiError(errors::kAlreadyPending,
                     "Une demande de rattachement à cette structure est déjà en attente.", "",
                     q->Int(0));
    }
  }
  int64_t request = CreateAttachmentRequest(*db_, me, id, now);
  StructureRow s = LoadStructure(*db_, id);
  Json out{{"idDemandeRattachement", request},
           {"statut", "EN_ATTENTE"},
           {"idStructureCPP", id},
           {"identifiantStructure", s.identifiant},
           {"typeIdentifiantStructure", s.type},
           {"designationStructure", s.raison_sociale},
           {"gestionnairePrincipal", MainManager(*db_, id)}};
  tx.Commit();
  return out;
}

Json Portal::MyRequests(int64_t me, const Json& body) {
  Paging paging = ParsePaging(body, "parametresRecherche");
  std::string status = StatusFilter(Str(body, "statut"), "statut");
  auto read = Read();
  auto [total, q] = UserAttachments(*db_, me, " AND a.via_request = 1", status, paging);
  Json list = Json::array();
  while (q->Step()) {
    bool tic = q->Int(10) != 0;
    list.push_back(Json{{"idDemandeRattachement", q->Int(0)},
                        {"idStructureCPP", q->Int(1)},
                        {"identifiantStructure", q->Text(2)},
                        {"typeIdentifiantStructure", q->Text(3)},
                        {"designationStructure", q->Text(4)},
                        {"roleUtilisateur", q->Text(5)},
                        {"statut", q->Text(6)},
                        {"commentaire", q->Text(7)},
                        {"dateDemande", IsoTime(q->Int(8))},
                        {"dateDecision", q->IsNull(9) ? Json() : Json(IsoTime(q->Int(9)))},
                        {"espaceTICOuvert", tic},
                        {"pretPourTIC", tic && q->Text(6) == "ACTIF"}});
  }
  return Json{{"listeDemandesRattachement", list},
              {"parametresRetour", PagingResult(paging, total)}};
}

}  // namespace sandbox
