#include "chorus/portal.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <string>
#include <map>
#include <utility>

#include <nlohmann/json.hpp>

#include "chorus/circuit_breaker.h"
#include "chorus/i18n.h"
#include "chorus/login_budget.h"
#include "chorus/rate_limiter.h"
#include "chorus/text.h"

namespace chorus {
namespace {

using std::chrono::milliseconds;

// A message's text in the user's language.
std::string Localized(const Message& m) { return m.localized.empty() ? m.english : m.localized; }

// The English of one message and the translation of another: the same msgid
// filled once with English parts and once with translated ones.
Message EnglishAndLocalized(Message english, Message localized) {
  return Message{std::move(english.english), std::move(localized.localized)};
}

// Appends text that is the same in every language (a header, a number).
void Append(Message& m, const std::string& text) {
  m.english += text;
  if (!m.localized.empty()) m.localized += text;
}

Status Cancelled() { return Status(ErrorKind::kCancelled, Msg("cancelled: nothing more was sent")); }

std::string JoinUrl(std::string_view base, std::string_view path) {
  while (!base.empty() && base.back() == '/') base.remove_suffix(1);
  while (!path.empty() && path.front() == '/') path.remove_prefix(1);
  std::string url(base);
  url += '/';
  url += path;
  return url;
}

bool IsBlank(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isspace(c); });
}

// codeRetour is an integer on the real API; tolerate a numeric string.
std::optional<long long> EnvelopeCode(const nlohmann::json& value) {
  if (value.is_number_integer()) return value.get<long long>();
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    if (!s.empty() && s.size() < 12 &&
        std::all_of(s.begin(), s.end(), [](char c) { return c == '-' || (c >= '0' && c <= '9'); })) {
      try {
        return std::stoll(s);
      } catch (...) {
        return std::nullopt;
      }
    }
  }
  return std::nullopt;
}

