#include "bulk_run.h"

#include <CLI/CLI.hpp>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <iostream>
#include <mutex>
#include <thread>
#include <unordered_set>

#include "app.h"
#include "chorus/journal.h"
#include "chorus/rate_limiter.h"
#include "chorus/session.h"

namespace chorus::cli {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

// Ctrl-C once: send nothing new, let requests in flight finish. Twice: abort them.
std::atomic<int> g_interrupts{0};
extern "C" void OnInterrupt(int) { g_interrupts.fetch_add(1); }

class InterruptGuard {
 public:
  InterruptGuard() {
    g_interrupts = 0;
    struct sigaction sa {};
    sa.sa_handler = OnInterrupt;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
  }
  ~InterruptGuard() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }

 private:
  struct sigaction old_int_ {}, old_term_ {};
};

// A bounded queue between the reader and the workers keeps memory flat
// whatever the input size.
class ItemQueue {
 public:
  explicit ItemQueue(std::size_t capacity) : capacity_(capacity) {}
  bool Push(BulkItem item, const std::atomic<bool>& stop) {
    std::unique_lock lock(mu_);
    while (items_.size() >= capacity_) {
      if (stop) return false;
      not_full_.wait_for(lock, std::chrono::milliseconds(100));
    }
    items_.push_back(std::move(item));
    not_empty_.notify_one();
    return true;
  }
  std::optional<BulkItem> Pop() {
    std::unique_lock lock(mu_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty()) return std::nullopt;
    BulkItem item = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return item;
  }
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
  }
  std::size_t Drain() {  // drops what was not started
    std::lock_guard lock(mu_);
    std::size_t n = items_.size();
    items_.clear();
    not_full_.notify_all();
    return n;
  }

 private:
  std::size_t capacity_;
  std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<BulkItem> items_;
  bool closed_ = false;
};

// "[#########.........]  512/2000  25%  48.2/s  ETA 31s" on stderr, redrawn in place.
class ProgressBar {
 public:
  ProgressBar(bool enabled, std::size_t total, std::atomic<std::size_t>& finished)
      : enabled_(enabled), total_(total), finished_(finished), start_(Clock::now()) {
    if (enabled_) thread_ = std::thread([this] { Loop(); });
  }
  ~ProgressBar() { Stop(); }
  void Stop() {
    if (!enabled_ || stopped_.exchange(true)) return;
    thread_.join();
    std::cerr << "\r\x1b[K" << std::flush;
  }

