// Translated text with fmt placeholders: TrFormat("unknown command \"{}\"", w).
// A catalogue is data: a translation whose placeholders do not fit the
// arguments falls back to the English text instead of throwing.
#pragma once

#include <fmt/format.h>

#include <string>

#include "chorus/i18n.h"

namespace chorus::cli {

using chorus::Tr;
using chorus::TrN;

template <typename... Args>
std::string TrFormat(const char* msgid, const Args&... args) {
  try {
    return fmt::format(fmt::runtime(Tr(msgid)), args...);
  } catch (const fmt::format_error&) {
    return fmt::format(fmt::runtime(msgid), args...);
  }
}

}  // namespace chorus::cli
