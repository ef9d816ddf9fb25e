// The whole onboarding story of product.md §1, with the real chorus and
// chorus-sandbox binaries: sign-up (2a and 2b), activation from the mail,
// the centre de gestion flag, approvals, farm attachments, refusals, and the
// lists that show them.
#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <set>

#include "cli_support.h"
#include "sandbox_world.h"

using chorus::testing::ChorusRunner;
using chorus::testing::ProcessResult;
using chorus::testing::SandboxProcess;
using chorus::testing::SandboxWorld;
using nlohmann::json;

namespace {

struct Farm {
  std::string siret, login, password, designation;
  bool tic = false;
};

std::string ActivationLink(const SandboxProcess& sandbox, const std::string& email) {
  auto mail = chorus::testing::RunProcess(
      {CHORUS_SANDBOX_BIN, "mail", "--data", sandbox.data_dir(), "--to", email, "--last"});
  REQUIRE(mail.exit_code == 0);
  auto pos = mail.out.find("http://");
  REQUIRE(pos != std::string::npos);
  return mail.out.substr(pos, mail.out.find_first_of("\n ", pos) - pos);
}

json Json(const ProcessResult& r) {
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE(r.exit_code == 0);
  return json::parse(r.out);
}

// Runs as a given profile, with JSON output and --yes.
ProcessResult As(const ChorusRunner& chorus, const std::string& profile, std::vector<std::string> args,
                 const std::string& stdin_data = "") {
  std::vector<std::string> full = {"--profile", profile, "-o", "json", "--yes"};
  full.insert(full.end(), args.begin(), args.end());
  return chorus.Run(full, stdin_data);
}

}  // namespace

