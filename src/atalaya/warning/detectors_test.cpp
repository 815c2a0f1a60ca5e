#include "atalaya/warning/detectors.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "atalaya/analysis/forecast.h"
#include "atalaya/analysis/synthetic_series_testing.h"

namespace atalaya {
namespace {

// The seasonal index of calendar month t % 12: peak about 1.5, trough about
// 0.5, so the low season is a third of the high one.
double season_index(int t) {
  const double angle = 2 * std::numbers::pi * t / 12;
  return 1 + 0.4 * std::sin(angle) + 0.15 * std::cos(2 * angle);
}

// Counts around 1,000 with that strong season and 10% multiplicative noise;
// no trend, no change: nothing a trigger should fire on.
std::vector<double> seasonal_counts(int n, uint64_t seed) {
  testing::Normal z(seed);
  std::vector<double> y;
  for (int t = 0; t < n; ++t) y.push_back(std::round(1000 * season_index(t) * std::exp(0.1 * z())));
  return y;
}

std::vector<double> with_surge(std::vector<double> y, int months, double factor) {
  for (int i = 0; i < months; ++i) y[y.size() - 1 - i] = std::round(y[y.size() - 1 - i] * factor);
  return y;
}

// Share of the months of `seeds` null series at which the rule fires
// (every month it can judge, by truncating the series month by month).
double null_fire_rate(const TriggerRule& rule, int seeds) {
  int judged = 0, fired = 0;
  for (int s = 0; s < seeds; ++s) {
    const std::vector<double> y = seasonal_counts(120, 500 + s);
    for (size_t end = 1; end <= y.size(); ++end) {
      const auto d = detect(std::span<const double>(y.data(), end), rule);
      if (!d) continue;
      ++judged;
      fired += d->fired;
    }
  }
  EXPECT_GT(judged, 0);
  return judged ? static_cast<double>(fired) / judged : 1;
}

// Haitians crossing the Darién (Panama SNM, pa-snm-darien, citizenship HTI),
// 2020-01..2021-07, as `atalaya series` gives them from
// corridor/pa-darien-transit-by-nationality.csv; the months with no report
// during the 2020 border closure (04, 05, 07, 08) are 0, as in Cube::monthly.
const std::vector<double> kHaitiansDarien = {1141, 1321, 777,  0,    0,    111,  0,    0,    73,   279,
                                              252,  584,  623,  981,  1893, 3306, 1851, 5293, 13141};
constexpr size_t kJune2021 = 18;  // months 2020-01..2021-06
constexpr size_t kJuly2021 = 19;

std::span<const double> first(const std::vector<double>& y, size_t n) { return {y.data(), n}; }

// --- formatting and parameters -------------------------------------------------

TEST(DetectorsFormat, AmountsHaveThousandsSeparators) {
  using detectors_detail::format_amount;
  EXPECT_EQ(format_amount(1234567.8), "1,234,568");
  EXPECT_EQ(format_amount(13141), "13,141");
  EXPECT_EQ(format_amount(999), "999");
  EXPECT_EQ(format_amount(1000), "1,000");
  EXPECT_EQ(format_amount(73), "73");
  EXPECT_EQ(format_amount(3.5), "3.5");
  EXPECT_EQ(format_amount(0), "0");
  EXPECT_EQ(format_amount(-1234), "-1,234");
}

TEST(DetectorsRules, CheckNamesTheBadParameter) {
  EXPECT_EQ(check_rule(GrowthRule{}), "");
  EXPECT_EQ(check_rule(SeasonalAnomalyRule{}), "");
  EXPECT_EQ(check_rule(CusumRule{}), "");
  EXPECT_EQ(check_rule(EwmaRule{}), "");
  EXPECT_EQ(check_rule(ForecastExceedanceRule{}), "");
  EXPECT_NE(check_rule(GrowthRule{.window = 0}).find("window"), std::string::npos);
  EXPECT_NE(check_rule(GrowthRule{.ratio = 0.5}).find("ratio"), std::string::npos);
  EXPECT_NE(check_rule(ThresholdRule{.level = 10, .direction = Direction::Both}).find("direction"),
            std::string::npos);
  EXPECT_NE(check_rule(SeasonalAnomalyRule{.reference_months = 12}).find("reference_months"), std::string::npos);
  EXPECT_NE(check_rule(CusumRule{.h = 0}).find("h must"), std::string::npos);
  EXPECT_NE(check_rule(EwmaRule{.lambda = 1.5}).find("lambda"), std::string::npos);
  EXPECT_NE(check_rule(ForecastExceedanceRule{.level = 100}).find("level"), std::string::npos);
  EXPECT_NE(check_rule(CusumRule{.minimum_volume = -1}).find("minimum_volume"), std::string::npos);
  EXPECT_THROW(detect_growth(kHaitiansDarien, GrowthRule{.window = 0}), std::invalid_argument);
}

TEST(DetectorsRules, NamesRoundTrip) {
  for (Direction d : {Direction::Up, Direction::Down, Direction::Both}) EXPECT_EQ(parse_direction(direction_name(d)), d);
  for (GrowthCompare c : {GrowthCompare::TrailingMean, GrowthCompare::YearAgo}) {
    EXPECT_EQ(parse_growth_compare(growth_compare_name(c)), c);
  }
  for (ChartBasis b : {ChartBasis::Level, ChartBasis::YearOverYear}) EXPECT_EQ(parse_chart_basis(chart_basis_name(b)), b);
  for (ForecastModel m : {ForecastModel::Ets, ForecastModel::SeasonalNaive, ForecastModel::Naive}) {
    EXPECT_EQ(parse_forecast_model(forecast_model_name(m)), m);
  }
  EXPECT_FALSE(parse_direction("upward"));
  EXPECT_EQ(rule_name(SeasonalAnomalyRule{}), "seasonal_anomaly");
  EXPECT_EQ(rule_name(ForecastExceedanceRule{}), "forecast_exceedance");
}

// minimum_history is exact: one month fewer and the rule cannot judge.
TEST(DetectorsRules, MinimumHistoryIsExact) {
  const std::vector<double> y = seasonal_counts(120, 1);
  const std::vector<TriggerRule> rules = {
      ThresholdRule{.level = 1},
      GrowthRule{},
      GrowthRule{.compare = GrowthCompare::YearAgo},
      SeasonalAnomalyRule{},
      CusumRule{},
      CusumRule{.basis = ChartBasis::Level},
      EwmaRule{},
      ForecastExceedanceRule{.model = ForecastModel::Naive},
      ForecastExceedanceRule{.model = ForecastModel::SeasonalNaive},
  };
  const std::vector<int> expected = {1, 4, 13, 49, 30, 18, 30, 13, 14};
  for (size_t i = 0; i < rules.size(); ++i) {
    const int need = minimum_history(rules[i]);
    EXPECT_EQ(need, expected[i]) << rule_name(rules[i]);
    EXPECT_TRUE(detect(first(y, need), rules[i])) << rule_name(rules[i]);
    EXPECT_FALSE(detect(first(y, need - 1), rules[i])) << rule_name(rules[i]);
  }
}

TEST(DetectorsRules, NonFiniteValueCannotBeJudged) {
  std::vector<double> y = seasonal_counts(120, 2);
  y[100] = std::numeric_limits<double>::quiet_NaN();
  EXPECT_FALSE(detect_seasonal_anomaly(y, {}));
  EXPECT_FALSE(detect_cusum(y, {}));
  EXPECT_FALSE(detect_ewma(y, {}));
  EXPECT_FALSE(detect_forecast_exceedance(y, {.model = ForecastModel::SeasonalNaive}));
  y.back() = std::numeric_limits<double>::infinity();
  EXPECT_FALSE(detect_threshold(y, {.level = 1}));
  EXPECT_FALSE(detect_growth(y, {}));
}

// --- threshold -----------------------------------------------------------------

TEST(DetectorsThreshold, FiresAtOrAboveTheLevel) {
  const auto d = detect_threshold(kHaitiansDarien, {.level = 13141});
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->fired);
  EXPECT_EQ(d->explanation, "13,141 is at or above the threshold of 13,141");
  EXPECT_FALSE(detect_threshold(kHaitiansDarien, {.level = 13142})->fired);
  EXPECT_TRUE(detect_threshold(kHaitiansDarien, {.level = 20000, .direction = Direction::Down})->fired);
  EXPECT_FALSE(detect_threshold(std::span<const double>(), {.level = 1}));
}

// --- growth --------------------------------------------------------------------

TEST(DetectorsGrowth, TrailingMeanFiresOnSurge) {
  const std::vector<double> y = {100, 110, 90, 100, 350};
  const auto d = detect_growth(y, {});
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->fired);
  EXPECT_DOUBLE_EQ(d->baseline, 100);
  EXPECT_DOUBLE_EQ(d->score, 3.5);
  EXPECT_EQ(d->explanation, "350 is 3.5 times the trailing 3-month mean of 100 (threshold 2.0)");
  // Each condition alone holds it back.
  EXPECT_FALSE(detect_growth(y, {.ratio = 4})->fired);
  EXPECT_FALSE(detect_growth(y, {.min_increase = 300})->fired);
  EXPECT_FALSE(detect_growth(y, {.minimum_volume = 500})->fired);
  EXPECT_TRUE(detect_growth(y, {.min_increase = 250, .minimum_volume = 350})->fired);
}

