// chorus attach request / approve / reject / list / status, and chorus list pending.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <map>
#include <set>

#include "app.h"
#include "bulk_run.h"
#include "bulk_source.h"
#include "chorus/siret.h"

namespace chorus::cli {
namespace {

using nlohmann::json;

json NullIfEmpty(const std::string& s) { return s.empty() ? json(nullptr) : json(s); }
template <typename T>
json OrNull(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

// ------------------------------------------------------------ attach request

const std::vector<Column> kRequestColumns = {
    {"line", "LINE"},   {"siret", "SIRET"},       {"result", "RESULT"},
    {"request_id", "REQUEST"}, {"designation", "STRUCTURE"}, {"error", "ERROR"}};

int RunRequest(App& app, const SiretInput& input, const BulkFlags& flags) {
  BulkCommand command;
  command.name = "attach request";
  command.noun = "SIRET";
  command.columns = kRequestColumns;
  command.tallies = {"requested", "already_pending", "already_attached"};
  command.mutation = true;
  command.journaled = true;
  command.confirm = "About to send {} attachment request(s), one per structure.";
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
    if (now == "ACTIF" || now == "REFUSE") {
      status = status.WithMessage("request " + std::to_string(id) + " was already " +
                                  (now == "ACTIF" ? "approved" : "rejected"));
    }
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
    return Status(ErrorKind::kInvalidArgument, "reject needs --comment TEXT (the requester reads it)");
  if (!o.ids.empty() && (by_structure || !o.user.empty() || o.all))
    return Status(ErrorKind::kInvalidArgument,
                  "request IDs name the requests themselves: give either IDs or --user/--structure/"
                  "--from/--all, not both");
  if (o.all && by_structure)
    return Status(ErrorKind::kInvalidArgument,
                  "--all means the requests of every structure you manage: drop it, or drop --structure/--from");
  if (o.ids.empty() && !by_structure && o.user.empty() && !o.all)
    return Status(ErrorKind::kInvalidArgument,
                  std::string("say which requests to ") + (approve ? "approve" : "reject") +
                      ": request IDs, --user EMAIL, --structure SIRET, --from FILE or --all");
  return OkStatus();
}

// Each SIRET: the structure, its pending requests (of --user), each decided.
// A rerun skips the journaled structures; for the others, what was decided
// meanwhile is no longer pending, so nothing is sent twice.
int DecideByStructure(App& app, const DecideOptions& o, const BulkFlags& flags, bool approve, BulkCommand command) {
  command.noun = "SIRET";
  command.journaled = true;
  command.tallies.push_back("none_pending");
  command.confirm = o.user.empty() ? (approve ? "About to approve the pending requests to {} structure(s)."
                                               : "About to reject the pending requests to {} structure(s).")
                                    : (approve ? "About to approve the pending requests of " + o.user + " to {} structure(s)."
                                               : "About to reject the pending requests of " + o.user + " to {} structure(s).");
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
  command.confirm = approve ? "About to approve {} attachment request(s)." : "About to reject {} attachment request(s).";
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
    if (seen.size() < o.ids.size()) app.Info(std::to_string(o.ids.size() - seen.size()) + " repeated request ID(s) skipped");
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
      app.Info("no pending request matches");
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
  command.columns = {{"request_id", "REQUEST"}, {"siret", "SIRET"},   {"designation", "STRUCTURE"},
                     {"user_email", "USER"},    {"result", "RESULT"}, {"error", "ERROR"}};
  command.tallies = {approve ? "approved" : "rejected", approve ? "already_approved" : "already_rejected"};
  command.mutation = true;
  command.portal_only = PortalStep::kAttachDecide;
  command.options = o.user;
  const bool by_structure = !o.structures.args.empty() || !o.structures.from.empty();
  return by_structure ? DecideByStructure(app, o, flags, approve, std::move(command))
                      : DecideByRequest(app, o, flags, approve, std::move(command));
}

// ---------------------------------------------------------------- attach list

int RunList(App& app) {
  auto profile = app.ActiveProfile();
  if (!profile.ok()) return app.Fail(profile.status());
  auto portal = app.Connect(true);
  if (!portal.ok()) return app.Fail(portal.status());
  auto attachments = portal->client->MyAttachments();
  if (!attachments.ok()) return app.Fail(attachments.status());
  auto printer = app.Printer({{"siret", "SIRET"},
                              {"designation", "STRUCTURE"},
                              {"role", "ROLE"},
                              {"status", "STATUS"},
                              {"ready_for_tic", "TIC READY"},
                              {"request_id", "REQUEST"},
                              {"comment", "COMMENT"}});
  for (const auto& a : *attachments)
    printer->Print(json{{"structure_id", a.structure_id},
                        {"siret", a.identifier},
                        {"designation", a.designation},
                        {"role", NullIfEmpty(a.role)},
                        {"status", a.status},
                        {"tic_space_open", OrNull(a.tic_space_open)},
                        {"ready_for_tic", OrNull(a.ready_for_tic)},
                        {"request_id", nullptr},
                        {"requested_at", nullptr},
                        {"decided_at", nullptr},
                        {"comment", nullptr}});
  // The sandbox also lists requests; active ones already appear above.
  if (profile->environment == Environment::kSandbox) {
    auto requests = portal->client->MyRequests();
    if (!requests.ok()) return app.Fail(requests.status());
    for (const auto& r : *requests) {
      if (r.status == "ACTIF") continue;
      printer->Print(json{{"structure_id", r.structure_id},
                          {"siret", r.identifier},
                          {"designation", r.designation},
                          {"role", NullIfEmpty(r.role)},
                          {"status", r.status},
                          {"tic_space_open", OrNull(r.tic_space_open)},
                          {"ready_for_tic", OrNull(r.ready_for_tic)},
                          {"request_id", r.id},
                          {"requested_at", NullIfEmpty(r.requested_at)},
                          {"decided_at", NullIfEmpty(r.decided_at)},
                          {"comment", NullIfEmpty(r.comment)}});
    }
  }
  printer->Finish();
  return kExitOk;
}

// -------------------------------------------------------------- attach status

int RunStatus(App& app, const SiretInput& input, const BulkFlags& flags) {
  auto profile = app.ActiveProfile();
  if (!profile.ok()) return app.Fail(profile.status());
  bool sandbox = profile->environment == Environment::kSandbox;

  // My side, loaded once: attachments (and, on the sandbox, requests) by SIRET.
  struct Mine {
    std::string state;
    std::int64_t request = 0;
  };
  auto mine = std::make_shared<std::map<std::string, Mine>>();
  BulkCommand command;
  command.name = "attach status";
  command.noun = "SIRET";
  command.columns = {{"line", "LINE"},
                     {"siret", "SIRET"},
                     {"found", "FOUND"},
                     {"designation", "STRUCTURE"},
                     {"tic_space_open", "TIC SPACE"},
                     {"attachment", "ATTACHMENT"},
                     {"ready", "READY"}};
  command.tallies = {"ready", "not_ready", "not_found"};
  command.prepare = [mine, sandbox](Client& client) -> Status {
    auto attachments = client.MyAttachments();
    if (!attachments.ok()) return attachments.status();
    for (const auto& a : *attachments)
      if (a.status == "ACTIF") (*mine)[a.identifier] = {"active", 0};
    if (!sandbox) return OkStatus();
    auto requests = client.MyRequests();
    if (!requests.ok()) return requests.status();
    for (const auto& r : *requests) {
      auto& slot = (*mine)[r.identifier];
      if (slot.state == "active") continue;
      if (r.status == "EN_ATTENTE") slot = {"pending", r.id};
      else if (r.status == "REFUSE" && slot.state != "pending") slot = {"refused", r.id};
      else if (r.status == "ACTIF") slot = {"active", r.id};
    }
    return OkStatus();
  };
  command.work = [mine, sandbox](Client& client, const std::string& key, ItemRecords& out) {
    json& record = out.record;
    record.update(json{{"found", false}, {"structure_id", nullptr}, {"designation", nullptr},
                       {"tic_space_open", nullptr}, {"attachment", nullptr}, {"request_id", nullptr},
                       {"ready", false}});
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
    }
    auto it = mine->find(key);
    // PISTE lists active attachments only: anything else is unknown there.
    std::string state = it != mine->end() ? it->second.state : (sandbox ? "none" : "unknown");
    record["attachment"] = state;
    if (it != mine->end() && it->second.request) record["request_id"] = it->second.request;
    bool ready = state == "active" && record["tic_space_open"] == true;
    record["ready"] = ready;
    record["result"] = ready ? "ready" : found.ok() ? "not_ready" : "not_found";
    out.done = true;
  };
  auto items = SpoolSirets(app, input);
  if (!items.ok()) return app.Fail(items.status());
  return RunBulk(app, *items, flags, command);
}

// ---------------------------------------------------------------- list pending

int RunPending(App& app, bool incoming, bool outgoing) {
  if (!incoming && !outgoing) incoming = outgoing = true;
  if (Status s = app.RequireSandbox("list pending", PortalStep::kListPending); !s.ok()) return app.Fail(s);
  auto portal = app.Connect(true);
  if (!portal.ok()) return app.Fail(portal.status());
  auto printer = app.Printer({{"direction", "DIRECTION"},
                              {"request_id", "REQUEST"},
                              {"siret", "SIRET"},
                              {"designation", "STRUCTURE"},
                              {"user_email", "USER"},
                              {"requested_at", "REQUESTED"}});
  if (incoming) {
    auto pending = portal->client->PendingForManager({});
    if (!pending.ok()) return app.Fail(pending.status());
    for (const auto& r : *pending)
      printer->Print(json{{"direction", "incoming"},
                          {"request_id", r.id},
                          {"structure_id", r.structure_id},
                          {"siret", r.identifier},
                          {"designation", r.designation},
                          {"user_email", r.user_email},
                          {"user_name", r.user_first_name + " " + r.user_last_name},
                          {"requested_at", NullIfEmpty(r.requested_at)}});
  }
  if (outgoing) {
    auto mine = portal->client->MyRequests();
    if (!mine.ok()) return app.Fail(mine.status());
    auto login = app.ActiveProfile();
    for (const auto& r : *mine)
      if (r.status == "EN_ATTENTE")
        printer->Print(json{{"direction", "outgoing"},
                            {"request_id", r.id},
                            {"structure_id", r.structure_id},
                            {"siret", r.identifier},
                            {"designation", r.designation},
                            {"user_email", login.ok() ? json(login->login) : json(nullptr)},
                            {"user_name", nullptr},
                            {"requested_at", NullIfEmpty(r.requested_at)}});
  }
  printer->Finish();
  return kExitOk;
}

void AddSiretInput(CLI::App* cmd, SiretInput& input, bool skip_invalid) {
  cmd->add_option("SIRET", input.args, "SIRETs (spaces or dots allowed)");
  cmd->add_option("--from", input.from,
                  "Read SIRETs from FILE (- for stdin): one a line, CSV (UTF-8 or Windows-1252), .xlsx or .ods")
      ->type_name("FILE");
  cmd->add_option("--column", input.column, "The SIRET column of a CSV or sheet, by header name or 1-based number")
      ->type_name("COLUMN");
  cmd->add_option("--sheet", input.sheet, "The sheet of an .xlsx or .ods workbook, by name (default: the first)")
      ->type_name("NAME");
  if (skip_invalid)
    cmd->add_flag("--skip-invalid", input.skip_invalid, "Go on with the valid SIRETs when some are invalid");
}

}  // namespace

void RegisterAttachCommands(CLI::App& root, App& app, int* exit_code) {
  auto* attach = root.add_subcommand("attach", "Attachments of your account to structures");
  attach->require_subcommand(1);

  auto request = std::make_shared<SiretInput>();
  auto request_flags = std::make_shared<BulkFlags>();
  auto* req = attach->add_subcommand(
      "request",
      "Ask to be attached to structures, by SIRET; in bulk, resumable: rerun the same command after "
      "an interruption and finished items are not sent again");
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
        std::string(approve ? "Approve" : "Reject") +
            " attachment requests to structures you manage; in bulk, resumable like attach request");
    d->add_option("ID", o->ids, "Request IDs (see chorus list pending)")->check(CLI::PositiveNumber);
    d->add_option("--user", o->user, "Pending requests of this user (e-mail)")->type_name("EMAIL");
    d->add_option("--structure", o->structures.args, "Pending requests to this structure (SIRET); may be repeated")
        ->allow_extra_args(false)
        ->type_name("SIRET");
    d->add_option("--from", o->structures.from,
                  "Pending requests to the structures whose SIRETs FILE lists (- for stdin): CSV, .xlsx or .ods")
        ->type_name("FILE");
    d->add_option("--column", o->structures.column, "The SIRET column of a CSV or sheet, by header name or 1-based number")
        ->type_name("COLUMN");
    d->add_option("--sheet", o->structures.sheet, "The sheet of an .xlsx or .ods workbook, by name (default: the first)")
        ->type_name("NAME");
    d->add_flag("--skip-invalid", o->structures.skip_invalid, "Go on with the valid SIRETs when some are invalid");
    d->add_flag("--all", o->all, "Every pending request of the structures you manage");
    d->add_option("--comment", o->comment,
                  approve ? "Comment for the requester" : "Reason, sent to the requester (required)")
        ->type_name("TEXT");
    AddBulkFlags(d, *flags, true);
    d->callback([&app, o, flags, exit_code, approve] { *exit_code = RunDecide(app, *o, *flags, approve); });
  }

  attach->add_subcommand("list", "Your attachments and requests, with their statuses")->callback([&app, exit_code] {
    *exit_code = RunList(app);
  });

  auto status = std::make_shared<SiretInput>();
  auto status_flags = std::make_shared<BulkFlags>();
  auto* st = attach->add_subcommand(
      "status", "Readiness per client SIRET: found, TIC space open, your attachment, ready to file");
  AddSiretInput(st, *status, true);
  AddBulkFlags(st, *status_flags, false);
  st->callback([&app, status, status_flags, exit_code] {
    *exit_code = RunStatus(app, *status, *status_flags);
  });

  auto* list = root.add_subcommand("list", "Lists");
  list->require_subcommand(1);
  auto in = std::make_shared<bool>(false), out = std::make_shared<bool>(false);
  auto* pending = list->add_subcommand(
      "pending", "Requests waiting: incoming (structures you manage) and outgoing (yours)");
  pending->add_flag("--incoming", *in, "Only requests to structures you manage");
  pending->add_flag("--outgoing", *out, "Only your own requests");
  pending->callback([&app, in, out, exit_code] { *exit_code = RunPending(app, *in, *out); });
}

}  // namespace chorus::cli
