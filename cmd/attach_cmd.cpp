// chorus attach request / approve / reject / list / status, and chorus list pending.
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <iostream>
#include <map>

#include "app.h"
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

// Tallies the items of a bulk run and picks its exit code: 0 when all went
// well; the error's own code when every item failed the same way (a lone
// refused approval exits 4, an unknown SIRET 5); 3 otherwise.
class Outcome {
 public:
  void Done() { ++done_; }
  void Failed(const Status& s) {
    ++failed_;
    kinds_[s.kind()]++;
  }
  std::size_t failed() const { return failed_; }
  int ExitCode() const {
    if (failed_ == 0) return kExitOk;
    if (done_ == 0 && kinds_.size() == 1) return ExitCodeFor(kinds_.begin()->first);
    return kExitPartial;
  }

 private:
  std::size_t done_ = 0, failed_ = 0;
  std::map<ErrorKind, std::size_t> kinds_;
};

// ------------------------------------------------------------ attach request

const std::vector<Column> kRequestColumns = {
    {"line", "LINE"},   {"siret", "SIRET"},       {"result", "RESULT"},
    {"request_id", "REQUEST"}, {"designation", "STRUCTURE"}, {"error", "ERROR"}};

int RunRequest(App& app, const SiretInput& input) {
  std::size_t invalid = 0;
  auto items = CollectSirets(app, input, &invalid);
  if (!items.ok()) return app.Fail(items.status());
  if (items->empty() && input.args.empty() && input.from.empty())
    return app.Fail(Status(ErrorKind::kInvalidArgument, "give SIRETs, or --from FILE (- for stdin)"));
  if (Status s = app.RequireSandbox("attach request", PortalStep::kAttachRequest); !s.ok()) {
    // The validated list of what remains to do by hand.
    std::cerr << "\nSIRETs to request, validated (" << items->size() << "):\n";
    for (const auto& item : *items) std::cout << item.siret << "\n";
    return app.Fail(s);
  }
  if (Status s = app.RequireConfirmation("Request attachment to " + std::to_string(items->size()) +
                                         " structure(s)?");
      !s.ok())
    return app.Fail(s);
  auto portal = app.Connect(true);
  if (!portal.ok()) return app.Fail(portal.status());
  auto printer = app.Printer(kRequestColumns);
  Outcome outcome;
  std::size_t requested = 0, pending = 0, attached = 0;
  for (const auto& item : *items) {
    json record{{"line", item.line}, {"siret", item.siret}, {"request_id", nullptr},
                {"structure_id", nullptr}, {"designation", nullptr}, {"error", nullptr}};
    auto result = portal->client->RequestAttachment(item.siret);
    if (result.ok()) {
      record["result"] = app.options.dry_run ? "dry_run" : "requested";
      if (!app.options.dry_run) {
        record["request_id"] = result->id;
        record["structure_id"] = result->structure_id;
        record["designation"] = result->designation;
      }
      ++requested;
      outcome.Done();
    } else if (IsAlreadyPending(result.status()) || IsAlreadyAttached(result.status())) {
      bool is_pending = IsAlreadyPending(result.status());
      record["result"] = is_pending ? "already_pending" : "already_attached";
      ++(is_pending ? pending : attached);
      outcome.Done();
    } else {
      record["result"] = "failed";
      record["error"] = result.status().ToString();
      outcome.Failed(result.status());
      if (items->size() == 1) {
        printer->Finish();
        return app.Fail(result.status());
      }
    }
    printer->Print(record);
  }
  printer->Finish();
  app.Info(std::to_string(requested) + " requested, " + std::to_string(pending) + " already pending, " +
           std::to_string(attached) + " already attached, " + std::to_string(outcome.failed()) +
           " failed, " + std::to_string(invalid) + " invalid");
  return outcome.ExitCode();
}

// ------------------------------------------------------ attach approve/reject

