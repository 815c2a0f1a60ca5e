#include "atalaya/reports/process_export.h"

#include <map>
#include <optional>
#include <sstream>

#include "atalaya/ingest/csv_reader.h"
#include "atalaya/reports/series_export.h"
#include "atalaya/reports/xlsx_workbook.h"

namespace atalaya {
namespace {

constexpr size_t kTargetValueColumn = 7;

std::string joined(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (const auto& x : v) out += (out.empty() ? "" : sep) + x;
  return out;
}

// A target's value as written in a CSV: the shortest text that reads back
// the same number.
std::string number_text(double v) {
  std::ostringstream out;
  out.precision(15);
  out << v;
  return out.str();
}

// One commitment's cells, in commitment_export_header()'s order.
std::vector<std::string> cells_of(const process::CommitmentRecord& r, const std::map<std::string, std::string>& held,
                                  const std::string& lang) {
  const process::Commitment& c = r.commitment;
  auto day_of = [&](const std::string& meeting) {
    auto it = held.find(meeting);
    return it == held.end() ? std::string() : it->second;
  };
  std::vector<std::string> cells = {c.declaration,
                                    c.code,
                                    joined(c.parties, "; "),
                                    c.pillar,
                                    c.package,
                                    std::string(process::commitment_kind_name(c.kind)),
                                    c.text.in(lang),
                                    c.target ? number_text(c.target->value) : "",
                                    c.target ? c.target->unit : "",
                                    c.deadline ? c.deadline->as_stated : "",
                                    c.deadline ? c.deadline->by : "",
                                    c.made_on,
                                    c.made_at};
  if (r.latest_status)
    cells.insert(cells.end(), {std::string(process::reported_status_name(r.latest_status->status)),
                               r.latest_status->meeting, day_of(r.latest_status->meeting)});
  else
    cells.insert(cells.end(), {"", "", ""});
  if (r.latest_assessment)
    cells.insert(cells.end(), {std::string(process::completion_name(r.latest_assessment->completion)),
                               r.latest_assessment->meeting, day_of(r.latest_assessment->meeting)});
  else
    cells.insert(cells.end(), {"", "", ""});
  return cells;
}

std::map<std::string, std::string> held_on(const std::vector<process::Meeting>& meetings) {
  std::map<std::string, std::string> out;
  for (const auto& m : meetings) out[m.code] = m.held_on;
  return out;
}

}  // namespace

const std::vector<std::string>& commitment_export_header() {
  static const std::vector<std::string> header = {
      "declaration",   "code",           "parties",          "pillar",         "package",
      "kind",          "text",           "target_value",     "target_unit",    "deadline",
      "deadline_by",   "made_on",        "made_at",          "latest_status",  "status_meeting",
      "status_held_on", "latest_completion", "assessment_meeting", "assessment_held_on"};
  return header;
}

std::string commitments_csv(const CommitmentExport& e, bool bom) {
  std::string out;
  if (bom) out += kUtf8Bom;
  auto line = [&](const std::vector<std::string>& cells, bool header) {
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c) out.push_back(',');
      // The target's value is a number written by us (or empty): as it is.
      if (!header && c == kTargetValueColumn) out += cells[c];
      else append_csv_field(out, neutralise_cell(cells[c]));
    }
    out.push_back('\n');
  };
  line(commitment_export_header(), true);
  const auto held = held_on(e.meetings);
  for (const auto& r : e.commitments) line(cells_of(r, held, e.lang), false);
  return out;
}

std::string commitments_xlsx(const CommitmentExport& e) {
  if (e.commitments.size() >= xlsx::kMaxWorksheetRows)
    throw std::runtime_error("xlsx: " + std::to_string(e.commitments.size()) + " commitments do not fit a worksheet");
  return xlsx::workbook_bytes([&](lxw_workbook* wb, xlsx::Checked& check) {
    xlsx::Sheet sheet(workbook_add_worksheet(wb, "commitments"), check);
    lxw_format* bold = workbook_add_format(wb);
    format_set_bold(bold);
    const auto& header = commitment_export_header();
    for (size_t c = 0; c < header.size(); ++c) sheet.text(0, c, header[c], bold);
    const auto held = held_on(e.meetings);
    lxw_row_t row = 1;
    for (const auto& r : e.commitments) {
      const std::vector<std::string> cells = cells_of(r, held, e.lang);
      for (size_t c = 0; c < cells.size(); ++c) {
        if (c == kTargetValueColumn) {
          if (r.commitment.target) sheet.number(row, c, r.commitment.target->value);
        } else {
          sheet.text(row, c, cells[c]);
        }
      }
      ++row;
    }
    sheet.set_widths(80);
    worksheet_freeze_panes(sheet.ws(), 1, 0);
  });
}

}  // namespace atalaya
