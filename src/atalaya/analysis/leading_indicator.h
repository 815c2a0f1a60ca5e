// Leading-indicator forecasts: a downstream series (U.S. encounters of one
// citizenship) forecast from checkpoints upstream on the same route (Darién,
// Mexico) at their transit lags, and a back-test that says whether doing so
// beats the univariate forecast.
//
// Model: an autoregressive distributed-lag regression on the log1p scale,
//   log1p(y_t) = a + c log1p(y_{t-1}) + sum_k b_k log1p(x_{k, t-L_k}) + e_t,
// fitted by ordinary least squares on every month where y_{t-1} and each
// lagged upstream value are observed; e_t ~ N(0, sigma^2) with sigma^2 the
// residual variance (SSE / (rows - parameters)). log1p keeps zero months
// usable and makes a surge upstream a proportional surge downstream.
// Forecasts are built month by month along simulated paths (fixed seed):
//   - for h <= L_k the upstream regressor has been observed: it is used as is;
//   - beyond the lag (or beyond the upstream's last month) the upstream value
//     is drawn from its own auto_ets forecast, Gaussian with the forecast's
//     mean and standard deviation, one draw per path and upstream for all
//     months (forecast errors of a level persist month to month), cut at 0;
//   - the downstream's own next month uses the path's previous value.
// Each path is mapped back through expm1 (cut at 0: counts are not negative);
// intervals are quantiles of the paths, and the point forecast (Forecast::mean)
// is the path MEDIAN, i.e. no log-normal mean correction: on series this
// volatile exp(sigma^2 / 2) would inflate forecasts, and the median is the
// forecast that minimises absolute error, which MASE scores. Uncertainty in
// the estimated coefficients is not included (intervals are a little narrow).
// The model has no seasonal terms: a strongly seasonal downstream favours ETS.
// With no upstream series the same regression is a log1p AR(1),
// "Log-AR(1)": the control that tells whether the upstream terms add anything
// beyond the model's form (a back-test win over ETS may come from either).
//
// Falls back to the univariate auto_ets forecast, with a note saying why,
// when the upstream and downstream overlap for too few months (or, without
// upstream series, the downstream is that short) or the regression is
// singular (an upstream that is constant, or a copy of another).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "atalaya/analysis/backtest.h"
#include "atalaya/analysis/forecast.h"

namespace atalaya {

// One upstream checkpoint's monthly counts, placed on the downstream's
// calendar: values[j] is the month start + j, counted from the downstream's
// first month (negative: the upstream starts earlier). Values finite, >= 0.
struct LeadingSeries {
  std::string name;  // e.g. "pa-snm-darien"
  std::vector<double> values;
  int start = 0;
  int lag = 0;  // months the downstream follows it by (>= 0)
};

// Fewer fitted months than this and the regression is not trusted.
inline constexpr int kMinLeadingOverlap = 24;

struct LeadingOptions {
  int period = 12;                    // seasonal period for the univariate ETS forecasts
  int min_overlap = kMinLeadingOverlap;
  int paths = 2000;                   // simulated paths for the intervals
  uint64_t seed = 0x6C656164696E67;   // same inputs, same forecast
};

struct LeadingFit {
  bool fitted = false;     // false: not usable (see note); forecasts fall back to auto_ets
  std::string name;        // "Leading(pa-snm-darien:2)"; "Log-AR(1)" without upstream series
  double intercept = 0;
  double autoregressive = 0;         // c, on log1p(y_{t-1})
  std::vector<double> coefficients;  // b_k, one per upstream in input order
  double sigma2 = 0;                 // residual variance on the log1p scale
  std::vector<double> residuals;     // log1p(y_t) - fitted, for the months fitted
  int months = 0;                    // months the regression rests on
  int first_month = 0, last_month = 0;  // downstream indices of the first and last fitted month
  std::string note;                  // why it was not fitted, or what it rests on
};

// Fits the regression. Never throws for too little data (fitted = false);
// throws std::invalid_argument if y or an upstream holds a negative or
// non-finite value or a lag is negative.
LeadingFit fit_leading(const std::vector<double>& y, const std::vector<LeadingSeries>& upstream,
                       int min_overlap = kMinLeadingOverlap);

struct LeadingForecast {
  Forecast forecast;      // model: the fit's name, or the fallback's ETS name
  LeadingFit fit;
  bool fallback = false;  // the univariate auto_ets forecast was used instead
};

// Forecasts y for h = 1..horizon (see the header comment). The note says
// which upstream months are observed and which come from an upstream forecast,
// or why the forecast fell back. Throws std::invalid_argument as fit_leading,
// for horizon < 1, a level outside (0, 100), or y with fewer than 2 values.
LeadingForecast forecast_leading(const std::vector<double>& y, const std::vector<LeadingSeries>& upstream,
                                 int horizon, const std::vector<double>& levels = {80, 95},
                                 const LeadingOptions& options = {});

// The model as a back-test model labelled "leading": at each origin every
// upstream series is cut at the origin's month (no value the forecaster could
// not have seen then; publication delays are not modelled). Origins where it
// fell back count as fallbacks; `chosen` counts the model used.
BacktestModel leading_backtest_model(std::vector<LeadingSeries> upstream, const LeadingOptions& options = {});

// The control: the same regression without upstream series, labelled "log-ar1".
BacktestModel log_ar1_backtest_model(const LeadingOptions& options = {});

// Whether the leading model beat the univariate one in a back-test that
// scored both (and seasonal naive) on the same origins. Says so either way.
struct LeadingVerdict {
  bool beats_univariate = false;      // its MASE is below the univariate model's
  bool beats_seasonal_naive = false;  // its relative MASE is below 1
  bool upstream_helps = false;        // its MASE is below the control's (false without a control)
  std::string text;                   // one sentence, with the numbers
};
// Throws std::invalid_argument if r has no model labelled `leading` or
// `univariate`; the control is compared when r holds it.
LeadingVerdict judge_leading(const BacktestResult& r, const std::string& leading = "leading",
                             const std::string& univariate = "ets", const std::string& control = "log-ar1");

struct LeadingBacktest {
  BacktestResult result;  // models "snaive", "ets", "log-ar1", "leading", in that order
  LeadingVerdict verdict;
};
// Back-tests the leading model against auto_ets, its control and seasonal
// naive on the same rolling origins. Throws as backtest().
LeadingBacktest backtest_leading(const std::vector<double>& y, const std::vector<LeadingSeries>& upstream,
                                 int horizon, int origins, const std::vector<double>& levels = {80, 95},
                                 const LeadingOptions& options = {});

}  // namespace atalaya
