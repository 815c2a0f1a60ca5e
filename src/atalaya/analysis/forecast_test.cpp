// Tests for the forecast types and baselines (forecast.h): the normal
// quantile against tabulated values, naive and seasonal naive forecasts and
// intervals computed by hand, interval nesting and widening, and input checks.
#include "atalaya/analysis/forecast.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <vector>

namespace atalaya {
namespace {

// Standard normal quantiles, as tabulated (e.g. R's qnorm).
constexpr double kZ80 = 1.2815515655446004;  // qnorm(0.90)
constexpr double kZ95 = 1.959963984540054;   // qnorm(0.975)
constexpr double kZ99 = 2.5758293035489004;  // qnorm(0.995)

TEST(ForecastTest, NormalQuantileMatchesTables) {
  EXPECT_NEAR(normal_quantile(0.9), kZ80, 1e-13);
  EXPECT_NEAR(normal_quantile(0.975), kZ95, 1e-13);
  EXPECT_NEAR(normal_quantile(0.995), kZ99, 1e-13);
  EXPECT_NEAR(normal_quantile(0.025), -kZ95, 1e-13);
  EXPECT_EQ(normal_quantile(0.5), 0.0);
  // Inverse of Phi(x) = erfc(-x / sqrt 2) / 2, far lower tail included (above
  // x = 5 the double p = Phi(x) itself no longer pins x down to 1e-9).
  for (double x = -8; x <= 5; x += 0.25) {
    EXPECT_NEAR(normal_quantile(0.5 * std::erfc(-x / std::sqrt(2.0))), x, 1e-9 * std::max(1.0, std::fabs(x))) << x;
  }
  EXPECT_THROW(normal_quantile(0.0), std::invalid_argument);
  EXPECT_THROW(normal_quantile(1.0), std::invalid_argument);
}

TEST(ForecastTest, LevelsAreCheckedAndSorted) {
  EXPECT_EQ(normalise_levels({95, 80, 95}), (std::vector<double>{80, 95}));
  EXPECT_THROW(normalise_levels({0}), std::invalid_argument);
  EXPECT_THROW(normalise_levels({100}), std::invalid_argument);
  EXPECT_THROW(normalise_levels({80, 150}), std::invalid_argument);
  EXPECT_THROW(normalise_levels({std::numeric_limits<double>::quiet_NaN()}), std::invalid_argument);
}

TEST(ForecastTest, NaiveByHand) {
  // Differences 1, 2, 3: sigma^2 = (1 + 4 + 9) / 3; sd_h = sigma sqrt(h).
  const Forecast f = naive_forecast({1, 2, 4, 7}, 3, {95, 80});
  EXPECT_EQ(f.model, "Naive");
  ASSERT_EQ(f.horizon(), 3);
  ASSERT_EQ(f.levels, (std::vector<double>{80, 95}));
  const double sigma2 = 14.0 / 3;
  for (int h = 1; h <= 3; ++h) {
    EXPECT_EQ(f.mean[h - 1], 7.0);
    EXPECT_NEAR(f.upper[0][h - 1], 7 + kZ80 * std::sqrt(sigma2 * h), 1e-12);
    EXPECT_NEAR(f.lower[0][h - 1], 7 - kZ80 * std::sqrt(sigma2 * h), 1e-12);
    EXPECT_NEAR(f.upper[1][h - 1], 7 + kZ95 * std::sqrt(sigma2 * h), 1e-12);
  }
  EXPECT_TRUE(f.note.empty());
}

TEST(ForecastTest, SeasonalNaiveByHand) {
  // Period 4 over 1..8: every seasonal difference is 4, so sigma = 4, and the
  // standard deviation grows with the number of whole seasons ahead.
  const std::vector<double> y{1, 2, 3, 4, 5, 6, 7, 8};
  const Forecast f = seasonal_naive_forecast(y, 4, 9, {80});
  EXPECT_EQ(f.model, "Seasonal naive");
  const std::vector<double> mean{5, 6, 7, 8, 5, 6, 7, 8, 5};
  EXPECT_EQ(f.mean, mean);
  for (int h = 1; h <= 9; ++h) {
    const int k = (h - 1) / 4 + 1;
    EXPECT_NEAR(f.upper[0][h - 1] - f.mean[h - 1], kZ80 * 4 * std::sqrt(double(k)), 1e-12) << h;
    EXPECT_NEAR(f.mean[h - 1] - f.lower[0][h - 1], kZ80 * 4 * std::sqrt(double(k)), 1e-12) << h;
  }
  // Period 1 is the naive forecast.
  const Forecast n1 = seasonal_naive_forecast(y, 1, 2);
  const Forecast n2 = naive_forecast(y, 2);
  EXPECT_EQ(n1.mean, n2.mean);
  EXPECT_EQ(n1.upper, n2.upper);
}

TEST(ForecastTest, IntervalsNestAndWiden) {
  const std::vector<double> y{10, 12, 9, 14, 11, 13, 15, 10, 12, 16, 11, 14, 13, 12};
  for (const Forecast& f : {naive_forecast(y, 12), seasonal_naive_forecast(y, 3, 12)}) {
    for (int h = 0; h < f.horizon(); ++h) {
      EXPECT_LE(f.lower[1][h], f.lower[0][h]);
      EXPECT_LE(f.lower[0][h], f.mean[h]);
      EXPECT_LE(f.mean[h], f.upper[0][h]);
      EXPECT_LE(f.upper[0][h], f.upper[1][h]);
      if (h > 0) {
        EXPECT_GE(f.upper[1][h] - f.lower[1][h], f.upper[1][h - 1] - f.lower[1][h - 1] - 1e-12);
      }
    }
  }
}

TEST(ForecastTest, BaselinesRejectBadInput) {
  EXPECT_THROW(naive_forecast({5}, 3), std::invalid_argument);
  EXPECT_THROW(naive_forecast({1, 2}, 0), std::invalid_argument);
  EXPECT_THROW(naive_forecast({1, std::numeric_limits<double>::quiet_NaN(), 3}, 2), std::invalid_argument);
  EXPECT_THROW(seasonal_naive_forecast({1, 2, 3, 4}, 4, 2), std::invalid_argument);
  EXPECT_THROW(seasonal_naive_forecast({1, 2, 3, 4}, 0, 2), std::invalid_argument);
  EXPECT_THROW(naive_forecast({1, 2, 3}, 2, {80, 100}), std::invalid_argument);
}

TEST(ForecastTest, GaussianForecastTreatsNegativeVarianceAsZero) {
  const Forecast f = gaussian_forecast("x", {1.0, 2.0}, {-1e-18, 4.0}, {95});
  EXPECT_EQ(f.lower[0][0], 1.0);
  EXPECT_EQ(f.upper[0][0], 1.0);
  EXPECT_NEAR(f.upper[0][1], 2 + 2 * kZ95, 1e-12);
}

}  // namespace
}  // namespace atalaya
