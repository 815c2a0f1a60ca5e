#include "atalaya/reports/series_export.h"

#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <set>
#include <unordered_map>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>

#include "atalaya/core/country.h"
#include "atalaya/core/text.h"
#include "atalaya/core/utc_time.h"
#include "atalaya/ingest/csv_reader.h"
#include "atalaya/ingest/sdmx_csv.h"
#include "atalaya/reports/xlsx_workbook.h"

namespace atalaya {

std::optional<NameLanguage> parse_name_language(std::string_view text) {
  if (text == "en") return NameLanguage::English;
  if (text == "es") return NameLanguage::Spanish;
  return std::nullopt;
}

std::string country_display_name(std::string_view code, NameLanguage lang) {
  // By the exact stored code only: a name look-up (find_country) would also
  // take a location or an organisation for a country.
  static const auto* countries = [] {
    auto* m = new std::unordered_map<std::string_view, const Country*>;
    for (const Country& c : all_countries()) m->emplace(c.alpha3, &c);
    return m;
  }();
  static const auto* groups = [] {
    auto* m = new std::unordered_map<std::string_view, const CitizenshipGroup*>;
    for (const CitizenshipGroup& g : citizenship_groups()) m->emplace(g.code, &g);
    return m;
  }();
  const bool es = lang == NameLanguage::Spanish;
  if (auto it = countries->find(code); it != countries->end()) return es ? it->second->name_es : it->second->name_en;
  if (auto it = groups->find(code); it != groups->end()) return es ? it->second->name_es : it->second->name_en;
  return "";
}

std::string neutralise_cell(std::string_view text) {
  if (!text.empty() && std::string_view("=+-@\t\r").find(text.front()) != std::string_view::npos)
    return "'" + std::string(text);
  return std::string(text);
}

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

namespace {

// The status column of the CSV and Excel exports: what a reader must know
// of a value beyond its number.
std::string row_status(const SeriesRow& row) {
  if (row.state != ValueState::Reported) return std::string(value_state_name(row.state));
  std::string s(status_name(row.status));
  if (row.partial) s = "partial (" + row.covers + "); " + s;
  return s;
}

// The columns of the CSV and of the workbook's data sheet, one layout for
// both: each by dimension (a country one followed by its name), period,
// value, unit, status.
std::vector<std::string> export_header(const SeriesResult& r) {
  std::vector<std::string> h;
  for (auto& b : r.by) {
    h.push_back(b);
    if (is_country_dimension(b)) h.push_back(b + "_name");
  }
  for (auto c : {"period", "value", "unit", "status"}) h.emplace_back(c);
  return h;
}

// The index of the value column in export_header.
size_t value_column(const SeriesResult& r) {
  return r.by.size() + static_cast<size_t>(std::count_if(r.by.begin(), r.by.end(), [](const std::string& b) {
           return is_country_dimension(b);
         })) + 1;
}

// One row's cells as text, the value "" when there is none.
std::vector<std::string> export_cells(const SeriesResult& r, const SeriesRow& row, NameLanguage lang) {
  std::vector<std::string> cells;
  for (size_t i = 0; i < r.by.size() && i < row.group.size(); ++i) {
    cells.push_back(row.group[i]);
    if (is_country_dimension(r.by[i])) cells.push_back(country_display_name(row.group[i], lang));
  }
  cells.push_back(row.period_text());
  cells.push_back(row.value ? std::to_string(*row.value) : std::string());
  cells.emplace_back(unit_name(row.unit));
  cells.push_back(row_status(row));
  return cells;
}

}  // namespace

std::string series_csv(const SeriesResult& r, const CsvOptions& options) {
  std::string out;
  if (options.bom) out += kUtf8Bom;
  auto line = [&](const std::vector<std::string>& cells, size_t raw) {
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c) out.push_back(',');
      // The value is a count (never negative) or empty: written as it is.
      if (c == raw) out += cells[c];
      else append_csv_field(out, neutralise_cell(cells[c]));
    }
    out.push_back('\n');
  };
  line(export_header(r), SIZE_MAX);
  const size_t vc = value_column(r);
  for (auto& row : r.rows) line(export_cells(r, row, options.lang), vc);
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

using xlsx::Checked;
using xlsx::kMaxWorksheetRows;
using xlsx::Sheet;

void write_data_sheet(lxw_workbook* wb, const SeriesResult& r, NameLanguage lang, Checked& check) {
  Sheet sheet(workbook_add_worksheet(wb, "data"), check);
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  const std::vector<std::string> header = export_header(r);  // as the CSV
  for (size_t c = 0; c < header.size(); ++c) sheet.text(0, c, header[c], bold);
  const size_t vc = value_column(r);
  lxw_row_t line = 1;
  for (auto& row : r.rows) {
    const std::vector<std::string> cells = export_cells(r, row, lang);
    for (size_t c = 0; c < cells.size(); ++c) {
      if (c != vc) sheet.text(line, c, cells[c]);
      else if (row.value) sheet.number(line, c, *row.value);
      // a missing value is an empty cell, never 0 or "-"
    }
    ++line;
  }
  sheet.set_widths(60);
  worksheet_freeze_panes(sheet.ws(), 1, 0);
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (auto& x : v) out += (out.empty() ? "" : sep) + x;
  return out;
}

