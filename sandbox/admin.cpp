// The admin views of /_sandbox: the outbox and the requests created through
// the API.
#include <nlohmann/json.hpp>

#include "chorus/text.h"
#include "db.h"
#include "portal.h"
#include "timestamps.h"

namespace sandbox {

using chorus::Lower;

Json Portal::Mails(const std::string& to) {
  auto read = Read();
  auto q = to.empty()
               ? db_->Query("SELECT id, recipient, subject, body, kind, token, link, created_at "
                            "FROM mails ORDER BY id")
               : db_->Query("SELECT id, recipient, subject, body, kind, token, link, created_at "
                            "FROM mails WHERE recipient = ? ORDER BY id",
                            Lower(to));
  Json list = Json::array();
  while (q->Step()) {
    Json m{{"id", q->Int(0)},     {"to", q->Text(1)},   {"subject", q->Text(2)},
           {"body", q->Text(3)},  {"type", q->Text(4)}, {"date", IsoTime(q->Int(7))}};
    if (!q->Text(5).empty()) m["jetonActivation"] = q->Text(5);
    if (!q->Text(6).empty()) m["lienActivation"] = q->Text(6);
    list.push_back(std::move(m));
  }
  return list;
}

Json Portal::RequestsCreated() {
  auto read = Read();
  auto q = db_->Query("SELECT u.login, s.identifiant, COUNT(*) FROM attachments a JOIN users u ON "
                      "u.id = a.user_id JOIN structures s ON s.id = a.structure_id WHERE "
                      "a.via_request = 1 AND a.id NOT IN (SELECT request_id FROM demo_requests) "
                      "GROUP BY a.user_id, a.structure_id ORDER BY u.login, s.identifiant");
  Json list = Json::array();
  while (q->Step())
    list.push_back(
        Json{{"login", q->Text(0)}, {"identifiantStructure", q->Text(1)}, {"count", q->Int(2)}});
  return list;
}

}  // namespace sandbox
