// A chorus::Client over a fake transport and clock: the answers a test
// queues with transport.Push() are what the portal "says".
#pragma once

#include <chrono>
#include <memory>

#include "chorus/client.h"
#include "chorus/portal.h"
#include "support/fakes.h"

namespace chorus::testing {

struct ClientFixture {
  FakeClock clock;
  std::shared_ptr<FakeTransport::Shared> wire = std::make_shared<FakeTransport::Shared>();
  FakeTransport transport{wire};
  PortalConnection connection{Options(), std::make_shared<FakeTokenProvider>(),
                              std::make_unique<FakeTransport>(wire), clock};
  Client client{connection};

  static PortalOptions Options() {
    PortalOptions options;
    options.api_base_url = "http://127.0.0.1:8080/cpro/";
    options.account = AccountCredentials{"gp@farm.example", "secret"};
    options.retry = RetryPolicy{3, std::chrono::milliseconds(0), std::chrono::seconds(60)};
    options.backoff = BackoffPolicy{std::chrono::milliseconds(100), 2.0, std::chrono::milliseconds(1000)};
    options.random = [] { return 0.5; };
    return options;
  }
};

}  // namespace chorus::testing
