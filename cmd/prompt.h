// Questions on the terminal, for the fields a command line left out.
#pragma once

#include <optional>
#include <string>

#include "chorus/cancel.h"

namespace chorus::cli {

// Asks on stderr, reads a line from stdin; nullopt at end of input, or as
// soon as `cancel` asks to stop (Ctrl-C wakes a waiting prompt).
std::optional<std::string> Ask(const std::string& question, const CancelToken& cancel = {});
// The same without echo (passwords, secret answers).
std::optional<std::string> AskHidden(const std::string& question, const CancelToken& cancel = {});

}  // namespace chorus::cli
