// Errors as values. Every fallible library call returns Status or StatusOr<T>;
// only the command-line layer turns a Status into an exit code and a message.
#pragma once

#include <cassert>
#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace chorus {

// What went wrong, in terms a caller can act on. Each kind maps onto one exit
// code of the command-line tool (product.md §3); see ExitCodeFor().
enum class ErrorKind {
  kOk,
  kUnknown,             // 1: anything not classified below
  kInvalidArgument,     // 2: bad input from the user (flag, SIRET, file line)
  kInvalidConfig,       // 1: the profile file or a secret source is unusable
  kUnauthenticated,     // 4: bad client credentials, bad login/password, 401
  kPermissionDenied,    // 4: authenticated but not allowed (403, refused by a rule on rights)
  kNotFound,            // 5: no such structure, request, profile, ...
  kAlreadyExists,       // 1: duplicate (e.g. attachment already pending/active)
  kFailedPrecondition,  // 1: a portal rule refused the operation
  kNotAvailable,        // 6: the operation does not exist in this environment (portal-only)
  kUnavailable,         // 7: network failure or 5xx after retries
  kResourceExhausted,   // 7: 429 / quota after retries
  kDeadlineExceeded,    // 7: timeout
  kProtocol,            // 7: the portal answered something we cannot understand
  kCancelled,           // 130: interrupted by the user
  kInternal,            // 1: a bug in chorus
};

// The name used in messages and JSON output ("not_found", ...).
const char* ErrorKindName(ErrorKind kind);

// The process exit code for a kind (0 for kOk).
int ExitCodeFor(ErrorKind kind);

// An error's words twice: in English, which machine formats carry (JSON,
// NDJSON, journals: the same bytes in every locale), and in the user's
// language, which people read. chorus::Msg (i18n.h) makes both.
struct Message {
  std::string english;
  std::string localized;  // empty: the same as english
};

class Status {
 public:
  Status() = default;  // OK
  // A message that reads the same in every language (or is not translated).
  Status(ErrorKind kind, std::string message) : kind_(kind), message_(std::move(message)) {}
  Status(ErrorKind kind, Message message)
      : kind_(kind), message_(std::move(message.english)), localized_(std::move(message.localized)) {}

  bool ok() const { return kind_ == ErrorKind::kOk; }
  ErrorKind kind() const { return kind_; }
  // In English: for machine formats and logs.
  const std::string& message() const { return message_; }
  // In the user's language: for people.
  const std::string& localized_message() const { return localized_.empty() ? message_ : localized_; }

  // HTTP status of the response that produced this error, 0 when there was none.
  int http_status() const { return http_status_; }
  Status& set_http_status(int s) { http_status_ = s; return *this; }

  // The Chorus Pro envelope, when the portal sent one.
  const std::optional<int>& code_retour() const { return code_retour_; }
  const std::string& libelle() const { return libelle_; }
  Status& set_envelope(int code_retour, std::string libelle) {
    code_retour_ = code_retour;
    libelle_ = std::move(libelle);
    return *this;
  }

  // Scalar fields of the portal's error answer that say more than the code:
  // "champ", "idDemandeRattachement", "statut". Empty when there are none.
  const std::map<std::string, std::string>& details() const { return details_; }
  Status& set_detail(std::string key, std::string value) {
    details_.insert_or_assign(std::move(key), std::move(value));
    return *this;
  }

  // How long the server asked us to wait (Retry-After), when it said so.
  const std::optional<std::chrono::milliseconds>& retry_after() const { return retry_after_; }
  Status& set_retry_after(std::chrono::milliseconds d) { retry_after_ = d; return *this; }

  // The same error (kind, HTTP status, envelope, details, Retry-After) told
  // in other words.
  Status WithMessage(std::string message) const {
    Status out = *this;
    out.message_ = std::move(message);
    out.localized_.clear();
    return out;
  }
  Status WithMessage(Message message) const {
    Status out = *this;
    out.message_ = std::move(message.english);
    out.localized_ = std::move(message.localized);
    return out;
  }
  // The same error, its message (both languages) after "context: ".
  // (French puts a space before the colon: "--siret : ...".)
  Status WithContext(const std::string& context) const;

  // "not_found: structure 123 unknown (HTTP 404, codeRetour 20001 STR_MSG_...)".
  std::string ToString() const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.kind_ == b.kind_ && a.message_ == b.message_;
  }

 private:
  ErrorKind kind_ = ErrorKind::kOk;
  std::string message_;
  std::string localized_;  // empty: message_
  int http_status_ = 0;
  std::optional<int> code_retour_;
  std::string libelle_;
  std::map<std::string, std::string> details_;
  std::optional<std::chrono::milliseconds> retry_after_;
};

inline Status OkStatus() { return Status(); }

template <typename T>
class StatusOr {
 public:
  StatusOr(T value) : v_(std::move(value)) {}  // NOLINT(google-explicit-constructor)
  StatusOr(Status status) : v_(std::move(status)) {  // NOLINT(google-explicit-constructor)
    assert(!std::get<Status>(v_).ok() && "StatusOr built from an OK Status");
    if (std::get<Status>(v_).ok()) v_ = Status(ErrorKind::kInternal, "StatusOr built from OK");
  }

  bool ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return ok(); }

  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }

  T& value() & { assert(ok()); return std::get<T>(v_); }
  const T& value() const& { assert(ok()); return std::get<T>(v_); }
  T&& value() && { assert(ok()); return std::get<T>(std::move(v_)); }

  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace chorus
