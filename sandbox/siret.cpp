#include "siret.h"

#include <fmt/format.h>

#include "chorus/siret.h"

namespace sandbox {

namespace {
// The digit that makes `prefix + digit` Luhn-valid.
char LuhnCheckDigit(const std::string& prefix) {
  for (char c = '0'; c <= '9'; ++c)
    if (chorus::LuhnValid(prefix + c)) return c;
  return '0';
}
}  // namespace

// The portal and chorus apply one rule: chorus's own.
bool IsValidSiret(const std::string& siret) {
  return siret.size() == 14 && siret.find_first_not_of("0123456789") == std::string::npos &&
         chorus::Siret::Parse(siret).ok();
}

std::string DemoSiret(uint32_t n) {
  // Spread SIRENs over 7xx xxx xx(x): a multiplier coprime with 10^7 keeps them distinct.
  uint64_t body = 70000000ULL + (static_cast<uint64_t>(n) * 7919ULL) % 10000000ULL;
  std::string siren = fmt::format("{:08}", body);
  siren += LuhnCheckDigit(siren);
  std::string siret = siren + "0001";
  return siret + LuhnCheckDigit(siret);
}

}  // namespace sandbox
