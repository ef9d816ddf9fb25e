// Renders records for people (aligned table) and for programs (json, ndjson,
// tsv, csv). Field names are the JSON keys and are stable: additive changes
// only. docs/output.md lists every command's fields, in the order printed.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace chorus {
class Status;
}

namespace chorus::cli {

enum class OutputFormat { kTable, kWide, kJson, kNdjson, kTsv, kCsv, kXlsx };
std::optional<OutputFormat> ParseOutputFormat(std::string_view name);
inline bool IsJsonFormat(OutputFormat f) { return f == OutputFormat::kJson || f == OutputFormat::kNdjson; }

// How a table cell stands out on a colour terminal.
enum class Emphasis { kNone, kGood, kWarn, kBad };

// One field of a command's records. The columns are the command's schema:
// json, ndjson, tsv and csv print every column and nothing else, in this
// order (docs/output.md lists them; output_contract_test checks it); the
// table shows the in_table ones (-o wide shows them all).
struct Column {
  std::string key;     // JSON field name
  std::string header;  // table header (csv uses the key)
  bool in_table = true;
  // The colour of a table cell, from its value (doctor's results).
  Emphasis (*emphasis)(const nlohmann::json& value) = nullptr;
};

// A record may carry, beside a field, its text for people under
// HumanKey(key) ("error@human": the message in the user's language): tables
// show it instead of the field; machine formats print only the columns' keys,
// so never it.
inline std::string HumanKey(const std::string& key) { return key + "@human"; }

struct PrintOptions {
  bool color = false;   // tables: bold headers, emphasised cells
  bool single = false;  // the command prints one object (json prints it bare, not in an array)
  // Tables fit this many columns by shortening the longest cells with "…";
  // 0: no limit (not a terminal, or -o wide).
  int width = 0;
  bool excel = false;  // csv for French Excel: ';' separator, a UTF-8 BOM, CRLF
};

// Streams records, in constant memory whatever their number: ndjson, tsv,
// csv and json write each record as it comes (json opens its array with the
// first); a table holds its first 200 rows to size its columns, then prints
// each row as it comes. Table, tsv and csv cells go through TerminalSafe
// (terminal_text.h); json and ndjson keep the values exact. Every format
// carries the columns in order (null when a record lacks one), and only them.
class RecordPrinter {
 public:
  RecordPrinter(std::ostream& out, OutputFormat format, std::vector<Column> columns, PrintOptions options);
  // A printer never finished (a command that failed) prints no empty "[]";
  // a json array it started is closed.
  ~RecordPrinter();
  void Print(const nlohmann::json& record);
  // The end of the result: an empty list prints "[]" in json.
  void Finish();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A value as a table cell: strings as is, null as "-", booleans yes/no,
// arrays joined with ",", an error object as its message.
std::string CellText(const nlohmann::json& value);

// A table cell for people: CellText, but in the user's language and time:
// booleans yes/no translated, the status words of StatusValue translated, and
// an instant (a column whose key ends in "_at", ISO 8601 UTC in machine
// formats) in local time (HumanTime), a date (a key ending in "_expiry" or
// "_date") in the language's format (HumanDate).
std::string TableText(const Column& column, const nlohmann::json& value);

// The words a table shows for a status (StatusValue's values) and for one of
// the portal's role codes, in the user's language; machine formats keep the
// values themselves.
std::string StatusWord(const std::string& value);
std::string RoleWord(const std::string& role);

// A failure as JSON, the same object everywhere: what a command that fails
// prints with -o json/ndjson (as {"error": ...}) and the `error` of a bulk
// record. kind, message, exit_code; http_status, code_retour, libelle,
// field, request_id when known (null otherwise).
nlohmann::json ErrorObject(const Status& status, const std::string& message);

// JSON text of a value, error objects (anywhere in it) in their documented
// field order; invalid UTF-8 replaced.
std::string JsonText(const nlohmann::json& value, int indent = -1);

// A portal status in chorus's vocabulary, the same in every command:
// ACTIF → active, EN_ATTENTE → pending, REFUSE → refused,
// EN_ATTENTE_ACTIVATION → pending_activation, INACTIF → inactive; any other
// code in lower case.
std::string StatusValue(std::string_view portal_status);

// A number of code points of UTF-8 text: its width on a terminal, close enough.
std::size_t DisplayWidth(std::string_view s);
// `s` cut to `width` code points, its last one "…" when it was longer.
std::string Shorten(const std::string& s, std::size_t width);

}  // namespace chorus::cli
