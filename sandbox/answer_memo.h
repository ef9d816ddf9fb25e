// The answers of read routes, kept as the text that was sent until the data
// changes. A consulter answer costs some 150,000 instructions to query and
// build with nlohmann::json and 80,000 more to serialise (callgrind); clients
// read the same structures over and over, between rare writes. The version
// of the data is Db::Writes(): any write, anywhere, forgets every answer, so
// an answer is never older than the data it was built from.
#pragma once

#include <cstdint>
#include <memory>
#include <shared_mutex>
#include <string>
#include <unordered_map>

namespace sandbox {

class AnswerMemo {
 public:
  // The answer stored under `key` when the data was at `version`, if it still is.
  std::shared_ptr<const std::string> Find(const std::string& key, uint64_t version) const;
  // `answer` was built from the data at `version`; read `version` before the
  // operation and store only if it had not moved by its end.
  void Store(const std::string& key, uint64_t version, std::string answer);

 private:
  static constexpr size_t kMaxBytes = 64 << 20;  // then start afresh: it is only a memo

  mutable std::shared_mutex mu_;
  uint64_t version_ = 0;
  size_t bytes_ = 0;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> answers_;
};

}  // namespace sandbox
