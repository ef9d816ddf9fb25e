#include "workbook.h"

#include <expat.h>
#include <zip.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <deque>
#include <functional>
#include <optional>
#include <utility>

#include "chorus/i18n.h"
#include "chorus/text.h"

namespace chorus::workbook {
namespace {

// Bounds on what a workbook may make chorus do.
constexpr std::size_t kMaxEntryBytes = 512u << 20;     // one inflated XML part
constexpr std::size_t kMaxSharedBytes = 64u << 20;     // all shared strings
constexpr std::size_t kMaxColumns = 16384;             // Excel's own limit (XFD)
constexpr std::size_t kMaxRowNumber = 1u << 24;        // past Excel's 1,048,576
constexpr std::size_t kMaxCellBytes = 32767;           // Excel's own cell limit
constexpr std::size_t kMaxRowBytes = 4u << 20;         // all the cells of one row
constexpr std::size_t kChunk = 64 * 1024;

constexpr std::string_view kOdsMime = "application/vnd.oasis.opendocument.spreadsheet";
constexpr std::string_view kOdsTable = "urn:oasis:names:tc:opendocument:xmlns:table:1.0";
constexpr std::string_view kOdsText = "urn:oasis:names:tc:opendocument:xmlns:text:1.0";
constexpr std::string_view kOdsOffice = "urn:oasis:names:tc:opendocument:xmlns:office:1.0";

// "damaged workbook: " and what, in each language.
Status Damaged(const Message& what) {
  Message english = Msg("damaged workbook: {}", what.english);
  Message localized = Msg("damaged workbook: {}", what.localized.empty() ? what.english : what.localized);
  return Status(ErrorKind::kInvalidArgument, Message{std::move(english.english), std::move(localized.localized)});
}

// "uri|local" (expat's namespace form) split; no '|': no namespace.
std::pair<std::string_view, std::string_view> Split(const XML_Char* name) {
  std::string_view n(name);
  auto bar = n.rfind('|');
  if (bar == std::string_view::npos) return {{}, n};
  return {n.substr(0, bar), n.substr(bar + 1)};
}

// An attribute by local name (any namespace when ns is empty).
const XML_Char* Attr(const XML_Char** attrs, std::string_view local, std::string_view ns = {}) {
  for (int i = 0; attrs[i]; i += 2) {
    auto [a_ns, a_local] = Split(attrs[i]);
    if (a_local == local && (ns.empty() || a_ns == ns)) return attrs[i + 1];
  }
  return nullptr;
}

std::size_t ParseCount(const XML_Char* text, std::size_t fallback, std::size_t max) {
  if (!text) return fallback;
  std::string_view s(text);
  std::size_t value = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (ec != std::errc() || end != s.data() + s.size()) return fallback;
  return std::min(value, max);
}

void AppendCapped(std::string& cell, std::string_view text) {
  if (cell.size() < kMaxCellBytes) cell.append(text.substr(0, kMaxCellBytes - cell.size()));
}

// An XML parser fed from a zip entry, chunk by chunk; the handlers are the
// caller's (std::function, so that each part needs no class of its own).
class XmlPart {
 public:
  std::function<void(std::string_view ns, std::string_view local, const XML_Char** attrs)> on_start;
  std::function<void(std::string_view ns, std::string_view local)> on_end;
  std::function<void(std::string_view text)> on_text;

  XmlPart() : parser_(XML_ParserCreateNS(nullptr, '|')) {
    XML_SetUserData(parser_, this);
    XML_SetElementHandler(parser_, &XmlPart::Start, &XmlPart::End);
    XML_SetCharacterDataHandler(parser_, &XmlPart::Text);
  }
  ~XmlPart() {
    if (parser_) XML_ParserFree(parser_);
    if (file_) zip_fclose(file_);
  }
  XmlPart(const XmlPart&) = delete;
  XmlPart& operator=(const XmlPart&) = delete;

  Status Open(zip_t* archive, const std::string& name) {
    name_ = name;
    if (!parser_) return Status(ErrorKind::kInternal, Msg("out of memory for the XML parser"));
    zip_int64_t index = zip_name_locate(archive, name.c_str(), 0);
    // TRANSLATORS: {} is a part of the workbook's zip archive ("no xl/workbook.xml").
    if (index < 0) return Damaged(Msg("no {}", name));
    file_ = zip_fopen_index(archive, static_cast<zip_uint64_t>(index), 0);
    if (!file_) return Damaged(Message{name + ": " + zip_strerror(archive), ""});
    return OkStatus();
  }

