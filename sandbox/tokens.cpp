// PISTE OAuth access tokens, persisted so that a restart keeps them valid.
#include "db.h"
#include "portal.h"

namespace sandbox {

std::string Portal::IssueAccessToken(const std::string& client_id, int64_t ttl) {
  std::string token = RandomHex(24);
  int64_t now_ms = clock_.NowMillis();
  std::lock_guard lock(mu_);
  db_->Query("DELETE FROM access_tokens WHERE expires_at < ?", now_ms - 86'400'000)->Run();
  db_->Query("INSERT INTO access_tokens(token, client_id, expires_at) VALUES(?,?,?)", token,
             client_id, now_ms + ttl * 1000)
      ->Run();
  return token;
}

Portal::TokenState Portal::CheckAccessToken(const std::string& token, std::string* client_id) {
  std::lock_guard lock(mu_);
  auto q = db_->Query("SELECT client_id, expires_at FROM access_tokens WHERE token = ?", token);
  if (!q->Step()) return TokenState::kUnknown;
  *client_id = q->Text(0);
  return q->Int(1) <= clock_.NowMillis() ? TokenState::kExpired : TokenState::kValid;
}

}  // namespace sandbox
