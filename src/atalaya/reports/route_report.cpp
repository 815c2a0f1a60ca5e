#include "atalaya/core/error.h"
#include "atalaya/reports/route_report.h"

#include <cmath>
#include <stdexcept>

#include "atalaya/core/country.h"

namespace atalaya {
namespace {


std::string harmonised_citizenship(const std::string& given) {
  const std::string code = citizenship_code(given);
  if (!code.empty()) return code;
  throw Error(ErrorCode::InvalidArgument, "citizenship", unknown_country_message("citizenship", given));
}

void check_month(const std::optional<Period>& p, const char* parameter) {
  if (p && p->frequency() != Frequency::Month)
    throw Error(ErrorCode::InvalidArgument, std::string(parameter), std::string(parameter) + ": '" + p->to_string() +
                                "' is not a month (expected 2021-08)");
}

// Every month from the first to the last any series covers (or from/to when
// given), with each checkpoint's value where its series has one.
void side_by_side(RouteView& v, std::optional<Period> from, std::optional<Period> to) {
  int first = 1 << 30, last = -(1 << 30);
  for (auto& s : v.series)
    if (!s.series.values.empty()) {
      first = std::min(first, month_number(s.series.start));
      last = std::max(last, month_number(s.series.end()));
    }
  if (from) first = month_number(*from);
  if (to) last = month_number(*to);
  if (first > last) {
    v.cells.assign(v.series.size(), {});
    return;
  }
  const Period start = Period::month(first / 12, first % 12 + 1);
  for (int m = first; m <= last; ++m) v.months.push_back(start.plus_months(m - first));
  for (auto& s : v.series) {
    std::vector<std::optional<double>> column;
    for (auto& month : v.months) {
      const int i = s.series.index_of(month);
      // Outside the series' span, or a month no release covers: no data.
      column.push_back(i < 0 || is_missing(s.series.values[i]) ? std::nullopt
                                                               : std::optional<double>(s.series.values[i]));
    }
    v.cells.push_back(std::move(column));
  }
}

// [{"months", "probability"}] for each month with any probability.
nlohmann::json distribution_json(const MonthDistribution& d) {
  nlohmann::json out = nlohmann::json::array();
  for (size_t k = 0; k < d.p.size(); ++k)
    if (d.p[k] > 0)  // to 6 decimals: shares of 500 resamples and their products need no more
      out.push_back({{"months", d.first + static_cast<int>(k)}, {"probability", std::round(d.p[k] * 1e6) / 1e6}});
  return out;
}

}  // namespace

std::optional<Period> parse_route_month(const std::string& text, const std::string& parameter) {
  if (text.empty()) return std::nullopt;
  auto p = Period::parse(text);
  if (!p || p->frequency() != Frequency::Month)
    throw Error(ErrorCode::InvalidArgument, parameter, parameter + ": '" + text + "' is not a month (expected 2021-08)");
  return p;
}

std::optional<std::pair<Period, Period>> parse_route_window(const std::string& text) {
  if (text.empty()) return std::nullopt;
  const size_t dots = text.find("..");
  if (dots == std::string::npos)
    throw Error(ErrorCode::InvalidArgument, "window", "window: '" + text + "' is not FROM..TO (e.g. 2021-06..2021-10)");
  auto a = parse_route_month(text.substr(0, dots), "window");
  auto b = parse_route_month(text.substr(dots + 2), "window");
  if (!a || !b || month_number(*b) < month_number(*a))
    throw Error(ErrorCode::InvalidArgument, "window", "window: '" + text + "' is not FROM..TO with FROM <= TO");
  return std::make_pair(*a, *b);
}

RouteView build_route_view(const Cube& cube, const Route& route, const RouteRequest& r) {
  RouteView v;
  v.citizenship = harmonised_citizenship(r.citizenship);
  check_month(r.from, "from");
  check_month(r.to, "to");
  check_month(r.through, "through");
  if (r.from && r.to && month_number(*r.to) < month_number(*r.from))
    throw Error(ErrorCode::InvalidArgument, "to", "to: " + r.to->to_string() + " is before from " + r.from->to_string());
  std::optional<std::pair<Period, Period>> window = r.window;
  if (window) {
    check_month(window->first, "window");
    check_month(window->second, "window");
    if (month_number(window->second) < month_number(window->first))
      throw Error(ErrorCode::InvalidArgument, "window", "window: " + window->first.to_string() + ".." + window->second.to_string() +
                                  " is not FROM..TO with FROM <= TO");
  }
  const std::string& code = v.citizenship;
  v.series = route_series(cube, route, code, r.from, r.to);
  side_by_side(v, r.from, r.to);
  v.lags = estimate_route_lags(cube, route, code, r.through);
  v.through = r.through;

  // The event window: the surge at the first checkpoint with data, judged
  // against its own history (so the series is read unclipped).
  v.window_rule = Message("route.window.asked");
  if (!window) {
    const auto full = route_series(cube, route, code);
    for (auto& s : full) {
      if (!s.has_data()) continue;
      window = surge_window(s.series, r.from, r.to);
      const RouteCheckpoint& at = route.checkpoints[&s - full.data()];
      v.window_rule = Message("route.window.surge").local("checkpoint", at.name, at.name_es);
      break;
    }
    if (!window && !v.months.empty()) {
      window = std::make_pair(v.months.front(), v.months.back());
      v.window_rule = Message("route.window.no_surge");
    }
  }
  if (window) v.roles = route_roles(cube, route, code, window->first, window->second);
  return v;
}

nlohmann::json to_json(const Route& route, const RouteView& v, Language lang) {
  nlohmann::json j;
  j["route"] = {{"id", route.id}, {"name", route.name}, {"name_es", route.name_es}, {"file", route.file}};
  j["citizenship"] = v.citizenship;
  j["checkpoints"] = nlohmann::json::array();
  for (size_t i = 0; i < route.checkpoints.size(); ++i) {
    auto& c = route.checkpoints[i];
    nlohmann::json e{{"id", c.id}, {"name", c.name}, {"name_es", c.name_es}, {"reporter", c.reporter}};
    e["source"] = v.series[i].has_data() ? nlohmann::json(v.series[i].source) : nlohmann::json(nullptr);
    if (v.series[i].has_data()) e["unit"] = std::string(unit_name(v.series[i].series.unit));
    j["checkpoints"].push_back(std::move(e));
  }
  j["months"] = nlohmann::json::array();
  for (size_t m = 0; m < v.months.size(); ++m) {
    nlohmann::json row{{"month", v.months[m].to_string()}};
    for (size_t c = 0; c < v.series.size(); ++c)
      row[route.checkpoints[c].id] = v.cells[c][m] ? nlohmann::json(static_cast<int64_t>(std::llround(*v.cells[c][m])))
                                                   : nlohmann::json(nullptr);
    j["months"].push_back(std::move(row));
  }
  j["lags"] = nlohmann::json::array();
  for (auto& h : v.lags.hops)
    j["lags"].push_back({{"from", route.checkpoints[h.from].id},
                         {"to", route.checkpoints[h.to].id},
                         {"months", h.lag.months},
                         {"low", h.lag.low},
                         {"high", h.lag.high},
                         {"correlation", h.lag.correlation},
                         {"month_pairs", h.lag.samples},
                         {"estimated", h.lag.estimated},
                         {"basis", h.basis},
                         {"prior", h.prior},
                         {"coverage", kDefaultLagCoverage},
                         {"distribution", distribution_json(h.lag.distribution)},
                         {"note", h.lag.note}});
  j["cumulative"] = nlohmann::json::array();
  for (auto& c : v.lags.cumulative)
    j["cumulative"].push_back({{"checkpoint", route.checkpoints[c.checkpoint].id},
                               {"months", c.months},
                               {"low", c.low},
                               {"high", c.high},
                               {"coverage", c.coverage},
                               {"mass", c.mass},
                               {"distribution", distribution_json(c.distribution)},
                               {"from_data", c.from_data}});
  if (v.through) j["through"] = v.through->to_string();
  std::vector<std::string> notes = v.lags.notes;
  if (v.roles) {
    j["window"] = {{"from", v.roles->from.to_string()}, {"to", v.roles->to.to_string()}, {"rule", render(v.window_rule, lang)}};
    j["roles"] = nlohmann::json::array();
    for (auto& e : v.roles->countries) {
      nlohmann::json r{{"country", e.country}, {"role", std::string(country_role_name(e.role))}, {"note", render(e.note, lang)}};
      if (!e.checkpoint.empty()) {
        r["checkpoint"] = e.checkpoint;
        r["flow"] = e.flow;
      }
      if (e.asylum_known) {
        r["asylum_applications"] = e.asylum;
        r["flow_in_years"] = e.flow_in_years;
      }
      j["roles"].push_back(std::move(r));
    }
    for (const Message& n : v.roles->notes) notes.push_back(render(n, lang));
  }
  j["notes"] = notes;
  return j;
}

nlohmann::json route_report(const Cube& cube, const Route& route, const RouteRequest& request, Language lang) {
  return to_json(route, build_route_view(cube, route, request), lang);
}

nlohmann::json route_summary_json(const Route& route) {
  nlohmann::json j{{"id", route.id}, {"name", route.name}, {"name_es", route.name_es}, {"description", route.description}};
  j["checkpoints"] = nlohmann::json::array();
  for (auto& c : route.checkpoints)
    j["checkpoints"].push_back({{"id", c.id},
                                {"name", c.name},
                                {"name_es", c.name_es},
                                {"reporter", c.reporter},
                                {"sources", c.sources},
                                {"expected_lag_months", c.expected_lag_months},
                                {"lag_spread_months", c.lag_spread_months}});
  j["asylum_source"] = route.asylum_source.empty() ? nlohmann::json(nullptr) : nlohmann::json(route.asylum_source);
  return j;
}

}  // namespace atalaya
