// A session ties a resolved profile to the network: one shared token
// provider and tracer, and a PortalConnection per worker thread.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "chorus/clock.h"
#include "chorus/http.h"
#include "chorus/portal.h"
#include "chorus/profile.h"
#include "chorus/retry.h"
#include "chorus/status.h"
#include "chorus/token.h"
#include "chorus/trace.h"

namespace chorus {

struct SessionOptions {
  Profile profile;
  std::string client_secret;
  // The portal account; absent for calls made without cpro-account (sign-up,
  // activation) and for checks that only need a token.
  std::optional<AccountCredentials> account;
  std::shared_ptr<Tracer> tracer;  // -vv: every request and response
  RetryPolicy retry;
  BackoffPolicy backoff;
  // Told every secret value the session will send (client secret, password,
  // the cpro-account value, each access token), so that the caller can keep
  // them out of anything it prints, portal messages included.
  std::function<void(const std::string&)> on_secret;
};

class Session {
 public:
  // Checks the URLs (https, or http to loopback only) before anything is sent.
  static StatusOr<std::unique_ptr<Session>> Open(SessionOptions options,
                                                 Clock& clock = SystemClock());

  // A new connection with its own transport (and so its own keep-alive
  // socket); connections share the token provider and the tracer.
  std::unique_ptr<PortalConnection> NewConnection() const;
  // A bare transport with the profile's timeouts and CA bundle (traced at -vv).
  std::unique_ptr<HttpTransport> NewTransport() const;

  TokenProvider& tokens() const { return *tokens_; }
  const Profile& profile() const { return options_.profile; }

 private:
  Session(SessionOptions options, Clock& clock);
  SessionOptions options_;
  Clock& clock_;
  TransportOptions transport_options_;
  std::shared_ptr<TokenProvider> tokens_;
};

}  // namespace chorus
