// The hand-written parts of chorus-sandbox(1); options and commands come from
// the sandbox's own CLI11 tree.
#include "manual.h"

namespace sandbox {

chorus::clidoc::ManInfo ManualInfo(const std::string& version) {
  chorus::clidoc::ManInfo info;
  info.program = "chorus-sandbox";
  info.version = version;
  info.manual = "chorus manual";
  info.page_per_group = false;
  info.exit_status = {
      {"0", "The server stopped on SIGTERM or SIGINT, or the command succeeded."},
      {"1", "An error (data directory, database, port in use)."},
      {"2", "Usage error: an unknown option or a bad value."},
  };
  info.files = {
      {"DIR/sandbox.db", "The portal's state (SQLite): users, structures, spaces, attachment requests, mails."},
      {"DIR/url", "The base URL the server listens on, written at start-up."},
      {"DIR/demo-accounts.json", "The accounts of the demo world (--seed demo)."},
  };
  info.examples["chorus-sandbox"] = {
      {"Start a portal with 200 demo farms on the default port, then point a chorus profile at it:",
       "chorus-sandbox serve --data ./sandbox-data --seed demo &\n"
       "chorus profile add sandbox --sandbox http://127.0.0.1:8787"},
      {"A portal on a free port with a settable clock, for tests:",
       "chorus-sandbox serve --listen 127.0.0.1:0 --data DIR --fake-clock 1700000000"},
      {"A manager with 500 pending attachment requests to approve (the first account of demo-accounts.json):",
       "chorus-sandbox serve --data DIR --seed demo --farms 501 --pending-requests 500"},
      {"Exercise retries and rate limiting:", "chorus-sandbox serve --data DIR --latency 50 --fail-rate 0.05 --quota 20"},
      {"Print the last activation mail sent to an address:",
       "chorus-sandbox mail --data DIR --to marie@cg.example --last"},
  };
  info.see_also = {"chorus(1)", "chorus-config(5)"};
  return info;
}

}  // namespace sandbox
