// TerminalSafe: data from the portal or a file cannot drive the terminal.
#include "terminal_text.h"

#include <doctest/doctest.h>

using chorus::cli::Newlines;
using chorus::cli::TerminalSafe;

TEST_CASE("escape sequences, BEL and DEL become visible text") {
  // The structure name of issue 12: retitle the window, ring, clear the screen.
  CHECK(TerminalSafe("Evil\x1b]0;pwned\a\x1b[2J") == "Evil\\x1b]0;pwned\\x07\\x1b[2J");
  CHECK(TerminalSafe("a\x7f" "b\x01") == "a\\x7fb\\x01");
}

TEST_CASE("newlines and tabs: escaped in a cell, kept in a message") {
  CHECK(TerminalSafe("a\nb\tc\rd") == "a\\x0ab\\x09c\\x0dd");
  CHECK(TerminalSafe("a\nb\tc\rd", Newlines::kKeep) == "a\nb\tc\\x0dd");
}

TEST_CASE("C1 controls and bidi controls are escaped, other text is not") {
  CHECK(TerminalSafe("x\xC2\x9B" "2J") == "x\\u009b2J");  // U+009B, the 8-bit CSI
  CHECK(TerminalSafe("\xE2\x80\xAE" "txt.exe") == "\\u202etxt.exe");  // RLO
  CHECK(TerminalSafe("\xE2\x81\xA6" "a\xE2\x81\xA9") == "\\u2066a\\u2069");
  CHECK(TerminalSafe("\xE2\x80\x8E\xE2\x80\x8F\xD8\x9C") == "\\u200e\\u200f\\u061c");
  const char* french = "GAEC du Pr\xC3\xA9 \xE2\x82\xAC N\xC2\xB0 73\xC2\xA0" "282";
  CHECK(TerminalSafe(french) == french);
}

TEST_CASE("bytes that are not UTF-8 are shown, never passed on") {
  CHECK(TerminalSafe("Dur\xE9") == "Dur\\xe9");
  CHECK(TerminalSafe("\x9B" "2J") == "\\x9b2J");  // a raw 8-bit CSI
  CHECK(TerminalSafe("\xC3") == "\\xc3");
}