TEST_CASE("onboarding of a centre de gestion, end to end") {
  SandboxWorld w(30);
  const SandboxProcess& sandbox = w.sandbox;
  const ChorusRunner& chorus = w.chorus;
  std::vector<Farm> with_tic, without_tic;
  for (const auto& a : w.accounts) {
    Farm f{a["siret"], a["login"], a["password"], a["designation"], a["ticSpaceOpen"]};
    (f.tic ? with_tic : without_tic).push_back(f);
  }
  REQUIRE(with_tic.size() >= 2);
  REQUIRE(!without_tic.empty());
  const Farm& approving = with_tic[0];
  const Farm& refusing = with_tic[1];
  const Farm& no_tic = without_tic[0];

  REQUIRE(chorus.Run({"profile", "add", "anon", "--sandbox", sandbox.url()}).exit_code == 0);
  for (const Farm* f : {&approving, &refusing, &no_tic}) w.AddProfile(f->siret, f->login, f->password);

  // 2a: the CG manager creates the account and the structure.
  const std::string cg_siret = "73282932000074";
  auto signup = Json(As(chorus, "anon",
                        {"signup", "--email", "marie@cg-beauce.example", "--siret", "732 829 320 00074",
                         "--first-name", "Marie", "--last-name", "Martin", "--payment-requests",
                         "--open-space", "sollicitations-emises", "--structure-name", "CG de Beauce",
                         "--address", "1 rue des Blés", "--postal-code", "28000", "--city", "Chartres"}));
  CHECK(signup["case"] == "new_structure");
  CHECK(signup["role"] == "GESTIONNAIRE_PRINCIPAL");
  CHECK(signup["spaces_opened"] == json::array({"SOLLICITATIONS_EMISES"}));
  CHECK(signup["user_status"] == "pending_activation");

  // Activation from the mailed link; the secrets come from stdin.
  const std::string marie_pw = "Bl3-de-Beauce!2026";
  auto activation = As(chorus, "anon",
                       {"activate", "--link", ActivationLink(sandbox, "marie@cg-beauce.example"),
                        "--secret-question", "Ville natale ?", "--credentials-stdin"},
                       marie_pw + "\nChartres\n");
  auto activated = Json(activation);
  CHECK(activated["status"] == "active");
  // The hint is a command to copy: the real URL, and nothing masked in it
  // (the sandbox client's public secret is "sandbox": issue 13.8).
  CHECK(activation.err.find("chorus profile add NAME --sandbox " + sandbox.url() +
                            " --login marie@cg-beauce.example --password-stdin") != std::string::npos);
  CHECK(activation.err.find("REDACTED") == std::string::npos);
  w.AddProfile("marie", "marie@cg-beauce.example", marie_pw);

  // The structure becomes a centre de gestion agricole.
  auto edited = Json(As(chorus, "marie", {"structure", "edit", cg_siret, "--centre-de-gestion"}));
  CHECK(edited["centre_de_gestion"] == true);
  CHECK(edited["tic_space_open"] == false);
  // ...which may not open the TIC space: a portal rule, exit 1.
  CHECK(As(chorus, "marie", {"structure", "edit", cg_siret, "--open-space", "DEMANDE_REMBOURSEMENT_TIC"})
            .exit_code == 1);

  // 2b: a colleague signs up on the same SIRET and sees the main manager.
  auto colleague = Json(As(chorus, "anon",
                           {"signup", "--email", "paul@cg-beauce.example", "--siret", cg_siret,
                            "--first-name", "Paul", "--last-name", "Petit"}));
  CHECK(colleague["case"] == "attachment_request");
  CHECK(colleague["main_manager"] == "Marie Martin");
  CHECK(colleague["main_manager_email"] == "marie@cg-beauce.example");
  const std::string paul_pw = "Pet1t-Paul#2026";
  Json(As(chorus, "anon",
          {"activate", "--link", ActivationLink(sandbox, "paul@cg-beauce.example"),
           "--secret-question", "Chien ?", "--credentials-stdin"},
          paul_pw + "\nRex\n"));
  w.AddProfile("paul", "paul@cg-beauce.example", paul_pw);

  // The manager sees the colleague's request and approves it.
  auto incoming = Json(As(chorus, "marie", {"list", "pending", "--incoming"}));
  REQUIRE(incoming.size() == 1);
  CHECK(incoming[0]["user_email"] == "paul@cg-beauce.example");
  CHECK(incoming[0]["siret"] == cg_siret);
  auto approved = Json(As(chorus, "marie", {"attach", "approve", "--user", "paul@cg-beauce.example"}));
  REQUIRE(approved.size() == 1);
  CHECK(approved[0]["result"] == "approved");
  CHECK(Json(As(chorus, "marie", {"list", "pending"})).empty());

  // Both ask to be attached to three farms; a repeat is counted as done.
  for (const char* who : {"marie", "paul"}) {
    auto requested = Json(As(chorus, who, {"attach", "request", approving.siret, refusing.siret, no_tic.siret}));
    REQUIRE(requested.size() == 3);
    for (const auto& r : requested) CHECK(r["result"] == "requested");
  }
  auto again = Json(As(chorus, "paul", {"attach", "request", approving.siret}));
  CHECK(again[0]["result"] == "already_pending");

  // A non-manager cannot decide a farm's requests: exit 4, nothing changes.
  auto farm_pending = Json(As(chorus, approving.siret, {"list", "pending", "--incoming"}));
  REQUIRE(farm_pending.size() == 2);
  auto refused_right = As(chorus, "paul", {"attach", "approve", farm_pending[0]["request_id"].dump()});
  CHECK(refused_right.exit_code == 4);
  CHECK(Json(As(chorus, approving.siret, {"list", "pending", "--incoming"})).size() == 2);

  // The farms' managers decide.
  auto farm_ok = Json(As(chorus, approving.siret, {"attach", "approve", "--all"}));
  CHECK(farm_ok.size() == 2);
  auto farm_no = Json(As(chorus, refusing.siret,
                         {"attach", "reject", "--user", "marie@cg-beauce.example", "--comment",
                          "Pas de mandat signé"}));
  REQUIRE(farm_no.size() == 1);
  CHECK(farm_no[0]["result"] == "rejected");
  CHECK(As(chorus, refusing.siret, {"attach", "reject", "--all"}).exit_code == 2);  // no comment

  // What Marie sees now.
  auto outgoing = Json(As(chorus, "marie", {"list", "pending", "--outgoing"}));
  std::set<std::string> pending_sirets;
  for (const auto& r : outgoing) pending_sirets.insert(r["siret"]);
  CHECK(pending_sirets == std::set<std::string>{no_tic.siret});

  auto list = Json(As(chorus, "marie", {"attach", "list"}));
  std::map<std::string, json> by_siret;
  for (const auto& a : list) by_siret[a["siret"]] = a;
  CHECK(by_siret[cg_siret]["role"] == "GESTIONNAIRE_PRINCIPAL");
  // The same statuses as attach status (issue 13.4).
  CHECK(by_siret[approving.siret]["status"] == "active");
  CHECK(by_siret[approving.siret]["ready"] == true);
  CHECK(by_siret[refusing.siret]["status"] == "refused");
  CHECK(by_siret[refusing.siret]["comment"] == "Pas de mandat signé");
  CHECK(by_siret[no_tic.siret]["status"] == "pending");

  // Filters (issue 13.10).
  auto sirets_of = [](const json& records) {
    std::set<std::string> out;
    for (const auto& r : records) out.insert(r["siret"]);
    return out;
  };
  CHECK(sirets_of(Json(As(chorus, "marie", {"attach", "list", "--status", "pending"}))) ==
        std::set<std::string>{no_tic.siret});
  CHECK(sirets_of(Json(As(chorus, "marie", {"attach", "list", "--status", "refused", "--status", "pending"}))) ==
        std::set<std::string>{refusing.siret, no_tic.siret});
  CHECK(sirets_of(Json(As(chorus, "marie", {"attach", "list", "--ready"}))) == std::set<std::string>{approving.siret});
  CHECK(sirets_of(Json(As(chorus, "marie", {"attach", "list", "--siret", cg_siret}))) ==
        std::set<std::string>{cg_siret});
  CHECK(Json(As(chorus, "marie", {"attach", "list", "--siret", approving.siret, "--status", "pending"})).empty());
  CHECK(As(chorus, "marie", {"attach", "list", "--status", "ACTIF"}).exit_code == 2);
  auto bad_siret = As(chorus, "marie", {"attach", "list", "--siret", "12345678901234"});
  CHECK(bad_siret.exit_code == 2);
  CHECK(bad_siret.err.find("--siret: ") != std::string::npos);
  // Both Marie and Paul wait on the no-TIC farm; --user and --structure pick.
  auto waiting = Json(As(chorus, no_tic.siret, {"list", "pending", "--incoming"}));
  CHECK(waiting.size() == 2);
  auto pauls = Json(As(chorus, no_tic.siret, {"list", "pending", "--user", "paul@cg-beauce.example"}));
  REQUIRE(pauls.size() == 1);
  CHECK(pauls[0]["user_email"] == "paul@cg-beauce.example");
  CHECK(Json(As(chorus, "marie", {"list", "pending", "--outgoing", "--structure", no_tic.siret})).size() == 1);
  CHECK(Json(As(chorus, "marie", {"list", "pending", "--outgoing", "--structure", approving.siret})).empty());

  chorus::testing::WriteFile(chorus.dir.File("clients.csv"),
                             "Nom;SIRET\r\nA;" + approving.siret + "\r\nB;" + refusing.siret + "\r\nC;" +
                                 no_tic.siret + "\r\nD;73282932000074\r\nE;10000000900009\r\n");
  auto status = Json(As(chorus, "marie", {"attach", "status", "--from", chorus.dir.File("clients.csv")}));
  REQUIRE(status.size() == 5);
  CHECK(status[0]["status"] == "active");
  CHECK(status[0]["tic_space_open"] == true);
  CHECK(status[0]["ready"] == true);
  CHECK(status[0]["next_step"] == nullptr);
  CHECK(status[1]["status"] == "refused");
  CHECK(status[1]["ready"] == false);
  CHECK(status[1]["next_step"] == "refused: Pas de mandat signé; ask again when settled");
  CHECK(status[2]["status"] == "pending");
  CHECK(status[2]["tic_space_open"] == false);
  CHECK(status[2]["ready"] == false);
  // Who to chase, and what the farm must do (issue 13.10).
  const std::string chase = status[2]["next_step"];
  CHECK(chase.find("waiting for ") == 0);
  CHECK(chase.find("<" + no_tic.login + "> to validate") != std::string::npos);
  CHECK(chase.find("the farm has no 'Demande de remboursement TIC' space: ask it to open it") != std::string::npos);
  CHECK(status[3]["line"] == 5);
  CHECK(status[3]["status"] == "active");       // her own CG structure...
  CHECK(status[3]["tic_space_open"] == false);  // ...has no TIC space
  CHECK(status[3]["ready"] == false);
  CHECK(status[4]["found"] == false);
  CHECK(status[4]["next_step"] == "not on Chorus Pro: the farm must create its structure");
  auto ready_only = Json(As(chorus, "marie", {"attach", "status", "--only", "ready", "--from", chorus.dir.File("clients.csv")}));
  REQUIRE(ready_only.size() == 1);
  CHECK(ready_only[0]["siret"] == approving.siret);
  auto chase_list = As(chorus, "marie", {"attach", "status", "--only", "not-ready", "--from", chorus.dir.File("clients.csv")});
  CHECK(Json(chase_list).size() == 4);
  CHECK(chase_list.err.find("1 ready, 3 not ready, 1 not found") != std::string::npos);  // the summary counts all
  // The chase list for French Excel: BOM, ';', CRLF, a header (issue 13.10).
  auto excel = chorus.Run({"--profile", "marie", "--csv-excel", "attach", "status", "--only", "not-ready", "--from",
                           chorus.dir.File("clients.csv")});
  REQUIRE(excel.exit_code == 0);
  CHECK(excel.out.rfind("\xEF\xBB\xBFline;siret;found;", 0) == 0);
  CHECK(excel.out.find(";next_step;") != std::string::npos);
  CHECK(excel.out.find(";refused: Pas de mandat signé; ask again when settled;") == std::string::npos);  // quoted:
  CHECK(excel.out.find(";\"refused: Pas de mandat signé; ask again when settled\";") != std::string::npos);
  CHECK(std::count(excel.out.begin(), excel.out.end(), '\n') == 5);  // the header and 4 SIRETs
  CHECK(excel.out.find("\r\n") != std::string::npos);
  CHECK(excel.out.find_first_of('\n') == excel.out.find("\r\n") + 1);
#ifdef CHORUS_HAVE_XLSX
  // The same report as an Excel workbook, read back by chorus's own reader.
  auto xlsx = chorus.Run({"--profile", "marie", "-o", "xlsx", "attach", "status", "--from", chorus.dir.File("clients.csv")});
  REQUIRE(xlsx.exit_code == 0);
  chorus::testing::WriteFile(chorus.dir.File("status.xlsx"), xlsx.out);
  auto next_steps = chorus.Run({"-o", "json", "siret", "check", "--from", chorus.dir.File("status.xlsx"), "--column", "next_step"});
  INFO(next_steps.err);
  auto rows = json::parse(next_steps.out);
  REQUIRE(rows.size() == 5);
  CHECK(rows[1]["input"] == "refused: Pas de mandat signé; ask again when settled");
  CHECK(rows[4]["input"] == "not on Chorus Pro: the farm must create its structure");
  auto sirets = json::parse(
      chorus.Run({"-o", "json", "siret", "check", "--from", chorus.dir.File("status.xlsx"), "--column", "siret"}).out);
  REQUIRE(sirets.size() == 5);
  for (const auto& r : sirets) CHECK(r["valid"] == true);  // SIRETs stay text, every digit kept
#endif
  // Once the farm opens its TIC space and approves, it is ready.
  Json(As(chorus, no_tic.siret, {"structure", "edit", no_tic.siret, "--open-space", "demande-remboursement-tic"}));
  Json(As(chorus, no_tic.siret, {"attach", "approve", "--user", "marie@cg-beauce.example"}));
  auto later = Json(As(chorus, "marie", {"attach", "status", no_tic.siret}));
  CHECK(later[0]["ready"] == true);

  // whoami shows the account and its attachments.
  auto me = Json(As(chorus, "marie", {"whoami"}));
  CHECK(me["login"] == "marie@cg-beauce.example");
  CHECK(me["name"] == "Marie Martin");
  CHECK(me["status"] == "active");  // the account: the same words as everywhere (issue 13.4)
  for (const auto& a : me["attachments"]) CHECK(a["status"] == "active");
  CHECK(me["attachments"].size() == 3);  // CG, the approving farm, the farm that opened TIC
}

