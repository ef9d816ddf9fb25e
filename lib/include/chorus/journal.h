// The journal of a bulk run: one JSON line per finished item, appended as
// items finish, so that rerunning the same command after a crash, SIGKILL or
// Ctrl-C skips what was done. Append-only lines written whole with one
// write(2) survive a killed process. On open, a torn last line (a power cut,
// a full disk) is cut off, so the next line starts fresh and no two items
// merge. An exclusive lock keeps a second run off the same journal. Data
// reaches the disk (fdatasync) at least once a second while items finish,
// and when the journal is closed.
#pragma once

#include <chrono>
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
  // Opens (creating with mode 0600, directories 0700), locks and loads the
  // journal at path. kFailedPrecondition when another run holds it.
  static StatusOr<std::unique_ptr<Journal>> Open(const std::string& path);
  ~Journal();

  const std::string& path() const { return path_; }
  // Items finished by earlier runs (read at open).
  std::size_t size() const;
  // Items appended by this run.
  std::size_t appended() const;
  // The record an earlier run stored for a finished item, or nullptr.
  const std::string* Find(const std::string& key) const;
  // Records an item as finished; `record` is one line of JSON without newline
  // that must contain "key": key. Thread-safe.
  Status Append(const std::string& key, const std::string& record);
  // Forces what was appended to the disk.
  Status Sync();
  // Deletes the file (after a run with nothing left to do).
  Status Remove();

 private:
  Journal(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  std::string path_;
  int fd_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, std::string> done_;
  std::size_t appended_ = 0;
  bool dirty_ = false;
  std::chrono::steady_clock::time_point last_sync_{};
};

// Where the journal of a run lives: $XDG_STATE_HOME/chorus/journals (default
// ~/.local/state/chorus/journals), named after the command and a digest of
// what identifies the run (profile URL, login, the items in order).
std::string JournalPath(const std::string& state_home, const std::string& command,
                        const std::vector<std::string>& identity);

// A 64-bit FNV-1a digest, for journal names.
std::uint64_t Fnv1a(std::string_view data, std::uint64_t seed = 1469598103934665603ULL);

}  // namespace chorus
