// The sandbox's authorisation matrix (issue 7, part 4): every route of
// docs/sandbox-api.md called as each class of caller, each answer checked
// against the contract, and the database compared before and after every call
// that must not change it.
#include <arpa/inet.h>
#include <doctest/doctest.h>
#include <fmt/format.h>
#include <ifaddrs.h>
#include <netinet/in.h>
#include <signal.h>
#include <sqlite3.h>

#include <array>
#include <chrono>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "sandbox_client.h"
#include "support/process.h"

using sbtest::Json;
using sbtest::Login;
using sbtest::Portal;

namespace {

constexpr long kEpoch = 1700000000;
constexpr long kTokenTtl = 600;

// ------------------------------------------------------------ callers ---

enum Caller { kAnonymous, kWrongSecret, kExpired, kLocked, kUser, kOtherManager, kManager, kCallers };
const std::array<const char*, kCallers> kCallerNames = {
    "anonymous", "wrong client secret", "expired token", "locked user L",
    "plain user U", "manager N of another structure", "manager M of the structure"};

// ------------------------------------------------------ expected cells ---

// The expected answer of one (route, caller): HTTP status and codeRetour
// (0 = success). OAuth errors of the token endpoint have no envelope: their
// `error` string is checked instead.
struct Cell {
  int http;
  int code;
  const char* oauth_error = nullptr;
};
constexpr Cell OK{200, 0};
constexpr Cell NO_TOKEN{401, 10001};      // SBX_AUTH_JETON_ABSENT
constexpr Cell BAD_TOKEN{401, 10002};     // SBX_AUTH_JETON_INCONNU
constexpr Cell EXPIRED{401, 10003};       // SBX_AUTH_JETON_EXPIRE
constexpr Cell LOCKED{401, 20005};        // SBX_COMPTE_BLOQUE (PISTE: 401)
constexpr Cell NOT_MANAGER{403, 50001};   // SBX_NON_GESTIONNAIRE
constexpr Cell NOT_ALLOWED{403, 50002};   // SBX_ACCES_REFUSE
constexpr Cell ATTACHED{409, 70002};      // SBX_DEJA_RATTACHE
constexpr Cell INVALID_CLIENT{401, -1, "invalid_client"};

enum Kind { kRead, kWrite };  // a successful write must change the database

struct Row {
  const char* method;
  const char* path;
  Kind kind;
  std::array<Cell, kCallers> expected;
};

// The contract, endpoint by endpoint. Bodies: MatrixWorld::Body().
// U is ACTIF UTILISATEUR on S; M manages S; N manages T only; L is locked.
// Targets: structure S, requests R1 (valider) and R2 (refuser) pending on S,
// U's attachments on S (lister), a fresh e-mail/SIRET (creer), a fresh
// activation link (activer) per caller.
// clang-format off
const std::vector<Row> kMatrix = {
  //                                                                          anonymous       wrong secret    expired        locked L  user U       manager N    manager M
  {"POST", "/api/oauth/token",                                     kRead,  {INVALID_CLIENT, INVALID_CLIENT, OK,            OK,       OK,          OK,          OK}},
  {"GET",  "/activation",                                          kRead,  {OK,             OK,             OK,            OK,       OK,          OK,          OK}},
  {"GET",  "/cpro/transverses/v1/health-check",                    kRead,  {NO_TOKEN,       BAD_TOKEN,      EXPIRED,       LOCKED,   OK,          OK,          OK}},
  {"POST", "/cpro/transverses/v1/recuperer/typeidentifiant/structure", kRead, {NO_TOKEN,    BAD_TOKEN,      EXPIRED,       LOCKED,   OK,          OK,          OK}},
  // Structures where the caller may use a space: any account (an empty list is an answer).
  {"POST", "/cpro/transverses/v1/recuperer/structures/actives/fournisseur", kRead, {NO_TOKEN, BAD_TOKEN,   EXPIRED,       LOCKED,   OK,          OK,          OK}},
  {"POST", "/cpro/transverses/v1/recuperer/structures/actives/destinataire", kRead, {NO_TOKEN, BAD_TOKEN,  EXPIRED,       LOCKED,   OK,          OK,          OK}},
  {"POST", "/cpro/transverses/v1/recuperer/structures/actives/facturetravaux", kRead, {NO_TOKEN, BAD_TOKEN, EXPIRED,      LOCKED,   OK,          OK,          OK}},
  {"POST", "/cpro/transverses/v1/consulter/information/siret",     kRead,  {NO_TOKEN,       BAD_TOKEN,      EXPIRED,       LOCKED,   OK,          OK,          OK}},
  {"POST", "/cpro/structures/v1/rechercher",                       kRead,  {NO_TOKEN,       BAD_TOKEN,      EXPIRED,       LOCKED,   OK,          OK,          OK}},
  {"POST", "/cpro/structures/v1/consulter",                        kRead,  {NO_TOKEN,       BAD_TOKEN,      EXPIRED,       LOCKED,   OK,          OK,          OK}},
  // A structure's services: the users attached to it (U, M), not N.
  {"POST", "/cpro/structures/v1/rechercher/services",              kRead,  {NO_TOKEN,       BAD_TOKEN,      EXPIRED,       LOCKED,   OK,          NOT_ALLOWED, OK}},
  {"POST", "/cpro/structures/v1/consulter/service",                kRead,  {NO_TOKEN,       BAD_TOKEN,      EXPIRED,       LOCKED,   OK,          NOT_ALLOWED, OK}},
  {"POST", "/cpro/structures/v1/modifier",                         kWrite, {NO_TOKEN,       BAD_TOKEN,      EXPIRED,       LOCKED,   NOT_MANAGER, NOT_MANAGER, OK}},
  {"POST", "/cpro/structures/v1/ajouter/espace",                   kWrite, {NO_TOKEN,       BAD_TOKEN,      EXPIRED,       LOCKED,   NOT_MANAGER, NOT_MANAGER, OK}},
  {"POST", "/cpro/structures/v1/supprimer/espace",                 kWrite, {NO_TOKEN,       BAD_TOKEN,      EXPIRED,       LOCKED,   NOT_MANAGER, NOT_MANAGER, OK}},
  {"POST", "/cpro/structures/v1/lister/rattachementsutilisateur",  kRead,  {NO_TOKEN,       BAD_TOKEN,      EXPIRED,       LOCKED,   OK,          NOT_ALLOWED, OK}},
  {"POST", "/cpro/structures/v1/rechercher/demandesRattachement/enAttente", kRead, {NO_TOKEN, BAD_TOKEN,    EXPIRED,       LOCKED,   NOT_MANAGER, NOT_MANAGER, OK}},
  {"POST", "/cpro/structures/v1/valider/rattachement",             kWrite, {NO_TOKEN,       BAD_TOKEN,      EXPIRED,       LOCKED,   NOT_MANAGER, NOT_MANAGER, OK}},
  {"POST", "/cpro/structures/v1/refuser/rattachement",             kWrite, {NO_TOKEN,       BAD_TOKEN,      EXPIRED,       LOCKED,   NOT_MANAGER, NOT_MANAGER, OK}},
  // Bearer only: the cpro-account header (even a locked account's) is not read.
  {"POST", "/cpro/utilisateurs/v1/creer/compte",                   kWrite, {NO_TOKEN,       BAD_TOKEN,      EXPIRED,       OK,       OK,          OK,          OK}},
  {"POST", "/cpro/utilisateurs/v1/activer/compte",                 kWrite, {NO_TOKEN,       BAD_TOKEN,      EXPIRED,       OK,       OK,          OK,          OK}},
  {"POST", "/cpro/utilisateurs/v1/monCompte/consulter",            kRead,  {NO_TOKEN,       BAD_TOKEN,      EXPIRED,       LOCKED,   OK,          OK,          OK}},
  {"POST", "/cpro/utilisateurs/v1/monCompte/recuperer/rattachements", kRead, {NO_TOKEN,     BAD_TOKEN,      EXPIRED,       LOCKED,   OK,          OK,          OK}},
  // Asking to join S: U and M are already attached (nothing is created); N may ask.
  {"POST", "/cpro/utilisateurs/v1/monCompte/demander/rattachement", kWrite, {NO_TOKEN,      BAD_TOKEN,      EXPIRED,       LOCKED,   ATTACHED,    OK,          ATTACHED}},
  {"POST", "/cpro/utilisateurs/v1/monCompte/recuperer/demandesRattachement", kRead, {NO_TOKEN, BAD_TOKEN,   EXPIRED,       LOCKED,   OK,          OK,          OK}},
  // Admin routes need no credentials; every caller here is on the loopback
  // (non-loopback callers: see the next test case).
  {"GET",  "/_sandbox/mail",                                       kRead,  {OK,             OK,             OK,            OK,       OK,          OK,          OK}},
  {"GET",  "/_sandbox/stats",                                      kRead,  {OK,             OK,             OK,            OK,       OK,          OK,          OK}},
  {"GET",  "/_sandbox/routes",                                     kRead,  {OK,             OK,             OK,            OK,       OK,          OK,          OK}},
  {"GET",  "/_sandbox/clock",                                      kRead,  {OK,             OK,             OK,            OK,       OK,          OK,          OK}},
  {"POST", "/_sandbox/clock",                                      kRead,  {OK,             OK,             OK,            OK,       OK,          OK,          OK}},
};
// clang-format on

// ------------------------------------------------- the contract's table ---

struct DocError {
  int http;
  std::string libelle;
};

// The error table of docs/sandbox-api.md: | codeRetour | `libelle` | HTTP | meaning |
std::map<int, DocError> DocumentedErrors() {
  std::ifstream in(std::string(CHORUS_SOURCE_DIR) + "/docs/sandbox-api.md");
  std::map<int, DocError> out;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("| ", 0) != 0) continue;
    std::vector<std::string> cells;
    std::istringstream row(line.substr(1));
    for (std::string cell; std::getline(row, cell, '|');) {
      auto b = cell.find_first_not_of(" `"), e = cell.find_last_not_of(" `");
      cells.push_back(b == std::string::npos ? "" : cell.substr(b, e - b + 1));
    }
    if (cells.size() < 3 || cells[0].empty() ||
        cells[0].find_first_not_of("0123456789") != std::string::npos ||
        cells[2].find_first_not_of("0123456789") != std::string::npos || cells[2].empty())
      continue;
    out[std::stoi(cells[0])] = {std::stoi(cells[2]), cells[1]};
  }
  return out;
}