TEST(DetectorsGrowth, YearAgoIgnoresTheSeason) {
  // The same month a year earlier carries the same season: no firing at any
  // month of a seasonal series with no change...
  EXPECT_EQ(null_fire_rate(GrowthRule{.compare = GrowthCompare::YearAgo}, 5), 0);
  // ...but a tripling does.
  const auto d = detect_growth(with_surge(seasonal_counts(120, 3), 1, 3), {.compare = GrowthCompare::YearAgo});
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->fired);
  EXPECT_NE(d->explanation.find("of the same month a year earlier (threshold 2.0)"), std::string::npos);
}

TEST(DetectorsGrowth, TrailingMeanQuietOnNoiseWithMildSeason) {
  testing::Normal z(77);
  std::vector<double> y;
  for (int t = 0; t < 120; ++t) y.push_back(std::round(1000 * (1 + 0.1 * std::sin(t * std::numbers::pi / 6)) * std::exp(0.1 * z())));
  for (size_t end = 4; end <= y.size(); ++end) EXPECT_FALSE(detect_growth(first(y, end), {})->fired) << end;
  EXPECT_TRUE(detect_growth(with_surge(y, 1, 2.5), {})->fired);
}

TEST(DetectorsGrowth, BaselineZero) {
  const std::vector<double> y = {0, 0, 0, 40};
  const auto d = detect_growth(y, {});
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->fired);
  EXPECT_TRUE(std::isinf(d->score));
  EXPECT_EQ(d->explanation, "40 follows the trailing 3-month mean of 0 (threshold 2.0 times)");
  EXPECT_FALSE(detect_growth(y, {.minimum_volume = 50})->fired);
}

