// The bulk engine: one operation over many keyed items (SIRETs, request IDs)
// against the portal, for any program that links chorus::chorus. It runs
// `concurrency` workers (one PortalConnection each) under a shared rate
// limit; journals finished items so that a rerun skips them; stops at once
// when the portal refuses the account, when the quota is spent or when the
// portal is down (circuit breaker); obeys a two-stage CancelToken (stop: start
// nothing new; abort: cut what is in flight); and hands results back in input
// order through a bounded reorder window, so memory stays flat whatever the
// number of items.
//
// Its parts, each in lib/src/bulk/ and testable alone: the item source (an
// ItemSpool), a bounded work queue, the worker pool, the reorder buffer, the
// journal (chorus/journal.h), the circuit breaker (chorus/circuit_breaker.h)
// and the progress counters.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "chorus/cancel.h"
#include "chorus/circuit_breaker.h"
#include "chorus/status.h"

namespace chorus {

class Client;
class Session;

namespace bulk {

struct Item {
  std::string key;      // what the journal knows the item by (a SIRET, a request id)
  std::string payload;  // the caller's data for the item, opaque to the engine
  std::size_t seq = 0;  // rank in the run: results are delivered in this order
};

// The items of a run, in order.
class ItemSource {
 public:
  virtual ~ItemSource() = default;
  virtual std::size_t size() const = 0;
  // visit returns false to stop.
  virtual Status ForEach(const std::function<bool(Item)>& visit) = 0;
};

// Items kept in an unnamed temporary file, in constant memory. A run sends
// what was spooled, so what is sent is what was validated, even if the input
// file changes meanwhile. Keys and payloads must not contain a newline (keys
// no tab either): Add refuses them.
class ItemSpool final : public ItemSource {
 public:
  static StatusOr<std::unique_ptr<ItemSpool>> Create();
  ~ItemSpool() override;
  Status Add(std::string_view key, std::string_view payload);
  std::size_t size() const override { return size_; }
  // A digest of the keys in order: it names a run's journal.
  std::uint64_t digest() const { return digest_; }
  Status ForEach(const std::function<bool(Item)>& visit) override;

 private:
  ItemSpool() = default;
  std::FILE* file_ = nullptr;
  std::size_t size_ = 0;
  std::uint64_t digest_;
};

// What became of one item; the work function fills it.
struct ItemResult {
  // What to print and journal about the item: JSON objects, as text. Usually
  // one; more when an item stands for several things done.
  std::vector<std::string> records;
  // Finished for good: journaled, never sent again by a rerun.
  bool done = false;
  // The item failed. kCancelled means interrupted: the call was cut and may
  // have reached the portal; a rerun settles it.
  Status error;
  // Set by the engine: the result comes from the journal of an earlier run.
  bool from_journal = false;
};

// The operation on one item, with the worker's own Client. Must be
// thread-safe across workers. An exception fails the item, not the run.
using Work = std::function<void(Client&, const Item&, ItemResult&)>;

struct Progress {
  std::size_t total = 0;
  std::size_t done = 0;          // finished well in this run
  std::size_t from_journal = 0;  // finished by an earlier run
  std::size_t failed = 0;
  std::size_t interrupted = 0;
  std::size_t retrying = 0;      // in flight, after at least one failed attempt
};

struct Options {
  int concurrency = 8;
  double rate = 0;           // requests per second across workers; 0: no limit
  std::string journal_path;  // empty: no journal
  CancelToken cancel;        // the caller's: stop, then abort
  BreakerPolicy breaker;
  // How many finished results may wait for an earlier one before workers
  // stop taking items; 0: 4 × concurrency.
  std::size_t reorder_window = 0;
  // Called on each worker's Client before its first item (e.g. a dry run).
  std::function<void(Client&)> configure_client;
  std::chrono::milliseconds progress_interval{200};
};

struct Callbacks {
  // Every item's result in input order, one call at a time, from any thread.
  std::function<void(const Item&, const ItemResult&)> on_result;
  // Every progress_interval while the run goes (from its own thread).
  std::function<void(const Progress&)> on_progress;
  // Once before the first item, when the journal holds items of an earlier run.
  std::function<void(std::size_t done, const std::string& journal_path)> on_resume;
};

struct Summary {
  Progress counts;
  std::size_t not_started = 0;
  // Why the run stopped before its end (the account refused, the portal
  // unreachable, the quota spent, the journal unwritable); OK otherwise.
  Status stopped;
  bool cancelled = false;    // the caller's token asked to stop
  std::string journal_path;  // the journal, when kept for a rerun; empty when none or removed
};

// Failures that would fail every remaining item alike, so they stop the run:
// refused credentials (the portal locks after 5), a 401 after the token
// refresh, an exhausted quota, an unusable configuration.
bool StopsTheRun(const Status& status);

// Runs `work` over `items`. Errors are about the run as a whole (the journal
// cannot be opened or is in use by another run); item failures are in the
// Summary and in the results.
StatusOr<Summary> Run(const Session& session, ItemSource& items, const Work& work, const Options& options,
                      const Callbacks& callbacks);

}  // namespace bulk
}  // namespace chorus