// ------------------------------------------------- database snapshots ---

// Every table of DIR/sandbox.db in a canonical order (tables by name, rows by
// all their columns), read through a separate read-only connection (WAL: the
// server may write meanwhile; each snapshot is one read transaction).
std::string DumpDatabase(const std::string& path) {
  sqlite3* db = nullptr;
  std::string uri = "file:" + path + "?mode=ro";
  int rc = sqlite3_open_v2(uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
  REQUIRE_MESSAGE(rc == SQLITE_OK, sqlite3_errmsg(db));
  sqlite3_busy_timeout(db, 5000);
  auto prepare = [&](const std::string& sql) {
    sqlite3_stmt* st = nullptr;
    int prc = sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr);
    REQUIRE_MESSAGE(prc == SQLITE_OK, sql << ": " << sqlite3_errmsg(db));
    return st;
  };
  REQUIRE(sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) == SQLITE_OK);
  std::vector<std::string> tables;
  {
    sqlite3_stmt* st = prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name");
    while (sqlite3_step(st) == SQLITE_ROW)
      tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
  }
  std::string out;
  for (const auto& table : tables) {
    // Excluded: access_tokens. Issuing an OAuth token (a successful token
    // request by any caller) inserts a row and purges day-old ones; it is the
    // PISTE layer, not business state, and the matrix checks token refusals by
    // their answers. Nothing else is excluded: the business tables (users,
    // structures, spaces, attachments, activation_tokens, mails, meta,
    // demo_accounts) are compared whole, including users.failed_attempts and
    // users.locked_until, because no call of the matrix sends a wrong password
    // (the one documented change a refused call makes: it counts towards the
    // lockout); a refused call that reset or extended L's lock is a bug.
    // Call statistics (/_sandbox/stats callsByPath) live in memory, not here.
    if (table == "access_tokens") continue;
    sqlite3_stmt* probe = prepare(fmt::format("SELECT * FROM \"{}\"", table));
    int columns = sqlite3_column_count(probe);
    std::string order;
    for (int i = 1; i <= columns; ++i) order += (i > 1 ? "," : "") + std::to_string(i);
    sqlite3_finalize(probe);
    sqlite3_stmt* st = prepare(fmt::format("SELECT * FROM \"{}\" ORDER BY {}", table, order));
    out += "[" + table + "]\n";
    while (sqlite3_step(st) == SQLITE_ROW) {
      for (int i = 0; i < columns; ++i) {
        const unsigned char* text = sqlite3_column_text(st, i);
        out += fmt::format("{}{}={}", i ? "|" : "", sqlite3_column_name(st, i),
                           text ? reinterpret_cast<const char*>(text) : "NULL");
      }
      out += "\n";
    }
    sqlite3_finalize(st);
  }
  sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
  sqlite3_close(db);
  return out;
}

