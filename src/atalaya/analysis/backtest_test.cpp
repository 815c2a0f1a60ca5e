// Tests for the rolling-origin back-test (backtest.h): scores computed by hand
// on a straight line, ETS against the seasonal naive reference on a strongly
// seasonal series, interval coverage on simulated ETS(A,N,N) data, failures
// of a model at some origins, and input checks.
#include "atalaya/analysis/backtest.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <numbers>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "atalaya/analysis/synthetic_series_testing.h"

namespace atalaya {
namespace {

using testing::Normal;
using testing::simulate_ann;
using testing::seasonal_multiplicative;

const ModelScore& score(const BacktestResult& r, const std::string& model) {
  for (const ModelScore& s : r.models)
    if (s.model == model) return s;
  throw std::runtime_error("no score for " + model);
}

TEST(ForecastBacktestTest, ModelSpecLabels) {
  EXPECT_EQ(ModelSpec::parse("naive").kind, ModelSpec::Kind::Naive);
  EXPECT_EQ(ModelSpec::parse("SNAIVE").kind, ModelSpec::Kind::SeasonalNaive);
  EXPECT_EQ(ModelSpec::parse("ets").kind, ModelSpec::Kind::AutoEts);
  const ModelSpec fixed = ModelSpec::parse("ETS(M,Ad,M)");
  EXPECT_EQ(fixed.kind, ModelSpec::Kind::Ets);
  EXPECT_EQ(fixed.label(), "ETS(M,Ad,M)");
  EXPECT_EQ(ModelSpec::parse("snaive").label(), "snaive");
  EXPECT_THROW(ModelSpec::parse("arima"), std::invalid_argument);
}

TEST(ForecastBacktestTest, ScoresByHandOnAStraightLine) {
  // y = t: the naive forecast from origin o misses by h at horizon h; the
  // in-sample naive MAE is 1, so MASE = (1 + 2) / 2 at every origin. Its
  // sigma is 1: the h = 1 actual lies inside both intervals, the h = 2 actual
  // (2 away, sd sqrt 2) inside the 95% interval only.
  std::vector<double> y;
  for (int t = 0; t < 30; ++t) y.push_back(t);
  const BacktestResult r = backtest(y, 1, 2, 3, {ModelSpec::parse("naive")});
  EXPECT_EQ(r.origins, (std::vector<int>{26, 27, 28}));
  const ModelScore& s = score(r, "naive");
  EXPECT_EQ(s.origins_scored, 3);
  EXPECT_DOUBLE_EQ(s.mase, 1.5);
  EXPECT_DOUBLE_EQ(s.relative_mase, 1.0);  // period 1: the reference is the naive forecast
  EXPECT_DOUBLE_EQ(r.reference_mase, 1.5);
  EXPECT_EQ(s.mase_by_horizon, (std::vector<double>{1, 2}));
  EXPECT_EQ(s.coverage, (std::vector<double>{0.5, 1.0}));
  // sMAPE: the forecast is o - 1, the actual o - 1 + h.
  double smape = 0;
  for (int o : {26, 27, 28})
    for (int h : {1, 2}) smape += 200.0 * h / ((o - 1 + h) + (o - 1)) / 6;
  EXPECT_NEAR(s.smape, smape, 1e-12);
  EXPECT_TRUE(r.notes.empty());
}

TEST(ForecastBacktestTest, EtsBeatsSeasonalNaiveOnAStrongSeason) {
  const std::vector<double> y = seasonal_multiplicative(132, 1);
  const BacktestResult r = backtest(y, 12, 12, 12,
                                    {ModelSpec::parse("snaive"), ModelSpec::parse("ets"), ModelSpec::parse("naive")});
  const ModelScore& ets = score(r, "ets");
  const ModelScore& snaive = score(r, "snaive");
  EXPECT_EQ(ets.origins_scored, 12);
  EXPECT_EQ(ets.failures, 0);
  EXPECT_EQ(ets.fallbacks, 0);
  EXPECT_DOUBLE_EQ(snaive.relative_mase, 1.0);
  EXPECT_DOUBLE_EQ(snaive.mase, r.reference_mase);
  EXPECT_LT(ets.mase, snaive.mase);
  EXPECT_LT(ets.relative_mase, 0.8);
  EXPECT_LT(ets.smape, snaive.smape);
  EXPECT_GT(score(r, "naive").relative_mase, 2.0);  // ignoring the season is far worse
  // Every origin chose a seasonal model.
  int chosen = 0;
  for (const auto& [name, count] : ets.chosen) {
    EXPECT_NE(name.back(), 'N') << name;  // ETS(.,.,A) or ETS(.,.,M)
    chosen += count;
  }
  EXPECT_EQ(chosen, 12);
}

TEST(ForecastBacktestTest, NinetyFivePercentIntervalsCoverSimulatedData) {
  // Data drawn from ETS(A,N,N): over 80 origins x 4 horizons the 95%
  // intervals of the selected models should cover close to 95%.
  const std::vector<double> y = simulate_ann(300, 0.3, 5, 21);
  const BacktestResult r = backtest(y, 1, 4, 80, {ModelSpec::parse("ets")});
  const ModelScore& s = score(r, "ets");
  EXPECT_EQ(s.origins_scored, 80);
  ASSERT_EQ(s.coverage.size(), 2u);
  EXPECT_GE(s.coverage[1], 0.85);
  EXPECT_LE(s.coverage[1], 1.0);
  EXPECT_GE(s.coverage[0], 0.65);
  EXPECT_LE(s.coverage[0], s.coverage[1]);
}

TEST(ForecastBacktestTest, ModelThatCannotBeFittedIsCountedNotFatal) {
  std::vector<double> y = seasonal_multiplicative(60, 2);
  y[3] = 0;  // every training set holds the zero
  const BacktestResult r = backtest(y, 12, 6, 5, {ModelSpec::parse("MNN"), ModelSpec::parse("ANN")});
  const ModelScore& mult = score(r, "ETS(M,N,N)");
  EXPECT_EQ(mult.failures, 5);
  EXPECT_EQ(mult.origins_scored, 0);
  EXPECT_TRUE(std::isnan(mult.mase));
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("ETS(M,N,N): not fitted at 5 of 5 origins"), std::string::npos) << r.notes[0];
  const ModelScore& add = score(r, "ETS(A,N,N)");
  EXPECT_EQ(add.failures, 0);
  EXPECT_EQ(add.origins_scored, 5);
  EXPECT_FALSE(std::isnan(add.mase));
}

TEST(ForecastBacktestTest, InputChecks) {
  const std::vector<double> y = seasonal_multiplicative(40, 3);
  const std::vector<ModelSpec> models{ModelSpec::parse("snaive")};
  EXPECT_NO_THROW(backtest(y, 12, 12, 16, models));  // first origin: 13 values
  EXPECT_THROW(backtest(y, 12, 12, 17, models), std::invalid_argument);
  EXPECT_THROW(backtest(y, 12, 0, 5, models), std::invalid_argument);
  EXPECT_THROW(backtest(y, 12, 6, 0, models), std::invalid_argument);
  EXPECT_THROW(backtest(y, 0, 6, 5, models), std::invalid_argument);
  EXPECT_THROW(backtest(y, 12, 6, 5, {}), std::invalid_argument);
  EXPECT_THROW(backtest(y, 12, 6, 5, models, {80, 120}), std::invalid_argument);
}

}  // namespace
}  // namespace atalaya
