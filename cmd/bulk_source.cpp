#include "bulk_source.h"

#include <cerrno>
#include <cstring>

namespace chorus::cli {

StatusOr<BulkSource> OpenBulkSource(const std::string& path) {
  BulkSource source;
  if (path == "-") {
    source.name_ = "stdin";
    return source;
  }
  source.file_ = std::make_unique<std::ifstream>(path, std::ios::binary);
  if (!*source.file_)
    return Status(ErrorKind::kInvalidArgument, "cannot open " + path + ": " + std::strerror(errno));
  source.name_ = path;
  return source;
}

}  // namespace chorus::cli

#include "app.h"

namespace chorus::cli {

StatusOr<std::vector<SiretItem>> CollectSirets(const App& app, const SiretInput& input,
                                               std::size_t* invalid_out,
                                               std::size_t* duplicates_out) {
  std::vector<SiretItem> items;
  std::unordered_set<std::uint64_t> seen;
  std::size_t invalid = 0, duplicates = 0;
  std::string source_name = "argument";
  auto take = [&](const BulkLine& line) {
    if (!line.siret) {
      ++invalid;
      app.Error(source_name + " " + std::to_string(line.line) + ": " + line.error);
      return;
    }
    if (!seen.insert(line.siret->Key()).second) {
      ++duplicates;
      return;
    }
    items.push_back(SiretItem{line.line, line.siret->digits()});
  };
  for (std::size_t i = 0; i < input.args.size(); ++i) {
    BulkLine line;
    line.line = i + 1;
    line.text = input.args[i];
    auto parsed = Siret::Parse(line.text);
    if (parsed.ok()) line.siret = std::move(*parsed);
    else line.error = parsed.status().message();
    take(line);
  }
  if (!input.from.empty()) {
    auto source = OpenBulkSource(input.from);
    if (!source.ok()) return source.status();
    source_name = source->name() + " line";
    BulkInputReader reader(source->stream(), BulkInputOptions{input.column});
    BulkLine line;
    for (;;) {
      auto more = reader.Next(&line);
      if (!more.ok())
        return Status(more.status().kind(), source->name() + ": " + more.status().message());
      if (!*more) break;
      take(line);
    }
  }
  if (invalid_out) *invalid_out = invalid;
  if (duplicates_out) *duplicates_out = duplicates;
  if (invalid > 0 && !input.skip_invalid)
    return Status(ErrorKind::kInvalidArgument,
                  std::to_string(invalid) +
                      " invalid SIRET(s), listed above; nothing was sent. Fix them, or pass "
                      "--skip-invalid to go on with the " +
                      std::to_string(items.size()) + " valid one(s)");
  if (duplicates > 0) app.Info(std::to_string(duplicates) + " repeated SIRET(s) skipped");
  return items;
}

}  // namespace chorus::cli
