#include "atalaya/analysis/lag.h"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

#include "atalaya/analysis/synthetic_series_testing.h"

namespace atalaya {
namespace {

using testing::Normal;

// A Darién-like upstream flow over n + warmup months: a slow log-scale AR(1)
// wobble around 2,000 a month with a few surges of several months.
std::vector<double> upstream_flow(int months, uint64_t seed) {
  Normal z(seed);
  std::vector<double> x;
  double wobble = 0;
  for (int t = 0; t < months; ++t) {
    wobble = 0.7 * wobble + 0.25 * z();
    double surge = 1;
    for (int start : {14, 33, 51, 70})
      if (t >= start && t < start + 4) surge += 2.5 * std::sin(3.14159 * (t - start + 0.5) / 4);
    x.push_back(2000 * std::exp(wobble) * surge);
  }
  return x;
}

// The downstream count: what passed upstream `weights[k]` of it k months
// earlier, 80% of it counted, with 8% reporting noise. Both series are
// returned over the same months (the first weights.size()-1 are dropped so
// every downstream month has its full upstream history).
struct Pair {
  std::vector<double> up, down;
};
Pair lagged(const std::vector<double>& x, const std::vector<double>& weights, uint64_t seed) {
  Normal z(seed);
  Pair p;
  const size_t warm = weights.size() - 1;
  for (size_t t = warm; t < x.size(); ++t) {
    double flow = 0;
    for (size_t k = 0; k < weights.size(); ++k) flow += weights[k] * x[t - k];
    p.up.push_back(x[t]);
    p.down.push_back(std::round(0.8 * flow * std::exp(0.08 * z())));
  }
  return p;
}

TEST(EstimateLag, FindsATwoMonthShiftWithAnIntervalHoldingIt) {
  Pair p = lagged(upstream_flow(90, 7), {0, 0, 1}, 8);
  LagEstimate e = estimate_lag(p.up, p.down, 6, 0);
  EXPECT_TRUE(e.estimated) << e.note;
  EXPECT_EQ(e.months, 2);
  EXPECT_LE(e.low, 2);
  EXPECT_GE(e.high, 2);
  EXPECT_GT(e.correlation, 0.8);
  EXPECT_EQ(e.samples, 88 - 6 - 6);  // months after the 6-month history, less the longest lag
  ASSERT_EQ(e.correlations.size(), 7u);
  EXPECT_EQ(e.correlations[2], e.correlation);
}

TEST(EstimateLag, DistributionIsTheShareOfResamplesGivingEachLag) {
  Pair p = lagged(upstream_flow(90, 11), {0.25, 0.55, 0.15, 0.05}, 12);
  LagEstimate e = estimate_lag(p.up, p.down, 4, 3);
  ASSERT_TRUE(e.estimated) << e.note;
  EXPECT_EQ(e.distribution.first, 0);
  ASSERT_EQ(e.distribution.p.size(), 5u);  // 0..max_lag
  double total = 0;
  for (double x : e.distribution.p) {
    total += x;
    EXPECT_NEAR(x * 500, std::round(x * 500), 1e-9);  // a share of 500 resamples
  }
  EXPECT_NEAR(total, 1.0, 1e-9);
  // The best lag is the likeliest, and the 10-90% interval is the
  // distribution's central 80%, widened to hold it.
  for (int k = 0; k <= 4; ++k) EXPECT_LE(e.distribution.at(k), e.distribution.at(e.months));
  const MonthInterval i = central_interval(e.distribution, 0.8);
  EXPECT_EQ(e.low, std::min(i.low, e.months));
  EXPECT_EQ(e.high, std::max(i.high, e.months));
}

TEST(EstimateLag, FindsTheModeOfASpreadOutTransit) {
  // The simulator's Darién -> Honduras weights: most arrive the next month.
  Pair p = lagged(upstream_flow(90, 11), {0.25, 0.55, 0.15, 0.05}, 12);
  LagEstimate e = estimate_lag(p.up, p.down, 4, 3);
  EXPECT_TRUE(e.estimated) << e.note;
  EXPECT_EQ(e.months, 1);
  EXPECT_LE(e.low, 1);
  EXPECT_GE(e.high, 1);
  EXPECT_LE(e.high - e.low, 2);
}

TEST(EstimateLag, SameMonthFlowIsLagZero) {
  Pair p = lagged(upstream_flow(60, 21), {1}, 22);
  LagEstimate e = estimate_lag(p.up, p.down, 3, 2);
  EXPECT_TRUE(e.estimated) << e.note;
  EXPECT_EQ(e.months, 0);
  EXPECT_EQ(e.low, 0);
}

TEST(EstimateLag, IsDeterministic) {
  Pair p = lagged(upstream_flow(70, 31), {0.2, 0.5, 0.3}, 32);
  LagEstimate a = estimate_lag(p.up, p.down, 4, 1), b = estimate_lag(p.up, p.down, 4, 1);
  EXPECT_EQ(a.months, b.months);
  EXPECT_EQ(a.low, b.low);
  EXPECT_EQ(a.high, b.high);
  EXPECT_EQ(a.correlation, b.correlation);
}

TEST(EstimateLag, TooFewMonthsFallsBackToThePrior) {
  Pair p = lagged(upstream_flow(30, 41), {0, 1}, 42);
  // 29 months: 6 of history and 6 of lag leave 17 pairs, one short.
  LagEstimate e = estimate_lag(p.up, p.down, 6, 1);
  EXPECT_FALSE(e.estimated);
  EXPECT_EQ(e.months, 1);
  EXPECT_EQ(e.low, 0);
  EXPECT_EQ(e.high, 2);
  EXPECT_EQ(e.samples, 17);
  EXPECT_NE(e.note.find("17 month pairs"), std::string::npos) << e.note;
  // The declared 1 month, give or take one: 1/4, 1/2, 1/4.
  EXPECT_EQ(e.distribution.p, declared_lag(1, 1).p);
  EXPECT_EQ(e.distribution.first, 0);
  // One lag fewer to search gives the 18th pair, and an estimate.
  EXPECT_TRUE(estimate_lag(p.up, p.down, 5, 1).estimated);
}

TEST(EstimateLag, PriorIntervalDoesNotGoBelowZero) {
  LagEstimate e = estimate_lag({1, 2, 3}, {1, 2, 3}, 2, 0);
  EXPECT_FALSE(e.estimated);
  EXPECT_EQ(e.months, 0);
  EXPECT_EQ(e.low, 0);
  EXPECT_EQ(e.high, 1);
}

TEST(EstimateLag, DeclaredSpreadIsUsedWhenTheDataCannotSay) {
  // 3 give or take 3: weights 1, 2, 3, 4, 3, 2, 1 (over 16) on 0..6 months.
  LagEstimate e = estimate_lag({1, 2, 3}, {1, 2, 3}, 6, 3, declared_lag(3, 3));
  EXPECT_FALSE(e.estimated);
  EXPECT_EQ(e.months, 3);
  EXPECT_EQ(e.distribution.p, declared_lag(3, 3).p);
  EXPECT_EQ(e.low, 1);  // 1/16 at 0 is within the 10% tail, 3/16 at 0 and 1 is not
  EXPECT_EQ(e.high, 5);
  EXPECT_THROW(estimate_lag({1, 2}, {1, 2}, 1, 0, MonthDistribution{}), std::invalid_argument);
  EXPECT_THROW(estimate_lag({1, 2}, {1, 2}, 1, 0, MonthDistribution{-1, {0.5, 0.5}}), std::invalid_argument);
}

TEST(EstimateLag, FlatSeriesFallBackToThePrior) {
  Pair p = lagged(upstream_flow(60, 51), {0, 1}, 52);
  std::vector<double> flat(p.up.size(), 500.0), zeros(p.up.size(), 0.0);
  LagEstimate e = estimate_lag(flat, p.down, 3, 2);
  EXPECT_FALSE(e.estimated);
  EXPECT_EQ(e.months, 2);
  EXPECT_NE(e.note.find("upstream series is flat"), std::string::npos) << e.note;
  e = estimate_lag(p.up, zeros, 3, 2);
  EXPECT_FALSE(e.estimated);
  EXPECT_NE(e.note.find("downstream series is flat"), std::string::npos) << e.note;
}

TEST(EstimateLag, OpposedSeriesDoNotGiveALag) {
  // Downstream falls when upstream surges (a route closing, say): no lag is
  // positively associated, so the data do not say how long the transit is.
  Pair p = lagged(upstream_flow(80, 61), {1}, 62);
  std::vector<double> opposed;
  for (double x : p.up) opposed.push_back(1e7 / x);
  LagEstimate e = estimate_lag(p.up, opposed, 2, 1);
  EXPECT_FALSE(e.estimated);
  EXPECT_EQ(e.months, 1);
  EXPECT_NE(e.note.find("no lag correlates clearly"), std::string::npos) << e.note;
  EXPECT_EQ(e.correlations.size(), 3u);
}

TEST(EstimateLag, RejectsMisalignedOrInvalidInput) {
  EXPECT_THROW(estimate_lag({1, 2, 3}, {1, 2}, 1, 0), std::invalid_argument);
  EXPECT_THROW(estimate_lag({1, 2}, {1, 2}, -1, 0), std::invalid_argument);
  EXPECT_THROW(estimate_lag({1, 2}, {1, 2}, 1, -1), std::invalid_argument);
  EXPECT_THROW(estimate_lag({1, -2}, {1, 2}, 1, 0), std::invalid_argument);
  EXPECT_THROW(estimate_lag({1, NAN}, {1, 2}, 1, 0), std::invalid_argument);
}

}  // namespace
}  // namespace atalaya
