// The default forecast ("auto"): the model is chosen per series by a
// rolling-origin back-test on that series' own history, and the prediction
// intervals are calibrated on the chosen model's back-test errors.
//
// Selection. Candidates (SelectionOptions::candidates, in order; by default
// naive and Theta, the two that did best on the corridor benchmark, see
// bench/README.md; seasonal naive, ETS, damped ETS and the combination can
// be added). At each of the last `origins` training lengths that leave
// `horizon` months to forecast (each with at least period + 1 months), every
// candidate forecasts h = 1..horizon from the data before the origin; its
// MASE is the mean over origins of the mean absolute error over horizons
// divided by that origin's in-sample seasonal naive MAE (MAE when no origin
// has a scale). A candidate replaces an earlier one only when its MASE is
// below `margin` times the earlier one's (12 to 36 origins are a small
// sample: the simpler model keeps near-ties).
// To keep this affordable the ETS models are chosen once, on the whole
// series, and only their parameters are re-estimated at each origin.
// A candidate is not admissible when its forecast of the whole series goes
// below 0 while the series has no zero in its last 24 months (a trend run
// through zero: an impossible forecast of a count that is never zero).
// With fewer than min_origins origins there is no selection: the first
// admissible candidate is used, and the answer says so.
//
// Intervals. From the chosen model's back-test: errors on the log1p scale,
// d = log1p(actual) - log1p(forecast), have a scale per horizon s_h (mean
// |d| at horizon h, made non-decreasing in h); the scores |d| / s_h of every
// origin and horizon are pooled, and the level-L interval at horizon h is
// expm1(log1p(f_h) -/+ s_h q), q the split-conformal L% quantile of the
// scores (normalised absolute residuals). The intervals are therefore
// multiplicative (wider above than below) and never below 0. With fewer
// than min_calibration_errors scores, or a series with a negative value, the
// model's own intervals are kept (cut at 0) and the answer says they are not
// calibrated.
// Point forecasts are cut at 0 (counts).
#pragma once

#include <string>
#include <vector>

#include "atalaya/analysis/forecast_models.h"

namespace atalaya {

struct SelectionOptions {
  int origins = 36;
  int min_origins = 2;
  int min_calibration_errors = 12;
  // A candidate replaces an earlier (simpler) one only when its MASE is
  // below margin x the earlier one's: 12 origins are a small sample.
  double margin = 0.9;
  std::vector<ModelSpec::Kind> candidates{ModelSpec::Kind::Naive, ModelSpec::Kind::Theta};
};

struct CandidateScore {
  std::string model;        // label: "naive", "snaive", "ets", "theta", "combination"
  std::string fitted;       // the model fitted to the whole series, e.g. "ETS(M,A,N)"
  double mase = 0;          // back-test MASE (NaN when not scored)
  int origins = 0;          // origins scored
  bool admissible = true;   // see the header comment
};

struct SelectedForecast {
  Forecast forecast;         // the chosen model's forecast, calibrated intervals, cut at 0
  std::string chosen;        // label of the chosen candidate
  std::vector<CandidateScore> candidates;  // in SelectionOptions::candidates order
  int origins = 0;           // back-test origins used for the choice (0: no selection)
  int horizon = 0;
  std::string criterion;     // "MASE" or "MAE"
  bool calibrated = false;   // intervals from the back-test errors
  int calibration_errors = 0;// scores they rest on
  std::vector<std::string> notes;  // why no selection / no calibration, inadmissible candidates
};

// Throws std::invalid_argument for fewer than 2 values, a non-finite value,
// period < 1, horizon < 1, a level outside (0, 100), or options with
// origins < 1 or no candidate.
SelectedForecast select_forecast(const std::vector<double>& y, int period, int horizon,
                                 const std::vector<double>& levels = {80, 95}, const SelectionOptions& options = {});

namespace selection_detail {
// Split-conformal quantile of n sorted scores at probability p: the
// ceil((n + 1) p)-th smallest (clamped to 1..n) for p >= 0.5, the
// floor((n + 1) p)-th smallest (clamped likewise) below.
double conformal_quantile(const std::vector<double>& sorted, double p);
}  // namespace selection_detail

}  // namespace atalaya
