// Leading-indicator forecasts (see leading_indicator.h): a log1p
// autoregressive distributed-lag regression, simulated forward.
#include "atalaya/core/normal_draws.h"
#include "atalaya/analysis/leading_indicator.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <numbers>
#include <random>
#include <stdexcept>

#include "atalaya/analysis/ets.h"

namespace atalaya {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
// A Cholesky pivot below this share of its diagonal means the columns are
// linearly dependent to working precision.
constexpr double kSingular = 1e-10;

std::string fixed2(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

void require_counts(const std::vector<double>& v, const std::string& what) {
  for (size_t i = 0; i < v.size(); ++i)
    if (!std::isfinite(v[i]) || v[i] < 0)
      throw std::invalid_argument(what + ": value " + std::to_string(i + 1) + " is " + std::to_string(v[i]) +
                                  " (counts must be finite and >= 0)");
}

// Index into values of the upstream regressor for downstream month t, or -1
// when that month is outside what the upstream holds.
long regressor_index(const LeadingSeries& s, long t) {
  const long j = t - s.lag - s.start;
  return j >= 0 && j < static_cast<long>(s.values.size()) ? j : -1;
}

// Solves A x = b in place for a symmetric positive definite p x p matrix A
// (row-major) by Cholesky. False when A is singular to working precision.
bool solve_spd(std::vector<double> a, std::vector<double>& b, int p) {
  std::vector<double> diag(p);
  for (int i = 0; i < p; ++i) diag[i] = a[i * p + i];
  for (int j = 0; j < p; ++j) {
    double d = a[j * p + j];
    for (int k = 0; k < j; ++k) d -= a[j * p + k] * a[j * p + k];
    if (!(d > kSingular * diag[j])) return false;
    const double l = std::sqrt(d);
    a[j * p + j] = l;
    for (int i = j + 1; i < p; ++i) {
      double s = a[i * p + j];
      for (int k = 0; k < j; ++k) s -= a[i * p + k] * a[j * p + k];
      a[i * p + j] = s / l;
    }
  }
  for (int i = 0; i < p; ++i) {  // L z = b
    for (int k = 0; k < i; ++k) b[i] -= a[i * p + k] * b[k];
    b[i] /= a[i * p + i];
  }
  for (int i = p - 1; i >= 0; --i) {  // L' x = z
    for (int k = i + 1; k < p; ++k) b[i] -= a[k * p + i] * b[k];
    b[i] /= a[i * p + i];
  }
  return true;
}

// Linear interpolation between order statistics (R's quantile type 7).
double quantile(const std::vector<double>& sorted, double p) {
  const double pos = p * static_cast<double>(sorted.size() - 1);
  const size_t i = static_cast<size_t>(std::floor(pos));
  if (i + 1 >= sorted.size()) return sorted.back();
  return sorted[i] + (pos - static_cast<double>(i)) * (sorted[i + 1] - sorted[i]);
}

std::string horizon_range(int first, int last) {
  return first == last ? "h=" + std::to_string(first) : "h=" + std::to_string(first) + ".." + std::to_string(last);
}

const ModelScore* find_score(const BacktestResult& r, const std::string& label) {
  for (const ModelScore& s : r.models)
    if (s.model == label) return &s;
  return nullptr;
}

}  // namespace

LeadingFit fit_leading(const std::vector<double>& y, const std::vector<LeadingSeries>& upstream, int min_overlap) {
  require_counts(y, "downstream series");
  LeadingFit fit;
  fit.name = "Leading(";
  for (size_t k = 0; k < upstream.size(); ++k) {
    const LeadingSeries& s = upstream[k];
    if (s.lag < 0) throw std::invalid_argument("upstream " + s.name + ": lag " + std::to_string(s.lag) + " is negative");
    require_counts(s.values, "upstream " + s.name);
    fit.name += (k ? ", " : "") + s.name + ":" + std::to_string(s.lag);
  }
  fit.name += ")";
  if (upstream.empty()) fit.name = "Log-AR(1)";

  const int p = 2 + static_cast<int>(upstream.size());
  const long n = static_cast<long>(y.size());
  std::vector<std::vector<double>> rows;  // regressors: 1, log1p(y_{t-1}), log1p(x_k)...
  std::vector<double> target;
  for (long t = 1; t < n; ++t) {
    std::vector<double> row{1.0, std::log1p(y[t - 1])};
    for (const LeadingSeries& s : upstream) {
      const long j = regressor_index(s, t);
      if (j < 0) break;
      row.push_back(std::log1p(s.values[j]));
    }
    if (static_cast<int>(row.size()) < p) continue;
    if (rows.empty()) fit.first_month = static_cast<int>(t);
    fit.last_month = static_cast<int>(t);
    rows.push_back(std::move(row));
    target.push_back(std::log1p(y[t]));
  }
  const int m = static_cast<int>(rows.size());
  fit.months = m;
  const int needed = std::max(min_overlap, p + 2);
  if (m < needed) {
    fit.note = upstream.empty() ? "only " + std::to_string(m) + " month pairs (" + std::to_string(needed) + " needed)"
                                : "only " + std::to_string(m) +
                                      " months where the downstream and every upstream series overlap at their lags (" +
                                      std::to_string(needed) + " needed)";
    return fit;
  }

  std::vector<double> xtx(p * p, 0.0), beta(p, 0.0);
  for (int r = 0; r < m; ++r)
    for (int i = 0; i < p; ++i) {
      beta[i] += rows[r][i] * target[r];
      for (int j = 0; j < p; ++j) xtx[i * p + j] += rows[r][i] * rows[r][j];
    }
  if (!solve_spd(xtx, beta, p)) {
    fit.note = "the regression is singular (an upstream series is constant over the fitted months, "
               "or moves exactly with the downstream's past or another upstream)";
    return fit;
  }
  double sse = 0;
  for (int r = 0; r < m; ++r) {
    double f = 0;
    for (int i = 0; i < p; ++i) f += beta[i] * rows[r][i];
    sse += (target[r] - f) * (target[r] - f);
    fit.residuals.push_back(target[r] - f);
  }
  fit.intercept = beta[0];
  fit.autoregressive = beta[1];
  fit.coefficients.assign(beta.begin() + 2, beta.end());
  fit.sigma2 = sse / (m - p);
  fit.fitted = true;
  fit.note = "log1p regression on " + std::to_string(m) + " months: y[t-1] x" + fixed2(fit.autoregressive);
  for (size_t k = 0; k < upstream.size(); ++k)
    fit.note += ", " + upstream[k].name + "[t-" + std::to_string(upstream[k].lag) + "] x" + fixed2(fit.coefficients[k]);
  fit.note += ", residual sd " + fixed2(std::sqrt(fit.sigma2));
  return fit;
}

LeadingForecast forecast_leading(const std::vector<double>& y, const std::vector<LeadingSeries>& upstream,
                                 int horizon, const std::vector<double>& levels, const LeadingOptions& options) {
  if (horizon < 1) throw std::invalid_argument("forecast horizon must be at least 1");
  if (y.size() < 2) throw std::invalid_argument("a forecast needs at least 2 values");
  if (options.paths < 2) throw std::invalid_argument("leading forecast: at least 2 simulated paths needed");
  const std::vector<double> lv = normalise_levels(levels);
  LeadingForecast out;
  out.fit = fit_leading(y, upstream, options.min_overlap);
  const LeadingFit& fit = out.fit;
  if (!fit.fitted) {
    const EtsFit ets = auto_ets(y, options.period);
    out.forecast = forecast_ets(ets, horizon, lv);
    out.forecast.note = (upstream.empty() ? "log1p AR(1) not used: " : "leading indicator not used: ") + fit.note + "; univariate " + ets.name + " instead" +
                        (ets.note.empty() ? "" : " (" + ets.note + ")");
    out.fallback = true;
    return out;
  }

  // Each upstream's value for every forecast month: observed (sd 0), or the
  // mean and standard deviation of its own ETS forecast.
  const long n = static_cast<long>(y.size());
  const size_t nk = upstream.size();
  std::vector<std::vector<double>> mu(nk, std::vector<double>(horizon)), sd(nk, std::vector<double>(horizon, 0.0));
  std::string note = fit.note;
  for (size_t k = 0; k < nk; ++k) {
    const LeadingSeries& s = upstream[k];
    const long last = s.start + static_cast<long>(s.values.size()) - 1;  // downstream index of its last month
    int observed_through = 0;
    for (int h = 1; h <= horizon; ++h) {
      const long month = n - 1 + h - s.lag;
      if (month > last) break;
      mu[k][h - 1] = s.values[month - s.start];
      observed_through = h;
    }
    std::string part = s.name + " observed for " + horizon_range(1, observed_through);
    if (observed_through < horizon) {
      const int steps = static_cast<int>(n - 1 + horizon - s.lag - last);
      const EtsFit up = auto_ets(s.values, options.period);
      const Forecast uf = forecast_ets(up, steps, {95});
      const double z = normal_quantile(0.975);
      for (int h = observed_through + 1; h <= horizon; ++h) {
        const int step = static_cast<int>(n - 1 + h - s.lag - last);
        mu[k][h - 1] = uf.mean[step - 1];
        sd[k][h - 1] = std::max(0.0, (uf.upper[0][step - 1] - uf.lower[0][step - 1]) / (2 * z));
      }
      part = observed_through == 0 ? s.name + ": all " + std::to_string(horizon) + " months from its own " + up.name +
                                         " forecast"
                                   : part + ", its own " + up.name + " forecast for " +
                                         horizon_range(observed_through + 1, horizon);
    }
    note += "; " + part;
  }

  const double sigma = std::sqrt(fit.sigma2);
  const int paths = options.paths;
  std::vector<std::vector<double>> sims(horizon, std::vector<double>(paths));
  NormalDraws z(options.seed);
  std::vector<double> upstream_z(nk);
  for (int path = 0; path < paths; ++path) {
    for (size_t k = 0; k < nk; ++k) upstream_z[k] = z();
    double previous = std::log1p(y.back());
    for (int h = 0; h < horizon; ++h) {
      double level = fit.intercept + fit.autoregressive * previous;
      for (size_t k = 0; k < nk; ++k) {
        const double x = std::max(0.0, mu[k][h] + sd[k][h] * upstream_z[k]);
        level += fit.coefficients[k] * std::log1p(x);
      }
      level += sigma * z();
      previous = level;
      sims[h][path] = std::max(0.0, std::expm1(level));
    }
  }

  Forecast& f = out.forecast;
  f.model = fit.name;
  f.levels = lv;
  f.lower.assign(lv.size(), std::vector<double>(horizon));
  f.upper.assign(lv.size(), std::vector<double>(horizon));
  for (int h = 0; h < horizon; ++h) {
    std::sort(sims[h].begin(), sims[h].end());
    f.mean.push_back(quantile(sims[h], 0.5));
    for (size_t i = 0; i < lv.size(); ++i) {
      f.lower[i][h] = quantile(sims[h], 0.5 - lv[i] / 200);
      f.upper[i][h] = quantile(sims[h], 0.5 + lv[i] / 200);
    }
  }
  f.note = note;
  return out;
}

BacktestModel leading_backtest_model(std::vector<LeadingSeries> upstream, const LeadingOptions& options) {
  BacktestModel model;
  model.label = "leading";
  model.forecast = [upstream = std::move(upstream), options](const std::vector<double>& train, int horizon,
                                                             const std::vector<double>& levels) {
    // The upstream as it stood at the origin: nothing from the origin's month on.
    std::vector<LeadingSeries> cut = upstream;
    const long origin = static_cast<long>(train.size());
    for (LeadingSeries& s : cut) {
      const long keep = std::clamp<long>(origin - s.start, 0, static_cast<long>(s.values.size()));
      s.values.resize(keep);
    }
    LeadingForecast lf = forecast_leading(train, cut, horizon, levels, options);
    OriginForecast result;
    result.chosen = lf.forecast.model;
    result.fallback = lf.fallback;
    result.forecast = std::move(lf.forecast);
    return result;
  };
  return model;
}

BacktestModel log_ar1_backtest_model(const LeadingOptions& options) {
  BacktestModel model = leading_backtest_model({}, options);
  model.label = "log-ar1";
  return model;
}

LeadingVerdict judge_leading(const BacktestResult& r, const std::string& leading, const std::string& univariate,
                             const std::string& control) {
  const ModelScore* lead = find_score(r, leading);
  const ModelScore* uni = find_score(r, univariate);
  if (!lead || !uni)
    throw std::invalid_argument("judge_leading: the back-test has no model \"" + (lead ? univariate : leading) + "\"");
  LeadingVerdict v;
  if (std::isnan(lead->mase) || std::isnan(uni->mase)) {
    v.text = leading + " cannot be judged against " + univariate + ": no MASE (no origin had a non-zero scale)";
    return v;
  }
  v.beats_univariate = lead->mase < uni->mase;
  v.beats_seasonal_naive = lead->relative_mase < 1;
  v.text = leading + (v.beats_univariate ? " beats " : " does not beat ") + univariate + ": MASE " +
           fixed2(lead->mase) + " against " + fixed2(uni->mase) + " over " + std::to_string(r.origins.size()) +
           " origins; " + (v.beats_seasonal_naive ? "beats" : "does not beat") +
           " seasonal naive (relative MASE " + fixed2(lead->relative_mase) + ")";
  if (const ModelScore* ctl = find_score(r, control); ctl && !std::isnan(ctl->mase)) {
    v.upstream_helps = lead->mase < ctl->mase;
    v.text += std::string("; the upstream terms ") + (v.upstream_helps ? "help" : "do not help") +
              " (the same regression without them, " + control + ", scores MASE " + fixed2(ctl->mase) + ")";
  }
  if (lead->fallbacks > 0)
    v.text += "; fell back to univariate ETS at " + std::to_string(lead->fallbacks) + " of " +
              std::to_string(lead->origins_scored) + " origins";
  if (lead->failures > 0 || uni->failures > 0) v.text += "; not every origin was scored (see notes)";
  return v;
}

LeadingBacktest backtest_leading(const std::vector<double>& y, const std::vector<LeadingSeries>& upstream,
                                 int horizon, int origins, const std::vector<double>& levels,
                                 const LeadingOptions& options) {
  const std::vector<BacktestModel> models{
      backtest_model(ModelSpec::parse("snaive"), options.period),
      backtest_model(ModelSpec::parse("ets"), options.period),
      log_ar1_backtest_model(options),
      leading_backtest_model(upstream, options),
  };
  LeadingBacktest out;
  out.result = backtest_models(y, options.period, horizon, origins, models, levels);
  out.verdict = judge_leading(out.result);
  return out;
}

}  // namespace atalaya