TEST(DetectorsGrowth, AllZerosNeverFire) {
  const std::vector<double> y(24, 0.0);
  const auto d = detect_growth(y, {.ratio = 1});
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->fired);
  EXPECT_EQ(d->score, 1);
  EXPECT_FALSE(detect_growth(y, {.compare = GrowthCompare::YearAgo, .ratio = 1, .direction = Direction::Both})->fired);
}

TEST(DetectorsGrowth, Falls) {
  const std::vector<double> y = {3000, 3200, 3133, 751};
  const auto d = detect_growth(y, {.direction = Direction::Down});
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->fired);
  EXPECT_DOUBLE_EQ(d->threshold, 0.5);
  EXPECT_EQ(d->explanation, "751 is 0.24 times the trailing 3-month mean of 3,111 (threshold 0.50)");
  EXPECT_FALSE(detect_growth(y, {})->fired);
  EXPECT_TRUE(detect_growth(y, {.direction = Direction::Both})->fired);
  // A fall's volume is the level it fell from.
  EXPECT_FALSE(detect_growth(y, {.minimum_volume = 4000, .direction = Direction::Down})->fired);
}

TEST(DetectorsGrowth, TooShort) {
  EXPECT_FALSE(detect_growth(std::vector<double>{1, 2, 10}, {}));
  EXPECT_FALSE(detect_growth(seasonal_counts(12, 1), {.compare = GrowthCompare::YearAgo}));
}