TEST_CASE("exit codes and dry runs against the sandbox") {
  SandboxWorld w(5);
  const ChorusRunner& chorus = w.chorus;
  const json& accounts = w.accounts;
  const std::string farm = accounts[0]["siret"], other = accounts[1]["siret"];
  w.AddProfile("f", accounts[0]["login"], accounts[0]["password"]);

  // Unknown SIRET: 5. Not a SIRET: 2. Mutation without --yes off a terminal: 2.
  CHECK(chorus.Run({"--yes", "attach", "request", "35600000000048"}).exit_code == 5);
  CHECK(chorus.Run({"structure", "show", "35600000000048"}).exit_code == 5);
  CHECK(chorus.Run({"--yes", "attach", "request", "35600000000049"}).exit_code == 2);
  auto no_yes = chorus.Run({"attach", "request", other});
  CHECK(no_yes.exit_code == 2);
  CHECK(no_yes.err.find("--yes") != std::string::npos);

  // The portal and chorus agree on SIRETs: La Poste's Luhn-valid head office
  // and an establishment valid by the digit-sum rule both sign up.
  for (const char* poste : {"35600000000048", "35600000049837"}) {
    CAPTURE(poste);
    CHECK(chorus.Run({"--yes", "signup", "--email", std::string("p") + poste + "@laposte.example", "--siret",
                      poste, "--first-name", "P", "--last-name", "L", "--structure-name", "La Poste",
                      "--address", "9 rue du Colonel Pierre Avia", "--postal-code", "75015", "--city", "Paris"})
              .exit_code == 0);
  }

  // --dry-run prints the redacted request on stderr and sends nothing;
  // stdout stays the result (valid NDJSON).
  auto dry = chorus.Run({"--dry-run", "-o", "ndjson", "attach", "request", other});
  CHECK(dry.exit_code == 0);
  CHECK(dry.err.find("POST " + w.sandbox.url() + "/cpro/utilisateurs/v1/monCompte/demander/rattachement") !=
        std::string::npos);
  CHECK(dry.err.find(other) != std::string::npos);
  CHECK(dry.err.find("cpro-account: ***REDACTED***") != std::string::npos);
  CHECK(dry.err.find(accounts[0]["password"].get<std::string>()) == std::string::npos);
  CHECK(dry.out.find("POST") == std::string::npos);
  auto dry_records = chorus::testing::NdjsonLines(dry.out);
  REQUIRE(dry_records.size() == 1);
  CHECK(dry_records[0]["result"] == "dry_run");
  CHECK(chorus::testing::NdjsonSummary(dry.out)["exit_code"] == 0);
  auto after = json::parse(chorus.Run({"-o", "json", "attach", "list"}).out);
  for (const auto& a : after) CHECK(a["siret"] != other);

  // A wrong password is an authentication failure: 4.
  auto wrong = chorus.Run({"whoami"}, "", {"CHORUS_PASSWORD=not-the-password"});
  CHECK(wrong.exit_code == 4);
  // Nothing listening: portal unavailable, 7.
  auto down = chorus.Run({"whoami"}, "", {"CHORUS_API_URL=http://127.0.0.1:9/cpro",
                                          "CHORUS_OAUTH_URL=http://127.0.0.1:9/api/oauth/token"});
  CHECK(down.exit_code == 7);
  // Plain http off loopback is refused before anything is sent.
  auto remote = chorus.Run({"whoami"}, "", {"CHORUS_API_URL=http://example.org/cpro"});
  CHECK(remote.exit_code == 1);
  CHECK(remote.err.find("loopback") != std::string::npos);

  auto doctor = chorus.Run({"-o", "json", "doctor"});
  CHECK(doctor.exit_code == 0);
  auto checks = json::parse(doctor.out);
  std::map<std::string, std::string> results, details;
  for (const auto& c : checks) {
    results[c["check"]] = c["result"];
    details[c["check"]] = c["detail"].is_string() ? c["detail"].get<std::string>() : "";
  }
  CHECK(results["token"] == "ok");
  CHECK(results["reachability"] == "ok");
  CHECK(results["account"] == "ok");
  // The sandbox sends the expiry as a timestamp; doctor reads its date.
  CHECK(results["password_expiry"] == "ok");
  CHECK(details["password_expiry"].size() == std::string("expires on 2028-01-30").size());
}

