#include "chorus/bulk_input.h"

#include <doctest/doctest.h>

#include <sstream>

using chorus::BulkInputOptions;
using chorus::BulkInputReader;
using chorus::BulkLine;

namespace {

struct ReadAll {
  std::vector<BulkLine> lines;
  chorus::Status status;
  char delimiter = 0;
  bool header = false;
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
  return all;
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
  auto by_name = Read("client;code\n73282932000074;35600000000048\n", {"CODE", ""});
  REQUIRE(by_name.status.ok());
  REQUIRE(by_name.lines.size() == 1);
  CHECK(by_name.lines[0].siret->digits() == "35600000000048");

  auto by_number = Read("73282932000074;35600000000048\n", {"2", ""});
  REQUIRE(by_number.status.ok());
  CHECK_FALSE(by_number.header);
  CHECK(by_number.lines[0].siret->digits() == "35600000000048");

  auto missing = Read("client;code\n1;2\n", {"siret", ""});
  CHECK(missing.status.kind() == chorus::ErrorKind::kInvalidArgument);
  CHECK(missing.status.message().find("\"client\", \"code\"") != std::string::npos);

  auto too_far = Read("a;b\n", {"3", ""});
  CHECK(too_far.status.message().find("2 column(s)") != std::string::npos);
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