// First differing line of two dumps, for the failure message.
std::string FirstDifference(const std::string& a, const std::string& b) {
  std::istringstream x(a), y(b);
  std::string la, lb;
  while (true) {
    bool ga = static_cast<bool>(std::getline(x, la)), gb = static_cast<bool>(std::getline(y, lb));
    if (!ga && !gb) return "(identical)";
    if (!ga || !gb || la != lb) return "before: " + (ga ? la : "<end>") + "\nafter:  " + (gb ? lb : "<end>");
  }
}

// ------------------------------------------------------------- the world ---

struct MatrixWorld {
  Portal p{{"--seed", "demo", "--farms", "3", "--fake-clock", std::to_string(kEpoch),
            "--token-ttl", std::to_string(kTokenTtl)}};
  std::string db_path = p.process().data_dir() + "/sandbox.db";
  std::string expired_token, token;
  Login M, N, L, U;
  std::string siret_s, siret_t;
  long long s_id = 0, t_id = 0, r1 = 0, r2 = 0;
  long long s_service = 0;  // S's default service
  std::array<std::string, kCallers> activation_links;  // one pending link per caller

  MatrixWorld() {
    // The expired token first: it is issued at EPOCH, then the clock moves
    // past its lifetime; everything else is made afterwards.
    expired_token = p.Token();
    Advance(kTokenTtl + 1);

    Json accounts;
    std::ifstream accounts_file(p.process().data_dir() + "/demo-accounts.json");
    accounts_file >> accounts;
    REQUIRE(accounts.size() == 3);
    auto login = [&](int i) {
      return Login{accounts[i]["login"].get<std::string>(), accounts[i]["password"].get<std::string>()};
    };
    M = login(0);
    N = login(1);
    L = login(2);
    siret_s = accounts[0]["siret"];
    siret_t = accounts[1]["siret"];
    s_id = accounts[0]["idStructureCPP"];
    t_id = accounts[1]["idStructureCPP"];

    // U: signed up on S (2b), activated, validated by M as a plain user.
    auto [u, u_request] = p.CreateRequester("u@authz.example", siret_s);
    U = u;
    auto ok = p.Call("/structures/v1/valider/rattachement", {{"idDemandeRattachement", u_request}}, M);
    REQUIRE_MESSAGE(ok.status == 200, ok.body);
    // R1, R2: pending requests on S.
    r1 = p.CreateRequester("r1@authz.example", siret_s).second;
    r2 = p.CreateRequester("r2@authz.example", siret_s).second;
    // One account awaiting activation per caller (2a, each its structure).
    for (int c = 0; c < kCallers; ++c) {
      std::string email = fmt::format("act{}@authz.example", c);
      auto r = p.Call("/utilisateurs/v1/creer/compte",
                      p.SignUpBody(email, sbtest::TestSiret(800 + c), fmt::format("Activable {}", c)));
      REQUIRE_MESSAGE(r.status == 200, r.body);
      activation_links[c] = p.ActivationToken(email);
    }
    // L: 5 wrong passwords lock it; then even the right one is refused.
    for (int i = 0; i < 5; ++i)
      REQUIRE(p.Call("/utilisateurs/v1/monCompte/consulter", {}, Login{L.login, "Wrong-password1!"})
                  .code() == 20003);
    REQUIRE(p.Call("/utilisateurs/v1/monCompte/consulter", {}, L).code() == 20005);
    // Sanity of the world: U is an active UTILISATEUR of S; N manages T.
    Json u_att = p.Call("/utilisateurs/v1/monCompte/recuperer/rattachements", {}, U).json();
    REQUIRE(u_att["listeStructureRattachement"].size() == 1);
    REQUIRE(u_att["listeStructureRattachement"][0]["idStructure"] == s_id);
    REQUIRE(u_att["listeStructureRattachement"][0]["roleUtilisateur"] == "UTILISATEUR");
    Json n_att = p.Call("/utilisateurs/v1/monCompte/recuperer/rattachements", {}, N).json();
    REQUIRE(n_att["listeStructureRattachement"].size() == 1);
    REQUIRE(n_att["listeStructureRattachement"][0]["idStructure"] == t_id);
    REQUIRE(n_att["listeStructureRattachement"][0]["roleUtilisateur"] == "GESTIONNAIRE_PRINCIPAL");
    Json services = p.Call("/structures/v1/rechercher/services", {{"idStructure", s_id}}, M).json();
    REQUIRE(services["listeServices"].size() == 1);
    s_service = services["listeServices"][0]["idService"];
  }

