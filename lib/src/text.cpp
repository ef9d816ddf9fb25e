#include "chorus/text.h"

#include <ctime>

#include "chorus/i18n.h"

namespace chorus {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
char LowerAscii(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
char UpperAscii(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

}  // namespace

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = LowerAscii(c);
  return out;
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = UpperAscii(c);
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (LowerAscii(a[i]) != LowerAscii(b[i])) return false;
  return true;
}

bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && EqualsIgnoreCase(s.substr(0, prefix.size()), prefix);
}

std::size_t DecodeUtf8(std::string_view s, char32_t* cp) {
  if (s.empty()) return 0;
  const auto b0 = static_cast<unsigned char>(s[0]);
  if (b0 < 0x80) {
    *cp = b0;
    return 1;
  }
  std::size_t n;
  char32_t value, min;
  if (b0 >= 0xC2 && b0 <= 0xDF) n = 2, value = b0 & 0x1F, min = 0x80;
  else if (b0 >= 0xE0 && b0 <= 0xEF) n = 3, value = b0 & 0x0F, min = 0x800;
  else if (b0 >= 0xF0 && b0 <= 0xF4) n = 4, value = b0 & 0x07, min = 0x10000;
  else return 0;
  if (s.size() < n) return 0;
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[k]);
    if ((b & 0xC0) != 0x80) return 0;
    value = (value << 6) | (b & 0x3F);
  }
  if (value < min || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return 0;
  *cp = value;
  return n;
}

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

std::size_t FindInvalidUtf8(std::string_view s) {
  std::size_t i = 0;
  char32_t cp;
  while (i < s.size()) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = DecodeUtf8(s.substr(i), &cp);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

std::string ReplaceInvalidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  char32_t cp;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = DecodeUtf8(s.substr(i), &cp);
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string IsoUtc(std::int64_t epoch_seconds) {
  const std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return text;
}

std::optional<std::int64_t> ParseIsoTime(std::string_view text) {
  std::size_t i = 0;
  auto digits = [&](std::size_t n) -> std::optional<int> {
    if (i + n > text.size()) return std::nullopt;
    int v = 0;
    for (std::size_t k = 0; k < n; ++k) {
      const char c = text[i + k];
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + (c - '0');
    }
    i += n;
    return v;
  };
  auto expect = [&](char c) {
    if (i < text.size() && text[i] == c) return ++i, true;
    return false;
  };
  std::tm tm{};
  const auto year = digits(4);
  if (!year || !expect('-')) return std::nullopt;
  const auto month = digits(2);
  if (!month || !expect('-')) return std::nullopt;
  const auto day = digits(2);
  if (!day || !(expect('T') || expect(' '))) return std::nullopt;
  const auto hour = digits(2);
  if (!hour || !expect(':')) return std::nullopt;
  const auto minute = digits(2);
  if (!minute) return std::nullopt;
  std::optional<int> second = 0;
  if (expect(':') && !(second = digits(2))) return std::nullopt;
  if (expect('.') || expect(','))
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (*month < 1 || *month > 12 || *day < 1 || *day > 31 || *hour > 23 || *minute > 59 || *second > 60)
    return std::nullopt;
  long offset = 0;
  if (i < text.size() && (text[i] == '+' || text[i] == '-')) {
    const int sign = text[i++] == '-' ? -1 : 1;
    const auto oh = digits(2);
    if (!oh) return std::nullopt;
    expect(':');
    const auto om = digits(2);
    if (!om) return std::nullopt;
    offset = sign * (*oh * 3600L + *om * 60L);
  } else {
    expect('Z');
  }
  if (i != text.size()) return std::nullopt;
  tm.tm_year = *year - 1900;
  tm.tm_mon = *month - 1;
  tm.tm_mday = *day;
  tm.tm_hour = *hour;
  tm.tm_min = *minute;
  tm.tm_sec = *second;
  return static_cast<std::int64_t>(timegm(&tm)) - offset;
}

std::string HumanTime(std::int64_t epoch_seconds) {
  const std::time_t t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  localtime_r(&t, &tm);
  char text[64];
  // TRANSLATORS: strftime(3) format of dates and times shown to people, in local time.
  if (std::strftime(text, sizeof text, Tr("%Y-%m-%d %H:%M:%S %Z"), &tm) == 0) return IsoUtc(epoch_seconds);
  return text;
}

std::string HumanDate(std::string_view iso_date) {
  const auto epoch = ParseIsoTime(std::string(iso_date) + "T00:00:00Z");
  if (iso_date.size() != 10 || !epoch) return std::string(iso_date);
  const std::time_t t = static_cast<std::time_t>(*epoch);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[32];
  // TRANSLATORS: strftime(3) format of a calendar date shown to people.
  if (std::strftime(text, sizeof text, Tr("%Y-%m-%d"), &tm) == 0) return std::string(iso_date);
  return text;
}

}  // namespace chorus
