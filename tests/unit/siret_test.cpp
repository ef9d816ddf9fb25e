#include "chorus/siret.h"

#include <doctest/doctest.h>

using chorus::Siret;

TEST_CASE("valid SIRETs parse") {
  for (const char* s : {"73282932000074", "35600000049837", "35600000000048"}) {
    CAPTURE(s);
    auto parsed = Siret::Parse(s);
    REQUIRE(parsed.ok());
    CHECK(parsed->digits() == s);
  }
}

TEST_CASE("one digit off is invalid") {
  // Last digit +1 and a middle digit +1 for each of the three valid SIRETs.
  for (const char* s : {"73282932000075", "73282942000074", "35600000049838", "35600000049937",
                        "35600000000049", "35600000000148"}) {
    CAPTURE(s);
    auto parsed = Siret::Parse(s);
    CHECK_FALSE(parsed.ok());
    CHECK(parsed.status().kind() == chorus::ErrorKind::kInvalidArgument);
  }
}

TEST_CASE("the La Poste rule is a digit sum, not Luhn") {
  CHECK_FALSE(chorus::LuhnValid("35600000049837"));
  CHECK(chorus::LuhnValid("35600000000048"));
  CHECK(chorus::LuhnValid("73282932000074"));
  // Luhn-valid would not be enough outside La Poste, and the sum rule alone
  // is not accepted for other SIRENs.
  CHECK_FALSE(Siret::Parse("73282932000065").ok());  // Luhn fails, no La Poste exception
}

TEST_CASE("separators: spaces, dots, no-break spaces") {
  for (const char* s : {"732 829 320 00074", "732.829.320.00074", " 73282932000074 ",
                        "732\xC2\xA0" "829\xC2\xA0" "320\xC2\xA0" "00074", "732\xE2\x80\xAF" "82932000074"}) {
    CAPTURE(s);
    auto parsed = Siret::Parse(s);
    REQUIRE(parsed.ok());
    CHECK(parsed->digits() == "73282932000074");
  }
}

TEST_CASE("errors say what is wrong") {
  CHECK(Siret::Parse("").status().message() == "empty SIRET");
  CHECK(Siret::Parse("732829320").status().message().find("looks like a SIREN") !=
        std::string::npos);
  CHECK(Siret::Parse("7328293200007").status().message().find("has 13") != std::string::npos);
  CHECK(Siret::Parse("73282932000O74").status().message().find("'O'") != std::string::npos);
  CHECK(Siret::Parse("73282932000075").status().message().find("Luhn") != std::string::npos);
  CHECK(Siret::Parse("35600000049838").status().message().find("La Poste") != std::string::npos);
}

TEST_CASE("accessors") {
  auto s = Siret::Parse("73282932000074");
  REQUIRE(s.ok());
  CHECK(s->siren() == "732829320");
  CHECK(s->nic() == "00074");
  CHECK(s->Grouped() == "732 829 320 00074");
  CHECK(s->Key() == 73282932000074ULL);
}
