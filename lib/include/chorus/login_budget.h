// The portal locks an account for an hour after 5 consecutive failed logins,
// so a login attempt is a budget: chorus never sends the same refused secret
// twice. A refusal is remembered on disk (in $XDG_STATE_HOME/chorus, mode
// 0600) under a keyed hash of profile + login + password, never the secret
// itself; every later session with the same credentials fails before sending
// anything. A new password does not match; a login that succeeds forgets the
// refusals of its profile and login.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "chorus/status.h"

namespace chorus {

struct AccountCredentials;

// Whether a portal answer refuses the account's credentials: codeRetour 20003
// (unknown login or wrong password), 20004 (not activated), 20005 (locked),
// or a 401 the portal layer classed as such (PISTE's error="Unauthorized",
// or a 401 again after a new token: the detail "refused" = "credentials").
bool IsAccountRefusal(const Status& status);

class LoginBudget {
 public:
  // `state_dir` is $XDG_STATE_HOME/chorus; nothing is read or written there
  // until a method needs it. `profile` names the profile in messages and keys.
  LoginBudget(std::string state_dir, std::string profile, const AccountCredentials& account);
  ~LoginBudget();

  // The refusal remembered from an earlier run for exactly these credentials,
  // as a kUnauthenticated Status (details: "refused_at", ISO 8601 UTC), or OK.
  // An unreadable store is OK: it must never stop a correct login.
  Status CheckRemembered();

  // Cheap, for every call: the refusal seen by this process, or OK.
  Status CheckThisRun() const;

  // The portal refused the credentials: remember it (on disk once per process;
  // an error writing it is returned, the refusal is remembered in memory anyway).
  Status Refused(const Status& refusal);

  // A call carrying the account succeeded: forget what was remembered for this
  // profile and login (any password), once per process.
  void Accepted();

  // Whether a call carrying the account succeeded in this process.
  bool accepted() const { return accepted_.load(); }

  // Where the refusals are kept.
  std::string store_path() const;

 private:
  struct Keys;
  Status LoadKeys();
  std::string state_dir_;
  std::string profile_;
  std::string login_;
  std::unique_ptr<Keys> keys_;  // derived on first use (the key file is read then)
  std::string secret_;          // wiped in the destructor
  mutable std::mutex mu_;
  std::atomic<bool> refused_{false};
  std::atomic<bool> accepted_{false};
  std::optional<Status> refusal_;
};

}  // namespace chorus