// --- seasonal anomaly ------------------------------------------------------------

TEST(DetectorsSeasonalAnomaly, FiresOnSurgeNotOnSeason) {
  const std::vector<double> y = seasonal_counts(120, 4);
  const auto quiet = detect_seasonal_anomaly(y, {});
  ASSERT_TRUE(quiet);
  EXPECT_FALSE(quiet->fired);
  const auto d = detect_seasonal_anomaly(with_surge(y, 1, 2.5), {});
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->fired);
  EXPECT_GT(d->score, 3.5);
  // The expectation is the ordinary value for that month, not the surge.
  EXPECT_NEAR(d->baseline, y.back(), 0.3 * y.back());
  EXPECT_NE(d->explanation.find("robust standard deviations above the seasonal expectation of"), std::string::npos);
  EXPECT_LT(null_fire_rate(SeasonalAnomalyRule{}, 5), 0.01);
}

// A high-season value in the low season is an anomaly; in the high season it is not.
TEST(DetectorsSeasonalAnomaly, JudgesEachMonthAgainstItsSeason) {
  int trough = 0, peak = 0;
  for (int t = 0; t < 12; ++t) {
    if (season_index(t) < season_index(trough)) trough = t;
    if (season_index(t) > season_index(peak)) peak = t;
  }
  std::vector<double> at_trough = seasonal_counts(96 + trough + 1, 5);
  std::vector<double> at_peak = seasonal_counts(96 + peak + 1, 5);
  const double high = 1000 * season_index(peak);
  at_trough.back() = at_peak.back() = high;
  EXPECT_TRUE(detect_seasonal_anomaly(at_trough, {})->fired);
  EXPECT_FALSE(detect_seasonal_anomaly(at_peak, {})->fired);
}

TEST(DetectorsSeasonalAnomaly, ZeroSpreadDoesNotDivideByZero) {
  std::vector<double> y(120, 100.0);
  auto d = detect_seasonal_anomaly(y, {});
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->fired);
  EXPECT_EQ(d->score, 0);
  EXPECT_NEAR(d->baseline, 100, 1e-9);
  y.back() = 200;  // MAD and mean deviation are 0: min_scale is the spread
  d = detect_seasonal_anomaly(y, {});
  EXPECT_TRUE(d->fired);
  EXPECT_NEAR(d->score, (std::log1p(200.0) - std::log1p(100.0)) / 0.05, 1e-9);
  EXPECT_FALSE(detect_seasonal_anomaly(y, {.minimum_volume = 500})->fired);

  std::vector<double> zeros(60, 0.0);
  d = detect_seasonal_anomaly(zeros, {});
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->fired);
  EXPECT_EQ(d->score, 0);
}

// A mostly-zero history has MAD 0 but some spread: the mean absolute deviation takes over.
TEST(DetectorsSeasonalAnomaly, MostlyZeroHistoryUsesMeanDeviation) {
  std::vector<double> y(72, 0.0);
  for (int t = 5; t < 72; t += 7) y[t] = 3;
  y.back() = 4;
  const auto d = detect_seasonal_anomaly(y, {});
  ASSERT_TRUE(d);
  EXPECT_TRUE(std::isfinite(d->score));
  EXPECT_LT(d->score, std::log1p(4.0) / 0.05);  // a larger spread than the floor
}

