// Runs chorus as a person at a terminal would: a pseudo-terminal is its
// controlling terminal and its stdout and stderr, and its stdin too unless
// the test pipes data in (as `--from -` gets it), the rest of the
// environment as ChorusRunner sets it.
#pragma once

#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "cli_support.h"

namespace chorus::testing {

class TerminalRun {
 public:
  using SteadyClock = std::chrono::steady_clock;
  using milliseconds = std::chrono::milliseconds;

  // stdin_data: stdin is a pipe carrying it instead of the terminal.
  TerminalRun(const ChorusRunner& chorus, const std::vector<std::string>& args,
              const std::optional<std::string>& stdin_data = std::nullopt,
              const std::vector<std::string>& extra_env = {}) {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master_ >= 0);
    REQUIRE(::grantpt(master_) == 0);
    REQUIRE(::unlockpt(master_) == 0);
    const std::string slave = ::ptsname(master_);
    std::vector<std::string> argv = chorus.Argv(args);
    ProcessOptions options = chorus.Options("", extra_env);
    int in[2] = {-1, -1};
    if (stdin_data) REQUIRE(::pipe(in) == 0);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::setsid();
      int fd = ::open(slave.c_str(), O_RDWR);  // the session's controlling terminal
      for (int i = 0; i < 3; ++i) ::dup2(fd, i);
      if (stdin_data) {
        ::dup2(in[0], 0);
        ::close(in[1]);
      }
      for (const auto& name : options.unset_env) ::unsetenv(name.c_str());
      for (const auto& kv : options.env) ::putenv(const_cast<char*>(kv.c_str()));
      std::vector<char*> raw;
      for (auto& a : argv) raw.push_back(a.data());
      raw.push_back(nullptr);
      ::execv(raw[0], raw.data());
      ::_exit(127);
    }
    if (stdin_data) {
      ::close(in[0]);
      REQUIRE(::write(in[1], stdin_data->data(), stdin_data->size()) == static_cast<ssize_t>(stdin_data->size()));
      ::close(in[1]);
    }
  }
  ~TerminalRun() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(master_);
  }
  TerminalRun(const TerminalRun&) = delete;
  TerminalRun& operator=(const TerminalRun&) = delete;

  // Reads the terminal until `text` shows up; false after `timeout`.
  bool WaitFor(const std::string& text, milliseconds timeout) {
    const auto deadline = SteadyClock::now() + timeout;
    while (output_.find(text) == std::string::npos) {
      if (SteadyClock::now() > deadline) return false;
      pollfd fd{master_, POLLIN, 0};
      if (::poll(&fd, 1, 50) <= 0) continue;
      char buf[4096];
      ssize_t n = ::read(master_, buf, sizeof buf);
      if (n <= 0) return false;
      output_.append(buf, static_cast<std::size_t>(n));
    }
    return true;
  }
  void Signal(int sig) { ::kill(pid_, sig); }
  void Type(const std::string& keys) {
    REQUIRE(::write(master_, keys.data(), keys.size()) == static_cast<ssize_t>(keys.size()));
  }
  // The exit code (128 + signal when killed), or -1 after `timeout`.
  int Wait(milliseconds timeout) {
    const auto deadline = SteadyClock::now() + timeout;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (SteadyClock::now() > deadline) return -1;
      WaitFor("\x01never", milliseconds(5));  // keep the terminal drained
    }
    reaped_ = true;
    WaitFor("\x01never", milliseconds(20));  // what it wrote last
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  const std::string& output() const { return output_; }

 private:
  int master_ = -1;
  pid_t pid_ = -1;
  bool reaped_ = false;
  std::string output_;
};

}  // namespace chorus::testing
