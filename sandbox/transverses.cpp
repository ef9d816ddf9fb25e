// Transverses: the real read endpoints that known clients call besides the
// structures ones. recuperer/structures/actives/* list the structures where
// the caller may use a space; consulter/information/siret answers from the
// sandbox's own structures, its only "INSEE register".
#include <fmt/format.h>

#include <nlohmann/json.hpp>

#include "api_error.h"
#include "db.h"
#include "portal.h"
#include "request.h"
#include "siret.h"
#include "timestamps.h"

namespace sandbox {

Json Portal::ActiveStructures(int64_t me, const std::string& space) {
  auto read = Read();
  auto q = db_->Query("SELECT s.id, s.identifiant, s.raison_sociale FROM attachments a JOIN "
                      "structures s ON s.id = a.structure_id JOIN spaces sp ON sp.structure_id = "
                      "s.id AND sp.code = ? WHERE a.user_id = ? AND a.status = 'ACTIF' "
                      "GROUP BY s.id ORDER BY s.id",
                      space, me);
  Json list = Json::array();
  while (q->Step())
    list.push_back(Json{{"idStructureCPP", q->Int(0)},
                        {"identifiant", q->Text(1)},
                        {"designationStructure", q->Text(2)}});
  return Json{{"listeStructures", list}};
}

Json Portal::SiretInformation(int64_t, const Json& body) {
  std::string siret = CompactIdentifier(Str(body, "siretStructure", true));
  if (!IsValidSiret(siret))
    throw ApiError(errors::kBadSiret, fmt::format("SIRET invalide : {}.", siret), "siretStructure");
  auto read = Read();
  auto q = db_->Query("SELECT raison_sociale, adresse, code_postal, ville, created_at FROM "
                      "structures WHERE identifiant = ? AND type_identifiant = 'SIRET'",
                      siret);
  if (!q->Step())
    throw ApiError(errors::kSiretNotSimulated,
                   fmt::format("Le référentiel INSEE n'est pas simulé : le bac à sable ne connaît "
                               "que les SIRET de ses structures, pas {}.",
                               siret),
                   "siretStructure");
  return Json{{"siren", siret.substr(0, 9)},
              {"siret", siret},
              {"raisonSociale", q->Text(0)},
              {"adresse", fmt::format("{} {} {}", q->Text(1), q->Text(2), q->Text(3))},
              {"estActif", true},
              {"nonDiffusibleInsee", false},
              {"dateCreationEtablissement", IsoTime(q->Int(4)).substr(0, 10)}};
}

}  // namespace sandbox
