// The mails the portal sends, written to its outbox (table mails), where
// `chorus-sandbox mail` and GET /_sandbox/mail read them.
#pragma once

#include <cstdint>
#include <string>

namespace sandbox {

class Db;
struct StructureRow;

// To a new account: its activation link, valid until `expires`.
void SendActivationMail(Db& db, int64_t now, const std::string& login, const std::string& prenom,
                        const std::string& nom, const std::string& token, const std::string& link,
                        int64_t expires);
// To every manager of `structure`: `requester` asks to be attached.
void NotifyManagers(Db& db, int64_t now, int64_t structure, int64_t request_id,
                    const std::string& requester);
// To the requester: the decision on its request, with the manager's comment.
void SendDecisionMail(Db& db, int64_t now, const std::string& login, const std::string& who,
                      int64_t request_id, const StructureRow& structure, bool approved,
                      const std::string& comment);

}  // namespace sandbox
