// Tests for leading-indicator forecasts (leading_indicator.h): coefficients
// recovered from a known regression, fallbacks with their reasons, intervals
// in order, no peeking past a back-test origin, and the two back-tests the
// model exists for: a downstream that follows its upstream by two months
// (the leading model must win) and an unrelated upstream (it must not, and
// the verdict must say so).
#include "atalaya/analysis/leading_indicator.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "atalaya/analysis/synthetic_series_testing.h"

namespace atalaya {
namespace {

using testing::Normal;

// A count series whose log moves as a random walk: flows that surge and ebb
// without a season (5% of the level per month).
std::vector<double> log_random_walk(int n, double start, double sd, uint64_t seed) {
  Normal z(seed);
  std::vector<double> x;
  double level = std::log(start);
  for (int t = 0; t < n; ++t) {
    level += sd * z();
    x.push_back(std::round(std::exp(level)));
  }
  return x;
}

// The upstream `x` two months later, with 5% noise: y_t = x_{t-2} (1 + noise).
std::vector<double> follows_by_two(const std::vector<double>& x, uint64_t seed) {
  Normal z(seed);
  std::vector<double> y;
  for (size_t t = 0; t < x.size(); ++t) y.push_back(std::round(x[t >= 2 ? t - 2 : 0] * std::exp(0.05 * z())));
  return y;
}

const ModelScore& score(const BacktestResult& r, const std::string& model) {
  for (const ModelScore& s : r.models)
    if (s.model == model) return s;
  throw std::runtime_error("no score for " + model);
}

TEST(LeadingIndicatorTest, RecoversTheRegressionCoefficients) {
  // log1p(y_t) = 1 + 0.3 log1p(y_{t-1}) + 0.6 log1p(x_{t-1}) + N(0, 0.02^2)
  const std::vector<double> x = log_random_walk(120, 2000, 0.2, 3);
  Normal z(4);
  std::vector<double> y{1000};
  for (size_t t = 1; t < x.size(); ++t)
    y.push_back(std::expm1(1 + 0.3 * std::log1p(y.back()) + 0.6 * std::log1p(x[t - 1]) + 0.02 * z()));
  const LeadingFit fit = fit_leading(y, {{"up", x, 0, 1}});
  ASSERT_TRUE(fit.fitted) << fit.note;
  EXPECT_EQ(fit.name, "Leading(up:1)");
  EXPECT_EQ(fit.months, 119);
  EXPECT_NEAR(fit.intercept, 1.0, 0.15);
  EXPECT_NEAR(fit.autoregressive, 0.3, 0.03);
  ASSERT_EQ(fit.coefficients.size(), 1u);
  EXPECT_NEAR(fit.coefficients[0], 0.6, 0.03);
  EXPECT_NEAR(std::sqrt(fit.sigma2), 0.02, 0.005);
}

TEST(LeadingIndicatorTest, UpstreamPlacedOnTheDownstreamCalendar) {
  // The same upstream given from an earlier start month: the regression pairs
  // the same months, and gains the months before the downstream begins.
  const std::vector<double> x = log_random_walk(60, 3000, 0.2, 5);
  const std::vector<double> y = follows_by_two(x, 6);
  const std::vector<double> late(x.begin() + 10, x.end());
  const std::vector<double> y_late(y.begin() + 10, y.end());
  const LeadingFit aligned = fit_leading(y_late, {{"up", x, -10, 2}});
  const LeadingFit cut = fit_leading(y_late, {{"up", late, 0, 2}});
  ASSERT_TRUE(aligned.fitted && cut.fitted);
  EXPECT_EQ(aligned.months, 49);  // every month after the first
  EXPECT_EQ(cut.months, 48);      // the first two need upstream months before the cut
  EXPECT_GT(aligned.coefficients[0], 0.5);
}

TEST(LeadingIndicatorTest, IntervalsAreOrderedAndTheUpstreamForecastIsNamedBeyondTheLag) {
  const std::vector<double> x = log_random_walk(72, 4000, 0.15, 7);
  const std::vector<double> y = follows_by_two(x, 8);
  const LeadingForecast lf = forecast_leading(y, {{"pa-snm-darien", x, 0, 2}}, 5, {95, 80});
  ASSERT_FALSE(lf.fallback) << lf.forecast.note;
  const Forecast& f = lf.forecast;
  EXPECT_EQ(f.model, "Leading(pa-snm-darien:2)");
  EXPECT_EQ(f.levels, (std::vector<double>{80, 95}));
  ASSERT_EQ(f.horizon(), 5);
  for (int h = 0; h < 5; ++h) {
    EXPECT_LE(f.lower[1][h], f.lower[0][h]);
    EXPECT_LE(f.lower[0][h], f.mean[h]);
    EXPECT_LE(f.mean[h], f.upper[0][h]);
    EXPECT_LE(f.upper[0][h], f.upper[1][h]);
    EXPECT_GE(f.lower[1][h], 0);
  }
  // h = 1, 2 rest on observed upstream months (x[70], x[71]): close to them.
  EXPECT_NEAR(f.mean[0] / x[70], 1.0, 0.15);
  EXPECT_NEAR(f.mean[1] / x[71], 1.0, 0.15);
  // Beyond the lag the upstream's own forecast widens the interval.
  EXPECT_GT(f.upper[1][4] - f.lower[1][4], f.upper[1][0] - f.lower[1][0]);
  EXPECT_NE(f.note.find("pa-snm-darien observed for h=1..2, its own ETS("), std::string::npos) << f.note;
  EXPECT_NE(f.note.find("forecast for h=3..5"), std::string::npos) << f.note;

  const LeadingForecast within = forecast_leading(y, {{"pa-snm-darien", x, 0, 2}}, 2);
  EXPECT_EQ(within.forecast.note.find("forecast for"), std::string::npos) << within.forecast.note;
  // Same inputs, same forecast.
  EXPECT_EQ(forecast_leading(y, {{"pa-snm-darien", x, 0, 2}}, 5, {95, 80}).forecast.upper, f.upper);
}

TEST(LeadingIndicatorTest, FallsBackToUnivariateEtsAndSaysWhy) {
  const std::vector<double> y = log_random_walk(60, 1000, 0.1, 9);
  // Too little overlap: the upstream covers only the last 20 months, which at
  // a lag of one month explain the last 19.
  const std::vector<double> short_x = log_random_walk(20, 500, 0.1, 10);
  const LeadingForecast few = forecast_leading(y, {{"up", short_x, 40, 1}}, 3);
  EXPECT_TRUE(few.fallback);
  EXPECT_FALSE(few.fit.fitted);
  EXPECT_EQ(few.forecast.model.rfind("ETS(", 0), 0u) << few.forecast.model;
  EXPECT_NE(few.forecast.note.find("leading indicator not used: only 19 months"), std::string::npos)
      << few.forecast.note;
  EXPECT_NE(few.forecast.note.find("24 needed"), std::string::npos);
  // A constant upstream cannot be told apart from the intercept.
  const LeadingForecast flat = forecast_leading(y, {{"up", std::vector<double>(60, 7.0), 0, 1}}, 3);
  EXPECT_TRUE(flat.fallback);
  EXPECT_NE(flat.forecast.note.find("singular"), std::string::npos) << flat.forecast.note;
  // The same upstream twice.
  const std::vector<double> x = log_random_walk(60, 800, 0.2, 11);
  EXPECT_NE(fit_leading(y, {{"a", x, 0, 1}, {"b", x, 0, 1}}).note.find("singular"), std::string::npos);
}

TEST(LeadingIndicatorTest, WithoutUpstreamSeriesItIsTheLogAr1Control) {
  const std::vector<double> y = log_random_walk(60, 1000, 0.1, 20);
  const LeadingForecast control = forecast_leading(y, {}, 3);
  EXPECT_FALSE(control.fallback) << control.forecast.note;
  EXPECT_EQ(control.forecast.model, "Log-AR(1)");
  EXPECT_EQ(control.fit.months, 59);
  EXPECT_TRUE(control.fit.coefficients.empty());
  const std::vector<double> short_y(y.begin(), y.begin() + 20);
  const LeadingForecast few = forecast_leading(short_y, {}, 3);
  EXPECT_TRUE(few.fallback);
  EXPECT_NE(few.forecast.note.find("log1p AR(1) not used: only 19 month pairs"), std::string::npos)
      << few.forecast.note;
}

TEST(LeadingIndicatorTest, InputChecks) {
  const std::vector<double> y = log_random_walk(40, 100, 0.1, 12);
  EXPECT_THROW(fit_leading(y, {{"up", y, 0, -1}}), std::invalid_argument);
  EXPECT_THROW(fit_leading(y, {{"up", {1, -2, 3}, 0, 1}}), std::invalid_argument);
  EXPECT_THROW(fit_leading({1, NAN, 3}, {}), std::invalid_argument);
  EXPECT_THROW(forecast_leading(y, {{"up", y, 0, 1}}, 0), std::invalid_argument);
  EXPECT_THROW(forecast_leading(y, {{"up", y, 0, 1}}, 3, {80, 100}), std::invalid_argument);
}

TEST(LeadingIndicatorTest, BacktestModelSeesNothingAfterTheOrigin) {
  const std::vector<double> x = log_random_walk(60, 4000, 0.15, 13);
  const std::vector<double> y = follows_by_two(x, 14);
  std::vector<double> spoiled = x;
  for (size_t t = 48; t < spoiled.size(); ++t) spoiled[t] = 1e9;  // months from the origin on
  const std::vector<double> train(y.begin(), y.begin() + 48);
  const OriginForecast honest = leading_backtest_model({{"up", x, 0, 2}}).forecast(train, 3, {80, 95});
  const OriginForecast tempted = leading_backtest_model({{"up", spoiled, 0, 2}}).forecast(train, 3, {80, 95});
  EXPECT_FALSE(honest.fallback);
  EXPECT_EQ(honest.chosen, "Leading(up:2)");
  EXPECT_EQ(honest.forecast.mean, tempted.forecast.mean);
  EXPECT_EQ(honest.forecast.upper, tempted.forecast.upper);
}

TEST(LeadingIndicatorTest, BeatsUnivariateEtsWhenTheDownstreamFollowsTheUpstream) {
  const std::vector<double> x = log_random_walk(96, 5000, 0.15, 15);
  const std::vector<double> y = follows_by_two(x, 16);
  const LeadingBacktest b = backtest_leading(y, {{"pa-snm-darien", x, 0, 2}}, 3, 24);
  const ModelScore& lead = score(b.result, "leading");
  const ModelScore& ets = score(b.result, "ets");
  EXPECT_EQ(lead.origins_scored, 24);
  EXPECT_EQ(lead.fallbacks, 0);
  EXPECT_EQ(lead.chosen.at("Leading(pa-snm-darien:2)"), 24);
  EXPECT_LT(lead.mase, 0.7 * ets.mase);
  EXPECT_LT(lead.relative_mase, 1.0);
  // Two of three horizons are known upstream months: h = 1 is far better.
  EXPECT_LT(lead.mase_by_horizon[0], 0.5 * ets.mase_by_horizon[0]);
  EXPECT_GE(lead.coverage[1], 0.8);
  EXPECT_TRUE(b.verdict.beats_univariate);
  EXPECT_EQ(b.verdict.text.rfind("leading beats ets: MASE ", 0), 0u) << b.verdict.text;
  // The win is the upstream's, not the regression's form: the control loses.
  EXPECT_LT(lead.mase, 0.7 * score(b.result, "log-ar1").mase);
  EXPECT_TRUE(b.verdict.upstream_helps);
  EXPECT_NE(b.verdict.text.find("the upstream terms help"), std::string::npos) << b.verdict.text;
}

TEST(LeadingIndicatorTest, DoesNotBeatEtsWithAnUnrelatedUpstreamAndSaysSo) {
  // A strongly seasonal downstream that owes nothing to the upstream: ETS
  // models the season, the regression cannot.
  const std::vector<double> y = testing::seasonal_multiplicative(96, 17);
  const std::vector<double> x = log_random_walk(96, 5000, 0.15, 18);
  const LeadingBacktest b = backtest_leading(y, {{"mx-upm-irregular", x, 0, 2}}, 3, 24);
  const ModelScore& lead = score(b.result, "leading");
  const ModelScore& ets = score(b.result, "ets");
  EXPECT_EQ(lead.origins_scored, 24);
  EXPECT_GT(lead.mase, ets.mase);
  EXPECT_FALSE(b.verdict.beats_univariate);
  EXPECT_EQ(b.verdict.text.rfind("leading does not beat ets: MASE ", 0), 0u) << b.verdict.text;
  // All are reported, on the same origins, beside seasonal naive.
  EXPECT_EQ(b.result.models.size(), 4u);
  EXPECT_EQ(b.result.models[0].model, "snaive");
  EXPECT_NE(b.verdict.text.find("log-ar1, scores MASE"), std::string::npos) << b.verdict.text;
}

TEST(LeadingIndicatorTest, BacktestScoresAnyCallableAndChecksItsShape) {
  // A model that knows the future scores MASE 0; one of the wrong horizon is a bug.
  const std::vector<double> y = testing::seasonal_multiplicative(60, 19);
  BacktestModel oracle{"oracle", [&y](const std::vector<double>& train, int horizon, const std::vector<double>& lv) {
                         std::vector<double> future(y.begin() + train.size(), y.begin() + train.size() + horizon);
                         return OriginForecast{gaussian_forecast("Oracle", future, std::vector<double>(horizon, 1.0), lv),
                                               false, ""};
                       }};
  const BacktestResult r = backtest_models(y, 12, 3, 10, {oracle});
  EXPECT_EQ(score(r, "oracle").mase, 0.0);
  EXPECT_EQ(score(r, "oracle").coverage, (std::vector<double>{1.0, 1.0}));
  BacktestModel broken{"broken", [](const std::vector<double>& train, int, const std::vector<double>& lv) {
                         return OriginForecast{naive_forecast(train, 1, lv), false, ""};
                       }};
  EXPECT_THROW(backtest_models(y, 12, 3, 10, {broken}), std::logic_error);
}

}  // namespace
}  // namespace atalaya
