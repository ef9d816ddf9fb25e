// Small ASCII string helpers shared by the library, the CLI and the sandbox.
// ASCII only on purpose: identifiers, header names and wire codes are ASCII,
// and locale-dependent case mapping would make them differ between machines.
#pragma once

#include <string>
#include <string_view>

namespace chorus {

// Without leading and trailing spaces, tabs, CR and LF.
std::string_view TrimView(std::string_view s);
inline std::string Trim(std::string_view s) { return std::string(TrimView(s)); }

// ASCII letters mapped to lower or upper case; other bytes unchanged.
std::string Lower(std::string_view s);
std::string Upper(std::string_view s);

bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);

}  // namespace chorus
