// Runs one operation over every SIRET of a bulk input: validates the whole
// input first, then streams it to --concurrency workers (one connection each)
// under a --rate limit, journals finished items so a rerun resumes, shows
// progress on a terminal, prints one result per item and a summary.
#pragma once

#include <nlohmann/json.hpp>

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "bulk_source.h"
#include "chorus/client.h"
#include "output.h"
#include "portal_steps.h"

namespace CLI {
class App;
}

namespace chorus::cli {

class App;

struct BulkFlags {
  int concurrency = 8;
  double rate = 0;  // requests per second, 0: no limit
  std::string journal;
};
void AddBulkFlags(CLI::App* command, BulkFlags& flags, bool journaled);

// What became of one item.
struct ItemResult {
  nlohmann::json record;             // filled by the work function; "result" is required
  std::string tally;                 // summary bucket ("requested", "already_pending", ...)
  bool done = false;                 // finished for good: journaled, never sent again
  Status error;                      // set when the item failed
};

struct BulkCommand {
  std::string name;  // "attach request"
  std::vector<Column> columns;
  std::vector<std::string> tallies;  // summary buckets, in order
  bool mutation = false;             // asks for confirmation, journaled
  std::string confirm;               // "Request attachment to {} structure(s)?"
  // On PISTE: the portal steps to print (with the validated list), or none
  // when the command works there.
  std::optional<PortalStep> portal_only;
  // Called once before the workers start (e.g. to load what the account has).
  std::function<Status(Client&)> prepare;
  // The operation on one item; must be thread-safe (one Client per worker).
  std::function<void(Client&, const SiretItem&, ItemResult&)> work;
};

// Tallies item outcomes and picks the exit code: 0 when all went well; the
// error's own code when every item failed the same way (a lone refused
// approval exits 4, an unknown SIRET 5); 3 (partial) otherwise.
class Outcome {
 public:
  void Done() { ++done_; }
  void Failed(const Status& s) {
    ++failed_;
    kinds_[s.kind()]++;
  }
  std::size_t done() const { return done_; }
  std::size_t failed() const { return failed_; }
  int ExitCode() const;

 private:
  std::size_t done_ = 0, failed_ = 0;
  std::map<ErrorKind, std::size_t> kinds_;
};

int RunBulk(App& app, const SiretInput& input, const BulkFlags& flags, const BulkCommand& command);

}  // namespace chorus::cli
