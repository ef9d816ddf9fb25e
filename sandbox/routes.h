// The route table: each path of the sandbox, who may call it, and the portal
// operation that answers it. The server (server.cpp) authenticates the caller
// as `access` says, parses the body and wraps the reply in the envelope.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace httplib {
struct Request;
struct Response;
}  // namespace httplib

namespace sandbox {

using Json = nlohmann::json;
class Portal;

enum class Access {
  kPublic,    // no credentials (token endpoint, activation link)
  kToken,     // Bearer token only (sign-up, activation)
  kAccount,   // Bearer token + cpro-account
  kLoopback,  // admin: callers on 127.0.0.1/::1 only
};

// One request on its way through a route.
struct Call {
  const httplib::Request& req;
  httplib::Response& res;
  int64_t user = 0;       // the cpro-account's user (kAccount routes)
  std::string client_id;  // the Bearer token's OAuth client (kToken, kAccount)
};

struct Reply {
  Json body;
  bool envelope = true;  // add codeRetour/libelle (everything but the OAuth endpoint)
};

// Whether the answers of a route are kept until the data changes
// (answer_memo.h): only for reads whose answer depends on nothing but the
// caller, the body and the data (not on the clock).
enum class Memo {
  kNo,
  kPerCaller,  // the answer depends on who asks (rights, "my" lists)
  kShared,     // any caller gets the same answer (or a refusal from Authorise)
};

struct Route {
  std::string method;
  std::string path;
  Access access;
  std::function<Reply(Call&, const Json&)> handler;
  Memo memo = Memo::kNo;
};

// The portal's routes: the activation link and the /cpro API.
std::vector<Route> PortalRoutes(Portal& portal);

}  // namespace sandbox
