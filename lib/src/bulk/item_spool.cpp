#include <stdio.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "chorus/bulk.h"
#include "chorus/i18n.h"
#include "chorus/journal.h"

namespace chorus::bulk {

StatusOr<std::unique_ptr<ItemSpool>> ItemSpool::Create() {
  auto spool = std::unique_ptr<ItemSpool>(new ItemSpool);
  spool->digest_ = Fnv1a("");
  spool->file_ = std::tmpfile();
  if (!spool->file_)
    return Status(ErrorKind::kInternal, Msg("cannot create a temporary file: {}", SystemError{errno}));
  return spool;
}

ItemSpool::~ItemSpool() {
  if (file_) std::fclose(file_);
}

// One item a line: the key, a tab, the payload.
Status ItemSpool::Add(std::string_view key, std::string_view payload) {
  if (key.find_first_of("\t\n") != std::string_view::npos || payload.find('\n') != std::string_view::npos)
    return Status(ErrorKind::kInternal, Msg("a bulk item's key or payload holds a line break"));
  std::string line;
  line.reserve(key.size() + payload.size() + 2);
  line.append(key).append(1, '\t').append(payload).append(1, '\n');
  if (std::fseek(file_, 0, SEEK_END) != 0 || std::fwrite(line.data(), 1, line.size(), file_) != line.size())
    return Status(ErrorKind::kInternal, Msg("cannot write a temporary file: {}", SystemError{errno}));
  ++size_;
  digest_ = Fnv1a(std::string(key) + '\n', digest_);
  return OkStatus();
}

Status ItemSpool::ForEach(const std::function<bool(Item)>& visit) {
  if (std::fflush(file_) != 0 || std::fseek(file_, 0, SEEK_SET) != 0)
    return Status(ErrorKind::kInternal, Msg("cannot read a temporary file: {}", SystemError{errno}));
  char* buf = nullptr;
  std::size_t capacity = 0;
  ssize_t n;
  Status status;
  std::size_t seq = 0;
  while ((n = ::getline(&buf, &capacity, file_)) > 0) {
    std::string_view line(buf, static_cast<std::size_t>(n));
    if (line.back() == '\n') line.remove_suffix(1);
    auto tab = line.find('\t');
    if (tab == std::string_view::npos) {
      status = Status(ErrorKind::kInternal, Msg("temporary item file damaged"));
      break;
    }
    if (!visit(Item{std::string(line.substr(0, tab)), std::string(line.substr(tab + 1)), seq++})) break;
  }
  if (status.ok() && std::ferror(file_))
    status = Status(ErrorKind::kInternal, Msg("cannot read a temporary file: {}", SystemError{errno}));
  std::free(buf);
  return status;
}

}  // namespace chorus::bulk
