// The cpro-account check: the login and password of every /cpro call, the
// 5-failure lockout, and the cache that keeps the slow hash to one run per
// credential.
#include <fmt/format.h>

#include <optional>
#include <string>

#include "api_error.h"
#include "chorus/text.h"
#include "db.h"
#include "portal.h"
#include "timestamps.h"

namespace sandbox {

namespace {

constexpr int kMaxFailures = 5;         // failed logins before the lock
constexpr int64_t kLockSeconds = 3600;  // lock duration

// The one answer to refused credentials, whatever the reason (unknown login,
// account not activated yet, wrong password), so that it does not tell which
// logins exist. It is PISTE's 401 (errors::kBadCredentials).
[[noreturn]] void RefuseCredentials(const std::string& why = "") {
  throw ApiError(errors::kBadCredentials, "Identifiant ou mot de passe incorrect." + why);
}

[[noreturn]] void RefuseLocked(int64_t locked_until) {
  throw ApiError(errors::kAccountLocked,
                 fmt::format("Compte bloqué après {} échecs de connexion jusqu'à {}.", kMaxFailures,
                             IsoTime(locked_until)));
}

}  // namespace

const std::string& Portal::DummyHash() {
  std::call_once(dummy_hash_once_, [this] { dummy_hash_ = HashSecret(RandomHex(16), hash_cost_); });
  return dummy_hash_;
}

int64_t Portal::Authenticate(const std::string& cpro_account) {
  int64_t now = clock_.Now();
  // Every /cpro call comes here. A credential verified less than 5 minutes
  // ago answers from memory, without decoding it or the database: a failed
  // login forgets the account's credentials (and so does a lock, which only
  // failures cause), so a remembered one stands for an account with no
  // failure to reset and no lock.
  if (auto cached = cache_.Find(cpro_account, now)) return *cached;
  std::optional<std::string> decoded = DecodeBase64(cpro_account);
  auto colon = decoded ? decoded->find(':') : std::string::npos;
  if (colon == std::string::npos || colon == 0)
    throw ApiError(errors::kAccountUnreadable,
                   "En-tête cpro-account illisible : base64(login:motDePasse) attendu.");
  std::string login = chorus::Lower(chorus::Trim(decoded->substr(0, colon)));
  std::string password = decoded->substr(colon + 1);
  int64_t id = 0;
  std::string hash;
  {
    std::lock_guard lock(mu_);
    auto q = db_->Query("SELECT id, password_hash, locked_until FROM users WHERE login = ?", login);
    if (q->Step()) {
      id = q->Int(0);
      hash = q->Text(1);  // empty until the account is activated
      int64_t locked_until = q->Int(2);
      q.reset();
      if (locked_until > now) RefuseLocked(locked_until);
      if (locked_until != 0)  // the lock has run out: start afresh
        db_->Query("UPDATE users SET locked_until = 0, failed_attempts = 0 WHERE id = ?", id)
            ->Run();
    }
  }
  if (hash.empty()) {
    // An unknown login, or an account not activated yet (no password): the
    // same work as a real check, against a hash no password matches, then
    // the same answer; nothing is counted, since there is no account to lock.
    (void)VerifySecret(DummyHash(), password);
    RefuseCredentials();
  }
  bool ok = VerifySecret(hash, password);  // slow: outside the lock
  std::lock_guard lock(mu_);
  if (!ok) {
    cache_.Forget(id);
    db_->Query("UPDATE users SET failed_attempts = failed_attempts + 1 WHERE id = ?", id)->Run();
    auto q = db_->Query("SELECT failed_attempts FROM users WHERE id = ?", id);
    q->Step();
    int64_t failures = q->Int(0);
    q.reset();
    if (failures >= kMaxFailures) {
      db_->Query("UPDATE users SET locked_until = ? WHERE id = ?", now + kLockSeconds, id)->Run();
      RefuseCredentials(fmt::format(" Compte bloqué pour {} minutes après {} échecs.",
                                    kLockSeconds / 60, kMaxFailures));
    }
    RefuseCredentials();
  }
  // Failures made while the hash ran may have locked the account: the lock stands.
  {
    auto q = db_->Query("SELECT locked_until FROM users WHERE id = ?", id);
    q->Step();
    if (q->Int(0) > now) RefuseLocked(q->Int(0));
  }
  // A success ends the run of failures.
  db_->Query("UPDATE users SET failed_attempts = 0 WHERE id = ? AND failed_attempts <> 0", id)
      ->Run();
  cache_.Remember(cpro_account, id, now);
  return id;
}

}  // namespace sandbox
