// Spaces (sandbox-only ajouterEspace / supprimerEspace): a manager opens or
// closes a space of its structure.
#include <nlohmann/json.hpp>

#include "api_error.h"
#include "chorus/client.h"
#include "db.h"
#include "directory.h"
#include "portal.h"
#include "request.h"

namespace sandbox {

Json Portal::ChangeSpace(int64_t me, const Json& body, bool open) {
  std::string code = Str(body, "codeEspace", true);
  CheckSpaceCode(code);
  std::lock_guard lock(mu_);
  int64_t id = ResolveStructure(*db_, body, "idStructureCPP");
  if (!IsManager(*db_, me, id))
    throw ApiError(errors::kNotManager,
                   "Seul un gestionnaire de la structure peut ouvrir ou fermer ses espaces.",
                   "idStructureCPP");
  StructureRow s = LoadStructure(*db_, id);
  if (open && code == chorus::kTicSpace && s.cg)
    throw ApiError(errors::kCgCannotOpenTic,
                   "Un centre de gestion agricole ne peut pas ouvrir l'espace « Demande de "
                   "remboursement TIC ».",
                   "codeEspace");
  if (open)
    db_->Query("INSERT OR IGNORE INTO spaces(structure_id, code, opened_at) VALUES(?,?,?)", id,
               code, clock_.Now())
        ->Run();
  else
    db_->Query("DELETE FROM spaces WHERE structure_id = ? AND code = ?", id, code)->Run();
  bool changed = db_->Changes() > 0;
  return Json{{"idStructureCPP", id},
              {"codeEspace", code},
              {"modifie", changed},
              {"listeEspaces", OpenSpaces(*db_, id)}};
}

}  // namespace sandbox
