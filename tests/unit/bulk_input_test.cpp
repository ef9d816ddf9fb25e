// BulkInputReader: one SIRET a line, CSV, and what French Excel and
// LibreOffice really produce: Windows-1252 CSV, no-break spaces, numbers
// Excel damaged, ="..." formulas, rows of empty cells, ambiguous SIRET
// columns, workbooks, and files that are not lists at all.
#include "chorus/bulk_input.h"

#include <doctest/doctest.h>

#include <sstream>
#include <string>
#include <vector>

#include "support/zip_writer.h"

using chorus::BulkInputOptions;
using chorus::BulkInputReader;
using chorus::BulkLine;
using chorus::ErrorKind;
using chorus::InputEncoding;
using chorus::testing::OdsWorkbook;
using chorus::testing::XlsxWorkbook;

namespace {

struct ReadAll {
  std::vector<BulkLine> lines;
  chorus::Status status;
  char delimiter = 0;
  bool header = false;
  InputEncoding encoding = InputEncoding::kAscii;
  std::string description;
};

ReadAll Read(const std::string& text, BulkInputOptions options = {}) {
  std::istringstream in(text);
  BulkInputReader reader(in, options);
  ReadAll all;
  BulkLine line;
  for (;;) {
    auto more = reader.Next(&line);
    if (!more.ok()) {
      all.status = more.status();
      break;
    }
    if (!*more) break;
    all.lines.push_back(line);
  }
  all.delimiter = reader.delimiter();
  all.header = reader.has_header();
  all.encoding = reader.encoding();
  all.description = reader.EncodingDescription();
  return all;
}

ReadAll Read(const std::string& bytes, const std::string& column, const std::string& sheet = "") {
  return Read(bytes, BulkInputOptions{column, sheet});
}

// A SIRET cell of an .xlsx row: inline text.
std::string XCell(const std::string& ref, const std::string& text) {
  return "<c r=\"" + ref + "\" t=\"inlineStr\"><is><t>" + text + "</t></is></c>";
}

}  // namespace

TEST_CASE("one SIRET a line, with blank lines, CRLF, BOM, spaces and dots") {
  auto r = Read("\xEF\xBB\xBF" "73282932000074\r\n\r\n732 829 320 00074\r\n356.000.000.49837\n# note\n");
  REQUIRE(r.status.ok());
  REQUIRE(r.lines.size() == 3);
  CHECK(r.delimiter == 0);
  CHECK_FALSE(r.header);
  CHECK(r.lines[0].line == 1);
  CHECK(r.lines[0].siret->digits() == "73282932000074");
  CHECK(r.lines[1].line == 3);
  CHECK(r.lines[1].duplicate_of == 1);
  CHECK(r.lines[2].siret->digits() == "35600000049837");
  CHECK(r.lines[2].duplicate_of == 0);
}

TEST_CASE("invalid lines carry their line number and reason") {
  auto r = Read("siret\n73282932000074\n73282932000075\nabc\n");
  REQUIRE(r.status.ok());
  CHECK(r.header);
  REQUIRE(r.lines.size() == 3);
  CHECK(r.lines[1].line == 3);
  CHECK_FALSE(r.lines[1].siret);
  CHECK(r.lines[1].error.find("Luhn") != std::string::npos);
  CHECK(r.lines[2].line == 4);
  CHECK(r.lines[2].error.find("'a'") != std::string::npos);
}

TEST_CASE("semicolon CSV from a spreadsheet: header found by name, quoted fields") {
  auto r = Read("Nom;\"N° SIRET\";Commune\r\n\"GAEC du Pré; Vert\";\"732 829 320 00074\";Chartres\r\n"
                "EARL Martin;35600000000048;Dreux\r\n");
  REQUIRE(r.status.ok());
  CHECK(r.delimiter == ';');
  CHECK(r.header);
  REQUIRE(r.lines.size() == 2);
  CHECK(r.lines[0].line == 2);
  CHECK(r.lines[0].siret->digits() == "73282932000074");
  CHECK(r.lines[1].siret->digits() == "35600000000048");
}

