// Forecast results shared by every univariate forecasting method, and the two
// baselines every model must beat: the naive (random walk) and the seasonal
// naive forecasts, with prediction intervals computed as R's forecast::naive
// and forecast::snaive do (Hyndman & Athanasopoulos, "Forecasting: Principles
// and Practice", 3rd ed., section 5.5): the residual variance of the lag-k
// walk, sigma^2 = mean of (y_t - y_{t-k})^2, grows with the number of whole
// seasons ahead, sd_h = sigma * sqrt(floor((h - 1) / k) + 1).
//
// Contracts common to this module: series are plain vectors of finite values
// in time order, one value per period; intervals are Gaussian unless the
// method says otherwise; interval levels are percentages in (0, 100).
#pragma once

#include <string>
#include <vector>

namespace atalaya {

struct Forecast {
  std::string model;                       // e.g. "Naive", "Seasonal naive", "ETS(A,Ad,M)"
  std::vector<double> mean;                // point forecasts for h = 1..horizon
  std::vector<double> levels;              // interval levels in percent, ascending (e.g. 80, 95)
  std::vector<std::vector<double>> lower;  // lower[i][h-1]: lower bound of the levels[i]% interval
  std::vector<std::vector<double>> upper;  // upper[i][h-1]: upper bound of the levels[i]% interval
  std::string note;                        // why a fallback or restriction applied; empty if none

  int horizon() const { return static_cast<int>(mean.size()); }
};

// The interval levels sorted ascending (duplicates removed). Throws
// std::invalid_argument unless every level lies strictly between 0 and 100.
std::vector<double> normalise_levels(const std::vector<double>& levels);

// Inverse of the standard normal distribution function, for p in (0, 1)
// (Newton-Halley iterations on std::erfc; accurate to ~1e-15). Throws
// std::invalid_argument outside (0, 1).
double normal_quantile(double p);

// A Forecast with symmetric Gaussian intervals mean[h] -/+ z * sqrt(variance[h]).
// variance must have mean's length; negative variances are treated as 0.
Forecast gaussian_forecast(std::string model, std::vector<double> mean,
                           const std::vector<double>& variance,
                           const std::vector<double>& levels);

// Naive (random walk) forecast: every future value equals the last
// observation; sd_h = sigma * sqrt(h), sigma^2 = mean squared first difference.
// Throws std::invalid_argument if y has fewer than 2 values or a non-finite
// value, horizon < 1, or a level outside (0, 100).
Forecast naive_forecast(const std::vector<double>& y, int horizon,
                        const std::vector<double>& levels = {80, 95});

// Seasonal naive forecast: y_{n+h} = y_{n+h-k*period} for the smallest whole
// k; sd_h = sigma * sqrt(k), sigma^2 = mean squared seasonal difference.
// period = 1 gives the naive forecast. Throws std::invalid_argument if
// period < 1, y has no more than `period` values or a non-finite value,
// horizon < 1, or a level outside (0, 100).
Forecast seasonal_naive_forecast(const std::vector<double>& y, int period, int horizon,
                                 const std::vector<double>& levels = {80, 95});

// Throws std::invalid_argument naming the first non-finite value, if any.
void require_finite(const std::vector<double>& y);

}  // namespace atalaya
