#include "prompt.h"

#include <termios.h>
#include <unistd.h>

#include <iostream>

#include "locale_text.h"
#include "terminal_text.h"

namespace chorus::cli {

StatusOr<std::optional<std::string>> Ask(const std::string& question) {
  std::cerr << TerminalSafe(question) << ": " << std::flush;
  std::string line;
  if (!std::getline(std::cin, line)) return std::optional<std::string>();
  if (!line.empty() && line.back() == '\r') line.pop_back();
  auto text = FromUserLocale(line, "the answer to \"" + question + "\"");
  if (!text.ok()) return text.status();
  return std::optional<std::string>(std::move(*text));
}

StatusOr<std::optional<std::string>> AskHidden(const std::string& question) {
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
