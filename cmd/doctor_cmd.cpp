// chorus doctor: check, in order, what a portal call needs: the config file
// and its permissions, the profile, the secrets, the portal, a token.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>

#include "app.h"

namespace chorus::cli {
namespace {

using nlohmann::json;

enum class CheckResult { kOk, kWarn, kFail, kSkip };

const char* ResultName(CheckResult r) {
  switch (r) {
    case CheckResult::kOk: return "ok";
    case CheckResult::kWarn: return "warn";
    case CheckResult::kFail: return "fail";
    case CheckResult::kSkip: return "skip";
  }
  return "fail";
}

class DoctorReport {
 public:
  explicit DoctorReport(App& app)
      : app_(app),
        printer_(app.Printer({{"check", "CHECK"}, {"result", "RESULT"}, {"detail", "DETAIL"}})) {}

  void Add(const std::string& check, CheckResult result, const std::string& detail,
           ErrorKind kind = ErrorKind::kUnknown) {
    std::string shown = ResultName(result);
    if (app_.color_stdout() && result == CheckResult::kFail) shown = "\x1b[31m" + shown + "\x1b[0m";
    if (app_.color_stdout() && result == CheckResult::kWarn) shown = "\x1b[33m" + shown + "\x1b[0m";
    bool plain = app_.format() == OutputFormat::kJson || app_.format() == OutputFormat::kNdjson;
    printer_->Print(json{{"check", check},
                         {"result", plain ? std::string(ResultName(result)) : shown},
                         {"detail", detail}});
    if (result == CheckResult::kFail && exit_code_ == 0) exit_code_ = ExitCodeFor(kind);
  }
  void Fail(const std::string& check, const Status& status) {
    Add(check, CheckResult::kFail, status.ToString(), status.kind());
  }
  int Finish() {
    printer_->Finish();
    return exit_code_;
  }

 private:
  App& app_;
  std::unique_ptr<RecordPrinter> printer_;
  int exit_code_ = 0;
};

int RunDoctor(App& app) {
  DoctorReport report(app);
  std::string path = app.ConfigFilePath();
  auto config = LoadConfigFile(path);
  if (!config.ok()) {
    report.Fail("config", config.status());
    return report.Finish();
  }
  report.Add("config", config->exists ? CheckResult::kOk : CheckResult::kWarn,
             config->exists ? path : path + " does not exist (profile from the environment only)");
  if (config->exists) {
    auto loose = PermissionWarning(path);
    report.Add("permissions", loose ? CheckResult::kWarn : CheckResult::kOk,
               loose ? *loose : "mode 0600");
  }
  for (const auto& w : config->warnings)
    if (w.find("readable by group") == std::string::npos) report.Add("config", CheckResult::kWarn, w);

  auto profile = ResolveProfile(*config, app.options.profile, app.env);
  if (!profile.ok()) {
    report.Fail("profile", profile.status());
    return report.Finish();
  }
  report.Add("profile", CheckResult::kOk,
             profile->name + " (" + EnvironmentName(profile->environment) + ", " +
                 profile->api_url + ")");

  auto secret = ResolveSecret(*profile, SecretKind::kClientSecret, app.env);
  if (secret.ok()) report.Add("client secret", CheckResult::kOk, "resolved");
  else report.Fail("client secret", secret.status());
  auto password = ResolveSecret(*profile, SecretKind::kPassword, app.env);
  if (profile->login.empty()) {
    report.Add("account", CheckResult::kWarn, "no login in the profile: only sign-up and activation will work");
  } else if (password.ok()) {
    report.Add("password", CheckResult::kOk, "resolved for " + profile->login);
  } else {
    report.Fail("password", password.status());
  }

  SessionOptions options;
  options.profile = *profile;
  options.client_secret = secret.ok() ? *secret : "";
  options.retry.max_attempts = 1;  // a diagnosis reports what happens, it does not insist
  if (app.options.verbosity >= 2) options.tracer = Tracer::ToStream(std::cerr);
  auto session = Session::Open(options);
  if (!session.ok()) {
    report.Fail("reachability", session.status());
    return report.Finish();
  }

  // Reachability: any HTTP answer from the health check proves the network path.
  auto transport = (*session)->NewTransport();
  HttpRequest ping;
  ping.method = "GET";
  ping.url = profile->api_url + "/transverses/v1/health-check";
  auto started = std::chrono::steady_clock::now();
  auto pong = transport->Send(ping);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  if (pong.ok())
    report.Add("reachability", CheckResult::kOk,
               profile->api_url + " answered HTTP " + std::to_string(pong->status) + " in " +
                   std::to_string(ms.count()) + " ms");
  else
    report.Fail("reachability", pong.status());

  if (!secret.ok()) {
    report.Add("token", CheckResult::kSkip, "no client secret");
    return report.Finish();
  }
  auto token = (*session)->tokens().GetToken();
  if (token.ok()) report.Add("token", CheckResult::kOk, "obtained from " + profile->oauth_url);
  else report.Fail("token", token.status());
  return report.Finish();
}

}  // namespace

void RegisterDoctorCommand(CLI::App& root, App& app, int* exit_code) {
  root.add_subcommand("doctor",
                      "Check config, file permissions, secrets, reachability, token and account; "
                      "exits non-zero with the code of the first failed check")
      ->callback([&app, exit_code] { *exit_code = RunDoctor(app); });
}

}  // namespace chorus::cli
