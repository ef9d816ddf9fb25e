// Starts a real chorus-sandbox process for a test: ephemeral loopback port,
// its own data directory, stopped (SIGTERM) when the object goes away.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "support/process.h"

namespace chorus::testing {

class SandboxProcess {
 public:
  // `chorus-sandbox serve --listen LISTEN --data DIR <extra_args>`; waits for
  // the URL line on stdout. An empty data_dir makes a fresh temporary one;
  // `listen` another port than an ephemeral one (to restart on the same URL).
  explicit SandboxProcess(std::vector<std::string> extra_args = {}, std::string data_dir = "",
                          std::string listen = "127.0.0.1:0");
  ~SandboxProcess();

  const std::string& url() const { return url_; }  // http://127.0.0.1:PORT
  const std::string& data_dir() const { return data_dir_; }
  // SIGTERM and wait; returns the exit code.
  int Stop();
  BackgroundProcess& process() { return *process_; }

 private:
  std::unique_ptr<TempDir> owned_dir_;
  std::string data_dir_;
  std::string url_;
  std::unique_ptr<BackgroundProcess> process_;
};

}  // namespace chorus::testing
