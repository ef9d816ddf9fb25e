// The input of a bulk command: SIRETs given as arguments and/or read from a
// --from file (stdin for "-"), replayable so that a run can validate the
// whole input before sending anything and then stream it again.
#pragma once

#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

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

// A valid, first-seen SIRET of a bulk input, with where it came from.
struct SiretItem {
  std::size_t line = 0;  // line in the --from input, or position among the arguments
  std::string siret;
  std::size_t seq = 0;   // order among the valid items (bulk runs print in this order)
};

struct SiretInput {
  std::vector<std::string> args;
  std::string from;    // file, "-" for stdin, or empty
  std::string column;  // --column
  bool skip_invalid = false;
};

// Arguments then file lines, as many times as needed. Stdin is copied to an
// unnamed temporary file on open, so it can be read twice in constant memory.
class SiretSource {
 public:
  static StatusOr<std::unique_ptr<SiretSource>> Open(const SiretInput& input);
  ~SiretSource();

  // Calls visit(line, where) for every line, valid or not, in input order;
  // `where` is "argument N" or "FILE line N". visit returns false to stop.
  Status ForEach(const std::function<bool(const BulkLine&, const std::string& where)>& visit);

 private:
  SiretInput input_;
  std::string name_;
  std::FILE* spool_ = nullptr;  // stdin's copy
};

struct SiretValidation {
  std::size_t valid = 0;  // first-seen valid SIRETs
  std::size_t invalid = 0;
  std::size_t duplicates = 0;
};

// Reads the whole input once: lists invalid lines on stderr with where they
// are, drops repeats, and calls on_valid for each first-seen valid SIRET.
// Unless input.skip_invalid, invalid lines make it a kInvalidArgument error
// (after the listing), so that nothing is sent for a flawed input.
StatusOr<SiretValidation> ValidateSirets(const App& app, const SiretInput& input, SiretSource& source,
                                         const std::function<void(const SiretItem&)>& on_valid);

// Reads all the SIRETs of a small bulk input (approve/reject --from). Invalid
// lines are listed on stderr; unless skip_invalid, any makes this a
// kInvalidArgument error before anything is sent. Repeats are dropped.
StatusOr<std::vector<SiretItem>> CollectSirets(const App& app, const SiretInput& input,
                                               std::size_t* invalid = nullptr,
                                               std::size_t* duplicates = nullptr);

}  // namespace chorus::cli
