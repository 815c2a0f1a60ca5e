// GET /api/v1/series: the `series` command's query, as JSON or as a download
// (CSV, SDMX-CSV 2.0, Excel).
#include "atalaya/analysis/series_export.h"
#include "atalaya/serve/api_error.h"
#include "atalaya/serve/endpoint.h"

namespace atalaya::serve {
namespace {

// "pa-snm-darien_HTI_M": a download's file name from what the query pins.
std::string file_stem(const SeriesQuery& q) {
  std::string stem = "atalaya-series";
  for (auto dim : {"source", "citizenship", "reporter", "event"}) {
    auto it = q.filters.find(dim);
    if (it == q.filters.end()) continue;
    for (auto& v : it->second) {
      stem += "_";
      for (char c : v) stem += (std::isalnum(static_cast<unsigned char>(c)) || c == '-') ? c : '-';
    }
  }
  return stem.substr(0, 120);
}

ApiAnswer series(const ApiContext& ctx, const ApiCall& call) {
  const RequestParams& p = call.params;
  SeriesQuery q = p.series_query();
  if (p.has("freq")) {
    q.frequency = parse_frequency(p.text("freq"));
    if (!q.frequency) throw ApiError(400, "freq", "freq: '" + p.text("freq") + "' is not M, Q, A or FY");
  }
  q.vintage = p.optional_integer("vintage", 1, 1'000'000);
  auto flag = [&](const char* name) {
    const std::string v = p.choice(name, {"0", "1", "false", "true"}, "0");
    return v == "1" || v == "true";
  };
  q.sum_sources = flag("sum");
  q.total = flag("total");
  q.sort_by_size = p.choice("sort", {"group", "size"}, "group") == "size";
  q.top = static_cast<size_t>(p.integer("top", 0, 0, 100'000));
  const std::string format = p.choice("format", {"json", "csv", "sdmx-csv", "xlsx"}, "json");
  // The latest view comes from the cube; an earlier vintage only the store has.
  SeriesResult r = q.vintage ? ctx.store.with([&](Store& s) { return run_series_query(s, q); })
                             : ctx.data->cube.query(q);
  if (r.rows.size() > ctx.limits.max_series_rows)
    throw ApiError(422, "", "the answer has " + std::to_string(r.rows.size()) + " rows, more than the limit of " +
                                std::to_string(ctx.limits.max_series_rows) +
                                ": narrow the selection (source, citizenship, from, to), group by fewer "
                                "dimensions or roll up with freq");
  if (format == "json") return json_answer(series_json(r));
  ApiAnswer a;
  const std::string stem = file_stem(q);
  if (format == "csv") {
    a.body = series_csv(r);
    a.content_type = "text/csv; charset=utf-8";
    a.disposition = "attachment; filename=\"" + stem + ".csv\"";
  } else if (format == "sdmx-csv") {
    a.body = series_sdmx_csv(r);
    a.content_type = "text/csv; charset=utf-8";
    a.disposition = "attachment; filename=\"" + stem + ".sdmx.csv\"";
  } else {
    a.body = series_xlsx(r, stem);
    a.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    a.disposition = "attachment; filename=\"" + stem + ".xlsx\"";
  }
  return a;
}

}  // namespace

std::vector<Endpoint> series_endpoints() {
  std::vector<std::string> params = RequestParams::selection_names();
  params.insert(params.end(), {"freq", "vintage", "sum", "total", "sort", "top", "format"});
  return {{"GET", "/api/v1/series", params, true, series}};
}

}  // namespace atalaya::serve
