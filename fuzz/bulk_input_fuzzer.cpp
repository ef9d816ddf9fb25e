// BulkInputReader over arbitrary bytes: text in any encoding (Windows-1252
// decoding included), zip archives, binary files. The first byte picks the
// --column option: none, "siret", "2", or (4) the text up to the first newline.
// Properties: those of bulk_reader_checks.h.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "bulk_reader_checks.h"
#include "chorus/bulk_input.h"
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
  chorus_fuzz::CheckAllLines(reader, rest);
  // The CSV splitter on its own, with each delimiter.
  for (char d : {',', ';', '\t'}) {
    auto fields = chorus::SplitCsvLine(std::string(rest.substr(0, 4096)), d);
    FUZZ_CHECK(!fields.empty(), rest);
  }
  return 0;
}
