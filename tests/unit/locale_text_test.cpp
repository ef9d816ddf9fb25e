// Arguments and answers from a terminal that is not UTF-8 (locale_text.h).
#include "locale_text.h"
#include "terminal_charset.h"

#include <doctest/doctest.h>

#include <map>
#include <string>
#include <vector>

using chorus::ErrorKind;
using chorus::cli::LocaleCharset;
using chorus::cli::LocaleText;
using chorus::cli::Utf8Arguments;

namespace {

chorus::EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](std::string_view name) -> std::optional<std::string> {
    auto it = vars.find(std::string(name));
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

chorus::StatusOr<Utf8Arguments> Args(std::vector<const char*> argv, const LocaleText& locale) {
  return Utf8Arguments::From(static_cast<int>(argv.size()), argv.data(), locale,
                             [](std::string_view name) { return name == "--name" || name == "--comment"; });
}

}  // namespace


TEST_CASE("the charset: LC_ALL > LC_CTYPE > LANG, from the locale's name when it is not installed") {
  // These locales are not generated on a build machine: setlocale fails and
  // the codeset comes from the name.
  CHECK(LocaleCharset(Env({{"LANG", "fr_FR.ISO-8859-15@euro"}})) == "ISO-8859-15");
  CHECK(LocaleCharset(Env({{"LANG", "fr_FR.UTF-8"}, {"LC_CTYPE", "fr_FR.ISO-8859-1"}})) == "ISO-8859-1");
  CHECK(LocaleCharset(Env({{"LC_CTYPE", "fr_FR.ISO-8859-1"}, {"LC_ALL", "fr_FR.CP1252"}})) == "CP1252");
  CHECK(LocaleCharset(Env({{"LANG", "C.UTF-8"}})) == "UTF-8");  // installed everywhere
  CHECK(LocaleCharset(Env({})) == "ANSI_X3.4-1968");
  CHECK(LocaleCharset(Env({{"LANG", "C"}})) == "ANSI_X3.4-1968");
}

TEST_CASE("a Latin-1 terminal: converted to UTF-8") {
  LocaleText latin1("ISO-8859-1");
  CHECK_FALSE(latin1.takes_utf8());
  auto text = latin1.ToUtf8("Pas de mandat \xE9t\xE9", "--comment");
  REQUIRE(text.ok());
  CHECK(*text == "Pas de mandat \xC3\xA9t\xC3\xA9");
  CHECK(*LocaleText("ISO-8859-15").ToUtf8("\xA4", "x") == "\xE2\x82\xAC");  // the euro sign
  CHECK(*LocaleText("CP1252").ToUtf8("N\xB0 \x80", "x") == "N\xC2\xB0 \xE2\x82\xAC");
}

TEST_CASE("what cannot be converted is a usage error naming the flag and the byte") {
  auto undefined = LocaleText("CP1252").ToUtf8("ab\x81", "--name");  // 0x81 is not in CP1252
  REQUIRE_FALSE(undefined.ok());
  CHECK(undefined.status().kind() == ErrorKind::kInvalidArgument);
  CHECK(undefined.status().message().find("--name: byte 0x81 at position 3") == 0);

  for (const char* charset : {"UTF-8", "ANSI_X3.4-1968"}) {
    CAPTURE(charset);
    LocaleText utf8(charset);
    CHECK(utf8.takes_utf8());
    CHECK(*utf8.ToUtf8("Dur\xC3\xA9", "--name") == "Dur\xC3\xA9");
    auto bad = utf8.ToUtf8("Dur\xE9", "--name");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.status().message().find("--name: byte 0xE9 at position 4 is not valid UTF-8") == 0);
    CHECK(bad.status().message().find("LANG=fr_FR.ISO-8859-1") != std::string::npos);
  }
  CHECK_FALSE(LocaleText("NO-SUCH-CHARSET").ToUtf8("x", "--name").ok());
}

TEST_CASE("the command line: each argument converted, a failure named by its flag") {
  LocaleText latin1("ISO-8859-1");
  auto ok = Args({"chorus", "structure", "search", "--name", "Dur\xE9", "--comment=\xE9t\xE9"}, latin1);
  REQUIRE(ok.ok());
  REQUIRE(ok->argc() == 6);
  CHECK(std::string(ok->argv()[4]) == "Dur\xC3\xA9");
  CHECK(std::string(ok->argv()[5]) == "--comment=\xC3\xA9t\xC3\xA9");

  LocaleText utf8("UTF-8");
  auto after = Args({"chorus", "structure", "search", "--name", "Dur\xE9"}, utf8);
  REQUIRE_FALSE(after.ok());
  CHECK(after.status().message().find("--name: byte 0xE9 at position 4") == 0);
  auto joined = Args({"chorus", "attach", "reject", "21", "--comment=Pas de mandat \xE9t\xE9"}, utf8);
  REQUIRE_FALSE(joined.ok());
  CHECK(joined.status().message().find("--comment: byte 0xE9 at position 15") == 0);
  // A file to open keeps its name's bytes.
  auto path = Utf8Arguments::From(
      4, std::vector<const char*>{"chorus", "--from", "Dur\xE9.csv", "--config=\xE9.toml"}.data(), utf8,
      [](std::string_view name) { return name == "--from"; },
      [](std::string_view name) { return name == "--from" || name == "--config"; });
  REQUIRE(path.ok());
  CHECK(std::string(path->argv()[2]) == "Dur\xE9.csv");
  CHECK(std::string(path->argv()[3]) == "--config=\xE9.toml");
  // After a flag that takes no value, the word is an argument of its own.
  auto positional = Args({"chorus", "--yes", "siret", "check", "7328\xE9"}, utf8);
  REQUIRE_FALSE(positional.ok());
  CHECK(positional.status().message().find("argument 4: byte 0xE9 at position 5") == 0);
}

// Output to a terminal that is not UTF-8 (terminal_charset.h).
TEST_CASE("UTF-8 output in a Latin-1 or Latin-9 terminal's charset, transliterated where it has no character") {
  using chorus::cli::Utf8ToCharset;
  CHECK(Utf8ToCharset("Dur\xc3\xa9 \xc2\xab rattachement \xc2\xbb", "ISO-8859-1") == "Dur\xe9 \xab rattachement \xbb");
  CHECK(Utf8ToCharset("10 \xe2\x82\xac", "ISO-8859-15") == "10 \xa4");          // the euro sign of Latin-9
  CHECK(Utf8ToCharset("ETA 3s\xe2\x80\xa6", "ISO-8859-1") == "ETA 3s...");      // no ellipsis in Latin-1
  CHECK(Utf8ToCharset("SIRET\xe2\x80\xaf" "1", "ISO-8859-1").find('\xe2') == std::string::npos);
  CHECK(Utf8ToCharset("bad \xff byte", "ISO-8859-1") == "bad ? byte");          // never passed through raw
  CHECK(Utf8ToCharset("Dur\xc3\xa9", "NO-SUCH-CHARSET") == "Dur\xc3\xa9");      // unknown: unchanged
}
