// Forecast results, Gaussian intervals and the naive / seasonal naive
// baselines (see forecast.h; intervals as in R's forecast::naive / snaive).
#include "atalaya/analysis/forecast.h"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace atalaya {

std::vector<double> normalise_levels(const std::vector<double>& levels) {
  std::vector<double> out = levels;
  for (double l : out) {
    if (!(l > 0 && l < 100)) {
      throw std::invalid_argument("interval level must lie strictly between 0 and 100 (percent), got " +
                                  std::to_string(l));
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

double normal_quantile(double p) {
  if (!(p > 0 && p < 1)) throw std::invalid_argument("normal_quantile: p must lie in (0, 1)");
  // Solve in the lower tail, where erfc is accurate, and reflect.
  if (p > 0.5) return -normal_quantile(1 - p);
  if (p == 0.5) return 0;
  // Starting point: Abramowitz & Stegun 26.2.23 (error < 4.5e-4), refined below.
  const double t = std::sqrt(-2 * std::log(p));
  double x = -(t - (2.515517 + 0.802853 * t + 0.010328 * t * t) /
                       (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t));
  for (int it = 0; it < 20; ++it) {
    const double cdf = 0.5 * std::erfc(-x / std::sqrt(2.0));
    const double pdf = std::exp(-0.5 * x * x) / std::sqrt(2 * std::numbers::pi);
    if (pdf <= 0) break;
    const double r = (cdf - p) / pdf;            // Newton step
    const double step = r / (1 + 0.5 * x * r);   // Halley correction
    x -= step;
    if (std::fabs(step) < 1e-15 * std::max(1.0, std::fabs(x))) break;
  }
  return x;
}

void require_finite(const std::vector<double>& y) {
  for (size_t i = 0; i < y.size(); ++i) {
    if (!std::isfinite(y[i])) {
      throw std::invalid_argument("series value " + std::to_string(i + 1) + " is not a finite number");
    }
  }
}

Forecast gaussian_forecast(std::string model, std::vector<double> mean, const std::vector<double>& variance,
                           const std::vector<double>& levels) {
  Forecast f;
  f.model = std::move(model);
  f.levels = normalise_levels(levels);
  f.mean = std::move(mean);
  const size_t h = f.mean.size();
  f.lower.assign(f.levels.size(), std::vector<double>(h));
  f.upper.assign(f.levels.size(), std::vector<double>(h));
  for (size_t i = 0; i < f.levels.size(); ++i) {
    const double z = normal_quantile(0.5 + f.levels[i] / 200);
    for (size_t j = 0; j < h; ++j) {
      const double sd = std::sqrt(std::max(0.0, variance[j]));
      f.lower[i][j] = f.mean[j] - z * sd;
      f.upper[i][j] = f.mean[j] + z * sd;
    }
  }
  return f;
}

Forecast seasonal_naive_forecast(const std::vector<double>& y, int period, int horizon,
                                 const std::vector<double>& levels) {
  if (period < 1) throw std::invalid_argument("seasonal period must be at least 1");
  if (horizon < 1) throw std::invalid_argument("forecast horizon must be at least 1");
  const int n = static_cast<int>(y.size());
  if (n <= period) {
    throw std::invalid_argument("a lag-" + std::to_string(period) + " naive forecast needs more than " +
                                std::to_string(period) + " observations, got " + std::to_string(n));
  }
  require_finite(y);
  double sse = 0;
  for (int t = period; t < n; ++t) sse += (y[t] - y[t - period]) * (y[t] - y[t - period]);
  const double sigma2 = sse / (n - period);
  std::vector<double> mean(horizon), var(horizon);
  for (int h = 1; h <= horizon; ++h) {
    const int k = (h - 1) / period + 1;  // whole seasons ahead
    mean[h - 1] = y[n - period + (h - 1) % period];
    var[h - 1] = sigma2 * k;
  }
  return gaussian_forecast(period == 1 ? "Naive" : "Seasonal naive", std::move(mean), var, levels);
}

Forecast naive_forecast(const std::vector<double>& y, int horizon, const std::vector<double>& levels) {
  return seasonal_naive_forecast(y, 1, horizon, levels);
}

}  // namespace atalaya
