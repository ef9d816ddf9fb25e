// CLI11's refusal of a command line, in words for people.
#pragma once

#include <string_view>

#include "chorus/status.h"

namespace chorus::clidoc {

// CLI11's message (ParseError::what()) reworded: in plain English (for the
// JSON error, the same in every locale) and in the user's language (for
// stderr). The usual shapes (a value not among the choices, out of range or
// not a number, a missing value, an option given too often, an unexpected
// argument) are rewritten; "--flag: text" keeps the flag and translates the
// text when the catalogue has it (the programs' own validators return English
// text marked with Msg); anything else stays as CLI11 wrote it.
Message DescribeParseError(std::string_view what);

}  // namespace chorus::clidoc
