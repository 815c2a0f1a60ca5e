// The Theta method as forecast::thetaf computes it (see theta.h).
#include "atalaya/analysis/theta.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "atalaya/analysis/ets.h"

namespace atalaya {
namespace {

// thetaf's test: is the lag-m autocorrelation significant at 90% (one-sided 95%)?
bool seasonality_test(const std::vector<double>& y, int m) {
  const int n = static_cast<int>(y.size());
  double mean = 0;
  for (double v : y) mean += v;
  mean /= n;
  double c0 = 0;
  for (double v : y) c0 += (v - mean) * (v - mean);
  if (!(c0 > 0)) return false;
  std::vector<double> r(m + 1);
  for (int k = 1; k <= m; ++k) {
    double c = 0;
    for (int t = 0; t + k < n; ++t) c += (y[t] - mean) * (y[t + k] - mean);
    r[k] = c / c0;
  }
  double s = 0;
  for (int k = 1; k < m; ++k) s += r[k] * r[k];
  const double stat = std::sqrt((1 + 2 * s) / n);
  return std::fabs(r[m]) / stat > normal_quantile(0.95);
}

// R's decompose(type = "multiplicative")$figure: the m seasonal indices, or
// empty when one is not finite or (near) zero.
std::vector<double> multiplicative_indices(const std::vector<double>& y, int m) {
  const int n = static_cast<int>(y.size());
  // Centred moving average: weights 1/m (m odd) or (1/2, 1, ..., 1, 1/2)/m (m even).
  const int half = m / 2;
  std::vector<double> sum(m, 0.0);
  std::vector<int> count(m, 0);
  for (int t = half; t + half < n; ++t) {
    double trend = 0;
    for (int j = -half; j <= half; ++j) {
      const double w = (m % 2 == 0 && (j == -half || j == half)) ? 0.5 : 1.0;
      trend += w * y[t + j];
    }
    trend /= m;
    const double ratio = y[t] / trend;
    if (std::isnan(ratio)) continue;  // 0 / 0: R's mean(na.rm = TRUE) drops it
    sum[t % m] += ratio;
    ++count[t % m];
  }
  std::vector<double> figure(m);
  double total = 0;
  for (int i = 0; i < m; ++i) {
    if (count[i] == 0) return {};
    figure[i] = sum[i] / count[i];
    total += figure[i];
  }
  const double mean = total / m;
  if (!std::isfinite(mean) || !(std::fabs(mean) > 0)) return {};
  for (double& f : figure) {
    f /= mean;
    if (!std::isfinite(f) || std::fabs(f) < 1e-10) return {};
  }
  return figure;
}

}  // namespace

ThetaFit fit_theta(const std::vector<double>& y, int period) {
  if (period < 1) throw std::invalid_argument("seasonal period must be at least 1");
  require_finite(y);
  const int n = static_cast<int>(y.size());
  if (n < 4) throw std::invalid_argument("the Theta method needs at least 4 observations, got " + std::to_string(n));
  ThetaFit fit;
  fit.n = n;
  fit.period = period;
  const bool constant = std::all_of(y.begin(), y.end(), [&](double v) { return v == y[0]; });
  std::vector<double> x = y;
  if (period > 1 && !constant && n > 2 * period && seasonality_test(y, period)) {
    fit.indices = multiplicative_indices(y, period);
    fit.seasonal = !fit.indices.empty();
    if (fit.seasonal)
      for (int t = 0; t < n; ++t) x[t] /= fit.indices[t % period];
  }
  const EtsFit ses = fit_ets(x, 1, EtsSpec{EtsError::Additive, EtsTrend::None, EtsSeason::None});
  fit.alpha = std::max(1e-10, ses.alpha);
  fit.level = ses.last.level;
  fit.sigma2 = ses.sigma2;
  // Least-squares slope of x on t = 0..n-1, halved (thetaf's drift).
  const double tbar = (n - 1) / 2.0;
  double xbar = 0;
  for (double v : x) xbar += v;
  xbar /= n;
  double sxy = 0, sxx = 0;
  for (int t = 0; t < n; ++t) {
    sxy += (t - tbar) * (x[t] - xbar);
    sxx += (t - tbar) * (t - tbar);
  }
  fit.drift = sxy / sxx / 2;
  return fit;
}

Forecast forecast_theta(const ThetaFit& fit, int horizon, const std::vector<double>& levels) {
  if (horizon < 1) throw std::invalid_argument("forecast horizon must be at least 1");
  const double a = fit.alpha;
  const double start = (1 - std::pow(1 - a, fit.n)) / a;
  std::vector<double> mean(horizon), var(horizon);
  for (int h = 1; h <= horizon; ++h) {
    double f = fit.level + fit.drift * ((h - 1) + start);
    if (fit.seasonal) f *= fit.indices[(fit.n + h - 1) % fit.period];
    mean[h - 1] = f;
    var[h - 1] = fit.sigma2 * ((h - 1) * a * a + 1);
  }
  return gaussian_forecast("Theta", std::move(mean), var, levels);
}

}  // namespace atalaya
