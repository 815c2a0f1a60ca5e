#include "atalaya/analysis/cube.h"

#include <gtest/gtest.h>

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
  } catch (const std::invalid_argument& e) {
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
  EXPECT_THROW(cube.query(bad), std::invalid_argument);
  bad.filters = {{"citizenship", {"Atlantis"}}};
  EXPECT_THROW(cube.monthly(bad), std::invalid_argument);
}

}  // namespace
}  // namespace atalaya
