#include "reorder_buffer.h"

namespace chorus::bulk {

ReorderBuffer::ReorderBuffer(std::size_t window, Deliver deliver)
    : window_(window == 0 ? 1 : window), deliver_(std::move(deliver)) {}

bool ReorderBuffer::Admit(std::size_t seq, const std::stop_token& stop) {
  std::unique_lock lock(mu_);
  return room_.wait(lock, stop, [&] { return seq < next_ + window_; });
}

void ReorderBuffer::Complete(Item item, ItemResult result) {
  std::unique_lock lock(mu_);
  const std::size_t seq = item.seq;
  held_[seq].emplace(std::move(item), std::move(result));
  max_waiting_ = std::max(max_waiting_, held_.size());
  DeliverDue(lock);
}

void ReorderBuffer::Skip(std::size_t seq) {
  std::unique_lock lock(mu_);
  held_[seq].reset();
  DeliverDue(lock);
}

void ReorderBuffer::Flush() {
  std::unique_lock lock(mu_);
  while (!held_.empty()) {
    next_ = held_.begin()->first;
    DeliverDue(lock);
  }
}

std::size_t ReorderBuffer::waiting() const {
  std::lock_guard lock(mu_);
  return held_.size();
}

// Delivers under the lock: results reach the caller one at a time, in order.
// Delivery is slow next to the rest (it prints), and holding the lock keeps
// the order without another queue.
void ReorderBuffer::DeliverDue(std::unique_lock<std::mutex>& lock) {
  (void)lock;
  for (auto it = held_.find(next_); it != held_.end(); it = held_.find(next_)) {
    if (it->second) deliver_(it->second->first, it->second->second);
    held_.erase(it);
    ++next_;
  }
  room_.notify_all();
}

}  // namespace chorus::bulk
