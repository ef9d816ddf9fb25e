// Runs the real chorus binary with a private config directory.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "support/process.h"

namespace chorus::testing {

class ChorusRunner {
 public:
  ChorusRunner() = default;
  // Runs `chorus args...` with XDG dirs inside a private temp dir, no
  // CHORUS_* variables from the outer environment, and stdin not a terminal.
  ProcessResult Run(const std::vector<std::string>& args, const std::string& stdin_data = "",
                    const std::vector<std::string>& extra_env = {}) const {
    return RunProcess(Argv(args), Options(stdin_data, extra_env));
  }
  std::vector<std::string> Argv(const std::vector<std::string>& args) const {
    std::vector<std::string> argv = {CHORUS_BIN};
    argv.insert(argv.end(), args.begin(), args.end());
    return argv;
  }
  ProcessOptions Options(const std::string& stdin_data = "",
                         const std::vector<std::string>& extra_env = {}) const {
    ProcessOptions o;
    o.env = {"XDG_CONFIG_HOME=" + dir.File("config"), "XDG_STATE_HOME=" + dir.File("state"),
             "HOME=" + dir.path()};
    o.env.insert(o.env.end(), extra_env.begin(), extra_env.end());
    o.unset_env = {"CHORUS_PROFILE", "CHORUS_CONFIG", "CHORUS_API_URL", "CHORUS_OAUTH_URL",
                   "CHORUS_CLIENT_ID", "CHORUS_LOGIN", "CHORUS_CLIENT_SECRET",
                   "CHORUS_PASSWORD", "CHORUS_ENVIRONMENT", "NO_COLOR", "CLICOLOR_FORCE"};
    o.stdin_data = stdin_data;
    return o;
  }
  std::string ConfigPath() const { return dir.File("config/chorus/config.toml"); }

  TempDir dir;
};

// The item records of `-o ndjson` output, one a line; a last line without
// its newline is not counted, nor the bulk runs' closing {"summary": ...}.
inline std::vector<nlohmann::json> NdjsonLines(const std::string& ndjson) {
  std::vector<nlohmann::json> out;
  std::size_t start = 0, nl;
  while ((nl = ndjson.find('\n', start)) != std::string::npos) {
    auto doc = nlohmann::json::parse(ndjson.substr(start, nl - start));
    if (!(doc.is_object() && doc.size() == 1 && doc.contains("summary"))) out.push_back(std::move(doc));
    start = nl + 1;
  }
  return out;
}

// The summary record that ends a bulk run's NDJSON stream (its last line),
// or null when the last line is not one.
inline nlohmann::json NdjsonSummary(const std::string& ndjson) {
  if (ndjson.empty() || ndjson.back() != '\n') return nullptr;
  const std::size_t start = ndjson.rfind('\n', ndjson.size() - 2);
  auto doc = nlohmann::json::parse(ndjson.substr(start == std::string::npos ? 0 : start + 1), nullptr, false);
  return doc.is_object() && doc.contains("summary") ? doc["summary"] : nlohmann::json(nullptr);
}

}  // namespace chorus::testing
