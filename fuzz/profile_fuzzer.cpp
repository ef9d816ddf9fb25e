// ParseConfig on arbitrary text. Properties: an error is kInvalidConfig and
// names the file; a parsed config serialises (as `chorus profile` writes it)
// to text that parses back to the same profiles.
#include <cstddef>
#include <cstdint>
#include <string>

#include "chorus/profile.h"
#include "fuzz_input.h"

namespace {

bool SameProfile(const chorus::Profile& a, const chorus::Profile& b) {
  return a.name == b.name && a.environment == b.environment && a.api_url == b.api_url &&
         a.oauth_url == b.oauth_url && a.client_id == b.client_id &&
         a.client_secret_cmd == b.client_secret_cmd &&
         a.client_secret_file == b.client_secret_file && a.login == b.login &&
         a.password_cmd == b.password_cmd && a.password_file == b.password_file &&
         a.ca_bundle == b.ca_bundle && a.timeout == b.timeout;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto config = chorus::ParseConfig(text, "fuzz.toml");
  if (!config.ok()) {
    FUZZ_CHECK(config.status().kind() == chorus::ErrorKind::kInvalidConfig,
               config.status().message());
    FUZZ_CHECK(config.status().message().rfind("fuzz.toml", 0) == 0, config.status().message());
    return 0;
  }
  std::string written = chorus::SerializeConfig(*config);
  auto again = chorus::ParseConfig(written, "written.toml");
  FUZZ_CHECK(again.ok(), again.ok() ? written : again.status().message() + "\n" + written);
  FUZZ_CHECK(again->default_profile == config->default_profile, written);
  FUZZ_CHECK(again->profiles.size() == config->profiles.size(), written);
  for (size_t i = 0; i < config->profiles.size(); ++i)
    FUZZ_CHECK(SameProfile(again->profiles[i], config->profiles[i]), written);
  return 0;
}
