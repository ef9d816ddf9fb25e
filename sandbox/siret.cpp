#include "siret.h"

#include <fmt/format.h>

namespace sandbox {

namespace {
int LuhnSum(const std::string& digits) {
  int sum = 0;
  bool double_it = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) {
    int d = *it - '0';
    if (double_it) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double_it = !double_it;
  }
  return sum;
}

// The digit that makes `prefix + digit` Luhn-valid.
char LuhnCheckDigit(const std::string& prefix) {
  for (char c = '0'; c <= '9'; ++c)
    if (LuhnSum(prefix + c) % 10 == 0) return c;
  return '0';
}
}  // namespace

bool IsValidSiret(const std::string& siret) {
  if (siret.size() != 14) return false;
  for (char c : siret)
    if (c < '0' || c > '9') return false;
  if (siret.compare(0, 9, "356000000") == 0) {
    int sum = 0;
    for (char c : siret) sum += c - '0';
    return sum % 5 == 0;
  }
  return LuhnSum(siret) % 10 == 0;
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
