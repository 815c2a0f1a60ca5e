// atalaya forecast [selection] --horizon H [--level 80,95] [--model M] [--leading SRC[:LAG],...]
// atalaya backtest [selection] --horizon H --origins N [--models snaive,naive,ets] [--leading ...]
//
// Both read the in-memory cube, forecast one monthly series per --by group,
// and keep the largest --top groups. With --leading the downstream series is
// forecast from upstream checkpoints of the same citizenship at their transit
// lags (leading_indicator.h); the back-test then scores that model beside the
// univariate ones on the same origins, and says whether it won.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>
#include <stdexcept>

#include "atalaya/analysis/backtest.h"
#include "atalaya/analysis/cube.h"
#include "atalaya/analysis/ets.h"
#include "atalaya/analysis/lag.h"
#include "atalaya/analysis/leading_indicator.h"
#include "atalaya/ingest/csv_reader.h"
#include "cli/commands.h"
#include "cli/selection_options.h"

namespace atalaya::cli {
namespace {

constexpr int kPeriod = 12;  // monthly data: a yearly season

struct ForecastOptions {
  SelectionOptions selection;
  int horizon = 6;
  std::vector<double> levels{80, 95};
  std::string format = "table";
  int top = 10;
  std::vector<std::string> leading;  // SOURCE or SOURCE:LAG
  int max_lag = 4;
  int lag_prior = 1;
  // forecast only
  std::string model = "auto";
  int history = 12;
  // backtest only
  int origins = 12;
  std::vector<std::string> models;
};

// ---- small formatting helpers ----------------------------------------------

std::string fixed(double x, int decimals) {
  if (std::isnan(x)) return "-";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  return buf;
}

// Counts as people read them: 12,345 for large values, 4.3 for small ones.
std::string count_text(double v) {
  if (std::isnan(v)) return "-";
  if (std::fabs(v) >= 100) return thousands(std::llround(v));
  return fixed(v, 1);
}

std::string percent(double share) { return std::isnan(share) ? "-" : fixed(100 * share, 0) + "%"; }

std::string level_text(double level) {
  return level == std::floor(level) ? std::to_string(static_cast<int>(level)) : fixed(level, 1);
}

size_t display_width(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

// Prints rows[0] as the header; columns marked in `right` align right.
void print_aligned(const std::vector<std::vector<std::string>>& rows, const std::vector<bool>& right) {
  std::vector<size_t> width(rows.front().size(), 0);
  for (auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) width[i] = std::max(width[i], display_width(r[i]));
  for (auto& r : rows) {
    std::string line;
    for (size_t i = 0; i < r.size(); ++i) {
      const std::string pad(width[i] - display_width(r[i]), ' ');
      if (i) line += "  ";
      line += right[i] ? pad + r[i] : r[i] + pad;
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    std::cout << line << "\n";
  }
}

std::string months_text(int n) { return std::to_string(n) + (n == 1 ? " month" : " months"); }

int month_number(const Period& p) { return p.year() * 12 + (p.sub() - 1); }

// ---- selection, groups and their names --------------------------------------

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

// The query's errors name a dimension ("citizenship: unknown country ...");
// on the command line that is an option.
[[noreturn]] void rethrow_as_option(const std::invalid_argument& e) {
  const std::string what = e.what();
  const auto colon = what.find(':');
  if (colon != std::string::npos) {
    const std::string dim = what.substr(0, colon);
    if (std::find(std::begin(kDimensions), std::end(kDimensions), dim) != std::end(kDimensions) || dim == "from" ||
        dim == "to")
      throw std::invalid_argument("--" + what);
  }
  throw;
}

// The monthly groups of the selection, the largest `top` of them (by their
// last 12 months) when there are more.
std::vector<MonthlySeries> select_groups(const Cube& cube, const SeriesQuery& q, int top) {
  std::vector<MonthlySeries> groups;
  try {
    groups = cube.monthly(q);
  } catch (const std::invalid_argument& e) {
    rethrow_as_option(e);
  }
  if (groups.empty()) {
    MonthlySeries any;
    any.group.assign(q.by.size(), "*");
    throw std::invalid_argument("no monthly data for the selection (" + group_title(q, any) + ")");
  }
  if (top > 0 && static_cast<int>(groups.size()) > top) {
    auto recent = [](const MonthlySeries& s) {
      const size_t n = s.values.size(), k = std::min<size_t>(n, 12);
      return std::accumulate(s.values.end() - k, s.values.end(), 0.0);
    };
    std::stable_sort(groups.begin(), groups.end(),
                     [&](const MonthlySeries& a, const MonthlySeries& b) { return recent(a) > recent(b); });
    std::cerr << "note: " << groups.size() << " groups; keeping the " << top
              << " largest by their last 12 months (--top N to change, --top 0 for all)\n";
    groups.resize(top);
  }
  return groups;
}

// ---- options shared by both commands -----------------------------------------

void check_common(const ForecastOptions& o) {
  if (o.horizon < 1) throw std::invalid_argument("--horizon: must be at least 1 month (got " + std::to_string(o.horizon) + ")");
  if (o.top < 0) throw std::invalid_argument("--top: must be 0 (all groups) or more");
  if (o.max_lag < 0) throw std::invalid_argument("--max-lag: must be 0 or more");
  if (o.lag_prior < 0) throw std::invalid_argument("--lag-prior: must be 0 or more");
  try {
    normalise_levels(o.levels);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("--level: ") + e.what());
  }
}

void add_common_options(CLI::App& cmd, ForecastOptions& o) {
  o.selection.add_to(cmd);
  cmd.add_option("--horizon", o.horizon, "months ahead to forecast")->capture_default_str();
  cmd.add_option("--level", o.levels, "prediction interval levels in percent (comma-separated)")
      ->delimiter(',')
      ->capture_default_str();
  cmd.add_option("--leading", o.leading,
                 "forecast from these upstream sources of the same citizenship, SOURCE or SOURCE:LAG "
                 "(lag in months; estimated when left out)")
      ->delimiter(',');
  cmd.add_option("--max-lag", o.max_lag, "longest lag searched when estimating one")->capture_default_str();
  cmd.add_option("--lag-prior", o.lag_prior, "lag used when the data cannot say")->capture_default_str();
  cmd.add_option("--top", o.top, "at most this many groups, the largest by their last 12 months (0: all)")
      ->capture_default_str();
  cmd.add_option("--format", o.format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}))
      ->capture_default_str();
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
      if (lag.empty() || lag.size() > 3 || !std::all_of(lag.begin(), lag.end(), [](unsigned char c) { return std::isdigit(c); }))
        throw std::invalid_argument("--leading: '" + item +
                                    "': the lag after ':' must be a whole number of months (e.g. pa-snm-darien:2)");
      u.source = item.substr(0, colon);
      u.lag = std::stoi(lag);
    }
    if (std::find(known.begin(), known.end(), u.source) == known.end()) {
      std::string list;
      for (auto& s : known) list += (list.empty() ? "" : ", ") + s;
      throw std::invalid_argument("--leading: no source '" + u.source + "' in the store (it holds: " + list + ")");
    }
    out.push_back(std::move(u));
  }
  for (auto& by : q.by)
    if (by != "citizenship")
      throw std::invalid_argument("--leading: upstream series are paired by citizenship, so --by may only be "
                                  "citizenship (got " + by + ")");
  return out;
}