 private:
  void Loop() {
    while (!stopped_) {
      Draw();
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  void Draw() {
    std::size_t done = finished_.load();
    double secs = std::chrono::duration<double>(Clock::now() - start_).count();
    double rate = secs > 0 ? done / secs : 0;
    int width = 24;
    int filled = total_ ? static_cast<int>(width * done / total_) : width;
    std::string bar(static_cast<std::size_t>(filled), '#');
    bar.resize(static_cast<std::size_t>(width), '.');
    char line[160];
    std::string eta = rate > 0 ? std::to_string(static_cast<long>((total_ - done) / rate)) + "s" : "?";
    std::snprintf(line, sizeof line, "\r[%s] %zu/%zu %3zu%% %.1f/s ETA %s\x1b[K", bar.c_str(), done, total_,
                  total_ ? done * 100 / total_ : 100, rate, eta.c_str());
    std::cerr << line << std::flush;
  }

  bool enabled_;
  std::size_t total_;
  std::atomic<std::size_t>& finished_;
  Clock::time_point start_;
  std::atomic<bool> stopped_{false};
  std::thread thread_;
};

std::string StateHome(const App& app) {
  if (auto v = app.env("XDG_STATE_HOME"); v && !v->empty()) return *v;
  return app.env("HOME").value_or("") + "/.local/state";
}

}  // namespace

bool StopsTheRun(const Status& s) {
  return s.kind() == ErrorKind::kUnauthenticated || s.kind() == ErrorKind::kResourceExhausted ||
         s.kind() == ErrorKind::kInvalidConfig || s.kind() == ErrorKind::kCancelled;
}

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

int RunBulk(App& app, BulkItems& items, const BulkFlags& flags, const BulkCommand& command) {
  // Pass 1: check everything before sending anything.
  auto count = items.Check(app);
  if (!count.ok()) return app.Fail(count.status());
  const std::size_t valid = count->valid, invalid = count->invalid;
  if (valid == 0) {
    app.Info("nothing to do: no valid " + command.noun);
    return invalid ? kExitPartial : kExitOk;
  }

  auto profile = app.ActiveProfile();
  if (!profile.ok()) return app.Fail(profile.status());
  if (command.portal_only && profile->environment != Environment::kSandbox) {
    Status not_here = app.RequireSandbox(command.name, *command.portal_only);
    std::cerr << "\nThe " << valid << " valid " << command.noun << "(s) to do by hand are on stdout.\n";
    items.ForEach([](BulkItem item) {
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

  auto session = app.OpenSession(true, /*bulk=*/true);
  if (!session.ok()) return app.Fail(session.status());

  // One call first: a wrong password must not be tried once per item (five
  // failures lock the account).
  std::atomic<bool> abort_calls{false};
  {
    auto connection = (*session)->NewConnection();
    Client client(*connection);
    if (Status s = client.HealthCheck(); !s.ok()) return app.Fail(s);
    if (command.prepare)
      if (Status s = command.prepare(client); !s.ok()) return app.Fail(s);
  }

  std::unique_ptr<Journal> journal;
  if (command.journaled && !app.options.dry_run) {
    std::uint64_t digest = Fnv1a(command.name + '\n' + command.options + '\n', count->digest);
    std::string path = flags.journal.empty()
                           ? JournalPath(StateHome(app), command.name,
                                         {profile->api_url, profile->login, std::to_string(digest)})
                           : flags.journal;
    auto opened_journal = Journal::Open(path);
    if (!opened_journal.ok()) return app.Fail(opened_journal.status());
    journal = std::move(*opened_journal);
    if (journal->size() > 0)
      app.Info("resuming: " + std::to_string(journal->size()) + " item(s) already done (journal " + path + ")");
  }

  InterruptGuard interrupts;
  std::mutex out_mu;  // the printer, the tallies, the outcome
  auto printer = app.Printer(command.columns);
  std::map<std::string, std::size_t> tallies;
  Outcome outcome;
  Status fatal;
  std::atomic<bool> stop{false};
  std::atomic<std::size_t> finished{0};
  RateLimiter limiter(flags.rate);
  ItemQueue queue(static_cast<std::size_t>(flags.concurrency) * 2);
  std::size_t sequence = 0;  // input order of the items handed out

  // Results are printed in input order: an item that finishes early waits in
  // `parked` (at most the queue plus what is in flight) for those before it.
  std::map<std::size_t, std::vector<json>> parked;
  std::size_t next_to_print = 0;
  auto emit = [&](std::size_t seq, std::vector<json> records, const Status& error) {
    std::lock_guard lock(out_mu);
    for (const auto& record : records)
      if (auto it = record.find("result"); it != record.end() && it->is_string()) tallies[it->get<std::string>()]++;
    if (error.ok()) outcome.Done();
    else outcome.Failed(error);
    parked.emplace(seq, std::move(records));
    for (auto it = parked.find(next_to_print); it != parked.end(); it = parked.find(next_to_print)) {
      for (const auto& record : it->second) printer->Print(record);
      parked.erase(it);
      ++next_to_print;
    }
    finished++;
  };

  std::vector<std::thread> workers;
  std::atomic<int> active_workers{flags.concurrency};
  for (int w = 0; w < flags.concurrency; ++w) {
    workers.emplace_back([&] {
      struct Exit {
        std::atomic<int>& n;
        ~Exit() { n--; }
      } exit_guard{active_workers};
      auto connection = (*session)->NewConnection();
      Client client(*connection);
      client.set_cancel(&abort_calls);
      client.set_rate_limiter(&limiter);
      if (app.options.dry_run)
        client.set_dry_run([&](const HttpRequest& request) {
          std::lock_guard lock(out_mu);
          std::cout << "# dry run: would send\n" << RedactedDump(request) << "\n";
        });
      while (auto item = queue.Pop()) {
        if (stop) continue;  // drain without sending
        ItemResult result(item->fields);
        command.work(client, *item, result);
        if (!result.error.ok()) {
          if (!result.record.contains("result")) {
            result.record["result"] = "failed";
            result.record["error"] = result.error.ToString();
          }
          if (StopsTheRun(result.error) && !stop.exchange(true)) {
            std::lock_guard lock(out_mu);
            fatal = result.error;
          }
        }
        std::vector<json> records;
        records.reserve(1 + result.more.size());
        records.push_back(std::move(result.record));
        for (auto& more : result.more) records.push_back(std::move(more));
        for (auto& record : records)
          if (auto it = record.find("error"); it != record.end() && it->is_string())
            *it = app.Redact(it->get<std::string>());
        if (journal && result.error.ok() && result.done) {
          if (Status s = journal->Append(item->key, json{{"key", item->key}, {"records", records}}.dump()); !s.ok()) {
            std::lock_guard lock(out_mu);
            if (fatal.ok()) fatal = s;
            stop = true;
          }
        }
        emit(item->seq, std::move(records), result.error);
      }
    });
  }

  std::size_t resumed = 0;
  {
    ProgressBar progress(app.stderr_is_tty() && !app.options.quiet, valid, finished);
    Status read = items.ForEach([&](BulkItem item) {
      if (g_interrupts > 0) stop = true;
      if (stop) return false;
      if (journal) {
        if (const std::string* done = journal->Find(item.key)) {
          json entry = json::parse(*done, nullptr, false);
          if (entry.is_object() && entry.contains("records") && entry["records"].is_array()) {
            std::vector<json> records;
            for (auto& record : entry["records"]) {
              if (!record.is_object()) continue;
              record.update(item.fields);  // where it is in this input
              record["from_journal"] = true;
              records.push_back(std::move(record));
            }
            ++resumed;
            emit(sequence++, std::move(records), OkStatus());
            return true;
          }
        }
      }
      item.seq = sequence++;
      while (!queue.Push(item, stop)) {
        if (g_interrupts > 0 || stop) return false;
      }
      return true;
    });
    queue.Close();
    // While the workers finish: Ctrl-C stops them taking items, twice aborts calls.
    while (active_workers > 0) {
      if (g_interrupts > 0) stop = true;
      if (g_interrupts > 1) abort_calls = true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    for (auto& t : workers) t.join();
    progress.Stop();
    if (!read.ok() && fatal.ok()) fatal = read;
  }
  printer->Finish();

  // "12 approved, 3 already approved, 1 failed, 2 invalid": the command's
  // results, then any other that occurred (dry_run), then failures.
  std::string summary;
  auto add = [&](const std::string& result) {
    std::string label = result;
    std::replace(label.begin(), label.end(), '_', ' ');
    summary += (summary.empty() ? "" : ", ") + std::to_string(tallies[result]) + " " + label;
  };
  for (const auto& result : command.tallies) add(result);
  for (const auto& [result, n] : tallies)
    if (n > 0 && result != "failed" &&
        std::find(command.tallies.begin(), command.tallies.end(), result) == command.tallies.end())
      add(result);
  summary += ", " + std::to_string(outcome.failed()) + " failed, " + std::to_string(invalid) + " invalid";
  std::size_t not_started = valid - finished;
  if (not_started) summary += ", " + std::to_string(not_started) + " not started";
  if (resumed) summary += " (" + std::to_string(resumed) + " from the journal)";
  app.Info(summary);

  if (g_interrupts > 0) {
    if (journal) app.Info("interrupted; rerun the same command to resume (journal " + journal->path() + ")");
    else app.Info("interrupted");
    return kExitInterrupted;
  }
  if (!fatal.ok()) {
    if (journal) app.Info("stopped; rerun the same command to resume (journal " + journal->path() + ")");
    return app.Fail(Status(fatal.kind(), "run stopped: " + fatal.message()));
  }
  if (journal) {
    std::string retry = "rerun the same command to retry the " + std::to_string(outcome.failed()) + " failed item(s)";
    if (outcome.failed() > 0 && journal->size() > 0) {
      app.Info(retry + "; the others are journaled (" + journal->path() + ")");
    } else {
      if (outcome.failed() > 0) app.Info(retry);
      if (Status s = journal->Remove(); !s.ok()) app.Warn(s.message());
    }
  }
  int code = outcome.ExitCode();
  return code == kExitOk && invalid > 0 ? kExitPartial : code;
}

}  // namespace chorus::cli
