// chorus-sandbox's request handlers: sandbox::Portal operations called with a
// fuzzed JSON body, as the server calls them, on a seeded database in a
// temporary directory (created once per process). Business errors (ApiError)
// are answers; any other exception is what the server would turn into a 500
// "erreur interne", so it fails the target.
// Input: [operation selector][user selector][JSON body...]
#include <stdlib.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "api_error.h"
#include "clock.h"
#include "credentials.h"
#include "fuzz_input.h"
#include "portal.h"

namespace {

struct World {
  std::string dir;
  sandbox::Clock clock{1767225600};  // 2026-01-01, fake: expiry is deterministic
  std::unique_ptr<sandbox::Portal> portal;

  World() {
    sandbox::InitCrypto();
    const char* tmp = getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/chorus-fuzz-sandbox-XXXXXX";
    if (!mkdtemp(pattern.data())) {
      std::perror("mkdtemp");
      std::abort();
    }
    dir = pattern;
    portal = std::make_unique<sandbox::Portal>(dir + "/sandbox.db", clock, sandbox::HashCost::kMin);
    portal->SeedDemo(4, dir);
  }
  ~World() {
    portal.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
};

World& TheWorld() {
  static World world;
  return world;
}

sandbox::Json Call(sandbox::Portal& p, unsigned op, int64_t me, const sandbox::Json& body) {
  switch (op) {
    case 0: return p.SignUp(body);
    case 1: return p.Activate(body);
    case 2: return p.MyAccount(me);
    case 3: return p.SearchStructures(me, body);
    case 4: return p.ConsultStructure(me, body);
    case 5: return p.ModifyStructure(me, body);
    case 6: return p.ChangeSpace(me, body, true);
    case 7: return p.ChangeSpace(me, body, false);
    case 8: return p.MyAttachments(me, body);
    case 9: return p.ListUserAttachments(me, body);
    case 10: return p.RequestAttachment(me, body);
    case 11: return p.MyRequests(me, body);
    case 12: return p.PendingRequestsForManager(me, body);
    case 13: return p.DecideRequest(me, body, true);
    case 14: return p.DecideRequest(me, body, false);
    case 15:
      return p.ActivationLinkInfo(body.is_object() && body.contains("jeton") &&
                                          body["jeton"].is_string()
                                      ? body["jeton"].get<std::string>()
                                      : std::string());
    case 16: {
      // The cpro-account check with a header value from the body (base64 of
      // login:password, or anything).
      std::string account = body.value("cproAccount", std::string("eEB5LmV4YW1wbGU6eA=="));
      return sandbox::Json{{"user", p.Authenticate(account)}};
    }
    case 17: return p.SearchServices(me, body);
    case 18: return p.ConsultService(me, body);
    case 19: return p.SiretInformation(me, body);
    default: {
      // recuperer/structures/actives/*: the space comes from the route, so
      // the body picks one (any string: the portal must not trust it).
      std::string space = body.value("codeEspace", std::string("FACTURES_EMISES"));
      return p.ActiveStructures(me, space);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  World& world = TheWorld();
  chorus_fuzz::Input input(data, size);
  unsigned op = input.Pick(21);
  int64_t me = static_cast<int64_t>(input.Pick(7));  // 0: no such user
  std::string_view text = input.Rest();
  // What the server does before calling a handler.
  sandbox::Json body = sandbox::Json::object();
  if (!text.empty()) {
    body = sandbox::Json::parse(text, nullptr, false);
    if (body.is_discarded()) return 0;
    if (body.is_null()) body = sandbox::Json::object();
    if (!body.is_object()) return 0;
  }
  try {
    sandbox::Json reply = Call(*world.portal, op, me, body);
    (void)reply.dump();  // the server serialises it; invalid UTF-8 would throw here
  } catch (const sandbox::ApiError&) {
    // A documented answer (4xx/5xx with an envelope).
  } catch (const nlohmann::json::type_error& e) {
    // body.value() above with a mistyped field: the fuzzer's own helper, not the portal.
    if ((op == 16 || op == 20) && e.id == 302) return 0;
    chorus_fuzz::Fail("unexpected exception (the server answers 500)", e.what());
  } catch (const std::exception& e) {
    chorus_fuzz::Fail("unexpected exception (the server answers 500)", e.what());
  }
  return 0;
}
