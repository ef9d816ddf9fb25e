// Runs chorus on a pseudo-terminal, as a person at a terminal would.
#pragma once

#include <doctest/doctest.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "cli_support.h"

namespace chorus::testing {

// Runs chorus with a pseudo-terminal as stdin, stdout and stderr (a person at
// a terminal), the rest of the environment as ChorusRunner sets it, plus
// extra_env ("KEY=VALUE").
class TerminalRun {
 public:
  TerminalRun(const ChorusRunner& chorus, const std::vector<std::string>& args,
              const std::vector<std::string>& extra_env = {}) {
    master_ = ::posix_openpt(O_RDWR | O_NOCTTY);
    REQUIRE(master_ >= 0);
    REQUIRE(::grantpt(master_) == 0);
    REQUIRE(::unlockpt(master_) == 0);
    const std::string slave = ::ptsname(master_);
    std::vector<std::string> argv = chorus.Argv(args);
    ProcessOptions options = chorus.Options("", extra_env);
    pid_ = ::fork();
    REQUIRE(pid_ >= 0);
    if (pid_ == 0) {
      ::setsid();
      int fd = ::open(slave.c_str(), O_RDWR);
      for (int i = 0; i < 3; ++i) ::dup2(fd, i);
      for (const auto& name : options.unset_env) ::unsetenv(name.c_str());
      for (const auto& kv : options.env) ::putenv(const_cast<char*>(kv.c_str()));
      std::vector<char*> raw;
      for (auto& a : argv) raw.push_back(a.data());
      raw.push_back(nullptr);
      ::execv(raw[0], raw.data());
      ::_exit(127);
    }
  }
  ~TerminalRun() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    ::close(master_);
  }
  // Reads the terminal until `text` shows up; false after `timeout`.
  bool WaitFor(const std::string& text, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (output_.find(text) == std::string::npos) {
      if (std::chrono::steady_clock::now() > deadline) return false;
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
  void Type(const std::string& keys) { REQUIRE(::write(master_, keys.data(), keys.size()) == static_cast<ssize_t>(keys.size())); }
  // The exit code (128 + signal when killed), or -1 after `timeout`.
  int Wait(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    int status = 0;
    while (::waitpid(pid_, &status, WNOHANG) == 0) {
      if (std::chrono::steady_clock::now() > deadline) return -1;
      WaitFor("\x01never", std::chrono::milliseconds(5));  // keep the terminal drained
    }
    reaped_ = true;
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
