#include <arpa/inet.h>
#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <mutex>
#include <stop_token>
#include <string>
#include <utility>

#include "chorus/http.h"
#include "chorus/i18n.h"
#include "chorus/text.h"

#ifndef CHORUS_VERSION
#define CHORUS_VERSION "unknown"
#endif

namespace chorus {
namespace {

// The host of an http(s) URL, without brackets, userinfo or port; "" when absent.
std::string_view UrlHost(std::string_view url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string_view authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  // "http://127.0.0.1@evil.com/": everything before the last '@' is userinfo.
  if (size_t at = authority.rfind('@'); at != std::string_view::npos) {
    authority.remove_prefix(at + 1);
  }
  if (!authority.empty() && authority.front() == '[') {
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return {};
    return authority.substr(1, close - 1);
  }
  return authority.substr(0, authority.find(':'));
}

bool IsLoopbackHost(std::string_view host) {
  if (EqualsIgnoreCase(host, "localhost")) return true;
  const std::string text(host);
  // inet_pton accepts only the strict dotted-quad form, so
  // "127.0.0.1.evil.com" and "0x7f.1" are not loopback here.
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    return IN6_IS_ADDR_LOOPBACK(&v6);
  }
  return false;
}

void GlobalInitOnce() {
  static std::once_flag once;
  std::call_once(once, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
}

// Per-transfer state reachable from curl's callbacks.
struct Transfer {
  HttpResponse response;
  size_t max_bytes = 0;
  bool too_large = false;
  bool cancelled = false;
};

size_t OnBody(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t n = size * count;
  if (transfer->response.body.size() + n > transfer->max_bytes) {
    transfer->too_large = true;
    return 0;  // makes curl abort with CURLE_WRITE_ERROR
  }
  transfer->response.body.append(data, n);
  return n;
}

size_t OnHeader(char* data, size_t size, size_t count, void* user) {
  auto* transfer = static_cast<Transfer*>(user);
  const size_t n = size * count;
  std::string_view line(data, n);
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r')) line.remove_suffix(1);
  if (StartsWithIgnoreCase(line, "HTTP/")) {
    // A new status line (after a 100 Continue): keep only the final headers.
    transfer->response.headers.clear();
    return n;
  }
  const size_t colon = line.find(':');
  if (colon == std::string_view::npos) return n;
  std::string_view value = line.substr(colon + 1);
  while (!value.empty() && (value.front() == ' ' || value.front() == '\t')) value.remove_prefix(1);
  while (!value.empty() && (value.back() == ' ' || value.back() == '\t')) value.remove_suffix(1);
  transfer->response.headers.emplace_back(std::string(line.substr(0, colon)), std::string(value));
  return n;
}

Status MapCurlError(CURLcode code, const Transfer& transfer, const char* detail,
                    const HttpRequest& request, const TransportOptions& options, bool stalled) {
  const std::string where = request.method + " " + request.url;
  // curl's own words, in English: its error buffer, which names the host and
  // usually repeats curl_easy_strerror, else that text alone.
  const std::string curl_text = detail[0] != '\0' ? std::string(detail) : std::string(curl_easy_strerror(code));
  if (transfer.cancelled) return Status(ErrorKind::kCancelled, Msg("cancelled")).WithContext(where);
  if (transfer.too_large || code == CURLE_FILESIZE_EXCEEDED) {
    return Status(ErrorKind::kProtocol, Msg("response larger than {} bytes", options.max_response_bytes)).WithContext(where);
  }
  switch (code) {
    case CURLE_OPERATION_TIMEDOUT:
      if (stalled)
        return Status(ErrorKind::kUnavailable, Msg("no data from the portal for {} s: {}", options.stall_timeout.count() / 1000, curl_text)).WithContext(where);
      return Status(ErrorKind::kDeadlineExceeded, Msg("timed out: {}", curl_text)).WithContext(where);
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      return Status(ErrorKind::kUnavailable, Msg("could not resolve host: {}", curl_text)).WithContext(where);
    case CURLE_COULDNT_CONNECT:
      return Status(ErrorKind::kUnavailable, Msg("could not connect: {}", curl_text)).WithContext(where);
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
      return Status(ErrorKind::kUnavailable, Msg("connection failed: {}", curl_text)).WithContext(where);
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_CRL_BADFILE:
      return Status(ErrorKind::kInvalidConfig, Msg("cannot use the CA bundle '{}': {}", options.ca_bundle, curl_text)).WithContext(where);
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_USE_SSL_FAILED:
      return Status(ErrorKind::kUnavailable, Msg("TLS handshake or certificate verification failed (check the system clock, a TLS-intercepting proxy, or the ca_bundle option): {}", curl_text)).WithContext(where);
    case CURLE_UNSUPPORTED_PROTOCOL:
    case CURLE_URL_MALFORMAT:
      return Status(ErrorKind::kInvalidArgument, Msg("bad URL: {}", curl_text)).WithContext(where);
    case CURLE_ABORTED_BY_CALLBACK:
      return Status(ErrorKind::kCancelled, Msg("cancelled")).WithContext(where);
    default:
      return Status(ErrorKind::kUnavailable, curl_text).WithContext(where);
  }
}

class CurlTransport final : public HttpTransport {
 public:
  explicit CurlTransport(TransportOptions options) : options_(std::move(options)) {
    GlobalInitOnce();
    if (options_.user_agent.empty()) options_.user_agent = DefaultUserAgent();
    handle_ = curl_easy_init();
    multi_ = curl_multi_init();
  }
  ~CurlTransport() override {
    if (multi_ != nullptr) curl_multi_cleanup(multi_);
    if (handle_ != nullptr) curl_easy_cleanup(handle_);
  }
  CurlTransport(const CurlTransport&) = delete;
  CurlTransport& operator=(const CurlTransport&) = delete;

  StatusOr<HttpResponse> Send(const HttpRequest& request) override {
    if (handle_ == nullptr || multi_ == nullptr) return Status(ErrorKind::kInternal, Msg("curl_easy_init failed"));
    if (!IsAllowedUrl(request.url)) {
      return Status(ErrorKind::kInvalidArgument,
                    Msg("refusing to send to {}: only https:// URLs, or http:// to a loopback address (127.0.0.0/8, ::1, localhost), are allowed", request.url));
    }
    for (const auto& [name, value] : request.headers) {
      if ((name + value).find_first_of("\r\n") != std::string::npos) {
        return Status(ErrorKind::kInvalidArgument, Msg("header {} contains a line break", name));
      }
    }

    // Reset clears the previous request's options but keeps the connection
    // cache, so consecutive requests to the same host reuse one connection.
    curl_easy_reset(handle_);
    Transfer transfer;
    transfer.max_bytes = options_.max_response_bytes;
    char error_detail[CURL_ERROR_SIZE] = {0};

    curl_slist* headers = nullptr;
    for (const auto& [name, value] : request.headers) {
      // "Name;" is curl's way to send a header with an empty value.
      const std::string line = value.empty() ? name + ";" : name + ": " + value;
      headers = curl_slist_append(headers, line.c_str());
    }
    // No "Expect: 100-continue" round trip on larger POST bodies.
    headers = curl_slist_append(headers, "Expect:");

    CURL* h = handle_;
    curl_easy_setopt(h, CURLOPT_URL, request.url.c_str());
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);  // timeouts without SIGALRM: we run threads
    curl_easy_setopt(h, CURLOPT_TCP_NODELAY, 1L);
    curl_easy_setopt(h, CURLOPT_TCP_KEEPALIVE, 1L);
    std::chrono::milliseconds timeout = options_.total_timeout;
    if (request.timeout.count() > 0) timeout = std::min(timeout, request.timeout);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS,
                     static_cast<long>(std::min(options_.connect_timeout, timeout).count()));
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    if (options_.stall_timeout.count() > 0) {
      // Less than 1 byte/s for stall_timeout: nothing is coming.
      curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
      curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME,
                       static_cast<long>(std::max<long long>(1, options_.stall_timeout.count() / 1000)));
    }
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    if (!options_.ca_bundle.empty()) curl_easy_setopt(h, CURLOPT_CAINFO, options_.ca_bundle.c_str());
    // A proxy cannot reach our loopback; an http_proxy without a matching
    // no_proxy would otherwise send sandbox traffic to it.
    if (IsLoopbackHost(UrlHost(request.url))) curl_easy_setopt(h, CURLOPT_PROXY, "");
    curl_easy_setopt(h, CURLOPT_USERAGENT, options_.user_agent.c_str());
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, error_detail);
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(options_.max_response_bytes));
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, &OnBody);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &transfer);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, &OnHeader);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &transfer);
    if (request.method == "GET") {
      curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
    } else {
      if (request.method != "POST") curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, request.method.c_str());
      curl_easy_setopt(h, CURLOPT_POST, 1L);
      curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
      curl_easy_setopt(h, CURLOPT_POSTFIELDS, request.body.c_str());
    }

    const auto started = std::chrono::steady_clock::now();
    const CURLcode code = Perform(request.abort, transfer);
    const auto elapsed = std::chrono::steady_clock::now() - started;
    // curl reports a stall and the total timeout alike; a stall ends early.
    const bool stalled = code == CURLE_OPERATION_TIMEDOUT && elapsed + std::chrono::milliseconds(500) < timeout;
    curl_slist_free_all(headers);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, nullptr);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, nullptr);
    if (code != CURLE_OK) return MapCurlError(code, transfer, error_detail, request, options_, stalled);

    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    transfer.response.status = static_cast<int>(status);
    return std::move(transfer.response);
  }

 private:
  // Wakes the multi handle's poll from any thread when abort is requested.
  struct Wake {
    CURLM* multi;
    void operator()() const noexcept { curl_multi_wakeup(multi); }
  };

  // Runs the transfer through the multi handle, so that a stop request wakes
  // it at once (an easy handle's progress callback runs only about once a
  // second while the portal is silent). The multi handle also keeps the
  // connection cache, so keep-alive works across requests.
  CURLcode Perform(const std::stop_token& abort, Transfer& transfer) {
    if (abort.stop_requested()) {
      transfer.cancelled = true;
      return CURLE_ABORTED_BY_CALLBACK;
    }
    if (curl_multi_add_handle(multi_, handle_) != CURLM_OK) return CURLE_FAILED_INIT;
    CURLcode result = CURLE_OK;
    {
      std::stop_callback<Wake> wake(abort, Wake{multi_});
      for (;;) {
        int running = 0;
        if (curl_multi_perform(multi_, &running) != CURLM_OK) {
          result = CURLE_FAILED_INIT;
          break;
        }
        if (running == 0) {
          int left = 0;
          while (CURLMsg* msg = curl_multi_info_read(multi_, &left))
            if (msg->msg == CURLMSG_DONE && msg->easy_handle == handle_) result = msg->data.result;
          break;
        }
        if (abort.stop_requested()) {
          transfer.cancelled = true;
          result = CURLE_ABORTED_BY_CALLBACK;
          break;
        }
        if (curl_multi_poll(multi_, nullptr, 0, 1000, nullptr) != CURLM_OK) {
          result = CURLE_FAILED_INIT;
          break;
        }
      }
    }
    curl_multi_remove_handle(multi_, handle_);
    return result;
  }

  TransportOptions options_;
  CURL* handle_ = nullptr;
  CURLM* multi_ = nullptr;
};

}  // namespace

const std::string* FindHeader(const Headers& headers, std::string_view name) {
  for (const auto& [key, value] : headers) {
    if (EqualsIgnoreCase(key, name)) return &value;
  }
  return nullptr;
}

bool IsAllowedUrl(std::string_view url) {
  if (StartsWithIgnoreCase(url, "https://")) return !UrlHost(url).empty();
  if (StartsWithIgnoreCase(url, "http://")) return IsLoopbackHost(UrlHost(url));
  return false;
}

std::string DefaultUserAgent() { return std::string("chorus/") + CHORUS_VERSION; }

std::unique_ptr<HttpTransport> MakeCurlTransport(TransportOptions options) {
  return std::make_unique<CurlTransport>(std::move(options));
}

}  // namespace chorus
