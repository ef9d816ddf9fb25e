// chorus attach request / approve / reject / list / status, and chorus list pending.
#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <map>
#include <set>

#include "app.h"
#include "bulk_run.h"
#include "bulk_source.h"
#include "chorus/siret.h"
#include "chorus/text.h"
#include "tr.h"

namespace chorus::cli {
namespace {

using nlohmann::json;

json NullIfEmpty(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
template <typename T>
json OrNull(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

// ------------------------------------------------------------ attach request

// The columns are built after the translations are loaded: the headers
// are in the user's language (the keys never change).
std::vector<Column> RequestColumns() {
  return {{"line", Tr("LINE")},          {"siret", "SIRET"},          {"result", Tr("RESULT")},
          {"request_id", Tr("REQUEST")}, {"structure_id", "ID", false}, {"designation", "STRUCTURE"},
          {"error", Tr("ERROR")},        {"from_journal", Tr("FROM JOURNAL"), false}};
}

int RunRequest(App& app, const SiretInput& input, const BulkFlags& flags) {
  BulkCommand command;
  command.name = "attach request";
  command.noun = "SIRET";
  command.columns = RequestColumns();
  command.tallies = {"requested", "already_pending", "already_attached"};
  command.mutation = true;
  command.journaled = true;
  command.confirm = [](std::size_t n) {
    return MsgN("About to send {} attachment request, one per structure.",
                "About to send {} attachment requests, one per structure.", n, n);
  };
  command.portal_only = PortalStep::kAttachRequest;
  bool dry_run = app.options.dry_run;
  command.work = [dry_run](Client& client, const std::string& key, ItemRecords& out) {
    out.record["request_id"] = nullptr;
    out.record["structure_id"] = nullptr;
    out.record["designation"] = nullptr;
    auto result = client.RequestAttachment(key);
    if (result.ok()) {
      out.record["result"] = dry_run ? "dry_run" : "requested";
      if (!dry_run) {
        out.record["request_id"] = result->id;
        out.record["structure_id"] = result->structure_id;
        out.record["designation"] = result->designation;
      }
      out.done = true;
    } else if (IsAlreadyPending(result.status())) {
      // A repeat, or a retry of a request whose answer was lost: done either way.
      out.record["result"] = "already_pending";
      out.record["request_id"] = OrNull(ExistingRequestId(result.status()));
      out.done = true;
    } else if (IsAlreadyAttached(result.status())) {
      out.record["result"] = "already_attached";
      out.record["request_id"] = OrNull(ExistingRequestId(result.status()));
      out.done = true;
    } else {
      out.error = result.status();
    }
  };
  auto items = SpoolSirets(app, input);
  if (!items.ok()) return app.Fail(items.status());
  return RunBulk(app, *items, flags, command);
}

// ------------------------------------------------------ attach approve/reject

struct DecideOptions {
  std::vector<std::int64_t> ids;
  std::string user;
  bool all = false;
  SiretInput structures;  // --structure and --from
  std::string comment;
};

// Decides one request; "already decided" the same way (a retry whose first
// answer was lost, a rerun after a crash) counts as done.
Status DecideOne(Client& client, std::int64_t id, bool approve, const std::string& comment, json& record) {
  const std::string done = approve ? "approved" : "rejected";
  auto decision = client.Decide(id, approve, comment);
  if (decision.ok()) {
    record["result"] = client.dry_run() ? "dry_run" : done;
    if (decision->structure_id) record["structure_id"] = decision->structure_id;
    return OkStatus();
  }
  Status status = decision.status();
  if (IsAlreadyDecided(status)) {
    std::string now = DecidedStatus(status);
    if (now == (approve ? "ACTIF" : "REFUSE")) {
      record["result"] = "already_" + done;
      return OkStatus();
    }
    if (now == "ACTIF")
      status = status.WithMessage(Msg("request {} was already approved", id));
    else if (now == "REFUSE")
      status = status.WithMessage(Msg("request {} was already rejected", id));
  }
  record["result"] = "failed";
  record["error"] = ErrorObject(status, status.message());  // redacted when printed
  return status;
}

json DecideFields(const AttachmentRequest& r) {
  return json{{"request_id", r.id},
              {"structure_id", r.structure_id ? json(r.structure_id) : json(nullptr)},
              {"siret", NullIfEmpty(r.identifier)},
              {"designation", NullIfEmpty(r.designation)},
              {"user_email", NullIfEmpty(r.user_email)}};
}

// Which requests to decide: IDs, or --user/--structure/--from/--all, and a
// reason for a refusal.
Status CheckDecideOptions(const DecideOptions& o, bool approve) {
  const bool by_structure = !o.structures.args.empty() || !o.structures.from.empty();
  if (!approve && o.comment.empty())
    return Status(ErrorKind::kInvalidArgument, Msg("reject needs --comment TEXT (the requester reads it)"));
  if (!o.ids.empty() && (by_structure || !o.user.empty() || o.all))
    return Status(ErrorKind::kInvalidArgument,
                  Msg("request IDs name the requests themselves: give either IDs or --user/--structure/"
                      "--from/--all, not both"));
  if (o.all && by_structure)
    return Status(ErrorKind::kInvalidArgument,
                  Msg("--all means the requests of every structure you manage: drop it, or drop --structure/--from"));
  if (o.ids.empty() && !by_structure && o.user.empty() && !o.all)
    return Status(ErrorKind::kInvalidArgument,
                  approve ? Msg("say which requests to approve: request IDs, --user EMAIL, --structure SIRET, "
                                "--from FILE or --all")
                          : Msg("say which requests to reject: request IDs, --user EMAIL, --structure SIRET, "
                                "--from FILE or --all"));
  return OkStatus();
}

// Each SIRET: the structure, its pending requests (of --user), each decided.
// A rerun skips the journaled structures; for the others, what was decided
// meanwhile is no longer pending, so nothing is sent twice.
int DecideByStructure(App& app, const DecideOptions& o, const BulkFlags& flags, bool approve, BulkCommand command) {
  command.noun = "SIRET";
  command.journaled = true;
  command.tallies.push_back("none_pending");
  command.confirm = [approve, user = o.user](std::size_t n) {
    if (user.empty())
      return approve ? MsgN("About to approve the pending requests to {} structure.",
                            "About to approve the pending requests to {} structures.", n, n)
                     : MsgN("About to reject the pending requests to {} structure.",
                            "About to reject the pending requests to {} structures.", n, n);
    return approve ? MsgN("About to approve the pending requests of {1} to {0} structure.",
                          "About to approve the pending requests of {1} to {0} structures.", n, n, user)
                   : MsgN("About to reject the pending requests of {1} to {0} structure.",
                          "About to reject the pending requests of {1} to {0} structures.", n, n, user);
  };
  command.work = [approve, comment = o.comment, user = o.user](Client& client, const std::string& key,
                                                                 ItemRecords& out) {
    auto found = client.FindStructure(key);
    if (!found.ok()) {
      out.error = found.status();
      return;
    }
    auto pending = client.PendingForManager(PendingFilter{found->id, user});
    if (!pending.ok()) {
      out.error = pending.status();
      return;
    }
    if (pending->empty()) {
      out.record.update(json{{"request_id", nullptr}, {"structure_id", found->id},
                             {"designation", found->designation}, {"user_email", nullptr},
                             {"comment", nullptr}, {"result", "none_pending"}});
      out.done = true;
      return;
    }
    bool first = true;
    for (const auto& request : *pending) {
      json& record = first ? out.record : out.AddRecord();
      first = false;
      record.update(DecideFields(request));
      record["siret"] = key;
      record["comment"] = NullIfEmpty(comment);
      Status s = DecideOne(client, request.id, approve, comment, record);
      if (!s.ok() && out.error.ok()) out.error = s;
      if (!s.ok() && bulk::StopsTheRun(s)) break;
    }
    out.done = out.error.ok();
  };
  auto items = SpoolSirets(app, o.structures);
  if (!items.ok()) return app.Fail(items.status());
  return RunBulk(app, *items, flags, command);
}

// Request IDs, or the pending requests that match, spooled: the listing is
// read whole before the first decision, so that deciding does not shift its
// pages. Named requests are journaled; a listing needs no journal: what was
// decided leaves it, so a rerun lists only what is left.
int DecideByRequest(App& app, const DecideOptions& o, const BulkFlags& flags, bool approve, BulkCommand command) {
  if (Status s = app.RequireSandbox(command.name, PortalStep::kAttachDecide); !s.ok()) return app.Fail(s);
  command.noun = "request";
  command.confirm = [approve](std::size_t n) {
    return approve ? MsgN("About to approve {} attachment request.", "About to approve {} attachment requests.", n, n)
                   : MsgN("About to reject {} attachment request.", "About to reject {} attachment requests.", n, n);
  };
  auto spool = bulk::ItemSpool::Create();
  if (!spool.ok()) return app.Fail(spool.status());
  BulkInput input{std::move(*spool), 0};
  std::optional<App::Portal> portal;
  if (!o.ids.empty()) {
    command.journaled = true;
    std::set<std::int64_t> seen;
    for (auto id : o.ids) {
      if (!seen.insert(id).second) continue;
      AttachmentRequest r;
      r.id = id;
      if (Status s = input.items->Add(std::to_string(id), DecideFields(r).dump()); !s.ok()) return app.Fail(s);
    }
    if (const std::size_t repeated = o.ids.size() - seen.size(); repeated > 0)
      app.Info(TrFormatN("{} repeated request ID skipped", "{} repeated request IDs skipped", repeated, repeated));
  } else {
    command.journaled = !flags.journal.empty();
    auto connected = app.Connect(true, /*bulk=*/true);
    if (!connected.ok()) return app.Fail(connected.status());
    portal = std::move(*connected);
    Status spooled;
    Status listed = portal->client->ForEachPending(PendingFilter{std::nullopt, o.user}, [&](const AttachmentRequest& r) {
      spooled = input.items->Add(std::to_string(r.id), DecideFields(r).dump(-1, ' ', false, json::error_handler_t::replace));
      return spooled.ok();
    });
    if (!spooled.ok()) return app.Fail(spooled);
    if (!listed.ok()) return app.Fail(listed);
    if (input.items->size() == 0) {
      app.Info(Tr("no pending request matches"));
      return kExitOk;
    }
  }
  command.work = [approve, comment = o.comment](Client& client, const std::string& key, ItemRecords& out) {
    out.record["comment"] = NullIfEmpty(comment);
    out.error = DecideOne(client, std::stoll(key), approve, comment, out.record);
    out.done = out.error.ok();
  };
  // One session for the listing and the decisions: one token, secrets resolved once.
  return RunBulk(app, input, flags, command, portal ? portal->session.get() : nullptr);
}

int RunDecide(App& app, const DecideOptions& o, const BulkFlags& flags, bool approve) {
  if (Status s = CheckDecideOptions(o, approve); !s.ok()) return app.Fail(s);
  BulkCommand command;
  command.name = std::string("attach ") + (approve ? "approve" : "reject");
  command.columns = {{"line", Tr("LINE"), false},       {"request_id", Tr("REQUEST")},
                     {"structure_id", "ID", false},      {"siret", "SIRET"},
                     {"designation", "STRUCTURE"},       {"user_email", Tr("USER")},
                     {"comment", Tr("COMMENT"), false},  {"result", Tr("RESULT")},
                     {"error", Tr("ERROR")},             {"from_journal", Tr("FROM JOURNAL"), false}};
  command.tallies = {approve ? "approved" : "rejected", approve ? "already_approved" : "already_rejected"};
  command.mutation = true;
  command.portal_only = PortalStep::kAttachDecide;
  command.options = o.user;
  const bool by_structure = !o.structures.args.empty() || !o.structures.from.empty();
  return by_structure ? DecideByStructure(app, o, flags, approve, std::move(command))
                      : DecideByRequest(app, o, flags, approve, std::move(command));
}

// ---------------------------------------------------------------- attach list

struct ListOptions {
  std::vector<std::string> statuses;  // active, pending, refused
  std::vector<std::string> sirets;
  bool ready = false;
};

std::vector<Column> ListColumns() {
  return {{"structure_id", "ID", false},         {"siret", "SIRET"},
          {"designation", "STRUCTURE"},          {"role", Tr("ROLE")},
          {"status", Tr("STATUS")},              {"tic_space_open", Tr("TIC SPACE"), false},
          {"ready", Tr("READY")},                {"request_id", Tr("REQUEST")},
          {"requested_at", Tr("REQUESTED"), false}, {"decided_at", Tr("DECIDED"), false},
          {"comment", Tr("COMMENT")}};
}

// The SIRETs of --siret / --structure, checked and as 14 digits.
StatusOr<std::set<std::string>> SiretFilter(const std::vector<std::string>& texts, const char* flag) {
  std::set<std::string> out;
  for (const auto& text : texts) {
    auto siret = Siret::Parse(text);
    if (!siret.ok())
      return Status(ErrorKind::kInvalidArgument, Message{siret.status().message(), siret.status().localized_message()})
          .WithContext(flag);
    out.insert(siret->digits());
  }
  return out;
}

int RunList(App& app, const ListOptions& o) {
  auto sirets = SiretFilter(o.sirets, "--siret");
  if (!sirets.ok()) return app.Fail(sirets.status());
  auto profile = app.ActiveProfile();
  if (!profile.ok()) return app.Fail(profile.status());
  auto portal = app.Connect(true);
  if (!portal.ok()) return app.Fail(portal.status());
  auto attachments = portal->client->MyAttachments();
  if (!attachments.ok()) return app.Fail(attachments.status());
  std::vector<json> records;
  for (const auto& a : *attachments)
    records.push_back(json{{"structure_id", a.structure_id},
                           {"siret", a.identifier},
                           {"designation", a.designation},
                           {"role", NullIfEmpty(a.role)},
                           {"status", StatusValue(a.status)},
                           {"tic_space_open", OrNull(a.tic_space_open)},
                           {"ready", OrNull(a.ready_for_tic)}});
  // The sandbox also lists requests; active ones already appear above.
  if (profile->environment == Environment::kSandbox) {
    auto requests = portal->client->MyRequests();
    if (!requests.ok()) return app.Fail(requests.status());
    for (const auto& r : *requests) {
      if (r.status == "ACTIF") continue;
      records.push_back(json{{"structure_id", r.structure_id},
                             {"siret", r.identifier},
                             {"designation", r.designation},
                             {"role", NullIfEmpty(r.role)},
                             {"status", StatusValue(r.status)},
                             {"tic_space_open", OrNull(r.tic_space_open)},
                             {"ready", OrNull(r.ready_for_tic)},
                             {"request_id", r.id},
                             {"requested_at", NullIfEmpty(r.requested_at)},
                             {"decided_at", NullIfEmpty(r.decided_at)},
                             {"comment", NullIfEmpty(r.comment)}});
    }
  }
  auto printer = app.Printer(ListColumns());
  for (const auto& record : records) {
    if (!o.statuses.empty() &&
        std::find(o.statuses.begin(), o.statuses.end(), record["status"].get<std::string>()) == o.statuses.end())
      continue;
    if (!sirets->empty() && !sirets->count(record["siret"].get<std::string>())) continue;
    if (o.ready && record["ready"] != true) continue;
    printer->Print(record);
  }
  printer->Finish();
  return kExitOk;
}

// -------------------------------------------------------------- attach status

// What to do next for one client SIRET, as a chase list says it, in English
// (the record's next_step) and in the user's language (what a table shows);
// empty when it is ready. Each is a whole sentence; two problems make two.
Message NextStep(const json& r) {
  if (r["found"] != true) return Msg("not on Chorus Pro: the farm must create its structure");
  std::vector<Message> steps;
  const std::string status = r["status"];
  if (status == "none") {
    steps.push_back(Msg("ask to be attached: chorus attach request {}", r["siret"].get<std::string>()));
  } else if (status == "pending") {
    if (r["main_manager"].is_string()) {
      std::string who = r["main_manager"].get<std::string>();
      if (r["main_manager_email"].is_string()) who += " <" + r["main_manager_email"].get<std::string>() + ">";
      steps.push_back(Msg("waiting for {} to validate", who));
    } else {
      steps.push_back(Msg("waiting for a manager of the structure to validate"));
    }
  } else if (status == "refused") {
    steps.push_back(r["comment"].is_string()
                        ? Msg("refused: {}; ask again when settled", r["comment"].get<std::string>())
                        : Msg("refused; ask again when settled"));
  } else if (status == "unknown") {
    steps.push_back(Msg("not attached as far as the API shows: request the attachment on the portal"));
  }
  if (r["tic_space_open"] == false)
    steps.push_back(Msg("the farm has no 'Demande de remboursement TIC' space: ask it to open it"));
  else if (r["tic_space_open"].is_null())
    steps.push_back(Msg("check on the portal that the farm's 'Demande de remboursement TIC' space is open"));
  Message text;
  for (const auto& step : steps) {
    const bool first = text.english.empty();
    text.english += (first ? "" : "; ") + step.english;
    text.localized += (first ? "" : "; ") + (step.localized.empty() ? step.english : step.localized);
  }
  return text;
}

struct StatusOptions {
  SiretInput input;
  std::string only;  // ready, not-ready, or empty
};

std::vector<Column> StatusColumns() {
  return {{"line", Tr("LINE")},
          {"siret", "SIRET"},
          {"found", Tr("FOUND"), false},
          {"structure_id", "ID", false},
          {"designation", "STRUCTURE"},
          {"tic_space_open", Tr("TIC SPACE")},
          {"status", Tr("ATTACHMENT")},
          {"request_id", Tr("REQUEST"), false},
          {"ready", Tr("READY")},
          {"main_manager", Tr("MAIN MANAGER"), false},
          {"main_manager_email", Tr("MAIN MANAGER E-MAIL"), false},
          {"comment", Tr("COMMENT"), false},
          {"next_step", Tr("NEXT STEP")},
          {"result", Tr("RESULT"), false},
          {"error", Tr("ERROR"), false},
          {"from_journal", Tr("FROM JOURNAL"), false}};
}

int RunStatus(App& app, const StatusOptions& o, const BulkFlags& flags) {
  auto profile = app.ActiveProfile();
  if (!profile.ok()) return app.Fail(profile.status());
  bool sandbox = profile->environment == Environment::kSandbox;

  // My side, loaded once: attachments (and, on the sandbox, requests) by SIRET.
  struct Mine {
    std::string state;
    std::int64_t request = 0;
    std::string comment;
  };
  auto mine = std::make_shared<std::map<std::string, Mine>>();
  BulkCommand command;
  command.name = "attach status";
  command.noun = "SIRET";
  command.columns = StatusColumns();
  command.tallies = {"ready", "not_ready", "not_found"};
  // --only: a chase list (not-ready) or what can be filed (ready); the
  // summary still counts every SIRET.
  if (!o.only.empty())
    command.keep = [only = o.only](const json& record) {
      return (record["ready"] == true) == (only == "ready") || record["result"] == "failed";
    };
  command.prepare = [mine, sandbox](Client& client) -> Status {
    auto attachments = client.MyAttachments();
    if (!attachments.ok()) return attachments.status();
    for (const auto& a : *attachments)
      if (a.status == "ACTIF") (*mine)[a.identifier] = {"active", 0, ""};
    if (!sandbox) return OkStatus();
    auto requests = client.MyRequests();
    if (!requests.ok()) return requests.status();
    for (const auto& r : *requests) {
      auto& slot = (*mine)[r.identifier];
      if (slot.state == "active") continue;
      if (r.status == "EN_ATTENTE") slot = {"pending", r.id, ""};
      else if (r.status == "REFUSE" && slot.state != "pending") slot = {"refused", r.id, r.comment};
      else if (r.status == "ACTIF") slot = {"active", r.id, ""};
    }
    return OkStatus();
  };
  command.work = [mine, sandbox](Client& client, const std::string& key, ItemRecords& out) {
    json& record = out.record;
    record.update(json{{"found", false}, {"structure_id", nullptr}, {"designation", nullptr},
                       {"tic_space_open", nullptr}, {"status", nullptr}, {"request_id", nullptr},
                       {"ready", false}, {"main_manager", nullptr}, {"main_manager_email", nullptr},
                       {"comment", nullptr}});
    auto found = client.FindStructure(key);
    if (!found.ok() && found.status().kind() != ErrorKind::kNotFound) {
      out.error = found.status();
      return;
    }
    if (found.ok()) {
      record["found"] = true;
      record["structure_id"] = found->id;
      record["designation"] = found->designation;
      auto details = client.ConsultStructure(found->id);
      if (!details.ok()) {
        out.error = details.status();
        return;
      }
      record["tic_space_open"] = OrNull(details->tic_space_open);
      if (details->main_manager) {
        record["main_manager"] = details->main_manager->first_name + " " + details->main_manager->last_name;
        record["main_manager_email"] = NullIfEmpty(details->main_manager->email);
      }
    }
    auto it = mine->find(key);
    // PISTE lists active attachments only: anything else is unknown there.
    std::string state = it != mine->end() ? it->second.state : (sandbox ? "none" : "unknown");
    record["status"] = state;
    if (it != mine->end() && it->second.request) record["request_id"] = it->second.request;
    if (it != mine->end()) record["comment"] = NullIfEmpty(it->second.comment);
    bool ready = state == "active" && record["tic_space_open"] == true;
    record["ready"] = ready;
    const Message next = NextStep(record);
    record["next_step"] = next.english.empty() ? json(nullptr) : json(next.english);
    if (!next.localized.empty()) record[HumanKey("next_step")] = next.localized;
    record["result"] = ready ? "ready" : found.ok() ? "not_ready" : "not_found";
    out.done = true;
  };
  auto items = SpoolSirets(app, o.input);
  if (!items.ok()) return app.Fail(items.status());
  return RunBulk(app, *items, flags, command);
}

// ---------------------------------------------------------------- list pending

struct PendingOptions {
  bool incoming = false, outgoing = false;
  std::string user;                     // e-mail
  std::vector<std::string> structures;  // SIRETs
};

int RunPending(App& app, PendingOptions o) {
  if (!o.incoming && !o.outgoing) o.incoming = o.outgoing = true;
  auto sirets = SiretFilter(o.structures, "--structure");
  if (!sirets.ok()) return app.Fail(sirets.status());
  if (Status s = app.RequireSandbox("list pending", PortalStep::kListPending); !s.ok()) return app.Fail(s);
  auto portal = app.Connect(true);
  if (!portal.ok()) return app.Fail(portal.status());
  std::vector<json> records;
  if (o.incoming) {
    auto pending = portal->client->PendingForManager({std::nullopt, o.user});
    if (!pending.ok()) return app.Fail(pending.status());
    for (const auto& r : *pending)
      records.push_back(json{{"direction", "incoming"},
                             {"request_id", r.id},
                             {"structure_id", r.structure_id},
                             {"siret", r.identifier},
                             {"designation", r.designation},
                             {"user_email", r.user_email},
                             {"user_name", r.user_first_name + " " + r.user_last_name},
                             {"requested_at", NullIfEmpty(r.requested_at)}});
  }
  if (o.outgoing) {
    auto mine = portal->client->MyRequests();
    if (!mine.ok()) return app.Fail(mine.status());
    const std::string login = portal->session->profile().login;
    for (const auto& r : *mine)
      if (r.status == "EN_ATTENTE")
        records.push_back(json{{"direction", "outgoing"},
                               {"request_id", r.id},
                               {"structure_id", r.structure_id},
                               {"siret", r.identifier},
                               {"designation", r.designation},
                               {"user_email", login},
                               {"user_name", nullptr},
                               {"requested_at", NullIfEmpty(r.requested_at)}});
  }
  auto printer = app.Printer({{"direction", Tr("DIRECTION")},
                              {"request_id", Tr("REQUEST")},
                              {"structure_id", "ID", false},
                              {"siret", "SIRET"},
                              {"designation", "STRUCTURE"},
                              {"user_email", Tr("USER")},
                              {"user_name", Tr("NAME"), false},
                              {"requested_at", Tr("REQUESTED")}});
  for (const auto& record : records) {
    if (!o.user.empty() && !EqualsIgnoreCase(record["user_email"].get<std::string>(), o.user)) continue;
    if (!sirets->empty() && !sirets->count(record["siret"].get<std::string>())) continue;
    printer->Print(record);
  }
  printer->Finish();
  return kExitOk;
}

void AddSiretInput(CLI::App* cmd, SiretInput& input, bool skip_invalid) {
  cmd->add_option("SIRET", input.args, Tr("SIRETs (spaces or dots allowed)"));
  cmd->add_option("--from", input.from,
                  Tr("Read SIRETs from FILE (- for stdin): one a line, CSV (UTF-8 or Windows-1252), .xlsx or .ods"))
      ->type_name("FILE");
  cmd->add_option("--column", input.column, Tr("The SIRET column of a CSV or sheet, by header name or 1-based number"))
      ->type_name("COLUMN");
  cmd->add_option("--sheet", input.sheet, Tr("The sheet of an .xlsx or .ods workbook, by name (default: the first)"))
      ->type_name("NAME");
  if (skip_invalid)
    cmd->add_flag("--skip-invalid", input.skip_invalid, Tr("Go on with the valid SIRETs when some are invalid"));
}

}  // namespace

void RegisterAttachCommands(CLI::App& root, App& app, int* exit_code) {
  auto* attach = root.add_subcommand(
      "attach", Tr("Manage the attachments (rattachements) of your account to structures: requests, and their "
                   "approval (valider) by a main manager (gestionnaire principal) or manager"));
  attach->require_subcommand(1);

  auto request = std::make_shared<SiretInput>();
  auto request_flags = std::make_shared<BulkFlags>();
  auto* req = attach->add_subcommand(
      "request",
      Tr("Ask to be attached to structures, by SIRET; in bulk, resumable: rerun the same command after "
         "an interruption and finished items are not sent again"));
  AddSiretInput(req, *request, true);
  AddBulkFlags(req, *request_flags, true);
  req->callback([&app, request, request_flags, exit_code] {
    *exit_code = RunRequest(app, *request, *request_flags);
  });

  for (bool approve : {true, false}) {
    auto o = std::make_shared<DecideOptions>();
    auto flags = std::make_shared<BulkFlags>();
    auto* d = attach->add_subcommand(
        approve ? "approve" : "reject",
        approve ? Tr("Approve (valider) attachment requests to structures you manage; in bulk, resumable like "
                     "attach request")
                : Tr("Reject (refuser) attachment requests to structures you manage; in bulk, resumable like "
                     "attach request"));
    d->add_option("ID", o->ids, Tr("Request IDs (see chorus list pending)"))->check(CLI::PositiveNumber);
    d->add_option("--user", o->user, Tr("Pending requests of this user (e-mail)"))->type_name("EMAIL");
    d->add_option("--structure", o->structures.args, Tr("Pending requests to this structure (SIRET); may be repeated"))
        ->allow_extra_args(false)
        ->type_name("SIRET");
    d->add_option("--from", o->structures.from,
                  Tr("Pending requests to the structures whose SIRETs FILE lists (- for stdin): CSV, .xlsx or .ods"))
        ->type_name("FILE");
    d->add_option("--column", o->structures.column,
                  Tr("The SIRET column of a CSV or sheet, by header name or 1-based number"))
        ->type_name("COLUMN");
    d->add_option("--sheet", o->structures.sheet,
                  Tr("The sheet of an .xlsx or .ods workbook, by name (default: the first)"))
        ->type_name("NAME");
    d->add_flag("--skip-invalid", o->structures.skip_invalid, Tr("Go on with the valid SIRETs when some are invalid"));
    d->add_flag("--all", o->all, Tr("Every pending request of the structures you manage"));
    d->add_option("--comment", o->comment,
                  approve ? Tr("Comment for the requester") : Tr("Reason, sent to the requester (required)"))
        ->type_name("TEXT");
    AddBulkFlags(d, *flags, true);
    d->callback([&app, o, flags, exit_code, approve] { *exit_code = RunDecide(app, *o, *flags, approve); });
  }

  auto list_options = std::make_shared<ListOptions>();
  auto* ls = attach->add_subcommand("list", Tr("Your attachments and requests, with their statuses"));
  ls->add_option("--status", list_options->statuses, Tr("Only these statuses (repeatable): active, pending, refused"))
      ->type_name("STATUS")
      ->check(CLI::IsMember({"active", "pending", "refused"}));
  ls->add_option("--siret", list_options->sirets, Tr("Only the structure of this SIRET (repeatable)"))->type_name("SIRET");
  ls->add_flag("--ready", list_options->ready,
               Tr("Only the structures ready for TIC refund requests (active, TIC space open)"));
  ls->callback([&app, list_options, exit_code] { *exit_code = RunList(app, *list_options); });

  auto status = std::make_shared<StatusOptions>();
  auto status_flags = std::make_shared<BulkFlags>();
  auto* st = attach->add_subcommand(
      "status",
      Tr("Readiness per client SIRET: found, TIC space (espace « Demande de remboursement TIC ») open, your "
         "attachment, ready to file, and the next step: a chase list"));
  AddSiretInput(st, status->input, true);
  st->add_option("--only", status->only,
                 Tr("Only the SIRETs ready to file (ready) or the others, with their next step (not-ready)"))
      ->type_name("WHICH")
      ->check(CLI::IsMember({"ready", "not-ready"}));
  AddBulkFlags(st, *status_flags, false);
  st->callback([&app, status, status_flags, exit_code] { *exit_code = RunStatus(app, *status, *status_flags); });

  auto* list = root.add_subcommand("list", Tr("Lists"));
  list->require_subcommand(1);
  auto pending_options = std::make_shared<PendingOptions>();
  auto* pending = list->add_subcommand(
      "pending", Tr("Attachment requests waiting (en attente): incoming (structures you manage) and outgoing (yours)"));
  pending->add_flag("--incoming", pending_options->incoming, Tr("Only requests to structures you manage"));
  pending->add_flag("--outgoing", pending_options->outgoing, Tr("Only your own requests"));
  pending->add_option("--user", pending_options->user, Tr("Only the requests of this user (e-mail)"))->type_name("EMAIL");
  pending->add_option("--structure", pending_options->structures,
                      Tr("Only the requests to this structure (SIRET; repeatable)"))
      ->type_name("SIRET");
  pending->callback([&app, pending_options, exit_code] { *exit_code = RunPending(app, *pending_options); });
}

}  // namespace chorus::cli
