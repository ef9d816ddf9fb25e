// Questions on the terminal, for the fields a command line left out.
#pragma once

#include <optional>
#include <string>

namespace chorus::cli {

// Asks on stderr, reads a line from stdin; nullopt at end of input.
std::optional<std::string> Ask(const std::string& question);
// The same without echo (passwords, secret answers).
std::optional<std::string> AskHidden(const std::string& question);

}  // namespace chorus::cli
