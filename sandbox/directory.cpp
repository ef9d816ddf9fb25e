#include "directory.h"

#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "api_error.h"
#include "db.h"
#include "request.h"

namespace sandbox {

StructureRow LoadStructure(Db& db, int64_t id) {
  auto q = db.Query(
      "SELECT id, identifiant, type_identifiant, raison_sociale, email, numero_tva, adresse, "
      "code_postal, ville, pays, telephone, est_cg, created_at, nom, prenom FROM structures "
      "WHERE id = ?",
      id);
  if (!q->Step())
    throw ApiError(errors::kUnknownStructure, fmt::format("Structure {} inconnue.", id),
                   "idStructureCPP");
  StructureRow s;
  s.id = q->Int(0);
  s.identifiant = q->Text(1);
  s.type = q->Text(2);
  s.raison_sociale = q->Text(3);
  s.email = q->Text(4);
  s.tva = q->Text(5);
  s.adresse = q->Text(6);
  s.code_postal = q->Text(7);
  s.ville = q->Text(8);
  s.pays = q->Text(9);
  s.telephone = q->Text(10);
  s.cg = q->Int(11) != 0;
  s.created_at = q->Int(12);
  s.nom = q->Text(13);
  s.prenom = q->Text(14);
  return s;
}

Json PostalAddress(const StructureRow& s) {
  return Json{{"adresse", s.adresse},
              {"codePostal", s.code_postal},
              {"complementAdresse1", ""},
              {"complementAdresse2", ""},
              {"ville", s.ville},
              {"pays", s.pays},
              {"telephone", s.telephone},
              {"indicatifTelephone", "+33"},
              {"fax", ""},
              {"indicatifFax", ""}};
}

namespace {
// The other name of a structure's id: idStructure <-> idStructureCPP.
const char* OtherIdName(const char* name) {
  return std::string_view(name) == "idStructureCPP" ? "idStructure" : "idStructureCPP";
}
}  // namespace

int64_t ResolveStructure(Db& db, const Json& body, const char* id_field) {
  const char* named = id_field;
  std::optional<int64_t> id = OptInt(body, named);
  if (!id) id = OptInt(body, named = OtherIdName(id_field));
  if (id) {
    auto q = db.Query("SELECT id FROM structures WHERE id = ?", *id);
    if (!q->Step())
      throw ApiError(errors::kUnknownStructure, fmt::format("Structure {} inconnue.", *id), named);
    return *id;
  }
  std::string ident = Str(body, "identifiantStructure");
  if (ident.empty())
    throw ApiError(errors::kMissingField,
                   fmt::format("{} ou identifiantStructure est obligatoire.", id_field), id_field);
  std::string type = IdentifierType(body);
  ident = CompactIdentifier(ident);
  auto q = db.Query("SELECT id FROM structures WHERE identifiant = ? AND type_identifiant = ?",
                    ident, type);
  if (!q->Step())
    throw ApiError(errors::kUnknownStructure,
                   fmt::format("Aucune structure {} {}.", type, ident), "identifiantStructure");
  return q->Int(0);
}

bool IsManager(Db& db, int64_t user, int64_t structure) {
  auto q = db.Query(fmt::format("SELECT 1 FROM attachments WHERE user_id = ? AND structure_id = ? "
                                "AND status = 'ACTIF' AND role IN {}",
                                kManagerRoles),
                    user, structure);
  return q->Step();
}

bool IsAttached(Db& db, int64_t user, int64_t structure) {
  return db.Query("SELECT 1 FROM attachments WHERE user_id = ? AND structure_id = ? AND "
                  "status = 'ACTIF'",
                  user, structure)
      ->Step();
}

Json MainManager(Db& db, int64_t structure) {
  auto q = db.Query(
      "SELECT u.nom, u.prenom, u.login FROM attachments a JOIN users u ON u.id = a.user_id "
      "WHERE a.structure_id = ? AND a.role = 'GESTIONNAIRE_PRINCIPAL' AND a.status = 'ACTIF' "
      "ORDER BY a.id LIMIT 1",
      structure);
  if (!q->Step()) return nullptr;
  return Json{{"nom", q->Text(0)}, {"prenom", q->Text(1)}, {"adresseEmail", q->Text(2)}};
}

bool SpaceOpen(Db& db, int64_t structure, const std::string& code) {
  return db.Query("SELECT 1 FROM spaces WHERE structure_id = ? AND code = ?", structure, code)
      ->Step();
}

Json OpenSpaces(Db& db, int64_t structure) {
  Json spaces = Json::array();
  auto q = db.Query("SELECT code FROM spaces WHERE structure_id = ? ORDER BY code", structure);
  while (q->Step()) spaces.push_back(q->Text(0));
  return spaces;
}

}  // namespace sandbox
