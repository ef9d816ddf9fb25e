#include "bulk_run.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>

#include <fmt/format.h>

#include "app.h"
#include "chorus/bulk.h"
#include "chorus/journal.h"
#include "chorus/session.h"
#include "progress.h"
#include "terminal_text.h"
#include "tr.h"

namespace chorus::cli {
namespace {

using nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

// "12 approved": n items of one result, in the user's language. In English
// the label is the result with spaces (the same words in both forms).
std::string ResultCount(const std::string& result, std::size_t n) {
  // TRANSLATORS: the counts of a bulk run's summary, joined by ", ":
  // "12 approved, 3 already approved, 1 failed, 2 invalid".
  if (result == "requested") return TrFormatN("{} requested", "{} requested", n, n);
  if (result == "already_pending") return TrFormatN("{} already pending", "{} already pending", n, n);
  if (result == "already_attached") return TrFormatN("{} already attached", "{} already attached", n, n);
  if (result == "approved") return TrFormatN("{} approved", "{} approved", n, n);
  if (result == "already_approved") return TrFormatN("{} already approved", "{} already approved", n, n);
  if (result == "rejected") return TrFormatN("{} rejected", "{} rejected", n, n);
  if (result == "already_rejected") return TrFormatN("{} already rejected", "{} already rejected", n, n);
  if (result == "none_pending") return TrFormatN("{} none pending", "{} none pending", n, n);
  if (result == "ready") return TrFormatN("{} ready", "{} ready", n, n);
  if (result == "not_ready") return TrFormatN("{} not ready", "{} not ready", n, n);
  if (result == "not_found") return TrFormatN("{} not found", "{} not found", n, n);
  if (result == "dry_run") return TrFormatN("{} dry run", "{} dry run", n, n);
  std::string label = result;
  std::replace(label.begin(), label.end(), '_', ' ');
  return std::to_string(n) + " " + label;
}

// "12 approved, 3 already approved, 1 failed, 2 invalid": the command's
// results, then any other that occurred (dry_run), then failures.
std::string SummaryText(const BulkCommand& command, std::map<std::string, std::size_t>& tallies,
                        const bulk::Summary& summary, std::size_t invalid) {
  std::string text;
  auto add = [&](const std::string& piece) { text += (text.empty() ? "" : ", ") + piece; };
  for (const auto& result : command.tallies) add(ResultCount(result, tallies[result]));
  for (const auto& [result, n] : tallies)
    if (n > 0 && result != "failed" && result != "interrupted" &&
        std::find(command.tallies.begin(), command.tallies.end(), result) == command.tallies.end())
      add(ResultCount(result, n));
  add(TrFormatN("{} failed", "{} failed", summary.counts.failed, summary.counts.failed));
  add(TrFormatN("{} invalid", "{} invalid", invalid, invalid));
  if (const std::size_t n = summary.counts.interrupted)
    add(TrFormatN("{} interrupted (may have reached the portal)", "{} interrupted (may have reached the portal)", n,
                  n));
  if (const std::size_t n = summary.not_started) add(TrFormatN("{} not started", "{} not started", n, n));
  if (const std::size_t n = summary.counts.from_journal)
    text += TrFormatN(" ({} from the journal)", " ({} from the journal)", n, n);
  return text;
}

// A status whose texts (English and the user's language) are redacted.
Status Redacted(const App& app, const Status& s) {
  return s.WithMessage(Message{app.Redact(s.message()), app.Redact(s.localized_message())});
}

// The records an item's result carries, ready to print: the item's fields
// first, a "result" always, and the error when it failed.
std::vector<json> RecordsOf(const App& app, const bulk::Item& item, const bulk::ItemResult& result) {
  const json fields = ItemFields(item);
  std::vector<json> records;
  for (const auto& text : result.records) {
    json record = json::parse(text, nullptr, false);
    if (!record.is_object()) continue;
    if (result.from_journal) record.update(fields);  // where it is in this input
    record["from_journal"] = result.from_journal;
    records.push_back(std::move(record));
  }
  if (records.empty()) {
    records.push_back(fields);
    records.back()["error"] = nullptr;
    records.back()["from_journal"] = false;
  }
  json& first = records.front();
  if (!result.error.ok() && (!first.contains("result") || first["result"].is_null())) {
    const bool interrupted = result.error.kind() == ErrorKind::kCancelled;
    first["result"] = interrupted ? "interrupted" : "failed";
    const Status error =
        interrupted ? result.error.WithMessage(
                          Msg("interrupted: the call was cut and may have reached the portal; rerun to settle it"))
                    : result.error;
    first["error"] = app.ErrorJson(error);
    first[HumanKey("error")] = app.Redact(error.localized_message());  // what a table shows
  }
  // Errors are the JSON error object everywhere, their texts redacted.
  for (auto& record : records) {
    auto it = record.find("error");
    if (it == record.end() || it->is_null()) continue;
    if (it->is_object())
      for (const char* key : {"message", "libelle"})
        if (auto text = it->find(key); text != it->end() && text->is_string()) *text = app.Redact(text->get<std::string>());
  }
  return records;
}

// Runs the command's work on one item and turns its records into the
// engine's result (JSON text); RecordsOf says how a failure ended.
void WorkOn(const BulkCommand& command, Client& client, const bulk::Item& item, bulk::ItemResult& out) {
  ItemRecords records(ItemFields(item));
  command.work(client, item.key, records);
  auto dump = [](const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); };
  out.records.push_back(dump(records.record));
  for (const auto& more : records.more) out.records.push_back(dump(more));
  out.done = records.done && records.error.ok();
  out.error = records.error;
}

}  // namespace

