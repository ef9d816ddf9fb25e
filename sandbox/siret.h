// SIRET checks (Luhn over the SIREN and the 14 digits, with La Poste's exception) and the
// deterministic generator used by the demo seed.
#pragma once

#include <cstdint>
#include <string>

namespace sandbox {

// 14 digits, the SIREN and the SIRET Luhn-valid, or for La Poste (SIREN
// 356000000) digit sum % 5 == 0 (its Luhn-valid head office included):
// chorus::Siret::Parse decides; tests/unit/siret_rule_test.cpp checks that
// rule against published SIRETs, independently of the code.
bool IsValidSiret(const std::string& siret);
// The n-th demo SIRET: Luhn-valid SIREN and SIRET, distinct for distinct n.
std::string DemoSiret(uint32_t n);

}  // namespace sandbox
