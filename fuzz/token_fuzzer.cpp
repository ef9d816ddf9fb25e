// The client-credentials token provider's parsing of the token endpoint's
// answer, on arbitrary bytes: [status selector][body...].
// Properties: no crash or UB (expires_in of any size or type); a token is
// handed out only from a 2xx answer, non-empty; it is cached (the second call
// sends nothing) and never for more than a day.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "chorus/token.h"
#include "fuzz_input.h"
#include "support/fakes.h"

namespace {
constexpr int kStatuses[] = {200, 200, 200, 201, 400, 401, 403, 429, 500, 503, 302, 999};
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  chorus_fuzz::Input input(data, size);
  int status = kStatuses[input.Pick(sizeof kStatuses / sizeof kStatuses[0])];
  std::string body(input.Rest());

  chorus::testing::FakeClock clock;
  auto wire = std::make_shared<chorus::testing::FakeTransport::Shared>();
  chorus::testing::FakeTransport transport(wire);
  auto provider = chorus::MakeClientCredentialsTokenProvider(
      {"http://127.0.0.1:9/api/oauth/token", "id", "secret", "openid"},
      std::make_unique<chorus::testing::FakeTransport>(wire), clock);
  transport.Push(chorus::testing::Reply(status, body, {{"Retry-After", "7"}}));

  auto token = provider->GetToken();
  if (!token.ok()) {
    FUZZ_CHECK(!token.status().message().empty(), body);
    return 0;
  }
  FUZZ_CHECK(status >= 200 && status < 300, body);
  FUZZ_CHECK(!token->empty(), body);
  auto again = provider->GetToken();
  FUZZ_CHECK(again.ok() && *again == *token && transport.sent() == 1, body);
  clock.Advance(std::chrono::hours(24) + std::chrono::seconds(1));
  (void)provider->GetToken();  // the queue is empty: an error, but it must ask
  FUZZ_CHECK(transport.sent() == 2, body);
  return 0;
}
