// Accounts: sign-up (cases 2a and 2b), activation from the mail link, and
// the caller's own account.
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "api_error.h"
#include "attachments.h"
#include "chorus/text.h"
#include "db.h"
#include "directory.h"
#include "outbox.h"
#include "portal.h"
#include "request.h"
#include "services.h"
#include "siret.h"
#include "timestamps.h"

namespace sandbox {

using chorus::Lower;

namespace {

constexpr int64_t kActivationTtl = 3600;  // activation link: 60 minutes

// A new single-use activation link for `user`, sent to its login by mail.
void NewActivationToken(Db& db, int64_t now, const std::string& base_url, int64_t user,
                        const std::string& login, const std::string& prenom,
                        const std::string& nom) {
  std::string token = RandomHex(20);
  int64_t expires = now + kActivationTtl;
  db.Query("INSERT INTO activation_tokens(token, user_id, expires_at) VALUES(?,?,?)", token, user,
           expires)
      ->Run();
  SendActivationMail(db, now, login, prenom, nom, token, base_url + "/activation?jeton=" + token,
                     expires);
}

}  // namespace

Json Portal::SignUp(const Json& body) {
  if (!body.is_object()) throw ApiError(errors::kBadRequest, "Le corps doit être un objet JSON.");
  std::string login = Lower(Str(body, "adresseEmailConnexion", true));
  if (!IsValidEmail(login))
    throw ApiError(errors::kBadEmail, fmt::format("Adresse e-mail invalide : {}.", login),
                   "adresseEmailConnexion");
  std::string nom = Str(body, "nom", true);
  std::string prenom = Str(body, "prenom", true);
  std::string telephone = Str(body, "telephone");
  std::string ident = Str(body, "identifiantStructure", true);
  std::string type = IdentifierType(body);
  if (type == "SIRET") {
    ident = CompactIdentifier(ident);
    if (!IsValidSiret(ident))
      throw ApiError(errors::kBadSiret, fmt::format("SIRET invalide : {}.", ident),
                     "identifiantStructure");
  }
  bool deposer = OptBool(body, "deposerDemandesPaiement").value_or(false);
  std::vector<std::string> spaces;
  if (const Json* list = Field(body, "listeEspacesAOuvrir")) {
    if (!list->is_array())
      throw ApiError(errors::kBadValue, "listeEspacesAOuvrir doit être une liste.",
                     "listeEspacesAOuvrir");
    for (const auto& code : *list) {
      if (!code.is_string())
        throw ApiError(errors::kUnknownSpace, "Code d'espace invalide.", "listeEspacesAOuvrir");
      CheckSpaceCode(code.get<std::string>());
      spaces.push_back(code.get<std::string>());
    }
  }
  if (spaces.empty()) spaces.push_back("SOLLICITATIONS_EMISES");

  int64_t now = clock_.Now();
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  if (db_->Query("SELECT 1 FROM users WHERE login = ?", login)->Step())
    throw ApiError(errors::kAccountExists,
                   fmt::format("Un compte existe déjà pour {}.", login), "adresseEmailConnexion");
  std::optional<int64_t> structure;
  {
    auto q = db_->Query("SELECT id FROM structures WHERE identifiant = ? AND type_identifiant = ?",
                        ident, type);
    if (q->Step()) structure = q->Int(0);
  }
  Json out;
  const bool created_structure = !structure;
  if (created_structure) {
    // 2a: a new structure; its creator becomes its main manager. A private
    // person's structure (PARTICULIER) is named after the person (nom,
    // prenom), as on the portal's form; others need their raison sociale.
    const bool person = type == "PARTICULIER";
    std::string raison = Str(body, "raisonSociale");
    if (raison.empty()) raison = Str(body, "raisonSocialeStructure");
    if (raison.empty() && person) raison = prenom + " " + nom;
    if (raison.empty())
      throw ApiError(errors::kMissingField,
                     "raisonSociale est obligatoire pour créer une nouvelle structure.",
                     "raisonSociale");
    const Json* addr = Field(body, "adresse");
    if (!addr || !addr->is_object())
      throw ApiError(errors::kMissingField,
                     "adresse {adresse, codePostal, ville, pays} est obligatoire pour créer une "
                     "nouvelle structure.",
                     "adresse");
    std::string rue = Str(*addr, "adresse", true);
    std::string cp = Str(*addr, "codePostal", true);
    std::string ville = Str(*addr, "ville", true);
    std::string pays = Str(*addr, "pays");
    if (pays.empty()) pays = "FR";
    db_->Query("INSERT INTO structures(identifiant, type_identifiant, raison_sociale, nom, prenom, "
               "email, adresse, code_postal, ville, pays, telephone, created_at, updated_at) "
               "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)",
               ident, type, raison, person ? nom : "", person ? prenom : "", login, rue, cp, ville,
               pays, telephone, now, now)
        ->Run();
    structure = db_->LastInsertId();
    AddDefaultService(*db_, *structure, now);
    for (const auto& code : spaces)
      db_->Query("INSERT OR IGNORE INTO spaces(structure_id, code, opened_at) VALUES(?,?,?)",
                 *structure, code, now)
          ->Run();
  }
  db_->Query("INSERT INTO users(login, nom, prenom, telephone, deposer_demandes_paiement, "
             "created_at) VALUES(?,?,?,?,?,?)",
             login, nom, prenom, telephone, deposer, now)
      ->Run();
  int64_t user = db_->LastInsertId();
  out["idUtilisateur"] = user;
  out["adresseEmailConnexion"] = login;
  out["statutUtilisateur"] = "EN_ATTENTE_ACTIVATION";
  out["idStructureCPP"] = *structure;
  out["identifiantStructure"] = ident;
  out["typeIdentifiantStructure"] = type;
  if (created_structure) {
    db_->Query("INSERT INTO attachments(user_id, structure_id, role, status, via_request, "
               "created_at, decided_at) VALUES(?,?,'GESTIONNAIRE_PRINCIPAL','ACTIF',0,?,?)",
               user, *structure, now, now)
        ->Run();
    out["cas"] = "CREATION_STRUCTURE";
    out["roleUtilisateur"] = "GESTIONNAIRE_PRINCIPAL";
    out["listeEspacesOuverts"] = spaces;
  } else {
    // 2b: a known structure; the account comes with an attachment request.
    int64_t request = CreateAttachmentRequest(*db_, user, *structure, now);
    out["cas"] = "DEMANDE_RATTACHEMENT";
    out["idDemandeRattachement"] = request;
    out["statutRattachement"] = "EN_ATTENTE";
    out["designationStructure"] = LoadStructure(*db_, *structure).raison_sociale;
    out["gestionnairePrincipal"] = MainManager(*db_, *structure);
  }
  NewActivationToken(*db_, now, base_url_, user, login, prenom, nom);
  tx.Commit();
  out["message"] = "Compte créé. Un e-mail d'activation a été envoyé à " + login + ".";
  return out;
}

Json Portal::Activate(const Json& body) {
  if (!body.is_object()) throw ApiError(errors::kBadRequest, "Le corps doit être un objet JSON.");
  std::string token = Str(body, "jetonActivation", true);
  const Json* pw = Field(body, "motDePasse");
  if (!pw || !pw->is_string() || pw->get<std::string>().empty())
    throw ApiError(errors::kMissingField, "Le champ motDePasse est obligatoire.", "motDePasse");
  std::string password = pw->get<std::string>();
  std::string question = Str(body, "questionSecrete", true);
  std::string answer = Lower(Str(body, "reponseSecrete", true));
  int64_t user = 0;
  {
    auto read = Read();
    auto q = db_->Query("SELECT user_id, expires_at, used_at IS NOT NULL FROM activation_tokens "
                        "WHERE token = ?",
                        token);
    if (!q->Step())
      throw ApiError(errors::kUnknownActivationToken, "Jeton d'activation inconnu.",
                     "jetonActivation");
    user = q->Int(0);
    if (q->Int(2))
      throw ApiError(errors::kActivationTokenUsed, "Ce jeton d'activation a déjà été utilisé.",
                     "jetonActivation");
    if (q->Int(1) <= clock_.Now())
      throw ApiError(errors::kTokenActivationExpired,
                     "Le lien d'activation a expiré (validité 60 minutes).", "jetonActivation");
  }
  std::string why = PasswordPolicyViolation(password);
  if (!why.empty()) throw ApiError(errors::kWeakPassword, why, "motDePasse");
  // Slow hashes outside the lock.
  std::string password_hash = HashSecret(password, hash_cost_);
  std::string answer_hash = HashSecret(answer, hash_cost_);
  int64_t now = clock_.Now();
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  db_->Query("UPDATE activation_tokens SET used_at = ? WHERE token = ? AND used_at IS NULL", now,
             token)
      ->Run();
  if (db_->Changes() == 0)
    throw ApiError(errors::kActivationTokenUsed, "Ce jeton d'activation a déjà été utilisé.",
                   "jetonActivation");
  // Any other pending link of this account dies with this one.
  db_->Query("UPDATE activation_tokens SET used_at = ? WHERE user_id = ? AND used_at IS NULL", now,
             user)
      ->Run();
  db_->Query("UPDATE users SET password_hash = ?, secret_question = ?, secret_answer_hash = ?, "
             "activated_at = ?, failed_attempts = 0, locked_until = 0 WHERE id = ?",
             password_hash, question, answer_hash, now, user)
      ->Run();
  cache_.Forget(user);
  auto q = db_->Query("SELECT login FROM users WHERE id = ?", user);
  q->Step();
  Json out{{"idUtilisateur", user}, {"adresseEmailConnexion", q->Text(0)},
           {"statutUtilisateur", "ACTIF"}, {"message", "Compte activé."}};
  q.reset();
  tx.Commit();
  return out;
}

Json Portal::ActivationLinkInfo(const std::string& token) {
  auto read = Read();
  auto q = db_->Query("SELECT u.login, t.expires_at, t.used_at IS NOT NULL FROM activation_tokens "
                      "t JOIN users u ON u.id = t.user_id WHERE t.token = ?",
                      token);
  if (!q->Step())
    throw ApiError(errors::kUnknownActivationToken, "Jeton d'activation inconnu.", "jeton");
  std::string state = q->Int(2) ? "UTILISE" : q->Int(1) <= clock_.Now() ? "EXPIRE" : "VALIDE";
  return Json{{"jetonActivation", token},
              {"adresseEmailConnexion", q->Text(0)},
              {"dateExpiration", IsoTime(q->Int(1))},
              {"statutJeton", state},
              {"message",
               "Activez le compte par POST /cpro/utilisateurs/v1/activer/compte avec "
               "jetonActivation, motDePasse, questionSecrete et reponseSecrete."}};
}

Json Portal::MyAccount(int64_t me) {
  auto read = Read();
  auto q = db_->Query("SELECT id, login, nom, prenom, telephone, deposer_demandes_paiement, "
                      "secret_question, created_at, activated_at, locked_until FROM users "
                      "WHERE id = ?",
                      me);
  if (!q->Step()) throw ApiError(errors::kUnknownUser, "Utilisateur inconnu.");
  std::string status = q->Int(9) > clock_.Now() ? "BLOQUE" : "ACTIF";
  Json out{{"idUtilisateur", q->Int(0)},
           {"adresseEmailConnexion", q->Text(1)},
           {"nom", q->Text(2)},
           {"prenom", q->Text(3)},
           {"telephone", q->Text(4)},
           {"deposerDemandesPaiement", q->Int(5) != 0},
           {"questionSecrete", q->Text(6)},
           {"dateCreation", IsoTime(q->Int(7))},
           {"dateActivation", IsoTime(q->Int(8))},
           {"statutUtilisateur", status}};
  return out;
}

}  // namespace sandbox