TEST_CASE("comma and tab separated, with and without header") {
  auto comma = Read("name,siret\nA,73282932000074\n");
  REQUIRE(comma.status.ok());
  CHECK(comma.delimiter == ',');
  REQUIRE(comma.lines.size() == 1);
  CHECK(comma.lines[0].siret);

  auto tab = Read("A\t73282932000074\nB\t35600000000048\n");
  REQUIRE(tab.status.ok());
  CHECK(tab.delimiter == '\t');
  CHECK_FALSE(tab.header);
  REQUIRE(tab.lines.size() == 2);
  CHECK(tab.lines[1].siret->digits() == "35600000000048");
}

TEST_CASE("--column by name or number") {
  auto by_name = Read("client;code\n73282932000074;35600000000048\n", "CODE");
  REQUIRE(by_name.status.ok());
  REQUIRE(by_name.lines.size() == 1);
  CHECK(by_name.lines[0].siret->digits() == "35600000000048");

  auto by_number = Read("73282932000074;35600000000048\n", "2");
  REQUIRE(by_number.status.ok());
  CHECK_FALSE(by_number.header);
  CHECK(by_number.lines[0].siret->digits() == "35600000000048");

  auto missing = Read("client;code\n1;2\n", "siret");
  CHECK(missing.status.kind() == chorus::ErrorKind::kInvalidArgument);
  CHECK(missing.status.message().find("\"client\", \"code\"") != std::string::npos);

  auto too_far = Read("a;b\n", "3");
  CHECK(too_far.status.message().find("the input has 2 columns") != std::string::npos);
}

TEST_CASE("an ambiguous header asks for --column") {
  auto r = Read("nom;numero\nA;73282932000074\n");
  CHECK_FALSE(r.status.ok());
  CHECK(r.status.message().find("--column") != std::string::npos);
}

TEST_CASE("a short row is reported, not skipped") {
  auto r = Read("nom;siret\nA\nB;73282932000074\n");
  REQUIRE(r.status.ok());
  REQUIRE(r.lines.size() == 2);
  CHECK(r.lines[0].error == "no column 2 on this line");
  CHECK(r.lines[1].siret);
}

TEST_CASE("empty input yields nothing") {
  auto r = Read("");
  CHECK(r.status.ok());
  CHECK(r.lines.empty());
  auto blank = Read("\n\r\n  \n");
  CHECK(blank.lines.empty());
}

TEST_CASE("SplitCsvLine handles quotes") {
  auto f = chorus::SplitCsvLine(R"(a,"b,c","d""e", f )", ',');
  REQUIRE(f.size() == 4);
  CHECK(f[1] == "b,c");
  CHECK(f[2] == "d\"e");
  CHECK(f[3] == "f");
}

TEST_CASE("a Windows-1252 CSV from French Excel: --column \"N° SIRET\", no-break spaces as separators") {
  // "Nom;N° SIRET;Commune" with ° as 0xB0, é as 0xE9, NBSP as 0xA0.
  std::string csv = "Nom;N\xB0 SIRET;Commune\r\nGAEC du Pr\xE9;732\xA0" "829\xA0" "320\xA0" "00074;Chartres\r\n"
                    "EARL \x80uro;13000918600011;Dreux\r\n";
  auto r = Read(csv, "N\xC2\xB0 SIRET");
  REQUIRE(r.status.ok());
  CHECK(r.encoding == InputEncoding::kWindows1252);
  CHECK(r.description.find("Windows-1252") != std::string::npos);
  REQUIRE(r.lines.size() == 2);
  REQUIRE(r.lines[0].siret);
  CHECK(r.lines[0].siret->digits() == "73282932000074");
  CHECK(r.lines[0].text == "732\xC2\xA0" "829\xC2\xA0" "320\xC2\xA0" "00074");  // decoded, UTF-8
  CHECK(r.lines[1].siret->digits() == "13000918600011");
  // Found by its "siret" without --column too, and the no-such-column message is readable.
  CHECK(Read(csv).lines.size() == 2);
  auto missing = Read(csv, "Numero");
  CHECK(missing.status.message().find("\"N\xC2\xB0 SIRET\"") != std::string::npos);
  // Narrow no-break spaces (U+202F) in UTF-8.
  auto narrow = Read("siret\n732\xE2\x80\xAF" "829\xE2\x80\xAF" "320\xE2\x80\xAF" "00074\n");
  REQUIRE(narrow.lines.size() == 1);
  CHECK(narrow.lines[0].siret);
}

