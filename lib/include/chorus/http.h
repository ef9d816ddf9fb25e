// The HTTP transport seam. Everything above it (auth, retry, the portal
// envelope) talks to this interface, so tests can swap in a fake.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <stop_token>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "chorus/status.h"

namespace chorus {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive lookup; nullptr when absent.
const std::string* FindHeader(const Headers& headers, std::string_view name);

struct HttpRequest {
  std::string method = "POST";  // GET or POST (others are sent as custom methods)
  std::string url;
  Headers headers;
  std::string body;
  // When stop is requested, the transfer is cut at once with kCancelled.
  std::stop_token abort;
  // This request's own limit, when shorter than the transport's (the rest of
  // an operation's deadline); 0: the transport's total_timeout.
  std::chrono::milliseconds timeout{0};
  // Which attempt of the portal's retry loop this is (1-based), for call
  // observers (-v); 0 outside that loop (the token endpoint).
  int attempt = 0;
};

struct HttpResponse {
  int status = 0;
  Headers headers;
  std::string body;
};

// Sends one request. A transport error (no connection, timeout, TLS failure,
// refused URL) is a non-OK Status; any HTTP answer, 4xx/5xx included, is a
// response for the layers above to interpret.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  virtual StatusOr<HttpResponse> Send(const HttpRequest& request) = 0;
};

// Builds a fresh transport; used where each thread needs its own.
using TransportFactory = std::function<std::unique_ptr<HttpTransport>()>;

struct TransportOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{60'000};
  // A transfer that receives no byte for this long fails as a network error
  // (kUnavailable), so a portal that stops sending mid-answer is not waited
  // on until total_timeout. curl averages the speed over its last 5 s, so
  // the failure comes up to 5 s later than this. 0: no stall limit.
  std::chrono::milliseconds stall_timeout{30'000};
  std::string ca_bundle;          // empty: the system store
  std::string user_agent;         // empty: "chorus/<version>"
  size_t max_response_bytes = 16u << 20;
};

// "chorus/<version>".
std::string DefaultUserAgent();

// libcurl implementation: one easy handle per transport (connection reuse),
// proxy from the environment (curl's own http_proxy/https_proxy/no_proxy
// handling; never for loopback URLs), TLS verification always on, plain http
// only to loopback addresses, redirects never followed, TCP_NODELAY on.
// Errors: timeouts -> kDeadlineExceeded; resolve/connect/reset/TLS and a
// stalled transfer -> kUnavailable; a refused URL -> kInvalidArgument; an unusable ca_bundle ->
// kInvalidConfig; a response over max_response_bytes -> kProtocol.
// Not thread-safe: use one per thread.
std::unique_ptr<HttpTransport> MakeCurlTransport(TransportOptions options);

// True for http:// URLs to 127.0.0.0/8, [::1] or localhost, and any https:// URL.
bool IsAllowedUrl(std::string_view url);

}  // namespace chorus
