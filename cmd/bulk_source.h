// Opens the input of a --from option: a file, or stdin for "-".
#pragma once

#include <fstream>
#include <iostream>
#include <memory>
#include <string>

#include "chorus/bulk_input.h"
#include "chorus/status.h"

namespace chorus::cli {

class BulkSource {
 public:
  std::istream& stream() { return file_ ? *file_ : std::cin; }
  const std::string& name() const { return name_; }

  friend StatusOr<BulkSource> OpenBulkSource(const std::string& path);

 private:
  std::unique_ptr<std::ifstream> file_;
  std::string name_;
};

StatusOr<BulkSource> OpenBulkSource(const std::string& path);

}  // namespace chorus::cli
