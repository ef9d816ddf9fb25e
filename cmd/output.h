// Renders records for people (aligned table) and for programs (json, ndjson,
// tsv, csv). Field names are the JSON keys and are stable: additive changes only.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chorus::cli {

enum class OutputFormat { kTable, kJson, kNdjson, kTsv, kCsv };
std::optional<OutputFormat> ParseOutputFormat(std::string_view name);

struct Column {
  std::string key;     // JSON field name
  std::string header;  // table/csv header
};

// Streams records, in constant memory whatever their number: ndjson, tsv,
// csv and json write each record as it comes (json opens its array with the
// first); a table holds its first 200 rows to size its columns, then prints
// each row as it comes. Table, tsv and csv cells go through TerminalSafe
// (terminal_text.h); json and ndjson keep the values exact.
class RecordPrinter {
 public:
  // single: the command prints one object (json prints it bare, not in an array).
  RecordPrinter(std::ostream& out, OutputFormat format, std::vector<Column> columns, bool color,
                bool single = false);
  ~RecordPrinter();
  void Print(const nlohmann::json& record);
  void Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A value as a table cell: strings as is, null as "-", booleans yes/no,
// arrays joined with ",".
std::string CellText(const nlohmann::json& value);

}  // namespace chorus::cli
