// Who and what the portal knows, as the operations look them up: structures
// by id or identifier, their managers, their spaces. Free functions on the
// database, called under the portal's lock.
#pragma once

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>

namespace sandbox {

using Json = nlohmann::json;
class Db;

// Roles that make an ACTIF attachment a manager's, as an SQL list.
inline constexpr const char* kManagerRoles = "('GESTIONNAIRE_PRINCIPAL','GESTIONNAIRE')";

// A row of the structures table.
struct StructureRow {
  int64_t id = 0;
  std::string identifiant, type, raison_sociale, nom, prenom, email, tva, adresse, code_postal,
      ville, pays, telephone;
  bool cg = false;
  int64_t created_at = 0;
};

// 404 kUnknownStructure when there is none.
StructureRow LoadStructure(Db& db, int64_t id);
// The address object of consulter (adressePostaleDuSiege) and
// consulter/service (adressePostale).
Json PostalAddress(const StructureRow& s);
// The structure a request body names: `id_field` (idStructureCPP or
// idStructure, the documented name) or the other of the two (known clients
// send idStructure to consulter, which documents idStructureCPP), or else
// identifiantStructure + typeIdentifiantStructure. 400 when none is given,
// 404 when it does not exist.
int64_t ResolveStructure(Db& db, const Json& body, const char* id_field);
bool IsManager(Db& db, int64_t user, int64_t structure);
// An ACTIF attachment of `user` to `structure`, whatever its role.
bool IsAttached(Db& db, int64_t user, int64_t structure);
// {nom, prenom, adresseEmail} of the structure's main manager, or null.
Json MainManager(Db& db, int64_t structure);
bool SpaceOpen(Db& db, int64_t structure, const std::string& code);
// The codes of the structure's open spaces, sorted.
Json OpenSpaces(Db& db, int64_t structure);

}  // namespace sandbox
