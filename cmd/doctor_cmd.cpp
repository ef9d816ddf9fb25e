// chorus doctor: check, in order, what a portal call needs: the config file
// and its permissions, the profile, the secrets, the portal, a token.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>

#include "app.h"
#include "tr.h"

namespace chorus::cli {
namespace {

using nlohmann::json;

// Whole days from today (UTC) to a YYYY-MM-DD date; nullopt if unreadable.
std::optional<long> DaysUntil(const std::string& date) {
  int y = 0, m = 0, d = 0;
  if (date.size() < 10 || std::sscanf(date.c_str(), "%4d-%2d-%2d", &y, &m, &d) != 3) return std::nullopt;
  std::chrono::year_month_day ymd{std::chrono::year(y), std::chrono::month(static_cast<unsigned>(m)),
                                  std::chrono::day(static_cast<unsigned>(d))};
  if (!ymd.ok()) return std::nullopt;
  auto today = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return (std::chrono::sys_days(ymd) - today).count();
}

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

// A table's words for the check ids and results, in the user's language;
// scripts select on the ids and results themselves.
std::string CheckWord(const std::string& check) {
  // TRANSLATORS: doctor's check names, in its table's first column.
  if (check == "config") return Tr("config");
  if (check == "permissions") return Tr("permissions");
  if (check == "profile") return Tr("profile");
  if (check == "client_secret") return Tr("client_secret");
  if (check == "password") return Tr("password");
  if (check == "token") return Tr("token");
  if (check == "reachability") return Tr("reachability");
  if (check == "account") return Tr("account");
  if (check == "password_expiry") return Tr("password_expiry");
  return check;
}

std::string ResultWord(CheckResult r) {
  switch (r) {
    // TRANSLATORS: doctor's results, in its table.
    case CheckResult::kOk: return Tr("ok");
    case CheckResult::kWarn: return Tr("warn");
    case CheckResult::kFail: return Tr("fail");
    case CheckResult::kSkip: return Tr("skip");
  }
  return Tr("fail");
}

Emphasis ResultEmphasis(const json& result) {
  if (result == "fail") return Emphasis::kBad;
  if (result == "warn") return Emphasis::kWarn;
  if (result == "ok") return Emphasis::kGood;
  return Emphasis::kNone;
}

// Check ids are identifiers (scripts select on them): lowercase, '_' for spaces.
class DoctorReport {
 public:
  explicit DoctorReport(App& app)
      : app_(app),
        printer_(app.Printer({{"check", Tr("CHECK")},
                              {"result", Tr("RESULT"), true, ResultEmphasis},
                              {"detail", Tr("DETAIL")}})),
        // The detail is for people in a table; the other formats keep English.
        localized_(app.format() == OutputFormat::kTable || app.format() == OutputFormat::kWide) {}

  // detail: Msg(...), or a text that is the same in every language (a path).
  void Add(const std::string& check, CheckResult result, const Message& detail,
           ErrorKind kind = ErrorKind::kUnknown) {
    const std::string& text = localized_ && !detail.localized.empty() ? detail.localized : detail.english;
    printer_->Print(json{{"check", check},
                         {"result", ResultName(result)},
                         {"detail", text},
                         {HumanKey("check"), CheckWord(check)},
                         {HumanKey("result"), ResultWord(result)}});
    if (result == CheckResult::kFail && exit_code_ == 0) exit_code_ = ExitCodeFor(kind);
  }
  void Add(const std::string& check, CheckResult result, const std::string& detail,
           ErrorKind kind = ErrorKind::kUnknown) {
    Add(check, result, Message{detail, ""}, kind);
  }
  void Fail(const std::string& check, const Status& status) {
    Message detail{app_.Redact(status.ToString()), ""};
    if (status.localized_message() != status.message())
      detail.localized = app_.Redact(status.WithMessage(status.localized_message()).ToString());
    Add(check, CheckResult::kFail, detail, status.kind());
  }
  int Finish() {
    printer_->Finish();
    return exit_code_;
  }

