#include "portal_steps.h"

namespace chorus::cli {

std::string PortalSteps(PortalStep step) {
  switch (step) {
    case PortalStep::kSignup:
      return R"(Create the account on the portal (https://portail.chorus-pro.gouv.fr):
  1. "Vous êtes nouveau sur Chorus Pro ?": enter the connection e-mail and the SIRET
     of the centre de gestion.
  2. If the structure is not on the portal yet (2a): fill in its mandatory fields, tick
     "Déposer des demandes de paiement" and open only the space "Sollicitations émises".
     You become its main manager (gestionnaire principal).
  3. If the structure exists (2b): the account is created with an attachment request;
     the screen names the structure's main manager, who must validate it.
  4. Validate ("Créer mon compte"); an activation e-mail follows.)";
    case PortalStep::kActivate:
      return R"(Activate the account from the e-mail sent by choruspro.notification.aife@finances.gouv.fr:
  1. Open the link within 60 minutes (it works once).
  2. Choose a password (and a secret question and answer).)";
    case PortalStep::kStructureEdit:
      return R"(Edit the structure on the portal (needs the "Organisation modification" profile):
  1. Domain "Organisation" → "Structures" → "Gérer une structure" → "Modifier une structure".
  2. Tick "La structure est un centre de gestion agricole" (a centre de gestion has no
     "Demande de remboursement TIC" space).
  3. Spaces: Activités du gestionnaire → Mes structures (pencil) → "Ajouter des espaces";
     a centre de gestion opens only "Sollicitations émises".)";
    case PortalStep::kAttachRequest:
      return R"(Request the attachments on the portal, one per farm SIRET:
  1. Search the farm's structure by its SIRET.
  2. "Demander le rattachement à la structure".
  3. The farm structure's main manager validates it; the farm must have opened the
     space "Demande de remboursement TIC" for you to file TIC refund requests.)";
    case PortalStep::kAttachDecide:
      return R"(Decide attachment requests on the portal, as a manager of the structure:
  1. "Activités du gestionnaire" → block "Les demandes de rattachement à une structure".
  2. Validate or refuse, one by one or in bulk; the requester gets an e-mail.)";
    case PortalStep::kListPending:
      return R"(See pending requests on the portal:
  - as a manager: "Activités du gestionnaire" → "Les demandes de rattachement à une structure";
  - as a user: "Mon compte" → "Mes rattachements aux structures".)";
  }
  return "";
}

}  // namespace chorus::cli
