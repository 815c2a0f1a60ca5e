// atalaya series [selection] [--by DIM,...] [--freq M|Q|A|FY] [--format ...]
#include <algorithm>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "atalaya/analysis/series_query.h"
#include "atalaya/ingest/csv_reader.h"
#include "atalaya/ingest/sdmx_csv.h"
#include "cli/commands.h"
#include "cli/selection_options.h"

namespace atalaya::cli {
namespace {

struct SeriesOptions {
  SelectionOptions selection;
  std::string freq, format = "table";
  std::optional<int> vintage;
};


// Characters on screen, not bytes: "Darién" is 6 wide.
size_t display_width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

void print_table(const SeriesResult& r) {
  const bool show_status = std::any_of(r.rows.begin(), r.rows.end(),
                                       [](const SeriesRow& row) { return row.status != Status::Final; });
  std::vector<std::string> header = r.by;
  header.push_back("period");
  header.push_back("value");
  if (show_status) header.push_back("status");
  const size_t value_col = r.by.size() + 1;
  std::vector<std::vector<std::string>> cells;
  for (auto& row : r.rows) {
    std::vector<std::string> line = row.group;
    line.push_back(row.period.to_string());
    line.push_back(thousands(row.value));
    if (show_status) line.push_back(std::string(status_name(row.status)));
    cells.push_back(std::move(line));
  }
  std::vector<size_t> width(header.size());
  for (size_t i = 0; i < header.size(); ++i) width[i] = display_width(header[i]);
  for (auto& l : cells)
    for (size_t i = 0; i < l.size(); ++i) width[i] = std::max(width[i], display_width(l[i]));
  auto print = [&](const std::vector<std::string>& l) {
    for (size_t i = 0; i < l.size(); ++i) {
      std::string pad(width[i] - display_width(l[i]), ' ');
      if (i) std::cout << "  ";
      std::cout << (i == value_col ? pad + l[i] : l[i] + (i + 1 < l.size() ? pad : ""));
    }
    std::cout << "\n";
  };
  print(header);
  for (auto& l : cells) print(l);
}

}  // namespace

void add_series_command(CLI::App& app, const GlobalOptions& global, int& status) {
  auto o = std::make_shared<SeriesOptions>();
  auto* cmd = app.add_subcommand("series", "Query harmonised series: select, group, roll up, export");
  o->selection.add_to(*cmd);
  cmd->add_option("--freq", o->freq, "roll up to M, Q, A (calendar year) or FY (U.S. fiscal year, Oct-Sep)");
  cmd->add_option("--vintage", o->vintage, "read each source as of its Nth vintage instead of the latest");
  cmd->add_option("--format", o->format, "table, csv, json or sdmx-csv")
      ->check(CLI::IsMember({"table", "csv", "json", "sdmx-csv"}));
  cmd->footer(
      "Values are summed over every series the selection matches, per --by group.\n"
      "Country filters accept any name or code (Haiti, HTI, HT, 332).\n\n"
      "Examples:\n"
      "  atalaya series --source us-cbp-swb --freq FY\n"
      "  atalaya series --source pa-snm-darien --citizenship HTI --from 2021-05 --to 2021-11\n"
      "  atalaya series --source mx-upm-irregular --by citizenship --freq A --format csv");
  cmd->callback([o, &global, &status] {
    SeriesQuery q = o->selection.query();
    q.vintage = o->vintage;
    if (!o->freq.empty()) {
      q.frequency = parse_frequency(o->freq);
      if (!q.frequency) throw std::invalid_argument("--freq: '" + o->freq + "' is not M, Q, A or FY");
    }
    auto store = global.open_store(true);
    SeriesResult r = run_series_query(*store, q);
    for (auto& n : r.notes) std::cerr << "note: " << n << "\n";
    if (o->format == "table") {
      print_table(r);
    } else if (o->format == "csv") {
      for (auto& b : r.by) std::cout << b << ",";
      std::cout << "period,value\n";
      for (auto& row : r.rows) {
        std::string line;
        for (auto& g : row.group) {
          append_csv_field(line, g);
          line.push_back(',');
        }
        std::cout << line << row.period.to_string() << "," << row.value << "\n";
      }
    } else if (o->format == "json") {
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
        e["value"] = row.value;
        e["status"] = std::string(status_name(row.status));
        j["rows"].push_back(std::move(e));
      }
      std::cout << j.dump(2) << "\n";
    } else {
      // Dimensions neither grouped on nor pinned by the selection are
      // totals: SDMX's "_T".
      std::vector<SdmxObservation> out;
      for (auto& row : r.rows) {
        SdmxObservation s;
        SeriesKey& k = s.key;
        std::string* fields[] = {&k.source, &k.reporter, &k.location, &k.citizenship,
                                 &k.event,  &k.demographic, &k.authority};
        for (size_t d = 0; d < std::size(kDimensions); ++d) {
          auto it = std::find(r.by.begin(), r.by.end(), kDimensions[d]);
          auto pinned = r.fixed.find(std::string(kDimensions[d]));
          *fields[d] = it != r.by.end()         ? row.group[it - r.by.begin()]
                       : pinned != r.fixed.end() ? pinned->second
                                                 : "_T";
        }
        s.unit = row.unit;
        s.period = row.period;
        s.value = row.value;
        s.status = row.status;
        out.push_back(std::move(s));
      }
      write_sdmx_csv(std::cout, SdmxCsvVersion::V2, out);
    }
    status = 0;
  });
}

}  // namespace atalaya::cli
