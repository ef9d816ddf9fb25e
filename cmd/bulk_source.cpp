#include "bulk_source.h"

#include <stdio.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <sstream>
#include <unordered_set>

#include "app.h"
#include "chorus/journal.h"

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
  BulkInputReader reader(*in, BulkInputOptions{input_.column, input_.sheet});
  BulkLine line;
  for (;;) {
    auto more = reader.Next(&line);
    if (!more.ok()) return Status(more.status().kind(), name_ + ": " + more.status().message());
    if (!*more) break;
    if (!visit(line, name_ + " line " + std::to_string(line.line))) return OkStatus();
  }
  // Issue 12 hook: how the file was decoded, for Check to say once.
  if (reader.encoding() != InputEncoding::kAscii) encoding_note_ = name_ + ": read as " + reader.EncodingDescription();
  return OkStatus();
}

StatusOr<std::unique_ptr<SiretItems>> SiretItems::Open(const SiretInput& input) {
  if (input.args.empty() && input.from.empty())
    return Status(ErrorKind::kInvalidArgument, "give SIRETs, or --from FILE (- for stdin)");
  auto source = SiretSource::Open(input);
  if (!source.ok()) return source.status();
  auto items = std::unique_ptr<SiretItems>(new SiretItems);
  items->input_ = input;
  items->source_ = std::move(*source);
  return items;
}

StatusOr<BulkItems::Count> SiretItems::Check(const App& app) {
  Count count;
  std::size_t duplicates = 0;
  std::unordered_set<std::uint64_t> seen;
  Status read = source_->ForEach([&](const BulkLine& line, const std::string& where) {
    if (!line.siret) {
      ++count.invalid;
      app.Error(where + ": " + line.error);
    } else if (!seen.insert(line.siret->Key()).second) {
      ++duplicates;
    } else {
      ++count.valid;
      count.digest = Fnv1a(line.siret->digits() + '\n', count.digest);
    }
    return true;
  });
  if (!read.ok()) return read;
  if (!source_->encoding_note().empty()) app.Info(source_->encoding_note());  // issue 12 hook
  if (count.invalid > 0 && !input_.skip_invalid)
    return Status(ErrorKind::kInvalidArgument,
                  std::to_string(count.invalid) +
                      " invalid SIRET(s), listed above; nothing was sent. Fix them, or pass "
                      "--skip-invalid to go on with the " + std::to_string(count.valid) + " valid one(s)");
  if (duplicates > 0) app.Info(std::to_string(duplicates) + " repeated SIRET(s) skipped");
  return count;
}

Status SiretItems::ForEach(const std::function<bool(BulkItem)>& visit) {
  // Repeats were reported by Check; a set of 8-byte keys is all they cost.
  std::unordered_set<std::uint64_t> seen;
  return source_->ForEach([&](const BulkLine& line, const std::string&) {
    if (!line.siret || !seen.insert(line.siret->Key()).second) return true;
    std::string digits = line.siret->digits();
    return visit(BulkItem{digits, nlohmann::json{{"line", line.line}, {"siret", digits}}, 0});
  });
}

StatusOr<std::unique_ptr<ItemSpool>> ItemSpool::Create() {
  auto spool = std::unique_ptr<ItemSpool>(new ItemSpool);
  spool->file_ = std::tmpfile();
  if (!spool->file_) return Status(ErrorKind::kInternal, std::string("cannot create a temporary file: ") + std::strerror(errno));
  return spool;
}

ItemSpool::~ItemSpool() {
  if (file_) std::fclose(file_);
}

// One item a line: the key, a tab, the fields as JSON (which escapes its own
// newlines and tabs). Keys are ids and SIRETs: no tab, no newline.
Status ItemSpool::Add(const std::string& key, const nlohmann::json& fields) {
  std::string line = key + '\t' + fields.dump() + '\n';
  if (std::fseek(file_, 0, SEEK_END) != 0 || std::fwrite(line.data(), 1, line.size(), file_) != line.size())
    return Status(ErrorKind::kInternal, std::string("cannot write a temporary file: ") + std::strerror(errno));
  ++size_;
  digest_ = Fnv1a(key + '\n', digest_);
  return OkStatus();
}

StatusOr<BulkItems::Count> ItemSpool::Check(const App&) {
  Count count;
  count.valid = size_;
  count.digest = digest_;
  return count;
}

Status ItemSpool::ForEach(const std::function<bool(BulkItem)>& visit) {
  std::rewind(file_);
  char* buf = nullptr;
  std::size_t capacity = 0;
  ssize_t n;
  Status status;
  while ((n = ::getline(&buf, &capacity, file_)) > 0) {
    std::string_view line(buf, static_cast<std::size_t>(n));
    if (line.back() == '\n') line.remove_suffix(1);
    auto tab = line.find('\t');
    auto fields = tab == std::string_view::npos ? nlohmann::json(nlohmann::json::value_t::discarded)
                                                : nlohmann::json::parse(line.substr(tab + 1), nullptr, false);
    if (fields.is_discarded()) {
      status = Status(ErrorKind::kInternal, "temporary item file damaged");
      break;
    }
    if (!visit(BulkItem{std::string(line.substr(0, tab)), std::move(fields), 0})) break;
  }
  if (status.ok() && std::ferror(file_))
    status = Status(ErrorKind::kInternal, std::string("cannot read a temporary file: ") + std::strerror(errno));
  std::free(buf);
  return status;
}

}  // namespace chorus::cli
