#include "credentials.h"

#include <sodium.h>

#include <cctype>
#include <stdexcept>

namespace sandbox {

void InitCrypto() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium initialisation failed");
}

std::string HashSecret(const std::string& secret, HashCost cost) {
  unsigned long long ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
  size_t mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
  if (cost == HashCost::kMin) {
    ops = crypto_pwhash_OPSLIMIT_MIN;
    mem = crypto_pwhash_MEMLIMIT_MIN;
  } else if (cost == HashCost::kModerate) {
    ops = crypto_pwhash_OPSLIMIT_MODERATE;
    mem = crypto_pwhash_MEMLIMIT_MODERATE;
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, secret.data(), secret.size(), ops, mem,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("password hashing failed (out of memory?)");
  return out;
}

bool VerifySecret(const std::string& hash, const std::string& secret) {
  return crypto_pwhash_str_verify(hash.c_str(), secret.data(), secret.size()) == 0;
}

std::optional<std::string> DecodeBase64(std::string_view text) {
  // libsodium wants the padding exactly when the variant has it; clients
  // differ, so the '=' are dropped and the unpadded variants decode.
  int padding = 0;
  for (; !text.empty() && text.back() == '='; ++padding) text.remove_suffix(1);
  if (text.empty() || padding > 2) return std::nullopt;
  const bool url = text.find_first_of("-_") != std::string_view::npos;
  std::string out(text.size() * 3 / 4 + 1, '\0');
  size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, &end,
                        url ? sodium_base64_VARIANT_URLSAFE_NO_PADDING
                            : sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0 ||
      end != text.data() + text.size())
    return std::nullopt;
  out.resize(length);
  return out;
}

std::string RandomHex(size_t bytes) {
  std::string raw(bytes, '\0');
  randombytes_buf(raw.data(), raw.size());
  std::string hex(bytes * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), reinterpret_cast<const unsigned char*>(raw.data()),
                 raw.size());
  hex.pop_back();
  return hex;
}

std::string PasswordPolicyViolation(const std::string& password) {
  bool upper = false, lower = false, digit = false, special = false;
  for (unsigned char c : password) {
    if (std::isupper(c)) upper = true;
    else if (std::islower(c)) lower = true;
    else if (std::isdigit(c)) digit = true;
    else special = true;
  }
  if (password.size() < 12 || password.size() > 128 || !upper || !lower || !digit || !special)
    return "Le mot de passe doit comporter de 12 à 128 caractères dont au moins une majuscule, "
           "une minuscule, un chiffre et un caractère spécial.";
  return "";
}

CredentialCache::CredentialCache(int64_t lifetime_seconds) : lifetime_(lifetime_seconds) {
  crypto_generichash_keygen(key_.data());
}

CredentialCache::Digest CredentialCache::DigestOf(const std::string& cpro_account) const {
  Digest d{};
  crypto_generichash(d.data(), d.size(), reinterpret_cast<const unsigned char*>(cpro_account.data()),
                     cpro_account.size(), key_.data(), key_.size());
  return d;
}

std::optional<int64_t> CredentialCache::Find(const std::string& cpro_account, int64_t now) {
  Digest d = DigestOf(cpro_account);
  std::lock_guard lock(mu_);
  auto it = entries_.find(d);
  if (it == entries_.end()) return std::nullopt;
  if (it->second.expires_at <= now) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.user_id;
}

void CredentialCache::Remember(const std::string& cpro_account, int64_t user_id, int64_t now) {
  Digest d = DigestOf(cpro_account);
  std::lock_guard lock(mu_);
  if (entries_.size() > 100000) entries_.clear();  // bound memory; it is only a cache
  entries_[d] = Entry{user_id, now + lifetime_};
}

void CredentialCache::Forget(int64_t user_id) {
  std::lock_guard lock(mu_);
  for (auto it = entries_.begin(); it != entries_.end();)
    it = it->second.user_id == user_id ? entries_.erase(it) : std::next(it);
}

}  // namespace sandbox
