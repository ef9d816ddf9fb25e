#include "bulk_run.h"

#include <CLI/CLI.hpp>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <mutex>

#include "app.h"
#include "chorus/bulk.h"
#include "chorus/journal.h"
#include "chorus/session.h"

namespace chorus::cli {
namespace {

using nlohmann::json;
using SteadyClock = std::chrono::steady_clock;

// "[#########.........]  512/2000  25%  48.2/s  ETA 31s  3 retrying  2 failed"
std::string ProgressText(const bulk::Progress& p, double seconds) {
  const std::size_t finished = p.done + p.from_journal + p.failed + p.interrupted;
  const double rate = seconds > 0 ? (p.done + p.failed) / seconds : 0;
  constexpr int kWidth = 24;
  const int filled = p.total ? static_cast<int>(kWidth * finished / p.total) : kWidth;
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '.');
  const std::string eta =
      rate > 0 ? std::to_string(static_cast<long>((p.total - std::min(finished, p.total)) / rate)) + "s" : "?";
  char line[200];
  std::snprintf(line, sizeof line, "[%s] %zu/%zu %3zu%% %.1f/s ETA %s", bar.c_str(), finished, p.total,
                p.total ? finished * 100 / p.total : 100, rate, eta.c_str());
  std::string text = line;
  if (p.retrying) text += "  " + std::to_string(p.retrying) + " retrying";
  if (p.failed) text += "  " + std::to_string(p.failed) + " failed";
  return text;
}

// "12 approved, 3 already approved, 1 failed, 2 invalid": the command's
// results, then any other that occurred (dry_run), then failures.
std::string SummaryText(const BulkCommand& command, std::map<std::string, std::size_t>& tallies,
                        const bulk::Summary& summary, std::size_t invalid) {
  std::string text;
  auto add = [&](const std::string& result) {
    std::string label = result;
    std::replace(label.begin(), label.end(), '_', ' ');
    text += (text.empty() ? "" : ", ") + std::to_string(tallies[result]) + " " + label;
  };
  for (const auto& result : command.tallies) add(result);
  for (const auto& [result, n] : tallies)
    if (n > 0 && result != "failed" && result != "interrupted" &&
        std::find(command.tallies.begin(), command.tallies.end(), result) == command.tallies.end())
      add(result);
  text += ", " + std::to_string(summary.counts.failed) + " failed, " + std::to_string(invalid) + " invalid";
  if (summary.counts.interrupted)
    text += ", " + std::to_string(summary.counts.interrupted) + " interrupted (may have reached the portal)";
  if (summary.not_started) text += ", " + std::to_string(summary.not_started) + " not started";
  if (summary.counts.from_journal) text += " (" + std::to_string(summary.counts.from_journal) + " from the journal)";
  return text;
}

// The records an item's result carries, ready to print: the item's fields
// first, a "result" always, and the error when it failed.
std::vector<json> RecordsOf(const App& app, const bulk::Item& item, const bulk::ItemResult& result) {
  const json fields = ItemFields(item);
  std::vector<json> records;
  for (const auto& text : result.records) {
    json record = json::parse(text, nullptr, false);
    if (!record.is_object()) continue;
    if (result.from_journal) {
      record.update(fields);  // where it is in this input
      record["from_journal"] = true;
    }
    records.push_back(std::move(record));
  }
  if (records.empty()) {
    records.push_back(fields);
    records.back()["error"] = nullptr;
  }
  json& first = records.front();
  if (!result.error.ok() && (!first.contains("result") || first["result"].is_null())) {
    const bool interrupted = result.error.kind() == ErrorKind::kCancelled;
    first["result"] = interrupted ? "interrupted" : "failed";
    first["error"] = interrupted ? "interrupted: the call was cut and may have reached the portal; rerun to settle it"
                                 : result.error.ToString();
  }
  for (auto& record : records)
    if (auto it = record.find("error"); it != record.end() && it->is_string()) *it = app.Redact(it->get<std::string>());
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

int Outcome::ExitCode() const {
  if (failed_ == 0) return kExitOk;
  if (done_ == 0 && kinds_.size() == 1) return ExitCodeFor(kinds_.begin()->first);
  return kExitPartial;
}

void AddBulkFlags(CLI::App* command, BulkFlags& flags, bool journaled) {
  command->add_option("--concurrency", flags.concurrency, "Requests in flight at once (default 8)")
      ->check(CLI::Range(1, 64));
  command->add_option("--rate", flags.rate, "At most this many requests per second (default: no limit)")
      ->check(CLI::NonNegativeNumber);
  if (journaled)
    command->add_option("--journal", flags.journal,
                        "Journal of finished items, for resuming (default: under $XDG_STATE_HOME/chorus)");
}

namespace {

// What a run does before its first item: the portal-only hand-over on PISTE,
// the dry run of a read, the confirmation of a mutation. An exit code when
// the command ends there.
std::optional<int> BeforeTheRun(App& app, bulk::ItemSpool& items, const BulkCommand& command,
                                const Profile& profile) {
  const std::size_t valid = items.size();
  if (command.portal_only && profile.environment != Environment::kSandbox) {
    Status not_here = app.RequireSandbox(command.name, *command.portal_only);
    std::cerr << "\nThe " << valid << " valid " << command.noun << "(s) to do by hand are on stdout.\n";
    (void)items.ForEach([](bulk::Item item) {
      std::cout << item.key << "\n";
      return true;
    });
    return app.Fail(not_here);
  }
  if (!command.mutation && app.options.dry_run) {
    app.Info("dry run: " + std::to_string(valid) + " valid " + command.noun +
             "(s) would be checked; nothing was sent");
    return kExitOk;
  }
  if (command.mutation) {
    std::string question = command.confirm;
    if (auto pos = question.find("{}"); pos != std::string::npos) question.replace(pos, 2, std::to_string(valid));
    if (Status s = app.RequireConfirmation(question); !s.ok()) return app.Fail(s);
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

// Prints what the engine hands back: results in order (and dry-run dumps,
// which share stdout), the progress line, the resume note; counts outcomes.
class RunReport {
 public:
  RunReport(App& app, const BulkCommand& command) : app_(app), printer_(app.Printer(command.columns)) {}

  bulk::Callbacks Callbacks() {
    bulk::Callbacks callbacks;
    callbacks.on_result = [this](const bulk::Item& item, const bulk::ItemResult& result) { Print(item, result); };
    if (app_.stderr_is_tty() && !app_.options.quiet)
      callbacks.on_progress = [this, started = SteadyClock::now()](const bulk::Progress& p) {
        const double seconds = std::chrono::duration<double>(SteadyClock::now() - started).count();
        std::cerr << "\r" << ProgressText(p, seconds) << "\x1b[K" << std::flush;
        progress_shown_ = true;
      };
    callbacks.on_resume = [this](std::size_t done, const std::string& journal) {
      app_.Info("resuming: " + std::to_string(done) + " item(s) already done (journal " + journal + ")");
    };
    return callbacks;
  }
  void DryRunDump(const HttpRequest& request) {
    std::lock_guard lock(mu_);
    std::cout << "# dry run: would send\n" << RedactedDump(request) << "\n";
  }
  void Finish() {
    if (progress_shown_) std::cerr << "\r\x1b[K" << std::flush;
    printer_->Finish();
  }
  std::map<std::string, std::size_t>& tallies() { return tallies_; }
  const Outcome& outcome() const { return outcome_; }

 private:
  void Print(const bulk::Item& item, const bulk::ItemResult& result) {
    std::lock_guard lock(mu_);
    for (const auto& record : RecordsOf(app_, item, result)) {
      if (auto it = record.find("result"); it != record.end() && it->is_string()) tallies_[it->get<std::string>()]++;
      printer_->Print(record);
    }
    if (result.error.ok()) outcome_.Done();
    else if (result.error.kind() != ErrorKind::kCancelled) outcome_.Failed(result.error);
  }

  App& app_;
  std::unique_ptr<RecordPrinter> printer_;
  std::mutex mu_;  // stdout: results and dry-run dumps
  std::map<std::string, std::size_t> tallies_;
  Outcome outcome_;
  std::atomic<bool> progress_shown_{false};
};

// The summary on stderr, what to do next, and the exit code.
int Conclude(App& app, const BulkCommand& command, RunReport& report, const bulk::Summary& summary,
             std::size_t invalid) {
  if (summary.counts.from_journal && summary.counts.from_journal == summary.counts.total)
    app.Info("every item was already done (journal)");
  app.Info(SummaryText(command, report.tallies(), summary, invalid));
  const std::string journal_note = summary.journal_path.empty() ? "" : " (journal " + summary.journal_path + ")";
  if (summary.cancelled) {
    app.Info("interrupted; rerun the same command to resume" + journal_note);
    return kExitInterrupted;
  }
  if (!summary.stopped.ok()) {
    if (!summary.journal_path.empty())
      app.Info("stopped; once the cause is fixed, rerun the same command to resume" + journal_note);
    return app.Fail(summary.stopped.WithMessage("run stopped: " + summary.stopped.message()));
  }
  const Outcome& outcome = report.outcome();
  if (outcome.failed() > 0 && !summary.journal_path.empty())
    app.Info("rerun the same command to retry the " + std::to_string(outcome.failed()) +
             " failed item(s); the others are journaled" + journal_note);
  int code = outcome.ExitCode();
  return code == kExitOk && invalid > 0 ? kExitPartial : code;
}

}  // namespace

int RunBulk(App& app, BulkInput& input, const BulkFlags& flags, const BulkCommand& command, Session* session) {
  bulk::ItemSpool& items = *input.items;
  if (items.size() == 0) {
    app.Info("nothing to do: no valid " + command.noun);
    return input.invalid ? kExitPartial : kExitOk;
  }
  auto profile = app.ActiveProfile();
  if (!profile.ok()) return app.Fail(profile.status());
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
    options.configure_client = [&report](Client& client) {
      client.set_dry_run([&report](const HttpRequest& request) { report.DryRunDump(request); });
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
