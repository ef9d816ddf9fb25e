// The request layer: one call to the Chorus Pro API (or chorus-sandbox) with
// its headers, the codeRetour/libelle envelope, the HTTP status mapping, the
// 401 token refresh and the retry loop.
//
// HTTP status -> ErrorKind (the sandbox uses 400 for validation and portal
// rule errors, 403 for "not allowed" and a bad cpro-account, 404 for unknown
// objects, 409 for "already pending/attached/exists", 401 for the token):
//   2xx with codeRetour 0 or absent -> success
//   2xx with codeRetour != 0        -> kFailedPrecondition (the portal refused)
//   2xx with a non-JSON/non-object body -> kProtocol (an empty body is fine)
//   400 and other unlisted 4xx -> kFailedPrecondition   (a portal rule or validation;
//                                    the CLI validates user input before sending)
//   401 -> told apart by its WWW-Authenticate challenge (see
//          ClassifyUnauthorized): a refusal of the account's credentials
//          (PISTE: error="Unauthorized", "login or password incorrects") is
//          final, never retried, the token kept; a token problem
//          (error="invalid_token", or no challenge) gets the token refreshed
//          and the call repeated once; a 401 again is a refusal of the
//          credentials. Either refusal is kUnauthenticated with the detail
//          "refused" = "credentials" (see IsAccountRefusal).
//   403 -> kPermissionDenied   404, 410 -> kNotFound   409 -> kAlreadyExists
//   408 -> kDeadlineExceeded   429 -> kResourceExhausted (Retry-After kept)
//   5xx -> kUnavailable        1xx/3xx -> kProtocol (redirects are never followed)
// Every error keeps the HTTP status, and codeRetour/libelle when the body is
// an envelope; the message is the body's "message" (else libelle, else a
// generic text).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "chorus/cancel.h"
#include "chorus/clock.h"
#include "chorus/http.h"
#include "chorus/retry.h"
#include "chorus/status.h"
#include "chorus/token.h"
#include "chorus/trace.h"

namespace chorus {

class CircuitBreaker;
class LoginBudget;
class RateLimiter;

// The Chorus Pro account sent as `cpro-account: base64(login:password)`.
struct AccountCredentials {
  std::string login;
  std::string password;
};

struct PortalOptions {
  std::string api_base_url;  // e.g. https://api.piste.gouv.fr/cpro or http://127.0.0.1:PORT/cpro
  std::optional<AccountCredentials> account;
  RetryPolicy retry;
  BackoffPolicy backoff;
  RandomSource random;              // empty: DefaultRandomSource()
  std::shared_ptr<Tracer> tracer;   // optional: notes on retries and waits
  // How long one operation may take, every attempt, wait and token fetch
  // included; 0: no limit but the retry policy's.
  std::chrono::milliseconds timeout{0};
  // Remembers refused credentials: a call carrying the account is not sent
  // once they were refused (see login_budget.h). Optional.
  std::shared_ptr<LoginBudget> login_budget;
  // Told of each retry (CallEvent::Kind::kRetry) before its wait; optional.
  CallObserver on_call;
};

// A failed attempt about to be retried, for -v and progress displays.
struct RetryNotice {
  int attempt = 0;                    // the attempt that failed (1-based)
  Status failure;
  std::chrono::milliseconds wait{0};  // before the next attempt
};

struct CallOptions {
  // Sign-up and activation go without the cpro-account header.
  bool with_account = true;
  // A non-idempotent call (one that creates something) is retried only when
  // the server said it did not process it (429, 503); never after a timeout
  // or a 500, where it may have been applied.
  bool idempotent = true;
  // Stop: no new attempt, and every wait (rate limit, backoff, token) ends
  // at once with kCancelled. Abort: the transfer in flight is cut too.
  CancelToken cancel;
  // Every request sent (retries and the repeat after a 401 included) first
  // waits its turn here: a quota counts them all.
  RateLimiter* rate_limiter = nullptr;
  // Told the outcome of every attempt; once it trips, no attempt starts.
  CircuitBreaker* breaker = nullptr;
  // Called before each retry's wait.
  std::function<void(const RetryNotice&)> on_retry;
};

struct PortalReply {
  int http_status = 0;
  Headers headers;
  std::string body;  // the JSON text, envelope included
};

// Not thread-safe (it owns one transport): use one per worker thread, sharing
// the TokenProvider (and the Tracer).
class PortalConnection {
 public:
  PortalConnection(PortalOptions options, std::shared_ptr<TokenProvider> tokens,
                   std::unique_ptr<HttpTransport> transport, Clock& clock = SystemClock());

  // `path` is relative to api_base_url ("structures/v1/rechercher"); a
  // leading '/' is accepted. An empty json_body sends no body (GET).
  StatusOr<PortalReply> Call(std::string_view method, std::string_view path,
                             std::string_view json_body, const CallOptions& options = {});

  // The request Call() would send, without sending it or fetching a token
  // (`bearer_token` goes in the Authorization header): for --dry-run.
  HttpRequest Prepare(std::string_view method, std::string_view path, std::string_view json_body,
                      const CallOptions& options = {},
                      std::string_view bearer_token = "<token>") const;

  const PortalOptions& options() const { return options_; }

 private:
  struct Attempt;
  Attempt SendOnce(const HttpRequest& prepared, const CallOptions& options, Clock::time_point deadline,
                   bool& token_refreshed, int attempt);

  PortalOptions options_;
  std::shared_ptr<TokenProvider> tokens_;
  std::unique_ptr<HttpTransport> transport_;
  Clock& clock_;
  RandomSource random_;
};

// What a 401 says, from its WWW-Authenticate challenge.
enum class Unauthorized {
  kToken,        // error="invalid_token" (or another token error), or no challenge: refresh the token
  kCredentials,  // error="Unauthorized", or a description naming the login or password
};
Unauthorized ClassifyUnauthorized(const HttpResponse& response);

// "base64(login:password)", the cpro-account header value.
std::string CproAccountHeaderValue(const AccountCredentials& account);

// Standard base64 with padding.
std::string Base64Encode(std::string_view data);

// The Status for a non-2xx answer, or for a 2xx whose envelope reports an
// error; OK for a successful 2xx. Exposed for tests and for callers that get
// a raw HttpResponse.
Status StatusFromResponse(const HttpResponse& response,
                          std::chrono::system_clock::time_point wall_now);

}  // namespace chorus
