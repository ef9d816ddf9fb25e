// The UTF-8 helpers of chorus/text.h, against the byte sequences of RFC 3629
// and the Unicode standard's table of well-formed sequences.
#include "chorus/text.h"

#include <doctest/doctest.h>

#include <string>

using chorus::DecodeUtf8;
using chorus::FindInvalidUtf8;
using chorus::IsValidUtf8;

TEST_CASE("DecodeUtf8: one sequence, its length and code point") {
  char32_t cp = 0;
  CHECK(DecodeUtf8("A", &cp) == 1);
  CHECK(cp == U'A');
  CHECK(DecodeUtf8("\xC3\xA9t\xC3\xA9", &cp) == 2);
  CHECK(cp == U'\u00E9');
  CHECK(DecodeUtf8("\xE2\x82\xAC", &cp) == 3);
  CHECK(cp == U'\u20AC');
  CHECK(DecodeUtf8("\xF0\x9F\x98\x80", &cp) == 4);
  CHECK(cp == U'\U0001F600');
  CHECK(DecodeUtf8("\xF4\x8F\xBF\xBF", &cp) == 4);  // U+10FFFF, the last one
  CHECK(cp == U'\U0010FFFF');
}

TEST_CASE("DecodeUtf8: ill-formed sequences are refused") {
  char32_t cp = 0;
  for (const char* bad : {"", "\x80", "\xBF", "\xC0\xAF", "\xC1\xBF", "\xE0\x80\xAF", "\xED\xA0\x80",
                          "\xF4\x90\x80\x80", "\xF5\x80\x80\x80", "\xFF", "\xC3", "\xE2\x82", "\xC3(",
                          "\xE9t\xE9"}) {
    CAPTURE(std::string(bad));
    CHECK(DecodeUtf8(bad, &cp) == 0);
  }
}

TEST_CASE("FindInvalidUtf8 gives the offset of the first bad byte") {
  CHECK(IsValidUtf8(""));
  CHECK(IsValidUtf8("Dur\xC3\xA9 \xE2\x80\xAF N\xC2\xB0"));
  CHECK(FindInvalidUtf8("Dur\xE9") == 3);  // Latin-1 é
  CHECK(FindInvalidUtf8("ok\xC3\xA9\xC3") == 4);
  CHECK_FALSE(IsValidUtf8("\xED\xA0\x80"));  // a UTF-16 surrogate
}

TEST_CASE("AppendUtf8 round-trips through DecodeUtf8") {
  for (char32_t cp : {U'\u0000', U'\u007F', U'\u0080', U'\u00B0', U'\u07FF', U'\u0800', U'\u202F',
                      U'\uFFFD', U'\U00010000', U'\U0010FFFF'}) {
    std::string s;
    chorus::AppendUtf8(s, cp);
    char32_t back = 0xFFFFFFFF;
    CHECK(DecodeUtf8(s, &back) == s.size());
    CHECK(back == cp);
  }
}

TEST_CASE("ReplaceInvalidUtf8 keeps UTF-8 and marks each stray byte") {
  CHECK(chorus::ReplaceInvalidUtf8("Dur\xC3\xA9") == "Dur\xC3\xA9");
  CHECK(chorus::ReplaceInvalidUtf8("Dur\xE9!\xFF") == "Dur\xEF\xBF\xBD!\xEF\xBF\xBD");
}

TEST_CASE("IsoUtc writes an instant as ISO 8601 UTC") {
  CHECK(chorus::IsoUtc(0) == "1970-01-01T00:00:00Z");
  CHECK(chorus::IsoUtc(1700000000) == "2023-11-14T22:13:20Z");
  CHECK(chorus::IsoUtc(951782400) == "2000-02-29T00:00:00Z");  // a leap day
}
