// The .xlsx and .ods readers behind BulkInputReader, on arbitrary XML: the
// fuzzer's bytes become the parts of a well-formed zip archive (stored, with
// correct CRCs), so that mutations reach the XML handlers rather than dying
// in the zip layer (which the bulk_input target covers with raw bytes).
// Input: [format][sheet option][part 1] \x00 [part 2]
//   .xlsx: part 1 is a worksheet's sheetData content, part 2 the <si>
//          elements of the shared strings; .ods: part 1 is a table's rows.
// Properties: those of bulk_reader_checks.h.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "bulk_reader_checks.h"
#include "chorus/bulk_input.h"
#include "fuzz_input.h"
#include "support/zip_writer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  chorus_fuzz::Input input(data, size);
  bool ods = input.Pick(2) == 1;
  chorus::BulkInputOptions options;
  switch (input.Pick(4)) {
    case 1: options.sheet = "Feuil2"; break;
    case 2: options.column = "N\xC2\xB0 SIRET"; break;
    case 3: options.column = "2"; break;
    default: break;
  }
  std::string_view rest = input.Rest();
  auto nul = rest.find('\0');
  std::string first(rest.substr(0, nul));
  std::string second(nul == std::string_view::npos ? std::string_view() : rest.substr(nul + 1));
  std::string archive =
      ods ? chorus::testing::OdsWorkbook({{"Feuil1", first}, {"Feuil2", second}})
          : chorus::testing::XlsxWorkbook({{"Feuil1", first}, {"Feuil2", "<row r=\"1\"><c r=\"A1\"><v>1</v></c></row>"}},
                                          {second});
  std::istringstream in(archive);
  chorus::BulkInputReader reader(in, options);
  chorus_fuzz::CheckAllLines(reader, first);
  return 0;
}
