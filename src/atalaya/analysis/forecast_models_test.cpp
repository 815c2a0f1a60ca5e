#include "atalaya/analysis/forecast_models.h"

#include <gtest/gtest.h>

#include "atalaya/analysis/synthetic_series_testing.h"

namespace atalaya {
namespace {

using Kind = ModelSpec::Kind;

// Every kind has a row: its label parses back to it, and fit_model answers.
TEST(ForecastModelsTest, EveryKindHasOneRowThatParsesBack) {
  const std::vector<double> y = testing::seasonal_multiplicative(48, 7);
  for (Kind k : {Kind::Naive, Kind::SeasonalNaive, Kind::AutoEts, Kind::DampedEts, Kind::Theta, Kind::Combination,
                 Kind::Selected}) {
    const ModelSpec spec = ModelSpec::of(k);
    EXPECT_EQ(ModelSpec::parse(spec.label()).kind, k) << spec.label();
    const ModelForecast f = fit_model(y, spec, 12)->forecast(3, {80});
    EXPECT_EQ(f.forecast.horizon(), 3) << spec.label();
  }
  EXPECT_EQ(ModelSpec::parse("seasonal-naive").kind, Kind::SeasonalNaive);
  EXPECT_EQ(ModelSpec::parse("Comb").kind, Kind::Combination);
  EXPECT_EQ(ModelSpec::parse("ZZZ").kind, Kind::AutoEts);
}

// forecast_model is fit_model followed by forecast.
TEST(ForecastModelsTest, ForecastModelIsFitThenForecast) {
  const std::vector<double> y = testing::linear_trend(40, 3);
  for (Kind k : {Kind::Theta, Kind::Combination}) {
    const ModelForecast a = forecast_model(y, ModelSpec::of(k), 12, 4, {80, 95});
    const ModelForecast b = fit_model(y, ModelSpec::of(k), 12)->forecast(4, {80, 95});
    EXPECT_EQ(a.forecast.mean, b.forecast.mean);
    EXPECT_EQ(a.forecast.upper, b.forecast.upper);
    EXPECT_EQ(a.chosen, b.chosen);
  }
}

// Refitting automatic ETS on a prefix keeps the form chosen on the whole
// series and re-estimates its parameters; choosing afresh may differ.
TEST(ForecastModelsTest, RefitKeepsTheWholeSeriesEtsForm) {
  const std::vector<double> y = testing::seasonal_multiplicative(72, 11);
  const std::vector<double> prefix(y.begin(), y.begin() + 40);
  const auto whole = fit_model(y, ModelSpec::of(Kind::AutoEts), 12);
  const std::string form = whole->forecast(1, {80}).chosen;
  const ModelSpec same = ModelSpec::parse(form);
  ASSERT_EQ(same.kind, Kind::Ets) << form;
  const ModelForecast refitted = whole->refit(prefix)->forecast(6, {80});
  const ModelForecast direct = fit_model(prefix, same, 12)->forecast(6, {80});
  EXPECT_EQ(refitted.chosen, form);
  EXPECT_EQ(refitted.forecast.mean, direct.forecast.mean);
}

// A refitted Theta or naive model forecasts from the prefix's own end.
TEST(ForecastModelsTest, RefitForecastsFromThePrefix) {
  const std::vector<double> y{10, 20, 30, 40, 50, 60};
  const std::vector<double> prefix{10, 20, 30};
  const auto naive = fit_model(y, ModelSpec::of(Kind::Naive), 12);
  EXPECT_EQ(naive->refit(prefix)->forecast(2, {80}).forecast.mean, (std::vector<double>{30, 30}));
  const ModelForecast theta = fit_model(y, ModelSpec::of(Kind::Theta), 12)->refit(prefix)->forecast(1, {80});
  EXPECT_TRUE(theta.fallback);  // 3 months: Theta needs 4
  EXPECT_EQ(theta.forecast.mean, (std::vector<double>{30}));
}

}  // namespace
}  // namespace atalaya
