// The forecasting models Atalaya offers, named by one enum, and the one
// table that maps each to its name and its fit (fit_model). The forecast and
// backtest commands, the HTTP API, the per-series model selection and the
// forecast_exceedance detector all fit and forecast through it: a new model
// is one row of the table (forecast_models.cpp) and one Kind.
//
// Models (ModelSpec::Kind, label as the command line spells it):
//   naive        last value carried forward (forecast.h)
//   snaive       the same month a year earlier (forecast.h); naive for a
//                series no longer than one period
//   ets          automatic ETS by AICc (ets.h)
//   ETS(A,Ad,M)  one given ETS model (fit_ets; throws when it cannot be fitted)
//   damped       automatic ETS among damped-trend models only
//   theta        the standard Theta method (theta.h)
//   combination  the median, month by month, of ets, theta and damped (point
//                forecasts and each interval bound), as in the M4 benchmarks'
//                combinations
//   auto         chosen per series by a rolling-origin back-test on the
//                series' own history, with intervals calibrated on the
//                back-test's errors (model_selection.h)
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "atalaya/analysis/ets.h"
#include "atalaya/analysis/forecast.h"

namespace atalaya {

struct ModelSpec {
  enum class Kind { Naive, SeasonalNaive, AutoEts, Ets, DampedEts, Theta, Combination, Selected };
  Kind kind = Kind::AutoEts;
  EtsSpec ets;  // Kind::Ets only

  // "naive", "snaive", "ets", the ETS model name (e.g. "ETS(A,Ad,M)"),
  // "damped", "theta", "combination" or "auto".
  std::string label() const;
  // Accepts the labels above (case-insensitive) and any form EtsSpec::parse
  // accepts; throws std::invalid_argument otherwise.
  static ModelSpec parse(std::string_view text);

  static ModelSpec of(Kind kind) {
    ModelSpec s;
    s.kind = kind;
    return s;
  }
};

// What a model produced.
struct ModelForecast {
  Forecast forecast;      // h = 1..horizon, one interval per level
  bool fallback = false;  // the model fell back to a simpler one (see forecast.note)
  std::string chosen;     // the model actually fitted, e.g. "ETS(M,A,N)" or, for auto, "theta"
};

// A model fitted to one series: its forecast, and the same model
// re-estimated on a prefix of the series (a back-test origin). What "the
// same model" keeps is the model's own: ETS keeps the form chosen on the
// whole series and re-estimates its parameters (choosing again only when
// that form cannot be fitted to the prefix; a whole-series fallback stays
// naive); the others are fitted afresh; the combination refits its parts.
class FittedModel {
 public:
  virtual ~FittedModel() = default;
  // h = 1..horizon, one interval per level (levels already checked).
  virtual ModelForecast forecast(int horizon, const std::vector<double>& levels) const = 0;
  virtual std::unique_ptr<FittedModel> refit(const std::vector<double>& prefix) const = 0;
};

// Fits `spec` to y (seasonal period `period`): the one dispatch from a model
// to its code. Throws std::invalid_argument as forecast_model does (Kind::Ets:
// a model that cannot be fitted to y).
std::unique_ptr<FittedModel> fit_model(const std::vector<double>& y, const ModelSpec& spec, int period);

// Fits `spec` to y (seasonal period `period`) and forecasts h = 1..horizon.
// Never falls silently: a fallback is flagged and its reason is in the note.
// Throws std::invalid_argument for fewer than 2 values, a non-finite value,
// horizon < 1, a level outside (0, 100), or (Kind::Ets only) a model that
// cannot be fitted to y.
ModelForecast forecast_model(const std::vector<double>& y, const ModelSpec& spec, int period, int horizon,
                             const std::vector<double>& levels = {80, 95});

// The median of several forecasts of one horizon and levels, month by month,
// for the mean and each interval bound (an even count averages the middle two).
Forecast median_forecast(std::string model, const std::vector<Forecast>& parts);

}  // namespace atalaya
