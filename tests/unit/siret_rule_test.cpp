// The SIRET rule checked against fixed data, independently of the code: every
// expectation below was written down by hand or taken from a public page, not
// computed with chorus::LuhnValid. The rule (INSEE): the SIREN (first 9 digits)
// and the whole 14 digits each pass the Luhn check; La Poste's establishments
// (SIREN 356 000 000) instead have 14 digits summing to a multiple of 5.
#include <doctest/doctest.h>

#include <string>

#include "chorus/siret.h"

using chorus::Siret;

namespace {

struct Case {
  const char* siret;
  bool valid;
  const char* why;
};

// Real SIRETs, each with where it is published.
constexpr Case kPublished[] = {
    // French Wikipedia, "Système d'identification du répertoire des établissements":
    // the article's example, the 7th establishment of SIREN 732 829 320.
    {"73282932000074", true, "Wikipedia's example"},
    // Same article: La Poste's head office, the one La Poste SIRET that passes Luhn
    // (its digits sum to 26, not a multiple of 5).
    {"35600000000048", true, "La Poste head office"},
    // service-public.fr, legal notice (https://www.service-public.fr/P10025): the DILA,
    // SIRET 130 009 186 00011.
    {"13000918600011", true, "DILA"},
    // my-business-plans.com, legal notice (https://www.my-business-plans.com/legal-notice/):
    // its owner SIDDIL, SIRET 82460382300025.
    {"82460382300025", true, "SIDDIL"},
};

// Made by hand from the published ones; the comment says what was changed.
constexpr Case kHandMade[] = {
    // SIRET Luhn-valid, SIREN not: the 9th digit of 732 829 320 00074 changed to 1 and
    // the last digit moved to compensate; 732829321 fails Luhn on its own.
    {"73282932100072", false, "SIREN 732829321 fails Luhn"},
    {"13000918000014", false, "SIREN 130009180 fails Luhn"},
    {"82460382500020", false, "SIREN 824603825 fails Luhn"},
    // The example of issue 12: 752 348 901 00014 passes Luhn over 14 digits only.
    {"75234890100014", false, "SIREN 752348901 fails Luhn"},
    // SIREN Luhn-valid, SIRET not: one digit of the NIC off.
    {"73282932000075", false, "last digit +1"},
    {"13000918600012", false, "last digit +1"},
    {"82460382300035", false, "NIC digit +1"},
    // Outside La Poste, a digit sum that is a multiple of 5 (7+3+2+8+2+9+3+2+7+2 = 45)
    // is no excuse for failing Luhn.
    {"73282932000072", false, "digit-sum rule outside La Poste"},
    // La Poste establishments: 3+5+6+4+9+8+3+7 = 45, a multiple of 5 (and not Luhn-valid).
    {"35600000049837", true, "La Poste, digit sum 45"},
    // 3+5+6+1+2+3+4+5 = 29: neither a multiple of 5 nor Luhn-valid.
    {"35600000012345", false, "La Poste, digit sum 29"},
    // 46: one off.
    {"35600000049838", false, "La Poste, digit sum 46"},
};

void Check(const Case& c) {
  CAPTURE(c.siret);
  CAPTURE(c.why);
  auto parsed = Siret::Parse(c.siret);
  CHECK(parsed.ok() == c.valid);
  if (parsed.ok()) CHECK(parsed->digits() == c.siret);
}

}  // namespace

TEST_CASE("published SIRETs are valid") {
  for (const Case& c : kPublished) Check(c);
}

TEST_CASE("hand-made SIRETs: SIREN and SIRET keys each count, La Poste by digit sum") {
  for (const Case& c : kHandMade) Check(c);
}

TEST_CASE("a failing SIREN is named as such") {
  auto parsed = Siret::Parse("752 348 901 00014");
  REQUIRE_FALSE(parsed.ok());
  CHECK(parsed.status().message().find("SIREN 752348901") != std::string::npos);
}