TEST_CASE("portal-only commands on a PISTE profile exit 6 and send nothing") {
  ChorusRunner chorus;
  REQUIRE(chorus.Run({"profile", "add", "prod", "--environment", "production", "--client-id", "app",
                      "--client-secret-cmd", "echo s", "--login", "TECH_1@cpro.fr", "--password-cmd",
                      "echo p"})
              .exit_code == 0);
  struct Case {
    std::vector<std::string> args;
    std::string step;
  };
  for (const Case& c :
       {Case{{"signup", "--email", "a@b.example", "--siret", "73282932000074", "--first-name", "A",
              "--last-name", "B"},
             "Vous êtes nouveau"},
        Case{{"activate", "--token", "t", "--secret-question", "q", "--credentials-stdin"}, "60 minutes"},
        Case{{"structure", "edit", "73282932000074", "--centre-de-gestion"}, "centre de gestion agricole"},
        Case{{"attach", "approve", "--all"}, "Activités du gestionnaire"},
        Case{{"list", "pending"}, "Mes rattachements"}}) {
    std::vector<std::string> args = {"--yes"};
    args.insert(args.end(), c.args.begin(), c.args.end());
    auto r = chorus.Run(args, "pw\nanswer\n");
    CAPTURE(c.args[0]);
    CHECK(r.exit_code == 6);
    CHECK(r.err.find(c.step) != std::string::npos);
    CHECK(r.err.find("nothing was sent") != std::string::npos);
  }
  // attach request also prints the validated list of what remains to do.
  auto req = chorus.Run({"--yes", "attach", "request", "73282932000074", "356 000 000 49837"});
  CHECK(req.exit_code == 6);
  CHECK(req.out == "73282932000074\n35600000049837\n");
}

