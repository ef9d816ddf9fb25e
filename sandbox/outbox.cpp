#include "outbox.h"

#include <fmt/format.h>

#include <vector>

#include "db.h"
#include "directory.h"
#include "timestamps.h"

namespace sandbox {

namespace {
void SendMail(Db& db, int64_t now, const std::string& to, const std::string& subject,
              const std::string& body, const std::string& kind, const std::string& token = "",
              const std::string& link = "") {
  db.Query("INSERT INTO mails(recipient, subject, body, kind, token, link, created_at) "
           "VALUES(?,?,?,?,?,?,?)",
           to, subject, body, kind, token, link, now)
      ->Run();
}
}  // namespace

void SendActivationMail(Db& db, int64_t now, const std::string& login, const std::string& prenom,
                        const std::string& nom, const std::string& token, const std::string& link,
                        int64_t expires) {
  SendMail(db, now, login, "Chorus Pro : activez votre compte",
           fmt::format("Bonjour {} {},\n\n"
                       "Votre compte Chorus Pro {} a été créé. Pour l'activer, ouvrez ce lien "
                       "avant le {} (60 minutes) :\n{}\n\n"
                       "Jeton d'activation : {}\n\n"
                       "Vous choisirez votre mot de passe et votre question secrète.\n",
                       prenom, nom, login, IsoTime(expires), link, token),
           "ACTIVATION", token, link);
}

void NotifyManagers(Db& db, int64_t now, int64_t structure, int64_t request_id,
                    const std::string& requester) {
  StructureRow s = LoadStructure(db, structure);
  std::vector<std::string> managers;
  {
    auto q = db.Query(fmt::format("SELECT u.login FROM attachments a JOIN users u ON u.id = "
                                  "a.user_id WHERE a.structure_id = ? AND a.status = 'ACTIF' "
                                  "AND a.role IN {} ORDER BY a.id",
                                  kManagerRoles),
                      structure);
    while (q->Step()) managers.push_back(q->Text(0));
  }
  for (const auto& m : managers)
    SendMail(db, now, m,
             fmt::format("Chorus Pro : demande de rattachement à {}", s.raison_sociale),
             fmt::format("Bonjour,\n\n{} demande à être rattaché(e) à la structure {} ({} {}).\n"
                         "Demande n° {}. Validez-la ou refusez-la depuis vos activités de "
                         "gestionnaire.\n",
                         requester, s.raison_sociale, s.type, s.identifiant, request_id),
             "DEMANDE_RATTACHEMENT");
}

void SendDecisionMail(Db& db, int64_t now, const std::string& login, const std::string& who,
                      int64_t request_id, const StructureRow& s, bool approved,
                      const std::string& comment) {
  SendMail(db, now, login,
           fmt::format("Chorus Pro : demande de rattachement {} à {}",
                       approved ? "validée" : "refusée", s.raison_sociale),
           fmt::format("Bonjour {},\n\nVotre demande de rattachement n° {} à la structure {} ({} "
                       "{}) a été {}.\n{}",
                       who, request_id, s.raison_sociale, s.type, s.identifiant,
                       approved ? "validée" : "refusée",
                       comment.empty() ? "" : "Commentaire du gestionnaire : " + comment + "\n"),
           approved ? "RATTACHEMENT_VALIDE" : "RATTACHEMENT_REFUSE");
}

}  // namespace sandbox
