#include "support/process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

extern char** environ;

namespace chorus::testing {
namespace {

using Clock = std::chrono::steady_clock;

bool IsLanguageVariable(const std::string& name) {
  return name == "LC_ALL" || name == "LC_MESSAGES" || name == "LANG" || name == "LANGUAGE";
}

// The outer environment with options applied. The tests read English
// messages whatever the developer's locale: the language variables are not
// inherited, and C.UTF-8 is chosen unless the test names one of them.
std::vector<std::string> BuildEnv(const ProcessOptions& options) {
  std::vector<std::string> env;
  bool language_given = false;
  for (const auto& e : options.env) language_given = language_given || IsLanguageVariable(e.substr(0, e.find('=')));
  if (!language_given) env.emplace_back("LC_ALL=C.UTF-8");
  auto overridden = [&](const std::string& entry) {
    std::string name = entry.substr(0, entry.find('='));
    if (IsLanguageVariable(name)) return true;
    for (const auto& u : options.unset_env)
      if (u == name) return true;
    for (const auto& e : options.env)
      if (e.substr(0, e.find('=')) == name) return true;
    return false;
  };
  for (char** p = environ; *p; ++p)
    if (!overridden(*p)) env.emplace_back(*p);
  for (const auto& e : options.env) env.push_back(e);
  return env;
}

std::vector<char*> CStrings(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

// Forks and execs; the three pipe ends for the parent are returned through fds.
pid_t Spawn(const std::vector<std::string>& argv, const ProcessOptions& options, int* in_fd,
            int* out_fd, int* err_fd) {
  int in[2], out[2], err[2];
  if (pipe2(in, O_CLOEXEC) || pipe2(out, O_CLOEXEC) || pipe2(err, O_CLOEXEC))
    throw std::runtime_error("pipe failed");
  std::vector<std::string> args = argv;
  std::vector<std::string> env = BuildEnv(options);
  auto cargs = CStrings(args);
  auto cenv = CStrings(env);
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(in[0], 0);
    dup2(out[1], 1);
    dup2(err[1], 2);
    // A session of its own: its own process group (killed as one), and no
    // controlling terminal, so that /dev/tty is not the developer's.
    setsid();
    if (!options.cwd.empty() && chdir(options.cwd.c_str()) != 0) _exit(126);
    execve(cargs[0], cargs.data(), cenv.data());
    _exit(127);
  }
  close(in[0]);
  close(out[1]);
  close(err[1]);
  *in_fd = in[1];
  *out_fd = out[0];
  *err_fd = err[0];
  return pid;
}

int DecodeStatus(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

}  // namespace

ProcessResult RunProcess(const std::vector<std::string>& argv, const ProcessOptions& options) {
  int in_fd, out_fd, err_fd;
  pid_t pid = Spawn(argv, options, &in_fd, &out_fd, &err_fd);
  ProcessResult result;
  signal(SIGPIPE, SIG_IGN);
  size_t written = 0;
  if (options.stdin_data.empty()) {
    close(in_fd);
    in_fd = -1;
  } else {
    fcntl(in_fd, F_SETFL, O_NONBLOCK);
  }
  auto deadline = Clock::now() + options.timeout;
  while (out_fd >= 0 || err_fd >= 0) {
    pollfd fds[3];
    int n = 0;
    if (out_fd >= 0) fds[n++] = {out_fd, POLLIN, 0};
    if (err_fd >= 0) fds[n++] = {err_fd, POLLIN, 0};
    if (in_fd >= 0) fds[n++] = {in_fd, POLLOUT, 0};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      result.timed_out = true;
      kill(-pid, SIGKILL);
      kill(pid, SIGKILL);
      break;
    }
    if (poll(fds, n, static_cast<int>(left.count())) < 0 && errno != EINTR) break;
    for (int i = 0; i < n; ++i) {
      if (!fds[i].revents) continue;
      if (fds[i].fd == in_fd) {
        ssize_t w = write(in_fd, options.stdin_data.data() + written,
                          options.stdin_data.size() - written);
        if (w > 0) written += static_cast<size_t>(w);
        if (w < 0 || written == options.stdin_data.size()) {
          close(in_fd);
          in_fd = -1;
        }
        continue;
      }
      char buf[65536];
      ssize_t r = read(fds[i].fd, buf, sizeof buf);
      std::string& sink = fds[i].fd == out_fd ? result.out : result.err;
      if (r > 0) {
        sink.append(buf, static_cast<size_t>(r));
      } else {
        int& fd = fds[i].fd == out_fd ? out_fd : err_fd;
        close(fd);
        fd = -1;
      }
    }
  }
  for (int fd : {in_fd, out_fd, err_fd})
    if (fd >= 0) close(fd);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = DecodeStatus(status);
  return result;
}

BackgroundProcess::BackgroundProcess(const std::vector<std::string>& argv,
                                     const ProcessOptions& options) {
  int in_fd;
  pid_ = Spawn(argv, options, &in_fd, &out_fd_, &err_fd_);
  close(in_fd);
  fcntl(err_fd_, F_SETFL, O_NONBLOCK);
}

BackgroundProcess::~BackgroundProcess() {
  if (running()) {
    kill(pid_, SIGKILL);
    Wait(std::chrono::milliseconds(5000));
  }
  if (out_fd_ >= 0) close(out_fd_);
  if (err_fd_ >= 0) close(err_fd_);
}

std::string BackgroundProcess::ReadLine(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  for (;;) {
    auto nl = out_buf_.find('\n');
    if (nl != std::string::npos) {
      std::string line = out_buf_.substr(0, nl);
      out_buf_.erase(0, nl + 1);
      return line;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0 || out_fd_ < 0) return "";
    pollfd fd{out_fd_, POLLIN, 0};
    if (poll(&fd, 1, static_cast<int>(left.count())) <= 0) continue;
    char buf[4096];
    ssize_t r = read(out_fd_, buf, sizeof buf);
    if (r <= 0) {
      close(out_fd_);
      out_fd_ = -1;
      return "";
    }
    out_buf_.append(buf, static_cast<size_t>(r));
  }
}

void BackgroundProcess::Signal(int sig) {
  if (!reaped_) kill(pid_, sig);
}

bool BackgroundProcess::running() {
  if (reaped_) return false;
  int status = 0;
  if (waitpid(pid_, &status, WNOHANG) == pid_) {
    reaped_ = true;
    status_ = DecodeStatus(status);
    return false;
  }
  return true;
}

int BackgroundProcess::Wait(std::chrono::milliseconds timeout) {
  auto deadline = Clock::now() + timeout;
  // Drains stdout and stderr meanwhile: a child blocked on a full pipe
  // would never exit.
  auto drain = [this](int wait_ms) {
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    if (poll(fds, 2, wait_ms) <= 0) return;
    char buf[65536];
    if (out_fd_ >= 0 && (fds[0].revents & (POLLIN | POLLHUP))) {
      ssize_t r = read(out_fd_, buf, sizeof buf);
      if (r > 0) out_buf_.append(buf, static_cast<size_t>(r));
    }
    if (err_fd_ >= 0 && (fds[1].revents & (POLLIN | POLLHUP))) {
      ssize_t r = read(err_fd_, buf, sizeof buf);
      if (r > 0) err_buf_.append(buf, static_cast<size_t>(r));
    }
  };
  while (running()) {
    if (Clock::now() > deadline) return -1;
    drain(5);
  }
  return status_;
}

std::string BackgroundProcess::StderrSoFar() {
  char buf[4096];
  ssize_t r;
  while (err_fd_ >= 0 && (r = read(err_fd_, buf, sizeof buf)) > 0)
    err_buf_.append(buf, static_cast<size_t>(r));
  return err_buf_;
}

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/chorus-test-XXXXXX";
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  path_ = tmpl;
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& content, int mode) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
  }
  chmod(path.c_str(), static_cast<mode_t>(mode));
}

}  // namespace chorus::testing
