#include "chorus/journal.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

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

StatusOr<std::unique_ptr<Journal>> Journal::Open(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path dir = fs::path(path).parent_path();
  if (!dir.empty() && !fs::exists(dir)) {
    fs::create_directories(dir, ec);
    if (ec) return Status(ErrorKind::kInvalidArgument, "cannot create " + dir.string() + ": " + ec.message());
    fs::permissions(dir, fs::perms::owner_all, ec);
  }
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  if (fd < 0)
    return Status(ErrorKind::kInvalidArgument, "cannot open the journal " + path + ": " + std::strerror(errno));
  fchmod(fd, 0600);
  std::unique_ptr<Journal> journal(new Journal(path, fd));
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    auto doc = nlohmann::json::parse(line, nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) continue;  // a torn last line
    auto key = doc.find("key");
    if (key == doc.end() || !key->is_string()) continue;
    journal->done_[key->get<std::string>()] = line;
  }
  return journal;
}

Journal::~Journal() {
  if (fd_ >= 0) ::close(fd_);
}

std::size_t Journal::size() const {
  std::lock_guard lock(mu_);
  return done_.size();
}

const std::string* Journal::Find(const std::string& key) const {
  std::lock_guard lock(mu_);
  auto it = done_.find(key);
  return it == done_.end() ? nullptr : &it->second;
}

Status Journal::Append(const std::string& key, const std::string& record) {
  std::string line = record + "\n";
  std::lock_guard lock(mu_);
  if (fd_ < 0) return Status(ErrorKind::kInternal, "journal closed");
  // One write(2) per line: a killed process leaves whole lines behind.
  ssize_t n = ::write(fd_, line.data(), line.size());
  if (n != static_cast<ssize_t>(line.size()))
    return Status(ErrorKind::kUnknown, "cannot write the journal " + path_ + ": " + std::strerror(errno));
  done_[key] = record;
  return OkStatus();
}

Status Journal::Remove() {
  std::lock_guard lock(mu_);
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (::unlink(path_.c_str()) != 0 && errno != ENOENT)
    return Status(ErrorKind::kUnknown, "cannot remove " + path_ + ": " + std::strerror(errno));
  return OkStatus();
}

}  // namespace chorus
