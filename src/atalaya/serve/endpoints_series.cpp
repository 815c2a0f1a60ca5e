// GET /api/v1/series: the `series` command's query, as JSON or as a download
// (CSV, SDMX-CSV 2.0, Excel).
#include "atalaya/reports/series_export.h"
#include "atalaya/serve/api_error.h"
#include "atalaya/serve/endpoint.h"

namespace atalaya::serve {
namespace {

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
  // Country names in csv and xlsx; a csv download begins with a byte-order
  // mark (Excel then reads UTF-8) unless bom=0.
  const NameLanguage lang = *parse_name_language(p.choice("lang", {"en", "es"}, "en"));
  const std::string bom_text = p.choice("bom", {"0", "1", "false", "true"}, "1");
  const bool bom = bom_text == "1" || bom_text == "true";
  // The latest view comes from the cube; an earlier vintage only the store has.
  SeriesResult r = q.vintage ? ctx.store.with([&](SeriesStore& s) { return run_series_query(s, q); })
                             : ctx.data->cube.query(q);
  if (r.rows.size() > ctx.limits.max_series_rows)
    throw ApiError(422, "", "the answer has " + std::to_string(r.rows.size()) + " rows, more than the limit of " +
                                std::to_string(ctx.limits.max_series_rows) +
                                ": narrow the selection (source, citizenship, from, to), group by fewer "
                                "dimensions or roll up with freq");
  if (format == "json") return json_answer(series_json(r));
  ApiAnswer a;
  // One name for every format: atalaya_pa-snm-darien_HTI_2021-01_2021-12_M
  const std::string stem = download_stem(q, r);
  if (format == "csv") {
    a.body = series_csv(r, CsvOptions{bom, lang});
    a.content_type = "text/csv; charset=utf-8";
    a.disposition = "attachment; filename=\"" + stem + ".csv\"";
  } else if (format == "sdmx-csv") {
    a.body = series_sdmx_csv(r);
    a.content_type = "text/csv; charset=utf-8";
    a.disposition = "attachment; filename=\"" + stem + ".sdmx.csv\"";
  } else {
    ExportAbout about;
    about.title = "Atalaya series " + stem;
    about.query = q;
    about.lang = lang;
    const Snapshot& data = *ctx.data;
    about.sources = export_sources(r.sources, data.sources, [&](const std::string& s) {
      auto it = data.vintages.find(s);
      return it == data.vintages.end() ? std::vector<VintageInfo>{} : it->second;
    }, q.vintage);
    a.body = series_xlsx(r, about);
    a.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    a.disposition = "attachment; filename=\"" + stem + ".xlsx\"";
  }
  return a;
}

}  // namespace

std::vector<Endpoint> series_endpoints() {
  std::vector<std::string> params = RequestParams::selection_names();
  params.insert(params.end(), {"freq", "vintage", "sum", "total", "sort", "top", "format", "lang", "bom"});
  return {{"GET", "/api/v1/series", params, true, series, false, true}};
}

}  // namespace atalaya::serve