  // Moves the fake clock; the access token is renewed (its lifetime is short).
  void Advance(long seconds) {
    auto r = p.http().Post(p.url() + "/_sandbox/clock", Json{{"advanceSeconds", seconds}}.dump());
    REQUIRE_MESSAGE(r.status == 200, r.body);
    token = p.Token();
  }

  // POST /cpro<path> with the current token and, if given, a cpro-account.
  sbtest::Response As(const std::string& path, const Json& body, const Login* as = nullptr) {
    std::vector<std::string> headers = {"Authorization: Bearer " + token,
                                        "Content-Type: application/json;charset=utf-8"};
    if (as) headers.push_back("cpro-account: " + sbtest::Base64(as->login + ":" + as->password));
    return p.http().Post(p.url() + "/cpro" + path, body.dump(), headers);
  }

  // The request body of each route; it would succeed for the manager M, so a
  // refusal is due to the caller alone.
  Json Body(const std::string& path, Caller c) {
    const std::string who = kCallerNames[c];
    if (path == "/cpro/structures/v1/rechercher")
      return {{"structure", {{"identifiantStructure", siret_s}}}};
    if (path == "/cpro/structures/v1/consulter") return {{"idStructureCPP", s_id}};
    if (path == "/cpro/structures/v1/rechercher/services") return {{"idStructure", s_id}};
    if (path == "/cpro/structures/v1/consulter/service")
      return {{"idStructure", s_id}, {"idService", s_service}, {"codeLangue", "FR"}};
    if (path == "/cpro/transverses/v1/consulter/information/siret") return {{"siretStructure", siret_s}};
    if (path == "/cpro/structures/v1/modifier")
      return {{"idStructureCPP", s_id}, {"raisonSocialeStructure", "Modifiée par " + who}};
    if (path == "/cpro/structures/v1/ajouter/espace")
      return {{"idStructureCPP", s_id}, {"codeEspace", "FACTURES_RECUES"}};
    if (path == "/cpro/structures/v1/supprimer/espace")
      return {{"idStructureCPP", s_id}, {"codeEspace", "FACTURES_EMISES"}};
    if (path == "/cpro/structures/v1/lister/rattachementsutilisateur")
      return {{"adresseEmailConnexionUtilisateur", U.login}, {"idStructure", s_id}};
    if (path == "/cpro/structures/v1/rechercher/demandesRattachement/enAttente")
      return {{"idStructureCPP", s_id}};
    if (path == "/cpro/structures/v1/valider/rattachement") return {{"idDemandeRattachement", r1}};
    if (path == "/cpro/structures/v1/refuser/rattachement")
      return {{"idDemandeRattachement", r2}, {"commentaire", "Refus par " + who}};
    if (path == "/cpro/utilisateurs/v1/creer/compte")
      return p.SignUpBody(fmt::format("new{}@authz.example", static_cast<int>(c)),
                          sbtest::TestSiret(900 + c), "Nouvelle " + who);
    if (path == "/cpro/utilisateurs/v1/activer/compte")
      return {{"jetonActivation", activation_links[c]},
              {"motDePasse", sbtest::kGoodPassword},
              {"questionSecrete", "Ville natale ?"},
              {"reponseSecrete", "Chartres"}};
    if (path == "/cpro/utilisateurs/v1/monCompte/demander/rattachement")
      return {{"idStructureCPP", s_id}};
    if (path == "/_sandbox/clock") return {{"advanceSeconds", 1}};  // 0 would be "absent"
    return Json::object();
  }

