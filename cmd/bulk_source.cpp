#include "bulk_source.h"

#include <cerrno>
#include <cstring>
#include <sstream>
#include <unordered_set>

#include "app.h"

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

StatusOr<std::unique_ptr<SiretSource>> SiretSource::Open(const SiretInput& input) {
  auto source = std::unique_ptr<SiretSource>(new SiretSource);
  source->input_ = input;
  if (input.from.empty()) return source;
  if (input.from == "-") {
    source->name_ = "stdin";
    source->spool_ = std::tmpfile();
    if (!source->spool_)
      return Status(ErrorKind::kInternal, std::string("cannot spool stdin: ") + std::strerror(errno));
    char buf[65536];
    std::size_t n;
    while ((n = std::fread(buf, 1, sizeof buf, stdin)) > 0)
      if (std::fwrite(buf, 1, n, source->spool_) != n)
        return Status(ErrorKind::kInternal, std::string("cannot spool stdin: ") + std::strerror(errno));
    return source;
  }
  std::ifstream probe(input.from, std::ios::binary);
  if (!probe)
    return Status(ErrorKind::kInvalidArgument, "cannot open " + input.from + ": " + std::strerror(errno));
  source->name_ = input.from;
  return source;
}

SiretSource::~SiretSource() {
  if (spool_) std::fclose(spool_);
}

namespace {
// A read-only istream over the spooled stdin, from its start.
class SpoolBuf : public std::streambuf {
 public:
  explicit SpoolBuf(std::FILE* f) : f_(f) { std::rewind(f_); }

 protected:
  int_type underflow() override {
    std::size_t n = std::fread(buf_, 1, sizeof buf_, f_);
    if (n == 0) return traits_type::eof();
    setg(buf_, buf_, buf_ + n);
    return traits_type::to_int_type(buf_[0]);
  }

 private:
  std::FILE* f_;
  char buf_[65536];
};
}  // namespace

Status SiretSource::ForEach(const std::function<bool(const BulkLine&, const std::string&)>& visit) {
  for (std::size_t i = 0; i < input_.args.size(); ++i) {
    BulkLine line;
    line.line = i + 1;
    line.text = input_.args[i];
    auto parsed = Siret::Parse(line.text);
    if (parsed.ok()) line.siret = std::move(*parsed);
    else line.error = parsed.status().message();
    if (!visit(line, "argument " + std::to_string(i + 1))) return OkStatus();
  }
  if (input_.from.empty()) return OkStatus();
  std::unique_ptr<SpoolBuf> spool_buf;
  std::unique_ptr<std::istream> in;
  if (spool_) {
    spool_buf = std::make_unique<SpoolBuf>(spool_);
    in = std::make_unique<std::istream>(spool_buf.get());
  } else {
    in = std::make_unique<std::ifstream>(input_.from, std::ios::binary);
    if (!*in) return Status(ErrorKind::kInvalidArgument, "cannot open " + input_.from + ": " + std::strerror(errno));
  }
  BulkInputReader reader(*in, BulkInputOptions{input_.column});
  BulkLine line;
  for (;;) {
    auto more = reader.Next(&line);
    if (!more.ok()) return Status(more.status().kind(), name_ + ": " + more.status().message());
    if (!*more) return OkStatus();
    if (!visit(line, name_ + " line " + std::to_string(line.line))) return OkStatus();
  }
}

StatusOr<SiretValidation> ValidateSirets(const App& app, const SiretInput& input, SiretSource& source,
                                         const std::function<void(const SiretItem&)>& on_valid) {
  SiretValidation v;
  std::unordered_set<std::uint64_t> seen;
  Status read = source.ForEach([&](const BulkLine& line, const std::string& where) {
    if (!line.siret) {
      ++v.invalid;
      app.Error(where + ": " + line.error);
    } else if (!seen.insert(line.siret->Key()).second) {
      ++v.duplicates;
    } else {
      ++v.valid;
      on_valid(SiretItem{line.line, line.siret->digits(), 0});
    }
    return true;
  });
  if (!read.ok()) return read;
  if (v.invalid > 0 && !input.skip_invalid)
    return Status(ErrorKind::kInvalidArgument,
                  std::to_string(v.invalid) +
                      " invalid SIRET(s), listed above; nothing was sent. Fix them, or pass "
                      "--skip-invalid to go on with the " + std::to_string(v.valid) + " valid one(s)");
  if (v.duplicates > 0) app.Info(std::to_string(v.duplicates) + " repeated SIRET(s) skipped");
  return v;
}

StatusOr<std::vector<SiretItem>> CollectSirets(const App& app, const SiretInput& input,
                                               std::size_t* invalid_out, std::size_t* duplicates_out) {
  auto source = SiretSource::Open(input);
  if (!source.ok()) return source.status();
  std::vector<SiretItem> items;
  auto v = ValidateSirets(app, input, **source, [&](const SiretItem& item) { items.push_back(item); });
  if (!v.ok()) return v.status();
  if (invalid_out) *invalid_out = v->invalid;
  if (duplicates_out) *duplicates_out = v->duplicates;
  return items;
}

}  // namespace chorus::cli
