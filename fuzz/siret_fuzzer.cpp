// Siret::Parse and LuhnValid on arbitrary text. Properties: a parsed SIRET has
// 14 ASCII digits, its SIREN passes Luhn (La Poste's aside), its grouped form
// parses back to the same value, and Key() is the number the digits spell.
#include <cstddef>
#include <cstdint>
#include <string>

#include "chorus/siret.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)chorus::LuhnValid(text);
  auto parsed = chorus::Siret::Parse(text);
  if (!parsed.ok()) {
    FUZZ_CHECK(!parsed.status().message().empty(), text);
    return 0;
  }
  const chorus::Siret& siret = *parsed;
  const std::string& digits = siret.digits();
  FUZZ_CHECK(digits.size() == 14, digits);
  for (char c : digits) FUZZ_CHECK(c >= '0' && c <= '9', digits);
  FUZZ_CHECK(siret.siren().size() == 9 && siret.nic().size() == 5, digits);
  FUZZ_CHECK(siret.siren() == "356000000" || chorus::LuhnValid(siret.siren()), digits);
  auto again = chorus::Siret::Parse(siret.Grouped());
  FUZZ_CHECK(again.ok() && *again == siret, siret.Grouped());
  FUZZ_CHECK(siret.Key() == std::stoull(digits), digits);
  return 0;
}
