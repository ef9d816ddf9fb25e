#include "portal_steps.h"

#include "tr.h"

namespace chorus::cli {

// The steps in the user's language: the portal's own words (its buttons,
// menus and spaces) stay as the portal writes them, in French.
std::string PortalSteps(PortalStep step) {
  switch (step) {
    case PortalStep::kSignup:
      return Tr("Create the account on the portal (https://portail.chorus-pro.gouv.fr):\n"
                "  1. \"Vous êtes nouveau sur Chorus Pro ?\": enter the connection e-mail and the SIRET\n"
                "     of the centre de gestion.\n"
                "  2. If the structure is not on the portal yet (2a): fill in its mandatory fields, tick\n"
                "     \"Déposer des demandes de paiement\" and open only the space \"Sollicitations émises\".\n"
                "     You become its main manager (gestionnaire principal).\n"
                "  3. If the structure exists (2b): the account is created with an attachment request;\n"
                "     the screen names the structure's main manager, who must validate it.\n"
                "  4. Validate (\"Créer mon compte\"); an activation e-mail follows.");
    case PortalStep::kActivate:
      return Tr("Activate the account from the e-mail sent by choruspro.notification.aife@finances.gouv.fr:\n"
                "  1. Open the link within 60 minutes (it works once).\n"
                "  2. Choose a password (and a secret question and answer).");
    case PortalStep::kStructureEdit:
      return Tr("Edit the structure on the portal (needs the \"Organisation modification\" profile):\n"
                "  1. Domain \"Organisation\" → \"Structures\" → \"Gérer une structure\" → \"Modifier une structure\".\n"
                "  2. Tick \"La structure est un centre de gestion agricole\" (a centre de gestion has no\n"
                "     \"Demande de remboursement TIC\" space).\n"
                "  3. Spaces: Activités du gestionnaire → Mes structures (pencil) → \"Ajouter des espaces\";\n"
                "     a centre de gestion opens only \"Sollicitations émises\".");
    case PortalStep::kAttachRequest:
      return Tr("Request the attachments on the portal, one per farm SIRET:\n"
                "  1. Search the farm's structure by its SIRET.\n"
                "  2. \"Demander le rattachement à la structure\".\n"
                "  3. The farm structure's main manager validates it; the farm must have opened the\n"
                "     space \"Demande de remboursement TIC\" for you to file TIC refund requests.");
    case PortalStep::kAttachDecide:
      return Tr("Decide attachment requests on the portal, as a manager of the structure:\n"
                "  1. \"Activités du gestionnaire\" → block \"Les demandes de rattachement à une structure\".\n"
                "  2. Validate or refuse, one by one or in bulk; the requester gets an e-mail.");
    case PortalStep::kListPending:
      return Tr("See pending requests on the portal:\n"
                "  - as a manager: \"Activités du gestionnaire\" → \"Les demandes de rattachement à une structure\";\n"
                "  - as a user: \"Mon compte\" → \"Mes rattachements aux structures\".");
  }
  return "";
}

}  // namespace chorus::cli
