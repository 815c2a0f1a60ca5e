#include "atalaya/analysis/month_distribution.h"

#include <gtest/gtest.h>

#include <numeric>
#include <stdexcept>

namespace atalaya {
namespace {

double total(const MonthDistribution& d) { return std::accumulate(d.p.begin(), d.p.end(), 0.0); }

TEST(DeclaredLag, TriangularWeightsAroundTheDeclaredMonth) {
  MonthDistribution d = declared_lag(2, 1);
  EXPECT_EQ(d.first, 1);
  EXPECT_DOUBLE_EQ(d.at(1), 0.25);
  EXPECT_DOUBLE_EQ(d.at(2), 0.5);
  EXPECT_DOUBLE_EQ(d.at(3), 0.25);
  EXPECT_DOUBLE_EQ(d.at(0), 0);
  d = declared_lag(3, 2);  // weights 1, 2, 3, 2, 1 over 9
  EXPECT_DOUBLE_EQ(d.at(1), 1.0 / 9);
  EXPECT_DOUBLE_EQ(d.at(3), 3.0 / 9);
  EXPECT_DOUBLE_EQ(d.at(5), 1.0 / 9);
  EXPECT_DOUBLE_EQ(declared_lag(4, 0).at(4), 1.0);
}

TEST(DeclaredLag, MassBelowZeroMovesToZero) {
  MonthDistribution d = declared_lag(0, 1);
  EXPECT_EQ(d.first, 0);
  EXPECT_DOUBLE_EQ(d.at(0), 0.75);
  EXPECT_DOUBLE_EQ(d.at(1), 0.25);
  EXPECT_NEAR(total(declared_lag(1, 3)), 1.0, 1e-12);
  EXPECT_EQ(declared_lag(1, 3).first, 0);
  EXPECT_THROW(declared_lag(-1, 1), std::invalid_argument);
  EXPECT_THROW(declared_lag(1, -1), std::invalid_argument);
}

TEST(Empirical, SharesOfTheDraws) {
  MonthDistribution d = empirical({-1, 2, 2, 0});
  EXPECT_EQ(d.first, -1);
  EXPECT_EQ(d.last(), 2);
  EXPECT_DOUBLE_EQ(d.at(-1), 0.25);
  EXPECT_DOUBLE_EQ(d.at(1), 0);
  EXPECT_DOUBLE_EQ(d.at(2), 0.5);
  EXPECT_THROW(empirical({}), std::invalid_argument);
}

TEST(Convolve, AddsIndependentLags) {
  // Two fair coins of 0 or 1 month: 0, 1, 2 months with 1/4, 1/2, 1/4.
  MonthDistribution coin{0, {0.5, 0.5}};
  MonthDistribution two = convolve(coin, coin);
  EXPECT_EQ(two.first, 0);
  ASSERT_EQ(two.p.size(), 3u);
  EXPECT_DOUBLE_EQ(two.p[1], 0.5);
  // Offsets add: a lag of 1 to 2 after a peak 1 month earlier to 1 later.
  MonthDistribution shifted = convolve(MonthDistribution{1, {0.5, 0.5}}, MonthDistribution{-1, {0.25, 0.5, 0.25}});
  EXPECT_EQ(shifted.first, 0);
  EXPECT_EQ(shifted.last(), 3);
  EXPECT_DOUBLE_EQ(shifted.at(1), 0.375);
  EXPECT_NEAR(total(shifted), 1.0, 1e-12);
  EXPECT_DOUBLE_EQ(convolve(point_mass(3), coin).at(4), 0.5);
  EXPECT_THROW(convolve(MonthDistribution{}, coin), std::invalid_argument);
}

TEST(CentralInterval, LeavesAtMostTheTailOnEachSide) {
  MonthDistribution d{0, {0.05, 0.1, 0.2, 0.3, 0.2, 0.1, 0.05}};
  MonthInterval i = central_interval(d, 0.8);  // at most 10% outside on each side
  EXPECT_EQ(i.low, 1);
  EXPECT_EQ(i.high, 5);
  EXPECT_NEAR(i.mass, 0.9, 1e-12);
  i = central_interval(d, 0.5);  // at most 25% each side
  EXPECT_EQ(i.low, 2);
  EXPECT_EQ(i.high, 4);
  EXPECT_NEAR(i.mass, 0.7, 1e-12);
  // A point mass is its own interval at any coverage.
  i = central_interval(point_mass(2), 0.95);
  EXPECT_EQ(i.low, 2);
  EXPECT_EQ(i.high, 2);
  EXPECT_DOUBLE_EQ(i.mass, 1);
  // A tail of exactly 10% is left out at 80%.
  i = central_interval(MonthDistribution{-1, {0.1, 0.8, 0.1}}, 0.8);
  EXPECT_EQ(i.low, 0);
  EXPECT_EQ(i.high, 0);
  EXPECT_THROW(central_interval(d, 0), std::invalid_argument);
  EXPECT_THROW(central_interval(d, 1.5), std::invalid_argument);
  EXPECT_THROW(central_interval(MonthDistribution{}, 0.8), std::invalid_argument);
}

TEST(MedianMonths, FirstMonthReachingHalf) {
  EXPECT_EQ(median_months(MonthDistribution{-2, {0.2, 0.2, 0.2, 0.4}}), 0);
  EXPECT_EQ(median_months(declared_lag(0, 1)), 0);
  EXPECT_EQ(median_months(MonthDistribution{0, {0.5, 0.5}}), 0);
}

}  // namespace
}  // namespace atalaya
