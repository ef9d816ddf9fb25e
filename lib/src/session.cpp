#include "chorus/session.h"

namespace chorus {

Session::Session(SessionOptions options, Clock& clock)
    : options_(std::move(options)), clock_(clock) {
  if (options_.profile.timeout_seconds > 0)
    transport_options_.total_timeout = std::chrono::seconds(options_.profile.timeout_seconds);
  transport_options_.ca_bundle = options_.profile.ca_bundle;
  if (options_.tracer) {
    options_.tracer->AddSecret(options_.client_secret);
    if (options_.account) options_.tracer->AddSecret(options_.account->password);
  }
  ClientCredentials credentials{options_.profile.oauth_url, options_.profile.client_id,
                                options_.client_secret};
  tokens_ = MakeClientCredentialsTokenProvider(std::move(credentials), NewTransport(), clock_);
}

StatusOr<std::unique_ptr<Session>> Session::Open(SessionOptions options, Clock& clock) {
  for (const std::string* url : {&options.profile.api_url, &options.profile.oauth_url}) {
    if (!IsAllowedUrl(*url))
      return Status(ErrorKind::kInvalidConfig,
                    "profile \"" + options.profile.name + "\": refusing " + *url +
                        ": plain http is allowed only to loopback addresses; use https");
  }
  return std::unique_ptr<Session>(new Session(std::move(options), clock));
}

std::unique_ptr<HttpTransport> Session::NewTransport() const {
  auto transport = MakeCurlTransport(transport_options_);
  if (options_.tracer) transport = MakeTracingTransport(std::move(transport), options_.tracer, clock_);
  return transport;
}

std::unique_ptr<PortalConnection> Session::NewConnection() const {
  PortalOptions portal;
  portal.api_base_url = options_.profile.api_url;
  portal.account = options_.account;
  portal.retry = options_.retry;
  portal.backoff = options_.backoff;
  portal.tracer = options_.tracer;
  return std::make_unique<PortalConnection>(std::move(portal), tokens_, NewTransport(), clock_);
}

}  // namespace chorus
