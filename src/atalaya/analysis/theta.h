// The standard Theta method (Assimakopoulos & Nikolopoulos 2000), in the form
// Hyndman & Billah (2003, IJF 19(2)) showed it to be: simple exponential
// smoothing with drift. Computed as R's forecast::thetaf (forecast 8.x):
//   1. seasonality test (period m > 1, n > 2m, series not constant): with r_k
//      the sample autocorrelations, the series is seasonal when
//      |r_m| / sqrt((1 + 2 sum_{k<m} r_k^2) / n) > qnorm(0.95);
//   2. if seasonal, classical multiplicative decomposition (R's decompose:
//      centred 2xm moving average; seasonal indices are the mean ratio to it
//      per position in the cycle, counted from the first observation, scaled
//      to average 1) and the series is divided by its indices; indices that
//      are not finite or within 1e-10 of 0 leave the series unadjusted;
//   3. SES, i.e. ETS(A,N,N) fitted by maximum likelihood (= least squares),
//      on the adjusted series x; drift b = half the least-squares slope of x
//      on time;
//   4. f_h = l_n + b ((h - 1) + (1 - (1 - alpha)^n) / alpha), reseasonalised
//      with the indices of the cycle position;
//   5. intervals f_h -/+ z sigma sqrt((h - 1) alpha^2 + 1), sigma^2 the SES
//      residual variance (as thetaf: on the adjusted scale, around the
//      reseasonalised mean).
#pragma once

#include <vector>

#include "atalaya/analysis/forecast.h"

namespace atalaya {

struct ThetaFit {
  bool seasonal = false;           // the test found a season and the series was adjusted
  std::vector<double> indices;     // m seasonal indices (cycle position from the first value); empty if not seasonal
  double alpha = 0, level = 0;     // SES smoothing parameter and final level (adjusted scale)
  double drift = 0;                // b: half the trend slope of the adjusted series
  double sigma2 = 0;               // SES residual variance
  int n = 0, period = 1;
};

// Fits the method. Throws std::invalid_argument if period < 1, y has a
// non-finite value or fewer than 4 values (SES needs more than its 2 parameters + 1).
ThetaFit fit_theta(const std::vector<double>& y, int period);

// Forecast "Theta" for h = 1..horizon. Throws std::invalid_argument for
// horizon < 1 or a level outside (0, 100).
Forecast forecast_theta(const ThetaFit& fit, int horizon, const std::vector<double>& levels = {80, 95});

}  // namespace atalaya
