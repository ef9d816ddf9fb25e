#include "chorus/bulk_input.h"

#include <algorithm>
#include <cctype>
#include <istream>

#include "chorus/i18n.h"
#include "chorus/text.h"
#include "workbook.h"

namespace chorus {
namespace detail {

// Where the records of an input come from: lines of text, or a sheet's rows.
// A record is the cells of one line or row that is not empty in every cell.
class RecordSource {
 public:
  virtual ~RecordSource() = default;
  virtual StatusOr<bool> Next(std::vector<std::string>* fields, std::size_t* line) = 0;
  virtual InputEncoding encoding() const = 0;
  virtual std::string Description() const = 0;
  virtual char delimiter() const { return '\0'; }
};

}  // namespace detail

namespace {

using detail::RecordSource;

constexpr std::size_t kChunk = 64 * 1024;
constexpr std::size_t kMaxLineBytes = 1u << 20;      // a line of a list of SIRETs
constexpr std::size_t kMaxWorkbookBytes = 64u << 20;  // the archive, read whole

// Blank (spaces, tabs, or nothing but empty CSV cells: ";;;", ",,", "\"\"")
// or a '#' comment.
bool IsBlankOrComment(const std::string& line) {
  bool any = false;
  for (char c : line) {
    if (c == ' ' || c == '\t' || c == '\r' || c == ';' || c == ',' || c == '"') continue;
    if (!any && c == '#') return true;
    any = true;
    break;
  }
  return !any;
}

// Counts a delimiter outside double quotes.
size_t CountOutsideQuotes(const std::string& line, char d) {
  size_t n = 0;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == d && !quoted) ++n;
  }
  return n;
}

// True when the field is digits with the separators a SIRET may be written with.
bool LooksLikeSiret(const std::string& field) {
  size_t digits = 0;
  for (unsigned char c : field) {
    if (std::isdigit(c)) ++digits;
    else if (c != ' ' && c != '.' && c < 0x80) return false;
  }
  return digits == 14;
}

bool HasLetter(const std::string& field) {
  return std::any_of(field.begin(), field.end(),
                     [](unsigned char c) { return std::isalpha(c) != 0; });
}

bool IsNumber(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](unsigned char c) { return std::isdigit(c) != 0; });
}

// A header as compared with --column: no-break spaces as spaces, trimmed,
// ASCII case folded ("N°\u00a0SIRET" matches "n° siret").
std::string HeaderKey(std::string_view header) {
  std::string out;
  for (std::size_t i = 0; i < header.size();) {
    if (header.substr(i, 2) == "\xC2\xA0") {
      out += ' ';
      i += 2;
    } else if (header.substr(i, 3) == "\xE2\x80\xAF") {
      out += ' ';
      i += 3;
    } else {
      out += header[i++];
    }
  }
  return Lower(TrimView(out));
}

// "\"a\", \"b\"": the first 12 names, then how many more.
std::string Quoted(const std::vector<std::string>& names) {
  constexpr std::size_t kShown = 12;
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kShown; ++i) out += (i ? ", \"" : "\"") + names[i] + "\"";
  if (names.size() > kShown) out += " and " + std::to_string(names.size() - kShown) + " more";
  return out;
}

// ="70007919700013" (a formula Excel users write to keep the digits as
// text) and what CSV quoting leaves of it (=70007919700013): the value.
std::string_view UnwrapFormula(std::string_view field) {
  if (field.empty() || field[0] != '=') return field;
  std::string_view rest = TrimView(field.substr(1));
  if (rest.size() >= 2 && rest.front() == '"' && rest.back() == '"') return rest.substr(1, rest.size() - 2);
  if (!rest.empty() && std::all_of(rest.begin(), rest.end(), [](char c) { return (c >= '0' && c <= '9') || c == ' ' || c == '.'; }))
    return rest;
  return field;
}

