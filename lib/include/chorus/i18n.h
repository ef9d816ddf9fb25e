// Human-facing text in the user's language, through GNU gettext (domain
// "chorus", catalogues built from po/ by msgfmt). Only what people read goes
// through here: messages, prompts, help, table headers. Machine formats (JSON,
// NDJSON, TSV, CSV field names and values) and exit codes are the same in
// every locale (docs/output.md), so they never do.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "chorus/status.h"

namespace chorus {

// Selects the language of messages from the environment (LANGUAGE, LC_ALL,
// LC_MESSAGES, LANG, as gettext reads them; only LC_MESSAGES is set, so
// <cctype> and number parsing stay in the C locale) and binds the "chorus"
// domain to the catalogues found next to `executable`: ../share/locale when
// installed, else the build tree's ../locale. Call once, first thing in main.
void InitTranslations(const std::string& executable);

// msgid in the user's language (UTF-8), or msgid itself.
const char* Tr(const char* msgid);
// The singular or plural form for n, in the user's language.
const char* TrN(const char* singular, const char* plural, unsigned long n);

// An errno value as a Msg argument: strerror's words, in English in the
// English message (machine formats must not depend on the locale) and in
// the user's language in the other.
struct SystemError {
  int code;
};

// A word as a Msg argument: as it is in the English message, translated in
// the other: Msg("centre de gestion agricole: {} → {}", Word("no"), Word("yes")).
struct TranslatedWord {
  const char* english;
};
inline TranslatedWord Word(const char* english) { return {english}; }

// A calendar date ("2028-01-30") as a Msg argument: ISO in the English
// message, in the format of the user's language in the other (HumanDate).
struct CalendarDate {
  std::string iso;
};

// An instant as a Msg argument: ISO 8601 UTC in the English message (as the
// machine formats write it), local time in the user's format for people
// (HumanTime), in every language.
struct Instant {
  std::int64_t epoch_seconds;
};

namespace detail {
inline std::string Text(TranslatedWord w) { return Tr(w.english); }
inline std::string EnglishText(TranslatedWord w) { return w.english; }
std::string Text(const CalendarDate& d);
inline std::string EnglishText(const CalendarDate& d) { return d.iso; }
std::string Text(Instant t);         // local time (TZ), the language's format
std::string EnglishText(Instant t);  // ISO 8601 UTC
std::string Text(SystemError e);         // strerror, in the user's language
std::string EnglishText(SystemError e);  // strerror in the C locale
inline std::string Text(std::string s) { return s; }
inline std::string Text(std::string_view s) { return std::string(s); }
inline std::string Text(const char* s) { return s; }
template <typename T, typename = std::enable_if_t<std::is_arithmetic_v<T>>>
std::string Text(T v) { return std::to_string(v); }
template <typename T>
std::string EnglishText(const T& v) {
  return Text(v);
}
// pattern with its "{}" replaced by args in order, or its "{0}".."{9}" by the
// arg of that index, each any number of times ("{{" and "}}" are braces);
// nullopt when the placeholders and the args do not match.
std::optional<std::string> Substitute(std::string_view pattern, const std::vector<std::string>& args);
}  // namespace detail

// A message in English and in the user's language, each "{}" of msgid
// replaced by the next argument (strings and numbers; no format specs):
// Status(ErrorKind::kNotFound, Msg("no profile \"{}\"", name)). A
// translation whose placeholders do not fit the arguments is not used. The
// message for people differs from the English one even in English when an
// argument reads differently for people (an Instant in local time).
template <typename... Args>
Message Msg(const char* msgid, const Args&... args) {
  Message m;
  m.english = detail::Substitute(msgid, {detail::EnglishText(args)...}).value_or(msgid);
  std::string local = detail::Substitute(Tr(msgid), {detail::Text(args)...})
                          .value_or(detail::Substitute(msgid, {detail::Text(args)...}).value_or(""));
  if (local != m.english) m.localized = std::move(local);
  return m;
}

// Msg for a sentence with a count: the singular or the plural form for n, in
// English and in the user's language (whose plural rules may differ):
// MsgN("{} repeated SIRET skipped", "{} repeated SIRETs skipped", n, n).
template <typename... Args>
Message MsgN(const char* singular, const char* plural, unsigned long n, const Args&... args) {
  Message m;
  const char* english = n == 1 ? singular : plural;
  m.english = detail::Substitute(english, {detail::EnglishText(args)...}).value_or(english);
  std::string local = detail::Substitute(TrN(singular, plural, n), {detail::Text(args)...})
                          .value_or(detail::Substitute(english, {detail::Text(args)...}).value_or(""));
  if (local != m.english) m.localized = std::move(local);
  return m;
}

}  // namespace chorus
