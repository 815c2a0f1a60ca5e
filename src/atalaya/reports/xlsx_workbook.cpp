#include "atalaya/reports/xlsx_workbook.h"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "atalaya/core/text.h"

namespace atalaya::xlsx {
namespace {

class TempFile {
 public:
  TempFile() {
    path_ = (std::filesystem::temp_directory_path() / "atalaya-xlsx-XXXXXX").string();
    const int fd = mkstemp(path_.data());
    if (fd < 0) throw std::runtime_error("xlsx: cannot create a temporary file in " + path_);
    close(fd);
  }
  ~TempFile() { std::remove(path_.c_str()); }
  TempFile(const TempFile&) = delete;
  TempFile& operator=(const TempFile&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

double text_width(const std::string& s) { return static_cast<double>(display_width(s)); }

}  // namespace

void Sheet::text(lxw_row_t row, size_t col, const std::string& s, lxw_format* f) {
  if (s.empty()) return;
  check_(worksheet_write_string(ws_, row, static_cast<lxw_col_t>(col), s.c_str(), f));
  widen(col, text_width(s));
}

void Sheet::number(lxw_row_t row, size_t col, double v) {
  check_(worksheet_write_number(ws_, row, static_cast<lxw_col_t>(col), v, nullptr));
  char shown[32];
  std::snprintf(shown, sizeof shown, "%.15g", v);
  widen(col, text_width(shown));
}

void Sheet::widen(size_t col, double w) {
  if (width_.size() <= col) width_.resize(col + 1, 0);
  width_[col] = std::max(width_[col], w);
}

void Sheet::set_widths(double max_width) {
  for (size_t c = 0; c < width_.size(); ++c)
    check_(worksheet_set_column(ws_, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                                std::clamp(width_[c] + 2, 8.0, max_width), nullptr));
}

std::string workbook_bytes(const std::function<void(lxw_workbook*, Checked&)>& fill) {
  TempFile file;
  lxw_workbook* wb = workbook_new(file.path().c_str());
  if (!wb) throw std::runtime_error("xlsx: libxlsxwriter cannot create a workbook at " + file.path());
  Checked check;
  fill(wb, check);
  const lxw_error closed = workbook_close(wb);  // writes the file and frees the workbook
  check(closed);
  if (check.first != LXW_NO_ERROR)
    throw std::runtime_error(std::string("xlsx: libxlsxwriter failed: ") + lxw_strerror(check.first));
  std::ifstream in(file.path(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) throw std::runtime_error("xlsx: cannot read back " + file.path());
  return bytes;
}

}  // namespace atalaya::xlsx
