// chorus attach request / approve / reject / list / status, and chorus list pending.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <map>

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
  command.columns = kRequestColumns;
  command.tallies = {"requested", "already pending", "already attached"};
  command.mutation = true;
  command.confirm = "Request attachment to {} structure(s)?";
  command.portal_only = PortalStep::kAttachRequest;
  bool dry_run = app.options.dry_run;
  command.work = [dry_run](Client& client, const SiretItem& item, ItemResult& out) {
    out.record["request_id"] = nullptr;
    out.record["structure_id"] = nullptr;
    out.record["designation"] = nullptr;
    auto result = client.RequestAttachment(item.siret);
    if (result.ok()) {
      out.record["result"] = dry_run ? "dry_run" : "requested";
      if (!dry_run) {
        out.record["request_id"] = result->id;
        out.record["structure_id"] = result->structure_id;
        out.record["designation"] = result->designation;
      }
      out.tally = "requested";
      out.done = true;
    } else if (IsAlreadyPending(result.status())) {
      // A repeat, or a retry of a request whose answer was lost: done either way.
      out.record["result"] = "already_pending";
      out.tally = "already pending";
      out.done = true;
    } else if (IsAlreadyAttached(result.status())) {
      out.record["result"] = "already_attached";
      out.tally = "already attached";
      out.done = true;
    } else {
      out.error = result.status();
    }
  };
  return RunBulk(app, input, flags, command);
}

// ------------------------------------------------------ attach approve/reject

struct DecideOptions {
  std::vector<std::int64_t> ids;
  std::string user;
  std::string structure;
  bool all = false;
  std::string from;
  std::string column;
  bool skip_invalid = false;
  std::string comment;
};