  // Feeds one chunk; *done once the part is all parsed.
  Status Feed(bool* done) {
    char buf[kChunk];
    zip_int64_t n = zip_fread(file_, buf, sizeof buf);
    if (n < 0) return Damaged(Message{name_ + ": " + zip_file_strerror(file_), ""});
    read_ += static_cast<std::size_t>(n);
    if (read_ > kMaxEntryBytes) return Damaged(Msg("{} inflates to more than 512 MiB", name_));
    *done = n == 0;
    if (XML_Parse(parser_, buf, static_cast<int>(n), *done) != XML_STATUS_OK) {
      if (XML_GetErrorCode(parser_) == XML_ERROR_ABORTED) {  // Stop(): the rest is not wanted
        *done = true;
        return OkStatus();
      }
      // TRANSLATORS: a part of the workbook, a line number in it, and expat's (English) error.
      return Damaged(Msg("{} line {}: {}", name_, XML_GetCurrentLineNumber(parser_),
                         XML_ErrorString(XML_GetErrorCode(parser_))));
    }
    return OkStatus();
  }

  Status ParseAll() {
    bool done = false;
    while (!done)
      if (Status s = Feed(&done); !s.ok()) return s;
    return OkStatus();
  }

  // Stops the parse from a handler (the rest of the part is not wanted).
  void Stop() { XML_StopParser(parser_, XML_FALSE); }

 private:
  static void Start(void* self, const XML_Char* name, const XML_Char** attrs) {
    auto* part = static_cast<XmlPart*>(self);
    auto [ns, local] = Split(name);
    if (part->on_start) part->on_start(ns, local, attrs);
  }
  static void End(void* self, const XML_Char* name) {
    auto* part = static_cast<XmlPart*>(self);
    auto [ns, local] = Split(name);
    if (part->on_end) part->on_end(ns, local);
  }
  static void Text(void* self, const XML_Char* text, int len) {
    auto* part = static_cast<XmlPart*>(self);
    if (part->on_text) part->on_text(std::string_view(text, static_cast<std::size_t>(len)));
  }

  XML_Parser parser_;
  zip_file_t* file_ = nullptr;
  std::string name_;
  std::size_t read_ = 0;
};

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
using Archive = std::unique_ptr<zip_t, ZipCloser>;

bool HasEntry(zip_t* archive, const char* name) { return zip_name_locate(archive, name, 0) >= 0; }

std::string ReadSmallEntry(zip_t* archive, const char* name) {
  std::string out;
  zip_file_t* f = zip_fopen(archive, name, 0);
  if (!f) return out;
  char buf[256];
  zip_int64_t n;
  while (out.size() < 4096 && (n = zip_fread(f, buf, sizeof buf)) > 0) out.append(buf, static_cast<std::size_t>(n));
  zip_fclose(f);
  return out;
}

Status RowTooLarge(std::size_t row) {
  return Status(ErrorKind::kInvalidArgument,
                Msg("row {} holds more than 4 MiB of text: not a list of SIRETs", row));
}

Status NoSuchSheet(const std::string& wanted, const std::vector<std::string>& names) {
  constexpr std::size_t kShown = 20;
  std::string list;
  for (std::size_t i = 0; i < names.size() && i < kShown; ++i) list += (i ? ", \"" : "\"") + names[i] + "\"";
  const std::string shown = ReplaceInvalidUtf8(wanted);
  if (list.empty())
    return Status(ErrorKind::kInvalidArgument, Msg("--sheet \"{}\": no such sheet (the workbook has none)", shown));
  if (names.size() > kShown)
    return Status(ErrorKind::kInvalidArgument,
                  Msg("--sheet \"{}\": no such sheet (the workbook has {} and {} more)", shown, list,
                      names.size() - kShown));
  return Status(ErrorKind::kInvalidArgument, Msg("--sheet \"{}\": no such sheet (the workbook has {})", shown, list));
}

// Rows waiting to be handed out; an .ods row may stand for many (repeated).
struct RowQueue {
  struct Entry {
    Row row;
    std::size_t repeat = 1;
  };
  std::deque<Entry> entries;