  sbtest::Response Send(const Row& row, Caller c) {
    const std::string path = row.path;
    std::string body, url = p.url() + path;
    std::vector<std::string> headers;
    if (path == "/api/oauth/token") {
      headers = {"Content-Type: application/x-www-form-urlencoded"};
      body = "grant_type=client_credentials";
      if (c == kWrongSecret) body += "&client_id=sandbox&client_secret=not-the-secret";
      else if (c != kAnonymous) body += "&client_id=sandbox&client_secret=sandbox";
      return p.http().Post(url, body, headers);
    }
    // Bearer layer: none, a token the sandbox never issued, an expired one, a valid one.
    if (c == kWrongSecret) headers.push_back("Authorization: Bearer not-issued-0123456789abcdef");
    if (c == kExpired) headers.push_back("Authorization: Bearer " + expired_token);
    if (c >= kLocked) headers.push_back("Authorization: Bearer " + token);
    // cpro-account: the callers with a bad token present M's good credentials,
    // so only the token can be the reason for their refusal.
    const Login* as = c == kAnonymous   ? nullptr
                      : c == kLocked    ? &L
                      : c == kUser      ? &U
                      : c == kOtherManager ? &N
                                        : &M;
    if (as) headers.push_back("cpro-account: " + sbtest::Base64(as->login + ":" + as->password));
    if (path == "/activation") url += "?jeton=" + activation_links[kAnonymous];
    if (std::string(row.method) == "GET") return p.http().Get(url, headers);
    headers.push_back("Content-Type: application/json;charset=utf-8");
    return p.http().Post(url, Body(path, c).dump(), headers);
  }
};

