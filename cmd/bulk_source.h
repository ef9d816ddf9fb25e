// The input of a bulk command: SIRETs given as arguments and/or read from a
// --from file (stdin for "-"), replayable so that a run can validate the
// whole input before sending anything and then stream it again.
#pragma once

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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

// Arguments then file lines, as many times as needed. Stdin is copied to an
// unnamed temporary file on open, so it can be read twice in constant memory.
class SiretSource {
 public:
  static StatusOr<std::unique_ptr<SiretSource>> Open(const SiretInput& input);
  ~SiretSource();

  // Calls visit(line, where) for every line, valid or not, in input order;
  // `where` is "argument N" or "FILE line N". visit returns false to stop.
  Status ForEach(const std::function<bool(const BulkLine&, const std::string& where)>& visit);

  // Issue 12 hook: "FILE: read as Windows-1252 text (...)" once the input
  // has been read to its end, "" for plain ASCII (or no file).
  const std::string& encoding_note() const { return encoding_note_; }

 private:
  SiretInput input_;
  std::string name_;
  std::FILE* spool_ = nullptr;  // stdin's copy
  std::string encoding_note_;
};

// One item of a bulk run.
struct BulkItem {
  std::string key;        // what the journal knows it by: the SIRET, the request id
  nlohmann::json fields;  // how its records start: {"line", "siret"}, {"request_id", ...}
  std::size_t seq = 0;    // rank among the run's items; results are printed in this order
};

// The items of a bulk run, read twice: once to check and count them all before
// anything is sent, once to hand them out; neither pass holds them in memory.
class BulkItems {
 public:
  virtual ~BulkItems() = default;
  struct Count {
    std::size_t valid = 0;    // items to do
    std::size_t invalid = 0;  // entries listed on stderr and left out
    std::uint64_t digest = 0; // of the valid items' keys: names the run's journal
  };
  // Lists invalid entries on stderr with where they are. Unless the input
  // allows skipping them, any makes this a kInvalidArgument error.
  virtual StatusOr<Count> Check(const App& app) = 0;
  // The valid, first-seen items in input order; visit returns false to stop.
  virtual Status ForEach(const std::function<bool(BulkItem)>& visit) = 0;
};

// The SIRETs of a bulk input: {"line": where in the input, "siret": digits}.
class SiretItems : public BulkItems {
 public:
  static StatusOr<std::unique_ptr<SiretItems>> Open(const SiretInput& input);
  StatusOr<Count> Check(const App& app) override;
  Status ForEach(const std::function<bool(BulkItem)>& visit) override;

 private:
  SiretInput input_;
  std::unique_ptr<SiretSource> source_;
};

// Items gathered at run time (request ids, a listing of the portal), kept in
// an unnamed temporary file rather than in memory.
class ItemSpool : public BulkItems {
 public:
  static StatusOr<std::unique_ptr<ItemSpool>> Create();
  ~ItemSpool() override;
  Status Add(const std::string& key, const nlohmann::json& fields);
  std::size_t size() const { return size_; }
  StatusOr<Count> Check(const App& app) override;
  Status ForEach(const std::function<bool(BulkItem)>& visit) override;

 private:
  std::FILE* file_ = nullptr;
  std::size_t size_ = 0;
  std::uint64_t digest_ = 0;
};

}  // namespace chorus::cli
