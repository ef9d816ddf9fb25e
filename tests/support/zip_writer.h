// A minimal zip writer for tests and fuzz targets: entries stored (no
// compression), with their CRC-32, in the layout every zip reader accepts.
// Enough to build .xlsx and .ods workbooks from XML text.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace chorus::testing {

inline std::uint32_t Crc32(const std::string& data) {
  std::uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char byte : data) {
    crc ^= byte;
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

// The bytes of a zip archive holding `entries` (name, content), in order.
inline std::string ZipArchive(const std::vector<std::pair<std::string, std::string>>& entries) {
  auto le = [](std::string& out, std::uint32_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) out += static_cast<char>((value >> (8 * i)) & 0xFF);
  };
  std::string out, central;
  for (const auto& [name, data] : entries) {
    const auto offset = static_cast<std::uint32_t>(out.size());
    const std::uint32_t crc = Crc32(data);
    const auto size = static_cast<std::uint32_t>(data.size());
    const auto name_size = static_cast<std::uint32_t>(name.size());
    le(out, 0x04034b50, 4);  // local file header
    le(out, 20, 2), le(out, 0, 2), le(out, 0, 2), le(out, 0, 2), le(out, 0x21, 2);
    le(out, crc, 4), le(out, size, 4), le(out, size, 4), le(out, name_size, 2), le(out, 0, 2);
    out += name;
    out += data;
    le(central, 0x02014b50, 4);  // central directory entry
    le(central, 20, 2), le(central, 20, 2), le(central, 0, 2), le(central, 0, 2), le(central, 0, 2);
    le(central, 0x21, 2), le(central, crc, 4), le(central, size, 4), le(central, size, 4);
    le(central, name_size, 2), le(central, 0, 2), le(central, 0, 2), le(central, 0, 2), le(central, 0, 2);
    le(central, 0, 4), le(central, offset, 4);
    central += name;
  }
  const auto central_offset = static_cast<std::uint32_t>(out.size());
  out += central;
  le(out, 0x06054b50, 4);  // end of central directory
  le(out, 0, 2), le(out, 0, 2);
  le(out, static_cast<std::uint32_t>(entries.size()), 2), le(out, static_cast<std::uint32_t>(entries.size()), 2);
  le(out, static_cast<std::uint32_t>(central.size()), 4), le(out, central_offset, 4), le(out, 0, 2);
  return out;
}

// An .xlsx of one or more sheets: (name, sheetData inner XML) each, and the
// shared strings' <si> elements.
inline std::string XlsxWorkbook(const std::vector<std::pair<std::string, std::string>>& sheets,
                                const std::vector<std::string>& shared = {}) {
  const std::string main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  const std::string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  std::string workbook = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<workbook xmlns=\"" + main +
                         "\" xmlns:r=\"" + rel + "\"><sheets>";
  std::string rels = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Relationships "
                     "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  std::vector<std::pair<std::string, std::string>> entries = {
      {"[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"}};
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    std::string n = std::to_string(i + 1);
    workbook += "<sheet name=\"" + sheets[i].first + "\" sheetId=\"" + n + "\" r:id=\"rId" + n + "\"/>";
    rels += "<Relationship Id=\"rId" + n +
            "\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" "
            "Target=\"worksheets/sheet" + n + ".xml\"/>";
    entries.emplace_back("xl/worksheets/sheet" + n + ".xml",
                         "<?xml version=\"1.0\"?><worksheet xmlns=\"" + main + "\"><sheetData>" + sheets[i].second +
                             "</sheetData></worksheet>");
  }
  entries.emplace_back("xl/workbook.xml", workbook + "</sheets></workbook>");
  entries.emplace_back("xl/_rels/workbook.xml.rels", rels + "</Relationships>");
  if (!shared.empty()) {
    std::string sst = "<?xml version=\"1.0\"?><sst xmlns=\"" + main + "\">";
    for (const auto& si : shared) sst += "<si>" + si + "</si>";
    entries.emplace_back("xl/sharedStrings.xml", sst + "</sst>");
  }
  return ZipArchive(entries);
}

// An .ods of one or more sheets: (name, table:table inner XML) each.
inline std::string OdsWorkbook(const std::vector<std::pair<std::string, std::string>>& sheets) {
  std::string content =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><office:document-content "
      "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
      "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
      "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"><office:body><office:spreadsheet>";
  for (const auto& [name, rows] : sheets) content += "<table:table table:name=\"" + name + "\">" + rows + "</table:table>";
  content += "</office:spreadsheet></office:body></office:document-content>";
  return ZipArchive({{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
                     {"content.xml", content},
                     {"META-INF/manifest.xml", "<manifest/>"}});
}

}  // namespace chorus::testing
