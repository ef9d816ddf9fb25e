// The door between data and the terminal. Text that came from the portal or a
// file (structure names typed by strangers, cells of a spreadsheet) may hold
// bytes that drive a terminal: ESC sequences that retitle the window, clear the
// screen or fake a prompt, C1 controls (8-bit CSI), bidi overrides that make
// "exe.txt" read "txt.exe". Everything chorus prints for people goes through
// TerminalSafe: tables, TSV, CSV, messages, prompts, the -vv trace. JSON and
// NDJSON do not: their own escaping keeps the data exact.
#pragma once

#include <memory>
#include <string>
#include <string_view>

namespace chorus {
class Tracer;
}

namespace chorus::cli {

enum class Newlines {
  kEscape,  // one line: \n, \r and \t are escaped too (table cells)
  kKeep,    // \n and \t stay (messages, which chorus itself may break into lines)
};

// `text` with every C0 control, DEL, C1 control (U+0080-U+009F), Unicode bidi
// control (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069) and every byte
// that is not part of valid UTF-8 replaced by a visible escape: \x1b, \x07,
// \u009b, \u202e, \xff. Other text, accented letters included, is unchanged.
std::string TerminalSafe(std::string_view text, Newlines newlines = Newlines::kEscape);

// The -vv trace on stderr, through TerminalSafe (a hostile portal's raw body
// is traced before anything parses it).
std::shared_ptr<Tracer> TerminalTracer();

}  // namespace chorus::cli
