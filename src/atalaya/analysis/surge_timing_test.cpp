#include "atalaya/analysis/surge_timing.h"

#include <gtest/gtest.h>

#include <cmath>

namespace atalaya {
namespace {

const Period kStart = Period::month(2018, 1);

// A flat 500 a month with surges: each {first month index, monthly values}.
MonthlySeries with_surges(int months, const std::vector<std::pair<int, std::vector<double>>>& surges) {
  MonthlySeries s;
  s.start = kStart;
  s.values.assign(static_cast<size_t>(months), 500.0);
  for (auto& [at, values] : surges)
    for (size_t k = 0; k < values.size(); ++k) s.values[at + k] = values[k];
  return s;
}

TEST(TimeToPeak, CountsFromEachSurgesFirstMonthToItsPeak) {
  // Five surges of three months, peaking in the second or the third.
  std::vector<MonthlySeries> all;
  for (int k = 0; k < 5; ++k) all.push_back(with_surges(60, {{12 + 8 * k, {1500, 3000, k % 2 ? 2000.0 : 4000.0}}}));
  std::vector<const MonthlySeries*> ptrs;
  for (auto& s : all) ptrs.push_back(&s);
  TimeToPeak t = time_to_peak(ptrs, kStart.plus_months(59), 1000);
  EXPECT_TRUE(t.from_data) << t.note;
  EXPECT_EQ(t.surges, 5);
  // Two surges peak in their 2nd month (1 month on), three in their 3rd.
  EXPECT_EQ(t.distribution.first, 1);
  EXPECT_DOUBLE_EQ(t.distribution.at(1), 2.0 / 5);
  EXPECT_DOUBLE_EQ(t.distribution.at(2), 3.0 / 5);
  EXPECT_NE(t.note.find("from 5 surges ended by 2022-12"), std::string::npos) << t.note;
}

TEST(TimeToPeak, IgnoresSurgesNotEndedByThroughAndMonthsAfterIt) {
  MonthlySeries s = with_surges(60, {{12, {1500, 3000}}, {20, {1500, 3000}}, {28, {1500, 3000}},
                                     {36, {1500, 3000}}, {44, {1500, 3000}}, {52, {1500, 1600, 9000}}});
  const std::vector<const MonthlySeries*> one{&s};
  // Through the surge at 44's second month: it could still go on, so only 4 ended.
  TimeToPeak t = time_to_peak(one, kStart.plus_months(45), 1000);
  EXPECT_EQ(t.surges, 4);
  EXPECT_FALSE(t.from_data);
  EXPECT_EQ(t.distribution.p, declared_time_to_peak().p);
  EXPECT_NE(t.note.find("only 4 surges"), std::string::npos) << t.note;
  // Two months after it, it has ended; the one starting at 52 is unseen.
  t = time_to_peak(one, kStart.plus_months(47), 1000);
  EXPECT_EQ(t.surges, 5);
  EXPECT_TRUE(t.from_data);
  EXPECT_EQ(t.distribution.first, 1);
  EXPECT_EQ(t.distribution.last(), 1);
  // With every month, the sixth surge (peak two months after its start) counts too.
  EXPECT_EQ(time_to_peak(one, kStart.plus_months(59), 1000).distribution.last(), 2);
}

TEST(TimeToPeak, BelowTheMinimumVolumeOrAfterAGapIsNoSurge) {
  MonthlySeries small = with_surges(40, {{12, {1500, 3000}}});
  TimeToPeak t = time_to_peak({&small}, kStart.plus_months(39), 5000);
  EXPECT_EQ(t.surges, 0);
  // A month no release covers is missing, not 0: read as 0, six empty months
  // would halve the median and flag 900 against a level of 500.
  MonthlySeries gappy = with_surges(40, {{20, {900}}});
  for (int m = 14; m < 20; ++m) gappy.values[m] = NAN;
  EXPECT_EQ(time_to_peak({&gappy}, kStart.plus_months(39), 800).surges, 0);
  gappy.values[20] = 1500;
  t = time_to_peak({&gappy}, kStart.plus_months(39), 800);
  EXPECT_EQ(t.surges, 1);
  EXPECT_EQ(t.distribution.p, declared_time_to_peak().p);  // one surge is too few
}

}  // namespace
}  // namespace atalaya