// "HTI (Haiti)" for a country dimension's code, else the value.
std::string with_name(const std::string& dim, const std::string& value, NameLanguage lang) {
  if (!is_country_dimension(dim)) return value;
  const std::string name = country_display_name(value, lang);
  return name.empty() ? value : value + " (" + name + ")";
}

// The frequencies of the rows (of one source's rows when the answer is by
// source and `source` is given), "M" or "A, M".
std::string row_frequencies(const SeriesResult& r, const std::string& source) {
  const auto src = std::find(r.by.begin(), r.by.end(), "source");
  std::set<std::string> f;
  for (auto& row : r.rows) {
    if (!source.empty() && src != r.by.end() && row.group[src - r.by.begin()] != source) continue;
    f.insert(std::string(frequency_code(row.period.frequency())));
  }
  return join(std::vector<std::string>(f.begin(), f.end()), ", ");
}

void write_about_sheet(lxw_workbook* wb, const SeriesResult& r, const ExportAbout& about, Checked& check) {
  Sheet sheet(workbook_add_worksheet(wb, "about"), check);
  lxw_format* bold = workbook_add_format(wb);
  format_set_bold(bold);
  const SeriesQuery& q = about.query;
  lxw_row_t line = 0;
  auto pair = [&](const std::string& field, const std::string& value) {
    sheet.text(line, 0, field, bold);
    sheet.text(line, 1, value);
    ++line;
  };
  pair("title", about.title);
  pair("generated", about.generated.empty() ? utc_now() : about.generated);
  std::vector<std::string> asked;
  for (auto dim : kDimensions) {
    auto it = q.filters.find(std::string(dim));
    if (it != q.filters.end() && !it->second.empty()) asked.push_back(std::string(dim) + ": " + join(it->second, ", "));
  }
  pair("selection asked", asked.empty() ? "everything" : join(asked, "; "));
  std::vector<std::string> pinned;
  for (auto& [d, v] : r.fixed) pinned.push_back(d + "=" + with_name(d, v, about.lang));
  if (!pinned.empty()) pair("selection", join(pinned, ", "));
  pair("from", q.from ? q.from->to_string() : "the first period held");
  pair("to", q.to ? q.to->to_string() : "the last period held");
  pair("frequency", q.frequency ? "rolled up to " + std::string(frequency_code(*q.frequency))
                                : "as stored: " + row_frequencies(r, ""));
  pair("grouped by", r.by.empty() ? "(none: one total)" : join(r.by, ", "));
  if (q.total) pair("total", "one value per group over from..to");
  if (q.sum_sources) pair("sum", "the sources' series added");
  pair("vintage", q.vintage ? "as of each source's vintage " + std::to_string(*q.vintage)
                            : "the latest view of each source");
  pair("unit", std::string(unit_name(r.unit)));
  pair("rows", std::to_string(r.rows.size()));
  for (auto& n : r.notes) pair("note", n);
  if (!about.sources.empty()) {
    ++line;
    sheet.text(line++, 0, "sources", bold);
    const std::vector<std::string> header = {"source",  "name",         "publisher", "licence",
                                             "frequency", "releases",   "vintage read", "vintages held",
                                             "file",    "sha256",       "ingested_at"};
    for (size_t c = 0; c < header.size(); ++c) sheet.text(line, c, header[c], bold);
    ++line;
    for (const ExportSource& s : about.sources) {
      const std::vector<std::string> cells = {
          s.source,
          s.name,
          s.publisher,
          s.licence,
          row_frequencies(r, s.source),
          s.schedule,
          s.read ? std::to_string(s.read->number) : "",
          std::to_string(s.vintages),
          s.read ? s.read->file : "",
          s.read ? s.read->digest : "",
          s.read ? s.read->ingested_at : ""};
      for (size_t c = 0; c < cells.size(); ++c) sheet.text(line, c, cells[c]);
      ++line;
    }
  }
  sheet.widen(0, 14);
  sheet.widen(1, 40);
  sheet.set_widths(80);
}

// Latin-1 letters (U+00C0..U+00FF) folded to ASCII, for file names.
constexpr std::string_view kLatin1Ascii = "AAAAAAACEEEEIIIIDNOOOOOxOUUUUYTsaaaaaaaceeeeiiiidnooooo-ouuuuyty";

