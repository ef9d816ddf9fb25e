// Attachments, the managers' side (sandbox-only): the requests waiting on
// the structures I manage, and validating or refusing one.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "api_error.h"
#include "attachments.h"
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

Json Portal::PendingRequestsForManager(int64_t me, const Json& body) {
  Paging paging = ParsePaging(body, "parametresRecherche");
  std::string email = Lower(Str(body, "adresseEmailUtilisateur"));
  auto read = Read();
  std::string where = fmt::format(
      " FROM attachments a JOIN structures s ON s.id = a.structure_id JOIN users u ON u.id = "
      "a.user_id WHERE a.status = 'EN_ATTENTE' AND a.structure_id IN (SELECT structure_id FROM "
      "attachments WHERE user_id = ? AND status = 'ACTIF' AND role IN {})",
      kManagerRoles);
  std::vector<SqlArg> args{me};
  if (Field(body, "idStructureCPP") || Field(body, "identifiantStructure")) {
    int64_t id = ResolveStructure(*db_, body, "idStructureCPP");
    if (!IsManager(*db_, me, id))
      throw ApiError(errors::kNotManager, "Vous n'êtes pas gestionnaire de cette structure.",
                     "idStructureCPP");
    where += " AND s.id = ?";
    args.emplace_back(id);
  }
  if (!email.empty()) {
    where += " AND u.login = ?";
    args.emplace_back(email);
  }
  auto [total, q] = CountAndSelect(*db_,
                                   "a.id, s.id, s.identifiant, s.type_identifiant, s.raison_sociale, "
                                   "u.id, u.login, u.nom, u.prenom, u.password_hash IS NOT NULL, "
                                   "a.created_at",
                                   where, args, OrderBy(paging, AttachmentSortColumns()));
  Json list = Json::array();
  while (q->Step())
    list.push_back(Json{{"idDemandeRattachement", q->Int(0)},
                        {"idStructureCPP", q->Int(1)},
                        {"identifiantStructure", q->Text(2)},
                        {"typeIdentifiantStructure", q->Text(3)},
                        {"designationStructure", q->Text(4)},
                        {"idUtilisateur", q->Int(5)},
                        {"adresseEmailUtilisateur", q->Text(6)},
                        {"nomUtilisateur", q->Text(7)},
                        {"prenomUtilisateur", q->Text(8)},
                        {"statutUtilisateur", q->Int(9) ? "ACTIF" : "EN_ATTENTE_ACTIVATION"},
                        {"dateDemande", IsoTime(q->Int(10))},
                        {"statut", "EN_ATTENTE"}});
  return Json{{"listeDemandesRattachement", list},
              {"parametresRetour", PagingResult(paging, total)}};
}

Json Portal::DecideRequest(int64_t me, const Json& body, bool approve) {
  int64_t request = ReqInt(body, "idDemandeRattachement");
  std::string comment = Str(body, "commentaire");
  if (!approve && comment.empty())
    throw ApiError(errors::kMissingField, "Le commentaire est obligatoire pour un refus.",
                   "commentaire");
  std::string role = Str(body, "roleUtilisateur");
  if (role.empty()) role = "UTILISATEUR";
  if (approve && role != "UTILISATEUR" && role != "GESTIONNAIRE")
    throw ApiError(errors::kBadValue, "roleUtilisateur doit valoir UTILISATEUR ou GESTIONNAIRE.",
                   "roleUtilisateur");
  int64_t now = clock_.Now();
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  auto q = db_->Query("SELECT a.user_id, a.structure_id, a.status, u.login, u.prenom, u.nom FROM "
                      "attachments a JOIN users u ON u.id = a.user_id WHERE a.id = ? AND "
                      "a.via_request = 1",
                      request);
  if (!q->Step())
    throw ApiError(errors::kUnknownRequest,
                   fmt::format("Demande de rattachement {} inconnue.", request),
                   "idDemandeRattachement");
  int64_t structure = q->Int(1);
  std::string status = q->Text(2), login = q->Text(3), who = q->Text(4) + " " + q->Text(5);
  q.reset();
  if (!IsManager(*db_, me, structure))
    throw ApiError(errors::kNotManager,
                   "Seul un gestionnaire de la structure peut traiter cette demande.",
                   "idDemandeRattachement");
  if (status != "EN_ATTENTE")
    throw ApiError(errors::kAlreadyDecided,
                   fmt::format("La demande {} a déjà été traitée ({}).", request, status),
                   "idDemandeRattachement", request, status);
  std::string new_status = approve ? "ACTIF" : "REFUSE";
  db_->Query("UPDATE attachments SET status = ?, role = ?, comment = ?, decided_at = ?, "
             "decided_by = ? WHERE id = ?",
             new_status, approve ? role : std::string("UTILISATEUR"), comment, now, me, request)
      ->Run();
  StructureRow s = LoadStructure(*db_, structure);
  SendDecisionMail(*db_, now, login, who, request, s, approve, comment);
  tx.Commit();
  Json out{{"idDemandeRattachement", request},
           {"idStructureCPP", structure},
           {"statut", new_status},
           {"commentaire", comment}};
  if (approve) out["roleUtilisateur"] = role;
  return out;
}

}  // namespace sandbox
