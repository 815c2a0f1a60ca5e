#include "atalaya/analysis/series_export.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "atalaya/core/text.h"
#include "atalaya/core/utc_time.h"
#include "atalaya/ingest/csv_reader.h"
#include "atalaya/ingest/sdmx_csv.h"

namespace atalaya {

nlohmann::json series_json(const SeriesResult& r) {
  nlohmann::json j;
  j["by"] = r.by;
  j["notes"] = r.notes;
  j["selection"] = r.fixed;
  j["unit"] = std::string(unit_name(r.unit));
  j["rows"] = nlohmann::json::array();
  for (auto& row : r.rows) {
    nlohmann::json e;
    for (size_t i = 0; i < r.by.size(); ++i) e[r.by[i]] = row.group[i];
    e["period"] = row.period.to_string();
    if (row.through) e["through"] = row.through->to_string();
    e["frequency"] = std::string(frequency_code(row.period.frequency()));
    e["value"] = row.value ? nlohmann::json(*row.value) : nlohmann::json(nullptr);
    if (row.state != ValueState::Reported) e["missing"] = std::string(value_state_name(row.state));
    e["status"] = std::string(status_name(row.status));
    e["unit"] = std::string(unit_name(row.unit));
    e["measure"] = std::string(measure_name(row.measure));
    if (row.partial) {
      e["partial"] = true;
      e["covers"] = row.covers;
    }
    j["rows"].push_back(std::move(e));
  }
  return j;
}

// The status column of the CSV and Excel exports: what a reader must know
// of a value beyond its number.
static std::string row_status(const SeriesRow& row) {
  if (row.state != ValueState::Reported) return std::string(value_state_name(row.state));
  std::string s(status_name(row.status));
  if (row.partial) s = "partial (" + row.covers + "); " + s;
  return s;
}

std::string series_csv(const SeriesResult& r) {
  std::string out;
  for (auto& b : r.by) out += b + ",";
  out += "period,value,unit,status\n";
  for (auto& row : r.rows) {
    for (auto& g : row.group) {
      append_csv_field(out, g);
      out.push_back(',');
    }
    out += row.period_text() + "," + (row.value ? std::to_string(*row.value) : std::string()) + "," +
           std::string(unit_name(row.unit)) + ",";
    append_csv_field(out, row_status(row));
    out += "\n";
  }
  return out;
}

std::string series_sdmx_csv(const SeriesResult& r) {
  std::vector<SdmxObservation> out;
  for (auto& row : r.rows) {
    SdmxObservation s;
    SeriesKey& k = s.key;
    std::string* fields[] = {&k.source, &k.reporter,     &k.location,  &k.citizenship,
                             &k.counterpart, &k.event, &k.demographic, &k.authority};
    static_assert(std::size(fields) == std::size(kDimensions));
    for (size_t d = 0; d < std::size(kDimensions); ++d) {
      auto it = std::find(r.by.begin(), r.by.end(), kDimensions[d]);
      auto pinned = r.fixed.find(std::string(kDimensions[d]));
      *fields[d] = it != r.by.end()         ? row.group[it - r.by.begin()]
                   : pinned != r.fixed.end() ? pinned->second
                                             : "_T";
    }
    // In SDMX a missing observation is no row, and a total over a range has
    // no TIME_PERIOD: both are left out (the JSON and CSV answers keep them).
    if (!row.value || row.through) continue;
    s.unit = row.unit;
    s.period = row.period;
    s.value = *row.value;
    s.status = row.status;
    out.push_back(std::move(s));
  }
  std::ostringstream text;
  write_sdmx_csv(text, SdmxCsvVersion::V2, out);
  return text.str();
}

namespace {

constexpr size_t kMaxWorksheetRows = 1048576;

// libxlsxwriter writes only to a named file: a private temporary one, removed
// however the export ends.
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

// Collects the first libxlsxwriter error; the workbook must be closed (which
// frees it) before the error is thrown.
struct Checked {
  lxw_error first = LXW_NO_ERROR;
  void operator()(lxw_error e) {
    if (first == LXW_NO_ERROR) first = e;
  }
};

void write_data_sheet(lxw_workbook* wb, const SeriesResult& r, Checked& check) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, "data");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  std::vector<std::string> header = r.by;
  for (auto h : {"period", "value", "unit", "status"}) header.emplace_back(h);  // as the CSV
  std::vector<double> width(header.size());
  for (size_t c = 0; c < header.size(); ++c) {
    check(worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), header[c].c_str(), bold));
    width[c] = text_width(header[c]);
  }
  const size_t nb = r.by.size();
  lxw_row_t line = 1;
  for (auto& row : r.rows) {
    auto text = [&](size_t c, const std::string& s) {
      check(worksheet_write_string(ws, line, static_cast<lxw_col_t>(c), s.c_str(), nullptr));
      width[c] = std::max(width[c], text_width(s));
    };
    for (size_t c = 0; c < nb; ++c) text(c, row.group[c]);
    text(nb, row.period_text());
    if (row.value) {
      check(worksheet_write_number(ws, line, static_cast<lxw_col_t>(nb + 1), static_cast<double>(*row.value), nullptr));
      width[nb + 1] = std::max(width[nb + 1], text_width(std::to_string(*row.value)));
    }
    text(nb + 2, std::string(unit_name(row.unit)));
    text(nb + 3, row_status(row));
    ++line;
  }
  for (size_t c = 0; c < header.size(); ++c)
    check(worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                               std::clamp(width[c] + 2, 8.0, 60.0), nullptr));
  worksheet_freeze_panes(ws, 1, 0);
}

