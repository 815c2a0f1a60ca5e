// Analysis endpoints: forecast, backtest, routes, overview. Each checks the
// cost of what it is asked (groups, horizon, origins) before computing.
#include "atalaya/reports/forecast_report.h"
#include "atalaya/reports/overview.h"
#include "atalaya/reports/route_report.h"
#include "atalaya/serve/api_error.h"
#include "atalaya/serve/endpoint.h"

namespace atalaya::serve {
namespace {

ForecastRequest forecast_request(const ApiContext& ctx, const RequestParams& p, bool backtest) {
  ForecastRequest r;
  r.query = p.series_query();
  r.horizon = p.integer("horizon", 6, 1, ctx.limits.max_horizon);
  r.levels = p.numbers("level", {80, 95});
  r.leading = p.list("leading");
  r.max_lag = p.integer("max_lag", 4, 0, 24);
  r.lag_prior = p.integer("lag_prior", 1, 0, 24);
  const int max_top = backtest ? ctx.limits.max_backtest_groups : ctx.limits.max_forecast_groups;
  r.top = p.integer("top", backtest ? 5 : 10, 1, max_top);
  if (backtest) {
    r.origins = p.integer("origins", 12, 1, ctx.limits.max_origins);
    r.models = p.list("models");
  } else {
    r.model_given = p.has("model");
    r.model = p.has("model") ? p.text("model") : "auto";
    r.history = p.integer("history", 24, 0, 600);
  }
  return r;
}

ApiAnswer forecast(const ApiContext& ctx, const ApiCall& call) {
  ForecastRequest r = forecast_request(ctx, call.params, false);
  r.cancelled = call.cancelled;
  return json_answer(forecast_report(ctx.data->cube, r));
}

ApiAnswer backtest(const ApiContext& ctx, const ApiCall& call) {
  ForecastRequest r = forecast_request(ctx, call.params, true);
  r.cancelled = call.cancelled;
  return json_answer(backtest_report(ctx.data->cube, r));
}

const Route& find_route(const ApiContext& ctx, const std::string& id, const std::string& parameter) {
  for (auto& r : ctx.routes)
    if (r.id == id) return r;
  std::string known;
  for (auto& r : ctx.routes) known += (known.empty() ? "" : ", ") + r.id;
  throw ApiError(404, parameter,
                 parameter + ": no route '" + id + "'" + (known.empty() ? " (none loaded)" : " (routes: " + known + ")"));
}

ApiAnswer routes(const ApiContext& ctx, const ApiCall&) {
  nlohmann::json list = nlohmann::json::array();
  for (auto& r : ctx.routes) list.push_back(route_summary_json(r));
  return json_answer({{"routes", list}});
}

ApiAnswer route(const ApiContext& ctx, const ApiCall& call) {
  const Route& r = find_route(ctx, call.path_args.at(0), "id");
  const RequestParams& p = call.params;
  RouteRequest req;
  req.citizenship = p.text("citizenship");
  if (req.citizenship.empty()) throw ApiError(400, "citizenship", "citizenship: required (e.g. citizenship=HTI)");
  req.from = p.period("from", true);
  req.to = p.period("to", true);
  req.through = p.period("through", true);
  req.window = parse_route_window(p.text("window"));
  return json_answer(route_report(ctx.data->cube, r, req, call.lang));
}

ApiAnswer overview(const ApiContext& ctx, const ApiCall& call) {
  if (ctx.routes.empty()) throw ApiError(404, "route", "route: no routes are loaded (serve --routes DIR)");
  const Route& r = call.params.has("route") ? find_route(ctx, call.params.text("route"), "route") : ctx.routes.front();
  AlertFilter active;
  active.active_only = true;
  const std::vector<Alert> alerts = ctx.store.with([&](AlertStore& s) { return s.alerts(active); });
  return json_answer(overview_report(ctx.data->cube, r, alerts, {}, call.lang));
}

}  // namespace

std::vector<Endpoint> analysis_endpoints() {
  std::vector<std::string> f = RequestParams::selection_names();
  std::vector<std::string> b = f;
  f.insert(f.end(), {"horizon", "level", "model", "leading", "max_lag", "lag_prior", "top", "history"});
  b.insert(b.end(), {"horizon", "level", "models", "leading", "max_lag", "lag_prior", "top", "origins"});
  return {
      {"GET", "/api/v1/forecast", f, true, forecast, false, true},
      {"GET", "/api/v1/backtest", b, true, backtest, false, true},
      {"GET", "/api/v1/routes", {}, true, routes},
      {"GET", "/api/v1/routes/{id}", {"citizenship", "from", "to", "window", "through", "lang"}, true, route, true},
      {"GET", "/api/v1/overview", {"route", "lang"}, true, overview, true},
  };
}

}  // namespace atalaya::serve
