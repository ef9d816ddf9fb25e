// chorus::Msg: an error's words in English (machine formats) and in the
// user's language (people), and a catalogue that cannot break formatting.
#include <doctest/doctest.h>

#include <cstdlib>
#include <ctime>

#include "chorus/i18n.h"

using chorus::detail::Substitute;

TEST_CASE("Substitute fills each {} in order, keeps doubled braces, and refuses a mismatch") {
  CHECK(Substitute("profile \"{}\" has {} keys", {"ops", "3"}).value() == "profile \"ops\" has 3 keys");
  CHECK(Substitute("{{literal}} {}", {"x"}).value() == "{literal} x");
  CHECK(Substitute("no placeholder", {}).value() == "no placeholder");
  CHECK_FALSE(Substitute("{} and {}", {"one"}).has_value());
  CHECK_FALSE(Substitute("{}", {"one", "two"}).has_value());
  CHECK_FALSE(Substitute("{0}", {}).has_value());
  CHECK_FALSE(Substitute("{} {0}", {"one"}).has_value());  // not both kinds
  CHECK_FALSE(Substitute("{x}", {"one"}).has_value());
  CHECK_FALSE(Substitute("stray }", {}).has_value());
}

TEST_CASE("Substitute's numbered placeholders: reordered, repeated, or an argument left out") {
  CHECK(Substitute("{1} to {0}", {"3", "ops"}).value() == "ops to 3");
  CHECK(Substitute("{0}/{0}", {"x"}).value() == "x/x");
  CHECK(Substitute("the item failed{1}", {"1", "."}).value() == "the item failed.");
  CHECK_FALSE(Substitute("{2}", {"a", "b"}).has_value());
}

TEST_CASE("MsgN picks the English singular or plural form for n") {
  CHECK(chorus::MsgN("{} SIRET skipped", "{} SIRETs skipped", 1, 1).english == "1 SIRET skipped");
  CHECK(chorus::MsgN("{} SIRET skipped", "{} SIRETs skipped", 0, 0).english == "0 SIRETs skipped");
  CHECK(chorus::MsgN("{1}: {0} day", "{1}: {0} days", 2, 2, "ops").english == "ops: 2 days");
  CHECK(chorus::MsgN("{} SIRET skipped", "{} SIRETs skipped", 3, 3).localized.empty());
}

TEST_CASE("Msg formats the English text with strings and numbers; untranslated, localized is empty") {
  const chorus::Message m = chorus::Msg("line {} of {}: {}", 12, std::string("farms.csv"), "bad SIRET");
  CHECK(m.english == "line 12 of farms.csv: bad SIRET");
  CHECK(m.localized.empty());  // no catalogue bound in the unit tests
  const chorus::Status s(chorus::ErrorKind::kInvalidArgument, m);
  CHECK(s.message() == m.english);
  CHECK(s.localized_message() == m.english);
}

TEST_CASE("A Status keeps both languages through WithContext, and a plain WithMessage drops the old translation") {
  const chorus::Status s(chorus::ErrorKind::kNotFound, chorus::Message{"no such profile", "profil inconnu"});
  CHECK(s.localized_message() == "profil inconnu");
  const chorus::Status c = s.WithContext("--profile");
  CHECK(c.message() == "--profile: no such profile");
  CHECK(c.localized_message() == "--profile: profil inconnu");
  CHECK(c.kind() == chorus::ErrorKind::kNotFound);
  const chorus::Status plain = s.WithMessage(std::string("other"));
  CHECK(plain.localized_message() == "other");
}

TEST_CASE("An Instant reads ISO 8601 UTC in the English message, local time for people") {
  const char* old_tz = std::getenv("TZ");
  const std::string saved = old_tz ? old_tz : "";
  ::setenv("TZ", "XYZ-3", 1);
  ::tzset();
  const chorus::Message m = chorus::Msg("refused on {}", chorus::Instant{1764733900});  // 2025-12-03T03:51:40Z
  CHECK(m.english == "refused on 2025-12-03T03:51:40Z");
  CHECK(m.localized == "refused on 2025-12-03 06:51:40 XYZ");
  // Without an Instant, nothing differs: no second text.
  CHECK(chorus::Msg("refused on {}", "Monday").localized.empty());
  if (old_tz) ::setenv("TZ", saved.c_str(), 1);
  else ::unsetenv("TZ");
  ::tzset();
}
