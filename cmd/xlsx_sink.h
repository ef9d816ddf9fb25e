// -o xlsx: records as the rows of one worksheet, for French Excel without
// any import step. libxlsxwriter writes files, so the workbook is built in a
// temporary file (constant memory: rows go to disk as they come) and copied
// to stdout at the end. Built only when libxlsxwriter is found
// (CHORUS_HAVE_XLSX); otherwise Available() is false and -o xlsx is refused.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace chorus::cli {

class XlsxSink {
 public:
  static bool Available();
  // The header row: the field names.
  explicit XlsxSink(const std::vector<std::string>& header);
  // Unfinished (a command that failed): the temporary file goes, nothing is written.
  ~XlsxSink();
  // Strings as text, numbers as numbers, booleans as TRUE/FALSE, null empty;
  // arrays and objects as their text (`text` of each cell).
  void Row(const std::vector<const nlohmann::json*>& values, const std::vector<std::string>& text);
  // Closes the workbook and copies it to `out`; false when it could not be written.
  bool Finish(std::ostream& out);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace chorus::cli
