#include "atalaya/analysis/cube.h"

#include <gtest/gtest.h>

#include "atalaya/core/error.h"

namespace atalaya {
namespace {

StoredSeries make(std::string source, std::string citizenship, std::string location,
                  std::vector<std::pair<std::string, int64_t>> points, Status status = Status::Final) {
  StoredSeries s;
  s.key.source = std::move(source);
  s.key.reporter = s.key.source == "pa" ? "PAN" : "USA";
  s.key.citizenship = std::move(citizenship);
  s.key.location = std::move(location);
  s.key.event = s.key.source == "pa" ? "irregular_transit" : "encounter";
  for (auto& [p, v] : points) s.points.push_back({*Period::parse(p), v, status, 1});
  return s;
}

// Values with a missing month (NaN) written as -1, so vectors compare.
std::vector<double> shown(const std::vector<double>& v) {
  std::vector<double> out;
  for (double x : v) out.push_back(is_missing(x) ? -1 : x);
  return out;
}

Cube corridor() {
  std::vector<StoredSeries> s;
  s.push_back(make("pa", "HTI", "", {{"2019", 500}, {"2021-05", 1851}, {"2021-06", 5293}, {"2021-08", 17279}}));
  s.push_back(make("pa", "VEN", "", {{"2021-06", 100}, {"2021-07", 200}, {"2021-08", 300}}));
  s.push_back(make("us", "HTI", "Del Rio", {{"2021-06", 10}, {"2021-07", 20}, {"2021-09", 17000}}, Status::Provisional));
  s.push_back(make("us", "HTI", "Rio Grande", {{"2021-06", 1}, {"2021-09", 600}}));
  return Cube(std::move(s));
}

TEST(Cube, SelectionUsesTheIndexAndIntersectsDimensions) {
  Cube cube = corridor();
  SeriesSelection sel;
  sel.dimensions["citizenship"] = {"HTI"};
  EXPECT_EQ(cube.select(sel), (std::vector<uint32_t>{0, 2, 3}));
  sel.dimensions["source"] = {"us"};
  EXPECT_EQ(cube.select(sel), (std::vector<uint32_t>{2, 3}));
  sel.dimensions["location"] = {"Nowhere"};
  EXPECT_TRUE(cube.select(sel).empty());
  EXPECT_EQ(cube.select(SeriesSelection{}).size(), 4u);
}

TEST(Cube, LastMonthPerSourceIgnoresCoarserPeriods) {
  Cube cube = corridor();
  EXPECT_EQ(cube.last_month("pa")->to_string(), "2021-08");
  EXPECT_EQ(cube.last_month("us")->to_string(), "2021-09");
  EXPECT_FALSE(cube.last_month("mx"));
  EXPECT_EQ(cube.sources(), (std::vector<std::string>{"pa", "us"}));
}

// A month the source covers but a key lacks is 0; a month no release of
// the source covers is missing (here "us" published nothing for August).
TEST(Cube, MonthlyGroupsAreDenseZeroWhereCoveredMissingElsewhere) {
  Cube cube = corridor();
  SeriesQuery q;
  q.filters["citizenship"] = {"Haiti"};
  q.by = {"source"};
  auto groups = cube.monthly(q);
  ASSERT_EQ(groups.size(), 2u);
  EXPECT_EQ(groups[0].group, std::vector<std::string>{"pa"});
  EXPECT_EQ(groups[0].start.to_string(), "2021-05");  // the 2019 annual total is left out
  EXPECT_EQ(groups[0].values, (std::vector<double>{1851, 5293, 0, 17279}));
  EXPECT_EQ(shown(groups[1].values), (std::vector<double>{11, 20, -1, 17600}));
  EXPECT_EQ(groups[1].provisional, (std::vector<uint8_t>{1, 1, 0, 1}));
  EXPECT_EQ(groups[1].index_of(*Period::parse("2021-09")), 3);
  EXPECT_EQ(groups[1].index_of(*Period::parse("2021-10")), -1);
}

TEST(Cube, AGroupNeverAddsTheSeriesOfSeveralSources) {
  Cube cube = corridor();
  SeriesQuery q;
  q.filters["citizenship"] = {"HTI"};
  try {
    cube.monthly(q);
    ADD_FAILURE() << "pa and us were added into one monthly series";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("source: the selection adds series of pa and us", 0), 0u) << e.what();
  }
}

TEST(Cube, FromAndToClipTheSpan) {
  Cube cube = corridor();
  SeriesQuery q;
  q.filters["source"] = {"pa"};
  q.filters["citizenship"] = {"HTI"};
  q.from = Period::parse("2021-06");
  q.to = Period::parse("2021-07");
  auto groups = cube.monthly(q);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].values, (std::vector<double>{5293, 0}));
}

