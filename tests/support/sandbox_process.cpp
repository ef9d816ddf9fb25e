#include "support/sandbox_process.h"

#include <signal.h>

#include <stdexcept>

namespace chorus::testing {

SandboxProcess::SandboxProcess(std::vector<std::string> extra_args, std::string data_dir, std::string listen) {
#ifndef CHORUS_SANDBOX_BIN
  (void)extra_args;
  (void)data_dir;
  (void)listen;
  throw std::runtime_error("chorus-sandbox was not built");
#else
  if (data_dir.empty()) {
    owned_dir_ = std::make_unique<TempDir>();
    data_dir = owned_dir_->path();
  }
  data_dir_ = data_dir;
  std::vector<std::string> argv = {CHORUS_SANDBOX_BIN, "serve", "--listen", listen, "--data", data_dir_};
  argv.insert(argv.end(), extra_args.begin(), extra_args.end());
  process_ = std::make_unique<BackgroundProcess>(argv);
  // Seeding a large demo world can take a while under sanitizers.
  url_ = process_->ReadLine(std::chrono::milliseconds(60'000));
  if (url_.rfind("http://", 0) != 0)
    throw std::runtime_error("chorus-sandbox did not print its URL; stderr: " +
                             process_->StderrSoFar());
#endif
}

SandboxProcess::~SandboxProcess() { Stop(); }

int SandboxProcess::Stop() {
  if (!process_ || !process_->running()) return process_ ? process_->Wait({}) : -1;
  process_->Signal(SIGTERM);
  int code = process_->Wait(std::chrono::milliseconds(10'000));
  if (code == -1) {
    process_->Signal(SIGKILL);
    code = process_->Wait(std::chrono::milliseconds(5'000));
  }
  return code;
}

}  // namespace chorus::testing
