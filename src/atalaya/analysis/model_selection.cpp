// Per-series model choice by back-test, and intervals calibrated on its
// errors (see model_selection.h).
#include "atalaya/analysis/model_selection.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>

namespace atalaya {
namespace {

using Kind = ModelSpec::Kind;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr int kRecentMonths = 24;  // "no zero in its last two years"

// In-sample MAE of the lag-`period` naive forecast (lag 1 for a short prefix).
double mase_scale(const std::vector<double>& train, int period) {
  const int n = static_cast<int>(train.size());
  const int lag = n > period ? period : 1;
  double sum = 0;
  for (int t = lag; t < n; ++t) sum += std::fabs(train[t] - train[t - lag]);
  return n > lag ? sum / (n - lag) : 0.0;
}

bool below_zero_impossible(const std::vector<double>& y, const Forecast& f) {
  const size_t n = y.size(), from = n - std::min<size_t>(n, kRecentMonths);
  for (size_t t = from; t < n; ++t)
    if (y[t] <= 0) return false;  // a recent zero: a forecast of 0 is possible
  return std::any_of(f.mean.begin(), f.mean.end(), [](double v) { return v < 0; });
}

void clip_at_zero(Forecast& f) {
  auto clip = [](std::vector<double>& v) {
    for (double& x : v) x = std::max(0.0, x);
  };
  clip(f.mean);
  for (auto& l : f.lower) clip(l);
  for (auto& u : f.upper) clip(u);
}

}  // namespace

namespace selection_detail {
double conformal_quantile(const std::vector<double>& sorted, double p) {
  const int n = static_cast<int>(sorted.size());
  int k = p >= 0.5 ? static_cast<int>(std::ceil((n + 1) * p)) : static_cast<int>(std::floor((n + 1) * p));
  k = std::clamp(k, 1, n);
  return sorted[k - 1];
}
}  // namespace selection_detail

SelectedForecast select_forecast(const std::vector<double>& y, int period, int horizon,
                                 const std::vector<double>& levels_in, const SelectionOptions& options) {
  if (period < 1) throw std::invalid_argument("seasonal period must be at least 1");
  if (horizon < 1) throw std::invalid_argument("forecast horizon must be at least 1");
  if (y.size() < 2) throw std::invalid_argument("a forecast needs at least 2 observations");
  if (options.origins < 1) throw std::invalid_argument("model selection needs at least 1 origin");
  if (options.candidates.empty()) throw std::invalid_argument("model selection needs at least one candidate");
  require_finite(y);
  const std::vector<double> levels = normalise_levels(levels_in);
  const int n = static_cast<int>(y.size());
  const std::vector<Kind>& kinds = options.candidates;
  const size_t nk = kinds.size();

  // 1. Every candidate on the whole series (forecast_models.h's one dispatch).
  std::vector<std::unique_ptr<FittedModel>> fits(nk);
  std::vector<ModelForecast> full(nk);
  for (size_t k = 0; k < nk; ++k) {
    if (kinds[k] == Kind::Selected) throw std::invalid_argument("model selection cannot choose among itself");
    fits[k] = fit_model(y, ModelSpec::of(kinds[k]), period);
    full[k] = fits[k]->forecast(horizon, levels);
  }

  SelectedForecast out;
  out.horizon = horizon;
  out.candidates.resize(nk);
  for (size_t k = 0; k < nk; ++k) {
    CandidateScore& c = out.candidates[k];
    c.model = ModelSpec::of(kinds[k]).label();
    c.fitted = full[k].chosen.empty() ? full[k].forecast.model : full[k].chosen;
    c.mase = kNaN;
    c.admissible = !below_zero_impossible(y, full[k].forecast);
    if (!c.admissible)
      out.notes.push_back(c.model + " (" + c.fitted + ") not admissible: its forecast goes below 0 for a series with "
                          "no zero in its last 24 months");
  }

  // 2. The rolling-origin back-test: training lengths first..n-horizon.
  const int first = std::max(n - horizon - options.origins + 1, period + 1);
  const int origins = std::max(0, n - horizon - first + 1);
  // means[k][r][h]
  std::vector<std::vector<std::vector<double>>> means(nk, std::vector<std::vector<double>>(std::max(origins, 0)));
  std::vector<double> scale(std::max(origins, 0));
  if (origins >= options.min_origins) {
    for (int r = 0; r < origins; ++r) {
      const int o = first + r;
      const std::vector<double> train(y.begin(), y.begin() + o);
      scale[r] = mase_scale(train, period);
      for (size_t k = 0; k < nk; ++k) {
        // The whole series' model re-estimated on the prefix (ETS keeps its form).
        std::vector<double>& m = means[k][r];
        m = fits[k]->refit(train)->forecast(horizon, {80}).forecast.mean;
        for (double& v : m) v = std::max(0.0, v);  // counts: scored as shown
      }
    }
    const bool scaled = std::any_of(scale.begin(), scale.end(), [](double s) { return s > 0; });
    out.criterion = scaled ? "MASE" : "MAE";
    out.origins = origins;
    for (size_t k = 0; k < nk; ++k) {
      double sum = 0;
      int count = 0;
      for (int r = 0; r < origins; ++r) {
        if (scaled && !(scale[r] > 0)) continue;
        double abs = 0;
        for (int h = 0; h < horizon; ++h) abs += std::fabs(y[first + r + h] - means[k][r][h]);
        sum += abs / horizon / (scaled ? scale[r] : 1.0);
        ++count;
      }
      out.candidates[k].origins = count;
      out.candidates[k].mase = count ? sum / count : kNaN;
    }
  } else {
    out.notes.push_back("only " + std::to_string(std::max(origins, 0)) + " back-test origins (at least " +
                        std::to_string(options.min_origins) + " are needed to choose a model): the first candidate is used");
  }

  // 3. The choice.
  int best = -1;
  for (size_t k = 0; k < nk; ++k) {
    const CandidateScore& c = out.candidates[k];
    if (!c.admissible) continue;
    if (out.origins > 0) {
      if (std::isfinite(c.mase) && (best < 0 || c.mase < options.margin * out.candidates[best].mase))
        best = static_cast<int>(k);
    } else if (best < 0) {
      best = static_cast<int>(k);  // no back-test: the first admissible candidate
    }
  }
  ModelForecast chosen;
  if (best >= 0) {
    chosen = full[best];
    out.chosen = out.candidates[best].model;
  } else {
    chosen = forecast_model(y, ModelSpec::of(Kind::Naive), period, horizon, levels);
    out.chosen = "naive";
    out.notes.push_back("no candidate admissible or scored: naive forecast");
  }
  Forecast& f = chosen.forecast;
  if (!f.note.empty()) out.notes.push_back(f.note);
  for (double& v : f.mean) v = std::max(0.0, v);

  // 4. Intervals from the chosen model's back-test errors.
  const bool nonnegative = std::none_of(y.begin(), y.end(), [](double v) { return v < 0; });
  std::vector<double> s(horizon, 0.0), scores;
  if (best >= 0 && out.origins > 0 && nonnegative) {
    for (int h = 0; h < horizon; ++h) {
      for (int r = 0; r < origins; ++r) s[h] += std::fabs(std::log1p(y[first + r + h]) - std::log1p(means[best][r][h]));
      s[h] /= origins;
      if (h > 0) s[h] = std::max(s[h], s[h - 1]);
    }
    for (int r = 0; r < origins; ++r)
      for (int h = 0; h < horizon; ++h)
        if (s[h] > 0) scores.push_back(std::fabs(std::log1p(y[first + r + h]) - std::log1p(means[best][r][h])) / s[h]);
  }
  out.calibration_errors = static_cast<int>(scores.size());
  if (out.calibration_errors >= options.min_calibration_errors) {
    std::sort(scores.begin(), scores.end());
    out.calibrated = true;
    for (size_t i = 0; i < levels.size(); ++i) {
      const double q = selection_detail::conformal_quantile(scores, levels[i] / 100);
      for (int h = 0; h < horizon; ++h) {
        const double base = std::log1p(f.mean[h]);
        f.lower[i][h] = std::expm1(base - s[h] * q);
        f.upper[i][h] = std::expm1(base + s[h] * q);
      }
    }
  } else {
    out.notes.push_back(nonnegative ? "intervals are the model's own, not calibrated (" +
                                          std::to_string(out.calibration_errors) + " back-test errors; at least " +
                                          std::to_string(options.min_calibration_errors) + " are needed)"
                                    : "intervals are the model's own, not calibrated (the series has negative values)");
  }
  clip_at_zero(f);
  out.forecast = std::move(f);
  out.forecast.note.clear();
  return out;
}

}  // namespace atalaya
