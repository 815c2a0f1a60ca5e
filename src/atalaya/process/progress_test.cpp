#include "atalaya/process/progress.h"

#include <gtest/gtest.h>

#include "atalaya/analysis/stored_series_testing.h"
#include "atalaya/store/sqlite/temp_db_testing.h"

namespace atalaya::process {
namespace {

using atalaya::testing::monthly_series;

SeriesKey resettled(const std::string& source, const std::string& citizenship) {
  return SeriesKey{source, "USA", "", citizenship, "resettlement", "", ""};
}

// A commitment to resettle 1000 persons by the end of 2023, counted from
// January 2023, reported `status` at a meeting.
CommitmentRecord resettlement(std::optional<ReportedStatus> status, Counting counting = Counting::CumulativeFrom) {
  CommitmentRecord r;
  Commitment& c = r.commitment;
  c.code = "d-P2-USA-resettlement";
  c.target = Target{1000, "persons resettled", ""};
  c.deadline = read_deadline("2023-12", "deadline");
  c.indicator = Indicator{{{"source", {"test-arrivals"}}, {"event", {"resettlement"}}}, counting,
                          counting == Counting::CumulativeFrom ? "2023-01" : "", {}};
  if (status) {
    r.latest_status = StatusReport{};
    r.latest_status->status = *status;
  }
  return r;
}

TEST(ProcessProgress, CumulativeFromSumsTheMonthsUpToTheDeadline) {
  // Jan 2022 .. Mar 2024: only 2023's twelve months (100 each) count.
  std::vector<double> values(27, 100);
  auto p = observed_progress(resettlement(std::nullopt), {monthly_series(resettled("test-arrivals", "HTI"), "2022-01", values, Unit::Persons)},
                             "2024-06-01");
  ASSERT_TRUE(p.refused.empty()) << p.refused;
  EXPECT_EQ(p.value, 1200);
  EXPECT_DOUBLE_EQ(*p.share, 1.2);
  EXPECT_EQ(p.from, "2023-01");
  EXPECT_EQ(p.to, "2023-12");
  EXPECT_EQ(p.as_of, "2023-12");
  EXPECT_EQ(p.periods_counted, 12);
  EXPECT_TRUE(p.gaps.empty());
  EXPECT_FALSE(p.partial);
  EXPECT_EQ(p.unit, "persons");
  EXPECT_FALSE(p.deadline_passed_short || p.deadline_passed_no_data || p.claimed_fulfilled_data_short);
}

TEST(ProcessProgress, ClaimedFulfilledWithTheDataAt40PercentIsFlagged) {
  // Four months of 100 over 2023-01..04: 400 of 1000, the data stopping in April.
  auto p = observed_progress(resettlement(ReportedStatus::Fulfilled),
                             {monthly_series(resettled("test-arrivals", "HTI"), "2023-01", {100, 100, 100, 100}, Unit::Persons)},
                             "2023-06-23");
  EXPECT_EQ(p.value, 400);
  EXPECT_DOUBLE_EQ(*p.share, 0.4);
  EXPECT_TRUE(p.claimed_fulfilled_data_short);
  EXPECT_TRUE(p.partial);  // the data stops before December
  EXPECT_EQ(p.to, "2023-04");
  EXPECT_FALSE(p.deadline_passed_short);  // not yet
  // Reported in progress: the same numbers, no mismatch.
  EXPECT_FALSE(observed_progress(resettlement(ReportedStatus::InProgress),
                                 {monthly_series(resettled("test-arrivals", "HTI"), "2023-01", {100, 100, 100, 100}, Unit::Persons)},
                                 "2023-06-23")
                   .claimed_fulfilled_data_short);
  // At 95% of the target a fulfilled claim stands.
  auto near = observed_progress(resettlement(ReportedStatus::Fulfilled),
                                {monthly_series(resettled("test-arrivals", "HTI"), "2023-01", std::vector<double>(12, 79.2), Unit::Persons)},
                                "2024-01-15");
  EXPECT_GE(*near.share, kShortOfTargetShare);
  EXPECT_FALSE(near.claimed_fulfilled_data_short || near.deadline_passed_short);
}

TEST(ProcessProgress, MissingMonthsAreGapsNotZeros) {
  StoredSeries s = monthly_series(resettled("test-arrivals", "HTI"), "2023-01", std::vector<double>(12, 50), Unit::Persons);
  s.points.erase(s.points.begin() + 4, s.points.begin() + 6);  // no May, no June
  auto p = observed_progress(resettlement(std::nullopt), {s}, "2024-02-01");
  EXPECT_EQ(p.value, 500);
  EXPECT_EQ(p.periods_counted, 10);
  EXPECT_EQ(p.gaps, (std::vector<std::string>{"2023-05", "2023-06"}));
  EXPECT_TRUE(p.deadline_passed_short);
}

TEST(ProcessProgress, OnlyMonthsCountAYearBesideThemIsLeftOut) {
  StoredSeries s = monthly_series(resettled("test-arrivals", "HTI"), "2023-01", {100, 100, 100}, Unit::Persons);
  s.points.insert(s.points.begin(), StoredPoint{Period::year(2023), 5000, Status::Final, 1});
  auto p = observed_progress(resettlement(std::nullopt), {s}, "2023-06-01");
  EXPECT_EQ(p.value, 300);
  EXPECT_EQ(p.other_periods_ignored, 1);
  EXPECT_EQ(p.periods_counted, 3);
  // The chart's months are the months counted: the year is not among them.
  ASSERT_EQ(p.months.size(), 3u);
  EXPECT_EQ(p.months.front().period, "2023-01");
  EXPECT_EQ(p.months.back().value, 100);
}

TEST(ProcessProgress, LevelByTakesTheLatestValueAtOrBeforeTheDeadline) {
  auto p = observed_progress(resettlement(std::nullopt, Counting::LevelBy),
                             {monthly_series(resettled("test-arrivals", "HTI"), "2023-10", {600, 700, 800, 1000, 1100}, Unit::Persons)},
                             "2024-03-01");
  EXPECT_EQ(p.value, 800);  // December 2023, not the later months
  EXPECT_EQ(p.as_of, "2023-12");
  EXPECT_EQ(p.periods_counted, 1);
  EXPECT_TRUE(p.deadline_passed_short);
  // The chart shows the levels up to the deadline's month, not after.
  ASSERT_EQ(p.months.size(), 3u);
  EXPECT_EQ(p.months.back().period, "2023-12");
  EXPECT_EQ(p.months.back().value, 800);
}

TEST(ProcessProgress, NoSumAcrossUnitsSourcesOrATotalAndItsBreakdown) {
  const auto record = resettlement(ReportedStatus::Fulfilled);
  auto units = observed_progress(record,
                                 {monthly_series(resettled("test-arrivals", "HTI"), "2023-01", {1, 2}, Unit::Persons),
                                  monthly_series(resettled("test-arrivals", "CUB"), "2023-01", {1, 2}, Unit::Events)},
                                 "2024-06-01");
  EXPECT_NE(units.refused.find("different units"), std::string::npos) << units.refused;
  EXPECT_FALSE(units.value);
  EXPECT_FALSE(units.claimed_fulfilled_data_short || units.deadline_passed_no_data);

  auto sources = observed_progress(record,
                                   {monthly_series(resettled("test-arrivals", "HTI"), "2023-01", {1, 2}, Unit::Persons),
                                    monthly_series(resettled("other-arrivals", "HTI"), "2023-01", {1, 2}, Unit::Persons)},
                                   "2024-06-01");
  EXPECT_NE(sources.refused.find("more than one source (other-arrivals, test-arrivals)"), std::string::npos)
      << sources.refused;
  EXPECT_FALSE(sources.value);

  auto overlap = observed_progress(record,
                                   {monthly_series(resettled("test-arrivals", ""), "2023-01", {3, 4}, Unit::Persons),
                                    monthly_series(resettled("test-arrivals", "HTI"), "2023-01", {1, 2}, Unit::Persons)},
                                   "2024-06-01");
  EXPECT_NE(overlap.refused.find("breakdown by citizenship"), std::string::npos) << overlap.refused;
}

TEST(ProcessProgress, DeadlinePassedWithoutDataAndNoIndicatorSaySo) {
  auto none = observed_progress(resettlement(ReportedStatus::Fulfilled), {}, "2024-01-01");
  EXPECT_TRUE(none.deadline_passed_no_data);
  EXPECT_FALSE(none.value);
  EXPECT_FALSE(none.claimed_fulfilled_data_short);  // nothing observed is not 0%
  EXPECT_FALSE(observed_progress(resettlement(std::nullopt), {}, "2023-12-31").deadline_passed_no_data);

  CommitmentRecord plain = resettlement(ReportedStatus::Fulfilled);
  plain.commitment.indicator.reset();
  auto p = observed_progress(plain, {}, "2024-01-01");
  EXPECT_TRUE(p.no_indicator);
  EXPECT_FALSE(p.value || p.deadline_passed_no_data);
}

// The acceptance case end to end: a test series written into a SQLite
// store, read back through the indicator's selection.
TEST(ProcessProgress, FromASeriesStoreTheFulfilledClaimAt40PercentIsFlagged) {
  TempDb db("process-progress");
  auto store = open_store(db.path());
  ParsedFile f;
  f.source = "test-arrivals";
  f.source_name = "Test arrivals";
  f.format = "test";
  f.path = "arrivals.csv";
  f.digest = "digest-arrivals";
  f.series = {SeriesDef{resettled("test-arrivals", "HTI"), Unit::Persons},
              SeriesDef{resettled("test-arrivals", "VEN"), Unit::Persons},
              SeriesDef{SeriesKey{"test-arrivals", "USA", "", "HTI", "encounter", "", ""}, Unit::Persons}};
  for (int m = 1; m <= 8; ++m) {
    f.rows.push_back(ObservationRow{0, Period::month(2023, m), 30, Status::Final, 1});
    f.rows.push_back(ObservationRow{1, Period::month(2023, m), 20, Status::Final, 1});
    f.rows.push_back(ObservationRow{2, Period::month(2023, m), 9999, Status::Final, 1});  // not selected
  }
  f.rows_read = static_cast<uint32_t>(f.rows.size());
  store->write_vintage(f);

  const auto p = progress_of(*store, resettlement(ReportedStatus::Fulfilled), "2024-01-10");
  ASSERT_TRUE(p.refused.empty()) << p.refused;
  EXPECT_EQ(p.value, 400);  // (30 + 20) x 8 months
  EXPECT_DOUBLE_EQ(*p.share, 0.4);
  EXPECT_EQ(p.as_of, "2023-08");
  EXPECT_TRUE(p.partial);
  EXPECT_TRUE(p.claimed_fulfilled_data_short);
  EXPECT_TRUE(p.deadline_passed_short);
  EXPECT_EQ(p.sources, std::vector<std::string>{"test-arrivals"});
}

}  // namespace
}  // namespace atalaya::process