// 7,00079E+13 or 7.00079E+13: a number Excel wrote in scientific notation.
bool IsScientific(std::string_view s) {
  s = TrimView(s);
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (!digits()) return false;
  if (i < s.size() && (s[i] == ',' || s[i] == '.')) {
    ++i;
    if (!digits()) return false;
  }
  if (i >= s.size() || (s[i] != 'E' && s[i] != 'e')) return false;
  ++i;
  if (i < s.size() && s[i] == '+') ++i;
  return digits() && i == s.size();
}

// What Excel did to a SIRET that fails to parse, and how to undo it; "".
Message ExcelHint(std::string_view text) {
  if (IsScientific(text))
    return Msg(". Excel took the SIRETs for numbers and wrote this one in scientific notation, keeping only its "
               "first digits, so it is lost in this file: format the SIRET column as text in Excel (Format de "
               "cellule > Texte), type or paste the SIRETs again, and save as CSV again");
  std::string digits;
  for (char c : text) {
    if (c >= '0' && c <= '9') digits += c;
    else if (c != ' ' && c != '.') return {};
  }
  if (digits.size() != 13) return {};
  std::string zeroed = "0" + digits;
  if (Siret::Parse(zeroed).ok())
    return Msg(". Excel drops the leading zero of a SIRET it takes for a number ({} is a valid SIRET): format the "
               "SIRET column as text in Excel (Format de cellule > Texte), type or paste the SIRETs again, and "
               "save as CSV again",
               zeroed);
  return Msg(". Excel drops the leading zero of a SIRET it takes for a number: format the SIRET column as text in "
             "Excel (Format de cellule > Texte), type or paste the SIRETs again, and save as CSV again");
}

// Lines of text, decoded to UTF-8: UTF-8 (BOM or not) unless a line shows
// otherwise, in which case Windows-1252, decided once for the whole input at
// the first line that is not ASCII.
class TextSource final : public RecordSource {
 public:
  TextSource(std::istream& in, std::string head) : in_(in), buffer_(std::move(head)) {}

  StatusOr<bool> Next(std::vector<std::string>* fields, std::size_t* line) override {
    std::string raw;
    for (;;) {
      auto got = ReadLine(&raw);
      if (!got.ok()) return got.status();
      if (!*got) {
        if (in_.bad()) return Status(ErrorKind::kInvalidArgument, Msg("read error on the input"));
        return false;
      }
      ++line_number_;
      if (line_number_ == 1 && raw.rfind("\xEF\xBB\xBF", 0) == 0) {
        raw.erase(0, 3);
        encoding_ = InputEncoding::kUtf8Bom;
      }
      if (!raw.empty() && raw.back() == '\r') raw.pop_back();
      std::string text = Decode(raw);
      if (IsBlankOrComment(text)) continue;
      if (!delimiter_known_) {
        delimiter_known_ = true;
        DetectDelimiter(text);
      }
      *fields = delimiter_ ? SplitCsvLine(text, delimiter_) : std::vector<std::string>{Trim(text)};
      *line = line_number_;
      return true;
    }
  }

  InputEncoding encoding() const override { return encoding_; }
  std::string Description() const override {
    switch (encoding_) {
      case InputEncoding::kUtf8: return "UTF-8 text";
      case InputEncoding::kUtf8Bom: return "UTF-8 text with BOM";
      case InputEncoding::kWindows1252: return "Windows-1252 text (French Excel's CSV)";
      default: return "ASCII text";
    }
  }
  char delimiter() const override { return delimiter_; }

