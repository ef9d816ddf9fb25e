// The HTTP side of the sandbox: one listener with the PISTE token endpoint,
// the /cpro API, the activation link and the loopback-only /_sandbox admin
// endpoints; authentication, knobs (latency, failures, resets, quota) and
// call statistics.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace sandbox {

class Portal;

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8787;
  std::string data_dir;
  std::map<std::string, std::string> clients;  // client_id -> client_secret
  int64_t token_ttl = 3600;
  int latency_ms = 0;
  double fail_rate = 0;
  double reset_rate = 0;
  int quota = 0;  // requests per second per client id; 0 = unlimited
  int threads = 32;
};

// Serves until SIGTERM/SIGINT (which the caller must have blocked in every
// thread); prints the base URL on stdout first. Returns the exit code.
int RunServer(Portal& portal, const ServerOptions& options);

}  // namespace sandbox
