#include "chorus/siret.h"

#include <string>

#include "chorus/i18n.h"
#include "chorus/text.h"

namespace chorus {
namespace {

constexpr std::string_view kLaPosteSiren = "356000000";

// Length of a separator allowed between digits at the start of text, 0 if none:
// space, dot, tab, U+00A0 (no-break space), U+202F (narrow no-break space).
size_t SeparatorLength(std::string_view text) {
  if (text.empty()) return 0;
  if (text[0] == ' ' || text[0] == '.' || text[0] == '\t') return 1;
  if (text.substr(0, 2) == "\xC2\xA0") return 2;
  if (text.substr(0, 3) == "\xE2\x80\xAF") return 3;
  return 0;
}

}  // namespace

bool LuhnValid(std::string_view digits) {
  int sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    twice = !twice;
  }
  return !digits.empty() && sum % 10 == 0;
}

StatusOr<Siret> Siret::Parse(std::string_view text) {
  // Surrounding whitespace is not the user's intent; separators inside are.
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  if (text.empty()) return Status(ErrorKind::kInvalidArgument, Msg("empty SIRET"));
  std::string digits;
  for (size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      ++i;
      continue;
    }
    if (size_t n = SeparatorLength(text.substr(i)); n > 0) {
      i += n;
      continue;
    }
    if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) >= 0x7f)
      return Status(ErrorKind::kInvalidArgument,
                    Msg("invalid character a non-printable or non-ASCII character in SIRET \"{}\"",
                        ReplaceInvalidUtf8(text)));
    return Status(ErrorKind::kInvalidArgument,
                  Msg("invalid character '{}' in SIRET \"{}\"", std::string(1, c), ReplaceInvalidUtf8(text)));
  }
  if (digits.size() != 14) {
    if (digits.size() == 9)
      return Status(ErrorKind::kInvalidArgument,
                    Msg("a SIRET has 14 digits, \"{}\" has {} (that looks like a SIREN)",
                        ReplaceInvalidUtf8(text), digits.size()));
    return Status(ErrorKind::kInvalidArgument,
                  Msg("a SIRET has 14 digits, \"{}\" has {}", ReplaceInvalidUtf8(text), digits.size()));
  }
  if (digits.substr(0, 9) == kLaPosteSiren) {
    // La Poste's establishments outgrew the Luhn key: their digits sum to a
    // multiple of 5 instead (its head office, 356 000 000 00048, passes Luhn).
    int sum = 0;
    for (char c : digits) sum += c - '0';
    if (sum % 5 != 0 && !LuhnValid(digits))
      return Status(ErrorKind::kInvalidArgument,
                    Msg("SIRET {} fails the La Poste check (digit sum not a multiple of 5)", digits));
  } else if (!LuhnValid(std::string_view(digits).substr(0, 9))) {
    // The SIREN carries its own key: a SIRET can pass the 14-digit check with
    // two compensating errors in its first 9 digits.
    return Status(ErrorKind::kInvalidArgument,
                  Msg("SIRET {}: its SIREN {} fails the Luhn check (a digit of the first 9 is wrong)", digits,
                      digits.substr(0, 9)));
  } else if (!LuhnValid(digits)) {
    return Status(ErrorKind::kInvalidArgument,
                  Msg("SIRET {} fails the Luhn check (a digit is wrong)", digits));
  }
  return Siret(std::move(digits));
}

std::string Siret::Grouped() const {
  return digits_.substr(0, 3) + " " + digits_.substr(3, 3) + " " + digits_.substr(6, 3) + " " +
         digits_.substr(9);
}

std::uint64_t Siret::Key() const { return std::stoull(digits_); }

}  // namespace chorus
