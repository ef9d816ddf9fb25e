// The reader behind every --from FILE: one SIRET a line, a CSV export (comma,
// semicolon or tab; header or not) in UTF-8 with or without BOM or in
// Windows-1252 (French Excel's "CSV (séparateur: point-virgule)"), or an
// .xlsx / .ods workbook; CRLF, blank lines and rows empty in every cell,
// SIRETs with spaces, dots or no-break spaces, and what Excel does to them.
// It streams: memory grows only with the set of SIRETs seen (8 bytes each,
// for duplicate detection) and, for an .xlsx, with its shared strings.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "chorus/siret.h"
#include "chorus/status.h"

namespace chorus {

struct BulkInputOptions {
  // The SIRET column: a header name (case-insensitive) or a 1-based number.
  // Empty: the header containing "siret" (two such headers are an error),
  // else the only column, else the column whose first value looks like a
  // SIRET (two such columns are an error).
  std::string column;
  // A workbook's sheet, by name (case-insensitive); empty: the first sheet.
  // An error for text input.
  std::string sheet;
};

// How an input was read, once the reader knows.
enum class InputEncoding {
  kAscii,        // nothing but ASCII so far: every encoding reads it the same
  kUtf8,         // UTF-8 without BOM
  kUtf8Bom,      // UTF-8 with BOM (Excel's "CSV UTF-8")
  kWindows1252,  // not UTF-8: Windows-1252, French Excel's plain CSV
  kXlsx,         // an Office Open XML workbook
  kOds,          // an OpenDocument spreadsheet
};

struct BulkLine {
  std::size_t line = 0;         // 1-based line number in the input (a workbook's row)
  std::string text;             // the SIRET field as written (trimmed), in UTF-8
  std::optional<Siret> siret;   // set when valid
  std::string error;            // why the line is invalid, when it is (English: machine formats)
  std::string localized_error;  // the same in the user's language; empty: error
  const std::string& human_error() const { return localized_error.empty() ? error : localized_error; }
  std::size_t duplicate_of = 0; // line of the first occurrence, for a repeated SIRET
};

namespace detail {
class RecordSource;
}

class BulkInputReader {
 public:
  BulkInputReader(std::istream& in, BulkInputOptions options = {});
  ~BulkInputReader();
  BulkInputReader(const BulkInputReader&) = delete;
  BulkInputReader& operator=(const BulkInputReader&) = delete;

  // Fills *out with the next data line (blank lines, '#' comment lines and
  // rows empty in every cell are skipped) and returns true, or returns false
  // at the end of the input. An error (kInvalidArgument) means the input as a
  // whole is unusable: no such column or sheet, an ambiguous SIRET column, a
  // binary file that is not a workbook (.xls, PDF, image: save it as CSV), an
  // I/O error.
  StatusOr<bool> Next(BulkLine* out);

  char delimiter() const { return delimiter_; }  // '\0' for one value a line and for workbooks
  bool has_header() const { return has_header_; }
  std::size_t column_index() const { return column_; }  // 0-based

  // How the input is read: for text, what its bytes showed so far (final at
  // the end of the input); for a workbook, from the first Next() on.
  InputEncoding encoding() const;
  // The same for people, to say once on stderr: "Windows-1252 (French
  // Excel's CSV)", "sheet \"Clients\" of an .xlsx workbook", "UTF-8 with BOM".
  std::string EncodingDescription() const;

 private:
  Status Open();
  Status DetectLayout(const std::vector<std::string>& fields);

  std::istream& in_;
  BulkInputOptions options_;
  std::unique_ptr<detail::RecordSource> source_;
  bool layout_known_ = false;
  bool has_header_ = false;
  char delimiter_ = '\0';
  std::size_t column_ = 0;
  std::unordered_map<std::uint64_t, std::size_t> seen_;
};

// Splits one CSV record: double quotes around a field, "" inside quotes.
std::vector<std::string> SplitCsvLine(const std::string& line, char delimiter);

// Windows-1252 bytes as UTF-8 (the five bytes it leaves undefined become the
// C1 controls of the same value, as browsers decode them).
std::string Windows1252ToUtf8(std::string_view bytes);

}  // namespace chorus
