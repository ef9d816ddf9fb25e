// chorus-sandbox(1): the hand-written parts of the page (exit status, files,
// examples). Commands and options come from the CLI11 tree by clidoc.
#pragma once

#include <string>

#include "clidoc/man_page.h"

namespace sandbox {

chorus::clidoc::ManInfo ManualInfo(const std::string& version);

}  // namespace sandbox