bool RerunCanFix(const Status& status) {
  switch (status.kind()) {
    case ErrorKind::kUnavailable:        // network, 5xx
    case ErrorKind::kDeadlineExceeded:   // no answer in time
    case ErrorKind::kResourceExhausted:  // 429
    case ErrorKind::kCancelled:          // interrupted
      return true;
    default: return false;
  }
}

// Listed on stderr at the end of a run; the records say the rest.
constexpr std::size_t kNeedActionListed = 10;

void Outcome::Failed(const Status& s, const std::string& where) {
  ++failed_;
  ++kinds_[s.kind()];
  if (RerunCanFix(s)) ++rerun_can_fix_;
  else if (need_action_list_.size() < kNeedActionListed)
    need_action_list_.push_back(TrFormat("{}: {}", where, s.localized_message()));
}

int Outcome::ExitCode() const {
  if (failed_ == 0) return kExitOk;
  if (done_ == 0 && kinds_.size() == 1) return ExitCodeFor(kinds_.begin()->first);
  return kExitPartial;
}

void AddBulkFlags(CLI::App* command, BulkFlags& flags, bool journaled) {
  command->add_option("--concurrency", flags.concurrency, Tr("Requests in flight at once (default 8)"))
      ->type_name("N")
      ->check(CLI::Range(1, 64));
  command->add_option("--rate", flags.rate, Tr("At most this many requests per second (default: no limit)"))
      ->type_name("PER_SECOND")
      ->check(CLI::NonNegativeNumber);
  if (journaled)
    command->add_option("--journal", flags.journal,
                        Tr("Journal of finished items, for resuming (default: under $XDG_STATE_HOME/chorus)"))
        ->type_name("FILE");
}