struct DecideOptions {
  std::vector<std::int64_t> ids;
  std::string user;
  std::string structure;
  bool all = false;
  std::string from;
  std::string column;
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
      record["error"] = decision.status().ToString();
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

int RunStatus(App& app, const SiretInput& input) {
  std::size_t invalid = 0;
  auto items = CollectSirets(app, input, &invalid);
  if (!items.ok()) return app.Fail(items.status());
  if (input.args.empty() && input.from.empty())
    return app.Fail(Status(ErrorKind::kInvalidArgument, "give SIRETs, or --from FILE (- for stdin)"));
  auto profile = app.ActiveProfile();
  if (!profile.ok()) return app.Fail(profile.status());
  bool sandbox = profile->environment == Environment::kSandbox;
  auto portal = app.Connect(true);
  if (!portal.ok()) return app.Fail(portal.status());
  Client& client = *portal->client;

  // My side, once: attachments (and, on the sandbox, requests) by SIRET.
  std::map<std::string, std::pair<std::string, std::int64_t>> mine;  // siret → (state, request)
  auto attachments = client.MyAttachments();
  if (!attachments.ok()) return app.Fail(attachments.status());
  for (const auto& a : *attachments)
    if (a.status == "ACTIF") mine[a.identifier] = {"active", 0};
  if (sandbox) {
    auto requests = client.MyRequests();
    if (!requests.ok()) return app.Fail(requests.status());
    for (const auto& r : *requests) {
      auto& slot = mine[r.identifier];
      if (slot.first == "active") continue;
      if (r.status == "EN_ATTENTE") slot = {"pending", r.id};
      else if (r.status == "REFUSE" && slot.first != "pending") slot = {"refused", r.id};
      else if (r.status == "ACTIF") slot = {"active", r.id};
    }
  }

  auto printer = app.Printer({{"line", "LINE"},
                              {"siret", "SIRET"},
                              {"found", "FOUND"},
                              {"designation", "STRUCTURE"},
                              {"tic_space_open", "TIC SPACE"},
                              {"attachment", "ATTACHMENT"},
                              {"ready", "READY"}});
  Outcome outcome;
  std::size_t ready = 0;
  for (const auto& item : *items) {
    json record{{"line", item.line}, {"siret", item.siret}, {"found", false},
                {"structure_id", nullptr}, {"designation", nullptr}, {"tic_space_open", nullptr},
                {"attachment", nullptr}, {"request_id", nullptr}, {"ready", false}, {"error", nullptr}};
    auto found = client.FindStructure(item.siret);
    if (!found.ok() && found.status().kind() != ErrorKind::kNotFound) {
      record["error"] = found.status().ToString();
      outcome.Failed(found.status());
      printer->Print(record);
      continue;
    }
    if (found.ok()) {
      record["found"] = true;
      record["structure_id"] = found->id;
      record["designation"] = found->designation;
      auto details = client.ConsultStructure(found->id);
      if (details.ok()) record["tic_space_open"] = OrNull(details->tic_space_open);
    }
    auto it = mine.find(item.siret);
    // PISTE lists active attachments only: anything else is unknown there.
    std::string state = it != mine.end() ? it->second.first : (sandbox ? "none" : "unknown");
    record["attachment"] = state;
    if (it != mine.end() && it->second.second) record["request_id"] = it->second.second;
    bool is_ready = state == "active" && record["tic_space_open"] == true;
    record["ready"] = is_ready;
    if (is_ready) ++ready;
    outcome.Done();
    printer->Print(record);
  }
  printer->Finish();
  app.Info(std::to_string(ready) + " of " + std::to_string(items->size()) + " ready to file TIC refund requests" +
           (invalid ? ", " + std::to_string(invalid) + " invalid skipped" : ""));
  return outcome.ExitCode();
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
  auto* req = attach->add_subcommand("request", "Ask to be attached to structures, by SIRET");
  AddSiretInput(req, *request, true);
  req->callback([&app, request, exit_code] { *exit_code = RunRequest(app, *request); });

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
    d->add_flag("--all", o->all, "Every pending request of the structures you manage");
    d->add_option("--comment", o->comment, approve ? "Comment for the requester" : "Reason, sent to the requester (required)");
    d->callback([&app, o, exit_code, approve] { *exit_code = RunDecide(app, *o, approve); });
  }

  attach->add_subcommand("list", "Your attachments and requests, with their statuses")->callback([&app, exit_code] {
    *exit_code = RunList(app);
  });

  auto status = std::make_shared<SiretInput>();
  auto* st = attach->add_subcommand(
      "status", "Readiness per client SIRET: found, TIC space open, your attachment, ready to file");
  AddSiretInput(st, *status, true);
  st->callback([&app, status, exit_code] { *exit_code = RunStatus(app, *status); });

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
