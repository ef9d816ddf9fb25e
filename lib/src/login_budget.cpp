#include "chorus/login_budget.h"

#include <fcntl.h>
#include <sodium.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <sstream>
#include <vector>

#include "chorus/i18n.h"
#include "chorus/text.h"

using namespace std::string_literals;

#include "chorus/portal.h"

namespace chorus {
namespace {

constexpr const char* kStoreName = "refused-logins";
constexpr const char* kKeyName = "login-budget.key";

bool InitSodium() {
  static const bool ok = sodium_init() >= 0;
  return ok;
}

std::string Hex(const unsigned char* data, std::size_t n) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(n * 2);
  for (std::size_t i = 0; i < n; ++i) {
    out += kDigits[data[i] >> 4];
    out += kDigits[data[i] & 15];
  }
  return out;
}

std::string KeyedHash(const unsigned char* key, std::string_view message) {
  unsigned char out[32];
  crypto_generichash(out, sizeof out, reinterpret_cast<const unsigned char*>(message.data()),
                     message.size(), key, crypto_generichash_KEYBYTES);
  return Hex(out, sizeof out);
}

Status IoError(std::string_view what, const std::string& path) {
  const SystemError why{errno};
  if (what == "rewrite") return Status(ErrorKind::kUnknown, Msg("cannot rewrite {}: {}", path, why));
  if (what == "open") return Status(ErrorKind::kUnknown, Msg("cannot open {}: {}", path, why));
  if (what == "create") return Status(ErrorKind::kUnknown, Msg("cannot create {}: {}", path, why));
  return Status(ErrorKind::kUnknown, Msg("cannot write {}: {}", path, why));
}

// One remembered refusal: "<credentials hash> <profile+login hash> <epoch> <codeRetour> <HTTP status>".
struct Entry {
  std::string secret_hash, who_hash;
  std::int64_t epoch = 0;
  int code = 0, http = 0;

  static std::optional<Entry> Parse(const std::string& line) {
    std::istringstream in(line);
    Entry e;
    if (!(in >> e.secret_hash >> e.who_hash >> e.epoch >> e.code >> e.http)) return std::nullopt;
    return e;
  }
  std::string Line() const {
    return secret_hash + ' ' + who_hash + ' ' + std::to_string(epoch) + ' ' + std::to_string(code) + ' ' +
           std::to_string(http) + '\n';
  }
};

// The store, locked for a read-modify-write; closed (and unlocked) on scope exit.
class LockedStore {
 public:
  explicit LockedStore(const std::string& path, bool create) : path_(path) {
    fd_ = ::open(path.c_str(), (create ? O_RDWR | O_CREAT : O_RDWR) | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd_ >= 0 && ::flock(fd_, LOCK_EX) != 0) {
      ::close(fd_);
      fd_ = -1;
    }
  }
  ~LockedStore() {
    if (fd_ >= 0) ::close(fd_);
  }
  bool ok() const { return fd_ >= 0; }