// The upstream source's monthly series for the citizenship of `group`.
std::optional<MonthlySeries> upstream_series(const Cube& cube, const SeriesQuery& q, const MonthlySeries& group,
                                             const std::string& source) {
  SeriesQuery up;
  up.filters["source"] = {source};
  if (!q.by.empty()) {
    up.filters["citizenship"] = {group.group[0]};  // --by is citizenship alone (parse_leading)
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
                                          const std::vector<UpstreamSpec>& specs, const ForecastOptions& o,
                                          int cutoff, std::vector<std::string>& notes) {
  std::vector<LeadingSeries> out;
  const int ds = month_number(down.start);
  for (const UpstreamSpec& spec : specs) {
    std::optional<MonthlySeries> up = upstream_series(cube, q, down, spec.source);
    if (!up || up->values.empty()) {
      notes.push_back(spec.source + ": no monthly data for this citizenship; left out");
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
      const int last = std::min({cutoff, static_cast<int>(down.values.size()), s.start + static_cast<int>(s.values.size())}) - 1;
      std::vector<double> u, d;
      for (int t = first; t <= last; ++t) {
        u.push_back(s.values[t - s.start]);
        d.push_back(down.values[t]);
      }
      const LagEstimate e = estimate_lag(u, d, o.max_lag, o.lag_prior);
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

struct GroupForecast {
  Forecast forecast;
  std::vector<std::string> notes;
};

GroupForecast forecast_group(const std::vector<double>& y, const ModelSpec& spec,
                             const std::vector<LeadingSeries>* leading, int horizon,
                             const std::vector<double>& levels) {
  GroupForecast g;
  if (leading) {
    g.forecast = forecast_leading(y, *leading, horizon, levels).forecast;
  } else {
    switch (spec.kind) {
      case ModelSpec::Kind::Naive:
        g.forecast = naive_forecast(y, horizon, levels);
        break;
      case ModelSpec::Kind::SeasonalNaive:
        if (static_cast<int>(y.size()) > kPeriod) {
          g.forecast = seasonal_naive_forecast(y, kPeriod, horizon, levels);
        } else {
          g.forecast = naive_forecast(y, horizon, levels);
          g.forecast.note = "seasonal naive needs more than 12 months (" + std::to_string(y.size()) +
                            " given); naive forecast instead";
        }
        break;
      case ModelSpec::Kind::AutoEts:
        g.forecast = forecast_ets(auto_ets(y, kPeriod), horizon, levels);
        break;
      case ModelSpec::Kind::Ets:
        try {
          g.forecast = forecast_ets(fit_ets(y, kPeriod, spec.ets), horizon, levels);
        } catch (const std::invalid_argument& e) {
          const EtsFit fit = auto_ets(y, kPeriod);
          g.forecast = forecast_ets(fit, horizon, levels);
          g.forecast.note = spec.ets.name() + " cannot be fitted (" + e.what() + "); automatic choice " + fit.name +
                            " instead" + (fit.note.empty() ? "" : " (" + fit.note + ")");
        }
        break;
    }
  }
  // Counts are never negative; additive models' intervals can be.
  bool clipped = false;
  auto clip = [&clipped](std::vector<double>& v) {
    for (double& x : v)
      if (x < 0) {
        x = 0;
        clipped = true;
      }
  };
  clip(g.forecast.mean);
  for (auto& l : g.forecast.lower) clip(l);
  for (auto& u : g.forecast.upper) clip(u);
  if (!g.forecast.note.empty()) g.notes.push_back(g.forecast.note);
  if (clipped) g.notes.push_back("values below 0 are shown as 0 (counts cannot be negative)");
  return g;
}

void run_forecast(const ForecastOptions& o, bool model_given, const GlobalOptions& global) {
  check_common(o);
  if (o.history < 0) throw std::invalid_argument("--history: must be 0 or more");
  ModelSpec spec;
  const bool control = o.model == "log-ar1";
  try {
    if (!control) spec = ModelSpec::parse(o.model);
  } catch (const std::invalid_argument& e) {
    throw std::invalid_argument(std::string("--model: ") + e.what() + " or log-ar1");
  }
  if (model_given && !o.leading.empty())
    throw std::invalid_argument("--model and --leading: the leading-indicator model is its own model "
                                "(it falls back to automatic ETS by itself); give one or the other");
  const SeriesQuery q = o.selection.query();
  const Cube cube = Cube::load(*global.open_store(true));
  const std::vector<UpstreamSpec> upstream = parse_leading(o.leading, cube, q);
  const std::vector<MonthlySeries> groups = select_groups(cube, q, o.top);
  const std::vector<double> levels = normalise_levels(o.levels);

  struct Done {
    const MonthlySeries* series;
    GroupForecast result;
  };
  std::vector<Done> done;
  std::vector<std::string> skipped;
  for (const MonthlySeries& s : groups) {
    if (s.values.size() < 2) {
      skipped.push_back(group_title(q, s) + ": only " + std::to_string(s.values.size()) +
                        " month of data; a forecast needs at least 2");
      continue;
    }
    std::vector<std::string> lag_notes;
    std::optional<std::vector<LeadingSeries>> leading;
    if (control) leading.emplace();  // the regression without upstream series
    if (!upstream.empty())
      leading = leading_series(cube, q, s, upstream, o, static_cast<int>(s.values.size()), lag_notes);
    GroupForecast g = forecast_group(s.values, spec, leading ? &*leading : nullptr, o.horizon, levels);
    g.notes.insert(g.notes.begin(), lag_notes.begin(), lag_notes.end());
    done.push_back({&s, std::move(g)});
  }
  if (done.empty() && skipped.size() == 1) throw std::invalid_argument(skipped.front());
  for (auto& s : skipped) std::cerr << "note: skipped " << s << "\n";
  if (done.empty()) throw std::invalid_argument("nothing to forecast: every group is too short");

  const size_t nl = levels.size();
  if (o.format == "json") {
    nlohmann::json j;
    j["horizon"] = o.horizon;
    j["levels"] = levels;
    j["by"] = q.by;
    j["skipped"] = skipped;
    j["groups"] = nlohmann::json::array();
    for (auto& [s, g] : done) {
      nlohmann::json e;
      e["title"] = group_title(q, *s);
      for (size_t i = 0; i < q.by.size(); ++i) e["group"][q.by[i]] = s->group[i];
      e["model"] = g.forecast.model;
      e["notes"] = g.notes;
      e["first_month"] = s->start.to_string();
      e["last_month"] = s->end().to_string();
      e["history"] = nlohmann::json::array();
      const size_t n = s->values.size(), from = n - std::min<size_t>(n, o.history);
      for (size_t t = from; t < n; ++t)
        e["history"].push_back({{"month", s->start.plus_months(static_cast<int>(t)).to_string()},
                                {"value", s->values[t]},
                                {"provisional", s->provisional[t] != 0}});
      e["forecast"] = nlohmann::json::array();
      for (int h = 0; h < o.horizon; ++h) {
        nlohmann::json f{{"month", s->end().plus_months(h + 1).to_string()}, {"mean", g.forecast.mean[h]}};
        for (size_t i = 0; i < nl; ++i) {
          f["lower_" + level_text(levels[i])] = g.forecast.lower[i][h];
          f["upper_" + level_text(levels[i])] = g.forecast.upper[i][h];
        }
        e["forecast"].push_back(std::move(f));
      }
      j["groups"].push_back(std::move(e));
    }
    std::cout << j.dump(2) << "\n";
    return;
  }
  if (o.format == "csv") {
    for (auto& [s, g] : done)
      for (auto& n : g.notes) std::cerr << "note: " << group_title(q, *s) << ": " << n << "\n";
    std::string header;
    for (auto& b : q.by) header += b + ",";
    header += "month,actual,forecast";
    for (double l : levels) header += ",lower_" + level_text(l) + ",upper_" + level_text(l);
    std::cout << header << ",model\n";
    for (auto& [s, g] : done) {
      std::string prefix;
      for (auto& v : s->group) {
        append_csv_field(prefix, v);
        prefix.push_back(',');
      }
      std::string model;
      append_csv_field(model, g.forecast.model);
      const size_t n = s->values.size(), from = n - std::min<size_t>(n, o.history);
      for (size_t t = from; t < n; ++t)
        std::cout << prefix << s->start.plus_months(static_cast<int>(t)).to_string() << "," << s->values[t] << ","
                  << std::string(2 * nl, ',') << "," << model << "\n";
      for (int h = 0; h < o.horizon; ++h) {
        std::cout << prefix << s->end().plus_months(h + 1).to_string() << ",," << g.forecast.mean[h];
        for (size_t i = 0; i < nl; ++i) std::cout << "," << g.forecast.lower[i][h] << "," << g.forecast.upper[i][h];
        std::cout << "," << model << "\n";
      }
    }
    return;
  }
  bool first = true;
  for (auto& [s, g] : done) {
    if (!first) std::cout << "\n";
    first = false;
    std::cout << group_title(q, *s) << ": " << s->values.size() << " months " << s->start.to_string() << ".."
              << s->end().to_string() << "; model " << g.forecast.model << "\n";
    for (auto& n : g.notes) std::cout << "note: " << n << "\n";
    std::vector<std::vector<std::string>> rows;
    std::vector<std::string> header{"month", "actual", "forecast"};
    for (double l : levels) {
      header.push_back(level_text(l) + "% low");
      header.push_back(level_text(l) + "% high");
    }
    rows.push_back(header);
    const size_t n = s->values.size(), from = n - std::min<size_t>(n, o.history);
    bool provisional = false;
    for (size_t t = from; t < n; ++t) {
      std::vector<std::string> r(header.size());
      r[0] = s->start.plus_months(static_cast<int>(t)).to_string();
      r[1] = thousands(std::llround(s->values[t])) + (s->provisional[t] ? "*" : "");
      provisional = provisional || s->provisional[t];
      rows.push_back(std::move(r));
    }
    for (int h = 0; h < o.horizon; ++h) {
      std::vector<std::string> r{s->end().plus_months(h + 1).to_string(), "", count_text(g.forecast.mean[h])};
      for (size_t i = 0; i < nl; ++i) {
        r.push_back(count_text(g.forecast.lower[i][h]));
        r.push_back(count_text(g.forecast.upper[i][h]));
      }
      rows.push_back(std::move(r));
    }
    std::vector<bool> right(header.size(), true);
    right[0] = false;
    print_aligned(rows, right);
    if (provisional) std::cout << "* provisional\n";
  }
}

// ---- backtest -------------------------------------------------------------------

void run_backtest(const ForecastOptions& o, const GlobalOptions& global) {
  check_common(o);
  if (o.origins < 1) throw std::invalid_argument("--origins: must be at least 1 (got " + std::to_string(o.origins) + ")");
  std::vector<std::string> labels = o.models;
  if (labels.empty()) {
    labels = {"snaive", "naive", "ets"};
    if (!o.leading.empty()) labels.insert(labels.end(), {"log-ar1", "leading"});
  }
  // Each model: a univariate spec, the log1p AR(1) control, or the leading model.
  enum class Kind { Spec, Control, Leading };
  std::vector<ModelSpec> specs;
  std::vector<Kind> kinds;
  for (const std::string& label : labels) {
    const Kind kind = label == "leading" ? Kind::Leading : label == "log-ar1" ? Kind::Control : Kind::Spec;
    if (kind == Kind::Leading && o.leading.empty())
      throw std::invalid_argument("--models: 'leading' needs --leading SOURCE[:LAG] to say which upstream series");
    ModelSpec spec;
    if (kind == Kind::Spec) {
      try {
        spec = ModelSpec::parse(label);
      } catch (const std::invalid_argument& e) {
        throw std::invalid_argument(std::string("--models: ") + e.what() + ", log-ar1 or leading");
      }
    }
    specs.push_back(spec);
    kinds.push_back(kind);
  }
  const SeriesQuery q = o.selection.query();
  const Cube cube = Cube::load(*global.open_store(true));
  const std::vector<UpstreamSpec> upstream = parse_leading(o.leading, cube, q);
  const std::vector<MonthlySeries> groups = select_groups(cube, q, o.top);
  const std::vector<double> levels = normalise_levels(o.levels);
  const bool judge = std::find(labels.begin(), labels.end(), "leading") != labels.end() &&
                     std::find(labels.begin(), labels.end(), "ets") != labels.end();

  struct Done {
    const MonthlySeries* series;
    BacktestResult result;
    std::vector<std::string> notes;
    std::string verdict;
    bool upstream_helps = false;
  };
  std::vector<Done> done;
  std::vector<std::string> skipped;
  for (const MonthlySeries& s : groups) {
    const int n = static_cast<int>(s.values.size());
    const int first_origin = n - o.horizon - o.origins + 1;
    if (first_origin < kPeriod + 1) {
      skipped.push_back(group_title(q, s) + ": " + std::to_string(n) + " months; " + std::to_string(o.origins) +
                        " origins at horizon " + std::to_string(o.horizon) + " need at least " +
                        std::to_string(kPeriod + o.horizon + o.origins) + " (fewer --origins or a shorter --horizon)");
      continue;
    }
    Done d{&s, {}, {}, {}};
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
          models.push_back(leading_backtest_model(leading_series(cube, q, s, upstream, o, first_origin, d.notes)));
          break;
      }
    }
    d.result = backtest_models(s.values, kPeriod, o.horizon, o.origins, models, levels);
    for (auto& n : d.result.notes) d.notes.push_back(n);
    if (judge) {
      const LeadingVerdict v = judge_leading(d.result);
      d.verdict = v.text;
      d.upstream_helps = v.upstream_helps;
    }
    done.push_back(std::move(d));
  }
  if (done.empty() && skipped.size() == 1) throw std::invalid_argument(skipped.front());
  for (auto& s : skipped) std::cerr << "note: skipped " << s << "\n";
  if (done.empty()) throw std::invalid_argument("nothing to back-test: every group is too short");

  auto chosen_text = [](const ModelScore& m) {
    std::string out;
    for (auto& [name, count] : m.chosen) out += (out.empty() ? "" : ", ") + name + " x" + std::to_string(count);
    return out;
  };
  const size_t nl = levels.size();

  if (o.format == "json") {
    nlohmann::json j;
    j["horizon"] = o.horizon;
    j["origins"] = o.origins;
    j["levels"] = levels;
    j["skipped"] = skipped;
    j["groups"] = nlohmann::json::array();
    for (auto& d : done) {
      nlohmann::json e;
      e["title"] = group_title(q, *d.series);
      for (size_t i = 0; i < q.by.size(); ++i) e["group"][q.by[i]] = d.series->group[i];
      e["first_forecast_month"] = d.series->start.plus_months(d.result.origins.front()).to_string();
      e["last_origin_month"] = d.series->start.plus_months(d.result.origins.back()).to_string();
      e["reference_mase"] = d.result.reference_mase;
      e["notes"] = d.notes;
      if (!d.verdict.empty()) e["verdict"] = d.verdict;
      e["models"] = nlohmann::json::array();
      for (auto& m : d.result.models) {
        nlohmann::json mj{{"model", m.model},         {"mase", m.mase},
                          {"relative_mase", m.relative_mase}, {"smape", m.smape},
                          {"origins_scored", m.origins_scored}, {"failures", m.failures},
                          {"fallbacks", m.fallbacks},   {"mase_by_horizon", m.mase_by_horizon},
                          {"chosen", m.chosen}};
        for (size_t i = 0; i < nl; ++i) mj["coverage_" + level_text(levels[i])] = m.coverage[i];
        e["models"].push_back(std::move(mj));
      }
      j["groups"].push_back(std::move(e));
    }
    std::cout << j.dump(2) << "\n";
    return;
  }
  if (o.format == "csv") {
    for (auto& d : done) {
      for (auto& n : d.notes) std::cerr << "note: " << group_title(q, *d.series) << ": " << n << "\n";
      if (!d.verdict.empty()) std::cerr << "verdict: " << group_title(q, *d.series) << ": " << d.verdict << "\n";
    }
    std::string header;
    for (auto& b : q.by) header += b + ",";
    header += "model,mase,relative_mase,smape";
    for (double l : levels) header += ",coverage_" + level_text(l);
    std::cout << header << ",origins_scored,failures,fallbacks,chosen\n";
    for (auto& d : done)
      for (auto& m : d.result.models) {
        std::string line;
        for (auto& v : d.series->group) {
          append_csv_field(line, v);
          line.push_back(',');
        }
        append_csv_field(line, m.model);
        line += "," + fixed(m.mase, 4) + "," + fixed(m.relative_mase, 4) + "," + fixed(m.smape, 2);
        for (size_t i = 0; i < nl; ++i) line += "," + fixed(m.coverage[i], 4);
        line += "," + std::to_string(m.origins_scored) + "," + std::to_string(m.failures) + "," +
                std::to_string(m.fallbacks) + ",";
        append_csv_field(line, chosen_text(m));
        std::cout << line << "\n";
      }
    return;
  }

  std::vector<std::string> header{"model", "MASE", "vs snaive", "sMAPE"};
  for (double l : levels) header.push_back("cover " + level_text(l) + "%");
  header.push_back("origins");
  header.push_back("chosen");
  std::vector<bool> right(header.size(), true);
  right[0] = false;
  right.back() = false;
  for (size_t gi = 0; gi < done.size(); ++gi) {
    const Done& d = done[gi];
    if (gi) std::cout << "\n";
    const MonthlySeries& s = *d.series;
    std::cout << group_title(q, s) << ": " << s.values.size() << " months " << s.start.to_string() << ".."
              << s.end().to_string() << "; " << d.result.origins.size() << " origins (first forecast months "
              << s.start.plus_months(d.result.origins.front()).to_string() << ".."
              << s.start.plus_months(d.result.origins.back()).to_string() << "), horizon " << o.horizon << "\n";
    std::vector<std::vector<std::string>> rows{header};
    for (auto& m : d.result.models) {
      std::vector<std::string> r{m.model, fixed(m.mase, 2), fixed(m.relative_mase, 2), fixed(m.smape, 1)};
      for (size_t i = 0; i < nl; ++i) r.push_back(percent(m.coverage[i]));
      std::string origins = std::to_string(m.origins_scored);
      if (m.failures) origins += " (" + std::to_string(m.failures) + " failed)";
      if (m.fallbacks) origins += " (" + std::to_string(m.fallbacks) + " fell back)";
      r.push_back(origins);
      r.push_back(chosen_text(m));
      rows.push_back(std::move(r));
    }
    print_aligned(rows, right);
    for (auto& n : d.notes) std::cout << "note: " << n << "\n";
    if (!d.verdict.empty()) std::cout << "verdict: " << d.verdict << "\n";
    // The verdict compares with ETS; the table may hold a better model still.
    const ModelScore* best = nullptr;
    for (auto& m : d.result.models)
      if (std::isfinite(m.mase) && (!best || m.mase < best->mase)) best = &m;
    if (best && d.result.models.size() > 1)
      std::cout << "lowest MASE: " << best->model << " (" << fixed(best->mase, 2) << ")\n";
  }

  // Across groups: the geometric mean of relative MASE (a ratio), and how often
  // each model beat seasonal naive (and, for the leading model, ETS).
  std::cout << "\nsummary over " << done.size() << (done.size() == 1 ? " group" : " groups")
            << " (vs snaive: geometric mean of relative MASE; below 1 beats seasonal naive)\n";
  std::vector<std::vector<std::string>> rows{{"model", "vs snaive", "beats snaive in", "beats ets in"}};
  for (size_t k = 0; k < labels.size(); ++k) {
    double log_sum = 0;
    int scored = 0, wins = 0, wins_ets = 0, compared_ets = 0;
    for (auto& d : done) {
      const ModelScore& m = d.result.models[k];
      if (std::isfinite(m.relative_mase) && m.relative_mase > 0) {
        log_sum += std::log(m.relative_mase);
        ++scored;
        wins += m.relative_mase < 1;
      }
      for (auto& other : d.result.models)
        if (other.model == "ets" && m.model != "ets" && std::isfinite(m.mase) && std::isfinite(other.mase)) {
          ++compared_ets;
          wins_ets += m.mase < other.mase;
        }
    }
    rows.push_back({done.front().result.models[k].model, scored ? fixed(std::exp(log_sum / scored), 2) : "-",
                    std::to_string(wins) + " of " + std::to_string(scored),
                    compared_ets ? std::to_string(wins_ets) + " of " + std::to_string(compared_ets) : "-"});
  }
  print_aligned(rows, {false, true, true, true});
  if (judge && std::find(labels.begin(), labels.end(), "log-ar1") != labels.end()) {
    const auto helps = std::count_if(done.begin(), done.end(), [](const Done& d) { return d.upstream_helps; });
    std::cout << "leading: the upstream terms help (MASE below log-ar1's) in " << helps << " of " << done.size()
              << (done.size() == 1 ? " group" : " groups") << "\n";
  }
}

}  // namespace

void add_forecast_command(CLI::App& app, const GlobalOptions& global, int& status) {
  auto o = std::make_shared<ForecastOptions>();
  auto* cmd = app.add_subcommand("forecast", "Forecast monthly series with prediction intervals");
  add_common_options(*cmd, *o);
  auto* model = cmd->add_option("--model", o->model, "auto (= ets), ets, naive, snaive, an ETS model such as ETS(A,N,N), or log-ar1")
                    ->capture_default_str();
  cmd->add_option("--history", o->history, "months of history shown before the forecast")->capture_default_str();
  cmd->footer(
      "One forecast per --by group (the --top largest). auto picks the ETS model with the\n"
      "smallest AICc; short, flat or mostly-zero series fall back to the naive forecast and say so.\n"
      "With --leading, the series is forecast from upstream checkpoints of the same citizenship\n"
      "at their transit lags; check with `atalaya backtest ... --leading ...` whether that helps.\n\n"
      "Examples:\n"
      "  atalaya forecast --source pa-snm-darien --citizenship VEN --horizon 6\n"
      "  atalaya forecast --source us-cbp-swb-nat --by citizenship --top 5 --format csv\n"
      "  atalaya forecast --source us-cbp-swb-nat --citizenship HTI --horizon 3 --leading pa-snm-darien,mx-upm-irregular");
  cmd->callback([o, model, &global, &status] {
    run_forecast(*o, model->count() > 0, global);
    status = 0;
  });
}

void add_backtest_command(CLI::App& app, const GlobalOptions& global, int& status) {
  auto o = std::make_shared<ForecastOptions>();
  o->horizon = 6;
  auto* cmd = app.add_subcommand("backtest", "Score forecasting models on rolling origins: MASE, sMAPE, coverage");
  add_common_options(*cmd, *o);
  cmd->add_option("--origins", o->origins, "forecast origins scored (the last N that leave --horizon months)")
      ->capture_default_str();
  cmd->add_option("--models", o->models,
                  "models to score (comma-separated): snaive, naive, ets, an ETS model, log-ar1, leading "
                  "[default: snaive,naive,ets, plus log-ar1,leading with --leading]")
      ->delimiter(',');
  cmd->footer(
      "Each model is refitted at every origin on the data before it and forecasts --horizon months.\n"
      "MASE is scaled by the in-sample seasonal naive error; 'vs snaive' below 1 beats seasonal naive.\n"
      "Coverage is the share of actuals inside each prediction interval. With --leading, log-ar1 is\n"
      "the leading model's regression without the upstream series: the control that shows whether\n"
      "the upstream adds anything.\n\n"
      "Examples:\n"
      "  atalaya backtest --source us-cbp-swb-nat --citizenship HTI --horizon 3 --origins 12\n"
      "  atalaya backtest --source us-cbp-swb-nat --citizenship HTI,VEN,CUB --by citizenship --horizon 3 \\\n"
      "      --leading pa-snm-darien");
  cmd->callback([o, &global, &status] {
    run_backtest(*o, global);
    status = 0;
  });
}

}  // namespace atalaya::cli
