// Hands results back in input order although workers finish out of order.
// A result that finishes early waits here for those before it; the window
// bounds how many may wait, so an item stuck in a long retry holds the reader
// back (Admit blocks) instead of letting memory grow with the input.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <mutex>
#include <stop_token>
#include <utility>

#include "chorus/bulk.h"

namespace chorus::bulk {

class ReorderBuffer {
 public:
  using Deliver = std::function<void(const Item&, const ItemResult&)>;
  // deliver is called in seq order (0, 1, 2, ...), one call at a time.
  ReorderBuffer(std::size_t window, Deliver deliver);

  // Waits until the item with this seq may be started: fewer than `window`
  // items between it and the next result due. False when stop came first.
  bool Admit(std::size_t seq, const std::stop_token& stop);

  // The result of item seq; delivers every result now due.
  void Complete(Item item, ItemResult result);

  // Marks seq as never to come (not started), so later results are not held.
  void Skip(std::size_t seq);

  // Delivers what waits, skipping the gaps (at the end of a stopped run).
  void Flush();

  std::size_t waiting() const;  // results held now (for tests)
  std::size_t max_waiting() const { return max_waiting_; }

 private:
  void DeliverDue(std::unique_lock<std::mutex>& lock);

  const std::size_t window_;
  Deliver deliver_;
  mutable std::mutex mu_;
  std::condition_variable_any room_;
  std::size_t next_ = 0;  // the seq due next
  std::map<std::size_t, std::optional<std::pair<Item, ItemResult>>> held_;  // nullopt: skipped
  std::size_t max_waiting_ = 0;
};

}  // namespace chorus::bulk
