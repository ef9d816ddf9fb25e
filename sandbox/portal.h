// The portal model: accounts, structures, spaces, attachment requests and the
// rules between them, persisted in SQLite (DIR/sandbox.db). Each operation
// takes the JSON request body and returns the JSON response fields (the server
// adds the codeRetour/libelle envelope); rule violations throw ApiError.
// One connection behind one mutex: operations are short, and serialising them
// makes check-then-write rules (one open request per user and structure)
// race-free without SQLITE_BUSY retries.
//
// The operations are defined by domain, one file each: tokens.cpp, auth.cpp,
// accounts.cpp, structures.cpp, spaces.cpp, services.cpp, transverses.cpp,
// attachments.cpp, decisions.cpp, admin.cpp, seed.cpp. What they share is in request.h (reading bodies),
// paging.h (listings), directory.h (look-ups) and outbox.h (mails).
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <nlohmann/json_fwd.hpp>
#include <shared_mutex>
#include <string>
#include <unordered_map>

#include "clock.h"
#include "credentials.h"
#include "db.h"

namespace sandbox {

using Json = nlohmann::json;

class Portal {
 public:
  Portal(const std::string& db_path, Clock& clock, HashCost hash_cost);
  ~Portal();

  void SetBaseUrl(const std::string& url) { base_url_ = url; }
  Clock& clock() { return clock_; }
  // Moves on with every change of the data (see Db::Writes): an answer read
  // with no change of version in between is an answer of that version.
  uint64_t DataVersion() const { return db_->Writes(); }

  // tokens.cpp: PISTE OAuth access tokens (persisted, so they survive a restart).
  std::string IssueAccessToken(const std::string& client_id, int64_t ttl_seconds);
  enum class TokenState { kValid, kUnknown, kExpired };
  TokenState CheckAccessToken(const std::string& token, std::string* client_id);

  // auth.cpp: the cpro-account check, of the header's value (base64 of
  // login:password); returns the user id or throws (403 family).
  int64_t Authenticate(const std::string& cpro_account);

  // accounts.cpp: sign-up and activation (no account yet), and my account.
  Json SignUp(const Json& body);
  Json Activate(const Json& body);
  Json ActivationLinkInfo(const std::string& token);
  Json MyAccount(int64_t me);

  // structures.cpp and spaces.cpp, as user `me`.
  Json SearchStructures(int64_t me, const Json& body);
  Json ConsultStructure(int64_t me, const Json& body);
  Json ModifyStructure(int64_t me, const Json& body);
  Json ChangeSpace(int64_t me, const Json& body, bool open);
  // services.cpp: readable by the users attached to the structure.
  Json SearchServices(int64_t me, const Json& body);
  Json ConsultService(int64_t me, const Json& body);

  // transverses.cpp: the structures where I may use a space
  // (recuperer/structures/actives/...), and the INSEE look-up of a SIRET.
  Json ActiveStructures(int64_t me, const std::string& space);
  Json SiretInformation(int64_t me, const Json& body);

  // attachments.cpp: the user's side; decisions.cpp: the managers' side.
  Json MyAttachments(int64_t me, const Json& body);
  Json ListUserAttachments(int64_t me, const Json& body);
  Json RequestAttachment(int64_t me, const Json& body);
  Json MyRequests(int64_t me, const Json& body);
  Json PendingRequestsForManager(int64_t me, const Json& body);
  Json DecideRequest(int64_t me, const Json& body, bool approve);

  // admin.cpp: the /_sandbox views.
  Json Mails(const std::string& to);
  Json RequestsCreated();

  // seed.cpp: the demo world (see seed.h); idempotent. With pending_requests
  // K, demo accounts 2..K+1 each have a pending request on the first account's farm.
  void SeedDemo(int farms, const std::string& data_dir, int pending_requests = 0);

 private:
  // The portal's lock, with one SQLite read transaction for all the queries
  // of a read-only operation: one snapshot, and the WAL read lock (fcntl
  // calls) taken once instead of once per query.
  struct ReadLock {
    ReadLock(std::mutex& mu, Db& db) : lock(mu), tx(db) {}
    std::lock_guard<std::mutex> lock;
    ReadTransaction tx;
  };
  ReadLock Read() { return ReadLock(mu_, *db_); }

  // A hash of the portal's cost that no password matches (auth.cpp), made on
  // first use.
  const std::string& DummyHash();

  Clock& clock_;
  HashCost hash_cost_;
  std::string base_url_ = "http://127.0.0.1";
  std::mutex mu_;
  std::unique_ptr<Db> db_;
  CredentialCache cache_{300};
  std::once_flag dummy_hash_once_;
  std::string dummy_hash_;
  // tokens.cpp: the access tokens in memory, as in table access_tokens, so
  // that the check every /cpro call makes takes neither the portal's lock
  // nor a query. The table is the truth across restarts.
  struct IssuedToken {
    std::string client_id;
    int64_t expires_ms;
  };
  std::shared_mutex tokens_mu_;
  std::unordered_map<std::string, IssuedToken> tokens_;
};

}  // namespace sandbox