// Looks for a non-loopback IPv4 address of this machine ("" if none).
std::string NonLoopbackAddress() {
  ifaddrs* list = nullptr;
  if (getifaddrs(&list) != 0) return "";
  std::string found;
  for (ifaddrs* i = list; i && found.empty(); i = i->ifa_next) {
    if (!i->ifa_addr || i->ifa_addr->sa_family != AF_INET) continue;
    char buf[INET_ADDRSTRLEN];
    const auto* sin = reinterpret_cast<const sockaddr_in*>(i->ifa_addr);
    if (!inet_ntop(AF_INET, &sin->sin_addr, buf, sizeof buf)) continue;
    if (std::string(buf).rfind("127.", 0) != 0) found = buf;
  }
  freeifaddrs(list);
  return found;
}

}  // namespace

TEST_CASE("authz matrix: every route x every caller gets its documented answer; refusals change nothing") {
  const std::map<int, DocError> doc = DocumentedErrors();
  REQUIRE(doc.size() > 30);
  MatrixWorld w;

  // The matrix covers exactly the routes the server registers (which
  // server_test.cpp proves are exactly the documented ones).
  std::set<std::pair<std::string, std::string>> registered, covered;
  const Json routes = w.p.Admin("/routes").json();
  REQUIRE(routes.contains("routes"));
  for (const auto& r : routes["routes"])
    registered.insert({r["method"].get<std::string>(), r["path"].get<std::string>()});
  for (const auto& row : kMatrix) CHECK_MESSAGE(covered.insert({row.method, row.path}).second, "twice: " << row.path);
  for (const auto& r : registered)
    CHECK_MESSAGE(covered.count(r) == 1, "route missing from the matrix: " << r.first << " " << r.second);
  for (const auto& r : covered)
    CHECK_MESSAGE(registered.count(r) == 1, "not a route of the server: " << r.first << " " << r.second);

  std::string before = DumpDatabase(w.db_path);
  // The snapshot really holds the business state.
  for (const char* table : {"[users]", "[structures]", "[spaces]", "[attachments]", "[activation_tokens]", "[mails]"})
    CHECK_MESSAGE(before.find(table) != std::string::npos, table);
  CHECK(before.find(w.U.login) != std::string::npos);
  CHECK(before.find("access_tokens") == std::string::npos);

  int cells = 0, refusals = 0, successes = 0;
  for (const auto& row : kMatrix) {
    for (int ci = 0; ci < kCallers; ++ci) {
      const Caller c = static_cast<Caller>(ci);
      const Cell& want = row.expected[c];
      const std::string cell = fmt::format("{} {} as {}", row.method, row.path, kCallerNames[c]);
      CAPTURE(cell);
      sbtest::Response r = w.Send(row, c);
      CAPTURE(r.body);
      ++cells;
      REQUIRE(r.curl_code == 0);
      CHECK(r.status == want.http);
      if (want.oauth_error) {  // OAuth style, no envelope
        CHECK(r.json().value("error", "") == want.oauth_error);
        CHECK_FALSE(r.json().contains("codeRetour"));
      } else if (row.path == std::string("/api/oauth/token")) {
        CHECK(r.json().value("token_type", "") == "Bearer");
        CHECK(r.json().value("access_token", "").size() >= 32);
      } else if (want.code == 0) {
        CHECK(r.code() == 0);
        CHECK(r.libelle() == "TRA_MSG_00.000");
      } else {
        CHECK(r.code() == want.code);
        auto it = doc.find(want.code);
        REQUIRE_MESSAGE(it != doc.end(), "code " << want.code << " is not in the doc's error table");
        CHECK(it->second.http == want.http);  // the table above agrees with the doc
        CHECK(r.libelle() == it->second.libelle);
        CHECK_FALSE(r.json().value("message", "").empty());
        if (want.http == 401) CHECK(r.headers.count("www-authenticate") == 1);
      }
      const bool success = want.http == 200;
      success ? ++successes : ++refusals;
      std::string after = DumpDatabase(w.db_path);
      if (row.kind == kWrite && success) {
        CHECK_MESSAGE(after != before, "a successful write left the database unchanged");
      } else {
        CHECK_MESSAGE(after == before, FirstDifference(before, after));
      }
      before = std::move(after);
    }
  }
  MESSAGE(fmt::format("authorisation matrix: {} routes x {} callers = {} cells ({} refused, {} allowed)",
                      kMatrix.size(), static_cast<int>(kCallers), cells, refusals, successes));

  // The successful writes did what they say (so the "nothing changed" checks
  // above compare a state that does move).
  Json s = w.p.Call("/structures/v1/consulter", {{"idStructureCPP", w.s_id}}, w.M).json();
  CHECK(s["informationGenerales"]["raisonSocialeStructure"] == "Modifiée par manager M of the structure");
  std::set<std::string> spaces;
  for (const auto& code : s["extensionSandbox"]["listeEspaces"]) spaces.insert(code.get<std::string>());
  CHECK(spaces.count("FACTURES_RECUES") == 1);
  CHECK(spaces.count("FACTURES_EMISES") == 0);
  Json pending = w.p.Call("/structures/v1/rechercher/demandesRattachement/enAttente", {{"idStructureCPP", w.s_id}}, w.M)
                     .json()["listeDemandesRattachement"];
  REQUIRE(pending.size() == 1);  // R1 validated, R2 refused: only N's new request is left
  CHECK(pending[0]["adresseEmailUtilisateur"] == w.N.login);

  // Beyond the matrix (the timings themselves are tested in auth_test.cpp and
  // signup_test.cpp): these refusals change nothing either.
  before = DumpDatabase(w.db_path);
  auto reused = w.As("/utilisateurs/v1/activer/compte", w.Body("/cpro/utilisateurs/v1/activer/compte", kManager));
  CHECK(reused.status == 409);
  CHECK(reused.code() == 70004);
  CHECK_MESSAGE(DumpDatabase(w.db_path) == before, FirstDifference(before, DumpDatabase(w.db_path)));
  // 59 minutes into L's lock (locked at EPOCH+601): still locked, unchanged.
  w.Advance(59 * 60);
  CHECK(w.As("/utilisateurs/v1/monCompte/consulter", {}, &w.L).code() == 20005);
  CHECK_MESSAGE(DumpDatabase(w.db_path) == before, FirstDifference(before, DumpDatabase(w.db_path)));
  // 61 minutes after they were sent, the unused activation links have expired.
  w.Advance(2 * 60);
  auto expired = w.As("/utilisateurs/v1/activer/compte", w.Body("/cpro/utilisateurs/v1/activer/compte", kAnonymous));
  CHECK(expired.status == 400);
  CHECK(expired.code() == 30009);
  CHECK_MESSAGE(DumpDatabase(w.db_path) == before, FirstDifference(before, DumpDatabase(w.db_path)));
  // And the lock is over: L gets in with its password.
  CHECK(w.As("/utilisateurs/v1/monCompte/consulter", {}, &w.L).status == 200);
  // A clean exit (under the sanitizers: no report either).
  CHECK(w.p.Stop() == 0);
}

