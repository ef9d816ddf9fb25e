#include "chorus/i18n.h"
#include "chorus/text.h"

#include <libintl.h>

#include <clocale>
#include <locale.h>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <system_error>

namespace chorus {
namespace {

constexpr const char* kDomain = "chorus";

// The first of LC_ALL, LC_MESSAGES, LANG that is set: the locale gettext's
// setlocale(LC_MESSAGES, "") would select.
std::string_view MessagesLocaleName() {
  for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"})
    if (const char* v = std::getenv(var); v != nullptr && *v != '\0') return v;
  return {};
}

// Where the catalogues are: installed beside bin/ (../share/locale), or in
// the build tree (the binaries live in build/cmd and build/sandbox, the
// catalogues in build/locale). Empty when neither holds one.
std::string CatalogueDir(const std::string& executable) {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::canonical("/proc/self/exe", ec);
  if (ec) exe = std::filesystem::absolute(executable, ec);
  const std::filesystem::path dir = exe.parent_path();
  for (const auto& candidate : {dir / ".." / "share" / "locale", dir / ".." / "locale"}) {
    std::error_code missing;
    if (std::filesystem::is_directory(candidate, missing))
      return std::filesystem::weakly_canonical(candidate, missing).string();
  }
  return {};
}

}  // namespace

void InitTranslations(const std::string& executable) {
  if (std::setlocale(LC_MESSAGES, "") == nullptr) {
    // The locale asked for is not installed here. gettext can still pick
    // the language from LANGUAGE when LC_MESSAGES is not plain "C": a French
    // user on a machine without fr_FR still gets French messages.
    const std::string_view name = MessagesLocaleName();
    std::setlocale(LC_MESSAGES, "C.UTF-8");
    const char* language = std::getenv("LANGUAGE");
    if (!name.empty() && (language == nullptr || *language == '\0'))
      setenv("LANGUAGE", std::string(name.substr(0, name.find_first_of(".@"))).c_str(), 1);
  } else if (const char* language = std::getenv("LANGUAGE"); language != nullptr && *language != '\0') {
    // LANGUAGE=fr with LANG=C: gettext ignores LANGUAGE under "C".
    if (std::string_view(std::setlocale(LC_MESSAGES, nullptr)) == "C") std::setlocale(LC_MESSAGES, "C.UTF-8");
  }
  if (std::string dir = CatalogueDir(executable); !dir.empty()) bindtextdomain(kDomain, dir.c_str());
  bind_textdomain_codeset(kDomain, "UTF-8");  // chorus speaks UTF-8 inside
}

const char* Tr(const char* msgid) { return dgettext(kDomain, msgid); }

const char* TrN(const char* singular, const char* plural, unsigned long n) {
  return dngettext(kDomain, singular, plural, n);
}

namespace detail {

std::string Text(SystemError e) { return std::strerror(e.code); }

std::string Text(const CalendarDate& d) { return HumanDate(d.iso); }
std::string Text(Instant t) { return HumanTime(t.epoch_seconds); }
std::string EnglishText(Instant t) { return IsoUtc(t.epoch_seconds); }

std::string EnglishText(SystemError e) {
  static const locale_t c_locale = newlocale(LC_ALL_MASK, "C", nullptr);
  return c_locale ? strerror_l(e.code, c_locale) : std::strerror(e.code);
}

std::optional<std::string> Substitute(std::string_view pattern, const std::vector<std::string>& args) {
  std::string out;
  std::size_t next = 0;
  bool numbered = false;  // "{1} ... {0}": a translation may reorder, or leave out a count
  for (std::size_t i = 0; i < pattern.size(); ++i) {
    const char c = pattern[i];
    if ((c == '{' || c == '}') && i + 1 < pattern.size() && pattern[i + 1] == c) {
      out += c;
      ++i;
    } else if (c == '{' && i + 1 < pattern.size() && pattern[i + 1] == '}') {
      if (numbered || next == args.size()) return std::nullopt;
      out += args[next++];
      ++i;
    } else if (c == '{' && i + 2 < pattern.size() && pattern[i + 1] >= '0' && pattern[i + 1] <= '9' &&
               pattern[i + 2] == '}') {
      const std::size_t index = static_cast<std::size_t>(pattern[i + 1] - '0');
      if (next > 0 || index >= args.size()) return std::nullopt;
      numbered = true;
      out += args[index];
      i += 2;
    } else if (c == '{' || c == '}') {
      return std::nullopt;
    } else {
      out += c;
    }
  }
  if (!numbered && next != args.size()) return std::nullopt;
  return out;
}

}  // namespace detail

}  // namespace chorus
