#include "chorus/journal.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "chorus/i18n.h"

namespace chorus {

std::uint64_t Fnv1a(std::string_view data, std::uint64_t seed) {
  std::uint64_t h = seed;
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string JournalPath(const std::string& state_home, const std::string& command,
                        const std::vector<std::string>& identity) {
  std::uint64_t h = Fnv1a(command);
  for (const auto& part : identity) h = Fnv1a(part + '\n', h);
  char hex[17];
  std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
  std::string name = command;
  for (auto& c : name)
    if (c == ' ') c = '-';
  return state_home + "/chorus/journals/" + name + "-" + hex + ".jsonl";
}

namespace {

// The file's bytes; false on a read error.
bool ReadAll(int fd, std::string* out) {
  char buf[65536];
  ssize_t n;
  if (::lseek(fd, 0, SEEK_SET) != 0) return false;
  while ((n = ::read(fd, buf, sizeof buf)) > 0) out->append(buf, static_cast<std::size_t>(n));
  return n == 0;
}

}  // namespace

StatusOr<std::unique_ptr<Journal>> Journal::Open(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dir = fs::path(path).parent_path();
  if (!dir.empty() && !fs::exists(dir)) {
    fs::create_directories(dir, ec);
    if (ec) return Status(ErrorKind::kInvalidArgument, Msg("cannot create {}: {}", dir.string(), SystemError{ec.value()}));
    fs::permissions(dir, fs::perms::owner_all, ec);
  }
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0)
    return Status(ErrorKind::kInvalidArgument, Msg("cannot open the journal {}: {}", path, SystemError{errno}));
  std::unique_ptr<Journal> journal(new Journal(path, fd));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK)
      return Status(ErrorKind::kFailedPrecondition,
                    Msg("another chorus run is using the journal {}: wait for it to finish (or stop it) before running the same command again", path));
    return Status(ErrorKind::kUnknown, Msg("cannot lock the journal {}: {}", path, SystemError{errno}));
  }
  fchmod(fd, 0600);
  std::string text;
  if (!ReadAll(fd, &text))
    return Status(ErrorKind::kUnknown, Msg("cannot read the journal {}: {}", path, SystemError{errno}));
  // Everything after the last newline is a line cut short: drop it, so the
  // next append starts on a line of its own.
  const std::size_t whole = text.rfind('\n') == std::string::npos ? 0 : text.rfind('\n') + 1;
  if (whole < text.size()) {
    if (::ftruncate(fd, static_cast<off_t>(whole)) != 0)
      return Status(ErrorKind::kUnknown, Msg("cannot repair the journal {}: {}", path, SystemError{errno}));
    text.resize(whole);
  }
  std::size_t start = 0;
  for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1) {
    std::string line = text.substr(start, nl - start);
    auto doc = nlohmann::json::parse(line, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) continue;  // damaged: the item is done again
    auto key = doc.find("key");
    if (key == doc.end() || !key->is_string()) continue;
    journal->done_[key->get<std::string>()] = std::move(line);
  }
  journal->last_sync_ = std::chrono::steady_clock::now();
  return journal;
}

Journal::~Journal() {
  if (fd_ >= 0) {
    if (dirty_) ::fdatasync(fd_);
    ::close(fd_);
  }
}

std::size_t Journal::size() const {
  std::lock_guard lock(mu_);
  return done_.size();
}

std::size_t Journal::appended() const {
  std::lock_guard lock(mu_);
  return appended_;
}

const std::string* Journal::Find(const std::string& key) const {
  std::lock_guard lock(mu_);
  auto it = done_.find(key);
  return it == done_.end() ? nullptr : &it->second;
}

Status Journal::Append(const std::string& key, const std::string& record) {
  std::string line = record + "\n";
  std::lock_guard lock(mu_);
  if (fd_ < 0) return Status(ErrorKind::kInternal, Msg("journal closed"));
  // One write(2) per line: a killed process leaves whole lines behind.
  ssize_t n = ::write(fd_, line.data(), line.size());
  if (n != static_cast<ssize_t>(line.size()))
    return Status(ErrorKind::kUnknown, Msg("cannot write the journal {}: {}", path_, SystemError{errno}));
  // Not kept in memory: a run's own items are not looked up again, and a
  // 100,000-item run must not hold them all.
  (void)key;
  ++appended_;
  dirty_ = true;
  // At least once a second while items finish; Sync() and the destructor
  // cover the last ones.
  const auto now = std::chrono::steady_clock::now();
  if (now - last_sync_ >= std::chrono::seconds(1)) {
    last_sync_ = now;
    dirty_ = false;
    if (::fdatasync(fd_) != 0)
      return Status(ErrorKind::kUnknown, Msg("cannot sync the journal {}: {}", path_, SystemError{errno}));
  }
  return OkStatus();
}

Status Journal::Sync() {
  std::lock_guard lock(mu_);
  if (fd_ < 0 || !dirty_) return OkStatus();
  dirty_ = false;
  last_sync_ = std::chrono::steady_clock::now();
  if (::fdatasync(fd_) != 0)
    return Status(ErrorKind::kUnknown, Msg("cannot sync the journal {}: {}", path_, SystemError{errno}));
  return OkStatus();
}

Status Journal::Remove() {
  std::lock_guard lock(mu_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (::unlink(path_.c_str()) != 0 && errno != ENOENT)
    return Status(ErrorKind::kUnknown, Msg("cannot remove {}: {}", path_, SystemError{errno}));
  return OkStatus();
}

}  // namespace chorus
