// A session ties a resolved profile to the network: one shared token
// provider, tracer and login budget, and a PortalConnection per worker thread.
#pragma once

#include <chrono>
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

class LoginBudget;

// One operation's time limit when neither the caller nor the profile sets one:
// a portal that trickles or stalls fails well within 90 s.
inline constexpr std::chrono::milliseconds kDefaultTimeout{60'000};

struct SessionOptions {
  Profile profile;
  std::string client_secret;
  // The portal account; absent for calls made without cpro-account (sign-up,
  // activation) and for checks that only need a token.
  std::optional<AccountCredentials> account;
  std::shared_ptr<Tracer> tracer;  // -vv: every request and response
  // -v: told of every HTTP exchange (the token endpoint's too) and every
  // retry; must be thread-safe. Optional.
  CallObserver on_call;
  RetryPolicy retry;
  BackoffPolicy backoff;
  // Told every secret value the session will send (client secret, password,
  // the cpro-account value, each access token), so that the caller can keep
  // them out of anything it prints, portal messages included.
  std::function<void(const std::string&)> on_secret;
  // How long one operation may take, retries included; 0: the profile's
  // `timeout`, else kDefaultTimeout.
  std::chrono::milliseconds timeout{0};
  // A transfer that receives nothing for this long fails (0: never).
  std::chrono::milliseconds stall_timeout{30'000};
  // $XDG_STATE_HOME/chorus, where refused logins are remembered (see
  // login_budget.h); empty: they are not.
  std::string state_dir;
  // Send credentials remembered as refused once more, on purpose.
  bool retry_login = false;
  // Builds each transport (the token endpoint's and each connection's);
  // empty: libcurl with the profile's CA bundle and these timeouts. Tests
  // pass fakes here.
  TransportFactory transport_factory;
};

class Session {
 public:
  // Checks the URLs (https, or http to loopback only) before anything is sent.
  static StatusOr<std::unique_ptr<Session>> Open(SessionOptions options,
                                                 Clock& clock = SystemClock());

  // A new connection with its own transport (and so its own keep-alive
  // socket); connections share the token provider, tracer and login budget.
  std::unique_ptr<PortalConnection> NewConnection() const;
  // A bare transport with the profile's timeouts and CA bundle (traced at -vv).
  std::unique_ptr<HttpTransport> NewTransport() const;

  TokenProvider& tokens() const { return *tokens_; }
  const Profile& profile() const { return options_.profile; }
  const SessionOptions& options() const { return options_; }
  Clock& clock() const { return clock_; }
  // The effective operation timeout.
  std::chrono::milliseconds timeout() const { return timeout_; }

  // The refusal of the account's credentials remembered from an earlier run
  // (unless retry_login) or seen in this one, as an error; OK otherwise. Calls
  // carrying the account fail with it without being sent.
  Status login_status() const;
  // The account's login budget; null without an account or a state_dir.
  const std::shared_ptr<LoginBudget>& login_budget() const { return login_budget_; }

 private:
  Session(SessionOptions options, Clock& clock);
  SessionOptions options_;
  Clock& clock_;
  std::chrono::milliseconds timeout_;
  TransportOptions transport_options_;
  std::shared_ptr<TokenProvider> tokens_;
  std::shared_ptr<LoginBudget> login_budget_;
};

}  // namespace chorus