std::string StringField(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The scalar fields of an error answer that say more than its code (see
// Status::details()): strings as they are, numbers as decimal text. Other
// types (objects, lists, booleans, null) are not details.
constexpr const char* kDetailFields[] = {"champ", "idDemandeRattachement", "statut"};

void CopyDetails(const nlohmann::json& body, Status& status) {
  for (const char* key : kDetailFields) {
    auto it = body.find(key);
    if (it == body.end()) continue;
    if (it->is_string()) {
      status.set_detail(key, it->get<std::string>());
    } else if (it->is_number_unsigned()) {
      status.set_detail(key, std::to_string(it->get<std::uint64_t>()));
    } else if (it->is_number_integer()) {
      status.set_detail(key, std::to_string(it->get<std::int64_t>()));
    } else if (it->is_number_float()) {
      // 12.0 from a serializer that writes every number as a double is "12".
      const double d = it->get<double>();
      if (!std::isfinite(d)) continue;
      constexpr double kExact = 9007199254740992.0;  // 2^53
      status.set_detail(key, std::trunc(d) == d && std::fabs(d) < kExact
                                 ? std::to_string(static_cast<std::int64_t>(d))
                                 : it->dump());
    }
  }
}

ErrorKind KindForHttpStatus(int http) {
  switch (http) {
    case 401: return ErrorKind::kUnauthenticated;
    case 403: return ErrorKind::kPermissionDenied;
    case 404: case 410: return ErrorKind::kNotFound;
    case 408: return ErrorKind::kDeadlineExceeded;
    case 409: return ErrorKind::kAlreadyExists;
    case 429: return ErrorKind::kResourceExhausted;
    default: break;
  }
  if (http >= 500) return ErrorKind::kUnavailable;
  if (http >= 400) return ErrorKind::kFailedPrecondition;
  return ErrorKind::kProtocol;  // 1xx, 3xx: nothing we asked for
}

// The parameters of a Bearer challenge: realm="PISTE",error="Unauthorized",...
// (keys lower-cased; quoted or bare values).
std::map<std::string, std::string> ChallengeParams(std::string_view header) {
  std::map<std::string, std::string> params;
  if (StartsWithIgnoreCase(header, "Bearer")) header.remove_prefix(6);
  std::size_t i = 0;
  while (i < header.size()) {
    while (i < header.size() && (header[i] == ' ' || header[i] == ',' || header[i] == '\t')) ++i;
    const std::size_t key_start = i;
    while (i < header.size() && header[i] != '=' && header[i] != ',') ++i;
    if (i >= header.size() || header[i] != '=') continue;
    std::string key = Lower(TrimView(header.substr(key_start, i - key_start)));
    ++i;
    std::string value;
    if (i < header.size() && header[i] == '"') {
      for (++i; i < header.size() && header[i] != '"'; ++i) {
        if (header[i] == '\\' && i + 1 < header.size()) ++i;
        value += header[i];
      }
      ++i;
    } else {
      while (i < header.size() && header[i] != ',') value += header[i++];
      value = Trim(value);
    }
    params[key] = value;
  }
  return params;
}

Message DefaultMessage(const HttpResponse& response) {
  const int http = response.status;
  // A gateway in front of the API answers these with no envelope, often with
  // no body at all: say where the answer came from.
  const bool bare = IsBlank(response.body) ||
                    !nlohmann::json::accept(response.body);
  switch (KindForHttpStatus(http)) {
    case ErrorKind::kUnauthenticated: {
      Message m = ClassifyUnauthorized(response) == Unauthorized::kCredentials
                      ? Msg("the portal refused the account's login or password")
                      : Msg("the API refused the access token");
      if (const auto* h = FindHeader(response.headers, "WWW-Authenticate")) Append(m, " (" + *h + ")");
      if (bare)
        m = EnglishAndLocalized(Msg("{}; HTTP 401 from the gateway, with no portal answer", m.english),
                                Msg("{}; HTTP 401 from the gateway, with no portal answer", Localized(m)));
      return m;
    }
    case ErrorKind::kPermissionDenied:
      if (bare)
        return Msg("the gateway refused the call (HTTP 403 with no portal answer): check that the "
                   "account and the API subscription of the OAuth client allow it");
      return Msg("not allowed (check the account and its rights)");
    case ErrorKind::kNotFound: return Msg("not found");
    case ErrorKind::kAlreadyExists: return Msg("already exists");
    case ErrorKind::kResourceExhausted: return Msg("rate limited by the portal");
    case ErrorKind::kUnavailable: return Msg("the portal is unavailable");
    case ErrorKind::kDeadlineExceeded: return Msg("the portal timed out");
    case ErrorKind::kFailedPrecondition: return Msg("the portal refused the request");
    default: break;
  }
  if (http >= 300 && http < 400) {
    if (const auto* location = FindHeader(response.headers, "Location"))
      return Msg("unexpected redirect to {}", *location);
    return Msg("unexpected redirect");
  }
  return Msg("unexpected HTTP status");
}

}  // namespace

Unauthorized ClassifyUnauthorized(const HttpResponse& response) {
  const std::string* header = FindHeader(response.headers, "WWW-Authenticate");
  if (header == nullptr) return Unauthorized::kToken;
  auto params = ChallengeParams(*header);
  const std::string error = Lower(params["error"]);
  const std::string description = Lower(params["error_description"]);
  if (error == "unauthorized") return Unauthorized::kCredentials;
  for (const char* word : {"login", "password", "mot de passe", "identifiant"})
    if (description.find(word) != std::string::npos) return Unauthorized::kCredentials;
  return Unauthorized::kToken;
}

std::string Base64Encode(std::string_view data) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((data.size() + 2) / 3 * 4);
  size_t i = 0;
  for (; i + 2 < data.size(); i += 3) {
    const unsigned n = (static_cast<unsigned char>(data[i]) << 16) |
                       (static_cast<unsigned char>(data[i + 1]) << 8) |
                       static_cast<unsigned char>(data[i + 2]);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += kAlphabet[(n >> 6) & 63];
    out += kAlphabet[n & 63];
  }
  if (i < data.size()) {
    unsigned n = static_cast<unsigned char>(data[i]) << 16;
    if (i + 1 < data.size()) n |= static_cast<unsigned char>(data[i + 1]) << 8;
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += '=';
  }
  return out;
}

