#include "output.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <iostream>
#include <ostream>

#include "chorus/status.h"
#include "chorus/text.h"
#include "terminal_text.h"
#include "tr.h"
#include "xlsx_sink.h"

namespace chorus::cli {

using nlohmann::json;
using nlohmann::ordered_json;

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "table") return OutputFormat::kTable;
  if (name == "wide") return OutputFormat::kWide;
  if (name == "json") return OutputFormat::kJson;
  if (name == "ndjson") return OutputFormat::kNdjson;
  if (name == "tsv") return OutputFormat::kTsv;
  if (name == "csv") return OutputFormat::kCsv;
  if (name == "xlsx") return OutputFormat::kXlsx;
  return std::nullopt;
}

std::string CellText(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "-";
    case json::value_t::boolean: return value.get<bool>() ? Tr("yes") : Tr("no");
    case json::value_t::string: return value.get<std::string>();
    case json::value_t::array: {
      std::string out;
      for (const auto& v : value) out += (out.empty() ? "" : ",") + CellText(v);
      return out.empty() ? "-" : out;
    }
    case json::value_t::object:
      if (auto it = value.find("message"); it != value.end() && it->is_string()) return it->get<std::string>();
      return value.dump(-1, ' ', false, json::error_handler_t::replace);
    default: return value.dump();
  }
}

std::string StatusWord(const std::string& value) {
  if (value == "active") return Tr("active");
  if (value == "pending") return Tr("pending");
  if (value == "refused") return Tr("refused");
  if (value == "pending_activation") return Tr("pending_activation");
  if (value == "inactive") return Tr("inactive");
  return value;
}

std::string RoleWord(const std::string& role) {
  // TRANSLATORS: the portal's role codes, as its French pages name them.
  if (role == "GESTIONNAIRE_PRINCIPAL") return Tr("GESTIONNAIRE_PRINCIPAL");
  if (role == "GESTIONNAIRE") return Tr("GESTIONNAIRE");
  if (role == "UTILISATEUR") return Tr("UTILISATEUR");
  return role;
}

namespace {

// list pending's direction: a request to the user's structures, or theirs.
std::string DirectionWord(const std::string& value) {
  if (value == "incoming") return Tr("incoming");
  if (value == "outgoing") return Tr("outgoing");
  return value;
}

bool EndsWith(std::string_view s, std::string_view end) {
  return s.size() >= end.size() && s.substr(s.size() - end.size()) == end;
}

}  // namespace

std::string TableText(const Column& column, const json& value) {
  if (value.is_boolean()) return value.get<bool>() ? Tr("yes") : Tr("no");
  if (value.is_string()) {
    const auto& text = value.get_ref<const std::string&>();
    if (EndsWith(column.key, "_at"))
      if (auto epoch = ParseIsoTime(text)) return HumanTime(*epoch);
    if (EndsWith(column.key, "_expiry") || EndsWith(column.key, "_date")) return HumanDate(text);
    if (column.key == "status" || EndsWith(column.key, "_status")) return StatusWord(text);
    if (column.key == "role") return RoleWord(text);
    if (column.key == "direction") return DirectionWord(text);
  }
  return CellText(value);
}

std::size_t DisplayWidth(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

std::string Shorten(const std::string& s, std::size_t width) {
  if (DisplayWidth(s) <= width) return s;
  if (width == 0) return "";
  std::string out;
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) != 0x80 && ++n == width) break;
    out += s[i];
  }
  return out + "…";
}

json ErrorObject(const Status& status, const std::string& message) {
  const auto& details = status.details();
  auto detail = [&](const char* key) -> const std::string* {
    auto it = details.find(key);
    return it == details.end() || it->second.empty() ? nullptr : &it->second;
  };
  json request_id = nullptr;
  if (const std::string* id = detail("idDemandeRattachement"))
    request_id = id->find_first_not_of("0123456789") == std::string::npos && id->size() < 19 ? json(std::stoll(*id))
                                                                                               : json(*id);
  const std::string* field = detail("champ");
  return json{{"kind", ErrorKindName(status.kind())},
              {"message", message},
              {"exit_code", ExitCodeFor(status.kind())},
              {"http_status", status.http_status() ? json(status.http_status()) : json(nullptr)},
              {"code_retour", status.code_retour() ? json(*status.code_retour()) : json(nullptr)},
              {"libelle", status.libelle().empty() ? json(nullptr) : json(status.libelle())},
              {"field", field ? json(*field) : json(nullptr)},
              {"request_id", request_id}};
}