// A value as a file-name part: ASCII letters, digits and '-' only.
std::string name_part(std::string_view v) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    const auto c = static_cast<unsigned char>(v[i]);
    char o = '-';
    if (std::isalnum(c)) {
      o = static_cast<char>(c);
    } else if ((c == 0xC3) && i + 1 < v.size()) {  // U+00C0..U+00FF
      const auto d = static_cast<unsigned char>(v[i + 1]);
      if (d >= 0x80 && d <= 0xBF) {
        o = kLatin1Ascii[d - 0x80];
        ++i;
      }
    } else if (c >= 0x80) {
      while (i + 1 < v.size() && (static_cast<unsigned char>(v[i + 1]) & 0xC0) == 0x80) ++i;
    }
    if (o == '-' && (out.empty() || out.back() == '-')) continue;
    out.push_back(o);
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

}  // namespace

std::vector<ExportSource> export_sources(const std::vector<std::string>& sources,
                                         const std::vector<SourceSummary>& summaries,
                                         const std::function<std::vector<VintageInfo>(const std::string&)>& vintages,
                                         std::optional<int> vintage) {
  std::vector<ExportSource> out;
  for (auto& id : sources) {
    ExportSource e;
    e.source = id;
    auto sum = std::find_if(summaries.begin(), summaries.end(), [&](const SourceSummary& s) { return s.source == id; });
    if (sum != summaries.end()) {
      e.name = sum->name;
      e.publisher = sum->declaration.publisher;
      e.licence = sum->declaration.licence;
      e.schedule = sum->declaration.schedule;
    }
    const std::vector<VintageInfo> list = vintages ? vintages(id) : std::vector<VintageInfo>{};
    e.vintages = static_cast<int>(list.size());
    for (const VintageInfo& v : list) {
      if (vintage && v.number > *vintage) continue;  // as of the Nth: the newest up to N
      if (!e.read || v.number > e.read->number) e.read = v;
    }
    // The file's name, not the path it was ingested from on some machine
    // (a download must not show the server's directories).
    if (e.read) e.read->file = std::filesystem::path(e.read->file).filename().string();
    out.push_back(std::move(e));
  }
  return out;
}

std::string series_xlsx(const SeriesResult& r, const std::string& title) {
  ExportAbout about;
  about.title = title;
  return series_xlsx(r, about);
}

std::string series_xlsx(const SeriesResult& r, const ExportAbout& about) {
  if (r.rows.size() >= kMaxWorksheetRows)
    throw std::runtime_error("xlsx: " + std::to_string(r.rows.size()) + " rows do not fit a worksheet (at most " +
                             std::to_string(kMaxWorksheetRows - 1) + "); narrow the selection or use csv");
  return xlsx::workbook_bytes([&](lxw_workbook* wb, Checked& check) {
    write_data_sheet(wb, r, about.lang, check);
    write_about_sheet(wb, r, about, check);
  });
}

std::string download_stem(const SeriesQuery& q, const SeriesResult& r) {
  std::vector<std::string> parts = {"atalaya"};
  auto values = [&](const std::string& dim, const std::vector<std::string>& given) {
    std::vector<std::string> out;
    for (auto& v : given) {
      std::string code = v;
      if (auto pinned = r.fixed.find(dim); pinned != r.fixed.end() && given.size() == 1) code = pinned->second;
      else if (is_country_dimension(dim) && !citizenship_code(v).empty()) code = citizenship_code(v);
      code = code == "_T" ? "total" : name_part(code);
      if (!code.empty()) out.push_back(code);
    }
    return join(out, ".");
  };
  auto src = q.filters.find("source");
  std::string sources = src != q.filters.end() ? values("source", src->second) : values("source", r.sources);
  parts.push_back(sources.empty() ? "all" : sources);
  for (auto dim : kDimensions) {
    if (dim == "source") continue;
    auto it = q.filters.find(std::string(dim));
    if (it == q.filters.end()) continue;
    std::string v = values(std::string(dim), it->second);
    if (!v.empty()) parts.push_back(v);
  }
  if (q.from && q.to) {
    parts.push_back(q.from->to_string());
    parts.push_back(q.to->to_string());
  } else if (q.from) {
    parts.push_back("from-" + q.from->to_string());
  } else if (q.to) {
    parts.push_back("to-" + q.to->to_string());
  }
  std::string freq = q.frequency ? std::string(frequency_code(*q.frequency)) : row_frequencies(r, "");
  freq.erase(std::remove(freq.begin(), freq.end(), ' '), freq.end());
  std::replace(freq.begin(), freq.end(), ',', '.');
  if (!freq.empty()) parts.push_back(freq);
  if (q.vintage) parts.push_back("v" + std::to_string(*q.vintage));
  if (q.total) parts.push_back("total");
  if (q.sum_sources) parts.push_back("sum");
  std::string stem = join(parts, "_");
  if (stem.size() > kMaxDownloadStem) {
    uint32_t h = 2166136261u;  // FNV-1a of the whole name
    for (unsigned char c : stem) h = (h ^ c) * 16777619u;
    char hex[9];
    std::snprintf(hex, sizeof hex, "%08x", h);
    stem = stem.substr(0, kMaxDownloadStem - 9) + "-" + hex;
  }
  return stem;
}

}  // namespace atalaya