 private:
  std::string Decode(const std::string& raw) {
    if (encoding_ == InputEncoding::kWindows1252) return Windows1252ToUtf8(raw);
    std::size_t bad = FindInvalidUtf8(raw);
    bool ascii = std::all_of(raw.begin(), raw.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    if (encoding_ == InputEncoding::kAscii && !ascii)
      encoding_ = bad == std::string::npos ? InputEncoding::kUtf8 : InputEncoding::kWindows1252;
    if (encoding_ == InputEncoding::kWindows1252) return Windows1252ToUtf8(raw);
    // A UTF-8 file with a stray byte further down: shown, never passed on.
    return bad == std::string::npos ? raw : ReplaceInvalidUtf8(raw);
  }

  // The delimiter is the most frequent of ; tab , on the first line; a
  // spreadsheet export uses the same one throughout.
  void DetectDelimiter(const std::string& first) {
    size_t best = 0;
    for (char d : {';', '\t', ','}) {
      size_t n = CountOutsideQuotes(first, d);
      if (n > best) {
        best = n;
        delimiter_ = d;
      }
    }
  }

  StatusOr<bool> ReadLine(std::string* line) {
    line->clear();
    bool any = false;
    for (;;) {
      if (pos_ < buffer_.size()) {
        any = true;
        auto nl = buffer_.find('\n', pos_);
        std::size_t end = nl == std::string::npos ? buffer_.size() : nl;
        line->append(buffer_, pos_, end - pos_);
        pos_ = nl == std::string::npos ? buffer_.size() : nl + 1;
        if (line->size() > kMaxLineBytes)
          return Status(ErrorKind::kInvalidArgument,
                        Msg("line {} is longer than 1 MiB: not a list of SIRETs", line_number_ + 1));
        if (nl != std::string::npos) return true;
      }
      buffer_.resize(kChunk);
      in_.read(buffer_.data(), static_cast<std::streamsize>(buffer_.size()));
      buffer_.resize(static_cast<std::size_t>(in_.gcount()));
      pos_ = 0;
      if (buffer_.empty()) return any;
    }
  }

  std::istream& in_;
  std::string buffer_;
  std::size_t pos_ = 0;
  std::size_t line_number_ = 0;
  InputEncoding encoding_ = InputEncoding::kAscii;
  bool delimiter_known_ = false;
  char delimiter_ = '\0';
};

class SheetSource final : public RecordSource {
 public:
  explicit SheetSource(std::unique_ptr<workbook::Sheet> sheet) : sheet_(std::move(sheet)) {}
  StatusOr<bool> Next(std::vector<std::string>* fields, std::size_t* line) override {
    workbook::Row row;
    auto more = sheet_->Next(&row);
    if (!more.ok() || !*more) return more;
    for (auto& cell : row.cells) cell = Trim(cell);
    *fields = std::move(row.cells);
    *line = row.number;
    return true;
  }
  InputEncoding encoding() const override {
    return std::string_view(sheet_->format()) == ".ods" ? InputEncoding::kOds : InputEncoding::kXlsx;
  }
  std::string Description() const override {
    return "sheet \"" + sheet_->name() + "\" of an " + sheet_->format() + " workbook";
  }

