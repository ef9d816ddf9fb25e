#include "chorus/session.h"

#include <mutex>

#include "chorus/i18n.h"
#include "chorus/login_budget.h"

namespace chorus {
namespace {

// Passes each new access token to `note` before anyone can send it.
class NotingTokenProvider final : public TokenProvider {
 public:
  NotingTokenProvider(std::shared_ptr<TokenProvider> inner, std::function<void(const std::string&)> note)
      : inner_(std::move(inner)), note_(std::move(note)) {}
  StatusOr<std::string> GetToken(const CancelToken& cancel, std::chrono::milliseconds timeout) override {
    auto token = inner_->GetToken(cancel, timeout);
    if (token.ok()) {
      std::lock_guard lock(mu_);
      if (*token != last_) {
        last_ = *token;
        note_(last_);
      }
    }
    return token;
  }
  void Invalidate(std::string_view rejected_token) override { inner_->Invalidate(rejected_token); }

 private:
  std::shared_ptr<TokenProvider> inner_;
  std::function<void(const std::string&)> note_;
  std::mutex mu_;
  std::string last_;
};

}  // namespace

Session::Session(SessionOptions options, Clock& clock)
    : options_(std::move(options)), clock_(clock) {
  timeout_ = options_.timeout.count() > 0           ? options_.timeout
             : options_.profile.timeout.count() > 0 ? options_.profile.timeout
                                                    : kDefaultTimeout;
  // One attempt may use the whole operation's time; the portal layer cuts
  // each attempt to what is left of it.
  transport_options_.total_timeout = timeout_;
  transport_options_.stall_timeout = options_.stall_timeout;
  transport_options_.ca_bundle = options_.profile.ca_bundle;
  auto tracer = options_.tracer;
  auto caller = options_.on_secret;
  auto note = [tracer, caller](const std::string& secret) {
    if (secret.empty()) return;
    if (tracer) tracer->AddSecret(secret);
    if (caller) caller(secret);
  };
  note(options_.client_secret);
  if (options_.account) {
    note(options_.account->password);
    note(CproAccountHeaderValue(*options_.account));
    if (!options_.state_dir.empty()) {
      login_budget_ = std::make_shared<LoginBudget>(options_.state_dir, options_.profile.name, *options_.account);
      if (!options_.retry_login) (void)login_budget_->CheckRemembered();
    }
  }
  ClientCredentials credentials{options_.profile.oauth_url, options_.profile.client_id,
                                options_.client_secret};
  tokens_ = std::make_shared<NotingTokenProvider>(
      MakeClientCredentialsTokenProvider(std::move(credentials), NewTransport(), clock_), note);
}

StatusOr<std::unique_ptr<Session>> Session::Open(SessionOptions options, Clock& clock) {
  for (const std::string* url : {&options.profile.api_url, &options.profile.oauth_url}) {
    if (!IsAllowedUrl(*url))
      return Status(ErrorKind::kInvalidConfig,
                    Msg("profile \"{}\": refusing {}: plain http is allowed only to loopback addresses; use https", options.profile.name, *url));
  }
  return std::unique_ptr<Session>(new Session(std::move(options), clock));
}

Status Session::login_status() const {
  return login_budget_ ? login_budget_->CheckThisRun() : OkStatus();
}

std::unique_ptr<HttpTransport> Session::NewTransport() const {
  auto transport = options_.transport_factory ? options_.transport_factory() : MakeCurlTransport(transport_options_);
  if (options_.tracer) transport = MakeTracingTransport(std::move(transport), options_.tracer, clock_);
  if (options_.on_call) transport = MakeObservingTransport(std::move(transport), options_.on_call, clock_);
  return transport;
}

std::unique_ptr<PortalConnection> Session::NewConnection() const {
  PortalOptions portal;
  portal.api_base_url = options_.profile.api_url;
  portal.account = options_.account;
  portal.retry = options_.retry;
  portal.backoff = options_.backoff;
  portal.tracer = options_.tracer;
  portal.timeout = timeout_;
  portal.login_budget = login_budget_;
  portal.on_call = options_.on_call;
  return std::make_unique<PortalConnection>(std::move(portal), tokens_, NewTransport(), clock_);
}

}  // namespace chorus
