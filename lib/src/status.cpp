#include "chorus/status.h"

#include "chorus/i18n.h"

#include <string>

namespace chorus {

const char* ErrorKindName(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kOk: return "ok";
    case ErrorKind::kUnknown: return "unknown";
    case ErrorKind::kInvalidArgument: return "invalid_argument";
    case ErrorKind::kInvalidConfig: return "invalid_config";
    case ErrorKind::kUnauthenticated: return "unauthenticated";
    case ErrorKind::kPermissionDenied: return "permission_denied";
    case ErrorKind::kNotFound: return "not_found";
    case ErrorKind::kAlreadyExists: return "already_exists";
    case ErrorKind::kFailedPrecondition: return "failed_precondition";
    case ErrorKind::kNotAvailable: return "not_available";
    case ErrorKind::kUnavailable: return "unavailable";
    case ErrorKind::kResourceExhausted: return "resource_exhausted";
    case ErrorKind::kDeadlineExceeded: return "deadline_exceeded";
    case ErrorKind::kProtocol: return "protocol";
    case ErrorKind::kCancelled: return "cancelled";
    case ErrorKind::kInternal: return "internal";
  }
  return "unknown";
}

int ExitCodeFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kOk: return 0;
    case ErrorKind::kInvalidArgument: return 2;
    case ErrorKind::kUnauthenticated:
    case ErrorKind::kPermissionDenied: return 4;
    case ErrorKind::kNotFound: return 5;
    case ErrorKind::kNotAvailable: return 6;
    case ErrorKind::kUnavailable:
    case ErrorKind::kResourceExhausted:
    case ErrorKind::kDeadlineExceeded:
    case ErrorKind::kProtocol: return 7;
    case ErrorKind::kCancelled: return 130;
    case ErrorKind::kUnknown:
    case ErrorKind::kInvalidConfig:
    case ErrorKind::kAlreadyExists:
    case ErrorKind::kFailedPrecondition:
    case ErrorKind::kInternal: return 1;
  }
  return 1;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  std::string out = ErrorKindName(kind_);
  out += ": ";
  out += message_;
  std::string detail;
  auto add = [&detail](const std::string& part) {
    if (!detail.empty()) detail += ", ";
    detail += part;
  };
  if (http_status_ != 0) add("HTTP " + std::to_string(http_status_));
  if (code_retour_) {
    std::string part = "codeRetour " + std::to_string(*code_retour_);
    if (!libelle_.empty()) part += " " + libelle_;
    add(part);
  }
  if (retry_after_) add("retry after " + std::to_string(retry_after_->count()) + " ms");
  if (!detail.empty()) out += " (" + detail + ")";
  return out;
}

Status Status::WithContext(const std::string& context) const {
  Status out = *this;
  out.message_ = context + ": " + message_;
  // TRANSLATORS: a message after what it is about: "--siret: not 14 digits".
  const Message both = Msg("{}: {}", context, localized_message());
  if (!both.localized.empty()) out.localized_ = both.localized;
  else if (!localized_.empty()) out.localized_ = context + ": " + localized_;
  return out;
}

}  // namespace chorus
