// Rolling-origin back-test ("evaluation on a rolling forecasting origin",
// Hyndman & Athanasopoulos, FPP3 section 5.10): for each of the last N
// origins that leave `horizon` observations to forecast, every model is
// refitted on the data up to the origin and forecasts h = 1..horizon.
// Accuracy, per model:
//   - MASE (Hyndman & Koehler 2006, IJF 22(4)): absolute errors scaled by the
//     in-sample MAE of the seasonal naive forecast on that origin's training
//     data (lag 1 when period = 1), averaged over horizons, then origins;
//   - sMAPE (as in the M3/M4 competitions): 200 |y - f| / (|y| + |f|), in
//     percent, 0 when both are 0, averaged over all forecasts;
//   - empirical coverage of each prediction interval;
//   - MASE relative to the seasonal naive forecast on the same origins
//     (below 1: the model beats the reference).
// A model is either one of the univariate specs of forecast_models.h (ModelSpec) or any
// function that forecasts from the training prefix (BacktestModel), such as
// the leading-indicator model; all are scored the same way on the same origins.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "atalaya/analysis/forecast_models.h"

namespace atalaya {

// What a model produced at one origin (forecast_models.h).
using OriginForecast = ModelForecast;

// A model as the back-test runs it. `forecast` receives the training prefix
// (y's values before the origin), the horizon and the interval levels, and
// must use nothing later than the prefix: anything it captures (an upstream
// series) it cuts at the same month. It throws std::invalid_argument when it
// cannot be fitted at that origin (counted as a failure, not fatal).
struct BacktestModel {
  std::string label;
  std::function<OriginForecast(const std::vector<double>& train, int horizon, const std::vector<double>& levels)>
      forecast;
};

// The back-test form of a univariate spec, with the seasonal period `period`.
BacktestModel backtest_model(const ModelSpec& spec, int period);

struct ModelScore {
  std::string model;        // ModelSpec::label()
  int origins_scored = 0;   // origins at which the model produced a forecast
  int failures = 0;         // origins at which it could not be fitted (see BacktestResult::notes)
  int fallbacks = 0;        // origins at which the model fell back (auto ETS: to the naive forecast)
  double mase = 0;          // NaN if no origin had a non-zero scale
  double smape = 0;         // percent, 0..200
  double relative_mase = 0; // mase / seasonal naive mase over the same origins; NaN if undefined
  std::vector<double> mase_by_horizon;  // [h-1]: mean scaled |error| at horizon h
  std::vector<double> coverage;         // [i]: share of actuals inside the levels[i]% interval
  std::map<std::string, int> chosen;    // auto ETS (and models that report one): model name -> origins it was used
};

struct BacktestResult {
  int period = 1;
  int horizon = 1;
  std::vector<int> origins;            // training lengths, ascending
  std::vector<double> levels;          // interval levels scored, ascending
  double reference_mase = 0;           // seasonal naive (naive if period = 1) over all origins
  std::vector<ModelScore> models;      // in the order requested
  std::vector<std::string> notes;      // failures, origins without a MASE scale
};

// Runs the back-test. The first origin's training data must hold at least
// period + 1 values (for the seasonal naive scale): that is,
// y.size() - horizon - origins + 1 >= period + 1.
// Throws std::invalid_argument when that fails, when horizon, origins or
// period is below 1, models is empty, y has a non-finite value, or a level is
// outside (0, 100). A model that cannot be fitted at an origin (e.g. a
// multiplicative ETS model on data with a zero) is counted in `failures` and
// left out of that origin's scores; it does not stop the back-test.
BacktestResult backtest(const std::vector<double>& y, int period, int horizon, int origins,
                        const std::vector<ModelSpec>& models, const std::vector<double>& levels = {80, 95});
// The same with models given as functions (backtest() runs through this).
// Throws std::logic_error if a model returns a forecast of the wrong horizon
// or without one interval per level. When `cancelled` is given and becomes
// true (the caller has gone), stops before the next origin with
// atalaya::Error(Busy) (stop_if_cancelled).
BacktestResult backtest_models(const std::vector<double>& y, int period, int horizon, int origins,
                               const std::vector<BacktestModel>& models,
                               const std::vector<double>& levels = {80, 95},
                               const std::atomic<bool>* cancelled = nullptr);

// Throws atalaya::Error(Busy) when `cancelled` is set: long work's check
// between steps, so a server can abandon it when its client goes away.
void stop_if_cancelled(const std::atomic<bool>* cancelled);

}  // namespace atalaya
