// What to do by hand on the Chorus Pro portal for the steps the public API
// does not offer (reference §3). Printed, with exit code 6, when a
// portal-only command runs against a PISTE profile.
#pragma once

#include <string>

namespace chorus::cli {

enum class PortalStep {
  kSignup,
  kActivate,
  kStructureEdit,
  kAttachRequest,
  kAttachDecide,
  kListPending,
};

std::string PortalSteps(PortalStep step);

}  // namespace chorus::cli
