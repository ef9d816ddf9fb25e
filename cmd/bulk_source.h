// The input of a bulk command: SIRETs given as arguments and/or read from a
// --from file (stdin for "-"), validated whole before anything is sent.
#pragma once

#include <cstdint>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "chorus/bulk.h"
#include "chorus/bulk_input.h"
#include "chorus/status.h"

namespace chorus::cli {

class App;

class BulkSource {
 public:
  std::istream& stream() { return file_ ? *file_ : std::cin; }
  const std::string& name() const { return name_; }

  friend StatusOr<BulkSource> OpenBulkSource(const std::string& path);

 private:
  std::unique_ptr<std::ifstream> file_;
  std::string name_;
};

// A file, or stdin for "-".
StatusOr<BulkSource> OpenBulkSource(const std::string& path);

struct SiretInput {
  std::vector<std::string> args;
  std::string from;    // file, "-" for stdin, or empty
  std::string column;  // --column
  std::string sheet;   // --sheet, for a workbook
  bool skip_invalid = false;
};

// Arguments then file lines, read once.
class SiretSource {
 public:
  static StatusOr<std::unique_ptr<SiretSource>> Open(const SiretInput& input);

  // Calls visit(line, where) for every line, valid or not, in input order;
  // `where` is "argument N" or "FILE line N". visit returns false to stop.
  Status ForEach(const std::function<bool(const BulkLine&, const std::string& where)>& visit);

  // "FILE: read as Windows-1252 text (...)" once the input has been read
  // to its end, "" for plain ASCII (or no file).
  const std::string& encoding_note() const { return encoding_note_; }

 private:
  SiretInput input_;
  std::string name_;
  std::string encoding_note_;
};

// The SIRETs of a bulk input, checked in one pass: invalid entries are listed
// on stderr with where they are (and, unless --skip-invalid, make this a
// kInvalidArgument error: nothing is sent); the valid, first-seen ones are
// spooled as items {"line": where in the input, "siret": digits}. The run
// then sends exactly what was checked, even if the file changes meanwhile.
struct BulkInput {
  std::unique_ptr<bulk::ItemSpool> items;
  std::size_t invalid = 0;  // entries listed on stderr and left out
  bool from_stdin = false;  // stdin was the data: a confirmation asks on /dev/tty
};
StatusOr<BulkInput> SpoolSirets(const App& app, const SiretInput& input);

// An item's payload: the JSON fields its records start with.
nlohmann::json ItemFields(const bulk::Item& item);

}  // namespace chorus::cli
