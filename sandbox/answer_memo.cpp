#include "answer_memo.h"

#include <mutex>

namespace sandbox {

std::shared_ptr<const std::string> AnswerMemo::Find(const std::string& key, uint64_t version) const {
  std::shared_lock lock(mu_);
  if (version != version_) return nullptr;
  auto it = answers_.find(key);
  return it == answers_.end() ? nullptr : it->second;
}

void AnswerMemo::Store(const std::string& key, uint64_t version, std::string answer) {
  std::unique_lock lock(mu_);
  if (version < version_) return;  // built from older data than the memo holds
  if (version > version_ || bytes_ + key.size() + answer.size() > kMaxBytes) {
    answers_.clear();
    bytes_ = 0;
    version_ = version;
  }
  bytes_ += key.size() + answer.size();
  answers_[key] = std::make_shared<const std::string>(std::move(answer));
}

}  // namespace sandbox