TEST_CASE("authz matrix: /_sandbox admin routes answer only loopback callers") {
  std::string address = NonLoopbackAddress();
  if (address.empty()) {
    MESSAGE("no non-loopback IPv4 address on this machine: the 50003 check is skipped");
    return;
  }
  // Listen on every interface (the harness's SandboxProcess pins 127.0.0.1):
  // the same server is then reached from the loopback and from `address`.
  chorus::testing::TempDir dir;
  chorus::testing::BackgroundProcess server({CHORUS_SANDBOX_BIN, "serve", "--listen", "0.0.0.0:0",
                                             "--data", dir.path(), "--fake-clock",
                                             std::to_string(kEpoch)});
  std::string local = server.ReadLine(std::chrono::milliseconds(60'000));
  REQUIRE_MESSAGE(local.rfind("http://127.0.0.1:", 0) == 0, server.StderrSoFar());
  std::string remote = "http://" + address + local.substr(local.rfind(':'));
  sbtest::Http http;
  const auto doc = DocumentedErrors();
  REQUIRE(doc.count(50003) == 1);
  std::string before = DumpDatabase(dir.File("sandbox.db"));
  int checked = 0;
  for (const auto& row : kMatrix) {
    const std::string path = row.path;
    if (path.rfind("/_sandbox/", 0) != 0) continue;
    CAPTURE(path);
    auto r = std::string(row.method) == "GET"
                 ? http.Get(remote + row.path)
                 : http.Post(remote + row.path, Json{{"advanceSeconds", 3600}}.dump());
    REQUIRE(r.curl_code == 0);
    CHECK(r.status == doc.at(50003).http);
    CHECK(r.code() == 50003);
    CHECK(r.libelle() == doc.at(50003).libelle);
    ++checked;
  }
  CHECK(checked == 5);
  // The refused POST /_sandbox/clock did not move the clock; nothing changed.
  auto clock = http.Get(local + "/_sandbox/clock");  // from the loopback: served
  CHECK(clock.status == 200);
  CHECK(clock.json()["epochSeconds"] == kEpoch);
  CHECK(DumpDatabase(dir.File("sandbox.db")) == before);
  // The /cpro routes are not loopback-only: the remote caller reaches the
  // token check.
  auto cpro = http.Post(remote + "/cpro/utilisateurs/v1/monCompte/consulter", "{}");
  CHECK(cpro.status == 401);
  CHECK(cpro.code() == 10001);
  server.Signal(SIGTERM);
  CHECK(server.Wait(std::chrono::milliseconds(10'000)) == 0);
}
