#include "atalaya/analysis/explain.h"

#include <gtest/gtest.h>

#include "atalaya/analysis/cube.h"
#include "atalaya/core/error.h"

namespace atalaya {
namespace {

StoredSeries make(std::string source, std::string citizenship, std::string location,
                  std::vector<std::pair<std::string, int64_t>> points) {
  StoredSeries s;
  s.key.source = std::move(source);
  s.key.reporter = "USA";
  s.key.citizenship = std::move(citizenship);
  s.key.location = std::move(location);
  s.key.event = "encounter";
  for (auto& [p, v] : points) s.points.push_back({*Period::parse(p), v, Status::Final, 1});
  return s;
}

// A grouped source (countries it does not list are inside OTH) and one with
// every nationality and sector locations, as CBP's two files.
Cube border() {
  std::vector<StoredSeries> s;
  s.push_back(make("grouped", "MEX", "", {{"2021-08", 100}, {"2021-09", 110}}));
  s.push_back(make("grouped", "OTH", "", {{"2021-08", 50}, {"2021-09", 90}}));
  s.push_back(make("nat", "HTI", "Del Rio Sector", {{"2021-08", 7}, {"2021-09", 17}}));
  s.push_back(make("nat", "MEX", "El Paso Sector", {{"2021-08", 60}, {"2021-09", 70}}));
  s.push_back(make("nat", "VEN", "El Paso Sector", {{"2021-08", 1}, {"2021-09", 2}}));
  s.push_back(make("nat", "CUB", "Del Rio Sector", {{"2021-09", 5}}));
  return Cube(std::move(s));
}

std::string all(const std::vector<std::string>& notes) {
  std::string out;
  for (auto& n : notes) out += n + "\n";
  return out;
}

TEST(Explain, ACountryInsideAGroupCodeSaysSoAndWhichSourceHasIt) {
  SeriesQuery q;
  q.filters = {{"source", {"grouped"}}, {"citizenship", {"Haiti"}}};
  SeriesResult r = border().query(q);
  EXPECT_TRUE(r.rows.empty());
  EXPECT_NE(all(r.notes).find("citizenship: HTI is counted inside OTH (Other) in grouped; nat has it"),
            std::string::npos)
      << all(r.notes);
}

TEST(Explain, AMistypedValueGetsTheNearestValuesOfItsDimension) {
  SeriesQuery q;
  q.filters = {{"source", {"nat"}}, {"location", {"Del Rio"}}};
  SeriesResult r = border().query(q);
  EXPECT_TRUE(r.rows.empty());
  EXPECT_NE(all(r.notes).find("location: no 'Del Rio' in nat; nearest location values: Del Rio Sector, El Paso Sector"),
            std::string::npos)
      << all(r.notes);
}

TEST(Explain, NearestValuesCostIsBoundedAndTheyAreOrdered) {
  const std::vector<std::string> values = {"El Paso Sector", "Del Rio Sector", "", "Laredo Field Office"};
  EXPECT_EQ(nearest_values("del rio", values, 1), std::vector<std::string>{"Del Rio Sector"});
  EXPECT_EQ(nearest_values("Laredo", values, 2), (std::vector<std::string>{"Laredo Field Office", "Del Rio Sector"}));
  EXPECT_TRUE(nearest_values("", values).empty());
  // A megabyte of input compares only its first characters.
  EXPECT_EQ(nearest_values(std::string(1 << 20, 'x'), values).size(), 3u);
}

TEST(Explain, ARangeOutsideTheDataSaysWhichPeriodsTheSelectionHas) {
  SeriesQuery q;
  q.filters = {{"source", {"nat"}}};
  q.from = Period::parse("2030-01");
  q.to = Period::parse("2030-12");
  SeriesResult r = border().query(q);
  EXPECT_TRUE(r.rows.empty());
  EXPECT_NE(all(r.notes).find("no values from 2030-01 to 2030-12: the selection has periods 2021-08..2021-09 (monthly)"),
            std::string::npos)
      << all(r.notes);
}

TEST(Explain, ValuesThatExistApartSayWhatEachTakesWithTheRest) {
  SeriesQuery q;
  q.filters = {{"source", {"nat"}}, {"citizenship", {"VEN"}}, {"location", {"Del Rio Sector"}}};
  SeriesResult r = border().query(q);
  EXPECT_TRUE(r.rows.empty());
  EXPECT_NE(all(r.notes).find("citizenship: no series has VEN with the rest of the selection; with the rest, "
                              "citizenship is CUB, HTI"),
            std::string::npos)
      << all(r.notes);
  EXPECT_NE(all(r.notes).find("location: no series has Del Rio Sector with the rest of the selection; with the "
                              "rest, location is El Paso Sector"),
            std::string::npos)
      << all(r.notes);
}

TEST(Explain, AnAnswerWithRowsHasNoExplanation) {
  SeriesQuery q;
  q.filters = {{"source", {"nat"}}, {"citizenship", {"HTI"}}};
  SeriesResult r = border().query(q);
  EXPECT_EQ(r.rows.size(), 2u);
  EXPECT_TRUE(r.notes.empty()) << all(r.notes);
}

TEST(SortBySize, FlowsByTheirTotalTheLargestFirstAndTopCuts) {
  SeriesQuery q;
  q.filters = {{"source", {"nat"}}};
  q.by = {"citizenship"};
  q.total = true;
  q.sort_by_size = true;
  SeriesResult r = border().query(q);
  ASSERT_EQ(r.rows.size(), 4u);
  EXPECT_EQ(r.rows[0].group, std::vector<std::string>{"MEX"});  // 130
  EXPECT_EQ(r.rows[1].group, std::vector<std::string>{"HTI"});  // 24
  EXPECT_EQ(r.rows[2].group, std::vector<std::string>{"CUB"});  // 5
  EXPECT_EQ(r.rows[3].group, std::vector<std::string>{"VEN"});  // 3

  q.total = false;
  q.sort_by_size = false;
  q.top = 2;  // implies size order
  r = border().query(q);
  ASSERT_EQ(r.rows.size(), 4u);  // two months each
  EXPECT_EQ(r.rows[0].group, std::vector<std::string>{"MEX"});
  EXPECT_EQ(r.rows[1].group, std::vector<std::string>{"MEX"});
  EXPECT_EQ(r.rows[2].group, std::vector<std::string>{"HTI"});
  EXPECT_NE(all(r.notes).find("2 of 4 groups left out: only the top 2 by size are shown"), std::string::npos)
      << all(r.notes);
}

TEST(SortBySize, MissingNeverCountsAndAStockIsItsLastValue) {
  std::vector<StoredSeries> s;
  // Source a omits absent keys (missing, not 0): UNK's months are all
  // missing, and it comes last, after a group of 0.
  s.push_back(make("a", "HTI", "", {{"2021-01", 10}, {"2021-02", 10}, {"2021-03", 10}}));
  s.push_back(make("a", "CUB", "", {{"2021-01", 25}}));
  s.push_back(make("a", "VEN", "", {{"2021-01", 0}}));
  s.push_back(make("a", "UNK", "", {{"2030-01", 1}}));
  std::map<std::string, SourceDeclaration> decl;
  decl["a"].absent = AbsentKey::Missing;
  s.push_back(make("b", "HTI", "", {{"2021-01", 100}, {"2021-02", 5}}));
  s.push_back(make("b", "CUB", "", {{"2021-01", 1}, {"2021-02", 50}}));
  for (size_t i = 4; i < s.size(); ++i) s[i].key.event = "refugee";  // a stock
  Cube cube(std::move(s), decl);
  SeriesQuery q;
  q.filters = {{"source", {"a"}}};
  q.by = {"citizenship"};
  q.sort_by_size = true;
  q.to = Period::parse("2021-03");
  SeriesResult r = cube.query(q);
  ASSERT_FALSE(r.rows.empty());
  EXPECT_EQ(r.rows.front().group, std::vector<std::string>{"HTI"});  // 30 against 25
  EXPECT_EQ(r.rows.back().group, std::vector<std::string>{"UNK"});   // nothing known: last, not as 0
  EXPECT_EQ(r.rows[r.rows.size() - 4].group, std::vector<std::string>{"VEN"});
  q.to.reset();
  q.filters = {{"source", {"b"}}};
  r = cube.query(q);
  ASSERT_FALSE(r.rows.empty());
  EXPECT_EQ(r.rows.front().group, std::vector<std::string>{"CUB"});  // last value 50 against 5
}

TEST(DimensionCounts, SeriesAndObservationsPerValueTotalLast) {
  Cube cube = border();
  std::vector<const StoredSeries*> all_series;
  for (auto& s : cube.series()) all_series.push_back(&s);
  auto c = count_dimension_values(all_series, "location");
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].value, "Del Rio Sector");
  EXPECT_EQ(c[0].series, 2u);
  EXPECT_EQ(c[0].observations, 3u);
  EXPECT_EQ(c[1].value, "El Paso Sector");
  EXPECT_EQ(c[2].value, "_T");  // the grouped source gives no location
  EXPECT_EQ(c[2].series, 2u);
  c = count_dimension_values(all_series, "citizenship", Period::parse("2021-09"), Period::parse("2021-09"));
  ASSERT_EQ(c.size(), 5u);
  EXPECT_EQ(c[0].value, "CUB");
  EXPECT_EQ(c[2].value, "MEX");
  EXPECT_EQ(c[2].series, 2u);
  EXPECT_EQ(c[2].observations, 2u);
  EXPECT_THROW(count_dimension_values(all_series, "colour"), Error);
}

}  // namespace
}  // namespace atalaya