namespace {

// What a run does before its first item: the portal-only hand-over on PISTE,
// the confirmation of a mutation. An exit code when the command ends there.
// (A read's --dry-run changes nothing: the read runs as usual.)
std::optional<int> BeforeTheRun(App& app, bulk::ItemSpool& items, const BulkCommand& command,
                                const Profile& profile) {
  const std::size_t valid = items.size();
  if (command.portal_only && profile.environment != Environment::kSandbox) {
    Status not_here = app.RequireSandbox(command.name, *command.portal_only);
    std::cerr << "\n"
              << (command.noun == "request"
                      ? TrFormatN("The {} valid request to do by hand is on stdout.",
                                  "The {} valid requests to do by hand are on stdout.", valid, valid)
                      : TrFormatN("The {} valid SIRET to do by hand is on stdout.",
                                  "The {} valid SIRETs to do by hand are on stdout.", valid, valid))
              << "\n";
    (void)items.ForEach([](bulk::Item item) {
      std::cout << item.key << "\n";
      return true;
    });
    return app.Fail(not_here);
  }
  if (command.mutation) {
    const Message question = command.confirm ? command.confirm(valid) : Message{};
    if (Status s = app.RequireConfirmation(App::Change(question)); !s.ok()) return app.Fail(s);
  }
  return std::nullopt;
}

// The engine's options from the flags: concurrency, rate, Ctrl-C, the
// journal named after the command, its options, the profile and the items.
bulk::Options EngineOptions(App& app, const BulkFlags& flags, const BulkCommand& command, const Profile& profile,
                            const bulk::ItemSpool& items) {
  bulk::Options options;
  options.concurrency = flags.concurrency;
  options.rate = flags.rate;
  options.cancel = app.cancel_token();
  if (command.journaled && !app.options.dry_run) {
    std::uint64_t digest = Fnv1a(command.name + '\n' + command.options + '\n', items.digest());
    options.journal_path = flags.journal.empty()
                               ? JournalPath(app.StateHome(), command.name,
                                             {profile.api_url, profile.login, std::to_string(digest)})
                               : flags.journal;
  }
  return options;
}

// Prints what the engine hands back: results in order, the progress line,
// the resume note; counts outcomes.
class RunReport {
 public:
  RunReport(App& app, const BulkCommand& command)
      : app_(app), command_(command), printer_(app.Printer(command.columns)) {}

  bulk::Callbacks Callbacks() {
    bulk::Callbacks callbacks;
    callbacks.on_result = [this](const bulk::Item& item, const bulk::ItemResult& result) { Print(item, result); };
    const std::string& mode = app_.options.progress;
    if (mode == "ndjson") {
      callbacks.on_progress = [this](const bulk::Progress& p) {
        last_ = View(p);
        std::cerr << ProgressEvent(last_, false) << '\n' << std::flush;
      };
    } else if (mode == "bar" || (mode == "auto" && app_.stderr_is_tty() && !app_.options.quiet)) {
      // "\r" then at most width - 1 columns: the line never wraps, so it is
      // redrawn in place at any width (the width is read at each redraw).
      callbacks.on_progress = [this](const bulk::Progress& p) {
        std::cerr << "\r" << TerminalSafe(ProgressLine(View(p), app_.stderr_width())) << "\x1b[K" << std::flush;
        progress_shown_ = true;
      };
    }
    callbacks.on_resume = [this](std::size_t done, const std::string& journal) {
      app_.Info(TrFormatN("resuming: {} item already done (journal {})",
                          "resuming: {} items already done (journal {})", done, done, journal));
    };
    return callbacks;
  }
  void Finish() {
    if (progress_shown_) std::cerr << "\r\x1b[K" << std::flush;
    if (app_.options.progress == "ndjson") std::cerr << ProgressEvent(last_, true) << '\n' << std::flush;
    printer_->Finish();
  }
  std::map<std::string, std::size_t>& tallies() { return tallies_; }
  const std::map<std::string, std::size_t>& tallies() const { return tallies_; }
  const Outcome& outcome() const { return outcome_; }

 private:
  void Print(const bulk::Item& item, const bulk::ItemResult& result) {
    std::lock_guard lock(mu_);
    const auto records = RecordsOf(app_, item, result);
    for (const auto& record : records) {
      if (auto it = record.find("result"); it != record.end() && it->is_string()) {
        const std::string& result = it->get_ref<const std::string&>();
        tallies_[result]++;
        if (result.rfind("already_", 0) == 0) ++already_;
      }
      if (!command_.keep || command_.keep(record)) printer_->Print(record);
    }
    if (result.error.ok()) outcome_.Done();
    else if (result.error.kind() != ErrorKind::kCancelled) outcome_.Failed(Redacted(app_, result.error), Where(records.front()));
  }

