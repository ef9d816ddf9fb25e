#include "terminal_text.h"

#include <cstdio>
#include <iostream>

#include "chorus/text.h"
#include "chorus/trace.h"

namespace chorus::cli {
namespace {

void AppendHex(std::string& out, const char* format, unsigned value) {
  char buf[12];
  std::snprintf(buf, sizeof buf, format, value);
  out += buf;
}

bool IsBidiControl(char32_t cp) {
  return cp == 0x061C || cp == 0x200E || cp == 0x200F || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

}  // namespace

std::string TerminalSafe(std::string_view text, Newlines newlines) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte < 0x80) {
      const bool kept = newlines == Newlines::kKeep && (byte == '\n' || byte == '\t');
      if ((byte < 0x20 && !kept) || byte == 0x7F) AppendHex(out, "\\x%02x", byte);
      else out += static_cast<char>(byte);
      ++i;
      continue;
    }
    char32_t cp = 0;
    std::size_t n = DecodeUtf8(text.substr(i), &cp);
    if (n == 0) {  // not UTF-8: shown, never passed on
      AppendHex(out, "\\x%02x", byte);
      ++i;
      continue;
    }
    if ((cp >= 0x80 && cp <= 0x9F) || IsBidiControl(cp)) AppendHex(out, "\\u%04x", static_cast<unsigned>(cp));
    else out.append(text.substr(i, n));
    i += n;
  }
  return out;
}

std::shared_ptr<Tracer> TerminalTracer() {
  return std::make_shared<Tracer>(
      [](std::string_view text) { std::cerr << TerminalSafe(text, Newlines::kKeep) << std::flush; });
}

}  // namespace chorus::cli