void write_about_sheet(lxw_workbook* wb, const SeriesResult& r, const std::string& title, Checked& check) {
  lxw_worksheet* ws = workbook_add_worksheet(wb, "about");
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  lxw_row_t line = 0;
  auto pair = [&](const std::string& field, const std::string& value) {
    check(worksheet_write_string(ws, line, 0, field.c_str(), bold));
    check(worksheet_write_string(ws, line, 1, value.c_str(), nullptr));
    ++line;
  };
  pair("title", title);
  std::string selection;
  for (auto& [d, v] : r.fixed) selection += (selection.empty() ? "" : ", ") + d + "=" + v;
  pair("selection", selection.empty() ? "everything selected" : selection);
  std::string by;
  for (auto& b : r.by) by += (by.empty() ? "" : ", ") + b;
  pair("grouped by", by.empty() ? "(none: one total)" : by);
  pair("unit", std::string(unit_name(r.unit)));
  pair("rows", std::to_string(r.rows.size()));
  for (auto& n : r.notes) pair("note", n);
  pair("generated", utc_now());
  check(worksheet_set_column(ws, 0, 0, 12, nullptr));
  check(worksheet_set_column(ws, 1, 1, 80, nullptr));
}

}  // namespace

std::string series_xlsx(const SeriesResult& r, const std::string& title) {
  if (r.rows.size() >= kMaxWorksheetRows)
    throw std::runtime_error("xlsx: " + std::to_string(r.rows.size()) + " rows do not fit a worksheet (at most " +
                             std::to_string(kMaxWorksheetRows - 1) + "); narrow the selection or use csv");
  TempFile file;
  lxw_workbook* wb = workbook_new(file.path().c_str());
  if (!wb) throw std::runtime_error("xlsx: libxlsxwriter cannot create a workbook at " + file.path());
  Checked check;
  write_data_sheet(wb, r, check);
  write_about_sheet(wb, r, title, check);
  const lxw_error closed = workbook_close(wb);  // writes the file and frees the workbook
  check(closed);
  if (check.first != LXW_NO_ERROR)
    throw std::runtime_error(std::string("xlsx: libxlsxwriter failed: ") + lxw_strerror(check.first));
  std::ifstream in(file.path(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) throw std::runtime_error("xlsx: cannot read back " + file.path());
  return bytes;
}

}  // namespace atalaya