std::string CproAccountHeaderValue(const AccountCredentials& account) {
  return Base64Encode(account.login + ":" + account.password);
}

Status StatusFromResponse(const HttpResponse& response,
                          std::chrono::system_clock::time_point wall_now) {
  const int http = response.status;
  const bool has_body = !IsBlank(response.body);
  nlohmann::json body = has_body ? nlohmann::json::parse(response.body, nullptr, false)
                                 : nlohmann::json(nullptr);
  const bool is_object = has_body && !body.is_discarded() && body.is_object();

  if (http >= 200 && http <= 299) {
    if (!has_body) return OkStatus();
    if (!is_object) {
      return Status(ErrorKind::kProtocol, Msg("the portal answered with a body that is not a JSON object"))
          .set_http_status(http);
    }
    auto it = body.find("codeRetour");
    if (it == body.end() || it->is_null()) return OkStatus();
    auto code = EnvelopeCode(*it);
    if (!code) {
      return Status(ErrorKind::kProtocol, Msg("the portal answered a codeRetour that is not a number"))
          .set_http_status(http);
    }
    if (*code == 0) return OkStatus();
    const std::string libelle = StringField(body, "libelle");
    // The portal's own words (French already) are shown as they are.
    std::string message = StringField(body, "message");
    if (message.empty()) message = libelle;
    Status status = message.empty() ? Status(ErrorKind::kFailedPrecondition, Msg("the portal refused the request"))
                                    : Status(ErrorKind::kFailedPrecondition, std::move(message));
    status.set_http_status(http).set_envelope(static_cast<int>(*code), libelle);
    CopyDetails(body, status);
    return status;
  }

  std::string message;
  std::optional<long long> code;
  std::string libelle;
  if (is_object) {
    if (auto it = body.find("codeRetour"); it != body.end()) code = EnvelopeCode(*it);
    libelle = StringField(body, "libelle");
    message = StringField(body, "message");
    if (message.empty()) message = libelle;
    if (message.empty()) message = StringField(body, "error_description");
    if (message.empty()) message = StringField(body, "error");
  }
  Status status = message.empty() ? Status(KindForHttpStatus(http), DefaultMessage(response))
                                  : Status(KindForHttpStatus(http), std::move(message));
  status.set_http_status(http);
  if (code) status.set_envelope(static_cast<int>(*code), libelle);
  if (is_object) CopyDetails(body, status);
  if (const std::string* retry_after = FindHeader(response.headers, "Retry-After")) {
    if (auto wait = ParseRetryAfter(*retry_after, wall_now)) status.set_retry_after(*wait);
  }
  return status;
}

PortalConnection::PortalConnection(PortalOptions options, std::shared_ptr<TokenProvider> tokens,
                                   std::unique_ptr<HttpTransport> transport, Clock& clock)
    : options_(std::move(options)),
      tokens_(std::move(tokens)),
      transport_(std::move(transport)),
      clock_(clock),
      random_(options_.random ? options_.random : DefaultRandomSource()) {}

HttpRequest PortalConnection::Prepare(std::string_view method, std::string_view path,
                                      std::string_view json_body, const CallOptions& options,
                                      std::string_view bearer_token) const {
  HttpRequest request;
  request.method = Upper(method);
  request.url = JoinUrl(options_.api_base_url, path);
  if (tokens_ || !bearer_token.empty()) {
    request.headers.emplace_back("Authorization", "Bearer " + std::string(bearer_token));
  }
  if (options.with_account && options_.account) {
    request.headers.emplace_back("cpro-account", CproAccountHeaderValue(*options_.account));
  }
  request.headers.emplace_back("Accept", "application/json");
  if (!json_body.empty()) {
    request.headers.emplace_back("Content-Type", "application/json;charset=utf-8");
    request.body = std::string(json_body);
  }
  request.abort = options.cancel.abort();
  return request;
}

