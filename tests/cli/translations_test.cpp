// chorus speaks French when the locale selects it (issue 15): through the
// catalogue built from po/fr.po in the build tree, with no installation.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "cli_support.h"

using chorus::testing::ChorusRunner;

TEST_CASE("French messages when the locale says French; English otherwise; the exit code never changes") {
  ChorusRunner chorus;
  struct Case {
    std::vector<std::string> env;
    bool french;
  };
  // fr_FR.UTF-8 need not be installed: chorus falls back to LANGUAGE.
  const std::vector<Case> cases = {
      {{"LC_ALL=C.UTF-8"}, false},
      {{"LC_ALL=", "LANG=fr_FR.UTF-8"}, true},
      {{"LC_ALL=fr_FR.UTF-8"}, true},
      {{"LC_ALL=", "LANG=C.UTF-8", "LANGUAGE=fr"}, true},
      {{"LC_ALL=", "LANG=en_GB.UTF-8"}, false},
  };
  for (const auto& c : cases) {
    CAPTURE(c.env.back());
    auto r = chorus.Run({"atach"}, "", c.env);
    INFO(r.err);
    CHECK(r.exit_code == 2);
    if (c.french) {
      CHECK(r.err.find("erreur : commande inconnue « atach » pour « chorus »") != std::string::npos);
      CHECK(r.err.find("Vouliez-vous dire « chorus attach » ?") != std::string::npos);
    } else {
      CHECK(r.err.find("error: unknown command \"atach\" for \"chorus\"") != std::string::npos);
      CHECK(r.err.find("Did you mean \"chorus attach\"?") != std::string::npos);
    }
  }
}
