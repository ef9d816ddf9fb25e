// PISTE OAuth access tokens: persisted, so that a restart keeps them valid,
// and kept in memory, since every /cpro call checks one.
#include "db.h"
#include "portal.h"

namespace sandbox {

namespace {
constexpr int64_t kKeepExpiredMs = 86'400'000;  // expired tokens are forgotten a day later
}  // namespace

std::string Portal::IssueAccessToken(const std::string& client_id, int64_t ttl) {
  std::string token = RandomHex(24);
  int64_t now_ms = clock_.NowMillis();
  int64_t expires_ms = now_ms + ttl * 1000;
  {
    std::lock_guard lock(mu_);
    db_->Query("DELETE FROM access_tokens WHERE expires_at < ?", now_ms - kKeepExpiredMs)->Run();
    db_->Query("INSERT INTO access_tokens(token, client_id, expires_at) VALUES(?,?,?)", token,
               client_id, expires_ms)
        ->Run();
  }
  std::unique_lock lock(tokens_mu_);
  std::erase_if(tokens_, [&](const auto& t) { return t.second.expires_ms < now_ms - kKeepExpiredMs; });
  tokens_[token] = IssuedToken{client_id, expires_ms};
  return token;
}

Portal::TokenState Portal::CheckAccessToken(const std::string& token, std::string* client_id) {
  auto state = [&](const IssuedToken& t) {
    *client_id = t.client_id;
    return t.expires_ms <= clock_.NowMillis() ? TokenState::kExpired : TokenState::kValid;
  };
  {
    std::shared_lock lock(tokens_mu_);
    if (auto it = tokens_.find(token); it != tokens_.end()) return state(it->second);
  }
  // Issued before a restart, or not a token at all.
  IssuedToken issued;
  {
    auto read = Read();
    auto q = db_->Query("SELECT client_id, expires_at FROM access_tokens WHERE token = ?", token);
    if (!q->Step()) return TokenState::kUnknown;
    issued = IssuedToken{q->Text(0), q->Int(1)};
  }
  std::unique_lock lock(tokens_mu_);
  tokens_.emplace(token, issued);
  return state(issued);
}

}  // namespace sandbox
