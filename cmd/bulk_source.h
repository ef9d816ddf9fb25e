// Opens the input of a --from option: a file, or stdin for "-".
#pragma once

#include <fstream>
#include <iostream>
#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

#include "chorus/bulk_input.h"
#include "chorus/status.h"

namespace chorus::cli {

class BulkSource {
 public:
  std::istream& stream() { return file_ ? *file_ : std::cin; }
  const std::string& name() const { return name_; }

  friend StatusOr<BulkSource> OpenBulkSource(const std::string& path);

 private:
  std::unique_ptr<std::ifstream> file_;
  std::string name_;
};

StatusOr<BulkSource> OpenBulkSource(const std::string& path);

}  // namespace chorus::cli

namespace chorus::cli {

class App;

// A valid, first-seen SIRET of a bulk input, with where it came from.
struct SiretItem {
  std::size_t line = 0;  // line in the --from input, or position among the arguments
  std::string siret;
};

struct SiretInput {
  std::vector<std::string> args;
  std::string from;    // file, "-" for stdin, or empty
  std::string column;  // --column
  bool skip_invalid = false;
};

// Reads the SIRETs of a bulk command. Invalid lines are listed on stderr with
// their line numbers; unless skip_invalid, any makes this a kInvalidArgument
// error, before anything is sent. Repeated SIRETs are dropped (and counted in
// *duplicates when given).
StatusOr<std::vector<SiretItem>> CollectSirets(const App& app, const SiretInput& input,
                                               std::size_t* invalid = nullptr,
                                               std::size_t* duplicates = nullptr);

}  // namespace chorus::cli
