// Shared helpers for the fuzz targets: a cursor over the fuzzer's bytes and
// a check that aborts (so libFuzzer and the replay driver report the input).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace chorus_fuzz {

// Takes small selector values off the front of the input; the rest is the payload.
class Input {
 public:
  Input(const uint8_t* data, size_t size) : data_(data), size_(size) {}
  // A value in [0, n); 0 once the input is exhausted.
  unsigned Pick(unsigned n) {
    if (pos_ >= size_ || n == 0) return 0;
    return data_[pos_++] % n;
  }
  std::string_view Rest() const {
    return std::string_view(reinterpret_cast<const char*>(data_) + pos_, size_ - pos_);
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

[[noreturn]] inline void Fail(const char* what, std::string_view detail = {}) {
  std::fprintf(stderr, "fuzz check failed: %s: %.*s\n", what, static_cast<int>(detail.size()),
               detail.data());
  std::abort();
}

#define FUZZ_CHECK(cond, detail) \
  do {                           \
    if (!(cond)) ::chorus_fuzz::Fail(#cond, (detail)); \
  } while (0)

}  // namespace chorus_fuzz
