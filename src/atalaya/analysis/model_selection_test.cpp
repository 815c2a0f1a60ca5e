// Per-series model choice by back-test, calibrated intervals, and forecasts
// that are never impossible (model_selection.h).
#include "atalaya/analysis/model_selection.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>
#include <vector>

namespace atalaya {
namespace {

const CandidateScore& score_of(const SelectedForecast& s, const std::string& model) {
  for (auto& c : s.candidates)
    if (c.model == model) return c;
  throw std::logic_error("no candidate " + model);
}

// A strongly seasonal series: seasonal naive is exact, so it must win.
TEST(ModelSelectionTest, PicksTheModelWithTheLowestBacktestError) {
  std::vector<double> y;
  for (int t = 0; t < 72; ++t) y.push_back(100 + 80 * (t % 12 == 6) + 10 * (t % 12) + 0.5 * t);
  SelectionOptions o;
  o.candidates = {ModelSpec::Kind::Naive, ModelSpec::Kind::SeasonalNaive};
  const SelectedForecast s = select_forecast(y, 12, 6, {80, 95}, o);
  EXPECT_EQ(s.chosen, "snaive");
  EXPECT_EQ(s.criterion, "MASE");
  EXPECT_GT(s.origins, 0);
  EXPECT_LT(score_of(s, "snaive").mase, score_of(s, "naive").mase);
  EXPECT_EQ(score_of(s, "snaive").origins, s.origins);
  for (int h = 0; h < 6; ++h) EXPECT_DOUBLE_EQ(s.forecast.mean[h], y[72 - 12 + h]);  // seasonal naive's
}

// A random walk: over many series, the calibrated intervals cover about as
// often as they say (the last 6 months held out, each forecast from the rest).
TEST(ModelSelectionTest, CalibratedIntervalsCoverNearTheirLevel) {
  std::mt19937_64 rng(7);
  std::normal_distribution<double> step(0, 0.08);
  int inside80 = 0, inside95 = 0, points = 0;
  for (int series = 0; series < 200; ++series) {
    std::vector<double> y{1000};
    for (int t = 1; t < 66; ++t) y.push_back(y.back() * std::exp(step(rng)));
    const std::vector<double> train(y.begin(), y.end() - 6);
    SelectionOptions o;
    o.candidates = {ModelSpec::Kind::Naive};
    const SelectedForecast s = select_forecast(train, 12, 6, {80, 95}, o);
    ASSERT_TRUE(s.calibrated);
    for (int h = 0; h < 6; ++h, ++points) {
      const double actual = y[60 + h];
      inside80 += s.forecast.lower[0][h] <= actual && actual <= s.forecast.upper[0][h];
      inside95 += s.forecast.lower[1][h] <= actual && actual <= s.forecast.upper[1][h];
    }
  }
  EXPECT_NEAR(100.0 * inside80 / points, 80, 6);
  EXPECT_NEAR(100.0 * inside95 / points, 95, 4);
}

TEST(ModelSelectionTest, ConformalQuantileRanks) {
  const std::vector<double> v{1, 2, 3, 4, 5, 6, 7, 8, 9};
  EXPECT_EQ(selection_detail::conformal_quantile(v, 0.8), 8);   // ceil(10 * 0.8) = 8th
  EXPECT_EQ(selection_detail::conformal_quantile(v, 0.95), 9);  // ceil(9.5) = 10 -> clamped to 9
  EXPECT_EQ(selection_detail::conformal_quantile(v, 0.1), 1);
}

// The shape of Haitian encounters at the U.S. border in 2025: thousands a
// month, a collapse to single digits, never zero. A trend model runs the
// collapse through zero; that forecast is not admissible, and the answer is
// neither negative nor "0 to 0".
TEST(ModelSelectionTest, ACollapseToSmallCountsIsNotForecastAsZero) {
  std::vector<double> y;
  for (int t = 0; t < 60; ++t) y.push_back(5000 + 3000 * std::sin(t / 3.0) + 40 * t);
  for (double v : {4080, 3836, 2597, 2356, 1329, 10, 3, 6, 4}) y.push_back(v);
  const SelectedForecast s = select_forecast(y, 12, 6);
  for (int h = 0; h < 6; ++h) {
    EXPECT_GT(s.forecast.mean[h], 0) << "h = " << h + 1;
    for (size_t i = 0; i < 2; ++i) {
      EXPECT_GE(s.forecast.lower[i][h], 0);
      EXPECT_GT(s.forecast.upper[i][h], 0);
      EXPECT_LE(s.forecast.lower[i][h], s.forecast.mean[h]);
      EXPECT_GE(s.forecast.upper[i][h], s.forecast.mean[h]);
    }
    EXPECT_LE(s.forecast.lower[1][h], s.forecast.lower[0][h]);
    EXPECT_GE(s.forecast.upper[1][h], s.forecast.upper[0][h]);
  }
  // Automatic ETS fits a downward trend here (the cause of the 0.0 forecast).
  const ModelForecast ets = forecast_model(y, ModelSpec::of(ModelSpec::Kind::AutoEts), 12, 6);
  if (ets.forecast.mean.back() < 0) {
    EXPECT_FALSE(score_of(s, "ets").admissible);
    EXPECT_NE(s.chosen, "ets");
  }
}

TEST(ModelSelectionTest, NeverNegativeEvenWhenEveryModelTrendsDown) {
  std::vector<double> y;
  for (int t = 0; t < 40; ++t) y.push_back(std::max(0.0, 400.0 - 10 * t));  // reaches 0 at t = 40
  const SelectedForecast s = select_forecast(y, 12, 6);
  for (int h = 0; h < 6; ++h) {
    EXPECT_GE(s.forecast.mean[h], 0);
    EXPECT_GE(s.forecast.lower[0][h], 0);
  }
}

TEST(ModelSelectionTest, ShortSeriesUsesTheFirstCandidateAndSaysSo) {
  const std::vector<double> y{10, 12, 11, 13, 12, 14, 13, 15};
  const SelectedForecast s = select_forecast(y, 12, 3);
  EXPECT_EQ(s.origins, 0);
  EXPECT_EQ(s.chosen, "naive");
  EXPECT_FALSE(s.calibrated);
  ASSERT_FALSE(s.notes.empty());
  EXPECT_NE(s.notes.front().find("the first candidate is used"), std::string::npos);
}

TEST(ModelSelectionTest, DispatchRunsEveryModel) {
  std::vector<double> y;
  for (int t = 0; t < 48; ++t) y.push_back(200 + 30 * std::sin(t * 0.52) + t);
  for (const char* m : {"naive", "snaive", "ets", "damped", "theta", "combination", "auto", "ETS(A,N,N)"}) {
    const ModelForecast f = forecast_model(y, ModelSpec::parse(m), 12, 4);
    EXPECT_EQ(f.forecast.horizon(), 4) << m;
    EXPECT_EQ(f.forecast.lower.size(), 2u) << m;
    EXPECT_EQ(ModelSpec::parse(m).label(), std::string(m)) << m;
  }
  EXPECT_THROW(ModelSpec::parse("arima"), std::invalid_argument);
}

}  // namespace
}  // namespace atalaya
