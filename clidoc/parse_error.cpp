#include "clidoc/parse_error.h"

#include <charconv>
#include <optional>
#include <regex>
#include <string>

#include "chorus/i18n.h"

namespace chorus::clidoc {
namespace {

// CLI11 prints a Range's bounds with std::to_string: "1.000000" reads "1".
std::string Bound(std::string text) {
  if (text.find('.') == std::string::npos) return text;
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

std::optional<double> Number(const std::string& text) {
  double value = 0;
  const char* end = text.data() + text.size();
  auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

// A value refused by CLI::Range, CLI::PositiveNumber or CLI::NonNegativeNumber.
Message OutOfRange(const std::string& name, const std::string& value, const std::string& min,
                   const std::string& max) {
  const auto number = Number(value);
  if (!number) return Msg("{}: {} is not a number", name, value);
  // PositiveNumber and NonNegativeNumber: the largest double as the maximum.
  if (max.size() > 30) {
    if (*number == 0) return Msg("{}: expected a number greater than 0, got {}", name, value);
    return Msg("{}: {} is negative", name, value);
  }
  return Msg("{}: {} is not between {} and {}", name, value, Bound(min), Bound(max));
}

}  // namespace

Message DescribeParseError(std::string_view what_view) {
  static const std::regex kNotIn(R"(^(.*): (.*) not in \{(.*)\}$)");
  static const std::regex kRange(R"(^(.*): Value (.*) not in range (.*) to (.*)$)");
  static const std::regex kExtra(R"(^The following arguments? (?:was|were) not expected: (.*)$)");
  static const std::regex kConvert(R"(^Could not convert: (.*) = (.*)$)");
  static const std::regex kNotAllowed(R"(^The value (.*) is not an allowed value for (.*)$)");
  static const std::regex kMissingValue(R"(^(.*): \d+ required .* missing$)");
  static const std::regex kAtMost(R"(^(.*): At Most (\d+) required but received (\d+)$)");
  static const std::regex kAtLeast(R"(^(.*): At least (\d+) required but received (\d+)$)");
  static const std::regex kRequired(R"(^(\S+) is required$)");
  static const std::regex kRequires(R"(^(-{1,2}[\w-]+) requires (-{1,2}[\w-]+)$)");
  static const std::regex kExcludes(R"(^(-{1,2}[\w-]+) excludes (-{1,2}[\w-]+)$)");
  static const std::regex kFlagText(R"(^(-{1,2}[A-Za-z0-9][A-Za-z0-9_-]*|[A-Z][A-Z0-9_]*): (.+)$)");
  const std::string what(what_view);
  std::smatch m;
  if (std::regex_match(what, m, kNotIn))
    return Msg("{}: {} is not one of {}", m[1].str(), m[2].str(), std::regex_replace(m[3].str(), std::regex(","), ", "));
  if (std::regex_match(what, m, kRange)) return OutOfRange(m[1].str(), m[2].str(), m[3].str(), m[4].str());
  if (std::regex_match(what, m, kExtra)) return Msg("unexpected argument: {}", m[1].str());
  if (std::regex_match(what, m, kConvert)) return Msg("{}: not a valid value: {}", m[1].str(), m[2].str());
  if (std::regex_match(what, m, kNotAllowed)) return Msg("{}: not a valid value: {}", m[2].str(), m[1].str());
  if (std::regex_match(what, m, kMissingValue)) return Msg("{}: a value is missing", m[1].str());
  if (std::regex_match(what, m, kAtMost))
    return Msg("{}: given {} times, at most {} allowed", m[1].str(), m[3].str(), m[2].str());
  if (std::regex_match(what, m, kAtLeast))
    return Msg("{}: given {} times, at least {} needed", m[1].str(), m[3].str(), m[2].str());
  if (what == "A subcommand is required") return Msg("a command is required");
  if (std::regex_match(what, m, kRequired)) return Msg("{} is required", m[1].str());
  if (std::regex_match(what, m, kRequires)) return Msg("{} needs {}", m[1].str(), m[2].str());
  if (std::regex_match(what, m, kExcludes)) return Msg("{} cannot be used with {}", m[1].str(), m[2].str());
  if (std::regex_match(what, m, kFlagText)) {
    // The text alone is the msgid: the validator's own sentence.
    const std::string text = m[2].str();
    Message message{what, ""};
    if (const char* translated = Tr(text.c_str()); translated != text)
      message.localized = Msg("{}: {}", m[1].str(), std::string(translated)).localized;
    return message;
  }
  return Message{what, ""};
}

}  // namespace chorus::clidoc