 private:
  std::unique_ptr<workbook::Sheet> sheet_;
};

// Files people save by mistake instead of a CSV, by their first bytes.
// Why a file that is not text cannot be read, in whole sentences (each
// language words the kind of file its own way); OK for text.
Status BinaryKind(std::string_view head) {
  auto starts = [&](std::string_view magic) { return head.substr(0, magic.size()) == magic; };
  auto refuse = [](Message m) { return Status(ErrorKind::kInvalidArgument, std::move(m)); };
  if (starts(std::string_view("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)))
    return refuse(Msg("this is an Excel 97-2003 workbook (.xls), which chorus does not read, not a list of "
                      "SIRETs: save it as CSV (\"CSV UTF-8\" or \"CSV (séparateur: point-virgule)\") or as an "
                      ".xlsx or .ods workbook"));
  if (starts("%PDF-"))
    return refuse(Msg("this is a PDF document, not a list of SIRETs: save it as CSV (\"CSV UTF-8\" or \"CSV "
                      "(séparateur: point-virgule)\") or as an .xlsx or .ods workbook"));
  if (starts("\x89PNG\r\n") || starts("\xFF\xD8\xFF") || starts("GIF87a") || starts("GIF89a") ||
      starts(std::string_view("II*\0", 4)) || starts(std::string_view("MM\0*", 4)))
    return refuse(Msg("this is an image, not a list of SIRETs: save it as CSV (\"CSV UTF-8\" or \"CSV "
                      "(séparateur: point-virgule)\") or as an .xlsx or .ods workbook"));
  if (starts("\xFF\xFE") || starts("\xFE\xFF"))
    return refuse(Msg("this is UTF-16 text (Excel's \"Unicode text\"), not a list of SIRETs: save it as CSV "
                      "(\"CSV UTF-8\" or \"CSV (séparateur: point-virgule)\") or as an .xlsx or .ods workbook"));
  if (head.find('\0') != std::string_view::npos)
    return refuse(Msg("this is a binary file, not a list of SIRETs: save it as CSV (\"CSV UTF-8\" or \"CSV "
                      "(séparateur: point-virgule)\") or as an .xlsx or .ods workbook"));
  return OkStatus();
}

}  // namespace

std::string Windows1252ToUtf8(std::string_view bytes) {
  // 0x80-0x9F; 0 marks the five bytes Windows-1252 leaves undefined.
  static constexpr char16_t kHigh[32] = {
      0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
      0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
      0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};
  std::string out;
  out.reserve(bytes.size() + bytes.size() / 8);
  for (char c : bytes) {
    auto b = static_cast<unsigned char>(c);
    if (b < 0x80) out += c;
    else if (b < 0xA0) AppendUtf8(out, kHigh[b - 0x80] ? kHigh[b - 0x80] : b);
    else AppendUtf8(out, b);  // 0xA0-0xFF are Latin-1's: U+00A0-U+00FF
  }
  return out;
}

std::vector<std::string> SplitCsvLine(const std::string& line, char delimiter) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == delimiter) {
      fields.push_back(Trim(field));
      field.clear();
    } else {
      field.push_back(c);
    }
  }
  fields.push_back(Trim(field));
  return fields;
}

BulkInputReader::BulkInputReader(std::istream& in, BulkInputOptions options)
    : in_(in), options_(std::move(options)) {}

BulkInputReader::~BulkInputReader() = default;

InputEncoding BulkInputReader::encoding() const {
  return source_ ? source_->encoding() : InputEncoding::kAscii;
}

std::string BulkInputReader::EncodingDescription() const {
  return source_ ? source_->Description() : "ASCII text";
}

Status BulkInputReader::Open() {
  std::string head(kChunk, '\0');
  in_.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in_.gcount()));
  if (in_.bad()) return Status(ErrorKind::kInvalidArgument, Msg("read error on the input"));
  if (workbook::LooksLikeZip(head)) {
    std::string archive = std::move(head);
    char buf[kChunk];
    while (in_.read(buf, sizeof buf), in_.gcount() > 0) {
      archive.append(buf, static_cast<std::size_t>(in_.gcount()));
      if (archive.size() > kMaxWorkbookBytes)
        return Status(ErrorKind::kInvalidArgument,
                      Msg("a workbook larger than 64 MiB: save the sheet with the SIRETs as CSV"));
    }
    if (in_.bad()) return Status(ErrorKind::kInvalidArgument, Msg("read error on the input"));
    auto sheet = workbook::OpenSheet(std::move(archive), options_.sheet);
    if (!sheet.ok()) return sheet.status();
    source_ = std::make_unique<SheetSource>(std::move(*sheet));
    return OkStatus();
  }
  if (Status binary = BinaryKind(head); !binary.ok()) return binary;
  if (!options_.sheet.empty())
    return Status(ErrorKind::kInvalidArgument,
                  Msg("--sheet \"{}\": the input is text, not an .xlsx or .ods workbook",
                      ReplaceInvalidUtf8(options_.sheet)));
  source_ = std::make_unique<TextSource>(in_, std::move(head));
  return OkStatus();
}