TEST_CASE("UTF-8 with and without BOM is told apart from Windows-1252, late in the file too") {
  CHECK(Read("\xEF\xBB\xBFsiret\n73282932000074\n").encoding == InputEncoding::kUtf8Bom);
  CHECK(Read("nom;siret\nPr\xC3\xA9;73282932000074\n").encoding == InputEncoding::kUtf8);
  CHECK(Read("siret\n73282932000074\n").encoding == InputEncoding::kAscii);
  std::string late = "nom;siret\n";
  for (int i = 0; i < 5000; ++i) late += "A;73282932000074\n";
  late += "Pr\xE9;13000918600011\n";
  auto r = Read(late);
  CHECK(r.encoding == InputEncoding::kWindows1252);
  REQUIRE(r.lines.size() == 5001);
  CHECK(r.lines.back().siret);
}

TEST_CASE("Excel's damage gets a hint that says what happened and how to fix it") {
  auto r = Read("siret\n7,00079E+13\n7.00079E+13\n7328293200007\n3282932000074\n");
  REQUIRE(r.status.ok());
  REQUIRE(r.lines.size() == 4);
  for (int i : {0, 1}) {
    CAPTURE(i);
    CHECK_FALSE(r.lines[i].siret);
    CHECK(r.lines[i].error.find("scientific notation") != std::string::npos);
    CHECK(r.lines[i].error.find("format the SIRET column as text") != std::string::npos);
  }
  CHECK(r.lines[2].error.find("leading zero") != std::string::npos);
  // 0 + 3282932000074 is not a valid SIRET: no such promise is made.
  CHECK(r.lines[3].error.find("is a valid SIRET") == std::string::npos);
  CHECK(r.lines[3].error.find("leading zero") != std::string::npos);
  // A SIRET that really starts with 0: SIREN 012345674 and SIRET 01234567400019 both
  // pass Luhn (computed by hand for this test).
  auto zero = Read("siret\n1234567400019\n");
  REQUIRE(zero.lines.size() == 1);
  CHECK(zero.lines[0].error.find("(01234567400019 is a valid SIRET)") != std::string::npos);
}

TEST_CASE("=\"70007919700013\" is read as the SIRET, CSV-quoted or not") {
  auto r = Read("nom;siret\nA;=\"73282932000074\"\nB;\"=\"\"13000918600011\"\"\"\n");
  REQUIRE(r.status.ok());
  REQUIRE(r.lines.size() == 2);
  REQUIRE(r.lines[0].siret);
  CHECK(r.lines[0].siret->digits() == "73282932000074");
  REQUIRE(r.lines[1].siret);
  CHECK(r.lines[1].siret->digits() == "13000918600011");
}

TEST_CASE("rows empty in every cell are skipped like blank lines") {
  auto r = Read(";;\nnom;siret;ville\n;;\r\nA;73282932000074;X\n\"\";\"\";\"\"\n,,\nB;13000918600011;Y\n");
  REQUIRE(r.status.ok());
  REQUIRE(r.lines.size() == 2);
  CHECK(r.lines[0].line == 4);
  CHECK(r.lines[1].line == 7);
}

