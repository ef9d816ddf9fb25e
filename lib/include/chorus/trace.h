// The -vv trace: every request and response, secrets redacted, written to a
// sink the caller chooses (stderr for the CLI, a string in tests).
#pragma once

#include <chrono>
#include <functional>
#include <iosfwd>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "chorus/clock.h"
#include "chorus/http.h"
#include "chorus/status.h"

namespace chorus {

// What replaces a secret in any trace or dump.
inline constexpr std::string_view kRedacted = "***REDACTED***";

// A thread-safe trace sink: each Write() reaches the sink whole, never
// interleaved with another thread's, after the known secret values are
// replaced (the last line of defence behind field-aware redaction).
class Tracer {
 public:
  using Sink = std::function<void(std::string_view)>;
  explicit Tracer(Sink sink);
  // Writes to `out`, which must outlive the tracer.
  static std::shared_ptr<Tracer> ToStream(std::ostream& out);

  // Values (client secret, password, current token, ...) never to be shown.
  void AddSecret(std::string secret);
  void Write(std::string_view text);

 private:
  std::mutex mu_;
  Sink sink_;
  std::vector<std::string> secrets_;
};

// Secrets this long are masked wherever they appear: a random token or a
// long password inside other text (a base64 blob, a URL) is still the
// secret. Shorter ones are masked only as whole tokens: a short or common
// value ("sandbox") is never masked inside a word ("--sandbox",
// "sandbox.example"), so redaction never mangles ordinary text.
inline constexpr size_t kRedactAnywhereLength = 16;

// Replaces the occurrences of each non-empty secret in `text` with
// kRedacted: anywhere for a long secret, as a whole token for a short one.
// Field-aware redaction (RedactHeaderValue, RedactBody) masks the values of
// secret-bearing places whatever their length.
std::string RedactSecrets(std::string_view text, const std::vector<std::string>& secrets);

// Header value as it may be shown: Authorization keeps its scheme ("Bearer
// ***REDACTED***"); cpro-account, Proxy-Authorization and cookies are hidden.
std::string RedactHeaderValue(std::string_view name, std::string_view value);

// A body as it may be shown: JSON values of sensitive fields (motDePasse,
// password, reponseSecrete, client_secret, access_token, jetonActivation, ...)
// and the same fields of a form body are replaced. Other bodies pass through.
std::string RedactBody(std::string_view body);

// True for a JSON or form field name whose value is a secret.
bool IsSecretFieldName(std::string_view name);

// The request as the trace shows it ("POST url", headers, body), redacted;
// used by --dry-run.
std::string RedactedDump(const HttpRequest& request);

// The -v view of the traffic: one event per HTTP exchange, and one per retry
// the portal layer decides, with its reason and wait. No headers, no bodies:
// nothing in it needs redacting but a portal message in `error`.
struct CallEvent {
  enum class Kind {
    kExchange,  // a request and its answer (or its transport error)
    kRetry,     // the attempt failed; the next one starts after `wait`
  };
  Kind kind = Kind::kExchange;
  std::string method;     // "POST"
  std::string path;       // the URL's path, without host or query: "/cpro/structures/v1/rechercher"
  int http_status = 0;    // 0: no answer (see error)
  Status error;           // kExchange: the transport error; kRetry: why it is retried
  std::chrono::milliseconds elapsed{0};  // kExchange: request to answer
  int attempt = 0;        // 1-based; 0 for calls outside the retry loop (the token endpoint)
  std::chrono::milliseconds wait{0};     // kRetry
};
// Called from any thread (one call per event); must be thread-safe.
using CallObserver = std::function<void(const CallEvent&)>;

// "POST /cpro/structures/v1/rechercher 200 37 ms (attempt 1)",
// "retry: POST /cpro/... attempt 1 failed: HTTP 503 ...; next attempt in 200 ms".
std::string CallEventLine(const CallEvent& event);

// The path of a URL, without scheme, host or query.
std::string UrlPath(std::string_view url);

// Decorator: tells `observer` of each exchange once it ends.
std::unique_ptr<HttpTransport> MakeObservingTransport(std::unique_ptr<HttpTransport> inner, CallObserver observer,
                                                      Clock& clock = SystemClock());

// Decorator: traces each request, then the response (status, headers, body,
// elapsed ms) or the transport error, then returns what `inner` returned.
std::unique_ptr<HttpTransport> MakeTracingTransport(std::unique_ptr<HttpTransport> inner,
                                                    std::shared_ptr<Tracer> tracer,
                                                    Clock& clock = SystemClock());

}  // namespace chorus
