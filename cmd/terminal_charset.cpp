#include "terminal_charset.h"

#include <iconv.h>
#include <unistd.h>

#include <cstring>
#include <iostream>
#include <streambuf>
#include <string_view>

#include "locale_text.h"

namespace chorus::cli {
namespace {

const iconv_t kNoConverter = reinterpret_cast<iconv_t>(-1);  // iconv_open's failure

// The length of the longest prefix of `s` that does not end inside a UTF-8
// sequence: the rest waits for its next bytes.
std::size_t CompletePrefix(std::string_view s) {
  std::size_t i = s.size();
  for (int back = 0; back < 4 && i > 0; ++back) {
    const auto c = static_cast<unsigned char>(s[i - 1]);
    if (c < 0x80) return s.size();  // ASCII: complete
    --i;
    if (c >= 0xC0) {  // a lead byte: complete when its sequence is all there
      const std::size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
      return s.size() - i >= need ? s.size() : i;
    }
  }
  return s.size();  // not UTF-8 anyway: let iconv replace it
}

// Converts with `cd`; a byte that is not UTF-8 becomes "?".
void Convert(iconv_t cd, std::string_view text, std::string& out) {
  for (;;) {
    const std::size_t bad = ConvertUntilError(cd, text, out);
    if (bad == std::string_view::npos) return;
    out += '?';
    text.remove_prefix(bad + 1);
  }
}

iconv_t OpenConverter(const std::string& charset) {
  return iconv_open((charset + "//TRANSLIT").c_str(), "UTF-8");
}

}  // namespace

std::string Utf8ToCharset(const std::string& utf8, const std::string& charset) {
  iconv_t cd = OpenConverter(charset);
  if (cd == kNoConverter) return utf8;
  std::string out;
  Convert(cd, utf8, out);
  iconv_close(cd);
  return out;
}

// A streambuf in front of the stream's own: keeps bytes until a line, a
// flush or 4 KiB, and hands the complete UTF-8 part over converted.
class TerminalCharset::Converter final : public std::streambuf {
 public:
  Converter(std::ostream& stream, iconv_t cd) : stream_(stream), target_(stream.rdbuf()), cd_(cd) {
    stream_.rdbuf(this);
  }
  ~Converter() override {
    sync();
    stream_.rdbuf(target_);
    iconv_close(cd_);
  }

 protected:
  int_type overflow(int_type ch) override {
    if (traits_type::eq_int_type(ch, traits_type::eof())) return traits_type::not_eof(ch);
    const char c = traits_type::to_char_type(ch);
    xsputn(&c, 1);
    return ch;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    pending_.append(s, static_cast<std::size_t>(n));
    if (pending_.size() >= 4096 || std::memchr(s, '\n', static_cast<std::size_t>(n)) != nullptr) Emit();
    return n;
  }
  int sync() override {
    Emit();
    return target_->pubsync();
  }

 private:
  void Emit() {
    const std::size_t complete = CompletePrefix(pending_);
    std::string out;
    Convert(cd_, std::string_view(pending_).substr(0, complete), out);
    pending_.erase(0, complete);
    target_->sputn(out.data(), static_cast<std::streamsize>(out.size()));
  }

  std::ostream& stream_;
  std::streambuf* target_;
  iconv_t cd_;
  std::string pending_;
};

TerminalCharset::TerminalCharset(const LocaleText& locale) {
  if (locale.takes_utf8()) return;
  auto install = [&](std::ostream& stream, int fd) -> std::unique_ptr<Converter> {
    if (::isatty(fd) != 1) return nullptr;
    iconv_t cd = OpenConverter(locale.charset());
    if (cd == kNoConverter) return nullptr;  // unknown charset: UTF-8 as before
    return std::make_unique<Converter>(stream, cd);
  };
  out_ = install(std::cout, STDOUT_FILENO);
  err_ = install(std::cerr, STDERR_FILENO);
}

TerminalCharset::~TerminalCharset() = default;

}  // namespace chorus::cli
