// A series answer (run_series_query, Cube::query) in every form it is handed
// out: JSON, CSV, SDMX-CSV 2.0 and an Excel workbook. The `series` command
// and the HTTP API both write through these, so a download is the same
// bytes from either.
//
// The CSV and Excel exports are made for people who open them in a
// spreadsheet: country names beside codes, a byte-order mark when asked (so
// Excel reads UTF-8), and no cell that a spreadsheet would run as a formula.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atalaya/analysis/series_query.h"
#include "atalaya/store/store.h"

namespace atalaya {

// The language of the country names written beside codes.
enum class NameLanguage : uint8_t { English, Spanish };
std::optional<NameLanguage> parse_name_language(std::string_view text);  // en|es

// What the CSV export writes besides the rows.
struct CsvOptions {
  // Begin with the UTF-8 byte-order mark (EF BB BF): Excel then reads the
  // file as UTF-8 (Darién, Côte d'Ivoire) instead of the system code page.
  // The downloads have it; the CLI writes it only with --bom, since its
  // output is piped to other programs.
  bool bom = false;
  NameLanguage lang = NameLanguage::English;
};

inline constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";

// The name of a country or declared group code as stored (alpha-3 "HTI",
// "OOO", "OTH"); empty for a code that is neither (an organisation
// reporter such as "UNHCR", or a total's empty value).
std::string country_display_name(std::string_view code, NameLanguage lang);

// A text cell as a spreadsheet can open it safely (OWASP "CSV injection"):
// one that begins with '=', '+', '-', '@', a tab or a carriage return is
// prefixed with a single quote, so "=HYPERLINK(...)" is shown, not run.
// Anything else is returned unchanged.
std::string neutralise_cell(std::string_view text);

// {"by": [...], "notes": [...], "selection": {dimension: value}, "unit": "persons",
//  "rows": [{<by dimension>: value, ..., "period", "value", "status"}]}
nlohmann::json series_json(const SeriesResult& r);

// Header "<by dimensions>,period,value,unit,status", where each country
// dimension (reporter, citizenship, counterpart) is followed by its name
// column ("citizenship,citizenship_name"); then one line per row, RFC 4180
// quoting, LF line ends. A missing or suppressed value is an empty field
// (the status says which). Text cells are neutralised (neutralise_cell).
std::string series_csv(const SeriesResult& r, const CsvOptions& options = {});

// SDMX-CSV 2.0 (docs/sdmx-csv.md), every dimension filled: a grouped
// dimension takes the row's value, one pinned by the selection its value,
// any other "_T" (the total over it). For programs: no byte-order mark, no
// names, no neutralised cells (it reads back with `atalaya ingest`).
std::string series_sdmx_csv(const SeriesResult& r);

// What the workbook's "about" sheet says of one source of the answer.
struct ExportSource {
  std::string source;     // "pa-snm-darien"
  std::string name;       // as the store names it
  std::string publisher;  // from its declaration ("" if not declared)
  std::string licence;
  std::string schedule;   // declared release frequency (M, Q, A; "" if not declared)
  int vintages = 0;       // how many the store holds
  std::optional<VintageInfo> read;  // the vintage read: the newest, or the Nth asked for; file: its base name
};

// The facts of `sources` (SeriesResult::sources) for the about sheet, from
// what the store says of them: `summaries` (SeriesStore::sources or the server's
// snapshot) and each source's vintages (SeriesStore::vintages). `vintage`: the
// vintage the query asked for (a source with fewer shows its latest).
std::vector<ExportSource> export_sources(const std::vector<std::string>& sources,
                                         const std::vector<SourceSummary>& summaries,
                                         const std::function<std::vector<VintageInfo>(const std::string&)>& vintages,
                                         std::optional<int> vintage);

// Everything the workbook says besides the rows.
struct ExportAbout {
  std::string title;
  SeriesQuery query;                  // as asked: filters, from, to, by, freq, vintage
  std::vector<ExportSource> sources;  // the sources the answer reads
  NameLanguage lang = NameLanguage::English;
  std::string generated;  // UTC ISO 8601; empty: now
};

// An Excel workbook (.xlsx bytes). Sheet "data": a bold, frozen header row
// (as the CSV's: the by dimensions with country names, period, value, unit,
// status) and one row per result row, values as numbers, every other cell a
// string (never a formula, whatever it begins with). Sheet "about": title,
// when generated (UTC), the selection as asked and as harmonised (with
// country names), from, to, frequency, grouping, unit, rows, notes, and a
// table of the sources: name, publisher, licence, frequency, the vintage
// read (number, file, SHA-256 digest, ingested at).
// Throws std::runtime_error when the rows do not fit a worksheet (1,048,575
// rows) or libxlsxwriter fails (its message included).
std::string series_xlsx(const SeriesResult& r, const ExportAbout& about);
std::string series_xlsx(const SeriesResult& r, const std::string& title);  // no source facts

// A download's file name without extension, saying the selection:
// "atalaya_pa-snm-darien_HTI_2021-01_2021-12_M" (the sources, the other
// dimensions' selected values in dimension order, from and to, the
// frequency; "v2" when a vintage is asked). Country values are harmonised
// codes; several values of one dimension are joined by '.'. Only
// [A-Za-z0-9._-]; at most kMaxDownloadStem characters (a longer one is cut
// and ends with a hash of the whole, so two selections never share a name).
inline constexpr size_t kMaxDownloadStem = 120;
std::string download_stem(const SeriesQuery& q, const SeriesResult& r);

}  // namespace atalaya
