// The response decoders below the typed client: StatusFromResponse (envelope,
// HTTP status mapping, Retry-After) and the trace's redaction of bodies and
// headers, on arbitrary bytes.
// Input: [status selector][Retry-After length][Retry-After bytes...][body...]
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

#include "chorus/http.h"
#include "chorus/portal.h"
#include "chorus/trace.h"
#include "fuzz_input.h"

namespace {
constexpr int kStatuses[] = {200, 200, 200, 201, 204, 302, 400, 401, 403,
                             404, 408, 409, 410, 429, 500, 503, 100, 999};
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  chorus_fuzz::Input input(data, size);
  chorus::HttpResponse response;
  response.status = kStatuses[input.Pick(sizeof kStatuses / sizeof kStatuses[0])];
  unsigned retry_len = input.Pick(40);
  std::string_view rest = input.Rest();
  std::string_view retry_after = rest.substr(0, std::min<size_t>(retry_len, rest.size()));
  std::string_view body = rest.substr(retry_after.size());
  if (!retry_after.empty()) response.headers.emplace_back("Retry-After", std::string(retry_after));
  response.headers.emplace_back("Content-Type", "application/json");
  response.body = std::string(body);

  auto wall = std::chrono::system_clock::time_point(std::chrono::seconds(1767225600));
  chorus::Status status = chorus::StatusFromResponse(response, wall);
  if (response.status < 200 || response.status >= 300)
    FUZZ_CHECK(!status.ok(), response.body);
  if (!status.ok()) FUZZ_CHECK(!status.message().empty(), response.body);
  if (status.ok()) FUZZ_CHECK(status.details().empty(), response.body);
  for (const auto& [key, value] : status.details())
    FUZZ_CHECK(key == "champ" || key == "idDemandeRattachement" || key == "statut", key);

  std::string redacted = chorus::RedactBody(body);
  (void)redacted;
  (void)chorus::RedactHeaderValue("Authorization", body);
  (void)chorus::RedactHeaderValue("cpro-account", body);
  (void)chorus::RedactSecrets(body, {std::string(retry_after)});
  return 0;
}
