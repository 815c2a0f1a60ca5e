// Rolling-origin back-test (see backtest.h): MASE, sMAPE, interval coverage.
#include "atalaya/analysis/backtest.h"

#include <cctype>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "atalaya/core/error.h"
#include "atalaya/core/text.h"

namespace atalaya {
namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// In-sample MAE of the lag-`period` naive forecast: the MASE denominator.
double mase_scale(const std::vector<double>& train, int period) {
  double sum = 0;
  const int n = static_cast<int>(train.size());
  for (int t = period; t < n; ++t) sum += std::fabs(train[t] - train[t - period]);
  return sum / (n - period);
}

// Running sums for one model.
struct Accumulator {
  double mase_sum = 0;      // over origins with a non-zero scale
  double ref_mase_sum = 0;  // the reference's MASE at those same origins
  int mase_origins = 0;
  double smape_sum = 0;
  int points = 0;           // forecasts scored (origins x horizon)
  std::vector<double> by_h;
  std::vector<int> covered;  // per level
  std::string first_failure;
};

}  // namespace

BacktestModel backtest_model(const ModelSpec& spec, int period) {
  BacktestModel model;
  model.label = spec.label();
  model.forecast = [spec, period](const std::vector<double>& train, int horizon, const std::vector<double>& levels) {
    return forecast_model(train, spec, period, horizon, levels);
  };
  return model;
}

BacktestResult backtest(const std::vector<double>& y, int period, int horizon, int origins,
                        const std::vector<ModelSpec>& models, const std::vector<double>& levels) {
  std::vector<BacktestModel> functions;
  for (const ModelSpec& spec : models) functions.push_back(backtest_model(spec, period));
  return backtest_models(y, period, horizon, origins, functions, levels);
}

void stop_if_cancelled(const std::atomic<bool>* cancelled) {
  if (cancelled && cancelled->load(std::memory_order_relaxed))
    throw Error(ErrorCode::Busy, "", "stopped: the request was cancelled (its client went away or its time ran out)");
}

