// Writing an Excel workbook with libxlsxwriter, for the exports
// (series_export, process_export): text cells written as strings (never a
// formula), each column as wide as its widest text, and the finished
// workbook's bytes.
#pragma once

#include <xlsxwriter.h>

#include <functional>
#include <string>
#include <vector>

namespace atalaya::xlsx {

inline constexpr size_t kMaxWorksheetRows = 1048576;

// Collects the first libxlsxwriter error; the workbook must be closed (which
// frees it) before the error is thrown.
struct Checked {
  lxw_error first = LXW_NO_ERROR;
  void operator()(lxw_error e) {
    if (first == LXW_NO_ERROR) first = e;
  }
};

// Writes text cells as strings (a shared string, never a formula, whatever
// it begins with) and numbers, and keeps each column's width.
class Sheet {
 public:
  Sheet(lxw_worksheet* ws, Checked& check) : ws_(ws), check_(check) {}
  void text(lxw_row_t row, size_t col, const std::string& s, lxw_format* f = nullptr);
  void number(lxw_row_t row, size_t col, double v);
  void widen(size_t col, double w);
  // Each column as wide as its widest cell plus 2, between 8 and max_width.
  void set_widths(double max_width);
  lxw_worksheet* ws() { return ws_; }

 private:
  lxw_worksheet* ws_;
  Checked& check_;
  std::vector<double> width_;
};

// A workbook written to a private temporary file (libxlsxwriter writes only
// to a named file, removed however this ends) by `fill`, then read back.
// Throws std::runtime_error naming libxlsxwriter's error.
std::string workbook_bytes(const std::function<void(lxw_workbook*, Checked&)>& fill);

}  // namespace atalaya::xlsx
