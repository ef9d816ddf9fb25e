// The reader behind every --from FILE: one SIRET a line or a CSV export
// (comma, semicolon or tab; header or not), UTF-8 with or without BOM, CRLF,
// blank lines, SIRETs with spaces or dots. It streams: memory grows only with
// the set of SIRETs seen (8 bytes each, for duplicate detection).
#pragma once

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "chorus/siret.h"
#include "chorus/status.h"

namespace chorus {

struct BulkInputOptions {
  // The SIRET column: a header name (case-insensitive) or a 1-based number.
  // Empty: a header containing "siret", else the only column, else the first
  // column whose first value looks like a SIRET.
  std::string column;
};

struct BulkLine {
  std::size_t line = 0;         // 1-based line number in the input
  std::string text;             // the SIRET field as written (trimmed)
  std::optional<Siret> siret;   // set when valid
  std::string error;            // why the line is invalid, when it is
  std::size_t duplicate_of = 0; // line of the first occurrence, for a repeated SIRET
};

class BulkInputReader {
 public:
  BulkInputReader(std::istream& in, BulkInputOptions options = {});

  // Fills *out with the next data line (blank and '#' comment lines are
  // skipped) and returns true, or returns false at the end of the input. An
  // error means the input as a whole is unusable (no such column, I/O error).
  StatusOr<bool> Next(BulkLine* out);

  char delimiter() const { return delimiter_; }  // '\0' for one value a line
  bool has_header() const { return has_header_; }
  std::size_t column_index() const { return column_; }  // 0-based

 private:
  Status DetectLayout(const std::string& first_line);
  bool ReadLine(std::string* line);

  std::istream& in_;
  BulkInputOptions options_;
  std::size_t line_number_ = 0;
  bool layout_known_ = false;
  bool has_header_ = false;
  char delimiter_ = '\0';
  std::size_t column_ = 0;
  std::unordered_map<std::uint64_t, std::size_t> seen_;
};

// Splits one CSV record: double quotes around a field, "" inside quotes.
std::vector<std::string> SplitCsvLine(const std::string& line, char delimiter);

}  // namespace chorus