TEST(DetectorsSeasonalAnomaly, NegativeCountsCannotBeJudged) {
  std::vector<double> y = seasonal_counts(120, 6);
  y[110] = -1;
  EXPECT_FALSE(detect_seasonal_anomaly(y, {}));
}

// --- CUSUM and EWMA --------------------------------------------------------------

// Training months whose log1p alternates 5 +/- 0.1: target 5 and spread
// sqrt(12 * 0.01 / 11) / 0.98658, then the monitored months.
std::vector<double> known_training(const std::vector<double>& monitored_log1p) {
  std::vector<double> y;
  for (int i = 0; i < 12; ++i) y.push_back(std::expm1(i % 2 ? 5.1 : 4.9));
  for (double x : monitored_log1p) y.push_back(std::expm1(x));
  return y;
}
const double kKnownSigma = std::sqrt(12 * 0.01 / 11) / 0.98658;

TEST(DetectorsCusum, PageRecursionOnKnownTraining) {
  const std::vector<double> y = known_training({5.3, 5.3, 5.3});
  const CusumRule rule{.monitor_months = 3, .training_months = 12, .basis = ChartBasis::Level};
  auto d = detect_cusum(y, rule);
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->fired);
  EXPECT_NEAR(d->score, 3 * (0.3 / kKnownSigma - 0.5), 1e-9);
  EXPECT_NEAR(d->baseline, std::expm1(5.0), 1e-9);
  EXPECT_NE(d->explanation.find("the upper CUSUM reached 7.0 standard deviations over 3 months (threshold 5.0)"),
            std::string::npos);
  // After two such months the sum is still below h.
  d = detect_cusum(first(y, 14), {.monitor_months = 2, .training_months = 12, .basis = ChartBasis::Level});
  EXPECT_NEAR(d->score, 2 * (0.3 / kKnownSigma - 0.5), 1e-9);
  EXPECT_FALSE(d->fired);
}

TEST(DetectorsCusum, TrainingExcludesTheMonitoredMonths) {
  const CusumRule rule{.monitor_months = 3, .training_months = 12, .basis = ChartBasis::Level};
  const auto calm = detect_cusum(known_training({5.0, 5.0, 5.0}), rule);
  const auto wild = detect_cusum(known_training({9.0, 9.5, 10.0}), rule);
  EXPECT_FALSE(calm->fired);
  EXPECT_TRUE(wild->fired);
  EXPECT_DOUBLE_EQ(calm->baseline, wild->baseline);
}

TEST(DetectorsCusum, AccumulatesASustainedRise) {
  const std::vector<double> y = with_surge(seasonal_counts(120, 7), 3, 1.5);
  EXPECT_FALSE(detect_cusum(first(y, 118), {})->fired);  // first month of the rise
  const auto d = detect_cusum(y, {});
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->fired);
  EXPECT_LT(null_fire_rate(CusumRule{}, 5), 0.02);
}

TEST(DetectorsCusum, FallsAndZeros) {
  const std::vector<double> y = with_surge(seasonal_counts(120, 8), 3, 0.4);
  EXPECT_FALSE(detect_cusum(y, {})->fired);
  EXPECT_TRUE(detect_cusum(y, {.direction = Direction::Down})->fired);
  EXPECT_TRUE(detect_cusum(y, {.direction = Direction::Both})->fired);
  const auto zeros = detect_cusum(std::vector<double>(60, 0.0), {});
  ASSERT_TRUE(zeros);
  EXPECT_FALSE(zeros->fired);
  EXPECT_EQ(zeros->score, 0);
}