Status BulkInputReader::DetectLayout(const std::vector<std::string>& fields) {
  delimiter_ = source_->delimiter();
  const std::string& wanted = options_.column;
  if (!wanted.empty() && IsNumber(wanted)) {
    // More digits than any column count: std::stoul would throw out_of_range.
    size_t n = wanted.size() > 9 ? 0 : std::stoul(wanted);
    if (n == 0 || n > fields.size())
      return Status(ErrorKind::kInvalidArgument,
                    MsgN("--column {}: the input has {} column", "--column {}: the input has {} columns", fields.size(),
                         ReplaceInvalidUtf8(wanted), fields.size()));
    column_ = n - 1;
    has_header_ = HasLetter(fields[column_]);
    return OkStatus();
  }
  if (!wanted.empty()) {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (HeaderKey(fields[i]) == HeaderKey(wanted)) {
        column_ = i;
        has_header_ = true;
        return OkStatus();
      }
    }
    return Status(ErrorKind::kInvalidArgument,
                  Msg("--column \"{}\": no such column in the header line ({})", ReplaceInvalidUtf8(wanted),
                      Quoted(fields)));
  }
  std::vector<std::size_t> named;
  for (size_t i = 0; i < fields.size(); ++i)
    if (Lower(fields[i]).find("siret") != std::string::npos) named.push_back(i);
  if (named.size() > 1) {
    std::vector<std::string> names;
    for (auto i : named) names.push_back(fields[i]);
    return Status(ErrorKind::kInvalidArgument,
                  Msg("several columns look like the SIRET column ({}): choose one with --column NAME or --column "
                      "NUMBER",
                      Quoted(names)));
  }
  if (named.size() == 1) {
    column_ = named[0];
    has_header_ = true;
    return OkStatus();
  }
  bool header_like = std::any_of(fields.begin(), fields.end(), HasLetter) &&
                     std::none_of(fields.begin(), fields.end(), LooksLikeSiret);
  if (fields.size() == 1) {
    // One value a line; a lone word on the first line is a header.
    has_header_ = header_like;
    column_ = 0;
    return OkStatus();
  }
  if (header_like)
    return Status(ErrorKind::kInvalidArgument,
                  Msg("cannot tell which column holds the SIRET (no header mentions \"siret\"); "
                      "name it with --column NAME or --column NUMBER"));
  std::vector<std::size_t> sirets;
  for (size_t i = 0; i < fields.size(); ++i)
    if (LooksLikeSiret(fields[i])) sirets.push_back(i);
  if (sirets.size() == 1) {
    column_ = sirets[0];
    return OkStatus();
  }
  if (sirets.size() > 1)
    return Status(ErrorKind::kInvalidArgument,
                  Msg("columns {} and {} both hold SIRETs: choose one with --column NUMBER", sirets[0] + 1,
                      sirets[1] + 1));
  return Status(ErrorKind::kInvalidArgument,
                Msg("cannot tell which column holds the SIRET; name it with --column NUMBER"));
}

StatusOr<bool> BulkInputReader::Next(BulkLine* out) {
  if (!source_)
    if (Status s = Open(); !s.ok()) return s;
  std::vector<std::string> fields;
  std::size_t number = 0;
  for (;;) {
    auto more = source_->Next(&fields, &number);
    if (!more.ok() || !*more) return more;
    if (layout_known_) break;
    layout_known_ = true;
    if (Status s = DetectLayout(fields); !s.ok()) return s;
    if (!has_header_) break;
  }

  *out = BulkLine{};
  out->line = number;
  if (column_ < fields.size()) {
    out->text = fields[column_];
  } else if (delimiter_) {
    const Message error = Msg("no column {} on this line", column_ + 1);
    out->error = error.english;
    out->localized_error = error.localized;
    return true;
  }  // a workbook row without that cell: an empty one
  std::string_view candidate = UnwrapFormula(out->text);
  auto siret = Siret::Parse(candidate);
  if (!siret.ok()) {
    const Message hint = ExcelHint(candidate);
    out->error = siret.status().message() + hint.english;
    out->localized_error =
        siret.status().localized_message() + (hint.localized.empty() ? hint.english : hint.localized);
    return true;
  }
  auto [it, inserted] = seen_.try_emplace(siret->Key(), number);
  if (!inserted) out->duplicate_of = it->second;
  out->siret = std::move(*siret);
  return true;
}

}  // namespace chorus
