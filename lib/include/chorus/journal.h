// The journal of a bulk run: one JSON line per finished item, appended as
// items finish, so that rerunning the same command after a crash, SIGKILL or
// Ctrl-C skips what was done. Append-only lines written whole with one
// write(2) survive a killed process; an unreadable last line is ignored.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "chorus/status.h"

namespace chorus {

class Journal {
 public:
  // Opens (creating with mode 0600, directories 0700) and loads the journal at path.
  static StatusOr<std::unique_ptr<Journal>> Open(const std::string& path);
  ~Journal();

  const std::string& path() const { return path_; }
  std::size_t size() const;
  // The record stored for a finished item, or nullptr.
  const std::string* Find(const std::string& key) const;
  // Records an item as finished; `record` is one line of JSON without newline
  // that must contain "key": key. Thread-safe.
  Status Append(const std::string& key, const std::string& record);
  // Deletes the file (after a run with nothing left to do).
  Status Remove();

 private:
  Journal(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::string> done_;
};

// Where the journal of a run lives: $XDG_STATE_HOME/chorus/journals (default
// ~/.local/state/chorus/journals), named after the command and a digest of
// what identifies the run (profile URL, login, the items in order).
std::string JournalPath(const std::string& state_home, const std::string& command,
                        const std::vector<std::string>& identity);

// A 64-bit FNV-1a digest, for journal names.
std::uint64_t Fnv1a(std::string_view data, std::uint64_t seed = 1469598103934665603ULL);

}  // namespace chorus