  std::vector<Entry> Read() const {
    std::string text;
    char buf[4096];
    ssize_t n;
    ::lseek(fd_, 0, SEEK_SET);
    while ((n = ::read(fd_, buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
    std::vector<Entry> entries;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
      if (auto e = Entry::Parse(line)) entries.push_back(*e);
    return entries;
  }
  Status Write(const std::vector<Entry>& entries) {
    std::string text;
    for (const auto& e : entries) text += e.Line();
    if (::ftruncate(fd_, 0) != 0 || ::lseek(fd_, 0, SEEK_SET) != 0) return IoError("rewrite", path_);
    if (::write(fd_, text.data(), text.size()) != static_cast<ssize_t>(text.size()))
      return IoError("write", path_);
    ::fchmod(fd_, 0600);
    ::fdatasync(fd_);
    return OkStatus();
  }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace

bool IsAccountRefusal(const Status& status) {
  if (auto it = status.details().find("refused"); it != status.details().end() && it->second == "credentials")
    return true;
  if (!status.code_retour()) return false;
  const int code = *status.code_retour();
  return code == 20003 || code == 20004 || code == 20005;
}

struct LoginBudget::Keys {
  std::string secret_hash;  // profile + login + password
  std::string who_hash;     // profile + login
};

LoginBudget::LoginBudget(std::string state_dir, std::string profile, const AccountCredentials& account)
    : state_dir_(std::move(state_dir)),
      profile_(std::move(profile)),
      login_(account.login),
      secret_(account.password) {}

LoginBudget::~LoginBudget() {
  if (!secret_.empty()) sodium_memzero(secret_.data(), secret_.size());
}

std::string LoginBudget::store_path() const { return state_dir_ + "/" + kStoreName; }

Status LoginBudget::LoadKeys() {
  if (keys_) return OkStatus();
  if (!InitSodium()) return Status(ErrorKind::kInternal, Msg("libsodium failed to initialise"));
  std::error_code ec;
  if (!std::filesystem::exists(state_dir_)) {
    std::filesystem::create_directories(state_dir_, ec);
    if (ec) return Status(ErrorKind::kUnknown, Msg("cannot create {}: {}", state_dir_, SystemError{ec.value()}));
    ::chmod(state_dir_.c_str(), 0700);
  }
  // A random key of this machine's user: the hashes in the store say nothing
  // about the passwords without it.
  const std::string key_path = state_dir_ + "/" + kKeyName;
  unsigned char key[crypto_generichash_KEYBYTES];
  int fd = ::open(key_path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd >= 0) {
    randombytes_buf(key, sizeof key);
    bool written = ::write(fd, key, sizeof key) == static_cast<ssize_t>(sizeof key) && ::fsync(fd) == 0;
    ::close(fd);
    if (!written) {
      ::unlink(key_path.c_str());
      return IoError("write", key_path);
    }
  } else if (errno == EEXIST) {
    fd = ::open(key_path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) return IoError("open", key_path);
    bool read_whole = ::read(fd, key, sizeof key) == static_cast<ssize_t>(sizeof key);
    ::close(fd);
    if (!read_whole) return Status(ErrorKind::kUnknown, Msg("{} is damaged: delete it", key_path));
  } else {
    return IoError("create", key_path);
  }
  auto keys = std::make_unique<Keys>();
  std::string who = profile_ + '\0' + login_;
  keys->who_hash = KeyedHash(key, "who\0"s + who);
  keys->secret_hash = KeyedHash(key, "secret\0"s + who + '\0' + secret_);
  sodium_memzero(key, sizeof key);
  keys_ = std::move(keys);
  return OkStatus();
}

Status LoginBudget::CheckRemembered() {
  std::lock_guard lock(mu_);
  if (refusal_) return *refusal_;
  if (!std::filesystem::exists(store_path())) return OkStatus();
  if (!LoadKeys().ok()) return OkStatus();
  LockedStore store(store_path(), false);
  if (!store.ok()) return OkStatus();
  for (const auto& e : store.Read()) {
    if (e.secret_hash != keys_->secret_hash) continue;
    const std::string when = IsoUtc(e.epoch);
    Status s(ErrorKind::kUnauthenticated,
             Msg("the portal refused login {} (profile \"{}\") on {}; Chorus Pro locks an account for an hour "
                 "after 5 failed logins, so chorus does not send this password again; nothing was sent",
                 login_, profile_, Instant{e.epoch}));
    if (e.http) s.set_http_status(e.http);
    if (e.code) s.set_envelope(e.code, "");
    s.set_detail("refused", "credentials");
    s.set_detail("refused_at", when);
    refusal_ = s;
    refused_ = true;
    return s;
  }
  return OkStatus();
}

Status LoginBudget::CheckThisRun() const {
  if (!refused_.load()) return OkStatus();
  std::lock_guard lock(mu_);
  return refusal_ ? *refusal_ : OkStatus();
}

Status LoginBudget::Refused(const Status& refusal) {
  std::lock_guard lock(mu_);
  if (refused_.exchange(true)) return OkStatus();
  Status s = refusal;
  s.set_detail("refused_at", IsoUtc(std::time(nullptr)));
  refusal_ = s;
  if (Status k = LoadKeys(); !k.ok()) return k;
  LockedStore store(store_path(), true);
  if (!store.ok()) return IoError("open", store_path());
  std::vector<Entry> entries;
  for (auto& e : store.Read())
    if (e.secret_hash != keys_->secret_hash) entries.push_back(std::move(e));
  entries.push_back(Entry{keys_->secret_hash, keys_->who_hash, static_cast<std::int64_t>(std::time(nullptr)),
                          refusal.code_retour().value_or(0), refusal.http_status()});
  return store.Write(entries);
}

void LoginBudget::Accepted() {
  if (accepted_.exchange(true)) return;
  std::lock_guard lock(mu_);
  refused_ = false;
  refusal_.reset();
  if (!std::filesystem::exists(store_path()) || !LoadKeys().ok()) return;
  LockedStore store(store_path(), false);
  if (!store.ok()) return;
  auto entries = store.Read();
  std::vector<Entry> kept;
  for (auto& e : entries)
    if (e.who_hash != keys_->who_hash) kept.push_back(std::move(e));
  if (kept.size() != entries.size()) (void)store.Write(kept);
}

}  // namespace chorus