TEST(DetectorsEwma, ExactVarianceAtTheFirstStep) {
  // One monitored month: Z - mu = lambda (x - mu) and sd(Z) = lambda sigma,
  // so the score is the month's own standardised value.
  const auto d = detect_ewma(known_training({5.5}),
                             {.monitor_months = 1, .training_months = 12, .basis = ChartBasis::Level});
  ASSERT_TRUE(d);
  EXPECT_NEAR(d->score, 0.5 / kKnownSigma, 1e-9);
  EXPECT_TRUE(d->fired);
  EXPECT_NE(d->explanation.find("standard errors above the training level (threshold 3.0)"), std::string::npos);
  // lambda = 1 forgets all but the latest month whatever the window.
  const auto last = detect_ewma(known_training({9.0, 4.0, 5.2}), {.lambda = 1,
                                                                   .monitor_months = 3,
                                                                   .training_months = 12,
                                                                   .basis = ChartBasis::Level});
  EXPECT_NEAR(last->score, 0.2 / kKnownSigma, 1e-9);
  EXPECT_FALSE(last->fired);
}

TEST(DetectorsEwma, ExactVarianceAfterSeveralSteps) {
  const double lambda = 0.3;
  const std::vector<double> x = {5.1, 5.2, 5.3, 5.4};
  double z = 5;
  for (double v : x) z = lambda * v + (1 - lambda) * z;
  const double sd = kKnownSigma * std::sqrt(lambda / (2 - lambda) * (1 - std::pow(1 - lambda, 8)));
  const auto d = detect_ewma(known_training(x), {.monitor_months = 4, .training_months = 12, .basis = ChartBasis::Level});
  EXPECT_NEAR(d->score, (z - 5) / sd, 1e-9);
}

TEST(DetectorsEwma, FiresOnSurgeQuietOnSeason) {
  EXPECT_TRUE(detect_ewma(with_surge(seasonal_counts(120, 9), 2, 1.8), {})->fired);
  EXPECT_LT(null_fire_rate(EwmaRule{}, 5), 0.02);
  const auto zeros = detect_ewma(std::vector<double>(60, 0.0), {});
  ASSERT_TRUE(zeros);
  EXPECT_FALSE(zeros->fired);
}

// --- forecast exceedance ---------------------------------------------------------

TEST(DetectorsForecastExceedance, NaiveModelsMatchForecastH) {
  const std::vector<double> y = seasonal_counts(60, 10);
  const std::vector<double> fit(y.begin(), y.end() - 1);
  for (ForecastModel model : {ForecastModel::SeasonalNaive, ForecastModel::Naive}) {
    const Forecast f = model == ForecastModel::Naive ? naive_forecast(fit, 1, {95})
                                                     : seasonal_naive_forecast(fit, 12, 1, {95});
    const auto d = detect_forecast_exceedance(y, {.model = model});
    ASSERT_TRUE(d);
    EXPECT_NEAR(d->baseline, f.mean[0], 1e-9);
    EXPECT_NEAR(d->threshold, f.upper[0][0], 1e-6);
  }
}

TEST(DetectorsForecastExceedance, FiresAboveTheInterval) {
  const std::vector<double> y = seasonal_counts(120, 11);
  const auto d = detect_forecast_exceedance(with_surge(y, 1, 3), {.model = ForecastModel::SeasonalNaive});
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->fired);
  EXPECT_GT(d->value, d->threshold);
  EXPECT_NE(d->explanation.find("is above the 95% prediction interval of the seasonal naive forecast of"),
            std::string::npos);
  // A 95% interval is crossed upward about 2.5% of the time by chance.
  EXPECT_LT(null_fire_rate(ForecastExceedanceRule{.model = ForecastModel::SeasonalNaive, .level = 99}, 5), 0.02);
  const auto fall = with_surge(y, 1, 0.2);
  EXPECT_FALSE(detect_forecast_exceedance(fall, {.model = ForecastModel::SeasonalNaive})->fired);
  EXPECT_TRUE(detect_forecast_exceedance(fall, {.model = ForecastModel::SeasonalNaive,
                                                .direction = Direction::Both})->fired);
}

