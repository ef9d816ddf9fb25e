#include "seed.h"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <utility>
#include <vector>

#include "chorus/text.h"
#include "credentials.h"
#include "attachments.h"
#include "db.h"
#include "portal.h"
#include "services.h"
#include "siret.h"

namespace sandbox {

using chorus::Lower;

namespace {

constexpr std::array kForms = {"GAEC", "EARL", "SCEA", "EARL", "GAEC", "SARL", "EI", "SCEA"};
constexpr std::array kFamilies = {
    "Martin",  "Bernard", "Dubois",   "Thomas",   "Robert",  "Richard", "Petit",   "Durand",
    "Leroy",   "Moreau",  "Simon",    "Laurent",  "Lefebvre", "Michel", "Garcia",  "David",
    "Bertrand", "Roux",   "Vincent",  "Fournier", "Morel",   "Girard",  "Andre",   "Mercier",
    "Blanc",   "Guerin",  "Boyer",    "Garnier",  "Chevalier", "Legrand", "Gauthier", "Perrin",
    "Robin",   "Clement", "Morin",    "Nicolas",  "Henry",   "Roussel", "Mathieu", "Lemaire"};
constexpr std::array kFirstNames = {"Jean",     "Marie",   "Pierre",    "Anne",     "Louis",
                                    "Claire",   "Michel",  "Sophie",    "Alain",    "Isabelle",
                                    "Bernard",  "Catherine", "Philippe", "Nathalie", "Francois",
                                    "Sylvie",   "Patrick", "Christine", "Eric",     "Valerie"};
constexpr std::array kPlaces = {"des Tilleuls",   "du Moulin",      "de la Vallée",
                                "des Trois Chênes", "du Grand Pré",   "de la Source",
                                "des Peupliers",  "du Bois Joli",   "de Beauregard",
                                "de la Croix Blanche", "des Vignes", "du Haut Champ",
                                "de la Motte",    "des Landes",     "du Pont Neuf"};
struct Commune {
  const char* name;
  const char* postcode;
};
constexpr std::array<Commune, 36> kCommunes = {{
    {"Chartres", "28000"},      {"Bonneval", "28800"},      {"Châteaudun", "28200"},
    {"Nogent-le-Rotrou", "28400"}, {"Beauvais", "60000"},   {"Laon", "02000"},
    {"Saint-Quentin", "02100"}, {"Amiens", "80000"},        {"Abbeville", "80100"},
    {"Évreux", "27000"},        {"Alençon", "61000"},       {"Lisieux", "14100"},
    {"Saint-Lô", "50000"},      {"Vitré", "35500"},         {"Pontivy", "56300"},
    {"Quimper", "29000"},       {"Cholet", "49300"},        {"Laval", "53000"},
    {"Le Mans", "72000"},       {"Niort", "79000"},         {"Aurillac", "15000"},
    {"Rodez", "12000"},         {"Auch", "32000"},          {"Mont-de-Marsan", "40000"},
    {"Agen", "47000"},          {"Cahors", "46000"},        {"Montauban", "82000"},
    {"Albi", "81000"},          {"Carpentras", "84200"},    {"Valence", "26000"},
    {"Bourg-en-Bresse", "01000"}, {"Mâcon", "71000"},       {"Chaumont", "52000"},
    {"Épinal", "88000"},        {"Verdun", "55100"},        {"Troyes", "10000"},
}};

void WriteAccountsFile(Db& db, const std::string& data_dir) {
  nlohmann::json accounts = nlohmann::json::array();
  auto q = db.Query("SELECT siret, structure_id, designation, login, password, tic_open FROM "
                    "demo_accounts ORDER BY n");
  while (q->Step())
    accounts.push_back({{"siret", q->Text(0)},
                        {"idStructureCPP", q->Int(1)},
                        {"designation", q->Text(2)},
                        {"login", q->Text(3)},
                        {"password", q->Text(4)},
                        {"ticSpaceOpen", q->Int(5) != 0}});
  std::string path = data_dir + "/demo-accounts.json";
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << accounts.dump(2) << "\n";
    if (!out) throw std::runtime_error("cannot write " + tmp);
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace

void SeedDemoWorld(Db& db, int64_t now, int farms, const std::string& data_dir) {
  int64_t existing = 0;
  {
    auto q = db.Query("SELECT COALESCE(MAX(n), 0) FROM demo_accounts");
    q->Step();
    existing = q->Int(0);
  }
  // Seeded passwords are published in demo-accounts.json, so a slow hash would
  // protect nothing: argon2id at its minimum cost keeps 2,000 farms to well
  // under a second. Verification reads the cost from each hash string.
  std::string answer_hash = HashSecret("demo", HashCost::kMin);
  Transaction tx(db);
  for (int64_t n = existing + 1; n <= farms; ++n) {
    auto i = static_cast<size_t>(n);
    std::string siret = DemoSiret(static_cast<uint32_t>(n));
    std::string family = kFamilies[(i * 7) % kFamilies.size()];
    std::string family2 = kFamilies[(i * 13 + 5) % kFamilies.size()];
    std::string first = kFirstNames[(i * 3) % kFirstNames.size()];
    std::string form = kForms[i % kForms.size()];
    std::string place = kPlaces[(i / 3 * 7) % kPlaces.size()];
    const Commune& commune = kCommunes[(i * 17) % kCommunes.size()];
    std::string designation;
    switch (i % 3) {
      case 0: designation = fmt::format("{} {}", form, place); break;
      case 1: designation = fmt::format("{} {}", form, family); break;
      default: designation = fmt::format("{} {}-{}", form, family, family2); break;
    }
    std::string login = Lower(fmt::format("{}.{}.{:04}@demo-exploitation.example", first, family, n));
    std::string password = fmt::format("Demo-{}-Tic9", RandomHex(6));
    bool tic_open = n % 10 != 3;  // about one farm in ten has not opened the TIC space
    db.Query("INSERT OR IGNORE INTO structures(identifiant, type_identifiant, raison_sociale, "
             "email, adresse, code_postal, ville, pays, created_at, updated_at) "
             "VALUES(?,'SIRET',?,?,?,?,?,'FR',?,?)",
             siret, designation, login, fmt::format("Lieu-dit {}", place), commune.postcode,
             commune.name, now, now)
        ->Run();
    if (db.Changes() == 0) continue;  // this SIRET was created by someone else; skip it
    int64_t structure = db.LastInsertId();
    db.Query("INSERT OR IGNORE INTO users(login, nom, prenom, deposer_demandes_paiement, "
             "password_hash, secret_question, secret_answer_hash, created_at, activated_at) "
             "VALUES(?,?,?,1,?,'Nom de votre première ferme ?',?,?,?)",
             login, family, first, HashSecret(password, HashCost::kMin), answer_hash, now, now)
        ->Run();
    if (db.Changes() == 0) continue;
    int64_t user = db.LastInsertId();
    db.Query("INSERT INTO attachments(user_id, structure_id, role, status, via_request, created_at, "
             "decided_at) VALUES(?,?,'GESTIONNAIRE_PRINCIPAL','ACTIF',0,?,?)",
             user, structure, now, now)
        ->Run();
    db.Query("INSERT INTO spaces(structure_id, code, opened_at) VALUES(?,'FACTURES_EMISES',?)",
             structure, now)
        ->Run();
    // Every farm has the default service; one in three also a service for
    // its accounts, and one in six a closed one (statutService INACTIF).
    AddDefaultService(db, structure, now);
    if (n % 3 == 0)
      AddService(db, structure, "COMPTABILITE", "Comptabilité", "Factures et pièces comptables.",
                 now);
    if (n % 6 == 0)
      AddService(db, structure, "ANCIEN_SITE", "Ancien site d'exploitation",
                 "Site cédé ; service fermé.", now, false);
    if (tic_open)
      db.Query("INSERT INTO spaces(structure_id, code, opened_at) "
               "VALUES(?,'DEMANDE_REMBOURSEMENT_TIC',?)",
               structure, now)
          ->Run();
    db.Query("INSERT INTO demo_accounts(n, siret, structure_id, designation, login, password, "
             "tic_open) VALUES(?,?,?,?,?,?,?)",
             n, siret, structure, designation, login, password, tic_open)
        ->Run();
  }
  tx.Commit();
  WriteAccountsFile(db, data_dir);
}

void SeedDemoRequests(Db& db, int count, int64_t now) {
  std::vector<std::pair<int64_t, int64_t>> requesters;  // demo number, user id
  int64_t farm = 0;
  {
    auto q = db.Query("SELECT d.n, d.structure_id, u.id FROM demo_accounts d JOIN users u ON "
                      "u.login = d.login ORDER BY d.n LIMIT ?",
                      static_cast<int64_t>(count) + 1);
    if (!q->Step()) return;
    farm = q->Int(1);
    while (q->Step()) requesters.emplace_back(q->Int(0), q->Int(2));
  }
  Transaction tx(db);
  for (const auto& [n, user] : requesters) {
    if (db.Query("SELECT 1 FROM demo_requests WHERE n = ?", n)->Step()) continue;
    if (db.Query("SELECT 1 FROM attachments WHERE user_id = ? AND structure_id = ? AND status "
                 "IN ('EN_ATTENTE','ACTIF')",
                 user, farm)
            ->Step())
      continue;
    int64_t request = CreateAttachmentRequest(db, user, farm, now);
    db.Query("INSERT INTO demo_requests(n, request_id) VALUES(?,?)", n, request)->Run();
  }
  tx.Commit();
}

void Portal::SeedDemo(int farms, const std::string& data_dir, int pending_requests) {
  std::lock_guard lock(mu_);
  int64_t now = clock_.Now();
  SeedDemoWorld(*db_, now, farms, data_dir);
  if (pending_requests > 0) SeedDemoRequests(*db_, pending_requests, now);
}

}  // namespace sandbox
