// Runs real binaries from tests: capture stdout/stderr and the exit code,
// feed stdin, set the environment, and bound every run in time.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <string>
#include <vector>

namespace chorus::testing {

struct ProcessOptions {
  std::vector<std::string> env;        // "KEY=VALUE" entries added or replaced
  std::vector<std::string> unset_env;  // names removed from the inherited environment
  std::string stdin_data;              // written to the child's stdin, then closed
  std::string cwd;                     // empty: inherit
  std::chrono::milliseconds timeout{60'000};
};

struct ProcessResult {
  int exit_code = -1;  // 128+signal when killed by a signal
  std::string out;
  std::string err;
  bool timed_out = false;
};

ProcessResult RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// A child left running (a server). Its stdout is readable line by line.
class BackgroundProcess {
 public:
  BackgroundProcess(const std::vector<std::string>& argv, const ProcessOptions& options = {});
  ~BackgroundProcess();  // SIGKILL if still running
  BackgroundProcess(const BackgroundProcess&) = delete;
  BackgroundProcess& operator=(const BackgroundProcess&) = delete;

  pid_t pid() const { return pid_; }
  // Next line of stdout without the newline; empty on EOF or timeout.
  std::string ReadLine(std::chrono::milliseconds timeout);
  void Signal(int sig);
  // Waits for exit; returns the exit code (128+signal) or -1 on timeout.
  int Wait(std::chrono::milliseconds timeout);
  bool running();
  std::string StderrSoFar();

 private:
  pid_t pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  int status_ = -1;
  bool reaped_ = false;
  std::string out_buf_;
  std::string err_buf_;
};

// A fresh directory under $TMPDIR, removed with its contents on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string ReadFile(const std::string& path);
void WriteFile(const std::string& path, const std::string& content, int mode = 0644);

}  // namespace chorus::testing
