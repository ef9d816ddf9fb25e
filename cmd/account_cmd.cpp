// chorus signup / activate / whoami: the account behind a profile.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iostream>

#include "app.h"
#include "chorus/login_budget.h"
#include "chorus/siret.h"
#include "locale_text.h"
#include "prompt.h"
#include "tr.h"

namespace chorus::cli {
namespace {

using nlohmann::json;

struct SignupOptions {
  std::string email, siret, first_name, last_name, phone;
  bool payment_requests = false;
  std::vector<std::string> spaces;
  std::string structure_name, address, postal_code, city, country = "FR";
};

bool LooksLikeEmail(const std::string& s) {
  auto at = s.find('@');
  return at != std::string::npos && at > 0 && s.find('.', at) != std::string::npos &&
         s.find_first_of(" \t<>") == std::string::npos;
}

struct RequiredField {
  std::string* value;
  const char* flag;
  const char* label;
};

// The labels of Require's fields (English in JSON errors), translated where
// they are shown: listed here for xgettext.
[[maybe_unused]] void MarkRequiredLabels() {
  Tr("login e-mail");
  Tr("SIRET of the structure");
  Tr("first name");
  Tr("last name");
  Tr("structure name (raison sociale)");
  Tr("street address");
  Tr("postal code");
  Tr("city");
  Tr("secret question");
  // What FromUserLocale names in its errors (locale_text.cpp translates it).
  Tr("the password on stdin");
  Tr("the secret answer on stdin");
  Tr("the client secret on stdin");
}

// Fills the missing fields from the terminal; off a terminal, names every
// missing flag at once.
Status Require(App& app, std::initializer_list<RequiredField> fields) {
  std::string missing, missing_localized;
  for (const auto& f : fields) {
    if (!f.value->empty()) continue;
    if (app.stdin_is_tty()) {
      auto v = Ask(Tr(f.label), app.cancel_token());
      if (!v.ok()) return v.status();
      if (*v && !(*v)->empty()) {
        *f.value = **v;
        continue;
      }
    }
    missing += (missing.empty() ? "" : ", ") + fmt::format("{} ({})", f.flag, f.label);
    missing_localized += (missing_localized.empty() ? "" : ", ") + fmt::format("{} ({})", f.flag, Tr(f.label));
  }
  if (missing.empty()) return OkStatus();
  Message message = Msg("missing {}", missing);
  message.localized = TrFormat("missing {}", missing_localized);
  return Status(ErrorKind::kInvalidArgument, message);
}

// The sandbox's base URL, as `profile add --sandbox` takes it: the API URL
// without its "/cpro".
std::string SandboxBaseUrl(const Profile& profile) {
  std::string url = profile.api_url;
  if (url.size() >= 5 && url.compare(url.size() - 5, 5, "/cpro") == 0) url.resize(url.size() - 5);
  return url;
}

json PersonName(const std::optional<Person>& p) {
  if (!p) return nullptr;
  return p->first_name + " " + p->last_name;
}

int RunSignup(App& app, SignupOptions& o) {
  if (Status s = app.RequireSandbox("signup", PortalStep::kSignup); !s.ok()) return app.Fail(s);
  if (Status s = Require(app, {{&o.email, "--email", "login e-mail"},
                               {&o.siret, "--siret", "SIRET of the structure"},
                               {&o.first_name, "--first-name", "first name"},
                               {&o.last_name, "--last-name", "last name"}});
      !s.ok())
    return app.Fail(s);
  if (!LooksLikeEmail(o.email))
    return app.Fail(Status(ErrorKind::kInvalidArgument, Msg("--email: \"{}\" is not an e-mail address", o.email)));
  auto siret = Siret::Parse(o.siret);
  if (!siret.ok()) return app.Fail(siret.status().WithContext("--siret"));

  SignupRequest request;
  request.email = o.email;
  request.first_name = o.first_name;
  request.last_name = o.last_name;
  request.phone = o.phone;
  request.siret = siret->digits();
  request.payment_requests = o.payment_requests;
  for (const auto& s : o.spaces) {
    auto code = NormalizeSpaceCode(s);
    if (!code.ok()) return app.Fail(code.status().WithContext("--open-space"));
    request.spaces.push_back(*code);
  }
  bool any_structure_field = !o.structure_name.empty() || !o.address.empty() ||
                             !o.postal_code.empty() || !o.city.empty();
  auto with_structure = [&]() -> Status {
    if (Status s = Require(app, {{&o.structure_name, "--structure-name", "structure name (raison sociale)"},
                                 {&o.address, "--address", "street address"},
                                 {&o.postal_code, "--postal-code", "postal code"},
                                 {&o.city, "--city", "city"}});
        !s.ok())
      return s;
    request.new_structure = NewStructure{o.structure_name, o.address, o.postal_code, o.city, o.country};
    return OkStatus();
  };
  if (any_structure_field)
    if (Status s = with_structure(); !s.ok()) return app.Fail(s);

  App::Change change(Msg("About to create the Chorus Pro account {} on SIRET {}.", o.email, siret->digits()));
  if (request.new_structure)
    change.Add(Msg("new structure: {}, {}, {} {}", o.structure_name, o.address, o.postal_code, o.city));
  else
    change.Add(Msg("if the SIRET is on the portal: an attachment request, which the structure's main manager validates"));
  if (Status s = app.RequireConfirmation(change); !s.ok()) return app.Fail(s);
  auto portal = app.Connect(false);
  if (!portal.ok()) return app.Fail(portal.status());
  auto result = portal->client->Signup(request);
  if (!result.ok() && !request.new_structure &&
      result.status().libelle() == "SBX_CHAMP_OBLIGATOIRE") {
    // An unknown SIRET needs the structure's data (case 2a).
    if (!app.stdin_is_tty())
      return app.Fail(Status(ErrorKind::kInvalidArgument,
                             Msg("SIRET {} is not on the portal yet: give --structure-name, --address, "
                                 "--postal-code and --city to create the structure",
                                 siret->digits())));
    app.Info(TrFormat("SIRET {} is not on the portal yet; its structure will be created.", siret->digits()));
    if (Status s = with_structure(); !s.ok()) return app.Fail(s);
    result = portal->client->Signup(request);
  }
  if (!result.ok()) return app.Fail(result.status());
  if (app.options.dry_run) return kExitOk;

  SignupResult& r = *result;
  if (r.designation.empty() && request.new_structure) r.designation = request.new_structure->name;
  auto printer = app.Printer({{"email", Tr("E-mail")},
                              {"user_status", Tr("Account")},
                              {"case", Tr("Case")},
                              {"siret", "SIRET"},
                              {"structure_id", Tr("Structure id")},
                              {"designation", Tr("Structure")},
                              {"role", Tr("Role")},
                              {"spaces_opened", Tr("Spaces opened")},
                              {"request_id", Tr("Request id")},
                              {"request_status", Tr("Request status")},
                              {"main_manager", Tr("Main manager")},
                              {"main_manager_email", Tr("Main manager e-mail")}},
                             true);
  printer->Print(json{
      {"email", r.email},
      {"user_status", StatusValue(r.user_status)},
      {"case", r.created_structure ? "new_structure" : "attachment_request"},
      {"siret", r.siret},
      {"structure_id", r.structure_id},
      {"designation", r.designation.empty() ? json(nullptr) : json(r.designation)},
      {"role", r.role.empty() ? json(nullptr) : json(r.role)},
      {"spaces_opened", r.spaces_opened},
      {"request_id", r.request_id ? json(*r.request_id) : json(nullptr)},
      {"request_status", r.request_status.empty() ? json(nullptr) : json(StatusValue(r.request_status))},
      {"main_manager", PersonName(r.main_manager)},
      {"main_manager_email", r.main_manager ? json(r.main_manager->email) : json(nullptr)}});
  printer->Finish();
  app.Info(TrFormat("An activation e-mail was sent to {}; its link is valid 60 minutes: "
                    "chorus activate --link 'LINK' --secret-question TEXT",
                    r.email));
  if (auto profile = app.ActiveProfile(); profile.ok())
    app.Info(TrFormat("chorus-sandbox keeps its mails: curl -s '{}/_sandbox/mail?to={}'",
                         SandboxBaseUrl(*profile), r.email));
  if (!r.created_structure && r.main_manager)
    app.Info(TrFormat("Your attachment request to {} waits for a manager; its main manager is {} <{}>.",
                      r.designation, PersonName(r.main_manager).get<std::string>(), r.main_manager->email));
  return kExitOk;
}

struct ActivateOptions {
  std::string link, token, secret_question;
  bool credentials_stdin = false;
};

// The token is the "jeton" (or "token") query parameter of the mailed link.
std::optional<std::string> TokenFromLink(const std::string& link) {
  for (const char* key : {"jeton=", "token=", "jetonActivation="}) {
    auto pos = link.find(key);
    if (pos == std::string::npos || (pos > 0 && link[pos - 1] != '?' && link[pos - 1] != '&')) continue;
    pos += std::string(key).size();
    auto end = link.find_first_of("&#", pos);
    std::string token = link.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
    if (!token.empty()) return token;
  }
  return std::nullopt;
}

int RunActivate(App& app, ActivateOptions& o) {
  if (Status s = app.RequireSandbox("activate", PortalStep::kActivate); !s.ok()) return app.Fail(s);
  ActivationRequest request;
  if (!o.link.empty()) {
    auto token = TokenFromLink(o.link);
    if (!token)
      return app.Fail(Status(ErrorKind::kInvalidArgument,
                             Msg("--link: no activation token (jeton=...) in \"{}\"", o.link)));
    request.token = *token;
  } else {
    request.token = o.token;
  }
  if (Status s = Require(app, {{&o.secret_question, "--secret-question", "secret question"}}); !s.ok())
    return app.Fail(s);
  if (Status s = app.RequireConfirmation(App::Change(Msg("About to activate the account of this activation link.")), false); !s.ok())
    return app.Fail(s);
  request.secret_question = o.secret_question;
  if (o.credentials_stdin) {
    std::string password, answer;
    if (!std::getline(std::cin, password) || !std::getline(std::cin, answer) || password.empty() ||
        answer.empty())
      return app.Fail(Status(ErrorKind::kInvalidArgument,
                             Msg("--credentials-stdin expects two lines: the new password, then the secret answer")));
    if (!password.empty() && password.back() == '\r') password.pop_back();
    if (!answer.empty() && answer.back() == '\r') answer.pop_back();
    auto password_utf8 = FromUserLocale(password, "the password on stdin");
    if (!password_utf8.ok()) return app.Fail(password_utf8.status());
    auto answer_utf8 = FromUserLocale(answer, "the secret answer on stdin");
    if (!answer_utf8.ok()) return app.Fail(answer_utf8.status());
    request.password = std::move(*password_utf8);
    request.secret_answer = std::move(*answer_utf8);
  } else if (app.stdin_is_tty()) {
    const CancelToken cancel = app.cancel_token();
    auto password = AskHidden(Tr("New password"), cancel);
    if (!password.ok()) return app.Fail(password.status());
    auto again = AskHidden(Tr("New password again"), cancel);
    if (!again.ok()) return app.Fail(again.status());
    if (!*password || (*password)->empty() || *password != *again)
      return app.Fail(Status(ErrorKind::kInvalidArgument, Msg("the two passwords differ or are empty")));
    auto answer = AskHidden(Tr("Answer to the secret question"), cancel);
    if (!answer.ok()) return app.Fail(answer.status());
    if (!*answer || (*answer)->empty())
      return app.Fail(Status(ErrorKind::kInvalidArgument, Msg("an answer to the secret question is required")));
    request.password = **password;
    request.secret_answer = **answer;
  } else {
    return app.Fail(Status(ErrorKind::kInvalidArgument,
                           Msg("stdin is not a terminal: pass --credentials-stdin and give the password "
                               "and the secret answer as two lines of stdin")));
  }
  auto portal = app.Connect(false);
  if (!portal.ok()) return app.Fail(portal.status());
  auto login = portal->client->Activate(request);
  if (!login.ok()) return app.Fail(login.status());
  if (app.options.dry_run) return kExitOk;
  // A "not activated" refusal remembered for this login no longer holds.
  if (auto profile = app.ActiveProfile(); profile.ok() && profile->login == *login)
    LoginBudget(app.StateHome() + "/chorus", profile->name, AccountCredentials{*login, request.password}).Accepted();
  auto printer = app.Printer({{"email", Tr("E-mail")}, {"status", Tr("Status")}}, true);
  printer->Print(json{{"email", *login}, {"status", StatusValue("ACTIF")}});
  printer->Finish();
  std::string url = "URL";
  if (auto profile = app.ActiveProfile(); profile.ok()) url = SandboxBaseUrl(*profile);
  app.Info(TrFormat("Account activated. Save it in a profile (the password is asked for): "
                    "chorus profile add NAME --sandbox {} --login {} --password-stdin",
                    url, *login));
  return kExitOk;
}

int RunWhoami(App& app) {
  auto profile = app.ActiveProfile();
  if (!profile.ok()) return app.Fail(profile.status());
  auto portal = app.Connect(true);
  if (!portal.ok()) return app.Fail(portal.status());
  json record{{"profile", profile->name},
              {"environment", EnvironmentName(profile->environment)},
              {"api_url", profile->api_url},
              {"login", profile->login}};
  if (profile->environment == Environment::kSandbox) {
    auto account = portal->client->MyAccount();
    if (!account.ok()) return app.Fail(account.status());
    record["user_id"] = account->id;
    record["name"] = account->first_name + " " + account->last_name;
    record["status"] = StatusValue(account->status);
    record["payment_requests"] = account->payment_requests;
  }
  auto attachments = portal->client->MyAttachments();
  if (!attachments.ok()) return app.Fail(attachments.status());
  json list = json::array();
  std::vector<std::string> shown;   // TSV and CSV
  std::vector<std::string> spoken;  // tables, in the user's language
  for (const auto& a : *attachments) {
    list.push_back(json{{"siret", a.identifier},
                        {"structure_id", a.structure_id},
                        {"designation", a.designation},
                        {"role", a.role},
                        {"status", StatusValue(a.status)}});
    shown.push_back(a.identifier + " " + a.designation + " (" + a.role + ")");
    spoken.push_back(a.identifier + " " + a.designation + " (" + RoleWord(a.role) + ")");
  }
  record["attachments"] = list;
  bool structured = app.format() == OutputFormat::kJson || app.format() == OutputFormat::kNdjson;
  if (!structured) record["attachments"] = shown;
  std::string spoken_text;
  for (const auto& s : spoken) spoken_text += (spoken_text.empty() ? "" : ",") + s;
  record[HumanKey("attachments")] = spoken_text.empty() ? "-" : spoken_text;
  auto printer = app.Printer({{"profile", Tr("Profile")},
                              {"environment", Tr("Environment")},
                              {"api_url", Tr("API URL")},
                              {"login", Tr("Login")},
                              {"user_id", Tr("User id"), false},
                              {"name", Tr("Name")},
                              {"status", Tr("Status")},
                              {"payment_requests", Tr("Payment requests"), false},
                              {"attachments", Tr("Attachments")}},
                             true);
  printer->Print(record);
  printer->Finish();
  return kExitOk;
}

}  // namespace

void RegisterAccountCommands(CLI::App& root, App& app, int* exit_code) {
  auto so = std::make_shared<SignupOptions>();
  auto* signup = root.add_subcommand(
      "signup",
      Tr("Create a portal account: on a new SIRET with the structure's data (you become its main "
      "manager), or on a known SIRET (an attachment request its main manager validates)"));
  signup->add_option("--email", so->email, Tr("Login e-mail (required; asked for on a terminal)"))->type_name("EMAIL");
  signup->add_option("--siret", so->siret, Tr("SIRET of your structure, the centre de gestion (required; asked for on a terminal)"))
      ->type_name("SIRET");
  signup->add_option("--first-name", so->first_name, Tr("First name (required; asked for on a terminal)"))->type_name("TEXT");
  signup->add_option("--last-name", so->last_name, Tr("Last name (required; asked for on a terminal)"))->type_name("TEXT");
  signup->add_option("--phone", so->phone, Tr("Phone number"))->type_name("TEXT");
  signup->add_flag("--payment-requests", so->payment_requests, Tr("Tick \"Déposer des demandes de paiement\""));
  signup->add_option("--open-space", so->spaces,
                     Tr("Space to open on a new structure (repeatable; e.g. SOLLICITATIONS_EMISES)"));
  signup->add_option("--structure-name", so->structure_name, Tr("New structure: raison sociale (required for a new structure)"))
      ->type_name("TEXT");
  signup->add_option("--address", so->address, Tr("New structure: street address (required for a new structure)"))
      ->type_name("TEXT");
  signup->add_option("--postal-code", so->postal_code, Tr("New structure: postal code (required for a new structure)"))
      ->type_name("TEXT");
  signup->add_option("--city", so->city, Tr("New structure: city (required for a new structure)"))->type_name("TEXT");
  signup->add_option("--country", so->country, Tr("New structure: country code (default FR)"))->type_name("CODE");
  signup->callback([&app, so, exit_code] { *exit_code = RunSignup(app, *so); });

  auto ao = std::make_shared<ActivateOptions>();
  auto* activate = root.add_subcommand(
      "activate",
      Tr("Activate an account from its e-mail link; the password and secret answer come from a "
      "hidden prompt or --credentials-stdin, never from the command line"));
  auto* link = activate->add_option("--link", ao->link, Tr("The activation link from the e-mail (this or --token is required)"))
                   ->type_name("URL");
  auto* token = activate->add_option("--token", ao->token, Tr("The activation token alone"))->type_name("TOKEN");
  link->excludes(token);
  activate->add_option("--secret-question", ao->secret_question, Tr("Secret question (required; asked for on a terminal)"))
      ->type_name("TEXT");
  activate->add_flag("--credentials-stdin", ao->credentials_stdin,
                     Tr("Read the new password and the secret answer as two lines of stdin"));
  activate->callback([&app, ao, exit_code, link, token] {
    if (link->count() + token->count() == 0) {
      *exit_code = app.Fail(Status(ErrorKind::kInvalidArgument, Msg("give --link URL or --token T")));
      return;
    }
    *exit_code = RunActivate(app, *ao);
  });

  root.add_subcommand("whoami", Tr("Show the account behind the profile and its attachments"))
      ->callback([&app, exit_code] { *exit_code = RunWhoami(app); });
}

}  // namespace chorus::cli