BacktestResult backtest_models(const std::vector<double>& y, int period, int horizon, int origins,
                               const std::vector<BacktestModel>& models, const std::vector<double>& levels,
                               const std::atomic<bool>* cancelled) {
  if (period < 1) throw std::invalid_argument("seasonal period must be at least 1");
  if (horizon < 1) throw std::invalid_argument("back-test horizon must be at least 1");
  if (origins < 1) throw std::invalid_argument("back-test needs at least 1 origin");
  if (models.empty()) throw std::invalid_argument("back-test needs at least one model");
  require_finite(y);
  const int n = static_cast<int>(y.size());
  const int first = n - horizon - origins + 1;  // shortest training set
  if (first < period + 1) {
    throw std::invalid_argument("series too short for the back-test: " + std::to_string(n) + " values, " +
                                std::to_string(origins) + " origins and horizon " + std::to_string(horizon) +
                                " leave " + std::to_string(std::max(first, 0)) +
                                " training values at the first origin; at least " + std::to_string(period + 1) +
                                " are needed");
  }

  BacktestResult result;
  result.period = period;
  result.horizon = horizon;
  result.levels = normalise_levels(levels);
  const size_t nl = result.levels.size();
  for (int o = first; o <= n - horizon; ++o) result.origins.push_back(o);

  std::vector<Accumulator> acc(models.size());
  result.models.resize(models.size());
  for (size_t k = 0; k < models.size(); ++k) {
    acc[k].by_h.assign(horizon, 0.0);
    acc[k].covered.assign(nl, 0);
    result.models[k].model = models[k].label;
  }
  double ref_total = 0;
  int ref_count = 0, zero_scale = 0;

  for (int o : result.origins) {
    stop_if_cancelled(cancelled);
    const std::vector<double> train(y.begin(), y.begin() + o);
    const double scale = mase_scale(train, period);
    const bool scaled = scale > 0;  // a flat training set has no MASE scale
    if (!scaled) ++zero_scale;
    double ref_mase = kNaN;
    if (scaled) {
      const Forecast ref = seasonal_naive_forecast(train, period, horizon, result.levels);
      double sum = 0;
      for (int h = 0; h < horizon; ++h) sum += std::fabs(y[o + h] - ref.mean[h]);
      ref_mase = sum / horizon / scale;
      ref_total += ref_mase;
      ++ref_count;
    }
    for (size_t k = 0; k < models.size(); ++k) {
      Accumulator& a = acc[k];
      ModelScore& score = result.models[k];
      OriginForecast result_at;
      try {
        result_at = models[k].forecast(train, horizon, result.levels);
      } catch (const std::invalid_argument& e) {
        // Documented inability to fit at this origin (e.g. a multiplicative
        // model on data with a zero): count it, score the other origins.
        ++score.failures;
        if (a.first_failure.empty()) a.first_failure = e.what();
        continue;
      }
      const Forecast& f = result_at.forecast;
      if (f.horizon() != horizon || f.lower.size() != nl || f.upper.size() != nl)
        throw std::logic_error("back-test model " + score.model + " returned " + std::to_string(f.horizon()) +
                               " forecasts and " + std::to_string(f.lower.size()) + " intervals (expected " +
                               std::to_string(horizon) + " and " + std::to_string(nl) + ")");
      if (result_at.fallback) ++score.fallbacks;
      if (!result_at.chosen.empty()) ++score.chosen[result_at.chosen];
      ++score.origins_scored;
      double abs_sum = 0;
      for (int h = 0; h < horizon; ++h) {
        const double actual = y[o + h], fc = f.mean[h];
        const double err = std::fabs(actual - fc);
        abs_sum += err;
        if (scaled) a.by_h[h] += err / scale;
        const double denom = std::fabs(actual) + std::fabs(fc);
        a.smape_sum += denom > 0 ? 200 * err / denom : 0.0;
        ++a.points;
        for (size_t i = 0; i < nl; ++i)
          if (f.lower[i][h] <= actual && actual <= f.upper[i][h]) ++a.covered[i];
      }
      if (scaled) {
        a.mase_sum += abs_sum / horizon / scale;
        a.ref_mase_sum += ref_mase;
        ++a.mase_origins;
      }
    }
  }

  result.reference_mase = ref_count > 0 ? ref_total / ref_count : kNaN;
  for (size_t k = 0; k < models.size(); ++k) {
    const Accumulator& a = acc[k];
    ModelScore& score = result.models[k];
    score.mase = a.mase_origins > 0 ? a.mase_sum / a.mase_origins : kNaN;
    score.relative_mase = a.mase_origins > 0 && a.ref_mase_sum > 0 ? a.mase_sum / a.ref_mase_sum : kNaN;
    score.smape = a.points > 0 ? a.smape_sum / a.points : kNaN;
    score.mase_by_horizon.assign(horizon, kNaN);
    if (a.mase_origins > 0)
      for (int h = 0; h < horizon; ++h) score.mase_by_horizon[h] = a.by_h[h] / a.mase_origins;
    score.coverage.assign(nl, kNaN);
    if (a.points > 0)
      for (size_t i = 0; i < nl; ++i) score.coverage[i] = static_cast<double>(a.covered[i]) / a.points;
    if (score.failures > 0) {
      result.notes.push_back(score.model + ": not fitted at " + std::to_string(score.failures) + " of " +
                             std::to_string(result.origins.size()) + " origins (" + a.first_failure + ")");
    }
  }
  if (zero_scale > 0) {
    result.notes.push_back(std::to_string(zero_scale) + " of " + std::to_string(result.origins.size()) +
                           " origins have flat training data (no seasonal naive error to scale by): left out of MASE");
  }
  return result;
}

}  // namespace atalaya