  // "SIRET 73282932000074 (line 3)", "request 42", for people.
  static std::string Where(const json& record) {
    std::string siret, request, line;
    if (auto s = record.find("siret"); s != record.end() && s->is_string()) siret = s->get<std::string>();
    else if (auto r = record.find("request_id"); r != record.end() && !r->is_null()) request = r->dump();
    if (auto l = record.find("line"); l != record.end() && !l->is_null())
      line = l->is_string() ? l->get<std::string>() : l->dump();
    if (!siret.empty()) return line.empty() ? TrFormat("SIRET {}", siret) : TrFormat("SIRET {} (line {})", siret, line);
    if (!request.empty())
      return line.empty() ? TrFormat("request {}", request) : TrFormat("request {} (line {})", request, line);
    return line.empty() ? std::string(Tr("an item")) : TrFormat("line {}", line);
  }

  ProgressView View(const bulk::Progress& p) const {
    return {p, already_ + p.from_journal, std::chrono::duration<double>(SteadyClock::now() - started_).count()};
  }

  App& app_;
  const BulkCommand& command_;
  const SteadyClock::time_point started_ = SteadyClock::now();
  std::atomic<std::size_t> already_{0};  // results already_*: nothing needed sending
  ProgressView last_;                    // --progress ndjson: for the end event
  std::unique_ptr<RecordPrinter> printer_;
  std::mutex mu_;  // stdout
  std::map<std::string, std::size_t> tallies_;
  Outcome outcome_;
  std::atomic<bool> progress_shown_{false};
};

// The last record of an NDJSON stream, told apart from the items by its
// one field, "summary": the counts, the exit code and why the run failed.
// Its counts first (the command's results), then the fields of docs/output.md.
nlohmann::ordered_json SummaryRecord(const App& app, const BulkCommand& command, const RunReport& report,
                                     const bulk::Summary& summary, std::size_t invalid, int exit_code,
                                     const Status& failure) {
  nlohmann::ordered_json counts = nlohmann::ordered_json::object();
  for (const auto& result : command.tallies) counts[result] = 0;
  for (const auto& [result, n] : report.tallies())
    if (result != "failed" && result != "interrupted") counts[result] = n;  // those two come below
  counts["total"] = summary.counts.total;
  counts["failed"] = summary.counts.failed;
  counts["invalid"] = invalid;
  counts["interrupted"] = summary.counts.interrupted;
  counts["not_started"] = summary.not_started;
  counts["from_journal"] = summary.counts.from_journal;
  counts["rerun_can_fix"] = report.outcome().rerun_can_fix() + summary.counts.interrupted;
  counts["need_action"] = report.outcome().need_action();
  counts["exit_code"] = exit_code;
  counts["error"] = nlohmann::ordered_json::parse(failure.ok() ? "null" : JsonText(app.ErrorJson(failure)));
  counts["journal"] = summary.journal_path.empty() ? json(nullptr) : json(summary.journal_path);
  return nlohmann::ordered_json{{"summary", counts}};
}

// What to do about the failures: rerun for those a rerun can fix, act first
// for the others (listed, a few).
void NextSteps(const App& app, const Outcome& outcome, const bulk::Summary& summary) {
  const std::string journal_note = summary.journal_path.empty() ? "" : " (journal " + summary.journal_path + ")";
  if (const std::size_t n = outcome.rerun_can_fix(); n > 0)
    app.Info(TrFormatN("Rerun the same command to retry the {} item that failed for a reason a rerun can fix "
                       "(network, portal error, quota); the items done are not sent again{}.",
                       "Rerun the same command to retry the {} items that failed for a reason a rerun can fix "
                       "(network, portal error, quota); the items done are not sent again{}.",
                       n, n, journal_note));
  if (const std::size_t n = outcome.need_action(); n > 0) {
    std::string list;
    for (const auto& line : outcome.need_action_list()) list += "\n  " + line;
    if (const std::size_t more = n - std::min(n, outcome.need_action_list().size()); more > 0)
      list += "\n  " + TrFormatN("... and {} more (see their records).", "... and {} more (see their records).",
                                 more, more);
    app.Info(TrFormatN("{} item failed for a reason a rerun cannot fix; it needs action first:{}",
                       "{} items failed for a reason a rerun cannot fix; they need action first:{}", n, n, list));
  }
}

// The summary on stderr (and last on an NDJSON stream), what to do next,
// and the exit code.
int Conclude(App& app, const BulkCommand& command, RunReport& report, const bulk::Summary& summary,
             std::size_t invalid) {
  if (summary.counts.from_journal && summary.counts.from_journal == summary.counts.total)
    app.Info(Tr("every item was already done (journal)"));
  app.Info(SummaryText(command, report.tallies(), summary, invalid));
  const std::string journal_note = summary.journal_path.empty() ? "" : " (journal " + summary.journal_path + ")";
  Status failure;
  if (summary.cancelled) {
    failure = Status(ErrorKind::kCancelled, Msg("interrupted; rerun the same command to resume{}", journal_note));
  } else if (!summary.stopped.ok()) {
    // The cause in English for the machine formats, in the user's language for people.
    const Status& stopped = summary.stopped;
    Message message;
    if (summary.journal_path.empty()) {
      message.english = Msg("run stopped: {}", stopped.message()).english;
      message.localized = TrFormat("run stopped: {}", stopped.localized_message());
    } else {
      const char* text = "run stopped: {}; once the cause is fixed, rerun the same command to resume{}";
      message.english = Msg(text, stopped.message(), journal_note).english;
      message.localized = TrFormat("run stopped: {}; once the cause is fixed, rerun the same command to resume{}",
                                   stopped.localized_message(), journal_note);
    }
    failure = stopped.WithMessage(std::move(message));
  }
  int code = failure.ok() ? report.outcome().ExitCode() : ExitCodeFor(failure.kind());
  if (code == kExitOk && invalid > 0) code = kExitPartial;
  const bool ndjson = app.format() == OutputFormat::kNdjson;
  if (ndjson)
    std::cout << SummaryRecord(app, command, report, summary, invalid, code, failure)
                     .dump(-1, ' ', false, json::error_handler_t::replace)
              << '\n'
              << std::flush;
  if (!failure.ok()) return app.Fail(failure, /*json_on_stdout=*/!ndjson);
  NextSteps(app, report.outcome(), summary);
  return code;
}

}  // namespace

