#include "output.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <ostream>

#include "terminal_text.h"

namespace chorus::cli {

using nlohmann::json;

std::optional<OutputFormat> ParseOutputFormat(std::string_view name) {
  if (name == "table") return OutputFormat::kTable;
  if (name == "json") return OutputFormat::kJson;
  if (name == "ndjson") return OutputFormat::kNdjson;
  if (name == "tsv") return OutputFormat::kTsv;
  if (name == "csv") return OutputFormat::kCsv;
  return std::nullopt;
}

std::string CellText(const json& value) {
  switch (value.type()) {
    case json::value_t::null: return "-";
    case json::value_t::boolean: return value.get<bool>() ? "yes" : "no";
    case json::value_t::string: return value.get<std::string>();
    case json::value_t::array: {
      std::string out;
      for (const auto& v : value) out += (out.empty() ? "" : ",") + CellText(v);
      return out.empty() ? "-" : out;
    }
    default: return value.dump();
  }
}

namespace {

// Tabs and newlines inside a TSV cell would break the row; other controls
// would reach whatever terminal the TSV is read on.
std::string TsvCell(const json& value) {
  std::string s = value.is_null() ? "" : CellText(value);
  for (auto& c : s)
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  return TerminalSafe(s);
}

// Every control is escaped, line breaks included: a CSV is read on terminals
// too, where a CR inside a quoted cell rewrites the line.
std::string CsvCell(const json& value) {
  std::string s = value.is_null() ? "" : TerminalSafe(CellText(value));
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string quoted = "\"";
  for (char c : s) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + "\"";
}

// Display width of UTF-8 text: count code points, not bytes.
size_t DisplayWidth(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s)
    if ((c & 0xC0) != 0x80) ++n;
  return n;
}

const json& Field(const json& record, const std::string& key) {
  static const json kNull;
  auto it = record.find(key);
  return it == record.end() ? kNull : *it;
}

}  // namespace

struct RecordPrinter::Impl {
  Impl(std::ostream& o, OutputFormat f, std::vector<Column> c, bool col, bool s)
      : out(o), format(f), columns(std::move(c)), color(col), single(s) {}
  std::ostream& out;
  OutputFormat format;
  std::vector<Column> columns;
  bool color;
  bool single;
  bool header_done = false;
  bool finished = false;
  // Table: the first rows wait here to size the columns, then every row is
  // printed as it comes. json: a single object waits (it prints bare); a
  // list streams, element by element.
  std::vector<std::vector<std::string>> table_rows;
  std::vector<size_t> widths;  // set once the table has started printing
  json single_record;
  size_t json_printed = 0;

  void EmitTableRow(const std::vector<std::string>& cells, bool header);
  void StartTable();
};

// Rows held to size a table's columns; later rows are printed at once (a
// longer cell pushes its row out of line rather than holding every record).
constexpr size_t kTableSizingRows = 200;

void RecordPrinter::Impl::EmitTableRow(const std::vector<std::string>& cells, bool header) {
  std::string line;
  for (size_t i = 0; i < cells.size(); ++i) {
    std::string cell = cells[i];
    const size_t w = DisplayWidth(cells[i]);
    if (i + 1 < cells.size()) cell += std::string(widths[i] > w ? widths[i] - w + 2 : 2, ' ');
    line += cell;
  }
  while (!line.empty() && line.back() == ' ') line.pop_back();
  if (header && color) line = "\x1b[1m" + line + "\x1b[0m";
  out << line << '\n';
}

void RecordPrinter::Impl::StartTable() {
  for (const auto& c : columns) widths.push_back(DisplayWidth(c.header));
  for (const auto& row : table_rows)
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], DisplayWidth(row[i]));
  std::vector<std::string> headers;
  for (const auto& c : columns) headers.push_back(c.header);
  EmitTableRow(headers, true);
  for (const auto& row : table_rows) EmitTableRow(row, false);
  table_rows.clear();
  table_rows.shrink_to_fit();
}

RecordPrinter::RecordPrinter(std::ostream& out, OutputFormat format, std::vector<Column> columns,
                             bool color, bool single)
    : impl_(std::make_unique<Impl>(out, format, std::move(columns), color, single)) {}

RecordPrinter::~RecordPrinter() { Finish(); }

void RecordPrinter::Print(const json& record) {
  Impl& m = *impl_;
  switch (m.format) {
    case OutputFormat::kJson: {
      if (m.single && m.json_printed == 0 && m.single_record.is_null()) {
        m.single_record = record;
        break;
      }
      if (!m.single_record.is_null()) {  // a second record: it is a list after all
        json first = std::move(m.single_record);
        m.single_record = nullptr;
        m.single = false;
        Print(first);
      }
      std::string text = record.dump(2, ' ', false, json::error_handler_t::replace);
      // Indented as an element of the enclosing array.
      std::string indented = "  ";
      for (char c : text) {
        indented += c;
        if (c == '\n') indented += "  ";
      }
      m.out << (m.json_printed++ == 0 ? "[\n" : ",\n") << indented;
      break;
    }
    case OutputFormat::kNdjson:
      m.out << record.dump(-1, ' ', false, json::error_handler_t::replace) << '\n';
      break;
    case OutputFormat::kTsv: {
      std::string line;
      for (size_t i = 0; i < m.columns.size(); ++i)
        line += (i ? "\t" : "") + TsvCell(Field(record, m.columns[i].key));
      m.out << line << '\n';
      break;
    }
    case OutputFormat::kCsv: {
      if (!m.header_done) {
        std::string header;
        for (size_t i = 0; i < m.columns.size(); ++i)
          header += (i ? "," : "") + CsvCell(m.columns[i].key);
        m.out << header << "\r\n";
        m.header_done = true;
      }
      std::string line;
      for (size_t i = 0; i < m.columns.size(); ++i)
        line += (i ? "," : "") + CsvCell(Field(record, m.columns[i].key));
      m.out << line << "\r\n";
      break;
    }
    case OutputFormat::kTable: {
      std::vector<std::string> row;
      for (const auto& c : m.columns) row.push_back(TerminalSafe(CellText(Field(record, c.key))));
      if (!m.widths.empty()) {
        m.EmitTableRow(row, false);
        break;
      }
      m.table_rows.push_back(std::move(row));
      if (!m.single && m.table_rows.size() >= kTableSizingRows) m.StartTable();
      break;
    }
  }
}

void RecordPrinter::Finish() {
  Impl& m = *impl_;
  if (m.finished) return;
  m.finished = true;
  if (m.format == OutputFormat::kJson) {
    if (!m.single_record.is_null()) m.out << m.single_record.dump(2, ' ', false, json::error_handler_t::replace) << '\n';
    else if (m.json_printed == 0) m.out << "[]\n";
    else m.out << "\n]\n";
  } else if (m.format == OutputFormat::kTable) {
    if (m.single) {
      // One object reads better as "Field: value" lines than as a wide row.
      size_t width = 0;
      for (const auto& c : m.columns) width = std::max(width, DisplayWidth(c.header));
      for (const auto& row : m.table_rows)
        for (size_t i = 0; i < row.size(); ++i) {
          std::string label = m.columns[i].header + ":";
          if (m.color) label = "\x1b[1m" + label + "\x1b[0m";
          m.out << label << std::string(width - DisplayWidth(m.columns[i].header) + 2, ' ')
                << row[i] << '\n';
        }
      m.out.flush();
      return;
    }
    if (m.widths.empty()) m.StartTable();
  }
  m.out.flush();
}

}  // namespace chorus::cli