TEST_CASE("structure show: the services, to the users attached to the structure") {
  SandboxWorld w(6);
  const json& farm6 = w.accounts[5];  // the seed gives demo farm 6 three services, one closed
  const json& farm1 = w.accounts[0];
  w.AddProfile("farm6", farm6["login"], farm6["password"]);
  auto shown = Json(As(w.chorus, "farm6", {"structure", "show", farm6["siret"]}));
  REQUIRE(shown["services"].is_array());
  REQUIRE(shown["services"].size() == 3);
  std::map<std::string, json> by_code;
  for (const auto& s : shown["services"]) by_code[s["code"]] = s;
  CHECK(by_code.at("SERVICE_GENERAL")["name"] == "Service général");
  CHECK(by_code.at("SERVICE_GENERAL")["status"] == "active");  // the same words as every status (issue 13.4)
  CHECK(by_code.at("SERVICE_GENERAL")["service_id"].is_number_integer());
  CHECK(by_code.at("ANCIEN_SITE")["status"] == "inactive");
  // The sandbox sends a timestamp; chorus shows its date.
  std::string expiry = shown["tech_password_expiry"];
  CHECK(expiry.size() == 10);
  CHECK(expiry[4] == '-');
  // In a table: "CODE name (status)".
  auto table = w.chorus.Run({"--profile", "farm6", "-o", "tsv", "structure", "show", farm6["siret"]});
  REQUIRE(table.exit_code == 0);
  CHECK(table.out.find("SERVICE_GENERAL Service général (active)") != std::string::npos);
  // Another farm's services are not shown to farm 6's manager: null, and a note.
  auto other = w.chorus.Run({"--profile", "farm6", "-o", "json", "structure", "show", farm1["siret"]});
  REQUIRE(other.exit_code == 0);
  CHECK(json::parse(other.out)["services"].is_null());
  CHECK(other.err.find("services: not shown") != std::string::npos);
}