// One attempt's outcome, and whether the API request went out (a failure
// before that, e.g. fetching the token, is safe to retry for any call).
struct PortalConnection::Attempt {
  StatusOr<PortalReply> result;
  bool sent = false;
};

namespace {

std::string Seconds(milliseconds d) { return std::to_string((d.count() + 999) / 1000) + " s"; }

}  // namespace

StatusOr<PortalReply> PortalConnection::Call(std::string_view method, std::string_view path,
                                             std::string_view json_body,
                                             const CallOptions& options) {
  const HttpRequest prepared = Prepare(method, path, json_body, options, "");
  const bool carries_account = options.with_account && options_.account.has_value();
  const auto start = clock_.Now();
  const auto deadline = options_.timeout.count() > 0 ? start + options_.timeout : Clock::time_point::max();
  bool token_refreshed = false;

  for (int attempt = 1;; ++attempt) {
    if (options.cancel.stop_requested()) return Cancelled();
    if (options.breaker && options.breaker->tripped()) return options.breaker->reason();
    // Refused credentials are never sent again (login_budget.h).
    if (carries_account && options_.login_budget)
      if (Status refused = options_.login_budget->CheckThisRun(); !refused.ok()) return refused;

    Attempt outcome = SendOnce(prepared, options, deadline, token_refreshed, attempt);
    const Status& failure = outcome.result.status();
    if (outcome.result.ok() || failure.kind() != ErrorKind::kCancelled) {
      if (options.breaker) {
        if (CircuitBreaker::IsOutage(failure)) options.breaker->RecordFailure(failure);
        else if (outcome.sent) options.breaker->RecordSuccess();
      }
      if (carries_account && options_.login_budget && outcome.sent) {
        if (outcome.result.ok()) options_.login_budget->Accepted();
        else if (IsAccountRefusal(failure)) (void)options_.login_budget->Refused(failure);
      }
    }
    if (outcome.result.ok()) return outcome.result;
    if (failure.kind() == ErrorKind::kCancelled) return failure;
    if (failure.kind() == ErrorKind::kDeadlineExceeded && clock_.Now() >= deadline)
      return failure.WithMessage(
          EnglishAndLocalized(Msg("no answer within the {} timeout (--timeout): {}", Seconds(options_.timeout),
                                  failure.message()),
                              Msg("no answer within the {} timeout (--timeout): {}", Seconds(options_.timeout),
                                  failure.localized_message())));
    const int http = failure.http_status();
    // A call that creates something may have been applied when the answer
    // was a 500 or never came: only retry what the server says it refused.
    const bool retryable = options.idempotent || !outcome.sent
                               ? IsRetryable(failure)
                               : (http == 429 || http == 503);
    if (!retryable) return failure;

    const milliseconds backoff = options_.backoff.Delay(attempt - 1, random_());
    const milliseconds wait = NextWait(backoff, failure.retry_after(), options_.retry.max_wait);
    const auto now = clock_.Now();
    const auto elapsed = std::chrono::duration_cast<milliseconds>(now - start);
    const bool past_deadline = deadline != Clock::time_point::max() && now + wait >= deadline;
    if (past_deadline || !options_.retry.AllowsAnotherAttempt(attempt, elapsed, wait)) {
      if (attempt == 1 && !past_deadline) return failure;
      // One message per case: each language words "attempt(s)" its own way.
      auto gave_up = [&](const std::string& inner) {
        const std::string timeout = Seconds(options_.timeout);
        if (past_deadline)
          return attempt == 1 ? Msg("{} (gave up after {} attempt: the {} timeout would pass)", inner, attempt, timeout)
                              : Msg("{} (gave up after {} attempts: the {} timeout would pass)", inner, attempt, timeout);
        return attempt == 1 ? Msg("{} (gave up after {} attempt)", inner, attempt)
                            : Msg("{} (gave up after {} attempts)", inner, attempt);
      };
      return failure.WithMessage(EnglishAndLocalized(gave_up(failure.message()), gave_up(failure.localized_message())));
    }
    if (options.breaker && options.breaker->tripped()) return options.breaker->reason();
    if (options_.tracer) {
      options_.tracer->Write("* attempt " + std::to_string(attempt) + " failed (" +
                             failure.ToString() + "); retrying in " +
                             std::to_string(wait.count()) + " ms\n");
    }
    if (options_.on_call) {
      CallEvent retry;
      retry.kind = CallEvent::Kind::kRetry;
      retry.method = prepared.method;
      retry.path = UrlPath(prepared.url);
      retry.http_status = failure.http_status();
      retry.error = failure;
      retry.attempt = attempt;
      retry.wait = wait;
      options_.on_call(retry);
    }
    if (options.on_retry) options.on_retry(RetryNotice{attempt, failure, wait});
    if (!clock_.SleepFor(wait, options.cancel.stop())) return Cancelled();
  }
}