int RunDecide(App& app, DecideOptions& o, bool approve) {
  const char* verb = approve ? "approve" : "reject";
  if (!approve && o.comment.empty())
    return app.Fail(Status(ErrorKind::kInvalidArgument, "reject needs --comment TEXT (the requester reads it)"));
  if (o.ids.empty() && o.user.empty() && o.structure.empty() && o.from.empty() && !o.all)
    return app.Fail(Status(ErrorKind::kInvalidArgument,
                           std::string("say which requests to ") + verb +
                               ": request IDs, --user EMAIL, --structure SIRET, --from FILE or --all"));
  std::vector<SiretItem> structures;
  if (!o.structure.empty() || !o.from.empty()) {
    SiretInput input;
    if (!o.structure.empty()) input.args.push_back(o.structure);
    input.from = o.from;
    input.column = o.column;
    input.skip_invalid = o.skip_invalid;
    auto collected = CollectSirets(app, input);
    if (!collected.ok()) return app.Fail(collected.status());
    structures = std::move(*collected);
  }
  if (Status s = app.RequireSandbox(std::string("attach ") + verb, PortalStep::kAttachDecide); !s.ok())
    return app.Fail(s);
  auto portal = app.Connect(true);
  if (!portal.ok()) return app.Fail(portal.status());
  Client& client = *portal->client;

  // The requests to decide: the given IDs, or the pending ones that match.
  std::vector<AttachmentRequest> selected;
  for (auto id : o.ids) {
    AttachmentRequest r;
    r.id = id;
    selected.push_back(r);
  }
  if (o.ids.empty()) {
    auto add_pending = [&](PendingFilter filter) -> Status {
      auto pending = client.PendingForManager(filter);
      if (!pending.ok()) return pending.status();
      selected.insert(selected.end(), pending->begin(), pending->end());
      return OkStatus();
    };
    if (structures.empty()) {
      if (Status s = add_pending(PendingFilter{std::nullopt, o.user}); !s.ok()) return app.Fail(s);
    }
    for (const auto& item : structures) {
      auto found = client.FindStructure(item.siret);
      if (!found.ok()) return app.Fail(found.status());
      if (Status s = add_pending(PendingFilter{found->id, o.user}); !s.ok()) return app.Fail(s);
    }
    if (selected.empty()) {
      app.Info("no pending request matches");
      return kExitOk;
    }
  }
  if (Status s = app.RequireConfirmation(std::string(approve ? "Approve " : "Reject ") +
                                         std::to_string(selected.size()) + " request(s)?");
      !s.ok())
    return app.Fail(s);

  auto printer = app.Printer({{"request_id", "REQUEST"},
                              {"siret", "SIRET"},
                              {"designation", "STRUCTURE"},
                              {"user_email", "USER"},
                              {"result", "RESULT"},
                              {"error", "ERROR"}});
  Outcome outcome;
  for (const auto& r : selected) {
    json record{{"request_id", r.id},
                {"siret", NullIfEmpty(r.identifier)},
                {"designation", NullIfEmpty(r.designation)},
                {"user_email", NullIfEmpty(r.user_email)},
                {"comment", NullIfEmpty(o.comment)},
                {"error", nullptr}};
    auto decision = client.Decide(r.id, approve, o.comment);
    if (decision.ok()) {
      record["result"] = app.options.dry_run ? "dry_run" : (approve ? "approved" : "rejected");
      outcome.Done();
    } else {
      record["result"] = "failed";
      record["error"] = app.Redact(decision.status().ToString());
      outcome.Failed(decision.status());
      if (selected.size() == 1) {
        printer->Finish();
        return app.Fail(decision.status());
      }
    }
    printer->Print(record);
  }
  printer->Finish();
  app.Info(std::to_string(selected.size() - outcome.failed()) + (approve ? " approved, " : " rejected, ") +
           std::to_string(outcome.failed()) + " failed");
  return outcome.ExitCode();
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
  command.columns = {{"line", "LINE"},
                     {"siret", "SIRET"},
                     {"found", "FOUND"},
                     {"designation", "STRUCTURE"},
                     {"tic_space_open", "TIC SPACE"},
                     {"attachment", "ATTACHMENT"},
                     {"ready", "READY"}};
  command.tallies = {"ready", "not ready", "not found"};
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
  command.work = [mine, sandbox](Client& client, const SiretItem& item, ItemResult& out) {
    json& record = out.record;
    record.update(json{{"found", false}, {"structure_id", nullptr}, {"designation", nullptr},
                       {"tic_space_open", nullptr}, {"attachment", nullptr}, {"request_id", nullptr},
                       {"ready", false}});
    auto found = client.FindStructure(item.siret);
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
    auto it = mine->find(item.siret);
    // PISTE lists active attachments only: anything else is unknown there.
    std::string state = it != mine->end() ? it->second.state : (sandbox ? "none" : "unknown");
    record["attachment"] = state;
    if (it != mine->end() && it->second.request) record["request_id"] = it->second.request;
    bool ready = state == "active" && record["tic_space_open"] == true;
    record["ready"] = ready;
    record["result"] = ready ? "ready" : found.ok() ? "not_ready" : "not_found";
    out.tally = ready ? "ready" : found.ok() ? "not ready" : "not found";
    out.done = true;
  };
  return RunBulk(app, input, flags, command);
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
  cmd->add_option("--from", input.from, "Read SIRETs from FILE (- for stdin): one a line, or CSV");
  cmd->add_option("--column", input.column, "The SIRET column of a CSV, by header name or 1-based number");
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
    auto* d = attach->add_subcommand(approve ? "approve" : "reject",
                                     approve ? "Approve attachment requests to structures you manage"
                                             : "Reject attachment requests to structures you manage");
    d->add_option("ID", o->ids, "Request IDs (see chorus list pending)");
    d->add_option("--user", o->user, "Requests of this user (e-mail)");
    d->add_option("--structure", o->structure, "Requests to this structure (SIRET)");
    d->add_option("--from", o->from, "Requests to the structures whose SIRETs FILE lists (- for stdin)");
    d->add_option("--column", o->column, "The SIRET column of a CSV");
    d->add_flag("--skip-invalid", o->skip_invalid, "Go on with the valid SIRETs of --from when some are invalid");
    d->add_flag("--all", o->all, "Every pending request of the structures you manage");
    d->add_option("--comment", o->comment, approve ? "Comment for the requester" : "Reason, sent to the requester (required)");
    d->callback([&app, o, exit_code, approve] { *exit_code = RunDecide(app, *o, approve); });
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
