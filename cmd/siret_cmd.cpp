// chorus siret check: validate SIRETs locally (SIREN and SIRET Luhn, La Poste rule, duplicates).
#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>
#include <unordered_map>

#include "app.h"
#include "bulk_source.h"
#include "chorus/siret.h"
#include "tr.h"

namespace chorus::cli {
namespace {

using nlohmann::json;

struct SiretCheckOptions {
  std::vector<std::string> sirets;
  std::string from;
  std::string column;
  std::string sheet;
};

// Built after the translations are loaded: the headers are in the user's language.
std::vector<Column> SiretColumns() {
  return {{"line", Tr("LINE")},   {"input", Tr("INPUT")}, {"siret", "SIRET"},
          {"valid", Tr("VALID")}, {"error", Tr("ERROR")}, {"duplicate_of", Tr("DUPLICATE OF")}};
}

// "line" is the line in the file, or the position among the arguments.
json SiretRecord(const BulkLine& line) {
  return json{{"line", line.line},
              {"input", line.text},
              {"siret", line.siret ? json(line.siret->digits()) : json(nullptr)},
              {"valid", line.siret.has_value()},
              {"error", line.error.empty() ? json(nullptr) : json(line.error)},
              {"duplicate_of", line.duplicate_of ? json(line.duplicate_of) : json(nullptr)},
              {HumanKey("error"), line.error.empty() ? json(nullptr) : json(line.human_error())}};
}

int RunSiretCheck(App& app, SiretCheckOptions& opts) {
  bool args_from_stdin = opts.sirets.size() == 1 && opts.sirets[0] == "-";
  if (args_from_stdin) {
    opts.sirets.clear();
    if (!opts.from.empty())
      return app.Fail(Status(ErrorKind::kInvalidArgument, Msg("use either - or --from, not both")));
    opts.from = "-";
  }
  if (opts.sirets.empty() && opts.from.empty())
    return app.Fail(Status(ErrorKind::kInvalidArgument,
                           Msg("give SIRETs as arguments, or --from FILE (- for stdin)")));

  auto printer = app.Printer(SiretColumns());
  size_t valid = 0, invalid = 0, duplicates = 0;
  std::unordered_map<std::uint64_t, size_t> seen;  // for arguments: key → position
  auto count = [&](const BulkLine& line) {
    if (!line.siret) ++invalid;
    else ++valid;
    if (line.duplicate_of) ++duplicates;
  };
  for (size_t i = 0; i < opts.sirets.size(); ++i) {
    BulkLine line;
    line.line = i + 1;
    line.text = opts.sirets[i];
    auto parsed = Siret::Parse(line.text);
    if (parsed.ok()) {
      auto [it, inserted] = seen.try_emplace(parsed->Key(), i + 1);
      if (!inserted) line.duplicate_of = it->second;
      line.siret = std::move(*parsed);
    } else {
      line.error = parsed.status().message();
      line.localized_error = parsed.status().localized_message();
    }
    count(line);
    printer->Print(SiretRecord(line));
  }
  if (!opts.from.empty()) {
    auto source = OpenBulkSource(opts.from);
    if (!source.ok()) return app.Fail(source.status());
    BulkInputReader reader(source->stream(), BulkInputOptions{opts.column, opts.sheet});
    BulkLine line;
    for (;;) {
      auto more = reader.Next(&line);
      if (!more.ok()) {
        printer->Finish();
        const Status& s = more.status();
        return app.Fail(Status(s.kind(), Message{s.message(), s.localized_message()}).WithContext(source->name()));
      }
      if (!*more) break;
      count(line);
      printer->Print(SiretRecord(line));
    }
    if (reader.encoding() != InputEncoding::kAscii)
      app.Info(TrFormat("{}: read as {}", source->name(), reader.EncodingDescription()));
  }
  printer->Finish();
  // Labels before the counts: no plural to agree with.
  app.Info(duplicates ? TrFormat("valid: {}, invalid: {}, repeated: {}", valid, invalid, duplicates)
                      : TrFormat("valid: {}, invalid: {}", valid, invalid));
  return invalid ? kExitError : kExitOk;
}

}  // namespace

void RegisterSiretCommands(CLI::App& root, App& app, int* exit_code) {
  auto* siret = root.add_subcommand("siret", Tr("Work with SIRET numbers offline"));
  siret->require_subcommand(1);
  auto* check = siret->add_subcommand(
      "check",
      Tr("Validate SIRETs: 14 digits, Luhn checksum on the SIREN (first 9 digits) and on the 14, "
         "La Poste rule (SIREN 356000000: digit sum a multiple of 5); report duplicates. Exits 1 "
         "when any is invalid."));
  auto opts = std::make_shared<SiretCheckOptions>();
  check->add_option("SIRET", opts->sirets, Tr("SIRETs to check (spaces or dots allowed); - reads stdin"));
  check->add_option("--from", opts->from,
                    Tr("Read SIRETs from FILE (- for stdin): one a line, CSV with ; , or tab (UTF-8 or "
                       "Windows-1252), or an .xlsx or .ods workbook"))
      ->type_name("FILE");
  check->add_option("--column", opts->column,
                    Tr("The SIRET column of a CSV or sheet, by header name or 1-based number"))
      ->type_name("COLUMN");
  check->add_option("--sheet", opts->sheet, Tr("The sheet of an .xlsx or .ods workbook, by name (default: the first)"))
      ->type_name("NAME");
  check->callback([&app, opts, exit_code] { *exit_code = RunSiretCheck(app, *opts); });
}

}  // namespace chorus::cli
