#include "chorus/token.h"

#include <algorithm>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "chorus/i18n.h"
#include "chorus/retry.h"

namespace chorus {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// When the token endpoint omits expires_in: short enough to be harmless.
constexpr seconds kDefaultLifetime{300};
// What the endpoint says is bounded: under a second every call would fetch a
// token; past a day the clock arithmetic overflows (expires_in "99999999999"
// did, under UBSan), and no PISTE token lives that long.
constexpr seconds kMinLifetime{1};
constexpr seconds kMaxLifetime{86400};

std::optional<long long> JsonInteger(const nlohmann::json& value) {
  if (value.is_number_unsigned())
    return static_cast<long long>(std::min<std::uint64_t>(value.get<std::uint64_t>(), kMaxLifetime.count()));
  if (value.is_number_integer()) return value.get<long long>();
  if (value.is_number_float()) {
    // Out of long long's range the cast would be undefined; a part second counts as one.
    double d = std::clamp(value.get<double>(), -1.0, static_cast<double>(kMaxLifetime.count()));
    return d > 0 && d < 1 ? 1 : static_cast<long long>(d);
  }
  if (value.is_string()) {
    const auto& s = value.get_ref<const std::string&>();
    if (!s.empty() && s.size() < 12 && std::all_of(s.begin(), s.end(), [](char c) {
          return c >= '0' && c <= '9';
        })) {
      return std::stoll(s);
    }
  }
  return std::nullopt;
}

// "invalid_client (Bad client credentials)" from an OAuth error body, or "".
std::string OAuthError(const nlohmann::json& body) {
  if (!body.is_object()) return "";
  std::string out;
  if (auto it = body.find("error"); it != body.end() && it->is_string()) out = it->get<std::string>();
  if (auto it = body.find("error_description"); it != body.end() && it->is_string()) {
    out += out.empty() ? "" : " ";
    out += "(" + it->get<std::string>() + ")";
  }
  return out;
}

class ClientCredentialsTokenProvider final : public TokenProvider {
 public:
  ClientCredentialsTokenProvider(ClientCredentials credentials,
                                 std::unique_ptr<HttpTransport> transport, Clock& clock)
      : credentials_(std::move(credentials)), transport_(std::move(transport)), clock_(clock) {}

  StatusOr<std::string> GetToken(const CancelToken& cancel, milliseconds timeout) override {
    std::unique_lock lock(mu_);
    // One fetch at a time: the others wait for it rather than each asking
    // the endpoint, and the transport is used by one thread.
    if (!fetched_.wait(lock, cancel.stop(), [this] { return !fetching_; }) || cancel.stop_requested())
      return Status(ErrorKind::kCancelled, Msg("cancelled: no token fetched"));
    if (!token_.empty() && clock_.Now() < refresh_at_) return token_;
    token_.clear();
    fetching_ = true;
    lock.unlock();
    auto fetched = Fetch(cancel, timeout);
    lock.lock();
    fetching_ = false;
    fetched_.notify_all();
    if (!fetched.ok()) return fetched.status();
    token_ = std::move(fetched->token);
    refresh_at_ = fetched->refresh_at;
    return token_;
  }

  void Invalidate(std::string_view rejected_token) override {
    std::lock_guard lock(mu_);
    if (token_ == rejected_token) token_.clear();
  }

 private:
  struct Fetched {
    std::string token;
    Clock::time_point refresh_at;
  };

