// BulkInputReader over arbitrary bytes: text in any encoding (Windows-1252
// decoding included), zip archives, binary files. The first byte picks the
// --column option: none, "siret", "2", or (4) the text up to the first newline.
// Properties: line numbers increase, a valid line has a SIRET and no error,
// an invalid one has an error, a duplicate points at an earlier line, and
// every text and message handed out is UTF-8 (it reaches JSON).
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "chorus/bulk_input.h"
#include "chorus/text.h"
#include "fuzz_input.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  chorus_fuzz::Input input(data, size);
  chorus::BulkInputOptions options;
  std::string_view rest;
  switch (input.Pick(5)) {
    case 1: options.column = "siret"; rest = input.Rest(); break;
    case 2: options.column = "2"; rest = input.Rest(); break;
    case 3: options.column = "Numéro SIRET"; rest = input.Rest(); break;
    case 4: {
      rest = input.Rest();
      auto nl = rest.find('\n');
      options.column = std::string(rest.substr(0, nl));
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      break;
    }
    default: rest = input.Rest(); break;
  }
  std::istringstream in{std::string(rest)};
  chorus::BulkInputReader reader(in, options);  // options.sheet: an error for text, tried by the workbook target
  chorus::BulkLine line;
  std::size_t last = 0;
  for (int i = 0; i < 100000; ++i) {
    auto next = reader.Next(&line);
    if (!next.ok()) {
      FUZZ_CHECK(!next.status().message().empty(), rest);
      FUZZ_CHECK(chorus::IsValidUtf8(next.status().message()), next.status().message());
      break;
    }
    if (!*next) break;
    FUZZ_CHECK(line.line > last, rest);
    last = line.line;
    FUZZ_CHECK(line.siret.has_value() == line.error.empty(), line.text);
    FUZZ_CHECK(chorus::IsValidUtf8(line.text) && chorus::IsValidUtf8(line.error), line.text);
    FUZZ_CHECK(line.duplicate_of < line.line, line.text);
    if (line.duplicate_of != 0) FUZZ_CHECK(line.siret.has_value(), line.text);
  }
  // The CSV splitter on its own, with each delimiter.
  for (char d : {',', ';', '\t'}) {
    auto fields = chorus::SplitCsvLine(std::string(rest.substr(0, 4096)), d);
    FUZZ_CHECK(!fields.empty(), rest);
  }
  return 0;
}
