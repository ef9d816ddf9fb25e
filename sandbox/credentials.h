// Secrets: argon2id hashing (libsodium), the password policy, random tokens,
// and the cache of recently verified cpro-account credentials.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace sandbox {

enum class HashCost { kMin, kInteractive, kModerate };

void InitCrypto();  // sodium_init; call once before anything else here
std::string HashSecret(const std::string& secret, HashCost cost);
bool VerifySecret(const std::string& hash, const std::string& secret);
// The bytes of a base64 text (libsodium's decoder): the standard alphabet or
// base64url, padded or not, as clients write Basic and cpro-account values.
// nullopt when it is not base64 (or empty).
std::optional<std::string> DecodeBase64(std::string_view text);
// Hex string of `bytes` random bytes.
std::string RandomHex(size_t bytes);
// Empty when acceptable; otherwise why not (French message).
std::string PasswordPolicyViolation(const std::string& password);

// Remembers "this cpro-account value (base64 of login:password) was verified
// for user U" for a short while, so the slow hash runs once per credential
// instead of on every call, and the value is not even decoded. Entries are
// keyed by a keyed BLAKE2b digest (random key per process): the cache never
// holds a password, and a wrong password can never match an entry.
class CredentialCache {
 public:
  explicit CredentialCache(int64_t lifetime_seconds);
  // The user whose credential this is, if it was verified and not forgotten since.
  std::optional<int64_t> Find(const std::string& cpro_account, int64_t now);
  void Remember(const std::string& cpro_account, int64_t user_id, int64_t now);
  void Forget(int64_t user_id);  // on password change, failed login or lock

 private:
  using Digest = std::array<unsigned char, 32>;
  struct Entry {
    int64_t user_id;
    int64_t expires_at;
  };
  Digest DigestOf(const std::string& cpro_account) const;

  int64_t lifetime_;
  std::array<unsigned char, 32> key_{};
  std::mutex mu_;
  std::map<Digest, Entry> entries_;
};

}  // namespace sandbox
