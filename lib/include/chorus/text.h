// Small string helpers shared by the library, the CLI and the sandbox.
// Case mapping is ASCII only on purpose: identifiers, header names and wire
// codes are ASCII, and locale-dependent case mapping would make them differ
// between machines. UTF-8 is checked here too: nlohmann/json throws on a
// string that is not UTF-8, so text from outside is checked before it reaches
// a JSON document.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
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

// The length (1-4) of the well-formed UTF-8 sequence at the start of s, with
// its code point in *cp; 0 when s is empty or starts with an ill-formed one
// (a stray continuation byte, an overlong form, a surrogate, past U+10FFFF,
// a truncated sequence).
std::size_t DecodeUtf8(std::string_view s, char32_t* cp);
// Appends the UTF-8 encoding of cp (a scalar value) to out.
void AppendUtf8(std::string& out, char32_t cp);
// The offset of the first byte of s that is not part of well-formed UTF-8,
// or std::string_view::npos when s is all UTF-8.
std::size_t FindInvalidUtf8(std::string_view s);
inline bool IsValidUtf8(std::string_view s) { return FindInvalidUtf8(s) == std::string_view::npos; }
// s with each byte that is not part of well-formed UTF-8 replaced by U+FFFD:
// for quoting untrusted text in a message.
std::string ReplaceInvalidUtf8(std::string_view s);

// An instant (epoch seconds) as ISO 8601 UTC, "2024-05-01T09:30:00Z": how
// machine output, the login memory and the sandbox write instants.
std::string IsoUtc(std::int64_t epoch_seconds);

// The instant an ISO 8601 text names: a date and time ("T" or a space
// between), seconds and fractions optional, "Z" or an offset (+01:00, +0100);
// a time without zone is read as UTC. nullopt for anything else.
std::optional<std::int64_t> ParseIsoTime(std::string_view text);

// An instant for people: in local time (TZ) and in the date format of the
// user's language, with the zone ("2024-05-01 11:30:00 CEST"; in French
// "01/05/2024 11:30:00 CEST"). Machine formats keep IsoUtc.
std::string HumanTime(std::int64_t epoch_seconds);

// A calendar date "2028-01-30" for people, in the date format of the user's
// language ("30/01/2028" in French); any other text as it is.
std::string HumanDate(std::string_view iso_date);

}  // namespace chorus
