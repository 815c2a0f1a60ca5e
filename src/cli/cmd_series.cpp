// atalaya series [selection] [--by DIM,...] [--freq M|Q|A|FY] [--format ...]
#include <algorithm>
#include <fstream>
#include <iostream>
#include <stdexcept>

#include "atalaya/reports/series_export.h"
#include "atalaya/analysis/series_query.h"
#include "atalaya/core/text.h"
#include "cli/commands.h"
#include "cli/selection_options.h"

namespace atalaya::cli {
namespace {

struct SeriesOptions {
  SelectionOptions selection;
  std::string freq, format = "table", out, lang = "en";
  std::optional<int> vintage;
  bool sum = false, total = false, bom = false;
  std::string sort = "group";
  size_t top = 0;
};


void print_table(const SeriesResult& r) {
  const bool show_status = std::any_of(r.rows.begin(), r.rows.end(), [](const SeriesRow& row) {
    return row.status != Status::Final || row.partial || row.state != ValueState::Reported;
  });
  const bool show_unit = std::any_of(r.rows.begin(), r.rows.end(),
                                     [&](const SeriesRow& row) { return row.unit != r.rows.front().unit; });
  std::vector<std::string> header = r.by;
  header.push_back("period");
  header.push_back("value");
  if (show_unit) header.push_back("unit");
  if (show_status) header.push_back("status");
  const size_t value_col = r.by.size() + 1;
  std::vector<std::vector<std::string>> cells;
  for (auto& row : r.rows) {
    std::vector<std::string> line = row.group;
    line.push_back(row.period_text());
    // A period with no value is a gap, never 0.
    line.push_back(row.value ? thousands(*row.value) : "–");
    if (show_unit) line.push_back(std::string(unit_name(row.unit)));
    if (show_status) {
      std::string st = row.state != ValueState::Reported ? std::string(value_state_name(row.state))
                                                          : std::string(status_name(row.status));
      if (row.partial) st = "partial: " + row.covers + (row.status != Status::Final ? ", " + st : "");
      line.push_back(st);
    }
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

// An Excel workbook is binary: it goes to a file, never to the terminal.
void write_workbook(SeriesStore& store, const SeriesQuery& q, const SeriesResult& r, NameLanguage lang,
                    const std::string& path) {
  ExportAbout about;
  about.title = "Atalaya series " + download_stem(q, r);
  about.query = q;
  about.lang = lang;
  about.sources = export_sources(r.sources, store.sources(),
                                 [&](const std::string& s) { return store.vintages(s); }, q.vintage);
  const std::string bytes = series_xlsx(r, about);
  std::ofstream file(path, std::ios::binary);
  file.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  file.close();
  if (!file) throw std::runtime_error("--out: cannot write " + path);
}

}  // namespace

void add_series_command(CLI::App& app, const GlobalOptions& global, int& status) {
  auto o = std::make_shared<SeriesOptions>();
  auto* cmd = app.add_subcommand("series", "Query harmonised series: select, group, roll up, export");
  o->selection.add_to(*cmd);
  cmd->add_option("--freq", o->freq, "roll up to M, Q, A (calendar year) or FY (U.S. fiscal year, Oct-Sep)");
  cmd->add_option("--vintage", o->vintage, "read each source as of its Nth vintage instead of the latest");
  cmd->add_flag("--sum", o->sum,
                "add the series of several sources into one total (refused where they overlap or count "
                "different units or measures); without it they are answered side by side");
  cmd->add_flag("--total", o->total,
                "one value per group over the whole --from..--to range (flows add, stocks take the last value)");
  cmd->add_option("--sort", o->sort, "order of the --by groups: group (by their values) or size (the largest first)")
      ->check(CLI::IsMember({"group", "size"}));
  cmd->add_option("--top", o->top, "keep only the N largest groups (sorted by size; 0: all)");
  cmd->add_option("--format", o->format, "table, csv, json, sdmx-csv or xlsx (xlsx needs --out)")
      ->check(CLI::IsMember({"table", "csv", "json", "sdmx-csv", "xlsx"}));
  cmd->add_option("--out", o->out, "write the Excel workbook (--format xlsx) to this file");
  cmd->add_flag("--bom", o->bom,
                "--format csv: begin with the UTF-8 byte-order mark, for Excel (the API's downloads have it; "
                "standard output is left without it for other programs)");
  cmd->add_option("--lang", o->lang, "language of the country names in csv and xlsx: en (default) or es")
      ->check(CLI::IsMember({"en", "es"}));
  cmd->footer(
      "Values are summed over every series the selection matches, per --by group; series of\n"
      "several sources are shown per source unless --sum asks for (and may make) their total.\n"
      "A period no release covers is missing (–), never 0; a period rolled up from incomplete\n"
      "months is marked partial with the months it covers. Stocks roll up by their last value.\n"
      "Country filters accept any name or code (Haiti, HTI, HT, 332). csv and xlsx name each\n"
      "country beside its code (--lang es: in Spanish); --bom makes a csv Excel reads as UTF-8.\n"
      "A group's size (--sort size, --top) is its total over the answer's periods for flows, its\n"
      "last value for stocks. An empty answer says why on standard error (a value the sources do\n"
      "not have, the nearest ones, the periods they do have); see the values with `atalaya dimensions`.\n\n"
      "Examples:\n"
      "  atalaya series --source us-cbp-swb --freq FY\n"
      "  atalaya series --source pa-snm-darien --citizenship HTI --from 2021-05 --to 2021-11\n"
      "  atalaya series --source mx-upm-irregular --by citizenship --freq A --format csv\n"
      "  atalaya series --source pa-snm-darien --by citizenship --format xlsx --out darien.xlsx\n"
      "  atalaya series --source pa-snm-darien --by citizenship --format csv --bom --lang es > darien.csv\n"
      "  atalaya series --source us-cbp-swb-nat --by citizenship --freq FY --from FY2024 --to FY2024 --sort size --top 10\n"
      "  atalaya series --citizenship VEN --reporter COL --event refugee --from 2021 --to 2023 --total");
  cmd->callback([o, &global, &status] {
    SeriesQuery q = o->selection.query();
    q.vintage = o->vintage;
    q.sum_sources = o->sum;
    q.total = o->total;
    q.sort_by_size = o->sort == "size";
    q.top = o->top;
    if (!o->freq.empty()) {
      q.frequency = parse_frequency(o->freq);
      if (!q.frequency) throw std::invalid_argument("--freq: '" + o->freq + "' is not M, Q, A or FY");
    }
    if (o->format == "xlsx" && (o->out.empty() || o->out == "-"))
      throw std::invalid_argument("--out: --format xlsx writes a binary workbook, not text for the terminal; "
                                  "give --out FILE.xlsx");
    if (o->format != "xlsx" && !o->out.empty())
      throw std::invalid_argument("--out: only with --format xlsx (the other formats print to standard output)");
    if (o->bom && o->format != "csv") throw std::invalid_argument("--bom: only with --format csv");
    auto store = global.open_store(true);
    SeriesResult r = run_series_query(*store, q);
    for (auto& n : r.notes) std::cerr << "note: " << n << "\n";
    if (o->format == "table") {
      print_table(r);
    } else if (o->format == "csv") {
      std::cout << series_csv(r, CsvOptions{o->bom, *parse_name_language(o->lang)});
    } else if (o->format == "json") {
      std::cout << series_json(r).dump(2) << "\n";
    } else if (o->format == "sdmx-csv") {
      std::cout << series_sdmx_csv(r);
    } else {
      write_workbook(*store, q, r, *parse_name_language(o->lang), o->out);
    }
    status = 0;
  });
}

}  // namespace atalaya::cli
