#include "prompt.h"

#include <fcntl.h>
#include <poll.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <iostream>
#include <stop_token>

#include "locale_text.h"
#include "tr.h"
#include "terminal_text.h"

namespace chorus::cli {
namespace {

// A line from the terminal on stdin, read with poll so that a stop request
// (through a pipe its callback writes to) wakes the wait. Byte by byte: a
// terminal hands over whole lines anyway, and nothing is read past the
// newline that a later reader would miss.
std::optional<std::string> ReadTerminalLine(const CancelToken& cancel, int fd) {
  int wake[2];
  if (::pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0) return std::nullopt;
  struct Wake {
    int fd;
    void operator()() const noexcept {
      const char byte = 1;
      (void)!::write(fd, &byte, 1);
    }
  };
  std::optional<std::string> result;
  {
    std::stop_callback<Wake> on_stop(cancel.stop(), Wake{wake[1]});
    std::string line;
    for (;;) {
      pollfd fds[2] = {{fd, POLLIN, 0}, {wake[0], POLLIN, 0}};
      if (::poll(fds, 2, -1) < 0) {
        if (errno == EINTR) continue;
        break;
      }
      if (fds[1].revents != 0 || cancel.stop_requested()) break;
      char c;
      const ssize_t n = ::read(fd, &c, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (!line.empty()) result = line;
        break;
      }
      if (c == '\n') {
        result = line;
        break;
      }
      line += c;
    }
  }
  ::close(wake[0]);
  ::close(wake[1]);
  return result;
}

}  // namespace

StatusOr<std::optional<std::string>> Ask(const std::string& question, const CancelToken& cancel, int fd) {
  const std::string shown = TerminalSafe(question) + ": ";
  if (fd == STDIN_FILENO) std::cerr << shown << std::flush;
  else (void)!::write(fd, shown.data(), shown.size());
  std::optional<std::string> line;
  if (isatty(fd) == 1) {
    line = ReadTerminalLine(cancel, fd);
    if (cancel.stop_requested()) return Status(ErrorKind::kCancelled, Msg("cancelled: nothing was sent"));
  } else {
    std::string text;
    if (std::getline(std::cin, text)) line = std::move(text);
  }
  if (!line) return line;
  if (!line->empty() && line->back() == '\r') line->pop_back();
  auto text = FromUserLocale(*line, "the answer to \"" + question + "\"");
  if (!text.ok()) return text.status();
  return std::optional<std::string>(std::move(*text));
}

StatusOr<std::optional<std::string>> AskHidden(const std::string& question, const CancelToken& cancel) {
  termios old {};
  bool restore = tcgetattr(STDIN_FILENO, &old) == 0;
  if (restore) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  auto answer = Ask(question, cancel);
  if (restore) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  std::cerr << "\n";
  return answer;
}

}  // namespace chorus::cli
