// A series answer (run_series_query, Cube::query) in every form it is handed
// out: JSON, CSV, SDMX-CSV 2.0 and an Excel workbook. The `series` command
// and the HTTP API both write through these, so a download is the same
// bytes from either.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "atalaya/analysis/series_query.h"

namespace atalaya {

// {"by": [...], "notes": [...], "selection": {dimension: value}, "unit": "persons",
//  "rows": [{<by dimension>: value, ..., "period", "value", "status"}]}
nlohmann::json series_json(const SeriesResult& r);

// Header "<by dimensions>,period,value", then one line per row; group values
// quoted as RFC 4180 needs. No status or unit columns.
std::string series_csv(const SeriesResult& r);

// SDMX-CSV 2.0 (docs/sdmx-csv.md), every dimension filled: a grouped
// dimension takes the row's value, one pinned by the selection its value,
// any other "_T" (the total over it).
std::string series_sdmx_csv(const SeriesResult& r);

// An Excel workbook (.xlsx bytes). Sheet "data": a bold, frozen header row
// (the by dimensions, period, value, status, unit) and one row per result
// row, values as numbers. Sheet "about": `title`, the selection, grouping,
// unit, row count, notes and the time generated (UTC).
// Throws std::runtime_error when the rows do not fit a worksheet (1,048,575
// rows) or libxlsxwriter fails (its message included).
std::string series_xlsx(const SeriesResult& r, const std::string& title);

}  // namespace atalaya
