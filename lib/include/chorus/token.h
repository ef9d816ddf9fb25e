// OAuth2 access tokens for the PISTE gateway (client-credentials grant).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "chorus/cancel.h"
#include "chorus/clock.h"
#include "chorus/http.h"
#include "chorus/status.h"

namespace chorus {

// Hands out bearer tokens. Implementations are thread-safe: one provider is
// shared by every worker thread of a run.
class TokenProvider {
 public:
  virtual ~TokenProvider() = default;
  // A token valid for a while yet; fetches one when none is cached. Once
  // `cancel` asks to stop, nothing is fetched and a caller waiting for
  // another thread's fetch returns at once (kCancelled); an abort cuts the
  // fetch in flight. `timeout` (0: the transport's) bounds the fetch.
  virtual StatusOr<std::string> GetToken(const CancelToken& cancel = {},
                                         std::chrono::milliseconds timeout = std::chrono::milliseconds(0)) = 0;
  // Forgets `rejected_token` after the API answered 401 with it, so the next
  // GetToken() fetches a new one. A token other than the cached one is
  // ignored: when several threads see the same 401, only one refetch happens.
  virtual void Invalidate(std::string_view rejected_token) = 0;
};

struct ClientCredentials {
  std::string token_url;  // e.g. https://oauth.piste.gouv.fr/api/oauth/token
  std::string client_id;
  std::string client_secret;
  std::string scope = "openid";
};

// The client-credentials provider: POSTs a form-encoded grant_type,
// client_id, client_secret and scope to token_url, and caches access_token
// until shortly before expires_in runs out (min(60 s, 10 %) early);
// expires_in is taken between 1 s and 1 day, whatever the endpoint says.
// Concurrent callers wait for one fetch (and stop waiting when cancelled).
// `transport` is used by one fetch at a time;
// `clock` must outlive the provider.
// Errors: 400/401 -> kUnauthenticated with the OAuth error/error_description;
// 403 -> kPermissionDenied; 429 -> kResourceExhausted; 5xx -> kUnavailable;
// a 200 without access_token -> kProtocol; transport errors as they come.
std::shared_ptr<TokenProvider> MakeClientCredentialsTokenProvider(
    ClientCredentials credentials, std::unique_ptr<HttpTransport> transport,
    Clock& clock = SystemClock());

// The exact form body sent to the token endpoint (exposed for tests and --dry-run).
std::string ClientCredentialsFormBody(const ClientCredentials& credentials);

// application/x-www-form-urlencoded encoding of one value: unreserved
// characters (A-Z a-z 0-9 - . _ ~) as is, space as '+', the rest %XX.
std::string FormUrlEncode(std::string_view value);

}  // namespace chorus
