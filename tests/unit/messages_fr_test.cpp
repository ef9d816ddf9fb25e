// The library's errors carry English for machine formats whatever the
// locale, and the user's language for people (issue 15). Uses the French
// catalogue of the build tree (build/locale, beside this test's directory).
#include <doctest/doctest.h>

#include <clocale>
#include <cstdlib>
#include <optional>
#include <string>

#include "chorus/i18n.h"
#include "chorus/profile.h"
#include "chorus/siret.h"

namespace {

// French messages for the life of the object; then as before (the other
// tests expect no translation).
class FrenchMessages {
 public:
  FrenchMessages() {
    if (const char* v = std::getenv("LANGUAGE")) saved_ = v;
    const char* locale = std::setlocale(LC_MESSAGES, nullptr);
    saved_locale_ = locale ? locale : "C";
    setenv("LANGUAGE", "fr", 1);
    std::setlocale(LC_MESSAGES, "C.UTF-8");  // gettext ignores LANGUAGE under plain "C"
    chorus::InitTranslations("");            // binds the catalogue of the build tree
  }
  ~FrenchMessages() {
    if (saved_) setenv("LANGUAGE", saved_->c_str(), 1);
    else unsetenv("LANGUAGE");
    std::setlocale(LC_MESSAGES, saved_locale_.c_str());
  }
  FrenchMessages(const FrenchMessages&) = delete;
  FrenchMessages& operator=(const FrenchMessages&) = delete;

 private:
  std::optional<std::string> saved_;
  std::string saved_locale_;
};

}  // namespace

TEST_CASE("a library error: message() in English whatever the locale, localized_message() in French") {
  FrenchMessages french;
  REQUIRE_MESSAGE(std::string(chorus::Tr("empty SIRET")) == "SIRET vide",
                  "the French catalogue of the build tree was not found");

  auto bad = chorus::Siret::Parse("123456789");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() == "a SIRET has 14 digits, \"123456789\" has 9 (that looks like a SIREN)");
  CHECK(bad.status().localized_message() == "un SIRET a 14 chiffres, « 123456789 » en a 9 (cela ressemble à un SIREN)");
  CHECK(bad.status().kind() == chorus::ErrorKind::kInvalidArgument);

  // A prefix (the file and line) is kept in both languages.
  auto config = chorus::ParseConfig("default_profile = 3\n", "/tmp/c.toml");
  REQUIRE_FALSE(config.ok());
  CHECK(config.status().message() == "/tmp/c.toml:1: key 'default_profile' must be a string");
  CHECK(config.status().localized_message() == "/tmp/c.toml:1 : la clé « default_profile » doit être une chaîne");

  chorus::ConfigFile empty;
  empty.path = "/tmp/none.toml";
  auto profile = chorus::ResolveProfile(empty, "ops", [](std::string_view) { return std::optional<std::string>(); });
  REQUIRE_FALSE(profile.ok());
  CHECK(profile.status().message() == "no profile named \"ops\" in /tmp/none.toml (it has none)");
  CHECK(profile.status().localized_message() == "aucun profil nommé « ops » dans /tmp/none.toml (il n'en a aucun)");
  CHECK(profile.status().kind() == chorus::ErrorKind::kNotFound);
}

TEST_CASE("without a French locale, a library error's two messages are the same English") {
  auto bad = chorus::Siret::Parse("");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() == "empty SIRET");
  CHECK(bad.status().localized_message() == "empty SIRET");
}
