// Synthetic series with known structure for the forecasting tests: a
// reproducible normal source and generators for ETS(A,N,N), multiplicative
// seasonal and linear-trend data. Only tests include this header.
#pragma once

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <vector>

#include "atalaya/core/normal_draws.h"

namespace atalaya::testing {

using Normal = NormalDraws;  // see core/normal_draws.h

// ETS(A,N,N): y_t = l_{t-1} + e_t, l_t = l_{t-1} + alpha e_t.
inline std::vector<double> simulate_ann(int n, double alpha, double sigma, uint64_t seed) {
  Normal z(seed);
  double level = 100;
  std::vector<double> y;
  for (int t = 0; t < n; ++t) {
    const double e = sigma * z();
    y.push_back(level + e);
    level += alpha * e;
  }
  return y;
}

// Level (growing 0.5% a month) times a strong monthly seasonal index, with 3%
// multiplicative noise.
inline std::vector<double> seasonal_multiplicative(int n, uint64_t seed) {
  Normal z(seed);
  std::vector<double> y;
  for (int t = 0; t < n; ++t) {
    const double level = 100 * (1 + 0.005 * t);
    const double angle = 2 * std::numbers::pi * t / 12;
    const double index = 1 + 0.4 * std::sin(angle) + 0.15 * std::cos(2 * angle);
    y.push_back(level * index * (1 + 0.03 * z()));
  }
  return y;
}

// 50 + 2t with normal noise of standard deviation 3.
inline std::vector<double> linear_trend(int n, uint64_t seed) {
  Normal z(seed);
  std::vector<double> y;
  for (int t = 0; t < n; ++t) y.push_back(50 + 2 * t + 3 * z());
  return y;
}

}  // namespace atalaya::testing