// One attempt: a token, the rate limiter's turn, the request; a 401 gets the
// token refreshed and the request repeated at once, once per call (it does
// not count as a retry).
PortalConnection::Attempt PortalConnection::SendOnce(const HttpRequest& prepared, const CallOptions& options,
                                                     Clock::time_point deadline, bool& token_refreshed,
                                                     int attempt) {
  auto remaining = [&]() -> milliseconds {
    if (deadline == Clock::time_point::max()) return milliseconds(0);  // the transport's own limit
    return std::max(milliseconds(1), std::chrono::duration_cast<milliseconds>(deadline - clock_.Now()));
  };
  for (;;) {
    HttpRequest request = prepared;
    request.attempt = attempt;
    std::string token;
    if (tokens_) {
      auto fetched = tokens_->GetToken(options.cancel, remaining());
      if (!fetched.ok()) return Attempt{fetched.status(), false};
      token = *std::move(fetched);
      for (auto& [name, value] : request.headers) {
        if (name == "Authorization") value = "Bearer " + token;
      }
    }
    if (options.rate_limiter && !options.rate_limiter->Acquire(options.cancel.stop())) return Attempt{Cancelled(), false};
    if (options.cancel.stop_requested()) return Attempt{Cancelled(), false};
    request.timeout = remaining();
    auto response = transport_->Send(request);
    if (!response.ok()) return Attempt{response.status(), true};
    const bool credentials_refused =
        response->status == 401 && ClassifyUnauthorized(*response) == Unauthorized::kCredentials;
    if (response->status == 401 && tokens_ && !token_refreshed && !credentials_refused) {
      token_refreshed = true;
      tokens_->Invalidate(token);
      continue;
    }
    Status status = StatusFromResponse(*response, clock_.WallNow());
    if (status.ok())
      return Attempt{PortalReply{response->status, std::move(response->headers), std::move(response->body)}, true};
    if (status.kind() == ErrorKind::kUnauthenticated && token_refreshed && !credentials_refused)
      status = status.WithMessage(EnglishAndLocalized(Msg("{} (again after fetching a new token)", status.message()),
                                                      Msg("{} (again after fetching a new token)",
                                                          status.localized_message())));
    // A 401 that is not about the token, or that a new token did not cure,
    // refuses what the call carried: the account's credentials.
    const bool carries_account = options.with_account && options_.account.has_value();
    if (response->status == 401 && carries_account && (credentials_refused || token_refreshed))
      status.set_detail("refused", "credentials");
    return Attempt{std::move(status), true};
  }
}

}  // namespace chorus
