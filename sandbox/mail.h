// `chorus-sandbox mail`: prints the outbox of a data directory.
#pragma once

#include <string>

namespace sandbox {

// Returns the process exit code.
int PrintMails(const std::string& data_dir, const std::string& to, bool last_only, bool json);

}  // namespace sandbox
