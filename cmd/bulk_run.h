// The command-line side of a bulk run: flags, the confirmation, where the
// journal lives, the progress bar, the results printed in input order, the
// summary and the exit code. The engine itself is chorus::bulk (lib/).
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
#include "tr.h"
#include "portal_steps.h"

namespace CLI {
class App;
}

namespace chorus {
class Session;
}

namespace chorus::cli {

class App;

struct BulkFlags {
  int concurrency = 8;
  double rate = 0;  // requests per second, 0: no limit
  std::string journal;
};
void AddBulkFlags(CLI::App* command, BulkFlags& flags, bool journaled);

// What became of one item, as the records a command prints: usually one,
// more when one item stands for several things done (approving every pending
// request of a structure). Each starts with the item's fields.
struct ItemRecords {
  explicit ItemRecords(nlohmann::json item_fields) : fields(std::move(item_fields)), record(fields) {
    record["error"] = nullptr;
  }
  nlohmann::json& AddRecord() {
    more.push_back(fields);
    more.back()["error"] = nullptr;
    return more.back();
  }

  nlohmann::json fields;
  nlohmann::json record;  // "result" is required; the summary counts results
  std::vector<nlohmann::json> more;
  bool done = false;      // finished for good: journaled, never sent again
  Status error;           // the item failed (its records say how, or RunBulk fills `record`)
};

struct BulkCommand {
  std::string name;     // "attach request"
  std::string noun;     // what the items are: "SIRET" or "request" (messages are chosen by it)
  std::string options;  // the options that shape the run (--user ...), so they name its journal too
  std::vector<Column> columns;
  std::vector<std::string> tallies;  // results counted in the summary, in order
  bool mutation = false;             // asks for confirmation
  bool journaled = false;            // finished items are journaled, a rerun skips them
  // The confirmation's sentence for this many valid items, in English and
  // in the user's language: MsgN("About to send {} attachment request(s)...", ..., n, n).
  std::function<Message(std::size_t)> confirm;
  // On PISTE: the portal steps to print (with the valid items' keys), or none
  // when the command works there.
  std::optional<PortalStep> portal_only;
  // Called once before the workers start (e.g. to load what the account has).
  std::function<Status(Client&)> prepare;
  // The operation on one item (its key); must be thread-safe (one Client per worker).
  std::function<void(Client&, const std::string& key, ItemRecords&)> work;
  // Which records to print (attach status --only); all when empty. The
  // summary counts every item, printed or not.
  std::function<bool(const nlohmann::json& record)> keep;
};

// Failures a rerun can fix: the network, the portal's 5xx, its quota (429),
// an interruption. The others (a refused permission, an unknown structure, a
// request decided the other way) need someone to act first.
bool RerunCanFix(const Status& status);

// Tallies item outcomes and picks the exit code: 0 when all went well; the
// error's own code when every item failed the same way (a lone refused
// approval exits 4, an unknown SIRET 5); 3 (partial) otherwise. Failures a
// rerun cannot fix are kept, a few, to be listed.
class Outcome {
 public:
  void Done() { ++done_; }
  // `where`: the item, for people ("SIRET 73282932000074 (line 3)").
  void Failed(const Status& s, const std::string& where);
  std::size_t done() const { return done_; }
  std::size_t failed() const { return failed_; }
  std::size_t rerun_can_fix() const { return rerun_can_fix_; }
  std::size_t need_action() const { return failed_ - rerun_can_fix_; }
  // The first failures that need action: "SIRET ... (line 3): the message".
  const std::vector<std::string>& need_action_list() const { return need_action_list_; }
  int ExitCode() const;

 private:
  std::size_t done_ = 0, failed_ = 0, rerun_can_fix_ = 0;
  std::map<ErrorKind, std::size_t> kinds_;
  std::vector<std::string> need_action_list_;
};

// Runs `command` over the items. `session`: one the command already opened
// (to list what to decide), else RunBulk opens its own.
int RunBulk(App& app, BulkInput& input, const BulkFlags& flags, const BulkCommand& command,
            Session* session = nullptr);

}  // namespace chorus::cli