TEST_CASE("two columns that look like SIRET columns: an error listing them") {
  auto r = Read("nom;SIRET si\xC3\xA8ge;SIRET \xC3\xA9tablissement\nA;73282932000074;73282932000074\n");
  REQUIRE_FALSE(r.status.ok());
  CHECK(r.status.kind() == ErrorKind::kInvalidArgument);
  CHECK(r.status.message().find("\"SIRET si\xC3\xA8ge\", \"SIRET \xC3\xA9tablissement\"") != std::string::npos);
  CHECK(r.status.message().find("--column") != std::string::npos);
  auto chosen = Read("nom;SIRET siège;SIRET établissement\nA;73282932000074;13000918600011\n", "SIRET établissement");
  REQUIRE(chosen.lines.size() == 1);
  CHECK(chosen.lines[0].siret->digits() == "13000918600011");
  auto headerless = Read("73282932000074;13000918600011\n");
  CHECK(headerless.status.message().find("columns 1 and 2 both hold SIRETs") != std::string::npos);
}

TEST_CASE("files that are not lists: exit 2 with save-as-CSV advice, never an empty success") {
  struct Case {
    std::string bytes, kind;
  };
  std::vector<Case> cases = {
      {std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + std::string(100, '\0'), ".xls"},
      {"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj", "PDF"},
      {"\x89PNG\r\n\x1A\n" + std::string(20, '\0'), "image"},
      {"\xFF\xD8\xFF\xE0" + std::string(20, '\0'), "image"},
      {"\xFF\xFEs\0i\0r\0e\0t\0", "UTF-16"},
      {std::string("siret\n\0\0\0", 9), "binary"},
      {chorus::testing::ZipArchive({{"word/document.xml", "<w/>"}}), "not an .xlsx or .ods"},
      {"PK\x03\x04garbage", "damaged zip"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.kind);
    auto r = Read(c.bytes);
    REQUIRE_FALSE(r.status.ok());
    CHECK(r.status.kind() == ErrorKind::kInvalidArgument);
    CHECK(r.status.message().find(c.kind) != std::string::npos);
    CHECK((r.status.message().find("save it as CSV") != std::string::npos ||
           r.status.message().find("as CSV") != std::string::npos ||
           r.status.message().find("damaged") != std::string::npos));
  }
  auto sheet_on_text = Read("siret\n73282932000074\n", "", "Feuil1");
  CHECK(sheet_on_text.status.message().find("not an .xlsx or .ods workbook") != std::string::npos);
}

