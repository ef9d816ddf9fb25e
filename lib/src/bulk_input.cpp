#include "chorus/bulk_input.h"

#include <algorithm>
#include <cctype>
#include <istream>

#include "chorus/text.h"

namespace chorus {
namespace {

bool IsBlankOrComment(const std::string& line) {
  for (char c : line) {
    if (c == ' ' || c == '\t' || c == '\r') continue;
    return c == '#';
  }
  return true;
}

// Counts a delimiter outside double quotes.
size_t CountOutsideQuotes(const std::string& line, char d) {
  size_t n = 0;
  bool quoted = false;
  for (char c : line) {
    if (c == '"') quoted = !quoted;
    else if (c == d && !quoted) ++n;
  }
  return n;
}

// True when the field is digits with the separators a SIRET may be written with.
bool LooksLikeSiret(const std::string& field) {
  size_t digits = 0;
  for (unsigned char c : field) {
    if (std::isdigit(c)) ++digits;
    else if (c != ' ' && c != '.' && c < 0x80) return false;
  }
  return digits == 14;
}

bool HasLetter(const std::string& field) {
  return std::any_of(field.begin(), field.end(),
                     [](unsigned char c) { return std::isalpha(c) != 0; });
}

bool IsNumber(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(),
                                   [](unsigned char c) { return std::isdigit(c) != 0; });
}

}  // namespace

std::vector<std::string> SplitCsvLine(const std::string& line, char delimiter) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        field.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == delimiter) {
      fields.push_back(Trim(field));
      field.clear();
    } else {
      field.push_back(c);
    }
  }
  fields.push_back(Trim(field));
  return fields;
}

BulkInputReader::BulkInputReader(std::istream& in, BulkInputOptions options)
    : in_(in), options_(std::move(options)) {}

bool BulkInputReader::ReadLine(std::string* line) {
  if (!std::getline(in_, *line)) return false;
  ++line_number_;
  if (line_number_ == 1 && line->rfind("\xEF\xBB\xBF", 0) == 0) line->erase(0, 3);
  if (!line->empty() && line->back() == '\r') line->pop_back();
  return true;
}

Status BulkInputReader::DetectLayout(const std::string& first) {
  // The delimiter is the most frequent of ; tab , on the first line; a
  // spreadsheet export uses the same one throughout.
  size_t best = 0;
  for (char d : {';', '\t', ','}) {
    size_t n = CountOutsideQuotes(first, d);
    if (n > best) {
      best = n;
      delimiter_ = d;
    }
  }
  std::vector<std::string> fields =
      delimiter_ ? SplitCsvLine(first, delimiter_) : std::vector<std::string>{Trim(first)};

  const std::string& wanted = options_.column;
  if (!wanted.empty() && IsNumber(wanted)) {
    // More digits than any column count: std::stoul would throw out_of_range.
    size_t n = wanted.size() > 9 ? 0 : std::stoul(wanted);
    if (n == 0 || n > fields.size())
      return Status(ErrorKind::kInvalidArgument,
                    "--column " + wanted + ": the input has " + std::to_string(fields.size()) +
                        " column(s)");
    column_ = n - 1;
    has_header_ = HasLetter(fields[column_]);
    return OkStatus();
  }
  if (!wanted.empty()) {
    for (size_t i = 0; i < fields.size(); ++i) {
      if (Lower(fields[i]) == Lower(wanted)) {
        column_ = i;
        has_header_ = true;
        return OkStatus();
      }
    }
    std::string names;
    for (const auto& f : fields) names += (names.empty() ? "" : ", ") + ("\"" + f + "\"");
    return Status(ErrorKind::kInvalidArgument,
                  "--column \"" + wanted + "\": no such column in the header line (" + names + ")");
  }
  for (size_t i = 0; i < fields.size(); ++i) {
    if (Lower(fields[i]).find("siret") != std::string::npos) {
      column_ = i;
      has_header_ = true;
      return OkStatus();
    }
  }
  bool header_like = std::any_of(fields.begin(), fields.end(), HasLetter) &&
                     std::none_of(fields.begin(), fields.end(), LooksLikeSiret);
  if (fields.size() == 1) {
    // One value a line; a lone word on the first line is a header.
    has_header_ = header_like;
    column_ = 0;
    return OkStatus();
  }
  if (header_like)
    return Status(ErrorKind::kInvalidArgument,
                  "cannot tell which column holds the SIRET (no header mentions \"siret\"); "
                  "name it with --column NAME or --column NUMBER");
  for (size_t i = 0; i < fields.size(); ++i) {
    if (LooksLikeSiret(fields[i])) {
      column_ = i;
      return OkStatus();
    }
  }
  return Status(ErrorKind::kInvalidArgument,
                "cannot tell which column holds the SIRET; name it with --column NUMBER");
}

StatusOr<bool> BulkInputReader::Next(BulkLine* out) {
  std::string line;
  size_t number = 0;
  do {
    if (!ReadLine(&line)) {
      if (in_.bad()) return Status(ErrorKind::kInvalidArgument, "read error on the input");
      return false;
    }
  } while (IsBlankOrComment(line));
  number = line_number_;
  if (!layout_known_) {
    layout_known_ = true;
    if (Status s = DetectLayout(line); !s.ok()) return s;
    if (has_header_) return Next(out);
  }

  *out = BulkLine{};
  out->line = number;
  if (delimiter_) {
    std::vector<std::string> fields = SplitCsvLine(line, delimiter_);
    if (column_ >= fields.size()) {
      out->error = "no column " + std::to_string(column_ + 1) + " on this line";
      return true;
    }
    out->text = fields[column_];
  } else {
    out->text = Trim(line);
  }
  auto siret = Siret::Parse(out->text);
  if (!siret.ok()) {
    out->error = siret.status().message();
    return true;
  }
  auto [it, inserted] = seen_.try_emplace(siret->Key(), number);
  if (!inserted) out->duplicate_of = it->second;
  out->siret = std::move(*siret);
  return true;
}

}  // namespace chorus
