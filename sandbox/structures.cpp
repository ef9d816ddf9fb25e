// Structures: search, consult and (sandbox-only) modify.
#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <utility>
#include <vector>

#include "api_error.h"
#include "chorus/client.h"
#include "chorus/text.h"
#include "db.h"
#include "directory.h"
#include "paging.h"
#include "portal.h"
#include "request.h"
#include "timestamps.h"

namespace sandbox {

using chorus::Lower;

namespace {
constexpr int64_t kTechPasswordDays = 424;  // technical password lifetime on Chorus Pro
const std::string kTic(chorus::kTicSpace);
}  // namespace

Json Portal::SearchStructures(int64_t me, const Json& body) {
  Paging paging = ParsePaging(body, "parametres");
  Json criteria = Json::object();
  if (const Json* s = Field(body, "structure")) {
    if (!s->is_object())
      throw ApiError(errors::kBadValue, "structure doit être un objet.", "structure");
    criteria = *s;
  }
  std::string where = " FROM structures WHERE 1=1";
  std::vector<SqlArg> args;
  std::string ident = CompactIdentifier(Str(criteria, "identifiantStructure"));
  if (!ident.empty()) {
    where += " AND identifiant = ?";
    args.push_back(ident);
  }
  if (Field(criteria, "typeIdentifiantStructure")) {
    where += " AND type_identifiant = ?";
    args.push_back(IdentifierType(criteria));
  }
  auto like = [&](const char* field, const char* column) {
    std::string v = Str(criteria, field);
    if (v.empty()) return;
    where += fmt::format(" AND {} LIKE ? ESCAPE '\\'", column);
    std::string escaped;
    for (char c : v) {
      if (c == '%' || c == '_' || c == '\\') escaped += '\\';
      escaped += c;
    }
    args.push_back("%" + escaped + "%");
  };
  like("raisonSocialeStructure", "raison_sociale");
  like("libelleStructure", "raison_sociale");
  like("nomStructure", "nom");  // set for PARTICULIER structures only
  like("prenomStructure", "prenom");
  like("adresseVille", "ville");
  std::string cp = Str(criteria, "adresseCodePostal");
  if (!cp.empty()) {
    where += " AND code_postal = ?";
    args.push_back(cp);
  }
  std::string pays = Str(criteria, "adresseCodePays");
  if (!pays.empty()) {
    where += " AND pays = ?";
    args.push_back(pays);
  }
  std::string statut = Str(criteria, "statutStructure");
  if (!statut.empty() && statut != "ACTIF") where += " AND 0";  // every structure is ACTIF
  std::string type_structure = Str(criteria, "typeStructure");
  if (!type_structure.empty() && type_structure != "PRIVEE") where += " AND 0";  // all private
  // No sandbox structure is a maître d'ouvrage (consulter: getaMoa and
  // estMoaUniquement are false), so asking for MOA ones finds none.
  if (OptBool(criteria, "estMOA").value_or(false) ||
      OptBool(criteria, "estMOAUniquement").value_or(false))
    where += " AND 0";
  // restreindreStructuresPrivees (its meaning on PISTE is not documented):
  // private structures only when the caller is attached to them. Every
  // sandbox structure is private.
  if (OptBool(body, "restreindreStructuresPrivees").value_or(false)) {
    where += " AND id IN (SELECT structure_id FROM attachments WHERE user_id = ? AND "
             "status = 'ACTIF')";
    args.emplace_back(std::in_place_type<int64_t>, me);
  }

  auto read = Read();
  auto [total, q] = CountAndSelect(*db_, "id, identifiant, raison_sociale, type_identifiant", where,
                                   args,
                                   OrderBy(paging, {{"idstructure", "id"},
                                                    {"idstructurecpp", "id"},
                                                    {"identifiantstructure", "identifiant"},
                                                    {"designationstructure", "raison_sociale"},
                                                    {"raisonsociale", "raison_sociale"},
                                                    {"raisonsocialestructure", "raison_sociale"}}));
  Json list = Json::array();
  while (q->Step())
    list.push_back(Json{{"idStructureCPP", q->Int(0)},
                        {"identifiantStructure", q->Text(1)},
                        {"designationStructure", q->Text(2)},
                        {"typeIdentifiantStructure", q->Text(3)},
                        {"statut", "ACTIF"}});
  return Json{{"listeStructures", list}, {"parametresRetour", PagingResult(paging, total)}};
}

Json Portal::ConsultStructure(int64_t, const Json& body) {
  auto read = Read();
  int64_t id = ResolveStructure(*db_, body, "idStructureCPP");
  StructureRow s = LoadStructure(*db_, id);
  Json spaces = OpenSpaces(*db_, id);
  bool tic = std::find(spaces.begin(), spaces.end(), kTic) != spaces.end();
  return Json{
      {"informationGenerales",
       {{"idStructureCPP", s.id},
        {"identifiantStructure", s.identifiant},
        {"typeIdentifiantStructure", s.type},
        {"raisonSocialeStructure", s.raison_sociale},
        {"libelleStructure", s.raison_sociale},
        {"nomStructure", s.nom},
        {"prenomStructure", s.prenom},
        {"emailStructure", s.email},
        {"numeroTVA", s.tva},
        {"numeroRcsStructure", ""},
        {"structurePriveePublique", "PRIVEE"},
        {"estValideurDeleguee", false},
        {"idStructureOrigine", nullptr},
        {"listeStructureDupliquees", Json::array()},
        // A timestamp: the real format is not documented, and typed clients
        // (go-choruspro: time.Time) fail on a bare date.
        {"dateExpirationMotPasseCompteTech", IsoTime(s.created_at + kTechPasswordDays * 86400)}}},
      {"adressePostaleDuSiege", PostalAddress(s)},
      {"parametres",
       {{"codeServiceDoitEtreRenseigne", false},
        {"numeroEJDoitEtreRenseigne", false},
        {"gestionNumeroEJOuCodeService", false},
        {"connexionEDI", false},
        {"recevoirDonneesViaEDI", false},
        {"estMoaUniquement", false},
        {"estValideurDelegue", false},
        {"getaMoa", false},
        {"nonDiffusibleInsee", false},
        {"statutMiseEnPaiementNestPasRemonte", false}}},
      {"extensionSandbox",
       {{"estCentreDeGestionAgricole", s.cg},
        {"listeEspaces", spaces},
        {"espaceTICOuvert", tic},
        {"statut", "ACTIF"},
        {"gestionnairePrincipal", MainManager(*db_, id)}}}};
}

Json Portal::ModifyStructure(int64_t me, const Json& body) {
  auto cg = OptBool(body, "estCentreDeGestionAgricole");
  std::string raison = Str(body, "raisonSocialeStructure");
  if (raison.empty()) raison = Str(body, "raisonSociale");
  std::string email = Lower(Str(body, "emailStructure"));
  if (!email.empty() && !IsValidEmail(email))
    throw ApiError(errors::kBadEmail, "emailStructure invalide.", "emailStructure");
  std::string tva = Str(body, "numeroTVA");
  Json addr = Json::object();
  if (const Json* a = Field(body, "adressePostaleDuSiege")) {
    if (!a->is_object())
      throw ApiError(errors::kBadValue, "adressePostaleDuSiege doit être un objet.",
                     "adressePostaleDuSiege");
    addr = *a;
  }
  int64_t now = clock_.Now();
  std::lock_guard lock(mu_);
  int64_t id = ResolveStructure(*db_, body, "idStructureCPP");
  if (!IsManager(*db_, me, id))
    throw ApiError(errors::kNotManager,
                   "Seul un gestionnaire de la structure peut la modifier.", "idStructureCPP");
  Transaction tx(*db_);
  if (cg && *cg && SpaceOpen(*db_, id, kTic))
    throw ApiError(errors::kTicOpenCannotBecomeCg,
                   "Un centre de gestion agricole ne dispose pas de l'espace « Demande de "
                   "remboursement TIC » : fermez-le avant de typer la structure.",
                   "estCentreDeGestionAgricole");
  if (cg) db_->Query("UPDATE structures SET est_cg = ? WHERE id = ?", *cg, id)->Run();
  if (!raison.empty())
    db_->Query("UPDATE structures SET raison_sociale = ? WHERE id = ?", raison, id)->Run();
  if (!email.empty()) db_->Query("UPDATE structures SET email = ? WHERE id = ?", email, id)->Run();
  if (!tva.empty()) db_->Query("UPDATE structures SET numero_tva = ? WHERE id = ?", tva, id)->Run();
  for (const auto& [field, column] : std::vector<std::pair<const char*, const char*>>{
           {"adresse", "adresse"},
           {"codePostal", "code_postal"},
           {"ville", "ville"},
           {"pays", "pays"},
           {"telephone", "telephone"}}) {
    std::string v = Str(addr, field);
    if (!v.empty())
      db_->Query(fmt::format("UPDATE structures SET {} = ? WHERE id = ?", column), v, id)->Run();
  }
  db_->Query("UPDATE structures SET updated_at = ? WHERE id = ?", now, id)->Run();
  tx.Commit();
  StructureRow s = LoadStructure(*db_, id);
  return Json{{"idStructureCPP", id},
              {"identifiantStructure", s.identifiant},
              {"raisonSocialeStructure", s.raison_sociale},
              {"estCentreDeGestionAgricole", s.cg}};
}

}  // namespace sandbox
