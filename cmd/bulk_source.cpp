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
