// Services: rechercher/services (a structure's services, paged) and
// consulter/service (one service), both real PISTE endpoints, readable by the
// users attached to the structure (PISTE also serves public structures'; the
// sandbox has none).
#include "services.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "api_error.h"
#include "db.h"
#include "directory.h"
#include "paging.h"
#include "portal.h"
#include "request.h"
#include "timestamps.h"

namespace sandbox {

void AddService(Db& db, int64_t structure, const std::string& code, const std::string& name,
                const std::string& description, int64_t now, bool active) {
  db.Query("INSERT OR IGNORE INTO services(structure_id, code, nom, description, actif, "
           "created_at, ended_at) VALUES(?,?,?,?,?,?, CASE WHEN ? THEN NULL ELSE ? END)",
           structure, code, name, description, active, now, active, now)
      ->Run();
}

void AddDefaultService(Db& db, int64_t structure, int64_t now) {
  AddService(db, structure, kDefaultServiceCode, "Service général",
             "Service créé avec la structure.", now);
}

void AddDefaultServices(Db& db) {
  db.Query("INSERT INTO services(structure_id, code, nom, description, created_at) "
           "SELECT id, ?, 'Service général', 'Service créé avec la structure.', created_at "
           "FROM structures WHERE id NOT IN (SELECT structure_id FROM services)",
           kDefaultServiceCode)
      ->Run();
}

namespace {

void RequireAttached(Db& db, int64_t me, int64_t structure) {
  if (!IsAttached(db, me, structure))
    throw ApiError(errors::kNotAllowed,
                   "Seuls les utilisateurs rattachés à la structure en voient les services.",
                   "idStructure");
}

std::string EndOf(const Stmt& q, int active_col, int ended_col) {
  return q.Int(active_col) != 0 || q.IsNull(ended_col) ? kOpenEndedService
                                                       : MinuteTime(q.Int(ended_col));
}

}  // namespace

Json Portal::SearchServices(int64_t me, const Json& body) {
  // 100 a page unless asked otherwise (cpro-docs), at most 1000.
  Paging paging = ParsePaging(body, "parametresRechercherServicesStructure", 100);
  auto read = Read();
  int64_t structure = ResolveStructure(*db_, body, "idStructure");
  RequireAttached(*db_, me, structure);
  auto [total, q] = CountAndSelect(
      *db_, "id, code, nom, actif, created_at, ended_at", " FROM services WHERE structure_id = ?",
      {structure},
      OrderBy(paging, {{"idservice", "id"}, {"codeservice", "code"}, {"libelleservice", "nom"}}));
  Json list = Json::array();
  while (q->Step()) {
    bool active = q->Int(3) != 0;
    list.push_back(Json{{"idService", q->Int(0)},
                        {"codeService", q->Text(1)},
                        {"libelleService", q->Text(2)},
                        {"statutService", active ? "ACTIF" : "INACTIF"},
                        {"estActif", active},
                        {"dateDbtService", MinuteTime(q->Int(4))},
                        {"dateFinService", EndOf(*q, 3, 5)}});
  }
  return Json{{"listeServices", list}, {"parametresRetour", PagingResult(paging, total)}};
}

Json Portal::ConsultService(int64_t me, const Json& body) {
  int64_t service = ReqInt(body, "idService");
  auto read = Read();
  auto q = db_->Query("SELECT structure_id, code, nom, description, actif, created_at, ended_at "
                      "FROM services WHERE id = ?",
                      service);
  if (!q->Step())
    throw ApiError(errors::kUnknownService, fmt::format("Service {} inconnu.", service),
                   "idService");
  int64_t structure = q->Int(0);
  // idStructure is optional (the service names its structure), but when given
  // it must be the service's.
  if ((Field(body, "idStructure") || Field(body, "idStructureCPP") ||
       Field(body, "identifiantStructure")) &&
      ResolveStructure(*db_, body, "idStructure") != structure)
    throw ApiError(errors::kUnknownService,
                   fmt::format("Le service {} n'appartient pas à cette structure.", service),
                   "idService");
  RequireAttached(*db_, me, structure);
  Json out{{"informationsGenerales",
            {{"codeService", q->Text(1)}, {"nomService", q->Text(2)}, {"descriptionService", q->Text(3)}}},
           {"parametres",
            {{"dateCreation", MinuteTime(q->Int(5))},
             {"dateDebutValidite", MinuteTime(q->Int(5))},
             {"dateFinValidite", EndOf(*q, 4, 6)},
             {"dateModification", MinuteTime(q->IsNull(6) ? q->Int(5) : q->Int(6))},
             {"miseEnPaiement", false},
             {"numeroEngagement", false}}}};
  q.reset();
  out["adressePostale"] = PostalAddress(LoadStructure(*db_, structure));
  return out;
}

}  // namespace sandbox