TEST(DetectorsForecastExceedance, EtsFiresOnSurgeOnly) {
  const std::vector<double> y = seasonal_counts(72, 12);
  const auto quiet = detect_forecast_exceedance(y, {});
  ASSERT_TRUE(quiet);
  EXPECT_FALSE(quiet->fired);
  const auto d = detect_forecast_exceedance(with_surge(y, 1, 3), {});
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->fired);
  EXPECT_NE(d->explanation.find("forecast of"), std::string::npos);
}

TEST(DetectorsForecastExceedance, ZeroSpread) {
  std::vector<double> y(30, 0.0);
  auto d = detect_forecast_exceedance(y, {.model = ForecastModel::Naive});
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->fired);
  y.back() = 25;
  d = detect_forecast_exceedance(y, {.model = ForecastModel::Naive});
  EXPECT_TRUE(d->fired);
  EXPECT_TRUE(std::isinf(d->score));
  EXPECT_FALSE(detect_forecast_exceedance(y, {.model = ForecastModel::Naive, .minimum_volume = 100})->fired);
}

// Scratch buffers are shared per thread: interleaved calls on series of
// different lengths give the same answers as fresh ones.
TEST(DetectorsScratch, CallsDoNotLeakIntoEachOther) {
  const std::vector<double> a = seasonal_counts(120, 13), b = seasonal_counts(61, 14);
  const auto first_a = detect_seasonal_anomaly(a, {});
  detect_seasonal_anomaly(b, {});
  detect_cusum(b, {});
  const auto again = detect_seasonal_anomaly(a, {});
  EXPECT_EQ(first_a->score, again->score);
  EXPECT_EQ(first_a->baseline, again->baseline);
}

// --- a real surge: Haitians at the Darién, 2021 ------------------------------------

TEST(DetectorsDarien, GrowthCatchesTheHaitianSurgeOfMid2021) {
  const GrowthRule rule{.window = 3, .ratio = 2};
  const auto june = detect_growth(first(kHaitiansDarien, kJune2021), rule);
  const auto july = detect_growth(first(kHaitiansDarien, kJuly2021), rule);
  ASSERT_TRUE(june && july);
  EXPECT_TRUE(june->fired);
  EXPECT_TRUE(july->fired);
  EXPECT_EQ(june->explanation, "5,293 is 2.3 times the trailing 3-month mean of 2,350 (threshold 2.0)");
  EXPECT_EQ(july->explanation, "13,141 is 3.8 times the trailing 3-month mean of 3,483 (threshold 2.0)");
  // May 2021 (1,851 after 3,306) is a dip, not a surge.
  EXPECT_FALSE(detect_growth(first(kHaitiansDarien, kJune2021 - 1), rule)->fired);
}

TEST(DetectorsDarien, OtherRulesOnTheShortHaitianSeries) {
  const std::span<const double> july = kHaitiansDarien;
  // 19 months: too short for the seasonal score and the year-on-year charts.
  EXPECT_FALSE(detect_seasonal_anomaly(july, {}));
  EXPECT_FALSE(detect_cusum(july, {}));
  EXPECT_FALSE(detect_ewma(july, {}));
  // On the log level, with training 2020-01..2021-01 (the closure zeros
  // included), July stands out; June not yet.
  EXPECT_TRUE(detect_cusum(july, {.basis = ChartBasis::Level})->fired);
  EXPECT_FALSE(detect_cusum(first(kHaitiansDarien, kJune2021), {.basis = ChartBasis::Level})->fired);
  EXPECT_TRUE(detect_ewma(july, {.basis = ChartBasis::Level})->fired);
  EXPECT_TRUE(detect_forecast_exceedance(july, {.model = ForecastModel::Naive})->fired);
  EXPECT_TRUE(detect_forecast_exceedance(first(kHaitiansDarien, kJune2021), {.model = ForecastModel::Naive})->fired);
}

}  // namespace
}  // namespace atalaya
