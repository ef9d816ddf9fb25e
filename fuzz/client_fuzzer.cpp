// The typed client's JSON decoders: each chorus::Client method over a fake
// transport that answers every request with the fuzzed status and body.
// Input: [method selector][status selector][body...]
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "chorus/client.h"
#include "chorus/portal.h"
#include "fuzz_input.h"
#include "support/fakes.h"

namespace {

using chorus::testing::FakeClock;
using chorus::testing::FakeTokenProvider;
using chorus::testing::FakeTransport;

constexpr int kStatuses[] = {200, 200, 200, 200, 201, 400, 401, 403, 404, 409, 429, 500, 302};
// Enough answers for a few pages and retries; past them the fake transport
// fails, which ends any loop the body could otherwise make endless.
constexpr int kAnswers = 6;

void Exercise(chorus::Client& client, unsigned method) {
  switch (method) {
    case 0: (void)client.HealthCheck(); break;
    case 1: (void)client.SearchStructures("73282932000074", "", 0); break;
    case 2: (void)client.FindStructure("73282932000074"); break;
    case 3: (void)client.ConsultStructure(42); break;
    case 4: (void)client.MyAttachments(); break;
    case 5: {
      chorus::SignupRequest request;
      request.email = "marie.martin@cg-beauce.example";
      request.first_name = "Marie";
      request.last_name = "Martin";
      request.siret = "73282932000074";
      request.spaces = {"SOLLICITATIONS_EMISES"};
      request.new_structure = chorus::NewStructure{"CG Beauce", "1 rue", "28000", "Chartres"};
      (void)client.Signup(request);
      break;
    }
    case 6: (void)client.Activate({"tok", "Secret-Passw0rd!", "q", "a"}); break;
    case 7: (void)client.MyAccount(); break;
    case 8: (void)client.SetCentreDeGestion(42, true); break;
    case 9: (void)client.ChangeSpace(42, std::string(chorus::kTicSpace), true); break;
    case 10: {
      auto r = client.RequestAttachment("73282932000074");
      if (!r.ok()) {
        (void)chorus::IsAlreadyPending(r.status());
        (void)chorus::IsAlreadyAttached(r.status());
      }
      break;
    }
    case 11: (void)client.RequestAttachment(std::int64_t{42}); break;
    case 12: (void)client.MyRequests(); break;
    case 13: (void)client.PendingForManager({42, "a@b.example"}); break;
    case 14: (void)client.Decide(7, true, "ok"); break;
    default: (void)client.Decide(7, false, ""); break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  chorus_fuzz::Input input(data, size);
  unsigned method = input.Pick(16);
  int status = kStatuses[input.Pick(sizeof kStatuses / sizeof kStatuses[0])];
  std::string body(input.Rest());

  FakeClock clock;
  auto transport = std::make_unique<FakeTransport>();
  for (int i = 0; i < kAnswers; ++i) transport->Push(chorus::testing::Reply(status, body));
  chorus::PortalOptions options;
  options.api_base_url = "http://127.0.0.1:9/cpro";
  options.account = chorus::AccountCredentials{"marie.martin@cg-beauce.example", "pw"};
  options.random = [] { return 0.5; };
  chorus::PortalConnection connection(options, std::make_shared<FakeTokenProvider>(),
                                      std::move(transport), clock);
  chorus::Client client(connection);
  Exercise(client, method);
  return 0;
}
