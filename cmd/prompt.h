// Questions on the terminal, for the fields a command line left out.
#pragma once

#include <optional>
#include <string>

#include "chorus/cancel.h"
#include "chorus/status.h"

namespace chorus::cli {

// Asks on stderr, reads a line from stdin and converts it from the
// terminal's charset (locale_text.h); nullopt at end of input, an error
// (exit 2) for an answer that cannot be converted, kCancelled (exit 130) as
// soon as `cancel` asks to stop: Ctrl-C wakes a waiting prompt. With another
// `fd` (/dev/tty, when stdin is the data), asks and reads there.
StatusOr<std::optional<std::string>> Ask(const std::string& question, const CancelToken& cancel = {},
                                         int fd = 0);
// The same without echo (passwords, secret answers).
StatusOr<std::optional<std::string>> AskHidden(const std::string& question, const CancelToken& cancel = {});

}  // namespace chorus::cli
