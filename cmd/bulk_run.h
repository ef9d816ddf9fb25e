// Runs one operation over every item of a bulk input (SIRETs, requests):
// checks the whole input first, then streams it to --concurrency workers (one
// connection each) under a --rate limit, journals finished items so a rerun
// resumes, shows progress on a terminal, prints the results and a summary.
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

// What became of one item: usually one record, more when one item stands
// for several things done (approving every pending request of a structure).
struct ItemResult {
  explicit ItemResult(const nlohmann::json& fields) : fields(fields), record(fields) { record["error"] = nullptr; }
  // Another record after `record`, starting with the item's fields.
  nlohmann::json& AddRecord() {
    more.push_back(fields);
    more.back()["error"] = nullptr;
    return more.back();
  }

  const nlohmann::json& fields;
  nlohmann::json record;             // "result" is required; the summary counts results
  std::vector<nlohmann::json> more;
  bool done = false;                 // finished for good: journaled, never sent again
  Status error;                      // the item failed (its records say how, or RunBulk fills `record`)
};

struct BulkCommand {
  std::string name;     // "attach request"
  std::string noun;     // what the items are, for messages: "SIRET", "request"
  std::string options;  // the options that shape the run (--user ...), so they name its journal too
  std::vector<Column> columns;
  std::vector<std::string> tallies;  // results counted in the summary, in order
  bool mutation = false;             // asks for confirmation
  bool journaled = false;            // finished items are journaled, a rerun skips them
  std::string confirm;               // "Request attachment to {} structure(s)?"
  // On PISTE: the portal steps to print (with the valid items' keys), or none
  // when the command works there.
  std::optional<PortalStep> portal_only;
  // Called once before the workers start (e.g. to load what the account has).
  std::function<Status(Client&)> prepare;
  // The operation on one item; must be thread-safe (one Client per worker).
  std::function<void(Client&, const BulkItem&, ItemResult&)> work;
};

// Failures that will fail every remaining item alike: they stop the run.
bool StopsTheRun(const Status& status);

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

int RunBulk(App& app, BulkItems& items, const BulkFlags& flags, const BulkCommand& command);

}  // namespace chorus::cli
