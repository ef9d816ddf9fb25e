// The bulk engine's orchestration (see chorus/bulk.h): the reader feeds a
// bounded queue, `concurrency` workers each run items with their own Client,
// and results go back in input order through the reorder buffer.
#include <nlohmann/json.hpp>

#include <atomic>
#include <condition_variable>
#include <exception>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "chorus/bulk.h"
#include "chorus/client.h"
#include "chorus/i18n.h"
#include "chorus/journal.h"
#include "chorus/login_budget.h"
#include "chorus/rate_limiter.h"
#include "chorus/session.h"
#include "reorder_buffer.h"
#include "work_queue.h"

namespace chorus::bulk {
namespace {

std::string CurrentExceptionText() {
  try {
    throw;
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "unknown exception";
  }
}

// The journal line of a finished item: {"key": ..., "records": [...]}.
std::string JournalLine(const Item& item, const ItemResult& result) {
  std::string line = "{\"key\":" + nlohmann::json(item.key).dump() + ",\"records\":[";
  for (std::size_t i = 0; i < result.records.size(); ++i) line += (i ? "," : "") + result.records[i];
  return line + "]}";
}

// The records an earlier run journaled for this item, or nullopt when the
// line is not what JournalLine wrote.
std::optional<ItemResult> FromJournal(const std::string& line) {
  auto entry = nlohmann::json::parse(line, nullptr, false);
  if (!entry.is_object()) return std::nullopt;
  auto records = entry.find("records");
  if (records == entry.end() || !records->is_array()) return std::nullopt;
  ItemResult result;
  for (const auto& record : *records)
    if (record.is_object()) result.records.push_back(record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  result.done = true;
  result.from_journal = true;
  return result;
}

class BulkRun {
 public:
  BulkRun(const Session& session, ItemSource& items, const Work& work, const Options& options,
          const Callbacks& callbacks)
      : session_(session),
        items_(items),
        work_(work),
        options_(options),
        callbacks_(callbacks),
        concurrency_(options.concurrency < 1 ? 1 : static_cast<std::size_t>(options.concurrency)),
        queue_(concurrency_),
        reorder_(options.reorder_window ? options.reorder_window : 4 * concurrency_,
                 [this](const Item& item, const ItemResult& result) { Deliver(item, result); }),
        limiter_(options.rate, session.clock()),
        breaker_(options.breaker, session.clock(), [this](const Status& reason) { Stop(reason); }),
        user_stop_(options.cancel.stop(), StopOnRequest{this}),
        user_abort_(options.cancel.abort(), AbortOnRequest{this}) {}

  StatusOr<Summary> Run();

 private:
  struct StopOnRequest {
    BulkRun* run;
    void operator()() const noexcept { run->run_cancel_.RequestStop(); }
  };
  struct AbortOnRequest {
    BulkRun* run;
    void operator()() const noexcept { run->run_cancel_.RequestAbort(); }
  };

  Status Feed();
  void Worker();
  void RunItem(Client& client, const Item& item, bool& retrying);
  void Deliver(const Item& item, const ItemResult& result);
  void Stop(const Status& reason);
  void WaitForFirstItem();
  void ReportProgress(std::stop_token stop);
  Progress Snapshot() const;

  const Session& session_;
  ItemSource& items_;
  const Work& work_;
  const Options& options_;
  const Callbacks& callbacks_;
  const std::size_t concurrency_;

  CancelSource run_cancel_;  // the caller's requests, a stopping failure, the breaker
  WorkQueue queue_;
  ReorderBuffer reorder_;
  RateLimiter limiter_;
  CircuitBreaker breaker_;
  std::unique_ptr<Journal> journal_;
  std::stop_callback<StopOnRequest> user_stop_;
  std::stop_callback<AbortOnRequest> user_abort_;

  std::atomic<std::size_t> done_{0}, from_journal_{0}, failed_{0}, interrupted_{0}, retrying_{0};
  std::mutex mu_;
  std::condition_variable_any first_finished_cv_;
  bool first_finished_ = false;
  Status stopped_;  // the first failure that stopped the run
};

StatusOr<Summary> BulkRun::Run() {
  if (!options_.journal_path.empty()) {
    auto journal = Journal::Open(options_.journal_path);
    if (!journal.ok()) return journal.status();
    journal_ = std::move(*journal);
    if (journal_->size() > 0 && callbacks_.on_resume) callbacks_.on_resume(journal_->size(), journal_->path());
  }
  Status read;
  {
    std::vector<std::jthread> workers;
    workers.reserve(concurrency_);
    for (std::size_t i = 0; i < concurrency_; ++i) workers.emplace_back([this] { Worker(); });
    std::jthread progress;
    if (callbacks_.on_progress) progress = std::jthread([this](std::stop_token stop) { ReportProgress(stop); });
    read = Feed();
    queue_.Close();
    for (auto& worker : workers) worker.join();
    queue_.Drain();  // what no worker took after a stop: not started
  }
  reorder_.Flush();
  if (!read.ok()) Stop(read);

  Summary summary;
  summary.counts = Snapshot();
  summary.counts.retrying = 0;
  const std::size_t accounted = summary.counts.done + summary.counts.from_journal + summary.counts.failed +
                                summary.counts.interrupted;
  summary.not_started = summary.counts.total > accounted ? summary.counts.total - accounted : 0;
  {
    std::lock_guard lock(mu_);
    summary.stopped = stopped_;
  }
  summary.cancelled = options_.cancel.stop_requested();
  if (journal_) {
    const bool all_done = summary.counts.failed == 0 && summary.counts.interrupted == 0 && summary.not_started == 0;
    if (all_done) {
      if (Status s = journal_->Remove(); !s.ok() && summary.stopped.ok()) summary.stopped = s;
    } else {
      if (Status s = journal_->Sync(); !s.ok() && summary.stopped.ok()) summary.stopped = s;
      summary.journal_path = journal_->path();
    }
  }
  if (callbacks_.on_progress) {
    try {
      callbacks_.on_progress(summary.counts);
    } catch (...) {
    }
  }
  return summary;
}

// The reader: items from the journal are delivered at once; the others wait
// for room in the reorder window, then in the queue.
Status BulkRun::Feed() {
  const std::stop_token stop = run_cancel_.token().stop();
  const auto& budget = session_.login_budget();
  // Until the portal has accepted the account once, one item goes alone: a
  // wrong password costs one failed login, not --concurrency of them.
  bool first_alone = session_.options().account.has_value() && !(budget && budget->accepted());
  return items_.ForEach([&](Item item) {
    if (stop.stop_requested()) return false;
    if (journal_) {
      if (const std::string* line = journal_->Find(item.key)) {
        if (auto result = FromJournal(*line)) {
          from_journal_++;
          if (!reorder_.Admit(item.seq, stop)) return false;
          reorder_.Complete(std::move(item), std::move(*result));
          return true;
        }
      }
    }
    if (!reorder_.Admit(item.seq, stop)) return false;
    if (!queue_.Push(std::move(item), stop)) return false;
    if (first_alone) {
      first_alone = false;
      WaitForFirstItem();
    }
    return true;
  });
}

void BulkRun::WaitForFirstItem() {
  std::unique_lock lock(mu_);
  first_finished_cv_.wait(lock, run_cancel_.token().stop(), [this] { return first_finished_; });
}

void BulkRun::Worker() {
  try {
    auto connection = session_.NewConnection();
    Client client(*connection);
    if (options_.configure_client) options_.configure_client(client);
    client.set_cancel(run_cancel_.token());
    client.set_rate_limiter(&limiter_);
    client.set_breaker(&breaker_);
    bool retrying = false;  // the current item has met a failed attempt
    client.set_on_retry([this, &retrying](const RetryNotice&) {
      if (!retrying) {
        retrying = true;
        retrying_++;
      }
    });
    while (auto item = queue_.Pop(run_cancel_.token().stop())) {
      if (run_cancel_.stop_requested()) {
        reorder_.Skip(item->seq);
        continue;
      }
      RunItem(client, *item, retrying);
    }
  } catch (...) {
    // Setting up a worker failed (out of memory, a callback threw): the run
    // stops with what the others did; never an exception out of a thread.
    Stop(Status(ErrorKind::kInternal, Msg("internal error in a bulk worker: {}", CurrentExceptionText())));
  }
}

void BulkRun::RunItem(Client& client, const Item& item, bool& retrying) {
  ItemResult result;
  try {
    work_(client, item, result);
  } catch (...) {
    result = ItemResult{};
    result.error = Status(ErrorKind::kInternal, Msg("internal error: {}", CurrentExceptionText()));
  }
  if (retrying) {
    retrying = false;
    retrying_--;
  }
  if (result.error.kind() == ErrorKind::kCancelled && !options_.cancel.stop_requested()) {
    // Cut short because the run stopped (refused account, dead portal), not
    // by the caller: the item failed for that reason.
    std::lock_guard lock(mu_);
    if (!stopped_.ok())
      result.error = Status(stopped_.kind(),
                            Message{Msg("not finished: the run stopped ({})", stopped_.message()).english,
                                    Msg("not finished: the run stopped ({})", stopped_.localized_message()).localized});
  }
  if (result.error.ok()) {
    done_++;
    if (journal_ && result.done) {
      if (Status s = journal_->Append(item.key, JournalLine(item, result)); !s.ok()) Stop(s);
    }
  } else if (result.error.kind() == ErrorKind::kCancelled) {
    interrupted_++;
  } else {
    failed_++;
    if (StopsTheRun(result.error)) Stop(result.error);
  }
  {
    std::lock_guard lock(mu_);
    first_finished_ = true;
  }
  first_finished_cv_.notify_all();
  reorder_.Complete(item, std::move(result));
}

void BulkRun::Deliver(const Item& item, const ItemResult& result) {
  if (!callbacks_.on_result) return;
  try {
    callbacks_.on_result(item, result);
  } catch (...) {
    Stop(Status(ErrorKind::kInternal, Msg("internal error printing a result: {}", CurrentExceptionText())));
  }
}

void BulkRun::Stop(const Status& reason) {
  {
    std::lock_guard lock(mu_);
    if (stopped_.ok()) stopped_ = reason;
  }
  run_cancel_.RequestStop();
}

Progress BulkRun::Snapshot() const {
  Progress p;
  p.total = items_.size();
  p.done = done_;
  p.from_journal = from_journal_;
  p.failed = failed_;
  p.interrupted = interrupted_;
  p.retrying = retrying_;
  return p;
}

void BulkRun::ReportProgress(std::stop_token stop) {
  std::mutex mu;
  std::condition_variable_any tick;
  std::unique_lock lock(mu);
  while (!stop.stop_requested()) {
    try {
      callbacks_.on_progress(Snapshot());
    } catch (...) {
      return;
    }
    tick.wait_for(lock, stop, options_.progress_interval, [] { return false; });
  }
}

}  // namespace

bool StopsTheRun(const Status& s) {
  return IsAccountRefusal(s) || s.kind() == ErrorKind::kUnauthenticated ||
         s.kind() == ErrorKind::kResourceExhausted || s.kind() == ErrorKind::kInvalidConfig;
}

StatusOr<Summary> Run(const Session& session, ItemSource& items, const Work& work, const Options& options,
                      const Callbacks& callbacks) {
  try {
    BulkRun run(session, items, work, options, callbacks);
    return run.Run();
  } catch (...) {
    return Status(ErrorKind::kInternal, Msg("internal error in the bulk engine: {}", CurrentExceptionText()));
  }
}

}  // namespace chorus::bulk