std::string StatusValue(std::string_view portal_status) {
  if (portal_status == "ACTIF") return "active";
  if (portal_status == "EN_ATTENTE") return "pending";
  if (portal_status == "REFUSE") return "refused";
  if (portal_status == "EN_ATTENTE_ACTIVATION") return "pending_activation";
  if (portal_status == "INACTIF") return "inactive";
  return Lower(portal_status);
}

namespace {

// A value in tsv and csv: null empty, booleans true/false, arrays joined
// with ",", an error object as its message.
std::string MachineText(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "";
    case json::value_t::boolean: return value.get<bool>() ? "true" : "false";
    case json::value_t::array: {
      std::string out;
      for (const auto& v : value) out += (out.empty() ? "" : ",") + MachineText(v);
      return out;
    }
    default: return CellText(value);
  }
}

// Tabs and newlines inside a TSV cell would break the row; other controls
// would reach whatever terminal the TSV is read on.
std::string TsvCell(const json& value) {
  std::string s = MachineText(value);
  for (auto& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return TerminalSafe(s);
}

// Every control is escaped, line breaks included: a CSV is read on terminals
// too, where a CR inside a quoted cell rewrites the line.
std::string CsvCell(const std::string& text, char separator) {
  std::string s = TerminalSafe(text);
  if (s.find_first_of(std::string("\"\n\r") + separator) == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

const json& Field(const json& record, const std::string& key) {
  static const json kNull;
  auto it = record.find(key);
  return it == record.end() ? kNull : *it;
}

// The error object's fields in the order docs/output.md gives them.
constexpr const char* kErrorKeys[] = {"kind",        "message", "exit_code", "http_status",
                                      "code_retour", "libelle", "field",     "request_id"};

// A value to print: error objects in their documented order, anywhere.
ordered_json InOrder(const json& value) {
  if (value.is_array()) {
    ordered_json out = ordered_json::array();
    for (const auto& v : value) out.push_back(InOrder(v));
    return out;
  }
  if (!value.is_object()) return ordered_json(value);
  ordered_json out = ordered_json::object();
  if (value.contains("kind") && value.contains("exit_code"))
    for (const char* key : kErrorKeys)
      if (auto it = value.find(key); it != value.end()) out[key] = InOrder(*it);
  for (const auto& [key, v] : value.items())
    if (!out.contains(key)) out[key] = InOrder(v);
  return out;
}

// The record's fields in column order, and only those: the columns are the
// command's schema, so json, ndjson, tsv and csv carry the same fields in the
// same order (a field a record lacks is null).
ordered_json Ordered(const json& record, const std::vector<Column>& columns) {
  ordered_json out = ordered_json::object();
  for (const auto& c : columns) out[c.key] = InOrder(Field(record, c.key));
  return out;
}

std::string Dump(const ordered_json& j, int indent) {
  return j.dump(indent, ' ', false, ordered_json::error_handler_t::replace);
}

const char* ColorOf(Emphasis e) {
  switch (e) {
    case Emphasis::kGood: return "\x1b[32m";
    case Emphasis::kWarn: return "\x1b[33m";
    case Emphasis::kBad: return "\x1b[31m";
    case Emphasis::kNone: break;
  }
  return "";
}

struct Cell {
  std::string text;  // terminal-safe
  Emphasis emphasis = Emphasis::kNone;
};

// Narrows the widest columns, one column at a time, until the row fits in
// `width` (2 spaces between columns); no column goes below its floor.
void Fit(std::vector<std::size_t>& widths, const std::vector<std::size_t>& floors, std::size_t width) {
  std::size_t total = 0;
  for (auto w : widths) total += w;
  total += widths.empty() ? 0 : 2 * (widths.size() - 1);
  while (total > width) {
    std::size_t widest = widths.size();
    for (std::size_t i = 0; i < widths.size(); ++i)
      if (widths[i] > floors[i] && (widest == widths.size() || widths[i] > widths[widest])) widest = i;
    if (widest == widths.size()) break;
    --widths[widest];
    --total;
  }
}

}  // namespace

struct RecordPrinter::Impl {
  Impl(std::ostream& o, OutputFormat f, std::vector<Column> c, PrintOptions p)
      : out(o), format(f), columns(std::move(c)), options(p) {
    const bool wide = format == OutputFormat::kWide;
    for (std::size_t i = 0; i < columns.size(); ++i)
      if (wide || columns[i].in_table) shown.push_back(i);
    if (wide) options.width = 0;
    if (format == OutputFormat::kXlsx) {
      std::vector<std::string> header;
      for (const auto& c : columns) header.push_back(c.key);
      xlsx = std::make_unique<XlsxSink>(header);
    }
  }
  std::ostream& out;
  OutputFormat format;
  std::vector<Column> columns;
  PrintOptions options;
  std::vector<std::size_t> shown;  // the columns a table shows
  bool header_done = false;
  bool finished = false;
  // Table: the first rows wait here to size the columns, then every row is
  // printed as it comes. json: a single object waits (it prints bare); a
  // list streams, element by element.
  std::vector<std::vector<Cell>> table_rows;
  std::vector<std::size_t> widths;  // set once the table has started printing
  bool table_started = false;
  std::optional<ordered_json> single_record;
  std::size_t json_printed = 0;
  std::unique_ptr<XlsxSink> xlsx;  // -o xlsx: the header row, then a row per record

  bool is_table() const { return format == OutputFormat::kTable || format == OutputFormat::kWide; }
  void EmitTableRow(const std::vector<Cell>& cells, bool header);
  void StartTable();
  void PrintSingleTable();
  void PrintJsonElement(const ordered_json& record);
  void CsvHeader();
  void CloseJson(bool empty_list);
};

// Rows held to size a table's columns; later rows are printed at once (a
// longer cell is shortened to fit when the table fits a terminal, else
// pushes its row out of line, rather than holding every record).
constexpr std::size_t kTableSizingRows = 200;

void RecordPrinter::Impl::EmitTableRow(const std::vector<Cell>& cells, bool header) {
  std::string line;
  for (std::size_t i = 0; i < cells.size(); ++i) {
    std::string text = options.width > 0 ? Shorten(cells[i].text, widths[i]) : cells[i].text;
    const std::size_t w = DisplayWidth(text);
    const bool last = i + 1 == cells.size();
    // Colour wraps the text, never the padding: alignment counts what shows.
    if (options.color && !header && cells[i].emphasis != Emphasis::kNone)
      text = ColorOf(cells[i].emphasis) + text + "\x1b[0m";
    line += text;
    if (!last) line += std::string(widths[i] > w ? widths[i] - w + 2 : 2, ' ');
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  if (header && options.color) line = "\x1b[1m" + line + "\x1b[0m";
  out << line << '\n';
}

void RecordPrinter::Impl::StartTable() {
  table_started = true;
  std::vector<Cell> headers;
  std::vector<std::size_t> floors;
  for (std::size_t i : shown) {
    headers.push_back({TerminalSafe(columns[i].header)});
    widths.push_back(DisplayWidth(columns[i].header));
  }
  for (const auto& row : table_rows)
    for (std::size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i].text));
  if (options.width > 0) {
    // First only the long text columns give way (names, next steps), down
    // to 16 columns: SIRETs, dates and yes/no stay whole. On a terminal too
    // narrow for that, every column gives way, down to 4.
    for (std::size_t i = 0; i < widths.size(); ++i)
      floors.push_back(std::min(widths[i], std::max<std::size_t>(DisplayWidth(headers[i].text), 16)));
    Fit(widths, floors, static_cast<std::size_t>(options.width));
    for (std::size_t i = 0; i < widths.size(); ++i) floors[i] = std::min<std::size_t>(widths[i], 4);
    Fit(widths, floors, static_cast<std::size_t>(options.width));
  }
  EmitTableRow(headers, true);
  for (const auto& row : table_rows) EmitTableRow(row, false);
  table_rows.clear();
  table_rows.shrink_to_fit();
}

// One object reads better as "Field: value" lines than as a wide row.
void RecordPrinter::Impl::PrintSingleTable() {
  std::size_t label_width = 0;
  for (std::size_t i : shown) label_width = std::max(label_width, DisplayWidth(columns[i].header));
  for (const auto& row : table_rows)
    for (std::size_t j = 0; j < row.size(); ++j) {
      const std::string& header = columns[shown[j]].header;
      // TRANSLATORS: a field's label before its value ("Profil :" in French).
      std::string label = TrFormat("{}:", TerminalSafe(header));
      if (options.color) label = "\x1b[1m" + label + "\x1b[0m";
      std::string value = row[j].text;
      const std::size_t indent = label_width + 3;
      if (options.width > 0 && static_cast<std::size_t>(options.width) > indent + 8)
        value = Shorten(value, static_cast<std::size_t>(options.width) - indent);
      if (options.color && row[j].emphasis != Emphasis::kNone) value = ColorOf(row[j].emphasis) + value + "\x1b[0m";
      out << label << std::string(label_width - DisplayWidth(header) + 2, ' ') << value << '\n';
    }
  table_rows.clear();
}

void RecordPrinter::Impl::PrintJsonElement(const ordered_json& record) {
  std::string text = Dump(record, 2);
  // Indented as an element of the enclosing array.
  std::string indented = "  ";
  for (char c : text) {
    indented += c;
    if (c == '\n') indented += "  ";
  }
  out << (json_printed++ == 0 ? "[\n" : ",\n") << indented;
}

// The keys, once; French Excel reads a file as UTF-8 only after a BOM.
void RecordPrinter::Impl::CsvHeader() {
  if (header_done) return;
  header_done = true;
  const char sep = options.excel ? ';' : ',';
  std::string header = options.excel ? "\xEF\xBB\xBF" : "";
  for (std::size_t i = 0; i < columns.size(); ++i) header += (i ? std::string(1, sep) : "") + CsvCell(columns[i].key, sep);
  out << header << "\r\n";
}

void RecordPrinter::Impl::CloseJson(bool empty_list) {
  if (single_record) out << Dump(*single_record, 2) << '\n';
  else if (json_printed > 0) out << "\n]\n";
  else if (empty_list) out << "[]\n";
  single_record.reset();
}

RecordPrinter::RecordPrinter(std::ostream& out, OutputFormat format, std::vector<Column> columns,
                             PrintOptions options)
    : impl_(std::make_unique<Impl>(out, format, std::move(columns), options)) {}

RecordPrinter::~RecordPrinter() {
  Impl& m = *impl_;
  if (m.finished) return;
  if (m.format == OutputFormat::kJson) m.CloseJson(/*empty_list=*/false);
  else if (m.is_table() && !m.table_rows.empty()) Finish();
  m.out.flush();
}

void RecordPrinter::Print(const json& record) {
  Impl& m = *impl_;
  switch (m.format) {
    case OutputFormat::kJson: {
      ordered_json ordered = Ordered(record, m.columns);
      if (m.options.single && m.json_printed == 0 && !m.single_record) {
        m.single_record = std::move(ordered);
        break;
      }
      if (m.single_record) {  // a second record: it is a list after all
        ordered_json first = std::move(*m.single_record);
        m.single_record.reset();
        m.PrintJsonElement(first);
      }
      m.PrintJsonElement(ordered);
      break;
    }
    case OutputFormat::kNdjson:
      m.out << Dump(Ordered(record, m.columns), -1) << '\n';
      break;
    case OutputFormat::kTsv: {
      std::string line;
      for (std::size_t i = 0; i < m.columns.size(); ++i)
        line += (i ? "\t" : "") + TsvCell(Field(record, m.columns[i].key));
      m.out << line << '\n';
      break;
    }
    case OutputFormat::kCsv: {
      const char sep = m.options.excel ? ';' : ',';
      m.CsvHeader();
      std::string line;
      for (std::size_t i = 0; i < m.columns.size(); ++i)
        line += (i ? std::string(1, sep) : "") + CsvCell(MachineText(Field(record, m.columns[i].key)), sep);
      m.out << line << "\r\n";
      break;
    }
    case OutputFormat::kXlsx: {
      std::vector<const json*> values;
      std::vector<std::string> text;
      for (const auto& c : m.columns) {
        values.push_back(&Field(record, c.key));
        text.push_back(MachineText(*values.back()));
      }
      m.xlsx->Row(values, text);
      break;
    }
    case OutputFormat::kTable:
    case OutputFormat::kWide: {
      std::vector<Cell> row;
      for (std::size_t i : m.shown) {
        const Column& c = m.columns[i];
        const json& value = Field(record, c.key);
        const auto human = record.find(HumanKey(c.key));
        const std::string text = human != record.end() && human->is_string() ? human->get<std::string>() : TableText(c, value);
        row.push_back({TerminalSafe(text), c.emphasis ? c.emphasis(value) : Emphasis::kNone});
      }
      if (m.table_started) {
        m.EmitTableRow(row, false);
        break;
      }
      m.table_rows.push_back(std::move(row));
      if (!m.options.single && m.table_rows.size() >= kTableSizingRows) m.StartTable();
      break;
    }
  }
}

void RecordPrinter::Finish() {
  Impl& m = *impl_;
  if (m.finished) return;
  m.finished = true;
  if (m.format == OutputFormat::kJson) {
    m.CloseJson(/*empty_list=*/true);
  } else if (m.is_table()) {
    if (m.options.single) m.PrintSingleTable();
    else if (!m.table_started) m.StartTable();
  } else if (m.format == OutputFormat::kCsv) {
    m.CsvHeader();  // an empty list is its header alone
  } else if (m.format == OutputFormat::kXlsx) {
    if (!m.xlsx->Finish(m.out)) std::cerr << Tr("error:") << " " << Tr("could not write the xlsx workbook (temporary file in $TMPDIR)") << "\n";
  }
  m.out.flush();
}

std::string JsonText(const json& value, int indent) {
  return InOrder(value).dump(indent, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace chorus::cli