  StatusOr<Fetched> Fetch(const CancelToken& cancel, milliseconds timeout) {
    HttpRequest request;
    request.method = "POST";
    request.url = credentials_.token_url;
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                       {"Accept", "application/json"}};
    request.body = ClientCredentialsFormBody(credentials_);
    request.abort = cancel.abort();
    request.timeout = timeout;
    const auto sent_at = clock_.Now();
    auto response = transport_->Send(request);
    if (!response.ok()) {
      Status status = response.status();
      return Status(status.kind(), Message{Msg("token request failed: {}", status.message()).english,
                                           Msg("token request failed: {}", status.localized_message()).localized});
    }
    const int http = response->status;
    auto body = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
    if (http < 200 || http > 299) return ErrorFor(*response, body);
    if (body.is_discarded() || !body.is_object()) {
      return Status(ErrorKind::kProtocol, Msg("token endpoint answered HTTP {} with a body that is not a JSON object", http))
          .set_http_status(http);
    }
    auto token_it = body.find("access_token");
    if (token_it == body.end() || !token_it->is_string() || token_it->get_ref<const std::string&>().empty()) {
      return Status(ErrorKind::kProtocol, Msg("token endpoint answer has no access_token"))
          .set_http_status(http);
    }
    seconds lifetime = kDefaultLifetime;
    if (auto it = body.find("expires_in"); it != body.end()) {
      auto value = JsonInteger(*it);
      if (!value || *value <= 0) {
        return Status(ErrorKind::kProtocol, Msg("token endpoint answer has an invalid expires_in"))
            .set_http_status(http);
      }
      lifetime = std::clamp(seconds(*value), kMinLifetime, kMaxLifetime);
    }
    // Renew early so a token never expires in flight: 10 % of its life, at
    // most 60 s; in milliseconds, so that a 1-second token gets a margin too.
    const milliseconds life = lifetime;
    const milliseconds margin = std::min<milliseconds>(seconds(60), life / 10);
    return Fetched{token_it->get<std::string>(), sent_at + (life - margin)};
  }

  Status ErrorFor(const HttpResponse& response, const nlohmann::json& body) const {
    const int http = response.status;
    const std::string oauth = body.is_discarded() ? "" : OAuthError(body);
    // Each kind of refusal, with the OAuth error when the endpoint gave one.
    auto said = [&](Message m) {
      if (oauth.empty()) return m;
      m.english += ": " + oauth;
      if (!m.localized.empty()) m.localized += ": " + oauth;
      return m;
    };
    Status status;
    if (http == 400 || http == 401) {
      status = Status(ErrorKind::kUnauthenticated, said(Msg("the token endpoint refused the client credentials")));
    } else if (http == 403) {
      status = Status(ErrorKind::kPermissionDenied, said(Msg("the token endpoint denied access")));
    } else if (http == 429) {
      status = Status(ErrorKind::kResourceExhausted, said(Msg("the token endpoint is rate limiting")));
    } else if (http >= 500) {
      status = Status(ErrorKind::kUnavailable, said(Msg("the token endpoint is unavailable")));
    } else {
      status = Status(ErrorKind::kProtocol, said(Msg("unexpected answer from the token endpoint")));
    }
    status.set_http_status(http);
    if (const std::string* retry_after = FindHeader(response.headers, "Retry-After")) {
      if (auto wait = ParseRetryAfter(*retry_after, clock_.WallNow())) status.set_retry_after(*wait);
    }
    return status;
  }

  const ClientCredentials credentials_;
  std::mutex mu_;
  std::condition_variable_any fetched_;
  bool fetching_ = false;  // a thread is fetching (without holding mu_)
  std::unique_ptr<HttpTransport> transport_;
  Clock& clock_;
  std::string token_;  // empty: none cached
  Clock::time_point refresh_at_{};
};

}  // namespace

std::string FormUrlEncode(std::string_view value) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char c : value) {
    const auto u = static_cast<unsigned char>(c);
    if ((u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') || u == '-' ||
        u == '.' || u == '_' || u == '~') {
      out += c;
    } else if (u == ' ') {
      out += '+';
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 0x0F];
    }
  }
  return out;
}

std::string ClientCredentialsFormBody(const ClientCredentials& credentials) {
  std::string body = "grant_type=client_credentials";
  body += "&client_id=" + FormUrlEncode(credentials.client_id);
  body += "&client_secret=" + FormUrlEncode(credentials.client_secret);
  if (!credentials.scope.empty()) body += "&scope=" + FormUrlEncode(credentials.scope);
  return body;
}

std::shared_ptr<TokenProvider> MakeClientCredentialsTokenProvider(
    ClientCredentials credentials, std::unique_ptr<HttpTransport> transport, Clock& clock) {
  return std::make_shared<ClientCredentialsTokenProvider>(std::move(credentials),
                                                          std::move(transport), clock);
}

}  // namespace chorus
