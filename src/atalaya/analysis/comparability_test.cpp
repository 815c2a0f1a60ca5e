// Numbers that never mislead: what the cube's answers add, refuse, leave
// missing and mark partial, from the sources' declarations and coverage.
#include <gtest/gtest.h>

#include <cmath>

#include "atalaya/analysis/cube.h"
#include "atalaya/analysis/series_lines_testing.h"
#include "atalaya/core/error.h"

namespace atalaya {
namespace {

StoredSeries series(const std::string& source, const std::string& citizenship,
                    std::vector<std::pair<const char*, int64_t>> points, Unit unit = Unit::Persons,
                    const std::string& demographic = "") {
  StoredSeries s;
  s.key = SeriesKey{source, "PAN", "", citizenship, "irregular_transit", demographic, ""};
  s.unit = unit;
  for (auto& [p, v] : points) s.points.push_back({*Period::parse(p), v, Status::Final, 1});
  std::sort(s.points.begin(), s.points.end(),
            [](const StoredPoint& a, const StoredPoint& b) { return a.period.code() < b.period.code(); });
  return s;
}

SourceDeclaration declared(Measure m = Measure::Flow, AbsentKey absent = AbsentKey::Zero,
                           std::vector<std::string> overlaps = {}) {
  SourceDeclaration d;
  d.measure = m;
  d.absent = absent;
  d.overlaps = std::move(overlaps);
  d.coverage = "the Darién";
  return d;
}

std::vector<std::string> lines(const SeriesResult& r) { return testing::series_lines(r); }

std::string refusal(const Cube& cube, const SeriesQuery& q) {
  try {
    cube.query(q);
  } catch (const Error& e) {
    return e.what();
  }
  return "(accepted)";
}

using Lines = std::vector<std::string>;

TEST(Comparability, OverlappingSourcesAreSideBySideAndTheirTotalIsRefused) {
  Cube cube({series("a", "HTI", {{"2021-07", 10}}), series("b", "HTI", {{"2021-07", 12}})},
            {{"a", declared(Measure::Flow, AbsentKey::Zero, {"b"})}, {"b", declared()}});
  SeriesQuery q;
  SeriesResult side = cube.query(q);
  EXPECT_EQ(side.by, (std::vector<std::string>{"source"}));
  EXPECT_EQ(lines(side), (Lines{"a|2021-07=10", "b|2021-07=12"}));
  ASSERT_FALSE(side.notes.empty());
  EXPECT_NE(side.notes.front().find("side by side"), std::string::npos);
  q.sum_sources = true;
  const std::string why = refusal(cube, q);
  EXPECT_NE(why.find("a and b overlap"), std::string::npos) << why;
  EXPECT_NE(why.find("count the same people twice"), std::string::npos) << why;
  EXPECT_EQ(why.rfind("sum:", 0), 0u) << why;  // names the parameter
}

TEST(Comparability, ComparableSourcesAddOnlyWhenAsked) {
  Cube cube({series("a", "HTI", {{"2021-07", 10}}), series("b", "HTI", {{"2021-07", 12}})},
            {{"a", declared()}, {"b", declared()}});
  SeriesQuery q;
  q.sum_sources = true;
  EXPECT_EQ(lines(cube.query(q)), (Lines{"2021-07=22"}));
}

TEST(Comparability, UnitsAndMeasuresAreNeverAdded) {
  Cube units({series("a", "HTI", {{"2021-07", 10}}), series("b", "HTI", {{"2021-07", 12}}, Unit::Events)},
             {{"a", declared()}, {"b", declared()}});
  SeriesQuery q;
  q.sum_sources = true;
  EXPECT_NE(refusal(units, q).find("a counts persons, b counts events"), std::string::npos) << refusal(units, q);
  StoredSeries refugees = series("b", "HTI", {{"2021", 12}});
  refugees.key.event = "refugee";  // a stock, as the vocabulary says
  Cube measures({series("a", "HTI", {{"2021", 10}}), refugees}, {{"a", declared()}, {"b", declared(Measure::Stock)}});
  EXPECT_NE(refusal(measures, q).find("a flow over a period and a stock at a date"), std::string::npos);
  // Within one source, two units are shown apart, one row each.
  Cube mixed({series("a", "HTI", {{"2021", 10}}, Unit::Cases), series("a", "VEN", {{"2021", 12}})},
             {{"a", declared()}});
  SeriesResult r = mixed.query(SeriesQuery{});
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_NE(r.rows[0].unit, r.rows[1].unit);
}

TEST(Comparability, AMonthNoReleaseCoversIsMissingAndAnAbsentKeyIsZero) {
  // The source published 2020-03, 2020-06 and 2020-08; Cubans only in 2020-03.
  Cube cube({series("pa", "HTI", {{"2020-03", 777}, {"2020-06", 111}}),
             series("pa", "CUB", {{"2020-03", 5}, {"2020-08", 6}})},
            {{"pa", declared()}});
  SeriesQuery q;
  q.by = {"citizenship"};
  EXPECT_EQ(lines(cube.query(q)),
            (Lines{"CUB|2020-03=5", "CUB|2020-04=missing", "CUB|2020-05=missing", "CUB|2020-06=0",
                   "CUB|2020-07=missing", "CUB|2020-08=6", "HTI|2020-03=777", "HTI|2020-04=missing",
                   "HTI|2020-05=missing", "HTI|2020-06=111", "HTI|2020-07=missing", "HTI|2020-08=0"}));
  // Early warning reads the same months: NaN for the gaps, 0 where covered.
  auto m = cube.monthly(q);
  ASSERT_EQ(m.size(), 2u);
  ASSERT_EQ(m[1].values.size(), 6u);  // HTI 2020-03 .. 2020-08
  EXPECT_EQ(m[1].values[0], 777);
  EXPECT_TRUE(std::isnan(m[1].values[1]));
  EXPECT_EQ(m[1].values[3], 111);
  EXPECT_EQ(m[1].values[5], 0);
  EXPECT_TRUE(m[1].has_gaps());
  MonthlySeries tail = gap_free_tail(m[1]);
  EXPECT_EQ(tail.start.to_string(), "2020-08");
  EXPECT_EQ(tail.values, std::vector<double>{0});
}

TEST(Comparability, ASuppressingSourceNeverShowsAbsentAsZero) {
  Cube cube({series("unhcr", "HTI", {{"2021", 40}}), series("unhcr", "VEN", {{"2021", 9}, {"2022", 8}})},
            {{"unhcr", declared(Measure::Flow, AbsentKey::Suppressed)}});
  SeriesQuery q;
  q.filters["citizenship"] = {"HTI"};
  EXPECT_EQ(lines(cube.query(q)), (Lines{"2021=40", "2022=suppressed"}));
}

TEST(Comparability, AYearOfFourMonthsIsPartialAndSaysWhichMonths) {
  Cube cube({series("pa", "HTI", {{"2024-11", 1}, {"2024-12", 2}, {"2025-01", 3}, {"2025-02", 4},
                                  {"2025-03", 5}, {"2025-04", 6}})},
            {{"pa", declared()}});
  SeriesQuery q;
  q.frequency = Frequency::Year;
  EXPECT_EQ(lines(cube.query(q)),
            (Lines{"2024=3 partial 2024-11..2024-12", "2025=18 partial 2025-01..2025-04"}));
}

TEST(Comparability, AGapInsideAYearMakesItPartial) {
  Cube cube({series("pa", "HTI", {{"2020-01", 1}, {"2020-02", 1}, {"2020-03", 1}, {"2020-06", 1},
                                  {"2020-08", 1}, {"2020-09", 1}, {"2020-10", 1}, {"2020-11", 1},
                                  {"2020-12", 1}})},
            {{"pa", declared()}});
  SeriesQuery q;
  q.frequency = Frequency::Year;
  EXPECT_EQ(lines(cube.query(q)), (Lines{"2020=9 partial 2020-01..2020-03, 2020-06, 2020-08..2020-12"}));
}

StoredSeries stock(std::vector<std::pair<const char*, int64_t>> points) {
  StoredSeries s = series("pop", "VEN", std::move(points));
  s.key.event = "other_in_need_of_protection";  // a stock in the vocabulary
  return s;
}

TEST(Comparability, StocksRollUpByTheirLastValue) {
  Cube cube({stock({{"2021", 1842390}, {"2022", 2453862}, {"2023", 2851160}})}, {{"pop", declared(Measure::Stock)}});
  SeriesQuery q;
  q.from = Period::parse("2021");
  q.to = Period::parse("2023");
  q.total = true;
  EXPECT_EQ(lines(cube.query(q)), (Lines{"2021..2023=2851160"}));
  // A flow over the same range adds.
  Cube flow({series("pop", "VEN", {{"2021", 1}, {"2022", 2}, {"2023", 3}})}, {{"pop", declared()}});
  EXPECT_EQ(lines(flow.query(q)), (Lines{"2021..2023=6"}));
  // A quarter of a monthly stock is its last month; without it, partial.
  Cube monthly({stock({{"2021-01", 10}, {"2021-02", 20}, {"2021-03", 30}, {"2021-04", 40}})},
               {{"pop", declared(Measure::Stock)}});
  SeriesQuery quarters;
  quarters.frequency = Frequency::Quarter;
  EXPECT_EQ(lines(monthly.query(quarters)), (Lines{"2021-Q1=30", "2021-Q2=40 partial 2021-04"}));
}

TEST(Comparability, AnnualTotalsAreNeverAddedToMonths) {
  Cube cube({series("pa", "HTI", {{"2019", 100}, {"2020-01", 1}, {"2020-02", 2}})}, {{"pa", declared()}});
  SeriesResult r = cube.query(SeriesQuery{});
  EXPECT_EQ(lines(r), (Lines{"2020-01=1", "2020-02=2", "2019=100"}));
  EXPECT_EQ(r.rows[2].period.frequency(), Frequency::Year);
}

TEST(Comparability, TwoBreakdownsOfOneSourceAreNotAdded) {
  // One file publishes 2021-07 by citizenship and, separately, by sex.
  Cube cube({series("hn", "HTI", {{"2021-07", 10}}), series("hn", "VEN", {{"2021-07", 20}}),
             series("hn", "", {{"2021-07", 14}}, Unit::Persons, "F"),
             series("hn", "", {{"2021-07", 16}}, Unit::Persons, "M")},
            {{"hn", declared()}});
  SeriesQuery q;
  const std::string why = refusal(cube, q);
  EXPECT_NE(why.find("two breakdowns"), std::string::npos) << why;
  EXPECT_NE(why.find("citizenship or demographic"), std::string::npos) << why;
  // Selecting one breakdown (the demographic total: _T) answers.
  q.filters["demographic"] = {"_T"};
  EXPECT_EQ(lines(cube.query(q)), (Lines{"2021-07=30"}));
}

TEST(Comparability, SeriesThatDifferInAGivenDimensionAreNotBreakdownsOfEachOther) {
  // Deportations (no demographic) and assisted returns of children: other events, no overlap.
  StoredSeries deported = series("mx", "HND", {{"2019-06", 41}});
  deported.key.event = "deportation";
  StoredSeries children = series("mx", "HND", {{"2019-06", 4375}}, Unit::Persons, "child");
  children.key.event = "assisted_return";
  StoredSeries adults = series("mx", "HND", {{"2019-06", 7572}}, Unit::Persons, "adult");
  adults.key.event = "assisted_return";
  Cube cube({deported, children, adults}, {{"mx", declared()}});
  EXPECT_EQ(lines(cube.query(SeriesQuery{})), (Lines{"2019-06=11988"}));
}

TEST(Comparability, ACitizenshipIsMissingWhereTheSourceGaveOnlyTotals) {
  // Totals only before 2019-10, citizenships from then on (as the corridor's U.S. file).
  Cube cube({series("us", "", {{"2019-08", 100}, {"2019-09", 110}}),
             series("us", "HTI", {{"2019-10", 7}, {"2019-11", 8}}), series("us", "MEX", {{"2019-10", 90}})},
            {{"us", declared()}});
  SeriesQuery q;
  q.filters["citizenship"] = {"MEX"};
  EXPECT_EQ(lines(cube.query(q)), (Lines{"2019-10=90", "2019-11=0"}));
  q.filters["citizenship"] = {"HTI"};
  q.from = Period::parse("2019-08");
  EXPECT_EQ(lines(cube.query(q)), (Lines{"2019-10=7", "2019-11=8"}));
  // The whole source, month by month: every month is known once.
  SeriesQuery all;
  auto m = cube.monthly(all);
  ASSERT_EQ(m.size(), 1u);
  EXPECT_EQ(m[0].values, (std::vector<double>{100, 110, 97, 8}));
}

}  // namespace
}  // namespace atalaya