 private:
  App& app_;
  std::unique_ptr<RecordPrinter> printer_;
  bool localized_;
  int exit_code_ = 0;
};

// The account: the portal accepts the login, and the technical account's
// password is not about to expire (it must be renewed every 424 days).
void CheckAccount(DoctorReport& report, const Session& session, const CancelToken& cancel) {
  auto connection = session.NewConnection();
  Client client(*connection);
  client.set_cancel(cancel);
  auto attachments = client.MyAttachments();
  if (!attachments.ok()) {
    report.Fail("account", attachments.status());
    return;
  }
  report.Add("account", CheckResult::kOk,
             MsgN("{} accepted; {} active attachment", "{} accepted; {} active attachments", attachments->size(),
                  session.profile().login, attachments->size()));
  // The technical account's password expires (every 424 days on PISTE); the
  // structures it manages carry the date.
  std::string soonest;
  std::string where;
  for (const auto& a : *attachments) {
    if (a.role != "GESTIONNAIRE_PRINCIPAL" && a.role != "GESTIONNAIRE") continue;
    auto details = client.ConsultStructure(a.structure_id);
    if (!details.ok() || details->tech_password_expiry.empty()) continue;
    if (soonest.empty() || details->tech_password_expiry < soonest) {
      soonest = details->tech_password_expiry;
      where = details->identifier;
    }
  }
  if (soonest.empty()) {
    report.Add("password_expiry", CheckResult::kSkip, Msg("no expiry date published for this account"));
    return;
  }
  auto days = DaysUntil(soonest);
  if (!days) {
    report.Add("password_expiry", CheckResult::kWarn, Msg("unreadable date \"{}\"", soonest));
  } else if (*days < 0) {
    report.Add("password_expiry", CheckResult::kFail,
               Msg("the technical account password expired on {} (structure {}); the main manager must renew it "
                   "on the portal",
                   CalendarDate{soonest}, where),
               ErrorKind::kUnauthenticated);
  } else if (*days <= 30) {
    report.Add("password_expiry", CheckResult::kWarn,
               MsgN("the technical account password expires on {}, in {} day (structure {}); have the main "
                    "manager renew it",
                    "the technical account password expires on {}, in {} days (structure {}); have the main "
                    "manager renew it",
                    static_cast<unsigned long>(*days), CalendarDate{soonest}, *days, where));
  } else {
    report.Add("password_expiry", CheckResult::kOk, Msg("expires on {}", CalendarDate{soonest}));
  }
}

// The config file, its permissions and the profile; nullopt when a failure
// there leaves nothing more to check.
std::optional<Profile> CheckConfig(App& app, DoctorReport& report) {
  std::string path = app.ConfigFilePath();
  auto config = LoadConfigFile(path);
  if (!config.ok()) {
    report.Fail("config", config.status());
    return std::nullopt;
  }
  report.Add("config", config->exists ? CheckResult::kOk : CheckResult::kWarn,
             config->exists ? Message{path, ""}
                            : Msg("{} does not exist (profile from the environment only)", path));
  if (config->exists) {
    auto loose = PermissionWarning(path);
    report.Add("permissions", loose ? CheckResult::kWarn : CheckResult::kOk, loose ? *loose : Msg("mode 0600"));
  }
  for (const auto& w : config->warnings)
    if (w.english.find("readable by group") == std::string::npos) report.Add("config", CheckResult::kWarn, w);
  auto profile = ResolveProfile(*config, app.options.profile, app.env);
  if (!profile.ok()) {
    report.Fail("profile", profile.status());
    return std::nullopt;
  }
  report.Add("profile", CheckResult::kOk,
             profile->name + " (" + EnvironmentName(profile->environment) + ", " + profile->api_url + ")");
  return *profile;
}

// Reachability: any HTTP answer from the health check proves the network
// path. It goes without the account: the account check is the one call that
// spends a login attempt.
void CheckReachability(DoctorReport& report, const Session& session, const std::optional<std::string>& token,
                       const CancelToken& cancel) {
  auto transport = session.NewTransport();
  HttpRequest ping;
  ping.method = "GET";
  ping.url = session.profile().api_url + "/transverses/v1/health-check";
  ping.abort = cancel.abort();
  if (token) ping.headers.emplace_back("Authorization", "Bearer " + *token);
  auto started = std::chrono::steady_clock::now();
  auto pong = transport->Send(ping);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started);
  if (pong.ok())
    report.Add("reachability", CheckResult::kOk,
               Msg("{} answered HTTP {} in {} ms", session.profile().api_url, pong->status, ms.count()));
  else
    report.Fail("reachability", pong.status());
}

int RunDoctor(App& app) {
  DoctorReport report(app);
  auto profile = CheckConfig(app, report);
  if (!profile) return report.Finish();

  auto secret = app.Secret(*profile, SecretKind::kClientSecret);
  if (secret.ok()) report.Add("client_secret", CheckResult::kOk, Msg("resolved"));
  else report.Fail("client_secret", secret.status());
  auto password = app.Secret(*profile, SecretKind::kPassword);
  if (profile->login.empty()) {
    report.Add("account", CheckResult::kWarn, Msg("no login in the profile: only sign-up and activation will work"));
  } else if (password.ok()) {
    report.Add("password", CheckResult::kOk, Msg("resolved for {}", profile->login));
  } else {
    report.Fail("password", password.status());
  }

  auto base = app.BaseSessionOptions(*profile);
  if (!base.ok()) {
    report.Fail("reachability", base.status());
    return report.Finish();
  }
  SessionOptions options = std::move(*base);
  options.client_secret = secret.ok() ? *secret : "";
  if (password.ok() && !profile->login.empty()) options.account = AccountCredentials{profile->login, *password};
  options.retry.max_attempts = 1;  // a diagnosis reports what happens, it does not insist
  auto session = Session::Open(options);
  if (!session.ok()) {
    report.Fail("reachability", session.status());
    return report.Finish();
  }
  const CancelToken cancel = app.cancel_token();

  // The token first: with it, the health check is a real API call.
  std::optional<std::string> token;
  if (!secret.ok()) {
    report.Add("token", CheckResult::kSkip, Msg("no client secret"));
  } else if (auto t = (*session)->tokens().GetToken(cancel); t.ok()) {
    token = *t;
    report.Add("token", CheckResult::kOk, Msg("obtained from {}", profile->oauth_url));
  } else {
    report.Fail("token", t.status());
  }
  CheckReachability(report, **session, token, cancel);
  if (Status refused = (*session)->login_status(); !refused.ok())
    report.Fail("account", refused);  // refused before: nothing is sent
  else if (token && options.account) CheckAccount(report, **session, cancel);
  else report.Add("account", CheckResult::kSkip, token ? Msg("no password") : Msg("no token"));
  return report.Finish();
}

}  // namespace

void RegisterDoctorCommand(CLI::App& root, App& app, int* exit_code) {
  root.add_subcommand("doctor",
                      Tr("Check config, file permissions, secrets, reachability, token and account; "
                         "exits non-zero with the code of the first failed check"))
      ->callback([&app, exit_code] { *exit_code = RunDoctor(app); });
}

}  // namespace chorus::cli
