#include "bulk_source.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <unordered_set>

#include "app.h"
#include "chorus/journal.h"
#include "tr.h"

namespace chorus::cli {

StatusOr<BulkSource> OpenBulkSource(const std::string& path) {
  BulkSource source;
  if (path == "-") {
    source.name_ = "stdin";
    return source;
  }
  source.file_ = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*source.file_)
    return Status(ErrorKind::kInvalidArgument, Msg("cannot open {}: {}", path, SystemError{errno}));
  source.name_ = path;
  return source;
}

StatusOr<std::unique_ptr<SiretSource>> SiretSource::Open(const SiretInput& input) {
  if (input.args.empty() && input.from.empty())
    return Status(ErrorKind::kInvalidArgument, Msg("give SIRETs, or --from FILE (- for stdin)"));
  auto source = std::unique_ptr<SiretSource>(new SiretSource);
  source->input_ = input;
  if (input.from.empty()) return source;
  if (input.from == "-") {
    source->name_ = "stdin";
    return source;
  }
  std::ifstream probe(input.from, std::ios::binary);
  if (!probe)
    return Status(ErrorKind::kInvalidArgument, Msg("cannot open {}: {}", input.from, SystemError{errno}));
  source->name_ = input.from;
  return source;
}

Status SiretSource::ForEach(const std::function<bool(const BulkLine&, const std::string&)>& visit) {
  for (std::size_t i = 0; i < input_.args.size(); ++i) {
    BulkLine line;
    line.line = i + 1;
    line.text = input_.args[i];
    auto parsed = Siret::Parse(line.text);
    if (parsed.ok()) line.siret = std::move(*parsed);
    else {
      line.error = parsed.status().message();
      line.localized_error = parsed.status().localized_message();
    }
    if (!visit(line, TrFormat("argument {}", i + 1))) return OkStatus();
  }
  if (input_.from.empty()) return OkStatus();
  auto opened = OpenBulkSource(input_.from);
  if (!opened.ok()) return opened.status();
  BulkInputReader reader(opened->stream(), BulkInputOptions{input_.column, input_.sheet});
  BulkLine line;
  for (;;) {
    auto more = reader.Next(&line);
    if (!more.ok()) {
      const Status& s = more.status();
      return Status(s.kind(), Message{s.message(), s.localized_message()}).WithContext(name_);
    }
    if (!*more) break;
    if (!visit(line, TrFormat("{} line {}", name_, line.line))) return OkStatus();
  }
  // How the file was decoded, for the caller to say once.
  if (reader.encoding() != InputEncoding::kAscii)
    encoding_note_ = TrFormat("{}: read as {}", name_, reader.EncodingDescription());
  return OkStatus();
}

StatusOr<BulkInput> SpoolSirets(const App& app, const SiretInput& input) {
  auto source = SiretSource::Open(input);
  if (!source.ok()) return source.status();
  auto spool = bulk::ItemSpool::Create();
  if (!spool.ok()) return spool.status();
  std::size_t invalid = 0, duplicates = 0;
  std::unordered_set<std::uint64_t> seen;
  Status spooled;
  Status read = (*source)->ForEach([&](const BulkLine& line, const std::string& where) {
    if (!line.siret) {
      ++invalid;
      app.Error(TrFormat("{}: {}", where, line.human_error()));
    } else if (!seen.insert(line.siret->Key()).second) {
      ++duplicates;
    } else {
      const std::string& digits = line.siret->digits();
      spooled = (*spool)->Add(digits, nlohmann::json{{"line", line.line}, {"siret", digits}}.dump());
    }
    return spooled.ok();
  });
  if (!read.ok()) return read;
  if (!spooled.ok()) return spooled;
  if (!(*source)->encoding_note().empty()) app.Info((*source)->encoding_note());
  if (invalid > 0 && !input.skip_invalid)
    return Status(ErrorKind::kInvalidArgument,
                  MsgN("{} invalid SIRET, listed above; nothing was sent. Fix it, or pass "
                       "--skip-invalid to go on with the valid ones ({})",
                       "{} invalid SIRETs, listed above; nothing was sent. Fix them, or pass "
                       "--skip-invalid to go on with the valid ones ({})",
                       invalid, invalid, (*spool)->size()));
  if (duplicates > 0)
    app.Info(TrFormatN("{} repeated SIRET skipped", "{} repeated SIRETs skipped", duplicates, duplicates));
  return BulkInput{std::move(*spool), invalid, input.from == "-"};
}

nlohmann::json ItemFields(const bulk::Item& item) {
  auto fields = nlohmann::json::parse(item.payload, nullptr, false);
  return fields.is_object() ? fields : nlohmann::json::object();
}

}  // namespace chorus::cli
