#include "atalaya/core/error.h"
#include "atalaya/reports/forecast_report.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "atalaya/analysis/ets.h"
#include "atalaya/analysis/lag.h"
#include "atalaya/analysis/leading_indicator.h"
#include "atalaya/core/text.h"

namespace atalaya {
namespace {

constexpr int kPeriod = 12;  // monthly data: a yearly season

std::string fixed(double x, int decimals) {
  if (std::isnan(x)) return "-";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

std::string months_text(int n) { return std::to_string(n) + (n == 1 ? " month" : " months"); }


// "source=us-cbp-swb-nat citizenship=HTI": the filters, then this group's values.
std::string group_title(const SeriesQuery& q, const MonthlySeries& s) {
  std::string out;
  for (auto d : kDimensions) {
    const std::string dim(d);
    auto it = q.filters.find(dim);
    if (it == q.filters.end() || std::find(q.by.begin(), q.by.end(), dim) != q.by.end()) continue;
    out += (out.empty() ? "" : " ") + dim + "=";
    for (size_t i = 0; i < it->second.size(); ++i) out += (i ? "," : "") + it->second[i];
  }
  for (size_t i = 0; i < q.by.size(); ++i) out += (out.empty() ? "" : " ") + q.by[i] + "=" + s.group[i];
  return out.empty() ? "all series" : out;
}

// The monthly groups of the selection, the largest `top` of them (by their
// last 12 months) when there are more; a note says so.
std::vector<MonthlySeries> select_groups(const Cube& cube, const SeriesQuery& q, int top,
                                         std::vector<std::string>& notes) {
  std::vector<MonthlySeries> groups = cube.monthly(q);
  if (groups.empty()) {
    MonthlySeries any;
    any.group.assign(q.by.size(), "*");
    throw std::invalid_argument("no monthly data for the selection (" + group_title(q, any) + ")");
  }
  // Models need consecutive months: a missing month is never read as 0, so
  // a series with a gap is fitted on the months after its last gap.
  for (MonthlySeries& g : groups) {
    if (!g.has_gaps()) continue;
    MonthlySeries tail = gap_free_tail(g);
    notes.push_back(group_title(q, g) + ": " + (tail.values.empty()
                                                    ? std::string("its latest month is missing")
                                                    : "fitted from " + tail.start.to_string() +
                                                          " on; months before that have gaps (no release covers them)"));
    g = std::move(tail);
  }
  groups.erase(std::remove_if(groups.begin(), groups.end(), [](const MonthlySeries& g) { return g.values.empty(); }),
               groups.end());
  if (groups.empty()) throw std::invalid_argument("no monthly data for the selection: its latest months are missing");
  if (top > 0 && static_cast<int>(groups.size()) > top) {
    auto recent = [](const MonthlySeries& s) {
      const size_t n = s.values.size(), k = std::min<size_t>(n, 12);
      return std::accumulate(s.values.end() - k, s.values.end(), 0.0);
    };
    std::stable_sort(groups.begin(), groups.end(),
                     [&](const MonthlySeries& a, const MonthlySeries& b) { return recent(a) > recent(b); });
    notes.push_back(thousands(static_cast<int64_t>(groups.size())) + " groups; keeping the " + std::to_string(top) +
                    " largest by their last 12 months (top=N to change, top=0 for all)");
    groups.resize(top);
  }
  return groups;
}

void check_common(const ForecastRequest& r) {
  if (r.horizon < 1)
    throw Error(ErrorCode::InvalidArgument, "horizon", "horizon: must be at least 1 month (got " + std::to_string(r.horizon) + ")");
  if (r.top < 0) throw Error(ErrorCode::InvalidArgument, "top", "top: must be 0 (all groups) or more");
  if (r.max_lag < 0) throw Error(ErrorCode::InvalidArgument, "max_lag", "max_lag: must be 0 or more");
  if (r.lag_prior < 0) throw Error(ErrorCode::InvalidArgument, "lag_prior", "lag_prior: must be 0 or more");
  try {
    normalise_levels(r.levels);
  } catch (const std::invalid_argument& e) {
    throw Error(ErrorCode::InvalidArgument, "level", std::string("level: ") + e.what());
  }
}

// ---- leading indicators ---------------------------------------------------------

struct UpstreamSpec {
  std::string source;
  std::optional<int> lag;
};

std::vector<UpstreamSpec> parse_leading(const std::vector<std::string>& items, const Cube& cube,
                                        const SeriesQuery& q) {
  std::vector<UpstreamSpec> out;
  const std::vector<std::string> known = cube.sources();
  for (const std::string& item : items) {
    UpstreamSpec u;
    u.source = item;
    if (auto colon = item.rfind(':'); colon != std::string::npos) {
      const std::string lag = item.substr(colon + 1);
      if (lag.empty() || lag.size() > 3 ||
          !std::all_of(lag.begin(), lag.end(), [](unsigned char c) { return std::isdigit(c); }))
        throw Error(ErrorCode::InvalidArgument, "leading", "leading: '" + item +
                                    "': the lag after ':' must be a whole number of months (e.g. pa-snm-darien:2)");
      u.source = item.substr(0, colon);
      u.lag = std::stoi(lag);
    }
    if (std::find(known.begin(), known.end(), u.source) == known.end()) {
      std::string list;
      for (auto& s : known) list += (list.empty() ? "" : ", ") + s;
      throw Error(ErrorCode::InvalidArgument, "leading", "leading: no source '" + u.source + "' in the store (it holds: " + list + ")");
    }
    out.push_back(std::move(u));
  }
  if (!out.empty())
    for (auto& by : q.by)
      if (by != "citizenship")
        throw Error(ErrorCode::InvalidArgument, "leading", "leading: upstream series are paired by citizenship, so by=citizenship is "
                                    "the only grouping allowed (got " + by + ")");
  return out;
}

// The upstream source's monthly series for the citizenship of `group`.
std::optional<MonthlySeries> upstream_series(const Cube& cube, const SeriesQuery& q, const MonthlySeries& group,
                                             const std::string& source) {
  SeriesQuery up;
  up.filters["source"] = {source};
  if (!q.by.empty()) {
    up.filters["citizenship"] = {group.group[0]};  // by is citizenship alone (parse_leading)
  } else if (auto it = q.filters.find("citizenship"); it != q.filters.end()) {
    up.filters["citizenship"] = it->second;
  }
  up.from = q.from;
  up.to = q.to;
  std::vector<MonthlySeries> r = cube.monthly(up);
  if (r.empty()) return std::nullopt;
  return std::move(r.front());
}

// Upstream series placed on the downstream's calendar, each at its lag: the
// given one, or estimated from the months before `cutoff` (a downstream
// index; a back-test passes its first origin, so the lag is chosen without
// the months it scores). Notes say what was done.
std::vector<LeadingSeries> leading_series(const Cube& cube, const SeriesQuery& q, const MonthlySeries& down,
                                          const std::vector<UpstreamSpec>& specs, const ForecastRequest& r,
                                          int cutoff, std::vector<std::string>& notes) {
  std::vector<LeadingSeries> out;
  const int ds = month_number(down.start);
  for (const UpstreamSpec& spec : specs) {
    std::optional<MonthlySeries> up = upstream_series(cube, q, down, spec.source);
    if (!up || up->values.empty()) {
      notes.push_back(spec.source + ": no monthly data for this citizenship; left out");
      continue;
    }
    if (up->has_gaps()) *up = gap_free_tail(*up);
    if (up->values.empty()) {
      notes.push_back(spec.source + ": its latest month is missing; left out");
      continue;
    }
    LeadingSeries s;
    s.name = spec.source;
    s.values = up->values;
    s.start = month_number(up->start) - ds;
    if (spec.lag) {
      s.lag = *spec.lag;
      notes.push_back("lag " + spec.source + " -> downstream: " + months_text(s.lag) + " (given)");
    } else {
      // The months both series cover, before the cutoff.
      const int first = std::max(0, s.start);
      const int last =
          std::min({cutoff, static_cast<int>(down.values.size()), s.start + static_cast<int>(s.values.size())}) - 1;
      std::vector<double> u, d;
      for (int t = first; t <= last; ++t) {
        u.push_back(s.values[t - s.start]);
        d.push_back(down.values[t]);
      }
      const LagEstimate e = estimate_lag(u, d, r.max_lag, r.lag_prior);
      s.lag = e.months;
      notes.push_back("lag " + spec.source + " -> downstream: " + months_text(s.lag) + " " +
                      (e.estimated ? "estimated (r = " + fixed(e.correlation, 2) + ", range " + fixed(e.low, 0) + "-" +
                                         fixed(e.high, 0) + ", " + std::to_string(e.samples) + " month pairs up to " +
                                         down.start.plus_months(last).to_string() + ")"
                                   : "(prior, not estimated: " + e.note + ")"));
    }
    out.push_back(std::move(s));
  }
  return out;
}

// ---- forecast -------------------------------------------------------------------

// The group's forecast: the leading model when upstream series are given,
// else the requested model through forecast_models.h (auto: chosen by
// back-test, with its evidence kept in g.selection).
Forecast forecast_one(const std::vector<double>& y, const ModelSpec& spec, const std::vector<LeadingSeries>* leading,
                      int horizon, const std::vector<double>& levels, GroupForecast& g) {
  if (leading) return forecast_leading(y, *leading, horizon, levels).forecast;
  if (spec.kind == ModelSpec::Kind::Selected) {
    SelectedForecast s = select_forecast(y, kPeriod, horizon, levels);
    for (auto& note : s.notes) g.notes.push_back(note);
    Forecast f = s.forecast;
    g.selection = std::move(s);
    return f;
  }
  if (spec.kind == ModelSpec::Kind::Ets) {
    try {
      return forecast_model(y, spec, kPeriod, horizon, levels).forecast;
    } catch (const std::invalid_argument& e) {
      const EtsFit fit = auto_ets(y, kPeriod);
      Forecast f = forecast_ets(fit, horizon, levels);
      f.note = spec.ets.name() + " cannot be fitted (" + e.what() + "); automatic choice " + fit.name + " instead" +
               (fit.note.empty() ? "" : " (" + fit.note + ")");
      return f;
    }
  }
  return forecast_model(y, spec, kPeriod, horizon, levels).forecast;
}

// Counts are never negative; additive models' intervals can be. Notes the
// model's own remark and any clipping.
void clip_at_zero(Forecast& f, std::vector<std::string>& notes) {
  bool clipped = false;
  auto clip = [&clipped](std::vector<double>& v) {
    for (double& x : v)
      if (x < 0) {
        x = 0;
        clipped = true;
      }
  };
  clip(f.mean);
  for (auto& l : f.lower) clip(l);
  for (auto& u : f.upper) clip(u);
  if (!f.note.empty()) notes.push_back(f.note);
  if (clipped) notes.push_back("values below 0 are shown as 0 (counts cannot be negative)");
}

// ---- backtest summary -------------------------------------------------------------

BacktestSummary summarise(const std::vector<GroupBacktest>& groups, const std::vector<std::string>& labels,
                          bool judge) {
  BacktestSummary s;
  for (size_t k = 0; k < labels.size(); ++k) {
    ModelSummary m;
    m.model = groups.front().result.models[k].model;
    double log_sum = 0;
    for (auto& g : groups) {
      const ModelScore& score = g.result.models[k];
      if (std::isfinite(score.relative_mase) && score.relative_mase > 0) {
        log_sum += std::log(score.relative_mase);
        ++m.scored;
        m.beats_snaive += score.relative_mase < 1;
      }
      for (auto& other : g.result.models)
        if (other.model == "ets" && score.model != "ets" && std::isfinite(score.mase) && std::isfinite(other.mase)) {
          ++m.compared_with_ets;
          m.beats_ets += score.mase < other.mase;
        }
    }
    m.relative_mase = m.scored ? std::exp(log_sum / m.scored) : std::numeric_limits<double>::quiet_NaN();
    s.models.push_back(std::move(m));
  }
  if (judge && std::find(labels.begin(), labels.end(), "log-ar1") != labels.end())
    s.upstream_helps = static_cast<int>(
        std::count_if(groups.begin(), groups.end(), [](const GroupBacktest& g) { return g.upstream_helps; }));
  return s;
}

}  // namespace

std::string level_label(double level) {
  return level == std::floor(level) ? std::to_string(static_cast<int>(level)) : fixed(level, 1);
}

ForecastResult run_forecasts(const Cube& cube, const ForecastRequest& r) {
  check_common(r);
  if (r.history < 0) throw Error(ErrorCode::InvalidArgument, "history", "history: must be 0 or more");
  ModelSpec spec;
  const bool control = r.model == "log-ar1";
  try {
    if (!control) spec = ModelSpec::parse(r.model);
  } catch (const std::invalid_argument& e) {
    throw Error(ErrorCode::InvalidArgument, "model", std::string("model: ") + e.what() + " or log-ar1");
  }
  if (r.model_given && !r.leading.empty())
    throw Error(ErrorCode::InvalidArgument, "model", "model: the leading-indicator model is its own model (it falls back to automatic "
                                "ETS by itself); give model or leading, not both");
  const SeriesQuery& q = r.query;
  const std::vector<UpstreamSpec> upstream = parse_leading(r.leading, cube, q);
  ForecastResult out;
  out.by = q.by;
  out.horizon = r.horizon;
  out.history = r.history;
  out.levels = normalise_levels(r.levels);
  std::vector<MonthlySeries> groups = select_groups(cube, q, r.top, out.notes);
  size_t done = 0;
  for (MonthlySeries& s : groups) {
    stop_if_cancelled(r.cancelled);
    if (r.progress) r.progress(done++, groups.size(), group_title(q, s));
    if (s.values.size() < 2) {
      out.skipped.push_back(group_title(q, s) + ": only " + std::to_string(s.values.size()) +
                            " month of data; a forecast needs at least 2");
      continue;
    }
    GroupForecast g;
    g.title = group_title(q, s);
    std::optional<std::vector<LeadingSeries>> leading;
    if (control) leading.emplace();  // the regression without upstream series
    if (!upstream.empty())
      leading = leading_series(cube, q, s, upstream, r, static_cast<int>(s.values.size()), g.notes);
    g.forecast = forecast_one(s.values, spec, leading ? &*leading : nullptr, r.horizon, out.levels, g);
    clip_at_zero(g.forecast, g.notes);
    g.series = std::move(s);
    out.groups.push_back(std::move(g));
  }
  if (out.groups.empty() && out.skipped.size() == 1) throw std::invalid_argument(out.skipped.front());
  if (out.groups.empty()) throw std::invalid_argument("nothing to forecast: every group is too short");
  return out;
}

nlohmann::json to_json(const ForecastResult& r) {
  nlohmann::json j;
  j["horizon"] = r.horizon;
  j["levels"] = r.levels;
  j["by"] = r.by;
  j["skipped"] = r.skipped;
  j["notes"] = r.notes;
  j["groups"] = nlohmann::json::array();
  for (const GroupForecast& g : r.groups) {
    const MonthlySeries& s = g.series;
    nlohmann::json e;
    e["title"] = g.title;
    for (size_t i = 0; i < r.by.size(); ++i) e["group"][r.by[i]] = s.group[i];
    e["model"] = g.forecast.model;
    e["notes"] = g.notes;
    if (g.selection) {
      const SelectedForecast& sel = *g.selection;
      nlohmann::json c = nlohmann::json::array();
      for (const CandidateScore& k : sel.candidates)
        c.push_back({{"model", k.model},
                     {"fitted", k.fitted},
                     {"mase", k.mase},
                     {"origins", k.origins},
                     {"admissible", k.admissible}});
      e["selection"] = {{"chosen", sel.chosen},
                        {"criterion", sel.criterion},
                        {"origins", sel.origins},
                        {"horizon", sel.horizon},
                        {"intervals", sel.calibrated ? "calibrated" : "model"},
                        {"calibration_errors", sel.calibration_errors},
                        {"candidates", std::move(c)}};
    }
    e["first_month"] = s.start.to_string();
    e["last_month"] = s.end().to_string();
    e["history"] = nlohmann::json::array();
    const size_t n = s.values.size(), from = n - std::min<size_t>(n, r.history);
    for (size_t t = from; t < n; ++t)
      e["history"].push_back({{"month", s.start.plus_months(static_cast<int>(t)).to_string()},
                              {"value", s.values[t]},
                              {"provisional", s.provisional[t] != 0}});
    e["forecast"] = nlohmann::json::array();
    for (int h = 0; h < r.horizon; ++h) {
      nlohmann::json f{{"month", s.end().plus_months(h + 1).to_string()}, {"mean", g.forecast.mean[h]}};
      for (size_t i = 0; i < r.levels.size(); ++i) {
        f["lower_" + level_label(r.levels[i])] = g.forecast.lower[i][h];
        f["upper_" + level_label(r.levels[i])] = g.forecast.upper[i][h];
      }
      e["forecast"].push_back(std::move(f));
    }
    j["groups"].push_back(std::move(e));
  }
  return j;
}

nlohmann::json forecast_report(const Cube& cube, const ForecastRequest& request) {
  return to_json(run_forecasts(cube, request));
}

BacktestRun run_backtests(const Cube& cube, const ForecastRequest& r) {
  check_common(r);
  if (r.origins < 1)
    throw Error(ErrorCode::InvalidArgument, "origins", "origins: must be at least 1 (got " + std::to_string(r.origins) + ")");
  std::vector<std::string> labels = r.models;
  if (labels.empty()) {
    labels = {"snaive", "naive", "ets"};
    if (!r.leading.empty()) labels.insert(labels.end(), {"log-ar1", "leading"});
  }
  // Each model: a univariate spec, the log1p AR(1) control, or the leading model.
  enum class Kind { Spec, Control, Leading };
  std::vector<ModelSpec> specs;
  std::vector<Kind> kinds;
  for (const std::string& label : labels) {
    const Kind kind = label == "leading" ? Kind::Leading : label == "log-ar1" ? Kind::Control : Kind::Spec;
    if (kind == Kind::Leading && r.leading.empty())
      throw Error(ErrorCode::InvalidArgument, "models", "models: 'leading' needs leading=SOURCE[:LAG] to say which upstream series");
    ModelSpec spec;
    if (kind == Kind::Spec) {
      try {
        spec = ModelSpec::parse(label);
      } catch (const std::invalid_argument& e) {
        throw Error(ErrorCode::InvalidArgument, "models", std::string("models: ") + e.what() + ", log-ar1 or leading");
      }
    }
    specs.push_back(spec);
    kinds.push_back(kind);
  }
  const SeriesQuery& q = r.query;
  const std::vector<UpstreamSpec> upstream = parse_leading(r.leading, cube, q);
  BacktestRun out;
  out.horizon = r.horizon;
  out.origins = r.origins;
  out.by = q.by;
  out.levels = normalise_levels(r.levels);
  std::vector<MonthlySeries> groups = select_groups(cube, q, r.top, out.notes);
  const bool judge = std::find(labels.begin(), labels.end(), "leading") != labels.end() &&
                     std::find(labels.begin(), labels.end(), "ets") != labels.end();
  size_t done = 0;
  for (MonthlySeries& s : groups) {
    stop_if_cancelled(r.cancelled);
    if (r.progress) r.progress(done++, groups.size(), group_title(q, s));
    const int n = static_cast<int>(s.values.size());
    const int first_origin = n - r.horizon - r.origins + 1;
    if (first_origin < kPeriod + 1) {
      out.skipped.push_back(group_title(q, s) + ": " + std::to_string(n) + " months; " + std::to_string(r.origins) +
                            " origins at horizon " + std::to_string(r.horizon) + " need at least " +
                            std::to_string(kPeriod + r.horizon + r.origins) +
                            " (fewer origins or a shorter horizon)");
      continue;
    }
    GroupBacktest g;
    g.title = group_title(q, s);
    std::vector<BacktestModel> models;
    for (size_t k = 0; k < specs.size(); ++k) {
      switch (kinds[k]) {
        case Kind::Spec:
          models.push_back(backtest_model(specs[k], kPeriod));
          break;
        case Kind::Control:
          models.push_back(log_ar1_backtest_model());
          break;
        case Kind::Leading:
          // Lags chosen from the months before the first origin only.
          models.push_back(leading_backtest_model(leading_series(cube, q, s, upstream, r, first_origin, g.notes)));
          break;
      }
    }
    g.result = backtest_models(s.values, kPeriod, r.horizon, r.origins, models, out.levels, r.cancelled);
    for (auto& note : g.result.notes) g.notes.push_back(note);
    if (judge) {
      const LeadingVerdict v = judge_leading(g.result);
      g.verdict = v.text;
      g.upstream_helps = v.upstream_helps;
    }
    g.series = std::move(s);
    out.groups.push_back(std::move(g));
  }
  if (out.groups.empty() && out.skipped.size() == 1) throw std::invalid_argument(out.skipped.front());
  if (out.groups.empty()) throw std::invalid_argument("nothing to back-test: every group is too short");
  out.summary = summarise(out.groups, labels, judge);
  return out;
}

nlohmann::json to_json(const BacktestRun& r) {
  nlohmann::json j;
  j["horizon"] = r.horizon;
  j["origins"] = r.origins;
  j["levels"] = r.levels;
  j["skipped"] = r.skipped;
  j["notes"] = r.notes;
  j["groups"] = nlohmann::json::array();
  for (const GroupBacktest& g : r.groups) {
    nlohmann::json e;
    e["title"] = g.title;
    for (size_t i = 0; i < r.by.size(); ++i) e["group"][r.by[i]] = g.series.group[i];
    e["first_forecast_month"] = g.series.start.plus_months(g.result.origins.front()).to_string();
    e["last_origin_month"] = g.series.start.plus_months(g.result.origins.back()).to_string();
    e["reference_mase"] = g.result.reference_mase;
    e["notes"] = g.notes;
    if (!g.verdict.empty()) e["verdict"] = g.verdict;
    e["models"] = nlohmann::json::array();
    for (auto& m : g.result.models) {
      nlohmann::json mj{{"model", m.model},
                        {"mase", m.mase},
                        {"relative_mase", m.relative_mase},
                        {"smape", m.smape},
                        {"origins_scored", m.origins_scored},
                        {"failures", m.failures},
                        {"fallbacks", m.fallbacks},
                        {"mase_by_horizon", m.mase_by_horizon},
                        {"chosen", m.chosen}};
      for (size_t i = 0; i < r.levels.size(); ++i) mj["coverage_" + level_label(r.levels[i])] = m.coverage[i];
      e["models"].push_back(std::move(mj));
    }
    j["groups"].push_back(std::move(e));
  }
  nlohmann::json summary{{"groups", r.groups.size()}, {"models", nlohmann::json::array()}};
  for (const ModelSummary& m : r.summary.models)
    summary["models"].push_back({{"model", m.model},
                                 {"relative_mase", m.relative_mase},
                                 {"scored", m.scored},
                                 {"beats_snaive", m.beats_snaive},
                                 {"compared_with_ets", m.compared_with_ets},
                                 {"beats_ets", m.beats_ets}});
  if (r.summary.upstream_helps) summary["upstream_helps"] = *r.summary.upstream_helps;
  j["summary"] = std::move(summary);
  return j;
}

nlohmann::json backtest_report(const Cube& cube, const ForecastRequest& request) {
  return to_json(run_backtests(cube, request));
}

}  // namespace atalaya
