// Text typed by the user arrives in the terminal's charset, which is not
// always UTF-8 (a French Windows-era terminal is ISO-8859-1 or -15). Inside,
// chorus speaks UTF-8 only: the portal's JSON, the journal and every message.
// Arguments and answers read from the terminal or stdin are converted here,
// once, at the door; what cannot be converted is a usage error (exit 2) that
// names the flag and the byte, never a crash later (nlohmann/json throws on a
// string that is not UTF-8).
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "chorus/profile.h"
#include "chorus/status.h"

namespace chorus::cli {

// The charset of the user's locale, named by LC_ALL, else LC_CTYPE, else LANG
// (as setlocale(LC_CTYPE, "") reads them): nl_langinfo(CODESET) under that
// locale; when it is not installed on this machine (setlocale fails), the
// codeset its name gives ("fr_FR.ISO-8859-15@euro": "ISO-8859-15"); with no
// locale at all, the C locale's "ANSI_X3.4-1968". LC_CTYPE is put back to "C"
// afterwards, and the other categories are never set: <cctype> and number
// parsing (a decimal comma under LC_NUMERIC=fr_FR) stay as they are.
std::string LocaleCharset(const EnvLookup& env);

class LocaleText {
 public:
  explicit LocaleText(std::string charset);
  const std::string& charset() const { return charset_; }
  // UTF-8, or ASCII (the C/POSIX locale of scripts and containers), where
  // UTF-8 is taken as it comes: no conversion, validation only.
  bool takes_utf8() const { return takes_utf8_; }

  // `text` in UTF-8. kInvalidArgument naming `what` ("--name", "the password
  // on stdin"), the offending byte and its position (1-based) otherwise.
  StatusOr<std::string> ToUtf8(std::string_view text, std::string_view what) const;

 private:
  std::string charset_;
  bool takes_utf8_;
};

// Runs iconv descriptor `cd` (an iconv_t) over `text`, appending to `out`, up
// to the end or the first byte it cannot convert: returns that byte's offset
// in `text`, or std::string_view::npos when all of it was converted.
std::size_t ConvertUntilError(void* cd, std::string_view text, std::string& out);

// The locale of this process's user, read on first use.
const LocaleText& UserLocale();
inline StatusOr<std::string> FromUserLocale(std::string_view text, std::string_view what) {
  return UserLocale().ToUtf8(text, what);
}

}  // namespace chorus::cli

namespace CLI {
class App;
}

namespace chorus::cli {

// The command line in UTF-8, for CLI11. An argument that cannot be converted
// is named by its flag: "--name" for "--name=X" or for X after "--name" when
// takes_value("--name") says that option takes a value, else "argument N".
// The value of an option for which takes_path() holds is left as typed: a
// file name is bytes to the system, whatever the terminal's charset. Only
// --from and --config are such in FromCommandLine: a path that `profile add`
// stores (--password-file, --ca-bundle) goes into the TOML config, which is
// UTF-8, and is converted like any text.
class Utf8Arguments {
 public:
  static StatusOr<Utf8Arguments> From(int argc, const char* const* argv, const LocaleText& locale,
                                      const std::function<bool(std::string_view)>& takes_value,
                                      const std::function<bool(std::string_view)>& takes_path = {});
  // The same with the options of root's command tree, in the user's locale.
  static StatusOr<Utf8Arguments> FromCommandLine(int argc, const char* const* argv, const CLI::App& root);
  int argc() const { return static_cast<int>(pointers_.size()); }
  const char* const* argv() const { return pointers_.data(); }

 private:
  std::vector<std::string> args_;
  std::vector<const char*> pointers_;
};

}  // namespace chorus::cli
