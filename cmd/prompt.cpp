#include "prompt.h"

#include <termios.h>
#include <unistd.h>

#include <iostream>

namespace chorus::cli {

std::optional<std::string> Ask(const std::string& question) {
  std::cerr << question << ": " << std::flush;
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::optional<std::string> AskHidden(const std::string& question) {
  termios old {};
  bool restore = tcgetattr(STDIN_FILENO, &old) == 0;
  if (restore) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  auto answer = Ask(question);
  if (restore) tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
  std::cerr << "\n";
  return answer;
}

}  // namespace chorus::cli
