#include "schema.h"

#include <string>

#include "db.h"
#include "services.h"

namespace sandbox {

namespace {

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
  nom TEXT NOT NULL DEFAULT '', prenom TEXT NOT NULL DEFAULT '',
  adresse TEXT NOT NULL DEFAULT '', code_postal TEXT NOT NULL DEFAULT '',
  ville TEXT NOT NULL DEFAULT '', pays TEXT NOT NULL DEFAULT 'FR',
  telephone TEXT NOT NULL DEFAULT '',
  est_cg INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
  UNIQUE(type_identifiant, identifiant));
CREATE TABLE IF NOT EXISTS spaces(
  structure_id INTEGER NOT NULL REFERENCES structures(id), code TEXT NOT NULL,
  opened_at INTEGER NOT NULL, PRIMARY KEY(structure_id, code)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS services(
  id INTEGER PRIMARY KEY,
  structure_id INTEGER NOT NULL REFERENCES structures(id),
  code TEXT NOT NULL, nom TEXT NOT NULL, description TEXT NOT NULL DEFAULT '',
  actif INTEGER NOT NULL DEFAULT 1,
  created_at INTEGER NOT NULL, ended_at INTEGER,
  UNIQUE(structure_id, code));
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

// Columns added since the first data directories were made.
void AddMissingColumns(Db& db) {
  for (const char* column : {"nom", "prenom"})
    if (!db.Query("SELECT 1 FROM pragma_table_info('structures') WHERE name = ?", column)->Step())
      db.Exec(std::string("ALTER TABLE structures ADD COLUMN ") + column +
              " TEXT NOT NULL DEFAULT ''");
}

}  // namespace

void CreateSchema(Db& db) {
  db.Exec(kSchema);
  AddMissingColumns(db);
  // Structures made before services existed get the default one, so that
  // every structure has at least one service.
  AddDefaultServices(db);
}

}  // namespace sandbox