TEST_CASE(".xlsx: the first sheet or --sheet, shared and inline strings, numbers, the same column rules") {
  std::string clients =
      "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>"
      "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>2</v></c><c r=\"B3\"><v>73282932000074</v></c></row>"
      "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>EARL</t></is></c><c r=\"B4\"><v>1.3000918600011E+13</v></c></row>"
      "<row r=\"5\"><c r=\"B5\" t=\"s\"><v>3</v></c></row>"
      "<row r=\"6\"><c r=\"A6\" t=\"s\"><v>2</v></c></row>"
      "<row r=\"7\">" + XCell("B7", "7,00079E+13") + "</row>";
  std::string other = "<row r=\"1\">" + XCell("C1", "siret") + "</row><row r=\"2\">" + XCell("C2", "82460382300025") + "</row>";
  std::string book = XlsxWorkbook({{"Clients", clients}, {"Autres", other}},
                                  {"<t>Nom</t>", "<r><t>N\xC2\xB0 </t></r><r><t>SIRET</t></r><rPh><t>x</t></rPh>",
                                   "<t>GAEC</t>", "<t xml:space=\"preserve\"> 824 603 823 00025 </t>"});
  auto r = Read(book, "N\xC2\xB0 SIRET");
  INFO(r.status.message());
  REQUIRE(r.status.ok());
  CHECK(r.encoding == InputEncoding::kXlsx);
  CHECK(r.description == "sheet \"Clients\" of an .xlsx workbook");
  REQUIRE(r.lines.size() == 5);
  CHECK(r.lines[0].line == 3);
  CHECK(r.lines[0].siret->digits() == "73282932000074");
  CHECK(r.lines[1].siret->digits() == "13000918600011");  // a number in scientific form, exact
  CHECK(r.lines[2].siret->digits() == "82460382300025");
  CHECK(r.lines[3].line == 6);
  CHECK(r.lines[3].error == "empty SIRET");  // a row without its SIRET cell
  CHECK(r.lines[4].error.find("scientific notation") != std::string::npos);

  auto named = Read(book, "", "autres");
  REQUIRE(named.status.ok());
  CHECK(named.description == "sheet \"Autres\" of an .xlsx workbook");
  REQUIRE(named.lines.size() == 1);
  CHECK(named.lines[0].siret->digits() == "82460382300025");
  auto missing = Read(book, "", "Feuil3");
  CHECK(missing.status.message() == "--sheet \"Feuil3\": no such sheet (the workbook has \"Clients\", \"Autres\")");
  auto ambiguous = Read(XlsxWorkbook({{"S", "<row r=\"1\">" + XCell("A1", "SIRET si\xC3\xA8ge") + XCell("B1", "SIRET") + "</row>"}}));
  CHECK(ambiguous.status.message().find("several columns") != std::string::npos);
}

TEST_CASE(".ods: repeated rows and cells, numbers by value, text paragraphs, annotations left out") {
  std::string rows =
      "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>Nom</text:p></table:table-cell>"
      "<table:table-cell office:value-type=\"string\"><text:p>N\xC2\xB0<text:s/>SIRET</text:p></table:table-cell></table:table-row>"
      "<table:table-row table:number-rows-repeated=\"3\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>"
      "<table:table-row><table:table-cell office:value-type=\"string\"><text:p>GAEC</text:p>"
      "<office:annotation><text:p>73282932000074</text:p></office:annotation></table:table-cell>"
      "<table:table-cell office:value-type=\"float\" office:value=\"73282932000074\"><text:p>7,33E+13</text:p></table:table-cell></table:table-row>"
      "<table:table-row table:number-rows-repeated=\"2\"><table:table-cell table:number-columns-repeated=\"1\"/>"
      "<table:table-cell office:value-type=\"string\"><text:p>130 009 <text:span>186 00011</text:span></text:p></table:table-cell>"
      "<table:table-cell table:number-columns-repeated=\"16000\"/></table:table-row>"
      "<table:table-row table:number-rows-repeated=\"1048000\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>";
  std::string book = OdsWorkbook({{"Feuille1", rows}, {"Feuille2", "<table:table-row><table:table-cell><text:p>82460382300025</text:p></table:table-cell></table:table-row>"}});
  auto r = Read(book, "n\xC2\xB0 siret");
  INFO(r.status.message());
  REQUIRE(r.status.ok());
  CHECK(r.encoding == InputEncoding::kOds);
  CHECK(r.description == "sheet \"Feuille1\" of an .ods workbook");
  REQUIRE(r.lines.size() == 3);
  CHECK(r.lines[0].line == 5);
  CHECK(r.lines[0].siret->digits() == "73282932000074");
  CHECK(r.lines[1].line == 6);
  CHECK(r.lines[1].siret->digits() == "13000918600011");
  CHECK(r.lines[2].line == 7);
  CHECK(r.lines[2].duplicate_of == 6);
  auto second = Read(book, "", "Feuille2");
  REQUIRE(second.lines.size() == 1);
  CHECK(second.lines[0].siret->digits() == "82460382300025");
  CHECK(Read(book, "", "Nope").status.message().find("\"Feuille1\", \"Feuille2\"") != std::string::npos);
}
