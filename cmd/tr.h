// Translated text with fmt placeholders: TrFormat("unknown command \"{}\"", w).
// A catalogue is data: a translation whose placeholders do not fit the
// arguments falls back to the English text instead of throwing.
#pragma once

#include <fmt/format.h>

#include <string>

#include "chorus/i18n.h"

namespace chorus::cli {

using chorus::Tr;
using chorus::Msg;
using chorus::TrN;
using chorus::MsgN;

template <typename... Args>
std::string TrFormat(const char* msgid, const Args&... args) {
  try {
    return fmt::format(fmt::runtime(Tr(msgid)), args...);
  } catch (const fmt::format_error&) {
    return fmt::format(fmt::runtime(msgid), args...);
  }
}

// The singular or plural form for n, formatted:
// TrFormatN("{} item failed", "{} items failed", n, n).
template <typename... Args>
std::string TrFormatN(const char* singular, const char* plural, unsigned long n, const Args&... args) {
  try {
    return fmt::format(fmt::runtime(TrN(singular, plural, n)), args...);
  } catch (const fmt::format_error&) {
    return fmt::format(fmt::runtime(n == 1 ? singular : plural), args...);
  }
}

}  // namespace chorus::cli