  bool Pop(Row* out) {
    if (entries.empty()) return false;
    Entry& e = entries.front();
    *out = e.row;
    if (--e.repeat == 0) entries.pop_front();
    else ++e.row.number;
    return true;
  }
};

bool AnyNonEmpty(const std::vector<std::string>& cells) {
  return std::any_of(cells.begin(), cells.end(), [](const std::string& c) { return !TrimView(c).empty(); });
}

// ---------------------------------------------------------------- .xlsx

// "BC12" -> 54 (0-based column of BC); nullopt for a malformed reference.
std::optional<std::size_t> ColumnOf(std::string_view ref) {
  std::size_t col = 0, letters = 0;
  for (char c : ref) {
    char u = (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
    if (u < 'A' || u > 'Z') break;
    col = col * 26 + static_cast<std::size_t>(u - 'A' + 1);
    if (++letters > 3) return std::nullopt;
  }
  if (letters == 0 || col > kMaxColumns) return std::nullopt;
  return col - 1;
}

class XlsxSheet final : public Sheet {
 public:
  static StatusOr<std::unique_ptr<Sheet>> Open(std::unique_ptr<XlsxSheet> self, const std::string& wanted) {
    XlsxSheet& s = *self;
    s.format_ = ".xlsx";
    // The sheets in workbook order, and where each is.
    std::vector<std::pair<std::string, std::string>> sheets;  // name, relationship id
    {
      XmlPart part;
      part.on_start = [&](std::string_view, std::string_view local, const XML_Char** attrs) {
        if (local != "sheet") return;
        const XML_Char* name = Attr(attrs, "name");
        const XML_Char* id = nullptr;
        for (int i = 0; attrs[i]; i += 2)
          if (Split(attrs[i]).second == "id" && !Split(attrs[i]).first.empty()) id = attrs[i + 1];
        if (name && id) sheets.emplace_back(name, id);
      };
      if (Status st = part.Open(s.archive_.get(), "xl/workbook.xml"); !st.ok()) return st;
      if (Status st = part.ParseAll(); !st.ok()) return st;
    }
    std::vector<std::string> names;
    for (const auto& [name, id] : sheets) names.push_back(name);
    auto chosen = sheets.begin();
    if (!wanted.empty())
      chosen = std::find_if(sheets.begin(), sheets.end(), [&](const auto& p) { return EqualsIgnoreCase(p.first, wanted); });
    if (chosen == sheets.end()) {
      if (!wanted.empty()) return NoSuchSheet(wanted, names);
      return Damaged(Msg("xl/workbook.xml lists no sheet"));
    }
    s.name_ = chosen->first;
    std::string target;
    {
      XmlPart part;
      part.on_start = [&](std::string_view, std::string_view local, const XML_Char** attrs) {
        if (local != "Relationship") return;
        const XML_Char* id = Attr(attrs, "Id");
        const XML_Char* to = Attr(attrs, "Target");
        if (id && to && chosen->second == id) target = to;
      };
      if (Status st = part.Open(s.archive_.get(), "xl/_rels/workbook.xml.rels"); !st.ok()) return st;
      if (Status st = part.ParseAll(); !st.ok()) return st;
    }
    if (target.empty()) return Damaged(Msg("sheet \"{}\" has no part", s.name_));
    s.part_path_ = target[0] == '/' ? target.substr(1) : "xl/" + target;
    if (HasEntry(s.archive_.get(), "xl/sharedStrings.xml"))
      if (Status st = s.ReadSharedStrings(); !st.ok()) return st;
    s.SetUpSheetHandlers();
    if (Status st = s.sheet_.Open(s.archive_.get(), s.part_path_); !st.ok()) return st;
    return std::unique_ptr<Sheet>(std::move(self));
  }

  XlsxSheet(std::shared_ptr<const std::string> bytes, Archive archive)
      : bytes_(std::move(bytes)), archive_(std::move(archive)) {}

  StatusOr<bool> Next(Row* row) override {
    while (queue_.entries.empty()) {
      if (oversized_) return RowTooLarge(row_.number);
      if (done_) return false;
      if (Status s = sheet_.Feed(&done_); !s.ok()) return s;
    }
    return queue_.Pop(row);
  }

 private:
  Status ReadSharedStrings() {
    XmlPart part;
    std::string current;
    std::size_t total = 0;
    int phonetic = 0;  // inside <rPh>: reading aids, not the text
    bool in_t = false, in_si = false;
    part.on_start = [&](std::string_view, std::string_view local, const XML_Char**) {
      if (local == "si") in_si = true, current.clear();
      else if (local == "rPh") ++phonetic;
      else if (local == "t") in_t = true;
    };
    part.on_end = [&](std::string_view, std::string_view local) {
      if (local == "t") in_t = false;
      else if (local == "rPh") --phonetic;
      else if (local == "si" && in_si) {
        in_si = false;
        total += current.size() + 32;
        if (total > kMaxSharedBytes) part.Stop();
        shared_.push_back(current);
      }
    };
    part.on_text = [&](std::string_view text) {
      if (in_si && in_t && phonetic == 0) AppendCapped(current, text);
    };
    if (Status st = part.Open(archive_.get(), "xl/sharedStrings.xml"); !st.ok()) return st;
    Status st = part.ParseAll();
    if (total > kMaxSharedBytes) return Damaged(Msg("xl/sharedStrings.xml holds more than 64 MiB of text"));
    return st;
  }

  void SetUpSheetHandlers() {
    sheet_.on_start = [this](std::string_view, std::string_view local, const XML_Char** attrs) {
      if (local == "row") {
        row_ = Row{};
        std::size_t number = ParseCount(Attr(attrs, "r"), last_row_ + 1, kMaxRowNumber);
        row_.number = std::max(number, last_row_ + 1);  // rows only go down
        next_column_ = 0;
        row_bytes_ = 0;
        in_row_ = true;
      } else if (local == "c" && in_row_) {
        const XML_Char* ref = Attr(attrs, "r");
        auto col = ref ? ColumnOf(ref) : std::optional<std::size_t>(next_column_);
        column_ = col.value_or(next_column_);
        const XML_Char* type = Attr(attrs, "t");
        type_ = type ? type : "n";
        value_.clear();
        in_cell_ = true;
      } else if (in_cell_ && (local == "v" || local == "t")) {
        in_value_ = true;
      } else if (in_cell_ && local == "rPh") {
        ++phonetic_;
      }
    };
    sheet_.on_end = [this](std::string_view, std::string_view local) {
      if (local == "v" || local == "t") {
        in_value_ = false;
      } else if (local == "rPh") {
        --phonetic_;
      } else if (local == "c" && in_cell_) {
        in_cell_ = false;
        if (column_ < kMaxColumns) {
          std::string text = CellText();
          row_bytes_ += text.size() + 1;
          if (row_bytes_ > kMaxRowBytes) {
            oversized_ = true;
            sheet_.Stop();
          }
          if (row_.cells.size() <= column_) row_.cells.resize(column_ + 1);
          row_.cells[column_] = std::move(text);
        }
        next_column_ = column_ + 1;
      } else if (local == "row" && in_row_) {
        in_row_ = false;
        last_row_ = row_.number;
        if (AnyNonEmpty(row_.cells)) queue_.entries.push_back({std::move(row_), 1});
      }
    };
    sheet_.on_text = [this](std::string_view text) {
      if (in_value_ && phonetic_ == 0) AppendCapped(value_, text);
    };
  }

  std::string CellText() const {
    if (type_ == "s") {
      std::size_t index = ParseCount(value_.c_str(), shared_.size(), shared_.size());
      return index < shared_.size() ? shared_[index] : "";
    }
    if (type_ == "n") return IntegralNumberText(value_);
    return value_;  // str (a formula's text), inlineStr, b, e, d
  }

  std::shared_ptr<const std::string> bytes_;  // what archive_ reads: destroyed after it
  Archive archive_;
  std::vector<std::string> shared_;
  std::string part_path_;
  XmlPart sheet_;
  bool done_ = false;
  RowQueue queue_;
  Row row_;
  std::size_t last_row_ = 0, next_column_ = 0, column_ = 0;
  std::string type_, value_;
  bool in_row_ = false, in_cell_ = false, in_value_ = false, oversized_ = false;
  int phonetic_ = 0;
  std::size_t row_bytes_ = 0;
};

// ----------------------------------------------------------------- .ods

class OdsSheet final : public Sheet {
 public:
  static StatusOr<std::unique_ptr<Sheet>> Open(std::unique_ptr<OdsSheet> self, const std::string& wanted) {
    OdsSheet& s = *self;
    s.format_ = ".ods";
    s.wanted_ = wanted;
    s.SetUpHandlers();
    if (Status st = s.content_.Open(s.archive_.get(), "content.xml"); !st.ok()) return st;
    // Parse up to the chosen table's first row, so that a missing sheet is
    // reported now, with the names of those that exist.
    while (!s.chosen_ && !s.done_)
      if (Status st = s.content_.Feed(&s.done_); !st.ok()) return st;
    if (!s.chosen_) {
      if (!wanted.empty()) return NoSuchSheet(wanted, s.names_);
      return Damaged(Msg("content.xml holds no sheet"));
    }
    return std::unique_ptr<Sheet>(std::move(self));
  }

  OdsSheet(std::shared_ptr<const std::string> bytes, Archive archive)
      : bytes_(std::move(bytes)), archive_(std::move(archive)) {}

  StatusOr<bool> Next(Row* row) override {
    while (queue_.entries.empty()) {
      if (oversized_) return RowTooLarge(next_row_);
      if (done_ || finished_) return false;
      if (Status s = content_.Feed(&done_); !s.ok()) return s;
    }
    return queue_.Pop(row);
  }

 private:
  void SetUpHandlers() {
    content_.on_start = [this](std::string_view ns, std::string_view local, const XML_Char** attrs) {
      if (ns == kOdsTable && local == "table") {
        ++table_depth_;
        if (table_depth_ != 1) return;
        const XML_Char* name = Attr(attrs, "name", kOdsTable);
        std::string n = name ? name : "";
        names_.push_back(n);
        if (!chosen_ && !finished_ && (wanted_.empty() || EqualsIgnoreCase(n, wanted_))) {
          chosen_ = true;
          in_chosen_ = true;
          name_ = n;
        }
        return;
      }
      if (!in_chosen_ || table_depth_ != 1) return;
      if (ns == kOdsOffice && local == "annotation") ++skipped_;
      if (skipped_) return;
      if (ns == kOdsTable && local == "table-row") {
        row_ = Row{};
        row_repeat_ = ParseCount(Attr(attrs, "number-rows-repeated", kOdsTable), 1, kMaxRowNumber);
        pending_empty_ = 0;
        row_bytes_ = 0;
        in_row_ = true;
      } else if (ns == kOdsTable && (local == "table-cell" || local == "covered-table-cell") && in_row_) {
        cell_repeat_ = ParseCount(Attr(attrs, "number-columns-repeated", kOdsTable), 1, kMaxColumns);
        cell_.clear();
        paragraphs_ = 0;
        const XML_Char* type = Attr(attrs, "value-type", kOdsOffice);
        const XML_Char* value = Attr(attrs, "value", kOdsOffice);
        // A number's exact value; what the cell shows may be "7,33E+13".
        number_ = (type && std::string_view(type) == "float" && value) ? std::optional<std::string>(value) : std::nullopt;
        in_cell_ = true;
      } else if (in_cell_ && ns == kOdsText) {
        if (local == "p" || local == "h") {
          if (paragraphs_++ > 0) AppendCapped(cell_, "\n");
        } else if (local == "s") {
          AppendCapped(cell_, std::string(ParseCount(Attr(attrs, "c", kOdsText), 1, 1024), ' '));
        } else if (local == "tab") {
          AppendCapped(cell_, "\t");
        } else if (local == "line-break") {
          AppendCapped(cell_, "\n");
        }
      }
    };
    content_.on_end = [this](std::string_view ns, std::string_view local) {
      if (ns == kOdsTable && local == "table") {
        if (table_depth_-- == 1 && in_chosen_) {
          in_chosen_ = false;
          finished_ = true;
          content_.Stop();  // the other sheets are not wanted
        }
        return;
      }
      if (!in_chosen_ || table_depth_ != 1) return;
      if (ns == kOdsOffice && local == "annotation") {
        --skipped_;
        return;
      }
      if (skipped_) return;
      if (ns == kOdsTable && (local == "table-cell" || local == "covered-table-cell") && in_cell_) {
        in_cell_ = false;
        std::string text = number_ ? IntegralNumberText(*number_) : cell_;
        if (TrimView(text).empty()) {
          pending_empty_ += cell_repeat_;  // trailing empty cells are never stored
        } else {
          std::size_t at = row_.cells.size() + pending_empty_;
          pending_empty_ = 0;
          std::size_t n = at >= kMaxColumns ? 0 : std::min(cell_repeat_, kMaxColumns - at);
          row_bytes_ += n * (text.size() + 1);
          if (row_bytes_ > kMaxRowBytes) {
            oversized_ = true;
            content_.Stop();
            return;
          }
          if (n > 0) {
            row_.cells.resize(at);
            row_.cells.insert(row_.cells.end(), n, text);
          }
        }
      } else if (ns == kOdsTable && local == "table-row" && in_row_) {
        in_row_ = false;
        row_.number = next_row_;
        next_row_ = std::min(next_row_ + row_repeat_, kMaxRowNumber);
        if (!row_.cells.empty() && row_.number < kMaxRowNumber)
          queue_.entries.push_back({std::move(row_), std::min(row_repeat_, kMaxRowNumber - row_.number)});
      }
    };
    content_.on_text = [this](std::string_view text) {
      if (in_cell_ && !skipped_ && paragraphs_ > 0) AppendCapped(cell_, text);
    };
  }

  std::shared_ptr<const std::string> bytes_;  // what archive_ reads: destroyed after it
  Archive archive_;
  XmlPart content_;
  std::string wanted_;
  std::vector<std::string> names_;
  bool chosen_ = false, in_chosen_ = false, finished_ = false, done_ = false;
  int table_depth_ = 0, skipped_ = 0;
  RowQueue queue_;
  Row row_;
  std::size_t next_row_ = 1, row_repeat_ = 1, cell_repeat_ = 1, pending_empty_ = 0, paragraphs_ = 0;
  std::string cell_;
  std::optional<std::string> number_;
  bool in_row_ = false, in_cell_ = false, oversized_ = false;
  std::size_t row_bytes_ = 0;
};

}  // namespace

bool LooksLikeZip(std::string_view head) { return head.substr(0, 4) == std::string_view("PK\x03\x04", 4); }

std::string IntegralNumberText(const std::string& value) {
  std::string_view s = TrimView(value);
  double number = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), number);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return value;
  if (!(number >= 0 && number < 1e15) || std::floor(number) != number) return value;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.0f", number);
  return buf;
}

