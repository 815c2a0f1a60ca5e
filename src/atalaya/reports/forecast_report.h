// Forecasts and back-tests of a selection, one monthly series per `by`
// group, as the `forecast` and `backtest` commands and the HTTP API answer
// them. The largest `top` groups are kept; with `leading` the downstream
// series is forecast from upstream checkpoints of the same citizenship at
// their transit lags (leading_indicator.h), and the back-test scores that
// model beside the univariate ones on the same origins.
//
// Errors: Error(InvalidArgument) naming the parameter (core/error.h), its
// message starting with the parameter's name and a colon, without dashes
// ("horizon: must be at least 1 month", "citizenship: unknown country ...",
// "leading: no source ..."); or std::invalid_argument with a plain message
// for a selection with no data or groups all too short. Another parameter
// named inside a message or note is written "name=VALUE". The command line
// maps the parameter to its flag (src/cli/common.cpp); the server puts it in
// its error's "parameter" field.
#pragma once

#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "atalaya/analysis/backtest.h"
#include "atalaya/analysis/cube.h"
#include "atalaya/analysis/forecast.h"
#include "atalaya/analysis/model_selection.h"
#include "atalaya/analysis/series_query.h"

namespace atalaya {

struct ForecastRequest {
  SeriesQuery query;                 // selection, from/to, by (frequency/vintage unused)
  int horizon = 6;
  std::vector<double> levels{80, 95};
  std::string model = "auto";        // forecast only: auto (chosen per series by back-test), a model of
                                     // forecast_models.h, or "log-ar1" (the leading model's control)
  bool model_given = false;          // forecast only: --model was given explicitly
  std::vector<std::string> leading;  // SOURCE or SOURCE:LAG
  int max_lag = 4, lag_prior = 1;
  int top = 10;                      // 0: all groups
  int history = 12;                  // forecast only
  int origins = 12;                  // backtest only
  std::vector<std::string> models;   // backtest only; empty = defaults
  // Called before each group is fitted or back-tested: (groups done, groups
  // in all, the group's title). The command line draws its progress line with it.
  std::function<void(size_t, size_t, const std::string&)> progress;
  // When given and set (the server's client went away), the work stops
  // between groups and back-test origins with atalaya::Error(Busy).
  const std::atomic<bool>* cancelled = nullptr;
};

// ---- forecast ---------------------------------------------------------------

struct GroupForecast {
  std::string title;   // "source=pa-snm-darien citizenship=VEN"
  MonthlySeries series;
  Forecast forecast;   // clipped at 0: counts are never negative
  std::optional<SelectedForecast> selection;  // model auto: the choice and its evidence
  std::vector<std::string> notes;
};

struct ForecastResult {
  std::vector<std::string> by;
  int horizon = 0, history = 0;
  std::vector<double> levels;          // normalised: ascending, unique
  std::vector<GroupForecast> groups;   // at least one
  std::vector<std::string> skipped;    // "<title>: why"
  std::vector<std::string> notes;      // about the whole answer (groups left out by top)
};

ForecastResult run_forecasts(const Cube& cube, const ForecastRequest& request);

// {"horizon", "levels", "by", "skipped", "notes", "groups": [{"title", "group", "model", "notes",
//  "selection"? (model auto): {"chosen", "criterion", "origins", "horizon", "intervals":
//    "calibrated"|"model", "calibration_errors", "candidates": [{"model", "fitted", "mase",
//    "origins", "admissible"}]},
//  "first_month", "last_month", "history": [{"month", "value", "provisional"}],
//  "forecast": [{"month", "mean", "lower_80", "upper_80", ...}]}]}
nlohmann::json to_json(const ForecastResult& result);

// to_json(run_forecasts(cube, request)): `atalaya forecast --format json`.
nlohmann::json forecast_report(const Cube& cube, const ForecastRequest& request);

// ---- back-test ----------------------------------------------------------------

struct GroupBacktest {
  std::string title;
  MonthlySeries series;
  BacktestResult result;            // one ModelScore per requested model, in order
  std::vector<std::string> notes;
  std::string verdict;              // leading against ets, when both were scored
  bool upstream_helps = false;      // leading beat its log-ar1 control
};

// One model across groups.
struct ModelSummary {
  std::string model;
  double relative_mase = 0;  // geometric mean over the groups scored; NaN when none
  int scored = 0, beats_snaive = 0;
  int compared_with_ets = 0, beats_ets = 0;  // groups where both it and ets scored
};

struct BacktestSummary {
  std::vector<ModelSummary> models;
  // Groups where the leading model's upstream terms helped (MASE below
  // log-ar1's); set when leading, log-ar1 and ets were all scored.
  std::optional<int> upstream_helps;
};

struct BacktestRun {
  int horizon = 0, origins = 0;
  std::vector<std::string> by;
  std::vector<double> levels;
  std::vector<GroupBacktest> groups;  // at least one
  std::vector<std::string> skipped, notes;
  BacktestSummary summary;
};

BacktestRun run_backtests(const Cube& cube, const ForecastRequest& request);

// {"horizon", "origins", "levels", "skipped", "notes", "groups": [{"title", "group",
//  "first_forecast_month", "last_origin_month", "reference_mase", "notes", "verdict"?,
//  "models": [{"model", "mase", "relative_mase", "smape", "coverage_80", ..., "origins_scored",
//  "failures", "fallbacks", "mase_by_horizon", "chosen"}]}],
//  "summary": {"groups", "models": [{"model", "relative_mase", "scored", "beats_snaive",
//  "compared_with_ets", "beats_ets"}], "upstream_helps"?}}
nlohmann::json to_json(const BacktestRun& run);

// to_json(run_backtests(cube, request)): `atalaya backtest --format json`.
nlohmann::json backtest_report(const Cube& cube, const ForecastRequest& request);

// ---- shared ---------------------------------------------------------------------

// An interval level as keys and headers spell it: 80 -> "80", 97.5 -> "97.5".
std::string level_label(double level);


}  // namespace atalaya
