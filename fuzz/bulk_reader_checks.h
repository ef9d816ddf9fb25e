// The properties every BulkInputReader output must have, checked by the
// bulk_input and workbook fuzz targets: the reader ends (bounded work), line
// numbers increase, a line is valid exactly when it has no error, a duplicate
// points at an earlier line of a valid SIRET, and all text is UTF-8 (it
// reaches JSON, whose dump() throws on anything else).
#pragma once

#include <cstddef>
#include <string_view>

#include "chorus/bulk_input.h"
#include "chorus/text.h"
#include "fuzz_input.h"

namespace chorus_fuzz {

inline void CheckAllLines(chorus::BulkInputReader& reader, std::string_view input) {
  chorus::BulkLine line;
  std::size_t last = 0;
  for (int i = 0; i < 100000; ++i) {
    auto next = reader.Next(&line);
    if (!next.ok()) {
      FUZZ_CHECK(!next.status().message().empty(), input);
      FUZZ_CHECK(chorus::IsValidUtf8(next.status().message()), next.status().message());
      return;
    }
    if (!*next) return;
    FUZZ_CHECK(line.line > last, input);
    last = line.line;
    FUZZ_CHECK(line.siret.has_value() == line.error.empty(), line.text);
    FUZZ_CHECK(chorus::IsValidUtf8(line.text) && chorus::IsValidUtf8(line.error), line.text);
    FUZZ_CHECK(line.duplicate_of < line.line, line.text);
    if (line.duplicate_of != 0) FUZZ_CHECK(line.siret.has_value(), line.text);
  }
}

}  // namespace chorus_fuzz
