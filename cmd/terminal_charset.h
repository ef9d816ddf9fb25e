// chorus writes UTF-8 everywhere. A terminal whose locale is not UTF-8 (a
// French ISO-8859-15 terminal, common on older Windows-era setups) would show
// "DurÃ©" for "Duré": what goes to such a terminal is converted here to its
// charset, characters it lacks transliterated ("…" as "...") or "?". Pipes
// and files keep UTF-8, since JSON, TSV and CSV read by programs must not
// change with the terminal of whoever runs the script.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>

namespace chorus::cli {

class LocaleText;

// While alive, std::cout and std::cerr, when each is a terminal and the
// locale's charset is neither UTF-8 nor ASCII, write through a converter.
// Its destructor flushes what is pending and puts the streams back.
class TerminalCharset {
 public:
  explicit TerminalCharset(const LocaleText& locale);
  ~TerminalCharset();
  TerminalCharset(const TerminalCharset&) = delete;
  TerminalCharset& operator=(const TerminalCharset&) = delete;

 private:
  class Converter;
  std::unique_ptr<Converter> out_, err_;
};

// `utf8` in `charset`, transliterating what it lacks: for tests and for the
// converter above. Unchanged when the charset is unknown to iconv.
std::string Utf8ToCharset(const std::string& utf8, const std::string& charset);

}  // namespace chorus::cli
