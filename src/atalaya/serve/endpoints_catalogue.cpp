// Catalogue endpoints: health, sources, countries, dimensions, the OpenAPI
// document.
#include "atalaya/reports/overview.h"
#include "atalaya/core/country.h"
#include "atalaya/serve/api_error.h"
#include "atalaya/serve/endpoint.h"
#include "atalaya/serve/request_access.h"
#include "atalaya/serve/openapi.h"
#include "atalaya/serve/response_cache.h"

namespace atalaya::serve {
namespace {

nlohmann::json country_json(const Country& c) {
  return {{"code", c.alpha3}, {"alpha2", c.alpha2}, {"m49", c.m49}, {"name_en", c.name_en},
          {"name_es", c.name_es}, {"region", c.region}};
}

nlohmann::json group_json(const CitizenshipGroup& g) {
  return {{"code", g.code}, {"alpha2", nullptr}, {"m49", nullptr}, {"name_en", g.name_en},
          {"name_es", g.name_es}, {"region", nullptr}, {"note", g.note}};
}

ApiAnswer health(const ApiContext& ctx, const ApiCall&) {
  return json_answer({{"status", "ok"},
                      {"series", ctx.data->cube.series().size()},
                      {"sources", ctx.data->sources.size()},
                      {"loaded_at", ctx.data->loaded_at},
                      {"cache", {{"entries", ctx.cache.entries()}, {"bytes", ctx.cache.bytes()}}},
                      // The dashboard asks for a token instead of a name when editors are set, and signs in with accounts.
                      {"changes", ctx.gate.changes_by()}});
}

ApiAnswer sources(const ApiContext& ctx, const ApiCall&) {
  nlohmann::json list = nlohmann::json::array();
  for (auto& s : ctx.data->sources)
    list.push_back({{"source", s.source},           {"name", s.name},
                    {"vintages", s.vintages},       {"series", s.series},
                    {"observations", s.observations}, {"first_period", s.first_period},
                    {"last_period", s.last_period}, {"last_ingest", s.last_ingest},
                    {"declaration", nlohmann::json::parse(s.declaration.to_json())}});
  return json_answer({{"sources", list}});
}

ApiAnswer countries(const ApiContext&, const ApiCall& call) {
  nlohmann::json list = nlohmann::json::array();
  const std::string q = call.params.text("q");
  if (call.params.has("q")) {
    if (const Country* c = find_country(q)) {
      list.push_back(country_json(*c));
    } else if (const CitizenshipGroup* g = find_group(q)) {
      list.push_back(group_json(*g));
    } else {
      throw ApiError(404, "q", unknown_country_message("q", q));
    }
  } else {
    for (auto& c : all_countries()) list.push_back(country_json(c));
    for (auto& g : citizenship_groups()) list.push_back(group_json(g));
  }
  return json_answer({{"countries", list}});
}

ApiAnswer dimensions(const ApiContext& ctx, const ApiCall& call) {
  const RequestParams& p = call.params;
  std::optional<std::string> dimension;
  if (p.has("dimension")) dimension = p.text("dimension");
  return json_answer(dimension_values(ctx.data->cube, p.series_query(), dimension));
}

ApiAnswer openapi(const ApiContext&, const ApiCall&) {
  ApiAnswer a;
  a.body = std::string(openapi_document());
  return a;
}

// The selection without `by`, and the dimension to count.
std::vector<std::string> dimension_params() {
  std::vector<std::string> params;
  for (auto& n : RequestParams::selection_names())
    if (n != "by") params.push_back(n);
  params.push_back("dimension");
  return params;
}

}  // namespace

std::vector<Endpoint> catalogue_endpoints() {
  return {
      {"GET", "/api/v1/health", {}, false, health},
      {"GET", "/api/v1/sources", {}, true, sources},
      {"GET", "/api/v1/countries", {"q"}, true, countries},
      {"GET", "/api/v1/dimensions", dimension_params(), true, dimensions},
      {"GET", "/api/v1/openapi.json", {}, true, openapi},
  };
}

}  // namespace atalaya::serve
