// SIRET (establishment) and SIREN (company) identifiers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "chorus/status.h"

namespace chorus {

// The Luhn checksum over a string of ASCII digits.
bool LuhnValid(std::string_view digits);

// A syntactically valid SIRET: 14 digits whose SIREN (the first 9) and whole
// 14 digits both pass the Luhn check or, for La Poste establishments (SIREN
// 356000000), whose 14 digits sum to a multiple of 5.
class Siret {
 public:
  // Accepts the digits written with spaces, dots, non-breaking or thin spaces
  // between them ("732 829 320 00074", "732.829.320.00074"). Errors are
  // kInvalidArgument with a message saying what is wrong.
  static StatusOr<Siret> Parse(std::string_view text);

  const std::string& digits() const { return digits_; }
  std::string_view siren() const { return std::string_view(digits_).substr(0, 9); }
  std::string_view nic() const { return std::string_view(digits_).substr(9); }
  // "732 829 320 00074"
  std::string Grouped() const;
  // A compact key for sets of SIRETs (the 14 digits as an integer).
  std::uint64_t Key() const;

  friend bool operator==(const Siret& a, const Siret& b) { return a.digits_ == b.digits_; }
  friend auto operator<=>(const Siret& a, const Siret& b) { return a.digits_ <=> b.digits_; }

 private:
  explicit Siret(std::string digits) : digits_(std::move(digits)) {}
  std::string digits_;
};

}  // namespace chorus
