#include "routes.h"

#include <httplib.h>

#include "portal.h"
#include "request.h"

namespace sandbox {

std::vector<Route> PortalRoutes(Portal& portal) {
  // Operations of an authenticated account: (me, body) -> answer.
  auto account = [&portal](auto method) {
    return [&portal, method](Call& c, const Json& body) -> Reply {
      return {(portal.*method)(c.user, body)};
    };
  };
  auto active_structures = [&portal](const char* space) {
    return [&portal, space](Call& c, const Json&) { return Reply{portal.ActiveStructures(c.user, space)}; };
  };
  // Reads of stored data only (not monCompte/consulter nor the activation
  // link, whose answers depend on the clock) are memoised (answer_memo.h).
  constexpr Memo kMemo = Memo::kPerCaller, kShared = Memo::kShared;
  return {
      {"GET", "/activation", Access::kPublic,
       [&portal](Call& c, const Json&) {
         return Reply{portal.ActivationLinkInfo(c.req.get_param_value("jeton"))};
       }},
      {"GET", "/cpro/transverses/v1/health-check", Access::kAccount,
       [](Call&, const Json&) {
         return Reply{{{"body", "OK"}, {"statusCode", "OK"}, {"statusCodeValue", 200}}};
       }},
      {"POST", "/cpro/transverses/v1/recuperer/typeidentifiant/structure", Access::kAccount,
       [](Call&, const Json&) {
         Json list = Json::array();
         for (const auto& t : IdentifierTypes()) list.push_back({{"typeIdentifiantStructure", t}});
         return Reply{{{"listeTypeIdentifiant", list}}};
       }, kShared},
      // The structures where I may use a space: factures émises, reçues, de travaux.
      {"POST", "/cpro/transverses/v1/recuperer/structures/actives/fournisseur", Access::kAccount,
       active_structures("FACTURES_EMISES"), kMemo},
      {"POST", "/cpro/transverses/v1/recuperer/structures/actives/destinataire", Access::kAccount,
       active_structures("FACTURES_RECUES"), kMemo},
      {"POST", "/cpro/transverses/v1/recuperer/structures/actives/facturetravaux", Access::kAccount,
       active_structures("FACTURES_TRAVAUX"), kMemo},
      {"POST", "/cpro/transverses/v1/consulter/information/siret", Access::kAccount,
       account(&Portal::SiretInformation), kShared},
      {"POST", "/cpro/structures/v1/rechercher", Access::kAccount, account(&Portal::SearchStructures), kMemo},
      {"POST", "/cpro/structures/v1/consulter", Access::kAccount, account(&Portal::ConsultStructure), kShared},
      {"POST", "/cpro/structures/v1/rechercher/services", Access::kAccount, account(&Portal::SearchServices), kMemo},
      {"POST", "/cpro/structures/v1/consulter/service", Access::kAccount, account(&Portal::ConsultService), kMemo},
      {"POST", "/cpro/structures/v1/modifier", Access::kAccount, account(&Portal::ModifyStructure)},
      {"POST", "/cpro/structures/v1/ajouter/espace", Access::kAccount,
       [&portal](Call& c, const Json& b) { return Reply{portal.ChangeSpace(c.user, b, true)}; }},
      {"POST", "/cpro/structures/v1/supprimer/espace", Access::kAccount,
       [&portal](Call& c, const Json& b) { return Reply{portal.ChangeSpace(c.user, b, false)}; }},
      {"POST", "/cpro/structures/v1/lister/rattachementsutilisateur", Access::kAccount,
       account(&Portal::ListUserAttachments), kMemo},
      {"POST", "/cpro/structures/v1/rechercher/demandesRattachement/enAttente", Access::kAccount,
       account(&Portal::PendingRequestsForManager), kMemo},
      {"POST", "/cpro/structures/v1/valider/rattachement", Access::kAccount,
       [&portal](Call& c, const Json& b) { return Reply{portal.DecideRequest(c.user, b, true)}; }},
      {"POST", "/cpro/structures/v1/refuser/rattachement", Access::kAccount,
       [&portal](Call& c, const Json& b) { return Reply{portal.DecideRequest(c.user, b, false)}; }},
      {"POST", "/cpro/utilisateurs/v1/creer/compte", Access::kToken,
       [&portal](Call&, const Json& b) { return Reply{portal.SignUp(b)}; }},
      {"POST", "/cpro/utilisateurs/v1/activer/compte", Access::kToken,
       [&portal](Call&, const Json& b) { return Reply{portal.Activate(b)}; }},
      {"POST", "/cpro/utilisateurs/v1/monCompte/consulter", Access::kAccount,
       [&portal](Call& c, const Json&) { return Reply{portal.MyAccount(c.user)}; }},
      {"POST", "/cpro/utilisateurs/v1/monCompte/recuperer/rattachements", Access::kAccount,
       account(&Portal::MyAttachments), kMemo},
      {"POST", "/cpro/utilisateurs/v1/monCompte/demander/rattachement", Access::kAccount,
       account(&Portal::RequestAttachment)},
      {"POST", "/cpro/utilisateurs/v1/monCompte/recuperer/demandesRattachement", Access::kAccount,
       account(&Portal::MyRequests), kMemo},
  };
}

}  // namespace sandbox
