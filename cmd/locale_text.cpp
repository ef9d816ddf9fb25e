#include "locale_text.h"

#include <iconv.h>
#include <langinfo.h>

#include <cerrno>
#include <clocale>
#include <cstdio>

#include "chorus/text.h"
#include "clidoc/command_tree.h"
#include "tr.h"

namespace chorus::cli {
namespace {

bool IsUtf8Name(std::string_view charset) {
  return EqualsIgnoreCase(charset, "UTF-8") || EqualsIgnoreCase(charset, "UTF8");
}

bool IsAsciiName(std::string_view charset) {
  return EqualsIgnoreCase(charset, "ANSI_X3.4-1968") || EqualsIgnoreCase(charset, "ASCII") ||
         EqualsIgnoreCase(charset, "US-ASCII") || EqualsIgnoreCase(charset, "POSIX") ||
         EqualsIgnoreCase(charset, "C");
}

// "fr_FR.ISO-8859-15@euro" -> "ISO-8859-15"; "" when the name has no codeset.
std::string CodesetOfLocaleName(std::string_view name) {
  auto dot = name.find('.');
  if (dot == std::string_view::npos) return "";
  name.remove_prefix(dot + 1);
  return std::string(name.substr(0, name.find('@')));
}

// what: an English phrase ("the password on stdin"), in the user's language
// through the catalogue when it is there (the callers list theirs for xgettext).
Status Unreadable(std::string_view what, std::string_view text, std::size_t offset,
                  const std::string& charset, bool utf8) {
  char byte[8];
  std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[offset]));
  const std::string what_english(what);
  const std::string what_localized = Tr(what_english.c_str());
  const auto message = [&](const std::string& w) {
    return utf8 ? Msg("{}: byte {} at position {} is not valid UTF-8, the terminal's charset ({}). If the terminal "
                      "is Latin-1, say so to chorus: LANG=fr_FR.ISO-8859-1 (or ISO-8859-15, CP1252)",
                      w, byte, offset + 1, charset)
                : Msg("{}: byte {} at position {} is not a character of the terminal's charset ({}); check the "
                      "terminal's encoding and LANG / LC_ALL",
                      w, byte, offset + 1, charset);
  };
  Message both = message(what_english);
  both.localized = message(what_localized).localized;
  return Status(ErrorKind::kInvalidArgument, both);
}

}  // namespace

std::string LocaleCharset(const EnvLookup& env) {
  // setlocale(LC_CTYPE, "") would read the same variables, in this order,
  // from the process's environment; naming the locale lets tests pass theirs.
  std::string name;
  for (const char* var : {"LC_ALL", "LC_CTYPE", "LANG"}) {
    name = env(var).value_or("");
    if (!name.empty()) break;
  }
  std::string charset;
  if (name.empty()) charset = "ANSI_X3.4-1968";
  else if (std::setlocale(LC_CTYPE, name.c_str()) != nullptr) charset = nl_langinfo(CODESET);
  else charset = CodesetOfLocaleName(name);  // not installed here: trust its name
  std::setlocale(LC_CTYPE, "C");
  return charset.empty() ? "ANSI_X3.4-1968" : charset;
}

LocaleText::LocaleText(std::string charset)
    : charset_(std::move(charset)), takes_utf8_(IsUtf8Name(charset_) || IsAsciiName(charset_)) {}

StatusOr<std::string> LocaleText::ToUtf8(std::string_view text, std::string_view what) const {
  if (takes_utf8_) {
    std::size_t bad = FindInvalidUtf8(text);
    if (bad != std::string_view::npos) return Unreadable(what, text, bad, charset_, true);
    return std::string(text);
  }
  iconv_t cd = iconv_open("UTF-8", charset_.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1))
    return Status(ErrorKind::kInvalidArgument,
                  Msg("{}: the terminal's charset {} is unknown to iconv; set LANG / LC_ALL to a locale with a known "
                      "charset",
                      what, charset_));
  std::string out;
  // A byte iconv cannot take: no such character, or a multibyte sequence cut short.
  const std::size_t bad = ConvertUntilError(cd, text, out);
  iconv_close(cd);
  if (bad != std::string_view::npos) return Unreadable(what, text, bad, charset_, false);
  if (!IsValidUtf8(out))  // a converter that lies would reach nlohmann/json
    return Status(ErrorKind::kInvalidArgument, Msg("{}: cannot convert from the terminal's charset {}", what, charset_));
  return out;
}

std::size_t ConvertUntilError(void* cd, std::string_view text, std::string& out) {
  char* in = const_cast<char*>(text.data());  // iconv's signature; it does not write there
  std::size_t in_left = text.size();
  char buf[1024];
  while (in_left > 0) {
    char* dst = buf;
    std::size_t dst_left = sizeof buf;
    const std::size_t rc = iconv(static_cast<iconv_t>(cd), &in, &in_left, &dst, &dst_left);
    out.append(buf, static_cast<std::size_t>(dst - buf));
    if (rc == static_cast<std::size_t>(-1) && errno != E2BIG) return static_cast<std::size_t>(in - text.data());
  }
  return std::string_view::npos;
}

const LocaleText& UserLocale() {
  static const LocaleText locale(LocaleCharset(ProcessEnvironment()));
  return locale;
}

StatusOr<Utf8Arguments> Utf8Arguments::From(int argc, const char* const* argv, const LocaleText& locale,
                                            const std::function<bool(std::string_view)>& takes_value,
                                            const std::function<bool(std::string_view)>& takes_path) {
  Utf8Arguments out;
  for (int i = 0; i < argc; ++i) {
    std::string_view arg = argv[i];
    std::string what = i == 0 ? "the program name" : "argument " + std::to_string(i);
    std::string_view value = arg;
    std::string prefix;
    if (arg.size() > 2 && arg.substr(0, 2) == "--" && arg.find('=') != std::string_view::npos) {
      // --name=VALUE: the flag is ASCII or is caught below; the value is what is typed.
      prefix = std::string(arg.substr(0, arg.find('=') + 1));
      what = prefix.substr(0, prefix.size() - 1);
      value = arg.substr(prefix.size());
    } else if (i > 1 && argv[i - 1][0] == '-' && std::string_view(argv[i - 1]).find('=') == std::string_view::npos &&
               takes_value && takes_value(argv[i - 1])) {
      what = argv[i - 1];
    }
    if (i > 0 && what.rfind("-", 0) == 0 && takes_path && takes_path(what)) {
      out.args_.emplace_back(arg);
      continue;
    }
    auto converted = locale.ToUtf8(prefix, what);
    if (converted.ok()) {
      auto rest = locale.ToUtf8(value, what);
      if (!rest.ok()) return rest.status();
      out.args_.push_back(*converted + *rest);
    } else {
      auto whole = locale.ToUtf8(arg, "argument " + std::to_string(i));
      if (!whole.ok()) return whole.status();
      out.args_.push_back(*whole);
    }
  }
  for (const auto& a : out.args_) out.pointers_.push_back(a.c_str());
  return out;
}

StatusOr<Utf8Arguments> Utf8Arguments::FromCommandLine(int argc, const char* const* argv, const CLI::App& root) {
  auto valued = clidoc::ValuedOptionNames(clidoc::DescribeTree(root));
  return From(
      argc, argv, UserLocale(), [&](std::string_view name) { return valued.count(std::string(name)) > 0; },
      [](std::string_view name) { return name == "--from" || name == "--config"; });
}

}  // namespace chorus::cli
