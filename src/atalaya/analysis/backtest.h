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
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "atalaya/analysis/ets.h"

namespace atalaya {

struct ModelSpec {
  enum class Kind {
    Naive,          // naive_forecast
    SeasonalNaive,  // seasonal_naive_forecast with the back-test's period
    AutoEts,        // auto_ets at every origin
    Ets,            // fit_ets with `ets` at every origin
  };
  Kind kind = Kind::AutoEts;
  EtsSpec ets;  // Kind::Ets only

  // "naive", "snaive", "ets" or the ETS model name, e.g. "ETS(A,Ad,M)".
  std::string label() const;
  // Accepts the labels above (case-insensitive) and any form EtsSpec::parse
  // accepts; throws std::invalid_argument otherwise.
  static ModelSpec parse(std::string_view text);
};

struct ModelScore {
  std::string model;        // ModelSpec::label()
  int origins_scored = 0;   // origins at which the model produced a forecast
  int failures = 0;         // origins at which it could not be fitted (see BacktestResult::notes)
  int fallbacks = 0;        // auto ETS origins that fell back to the naive forecast
  double mase = 0;          // NaN if no origin had a non-zero scale
  double smape = 0;         // percent, 0..200
  double relative_mase = 0; // mase / seasonal naive mase over the same origins; NaN if undefined
  std::vector<double> mase_by_horizon;  // [h-1]: mean scaled |error| at horizon h
  std::vector<double> coverage;         // [i]: share of actuals inside the levels[i]% interval
  std::map<std::string, int> chosen;    // auto ETS: model name -> number of origins it was chosen
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

}  // namespace atalaya
