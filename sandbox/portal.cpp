#include "portal.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <ctime>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <variant>
#include <vector>

#include "api_error.h"
#include "chorus/client.h"
#include "chorus/text.h"
#include "db.h"
#include "seed.h"
#include "siret.h"

namespace sandbox {

using chorus::Lower;
using chorus::Trim;

namespace {

constexpr int64_t kActivationTtl = 3600;    // activation link: 60 minutes
constexpr int kMaxFailures = 5;             // failed logins before the lock
constexpr int64_t kLockSeconds = 3600;      // lock duration
constexpr int64_t kTechPasswordDays = 424;  // technical password lifetime on Chorus Pro
const std::string kTic(chorus::kTicSpace);

// The space codes are chorus's own list: client and portal cannot disagree.
const std::vector<std::string>& kSpaceCodes = chorus::SpaceCodes();
const std::vector<std::string> kIdentifierTypes = {"SIRET", "UE_HORS_FRANCE", "HORS_UE", "RIDET",
                                                   "TAHITI", "AUTRE", "PARTICULIER"};

std::string IsoTime(int64_t epoch) {
  std::time_t t = static_cast<std::time_t>(epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string IsoDate(int64_t epoch) { return IsoTime(epoch).substr(0, 10); }

// --- request field access: wrong types are 400s, not exceptions from json ---

const Json* Field(const Json& body, const char* name) {
  if (!body.is_object()) return nullptr;
  auto it = body.find(name);
  if (it == body.end() || it->is_null()) return nullptr;
  return &*it;
}

std::string Str(const Json& body, const char* name, bool required = false) {
  const Json* f = Field(body, name);
  std::string value;
  if (f) {
    if (f->is_string()) value = Trim(f->get<std::string>());
    else if (f->is_number_integer()) value = std::to_string(f->get<int64_t>());
    else throw ApiError(errors::kBadValue, fmt::format("Le champ {} doit être une chaîne.", name), name);
  }
  if (required && value.empty())
    throw ApiError(errors::kMissingField, fmt::format("Le champ {} est obligatoire.", name), name);
  return value;
}

std::optional<int64_t> OptInt(const Json& body, const char* name) {
  const Json* f = Field(body, name);
  if (!f) return std::nullopt;
  if (f->is_number_integer()) return f->get<int64_t>();
  if (f->is_string()) {
    std::string s = Trim(f->get<std::string>());
    if (s.empty()) return std::nullopt;
    if (s.find_first_not_of("0123456789") == std::string::npos && s.size() < 18)
      return std::stoll(s);
  }
  throw ApiError(errors::kBadValue, fmt::format("Le champ {} doit être un entier.", name), name);
}

int64_t ReqInt(const Json& body, const char* name) {
  auto v = OptInt(body, name);
  if (!v) throw ApiError(errors::kMissingField, fmt::format("Le champ {} est obligatoire.", name), name);
  return *v;
}

std::optional<bool> OptBool(const Json& body, const char* name) {
  const Json* f = Field(body, name);
  if (!f) return std::nullopt;
  if (f->is_boolean()) return f->get<bool>();
  if (f->is_string()) {
    std::string s = Lower(Trim(f->get<std::string>()));
    if (s == "true" || s == "oui") return true;
    if (s == "false" || s == "non") return false;
  }
  throw ApiError(errors::kBadValue, fmt::format("Le champ {} doit être un booléen.", name), name);
}

bool IsValidEmail(const std::string& email) {
  auto at = email.find('@');
  if (at == std::string::npos || at == 0 || email.find('@', at + 1) != std::string::npos)
    return false;
  std::string domain = email.substr(at + 1);
  auto dot = domain.find('.');
  if (dot == std::string::npos || dot == 0 || domain.back() == '.') return false;
  for (unsigned char c : email)
    if (std::isspace(c) || c < 0x21 || c == ',' || c == ';' || c == '<' || c == '>') return false;
  return email.size() <= 254;
}

std::string IdentifierType(const Json& body, const char* name = "typeIdentifiantStructure") {
  std::string type = Str(body, name);
  if (type.empty()) return "SIRET";
  if (std::find(kIdentifierTypes.begin(), kIdentifierTypes.end(), type) == kIdentifierTypes.end())
    throw ApiError(errors::kBadIdentifierType,
                   fmt::format("Type d'identifiant inconnu : {}.", type), name);
  return type;
}

void CheckSpaceCode(const std::string& code) {
  if (std::find(kSpaceCodes.begin(), kSpaceCodes.end(), code) == kSpaceCodes.end())
    throw ApiError(errors::kUnknownSpace, fmt::format("Espace inconnu : {}.", code), "codeEspace");
}

// --- pagination: parametres/parametresRecherche in, parametresRetour out ---

struct Paging {
  int64_t page = 1;
  int64_t per_page = 20;
  std::string column;
  bool descending = false;
};

Paging ParsePaging(const Json& body, const char* wrapper) {
  Paging p;
  const Json* w = Field(body, wrapper);
  if (!w) return p;
  if (!w->is_object())
    throw ApiError(errors::kBadPaging, fmt::format("{} doit être un objet.", wrapper), wrapper);
  if (auto n = OptInt(*w, "nbResultatsParPage")) p.per_page = *n;
  if (auto n = OptInt(*w, "pageResultatDemandee")) p.page = *n;
  if (p.per_page < 1 || p.per_page > 1000 || p.page < 1)
    throw ApiError(errors::kBadPaging,
                   "nbResultatsParPage doit être entre 1 et 1000 et pageResultatDemandee >= 1.",
                   wrapper);
  p.column = Str(*w, "triColonne");
  std::string sens = Lower(Str(*w, "triSens"));
  if (sens.empty()) sens = Lower(Str(*w, "triSense"));  // go-choruspro's spelling
  p.descending = sens.rfind("desc", 0) == 0;
  return p;
}

Json PagingResult(const Paging& p, int64_t total) {
  return Json{{"pageCourante", p.page},
              {"pages", (total + p.per_page - 1) / p.per_page},
              {"nbResultatsParPage", p.per_page},
              {"total", total}};
}

// ORDER BY clause from a whitelist {api column name (lower case) -> SQL}.
std::string OrderBy(const Paging& p, const std::vector<std::pair<std::string, std::string>>& cols) {
  std::string sql = cols.front().second;
  for (const auto& [api, col] : cols)
    if (Lower(p.column) == api) sql = col;
  return fmt::format(" ORDER BY {} {}, 1 {} LIMIT {} OFFSET {}", sql,
                     p.descending ? "DESC" : "ASC", p.descending ? "DESC" : "ASC", p.per_page,
                     std::min<int64_t>(p.page - 1, INT64_MAX / p.per_page) * p.per_page);
}

// A value bound to a `?` of a query built at run time.
using SqlArg = std::variant<int64_t, std::string>;

// Binds a list of values in order.
void BindAll(Stmt& stmt, const std::vector<SqlArg>& args) {
  int i = 0;
  for (const auto& a : args) std::visit([&](const auto& v) { stmt.Bind(++i, v); }, a);
}

// One page of a listing: how many rows match in all, and the query that
// steps through this page's rows.
struct PageQuery {
  int64_t total = 0;
  std::unique_ptr<Stmt> rows;
};

// "SELECT COUNT(*)" then "SELECT columns" over the same `from_where`
// (" FROM ... WHERE ...") and arguments; `order` is an OrderBy() clause.
PageQuery CountAndSelect(Db& db, const std::string& columns, const std::string& from_where,
                         const std::vector<SqlArg>& args, const std::string& order) {
  PageQuery page;
  {
    auto count = db.Query("SELECT COUNT(*)" + from_where);
    BindAll(*count, args);
    count->Step();
    page.total = count->Int(0);
  }
  page.rows = db.Query("SELECT " + columns + from_where + order);
  BindAll(*page.rows, args);
  return page;
}

constexpr const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS users(
  id INTEGER PRIMARY KEY,
  login TEXT NOT NULL UNIQUE,
  nom TEXT NOT NULL, prenom TEXT NOT NULL, telephone TEXT NOT NULL DEFAULT '',
  deposer_demandes_paiement INTEGER NOT NULL DEFAULT 0,
  password_hash TEXT, secret_question TEXT, secret_answer_hash TEXT,
  failed_attempts INTEGER NOT NULL DEFAULT 0, locked_until INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL, activated_at INTEGER);
CREATE TABLE IF NOT EXISTS structures(
  id INTEGER PRIMARY KEY,
  identifiant TEXT NOT NULL, type_identifiant TEXT NOT NULL,
  raison_sociale TEXT NOT NULL, email TEXT NOT NULL DEFAULT '', numero_tva TEXT NOT NULL DEFAULT '',
  adresse TEXT NOT NULL DEFAULT '', code_postal TEXT NOT NULL DEFAULT '',
  ville TEXT NOT NULL DEFAULT '', pays TEXT NOT NULL DEFAULT 'FR',
  telephone TEXT NOT NULL DEFAULT '',
  est_cg INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  UNIQUE(type_identifiant, identifiant));
CREATE TABLE IF NOT EXISTS spaces(
  structure_id INTEGER NOT NULL REFERENCES structures(id), code TEXT NOT NULL,
  opened_at INTEGER NOT NULL, PRIMARY KEY(structure_id, code)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS attachments(
  id INTEGER PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users(id),
  structure_id INTEGER NOT NULL REFERENCES structures(id),
  role TEXT NOT NULL, status TEXT NOT NULL,
  via_request INTEGER NOT NULL,
  comment TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL, decided_at INTEGER, decided_by INTEGER);
CREATE INDEX IF NOT EXISTS attachments_by_user ON attachments(user_id, structure_id);
CREATE INDEX IF NOT EXISTS attachments_by_structure ON attachments(structure_id, status);
CREATE TABLE IF NOT EXISTS activation_tokens(
  token TEXT PRIMARY KEY, user_id INTEGER NOT NULL REFERENCES users(id),
  expires_at INTEGER NOT NULL, used_at INTEGER);
CREATE TABLE IF NOT EXISTS access_tokens(
  token TEXT PRIMARY KEY, client_id TEXT NOT NULL, expires_at INTEGER NOT NULL);  -- epoch ms
CREATE TABLE IF NOT EXISTS mails(
  id INTEGER PRIMARY KEY, recipient TEXT NOT NULL, subject TEXT NOT NULL, body TEXT NOT NULL,
  kind TEXT NOT NULL, token TEXT NOT NULL DEFAULT '', link TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS demo_accounts(
  n INTEGER PRIMARY KEY, siret TEXT NOT NULL, structure_id INTEGER NOT NULL,
  designation TEXT NOT NULL, login TEXT NOT NULL, password TEXT NOT NULL,
  tic_open INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS demo_requests(
  n INTEGER PRIMARY KEY, request_id INTEGER NOT NULL REFERENCES attachments(id));
)SQL";

const char* kManagerRoles = "('GESTIONNAIRE_PRINCIPAL','GESTIONNAIRE')";

}  // namespace

struct Portal::Structure {
  int64_t id = 0;
  std::string identifiant, type, raison_sociale, email, tva, adresse, code_postal, ville, pays,
      telephone;
  bool cg = false;
  int64_t created_at = 0;
};

Portal::Portal(const std::string& db_path, Clock& clock, HashCost hash_cost)
    : clock_(clock), hash_cost_(hash_cost), db_(std::make_unique<Db>(db_path)) {
  db_->Exec(kSchema);
}

Portal::~Portal() = default;

// ---------------------------------------------------------------- tokens ---

std::string Portal::IssueAccessToken(const std::string& client_id, int64_t ttl) {
  std::string token = RandomHex(24);
  int64_t now_ms = clock_.NowMillis();
  std::lock_guard lock(mu_);
  db_->Query("DELETE FROM access_tokens WHERE expires_at < ?", now_ms - 86'400'000)->Run();
  db_->Query("INSERT INTO access_tokens(token, client_id, expires_at) VALUES(?,?,?)", token,
             client_id, now_ms + ttl * 1000)
      ->Run();
  return token;
}

Portal::TokenState Portal::CheckAccessToken(const std::string& token, std::string* client_id) {
  std::lock_guard lock(mu_);
  auto q = db_->Query("SELECT client_id, expires_at FROM access_tokens WHERE token = ?", token);
  if (!q->Step()) return TokenState::kUnknown;
  *client_id = q->Text(0);
  return q->Int(1) <= clock_.NowMillis() ? TokenState::kExpired : TokenState::kValid;
}

// -------------------------------------------------------- authentication ---

int64_t Portal::Authenticate(const std::string& raw_login, const std::string& password) {
  std::string login = Lower(Trim(raw_login));
  int64_t now = clock_.Now();
  int64_t id = 0, failures = 0;
  std::string hash;
  {
    std::lock_guard lock(mu_);
    auto q = db_->Query("SELECT id, password_hash, locked_until, password_hash IS NULL, "
                        "failed_attempts FROM users WHERE login = ?",
                        login);
    if (!q->Step())
      throw ApiError(errors::kBadCredentials, "Identifiant ou mot de passe incorrect.");
    id = q->Int(0);
    hash = q->Text(1);
    int64_t locked_until = q->Int(2);
    bool not_activated = q->Int(3) != 0;
    failures = q->Int(4);
    q.reset();
    if (locked_until > now)
      throw ApiError(errors::kAccountLocked,
                     fmt::format("Compte bloqué après {} échecs de connexion jusqu'à {}.",
                                 kMaxFailures, IsoTime(locked_until)));
    if (locked_until != 0)  // the lock has run out: start afresh
      db_->Query("UPDATE users SET locked_until = 0, failed_attempts = 0 WHERE id = ?", id)->Run();
    if (not_activated)
      throw ApiError(errors::kAccountNotActivated, "Le compte n'est pas encore activé.");
  }
  if (cache_.Check(login, password, id, now)) {
    if (failures != 0) {  // a success ends the run of failures
      std::lock_guard lock(mu_);
      db_->Query("UPDATE users SET failed_attempts = 0 WHERE id = ?", id)->Run();
    }
    return id;
  }
  bool ok = VerifySecret(hash, password);  // slow: outside the lock
  std::lock_guard lock(mu_);
  if (!ok) {
    db_->Query("UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = ?", id)->Run();
    auto q = db_->Query("SELECT failed_attempts FROM users WHERE id = ?", id);
    q->Step();
    failures = q->Int(0);
    q.reset();
    if (failures >= kMaxFailures) {
      db_->Query("UPDATE users SET locked_until = ? WHERE id = ?", now + kLockSeconds, id)->Run();
      cache_.Forget(id);
      throw ApiError(errors::kBadCredentials,
                     fmt::format("Identifiant ou mot de passe incorrect. Compte bloqué pour {} "
                                 "minutes après {} échecs.",
                                 kLockSeconds / 60, kMaxFailures));
    }
    throw ApiError(errors::kBadCredentials, "Identifiant ou mot de passe incorrect.");
  }
  db_->Query("UPDATE users SET failed_attempts = 0 WHERE id = ? AND failed_attempts <> 0", id)
      ->Run();
  cache_.Remember(login, password, id, now);
  return id;
}

// --------------------------------------------------------------- helpers ---

Portal::Structure Portal::LoadStructure(int64_t id) {
  auto q = db_->Query(
      "SELECT id, identifiant, type_identifiant, raison_sociale, email, numero_tva, adresse, "
      "code_postal, ville, pays, telephone, est_cg, created_at FROM structures WHERE id = ?",
      id);
  if (!q->Step())
    throw ApiError(errors::kUnknownStructure, fmt::format("Structure {} inconnue.", id),
                   "idStructureCPP");
  Structure s;
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
  return s;
}

// idStructureCPP (or id_field), else identifiantStructure + typeIdentifiantStructure.
int64_t Portal::ResolveStructure(const Json& body, const char* id_field) {
  if (auto id = OptInt(body, id_field)) {
    auto q = db_->Query("SELECT id FROM structures WHERE id = ?", *id);
    if (!q->Step())
      throw ApiError(errors::kUnknownStructure, fmt::format("Structure {} inconnue.", *id),
                     id_field);
    return *id;
  }
  std::string ident = Str(body, "identifiantStructure");
  if (ident.empty())
    throw ApiError(errors::kMissingField,
                   fmt::format("{} ou identifiantStructure est obligatoire.", id_field), id_field);
  std::string type = IdentifierType(body);
  ident.erase(std::remove_if(ident.begin(), ident.end(),
                             [](char c) { return c == ' ' || c == '.'; }),
              ident.end());
  auto q = db_->Query("SELECT id FROM structures WHERE identifiant = ? AND type_identifiant = ?",
                      ident, type);
  if (!q->Step())
    throw ApiError(errors::kUnknownStructure,
                   fmt::format("Aucune structure {} {}.", type, ident), "identifiantStructure");
  return q->Int(0);
}

bool Portal::IsManager(int64_t user, int64_t structure) {
  auto q = db_->Query(fmt::format("SELECT 1 FROM attachments WHERE user_id = ? AND structure_id = ? "
                                  "AND status = 'ACTIF' AND role IN {}",
                                  kManagerRoles),
                      user, structure);
  return q->Step();
}

Json Portal::MainManager(int64_t structure) {
  auto q = db_->Query(
      "SELECT u.nom, u.prenom, u.login FROM attachments a JOIN users u ON u.id = a.user_id "
      "WHERE a.structure_id = ? AND a.role = 'GESTIONNAIRE_PRINCIPAL' AND a.status = 'ACTIF' "
      "ORDER BY a.id LIMIT 1",
      structure);
  if (!q->Step()) return nullptr;
  return Json{{"nom", q->Text(0)}, {"prenom", q->Text(1)}, {"adresseEmail", q->Text(2)}};
}

bool Portal::SpaceOpen(int64_t structure, const std::string& code) {
  return db_->Query("SELECT 1 FROM spaces WHERE structure_id = ? AND code = ?", structure, code)
      ->Step();
}

void Portal::SendMail(const std::string& to, const std::string& subject, const std::string& body,
                      const std::string& kind, const std::string& token,
                      const std::string& link) {
  db_->Query("INSERT INTO mails(recipient, subject, body, kind, token, link, created_at) "
             "VALUES(?,?,?,?,?,?,?)",
             to, subject, body, kind, token, link, clock_.Now())
      ->Run();
}

std::string Portal::NewActivationToken(int64_t user, const std::string& login,
                                       const std::string& prenom, const std::string& nom) {
  std::string token = RandomHex(20);
  int64_t expires = clock_.Now() + kActivationTtl;
  db_->Query("INSERT INTO activation_tokens(token, user_id, expires_at) VALUES(?,?,?)", token,
             user, expires)
      ->Run();
  std::string link = base_url_ + "/activation?jeton=" + token;
  SendMail(login, "Chorus Pro : activez votre compte",
           fmt::format("Bonjour {} {},\n\n"
                       "Votre compte Chorus Pro {} a été créé. Pour l'activer, ouvrez ce lien "
                       "avant le {} (60 minutes) :\n{}\n\n"
                       "Jeton d'activation : {}\n\n"
                       "Vous choisirez votre mot de passe et votre question secrète.\n",
                       prenom, nom, login, IsoTime(expires), link, token),
           "ACTIVATION", token, link);
  return token;
}

void Portal::NotifyManagers(int64_t structure, int64_t request_id, const std::string& requester) {
  Structure s = LoadStructure(structure);
  std::vector<std::string> managers;
  {
    auto q = db_->Query(fmt::format("SELECT u.login FROM attachments a JOIN users u ON u.id = "
                                    "a.user_id WHERE a.structure_id = ? AND a.status = 'ACTIF' "
                                    "AND a.role IN {} ORDER BY a.id",
                                    kManagerRoles),
                        structure);
    while (q->Step()) managers.push_back(q->Text(0));
  }
  for (const auto& m : managers)
    SendMail(m,
             fmt::format("Chorus Pro : demande de rattachement à {}", s.raison_sociale),
             fmt::format("Bonjour,\n\n{} demande à être rattaché(e) à la structure {} ({} {}).\n"
                         "Demande n° {}. Validez-la ou refusez-la depuis vos activités de "
                         "gestionnaire.\n",
                         requester, s.raison_sociale, s.type, s.identifiant, request_id),
             "DEMANDE_RATTACHEMENT");
}

int64_t Portal::CreateRequest(int64_t user, int64_t structure, int64_t now) {
  db_->Query("INSERT INTO attachments(user_id, structure_id, role, status, via_request, "
             "created_at) VALUES(?,?,'UTILISATEUR','EN_ATTENTE',1,?)",
             user, structure, now)
      ->Run();
  int64_t request = db_->LastInsertId();
  std::string requester;
  {
    auto q = db_->Query("SELECT prenom || ' ' || nom || ' <' || login || '>' FROM users WHERE id = ?",
                        user);
    q->Step();
    requester = q->Text(0);
  }
  NotifyManagers(structure, request, requester);
  return request;
}

// ------------------------------------------------------ sign-up/activate ---

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
    ident.erase(std::remove_if(ident.begin(), ident.end(),
                               [](char c) { return c == ' ' || c == '.'; }),
                ident.end());
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
    // 2a: a new structure; its creator becomes its main manager.
    std::string raison = Str(body, "raisonSociale");
    if (raison.empty()) raison = Str(body, "raisonSocialeStructure");
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
    db_->Query("INSERT INTO structures(identifiant, type_identifiant, raison_sociale, email, "
               "adresse, code_postal, ville, pays, telephone, created_at, updated_at) "
               "VALUES(?,?,?,?,?,?,?,?,?,?,?)",
               ident, type, raison, login, rue, cp, ville, pays, telephone, now, now)
        ->Run();
    structure = db_->LastInsertId();
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
    int64_t request = CreateRequest(user, *structure, now);
    out["cas"] = "DEMANDE_RATTACHEMENT";
    out["idDemandeRattachement"] = request;
    out["statutRattachement"] = "EN_ATTENTE";
    out["designationStructure"] = LoadStructure(*structure).raison_sociale;
    out["gestionnairePrincipal"] = MainManager(*structure);
  }
  NewActivationToken(user, login, prenom, nom);
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
    std::lock_guard lock(mu_);
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
  std::lock_guard lock(mu_);
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

// ------------------------------------------------------------- my account ---

Json Portal::MyAccount(int64_t me) {
  std::lock_guard lock(mu_);
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

// ------------------------------------------------------------- structures ---

Json Portal::SearchStructures(int64_t, const Json& body) {
  Paging paging = ParsePaging(body, "parametres");
  Json criteria = Json::object();
  if (const Json* s = Field(body, "structure")) {
    if (!s->is_object())
      throw ApiError(errors::kBadValue, "structure doit être un objet.", "structure");
    criteria = *s;
  }
  std::string where = " FROM structures WHERE 1=1";
  std::vector<SqlArg> args;
  std::string ident = Str(criteria, "identifiantStructure");
  ident.erase(std::remove_if(ident.begin(), ident.end(),
                             [](char c) { return c == ' ' || c == '.'; }),
              ident.end());
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

  std::lock_guard lock(mu_);
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
  std::lock_guard lock(mu_);
  int64_t id = ResolveStructure(body, "idStructureCPP");
  Structure s = LoadStructure(id);
  Json spaces = Json::array();
  {
    auto q = db_->Query("SELECT code FROM spaces WHERE structure_id = ? ORDER BY code", id);
    while (q->Step()) spaces.push_back(q->Text(0));
  }
  bool tic = std::find(spaces.begin(), spaces.end(), kTic) != spaces.end();
  return Json{
      {"informationGenerales",
       {{"idStructureCPP", s.id},
        {"identifiantStructure", s.identifiant},
        {"typeIdentifiantStructure", s.type},
        {"raisonSocialeStructure", s.raison_sociale},
        {"libelleStructure", s.raison_sociale},
        {"nomStructure", ""},
        {"prenomStructure", ""},
        {"emailStructure", s.email},
        {"numeroTVA", s.tva},
        {"numeroRcsStructure", ""},
        {"structurePriveePublique", "PRIVEE"},
        {"estValideurDeleguee", false},
        {"idStructureOrigine", nullptr},
        {"listeStructureDupliquees", Json::array()},
        {"dateExpirationMotPasseCompteTech", IsoDate(s.created_at + kTechPasswordDays * 86400)}}},
      {"adressePostaleDuSiege",
       {{"adresse", s.adresse},
        {"codePostal", s.code_postal},
        {"complementAdresse1", ""},
        {"complementAdresse2", ""},
        {"ville", s.ville},
        {"pays", s.pays},
        {"telephone", s.telephone},
        {"indicatifTelephone", "+33"},
        {"fax", ""},
        {"indicatifFax", ""}}},
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
        {"gestionnairePrincipal", MainManager(id)}}}};
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
  int64_t id = ResolveStructure(body, "idStructureCPP");
  if (!IsManager(me, id))
    throw ApiError(errors::kNotManager,
                   "Seul un gestionnaire de la structure peut la modifier.", "idStructureCPP");
  Transaction tx(*db_);
  if (cg && *cg && SpaceOpen(id, kTic))
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
  Structure s = LoadStructure(id);
  return Json{{"idStructureCPP", id},
              {"identifiantStructure", s.identifiant},
              {"raisonSocialeStructure", s.raison_sociale},
              {"estCentreDeGestionAgricole", s.cg}};
}

Json Portal::ChangeSpace(int64_t me, const Json& body, bool open) {
  std::string code = Str(body, "codeEspace", true);
  CheckSpaceCode(code);
  std::lock_guard lock(mu_);
  int64_t id = ResolveStructure(body, "idStructureCPP");
  if (!IsManager(me, id))
    throw ApiError(errors::kNotManager,
                   "Seul un gestionnaire de la structure peut ouvrir ou fermer ses espaces.",
                   "idStructureCPP");
  Structure s = LoadStructure(id);
  if (open && code == kTic && s.cg)
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
  Json spaces = Json::array();
  auto q = db_->Query("SELECT code FROM spaces WHERE structure_id = ? ORDER BY code", id);
  while (q->Step()) spaces.push_back(q->Text(0));
  return Json{{"idStructureCPP", id},
              {"codeEspace", code},
              {"modifie", changed},
              {"listeEspaces", spaces}};
}

// ------------------------------------------------------------ attachments ---

namespace {
// Columns shared by the attachment listings (a = attachments, s = structures).
constexpr const char* kAttachmentColumns =
    "a.id, s.id, s.identifiant, s.type_identifiant, s.raison_sociale, a.role, a.status, "
    "a.comment, a.created_at, a.decided_at, "
    "EXISTS(SELECT 1 FROM spaces sp WHERE sp.structure_id = s.id AND sp.code = "
    "'DEMANDE_REMBOURSEMENT_TIC')";

const std::vector<std::pair<std::string, std::string>> kAttachmentOrder = {
    {"iddemanderattachement", "a.id"},   {"idrattachementstructure", "a.id"},
    {"idstructure", "s.id"},             {"identifiantstructure", "s.identifiant"},
    {"designationstructure", "s.raison_sociale"}, {"datedemande", "a.created_at"}};

std::string StatusFilter(const std::string& value, const char* field) {
  if (value.empty() || value == "TOUS") return "";
  if (value != "EN_ATTENTE" && value != "ACTIF" && value != "REFUSE")
    throw ApiError(errors::kBadValue,
                   fmt::format("{} doit valoir EN_ATTENTE, ACTIF, REFUSE ou TOUS.", field), field);
  return value;
}
}  // namespace

Json Portal::MyAttachments(int64_t me, const Json& body) {
  Paging paging = ParsePaging(body, "parametresRecherche");
  // Like Chorus Pro: active attachments by default; extension filter for others.
  std::string status = Str(body, "statutRattachementStructure");
  if (status.empty()) status = "ACTIF";
  status = StatusFilter(status, "statutRattachementStructure");
  std::string where = " FROM attachments a JOIN structures s ON s.id = a.structure_id WHERE "
                      "a.user_id = ?";
  if (!status.empty()) where += " AND a.status = '" + status + "'";
  std::lock_guard lock(mu_);
  auto [total, q] =
      CountAndSelect(*db_, kAttachmentColumns, where, {me}, OrderBy(paging, kAttachmentOrder));
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
  std::lock_guard lock(mu_);
  int64_t user = me;
  if (!email.empty() || user_id) {
    auto q = email.empty() ? db_->Query("SELECT id FROM users WHERE id = ?", *user_id)
                           : db_->Query("SELECT id FROM users WHERE login = ?", email);
    if (!q->Step()) throw ApiError(errors::kUnknownUser, "Utilisateur inconnu.");
    user = q->Int(0);
  }
  int64_t id = ResolveStructure(body, "idStructure");
  if (user != me && !IsManager(me, id))
    throw ApiError(errors::kNotAllowed,
                   "Seuls l'utilisateur lui-même et les gestionnaires de la structure peuvent "
                   "consulter ces rattachements.");
  Structure s = LoadStructure(id);
  auto [total, q] = CountAndSelect(*db_, kAttachmentColumns,
                                   " FROM attachments a JOIN structures s ON s.id = a.structure_id "
                                   "WHERE a.user_id = ? AND a.structure_id = ?",
                                   {user, id}, OrderBy(paging, kAttachmentOrder));
  Json list = Json::array();
  while (q->Step())
    list.push_back(Json{{"idRattachement", q->Int(0)},
                        {"idService", nullptr},
                        {"codeService", ""},
                        {"nomService", ""},
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
  int64_t id = ResolveStructure(body, "idStructureCPP");
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
  int64_t request = CreateRequest(me, id, now);
  Structure s = LoadStructure(id);
  Json out{{"idDemandeRattachement", request},
           {"statut", "EN_ATTENTE"},
           {"idStructureCPP", id},
           {"identifiantStructure", s.identifiant},
           {"typeIdentifiantStructure", s.type},
           {"designationStructure", s.raison_sociale},
           {"gestionnairePrincipal", MainManager(id)}};
  tx.Commit();
  return out;
}

Json Portal::MyRequests(int64_t me, const Json& body) {
  Paging paging = ParsePaging(body, "parametresRecherche");
  std::string status = StatusFilter(Str(body, "statut"), "statut");
  std::string where = " FROM attachments a JOIN structures s ON s.id = a.structure_id WHERE "
                      "a.user_id = ? AND a.via_request = 1";
  if (!status.empty()) where += " AND a.status = '" + status + "'";
  std::lock_guard lock(mu_);
  auto [total, q] =
      CountAndSelect(*db_, kAttachmentColumns, where, {me}, OrderBy(paging, kAttachmentOrder));
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

Json Portal::PendingRequestsForManager(int64_t me, const Json& body) {
  Paging paging = ParsePaging(body, "parametresRecherche");
  std::string email = Lower(Str(body, "adresseEmailUtilisateur"));
  std::lock_guard lock(mu_);
  std::string where = fmt::format(
      " FROM attachments a JOIN structures s ON s.id = a.structure_id JOIN users u ON u.id = "
      "a.user_id WHERE a.status = 'EN_ATTENTE' AND a.structure_id IN (SELECT structure_id FROM "
      "attachments WHERE user_id = ? AND status = 'ACTIF' AND role IN {})",
      kManagerRoles);
  std::vector<SqlArg> args{me};
  if (Field(body, "idStructureCPP") || Field(body, "identifiantStructure")) {
    int64_t id = ResolveStructure(body, "idStructureCPP");
    if (!IsManager(me, id))
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
                                   where, args, OrderBy(paging, kAttachmentOrder));
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
  if (!IsManager(me, structure))
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
  Structure s = LoadStructure(structure);
  SendMail(login,
           fmt::format("Chorus Pro : demande de rattachement {} à {}",
                       approve ? "validée" : "refusée", s.raison_sociale),
           fmt::format("Bonjour {},\n\nVotre demande de rattachement n° {} à la structure {} ({} "
                       "{}) a été {}.\n{}",
                       who, request, s.raison_sociale, s.type, s.identifiant,
                       approve ? "validée" : "refusée",
                       comment.empty() ? "" : "Commentaire du gestionnaire : " + comment + "\n"),
           approve ? "RATTACHEMENT_VALIDE" : "RATTACHEMENT_REFUSE");
  tx.Commit();
  Json out{{"idDemandeRattachement", request},
           {"idStructureCPP", structure},
           {"statut", new_status},
           {"commentaire", comment}};
  if (approve) out["roleUtilisateur"] = role;
  return out;
}

// ------------------------------------------------------------------ admin ---

Json Portal::Mails(const std::string& to) {
  std::lock_guard lock(mu_);
  auto q = to.empty()
               ? db_->Query("SELECT id, recipient, subject, body, kind, token, link, created_at "
                            "FROM mails ORDER BY id")
               : db_->Query("SELECT id, recipient, subject, body, kind, token, link, created_at "
                            "FROM mails WHERE recipient = ? ORDER BY id",
                            Lower(to));
  Json list = Json::array();
  while (q->Step()) {
    Json m{{"id", q->Int(0)},     {"to", q->Text(1)},   {"subject", q->Text(2)},
           {"body", q->Text(3)},  {"type", q->Text(4)}, {"date", IsoTime(q->Int(7))}};
    if (!q->Text(5).empty()) m["jetonActivation"] = q->Text(5);
    if (!q->Text(6).empty()) m["lienActivation"] = q->Text(6);
    list.push_back(std::move(m));
  }
  return list;
}

Json Portal::RequestsCreated() {
  std::lock_guard lock(mu_);
  auto q = db_->Query("SELECT u.login, s.identifiant, COUNT(*) FROM attachments a JOIN users u ON "
                      "u.id = a.user_id JOIN structures s ON s.id = a.structure_id WHERE "
                      "a.via_request = 1 AND a.id NOT IN (SELECT request_id FROM demo_requests) "
                      "GROUP BY a.user_id, a.structure_id ORDER BY u.login, s.identifiant");
  Json list = Json::array();
  while (q->Step())
    list.push_back(
        Json{{"login", q->Text(0)}, {"identifiantStructure", q->Text(1)}, {"count", q->Int(2)}});
  return list;
}

void Portal::SeedDemo(int farms, const std::string& data_dir, int pending_requests) {
  std::lock_guard lock(mu_);
  int64_t now = clock_.Now();
  SeedDemoWorld(*db_, now, farms, data_dir);
  if (pending_requests > 0) SeedDemoRequests(pending_requests, now);
}

// The first demo account's farm receives a request from each of the next
// `count` demo accounts, made as the request route makes them (pending, dated
// now, the farm's managers told by mail). Each account's request is seeded
// once per data directory (table demo_requests): a restart, even after the
// request was decided, makes no other; a larger count adds the missing ones.
// An account already attached to that farm, or with a request pending there,
// is left alone. Seeded requests are not counted in /_sandbox/stats.
void Portal::SeedDemoRequests(int count, int64_t now) {
  std::vector<std::pair<int64_t, int64_t>> requesters;  // demo number, user id
  int64_t farm = 0;
  {
    auto q = db_->Query("SELECT d.n, d.structure_id, u.id FROM demo_accounts d JOIN users u ON "
                        "u.login = d.login ORDER BY d.n LIMIT ?",
                        static_cast<int64_t>(count) + 1);
    if (!q->Step()) return;
    farm = q->Int(1);
    while (q->Step()) requesters.emplace_back(q->Int(0), q->Int(2));
  }
  Transaction tx(*db_);
  for (const auto& [n, user] : requesters) {
    if (db_->Query("SELECT 1 FROM demo_requests WHERE n = ?", n)->Step()) continue;
    if (db_->Query("SELECT 1 FROM attachments WHERE user_id = ? AND structure_id = ? AND status "
                   "IN ('EN_ATTENTE','ACTIF')",
                   user, farm)
            ->Step())
      continue;
    int64_t request = CreateRequest(user, farm, now);
    db_->Query("INSERT INTO demo_requests(n, request_id) VALUES(?,?)", n, request)->Run();
  }
  tx.Commit();
}

}  // namespace sandbox
