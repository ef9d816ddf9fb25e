// The HTTP transport seam. Everything above it (auth, retry, the portal
// envelope) talks to this interface, so tests can swap in a fake.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "chorus/status.h"

namespace chorus {

using Headers = std::vector<std::pair<std::string, std::string>>;

// Case-insensitive lookup; nullptr when absent.
const std::string* FindHeader(const Headers& headers, std::string_view name);

struct HttpRequest {
  std::string method = "POST";  // GET or POST
  std::string url;
  Headers headers;
  std::string body;
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

struct TransportOptions {
  std::chrono::milliseconds connect_timeout{10'000};
  std::chrono::milliseconds total_timeout{60'000};
  std::string ca_bundle;          // empty: the system store
  std::string user_agent;         // empty: "chorus/<version>"
  size_t max_response_bytes = 16u << 20;
};

// libcurl implementation: one easy handle per transport (connection reuse),
// proxy from the environment (curl's own http_proxy/https_proxy/no_proxy
// handling), TLS verification always on, plain http only to loopback
// addresses, redirects never followed. Not thread-safe: use one per thread.
std::unique_ptr<HttpTransport> MakeCurlTransport(TransportOptions options);

// True for http:// URLs to 127.0.0.0/8, [::1] or localhost, and any https:// URL.
bool IsAllowedUrl(std::string_view url);

}  // namespace chorus
