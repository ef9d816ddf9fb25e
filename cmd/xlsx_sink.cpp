#include "xlsx_sink.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <ostream>

#ifdef CHORUS_HAVE_XLSX
#include <unistd.h>
#include <xlsxwriter.h>
#endif

namespace chorus::cli {

#ifdef CHORUS_HAVE_XLSX

struct XlsxSink::Impl {
  std::string path;
  lxw_workbook* workbook = nullptr;
  lxw_worksheet* sheet = nullptr;
  lxw_row_t row = 0;
  bool ok = true;

  void Close() {
    if (workbook) ok = workbook_close(workbook) == LXW_NO_ERROR && ok;
    workbook = nullptr;
  }
  ~Impl() {
    Close();
    if (!path.empty()) ::unlink(path.c_str());
  }
};

bool XlsxSink::Available() { return true; }

XlsxSink::XlsxSink(const std::vector<std::string>& header) : impl_(std::make_unique<Impl>()) {
  const char* dir = std::getenv("TMPDIR");
  std::string name = std::string(dir && *dir ? dir : "/tmp") + "/chorus-XXXXXX.xlsx";
  const int fd = ::mkstemps(name.data(), 5);
  if (fd < 0) {
    impl_->ok = false;
    return;
  }
  ::close(fd);
  impl_->path = name;
  lxw_workbook_options options{};
  options.constant_memory = LXW_TRUE;
  impl_->workbook = workbook_new_opt(name.c_str(), &options);
  if (!impl_->workbook) {
    impl_->ok = false;
    return;
  }
  impl_->sheet = workbook_add_worksheet(impl_->workbook, "chorus");
  lxw_format* bold = workbook_add_format(impl_->workbook);
  format_set_bold(bold);
  for (std::size_t c = 0; c < header.size(); ++c)
    worksheet_write_string(impl_->sheet, 0, static_cast<lxw_col_t>(c), header[c].c_str(), bold);
  impl_->row = 1;
}

XlsxSink::~XlsxSink() = default;

void XlsxSink::Row(const std::vector<const nlohmann::json*>& values, const std::vector<std::string>& text) {
  if (!impl_->sheet) return;
  const lxw_row_t row = impl_->row++;
  for (std::size_t c = 0; c < values.size(); ++c) {
    const nlohmann::json& v = *values[c];
    const auto col = static_cast<lxw_col_t>(c);
    lxw_error e = LXW_NO_ERROR;
    if (v.is_null()) continue;
    if (v.is_boolean()) e = worksheet_write_boolean(impl_->sheet, row, col, v.get<bool>(), nullptr);
    // SIRETs and ids of 15+ digits would lose digits as numbers; they are
    // strings in the records anyway. Integers fit a double up to 2^53.
    else if (v.is_number()) e = worksheet_write_number(impl_->sheet, row, col, v.get<double>(), nullptr);
    else e = worksheet_write_string(impl_->sheet, row, col, text[c].c_str(), nullptr);
    if (e != LXW_NO_ERROR) impl_->ok = false;
  }
}

bool XlsxSink::Finish(std::ostream& out) {
  impl_->Close();
  if (!impl_->ok) return false;
  std::ifstream in(impl_->path, std::ios::binary);
  if (!in) return false;
  out << in.rdbuf();
  out.flush();
  return static_cast<bool>(out);
}

#else

struct XlsxSink::Impl {};
bool XlsxSink::Available() { return false; }
XlsxSink::XlsxSink(const std::vector<std::string>&) {}
XlsxSink::~XlsxSink() = default;
void XlsxSink::Row(const std::vector<const nlohmann::json*>&, const std::vector<std::string>&) {}
bool XlsxSink::Finish(std::ostream&) { return false; }

#endif

}  // namespace chorus::cli