StatusOr<std::unique_ptr<Sheet>> OpenSheet(std::string archive_bytes, const std::string& sheet) {
  zip_error_t error;
  zip_error_init(&error);
  // The source keeps a pointer to the bytes: the sheet owns them.
  auto bytes = std::make_shared<const std::string>(std::move(archive_bytes));
  zip_source_t* source = zip_source_buffer_create(bytes->data(), bytes->size(), 0, &error);
  if (!source) {
    zip_error_fini(&error);
    return Status(ErrorKind::kInternal, Msg("cannot read the workbook from memory"));
  }
  Archive archive(zip_open_from_source(source, ZIP_RDONLY, &error));
  if (!archive) {
    zip_source_free(source);
    std::string why = zip_error_strerror(&error);
    zip_error_fini(&error);
    return Status(ErrorKind::kInvalidArgument, Msg("a damaged zip archive ({}), not a readable workbook", why));
  }
  zip_error_fini(&error);
  if (HasEntry(archive.get(), "xl/workbook.xml"))
    return XlsxSheet::Open(std::make_unique<XlsxSheet>(bytes, std::move(archive)), sheet);
  if (HasEntry(archive.get(), "content.xml") && ReadSmallEntry(archive.get(), "mimetype").rfind(kOdsMime, 0) == 0)
    return OdsSheet::Open(std::make_unique<OdsSheet>(bytes, std::move(archive)), sheet);
  return Status(ErrorKind::kInvalidArgument,
                Msg("a zip archive that is not an .xlsx or .ods workbook: save the list as CSV (or .xlsx)"));
}

}  // namespace chorus::workbook
