// The bounded queue between the item reader and the workers of a bulk run: a
// full queue holds the reader back, so memory stays flat whatever the input
// size. Both ends wake at once when stop is requested.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <stop_token>

#include "chorus/bulk.h"

namespace chorus::bulk {

class WorkQueue {
 public:
  explicit WorkQueue(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  // Waits for room; false (the item dropped) when stop is requested first.
  bool Push(Item item, const std::stop_token& stop) {
    std::unique_lock lock(mu_);
    if (!not_full_.wait(lock, stop, [&] { return items_.size() < capacity_; })) return false;
    items_.push_back(std::move(item));
    not_empty_.notify_one();
    return true;
  }

  // The next item; nullopt once the queue is closed and empty, or at once
  // when stop is requested (what is left is counted by Drain()).
  std::optional<Item> Pop(const std::stop_token& stop) {
    std::unique_lock lock(mu_);
    if (!not_empty_.wait(lock, stop, [&] { return !items_.empty() || closed_; })) return std::nullopt;
    if (items_.empty()) return std::nullopt;
    Item item = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return item;
  }

  // No more items will come.
  void Close() {
    std::lock_guard lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
  }

  // Drops what no worker took, and says how many.
  std::size_t Drain() {
    std::lock_guard lock(mu_);
    std::size_t n = items_.size();
    items_.clear();
    not_full_.notify_all();
    return n;
  }

 private:
  const std::size_t capacity_;
  std::mutex mu_;
  std::condition_variable_any not_empty_, not_full_;
  std::deque<Item> items_;
  bool closed_ = false;
};

}  // namespace chorus::bulk