int RunBulk(App& app, BulkInput& input, const BulkFlags& flags, const BulkCommand& command, Session* session) {
  bulk::ItemSpool& items = *input.items;
  if (items.size() == 0) {
    app.Info(command.noun == "request" ? Tr("nothing to do: no valid request") : Tr("nothing to do: no valid SIRET"));
    return input.invalid ? kExitPartial : kExitOk;
  }
  auto profile = app.ActiveProfile();
  if (!profile.ok()) return app.Fail(profile.status());
  if (input.from_stdin) app.StdinCarriesData();
  if (auto ended = BeforeTheRun(app, items, command, *profile)) return *ended;

  std::unique_ptr<Session> own_session;
  if (!session) {
    auto opened = app.OpenSession(true, /*bulk=*/true);
    if (!opened.ok()) return app.Fail(opened.status());
    own_session = std::move(*opened);
    session = own_session.get();
  }
  if (command.prepare) {
    auto connection = session->NewConnection();
    Client client(*connection);
    client.set_cancel(app.cancel_token());
    if (Status s = command.prepare(client); !s.ok()) return app.Fail(s);
  }

  RunReport report(app, command);
  bulk::Options options = EngineOptions(app, flags, command, *profile, items);
  if (app.options.dry_run)
    options.configure_client = [&app](Client& client) {
      client.set_dry_run([&app](const HttpRequest& request) { app.DryRunDump(request); });
    };
  bulk::Work work = [&command](Client& client, const bulk::Item& item, bulk::ItemResult& out) {
    WorkOn(command, client, item, out);
  };
  auto ran = bulk::Run(*session, items, work, options, report.Callbacks());
  report.Finish();
  if (!ran.ok()) return app.Fail(ran.status());
  return Conclude(app, command, report, *ran, input.invalid);
}

}  // namespace chorus::cli
