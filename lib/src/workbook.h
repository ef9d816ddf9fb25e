// Internal: the rows of one sheet of an .xlsx (Office Open XML) or .ods
// (OpenDocument) workbook, for BulkInputReader. The archive is opened from
// memory with libzip; the sheet's XML is inflated and parsed (expat) a chunk
// at a time, so memory grows with the shared strings of an .xlsx, not with
// the sheet. Every limit of the format that an attacker controls (sizes,
// repeat counts, indexes) is bounded.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "chorus/status.h"

namespace chorus::workbook {

struct Row {
  std::size_t number = 0;          // 1-based, as the spreadsheet shows it
  std::vector<std::string> cells;  // UTF-8, from column A; missing cells are ""
};

class Sheet {
 public:
  virtual ~Sheet() = default;
  // The next row holding a non-empty cell; false after the last.
  virtual StatusOr<bool> Next(Row* row) = 0;
  const std::string& name() const { return name_; }
  const char* format() const { return format_; }  // ".xlsx" or ".ods"

 protected:
  std::string name_;
  const char* format_ = "";
};

// True when the bytes start like a zip archive (what both formats are).
bool LooksLikeZip(std::string_view head);

// The sheet named `sheet` (ASCII case-insensitive), or the first one when it
// is empty. kInvalidArgument when the archive is not a workbook, is damaged,
// or has no such sheet (the message lists the sheets it has).
StatusOr<std::unique_ptr<Sheet>> OpenSheet(std::string archive, const std::string& sheet);

// A spreadsheet number as the digits it stands for: "7.3282932000074E+13" and
// "73282932000074.0" give "73282932000074"; text that is not an integral
// number in [0, 1e15) comes back unchanged.
std::string IntegralNumberText(const std::string& value);

}  // namespace chorus::workbook