TEST(Cube, AsOfDropsEverythingAfterTheMonth) {
  Cube cube = corridor().as_of(*Period::parse("2021-06"));
  EXPECT_EQ(cube.last_month("pa")->to_string(), "2021-06");
  EXPECT_EQ(cube.last_month("us")->to_string(), "2021-06");
  SeriesQuery q;
  q.filters["source"] = {"pa"};
  q.filters["citizenship"] = {"HTI"};
  auto groups = cube.monthly(q);
  ASSERT_EQ(groups.size(), 1u);
  EXPECT_EQ(groups[0].values, (std::vector<double>{1851, 5293}));
}

// monthly_groups gives monthly's groups one at a time: the same series, and
// the latest month without building them, missing where monthly has NaN.
TEST(Cube, MonthlyGroupsBuildEachGroupAsMonthlyDoes) {
  std::vector<StoredSeries> s;
  s.push_back(make("pa", "HTI", "", {{"2021-05", 1}, {"2021-06", 2}, {"2021-08", 3}}));
  s.push_back(make("pa", "VEN", "", {{"2021-06", 100}, {"2021-07", 200}}));  // absent in August: 0
  s.push_back(make("pa", "", "", {{"2021-03", 50}, {"2021-04", 60}}));       // totals only before May
  s.push_back(make("us", "HTI", "Del Rio", {{"2021-06", 10}, {"2021-09", 17000}}, Status::Provisional));
  s.push_back(make("us", "HTI", "Rio Grande", {{"2021-06", 1}, {"2021-07", 5}}));
  s.push_back(make("us", "CUB", "Del Rio", {{"2021-Q2", 7}, {"2021-06", 3}, {"2021-07", 4}}));  // a quarter, left out
  std::map<std::string, SourceDeclaration> declared;
  declared["us"].absent = AbsentKey::Suppressed;
  Cube cube(std::move(s), declared);
  for (auto by : {std::vector<std::string>{"source", "citizenship"}, std::vector<std::string>{"source"},
                  std::vector<std::string>{"citizenship", "source", "location"}}) {
    SeriesQuery q;
    q.by = by;
    const auto full = cube.monthly(q);
    const MonthlyGroups groups = cube.monthly_groups(q);
    ASSERT_EQ(groups.size(), full.size());
    for (size_t g = 0; g < full.size(); ++g) {
      SCOPED_TRACE(full[g].group.front() + " by " + by.front());
      const MonthlySeries one = groups.series(g);
      EXPECT_EQ(one.group, full[g].group);
      EXPECT_EQ(groups.group(g), full[g].group);
      EXPECT_EQ(one.start, full[g].start);
      EXPECT_EQ(groups.start(g), full[g].start);
      EXPECT_EQ(groups.end(g), full[g].end());
      EXPECT_EQ(shown(one.values), shown(full[g].values));
      EXPECT_EQ(one.provisional, full[g].provisional);
      EXPECT_EQ(shown({groups.latest(g)}), shown({full[g].values.back()}));
    }
  }
  SeriesQuery q;
  q.by = {"source", "citizenship"};
  const auto groups = cube.monthly(q);
  ASSERT_EQ(groups.size(), 5u);  // ordered by source, then citizenship ("" first)
  EXPECT_EQ(groups[0].group, (std::vector<std::string>{"pa", ""}));
  EXPECT_EQ(shown(groups[0].values), (std::vector<double>{50, 60, -1, -1, -1, -1}));  // after April the file gives citizenships
  EXPECT_EQ(groups[2].group, (std::vector<std::string>{"pa", "VEN"}));
  EXPECT_EQ(shown(groups[2].values), (std::vector<double>{100, 200, 0}));
  EXPECT_EQ(groups[3].group, (std::vector<std::string>{"us", "CUB"}));
  EXPECT_EQ(shown(groups[3].values), (std::vector<double>{3, 4, -1, -1}));  // us suppresses: absent is not 0
  EXPECT_EQ(groups[4].group, (std::vector<std::string>{"us", "HTI"}));
  EXPECT_EQ(shown(groups[4].values), (std::vector<double>{11, 5, -1, 17000}));  // August: no release covers it
  EXPECT_EQ(groups[4].provisional, (std::vector<uint8_t>{1, 0, 0, 1}));
}

TEST(Cube, QueryAnswersLikeTheStore) {
  Cube cube = corridor();
  SeriesQuery q;
  q.filters["citizenship"] = {"HTI"};
  q.filters["source"] = {"us"};
  q.frequency = Frequency::Quarter;
  auto r = cube.query(q);
  ASSERT_EQ(r.rows.size(), 2u);
  EXPECT_EQ(r.rows[0].period.to_string(), "2021-Q2");
  EXPECT_EQ(r.rows[0].value, 11);
  EXPECT_EQ(r.rows[1].value, 17620);
  EXPECT_EQ(r.rows[0].status, Status::Provisional);
  SeriesQuery bad;
  bad.filters["source"] = {"nowhere"};
  EXPECT_THROW(cube.query(bad), Error);
  bad.filters = {{"citizenship", {"Atlantis"}}};
  EXPECT_THROW(cube.monthly(bad), Error);
}

}  // namespace
}  // namespace atalaya
