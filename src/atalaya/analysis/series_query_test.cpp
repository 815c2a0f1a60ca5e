// Tests for series queries (series_query.h) over a small SQLite store:
// grouping, frequency roll-up, period filters, the notes a reader needs, and
// the harmonisation of what the user typed (country names, "encounter").
#include "atalaya/analysis/series_query.h"
#include "atalaya/analysis/series_lines_testing.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "atalaya/core/error.h"

namespace atalaya {
namespace {

class SeriesQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("atalaya-series-query-test-" + std::to_string(::getpid()) + ".db"))
                .string();
    remove_files();
    store_ = open_store(path_);

    // Monthly CBP-like encounters.
    ParsedFile f = file("q-src", "digest-1");
    uint32_t hti = series(f, "HTI", "apprehension");
    uint32_t mex = series(f, "MEX", "inadmissible");
    uint32_t ven = series(f, "VEN", "expulsion");
    uint32_t cub = series(f, "CUB", "irregular_transit");
    row(f, hti, Period::month(2022, 10), 1);
    row(f, hti, Period::month(2022, 11), 2);
    row(f, hti, Period::month(2023, 1), 4);
    row(f, hti, Period::month(2023, 9), 8);
    row(f, hti, Period::month(2023, 10), 16);
    row(f, mex, Period::month(2022, 10), 100);
    row(f, mex, Period::month(2023, 1), 200);
    row(f, ven, Period::month(2023, 1), 1000);
    row(f, cub, Period::month(2023, 1), 5000);
    ASSERT_EQ(store_->write_vintage(f).outcome, WriteOutcome::NewVintage);

    // Annual totals from another source (as Panama's pre-2020 Darién series).
    ParsedFile a = file("annual-src", "digest-a");
    uint32_t hti_a = series(a, "HTI", "apprehension");
    row(a, hti_a, Period::year(2021), 500);
    ASSERT_EQ(store_->write_vintage(a).outcome, WriteOutcome::NewVintage);
  }
  void TearDown() override {
    store_.reset();
    remove_files();
  }

  static ParsedFile file(const std::string& source, const std::string& digest) {
    ParsedFile f;
    f.source = source;
    f.format = "test";
    f.path = source + ".csv";
    f.digest = digest;
    return f;
  }
  static uint32_t series(ParsedFile& f, const std::string& citizenship, const std::string& event,
                         Unit unit = Unit::Events) {
    f.series.push_back(SeriesDef{SeriesKey{f.source, "USA", "", citizenship, event, "", ""}, unit});
    return static_cast<uint32_t>(f.series.size() - 1);
  }
  static void row(ParsedFile& f, uint32_t s, Period p, int64_t v) {
    f.rows.push_back(ObservationRow{s, p, v, Status::Final, static_cast<uint32_t>(f.rows.size() + 2)});
    ++f.rows_read;
  }

  static std::vector<std::string> lines(const SeriesResult& r) { return testing::series_lines(r); }

  // lines() without the months no release of the source covers.
  static std::vector<std::string> reported(const SeriesResult& r) {
    std::vector<std::string> out;
    for (auto& l : lines(r))
      if (l.find("=missing") == std::string::npos) out.push_back(l);
    return out;
  }

  SeriesResult run(SeriesQuery q) { return run_series_query(*store_, q); }

  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  std::string path_;
  std::unique_ptr<SeriesStore> store_;
};

using Lines = std::vector<std::string>;

TEST_F(SeriesQueryTest, GroupsByCitizenship) {
  SeriesQuery q;
  q.filters["source"] = {"q-src"};
  q.by = {"citizenship"};
  SeriesResult r = run(q);
  EXPECT_EQ(r.by, (std::vector<std::string>{"citizenship"}));
  // The file covers 2022-10, 2022-11, 2023-01, 2023-09 and 2023-10: a
  // citizenship it does not list in those months crossed 0 there; the
  // months between are missing.
  EXPECT_EQ(reported(r), (Lines{"CUB|2022-10=0", "CUB|2022-11=0", "CUB|2023-01=5000", "CUB|2023-09=0",
                                "CUB|2023-10=0", "HTI|2022-10=1", "HTI|2022-11=2", "HTI|2023-01=4",
                                "HTI|2023-09=8", "HTI|2023-10=16", "MEX|2022-10=100", "MEX|2022-11=0",
                                "MEX|2023-01=200", "MEX|2023-09=0", "MEX|2023-10=0", "VEN|2022-10=0",
                                "VEN|2022-11=0", "VEN|2023-01=1000", "VEN|2023-09=0", "VEN|2023-10=0"}));
  EXPECT_EQ(lines(r)[2], "CUB|2022-12=missing");
  EXPECT_EQ(lines(r).size(), 4u * 13u);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("never 0"), std::string::npos) << r.notes[0];
  EXPECT_EQ(r.unit, Unit::Events);
}

TEST_F(SeriesQueryTest, NoGroupingAddsEverythingPerPeriod) {
  SeriesQuery q;
  q.filters["source"] = {"q-src"};
  EXPECT_EQ(reported(run(q)), (Lines{"2022-10=101", "2022-11=2", "2023-01=6204", "2023-09=8", "2023-10=16"}));
}

TEST_F(SeriesQueryTest, RollsUpToQuarterYearAndFiscalYear) {
  SeriesQuery q;
  q.filters["source"] = {"q-src"};
  q.filters["citizenship"] = {"HTI", "MEX"};
  q.by = {"citizenship"};
  q.frequency = Frequency::Quarter;
  // Every rolled-up period lacks some months: each says which it has.
  EXPECT_EQ(lines(run(q)), (Lines{"HTI|2022-Q4=3 partial 2022-10..2022-11", "HTI|2023-Q1=4 partial 2023-01",
                                  "HTI|2023-Q2=missing", "HTI|2023-Q3=8 partial 2023-09",
                                  "HTI|2023-Q4=16 partial 2023-10", "MEX|2022-Q4=100 partial 2022-10..2022-11",
                                  "MEX|2023-Q1=200 partial 2023-01", "MEX|2023-Q2=missing",
                                  "MEX|2023-Q3=0 partial 2023-09", "MEX|2023-Q4=0 partial 2023-10"}));
  q.frequency = Frequency::Year;
  EXPECT_EQ(lines(run(q)), (Lines{"HTI|2022=3 partial 2022-10..2022-11", "HTI|2023=28 partial 2023-01, 2023-09..2023-10",
                                  "MEX|2022=100 partial 2022-10..2022-11",
                                  "MEX|2023=200 partial 2023-01, 2023-09..2023-10"}));
  // FY2023 = Oct 2022 .. Sep 2023.
  q.frequency = Frequency::FiscalYear;
  EXPECT_EQ(lines(run(q)), (Lines{"HTI|FY2023=15 partial 2022-10..2022-11, 2023-01, 2023-09",
                                  "HTI|FY2024=16 partial 2023-10",
                                  "MEX|FY2023=300 partial 2022-10..2022-11, 2023-01, 2023-09",
                                  "MEX|FY2024=0 partial 2023-10"}));
  q.frequency = Frequency::Month;
  EXPECT_EQ(run(q).rows.size(), 2u * 13u);
}

TEST_F(SeriesQueryTest, FromAndToFilterPeriods) {
  SeriesQuery q;
  q.filters["source"] = {"q-src"};
  q.filters["citizenship"] = {"HTI"};
  q.from = Period::month(2022, 11);
  q.to = Period::month(2023, 9);
  EXPECT_EQ(reported(run(q)), (Lines{"2022-11=2", "2023-01=4", "2023-09=8"}));

  // Bounds of another frequency cover their whole range.
  q.from = Period::quarter(2023, 1);
  q.to = Period::year(2023);
  EXPECT_EQ(reported(run(q)), (Lines{"2023-01=4", "2023-09=8", "2023-10=16"}));

  // Rolled-up periods are kept only when they lie wholly inside the range.
  q.frequency = Frequency::FiscalYear;
  q.from = Period::fiscal_year(2023);
  q.to = Period::fiscal_year(2023);
  EXPECT_EQ(lines(run(q)), (Lines{"FY2023=15 partial 2022-10..2022-11, 2023-01, 2023-09"}));
  q.frequency = Frequency::Quarter;
  q.from = Period::month(2022, 11);  // 2022-Q4 starts before this
  q.to = std::nullopt;
  EXPECT_EQ(reported(run(q)), (Lines{"2023-Q1=4 partial 2023-01", "2023-Q3=8 partial 2023-09",
                                     "2023-Q4=16 partial 2023-10"}));
}

TEST_F(SeriesQueryTest, AnnualObservationsLeftOutAtMonthlyFrequencyAreNoted) {
  SeriesQuery q;
  q.filters["citizenship"] = {"HTI"};
  q.frequency = Frequency::Month;
  SeriesResult r = run(q);
  // Two sources hold Haitians: they answer side by side.
  EXPECT_EQ(reported(r), (Lines{"q-src|2022-10=1", "q-src|2022-11=2", "q-src|2023-01=4", "q-src|2023-09=8",
                                "q-src|2023-10=16"}));
  ASSERT_EQ(r.notes.size(), 3u);
  EXPECT_NE(r.notes[0].find("side by side"), std::string::npos);
  EXPECT_EQ(r.notes[1],
            "1 observations stored at frequency A are coarser than the frequency asked for and are not shown");

  // At annual frequency the annual total is shown, and months roll up beside it.
  q.frequency = Frequency::Year;
  r = run(q);
  EXPECT_EQ(lines(r), (Lines{"annual-src|2021=500", "q-src|2022=3 partial 2022-10..2022-11",
                             "q-src|2023=28 partial 2023-01, 2023-09..2023-10"}));
  // Their total is known in no year: each year, one of the two sources is silent.
  q.sum_sources = true;
  EXPECT_EQ(lines(run(q)), (Lines{"2021=missing", "2022=missing", "2023=missing"}));
  q.sum_sources = false;

  // Without a frequency, each period is kept as stored.
  q.frequency = std::nullopt;
  q.by = {"source"};
  r = run(q);
  EXPECT_EQ(lines(r).front(), "annual-src|2021=500");
}

TEST_F(SeriesQueryTest, EncounterSelectsApprehensionInadmissibleAndExpulsion) {
  SeriesQuery q;
  q.filters["event"] = {"encounter"};
  q.filters["source"] = {"q-src"};
  q.by = {"event"};
  q.frequency = Frequency::FiscalYear;
  auto whole = [](std::vector<std::string> ls) {  // without the partial notes, tested above
    for (auto& l : ls) l = l.substr(0, l.find(" partial"));
    return ls;
  };
  EXPECT_EQ(whole(lines(run(q))), (Lines{"apprehension|FY2023=15", "apprehension|FY2024=16", "expulsion|FY2023=1000",
                                         "expulsion|FY2024=0", "inadmissible|FY2023=300", "inadmissible|FY2024=0"}));
  q.by.clear();
  EXPECT_EQ(whole(lines(run(q))), (Lines{"FY2023=1315", "FY2024=16"}));
  // Other events are asked for by name only.
  q.filters["event"] = {"irregular_transit"};
  EXPECT_EQ(whole(lines(run(q))), (Lines{"FY2023=5000", "FY2024=0"}));
  q.filters["event"] = {"apprehension"};
  EXPECT_EQ(whole(lines(run(q))), (Lines{"FY2023=15", "FY2024=16"}));
}

TEST_F(SeriesQueryTest, CitizenshipFilterAcceptsNames) {
  SeriesQuery q;
  q.filters["source"] = {"q-src"};
  q.filters["citizenship"] = {"Haiti"};
  q.frequency = Frequency::Year;
  auto whole = [](std::vector<std::string> ls) {  // the file covers parts of each year
    for (auto& l : ls) l = l.substr(0, l.find(" partial"));
    return ls;
  };
  EXPECT_EQ(whole(lines(run(q))), (Lines{"2022=3", "2023=28"}));
  q.filters["citizenship"] = {"HAITÍ", "México"};
  q.by = {"citizenship"};
  EXPECT_EQ(whole(lines(run(q))), (Lines{"HTI|2022=3", "HTI|2023=28", "MEX|2022=100", "MEX|2023=200"}));
  q.filters["citizenship"].clear();
  q.filters["reporter"] = {"United States"};
  EXPECT_EQ(whole(lines(run(q))), (Lines{"CUB|2022=0", "CUB|2023=5000", "HTI|2022=3", "HTI|2023=28", "MEX|2022=100",
                                         "MEX|2023=200", "VEN|2022=0", "VEN|2023=1000"}));
}

TEST_F(SeriesQueryTest, UnknownCountryNamesTheParameter) {
  SeriesQuery q;
  q.filters["citizenship"] = {"Haiti", "Atlantis"};
  try {
    run(q);
    FAIL() << "expected Error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind("citizenship: unknown country 'Atlantis'", 0), 0u) << msg;
    EXPECT_EQ(e.code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(e.parameter(), "citizenship");
  }
  q.filters.clear();
  q.filters["reporter"] = {"Venezuala"};
  try {
    run(q);
    FAIL() << "expected Error";
  } catch (const Error& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind("reporter: unknown country 'Venezuala'", 0), 0u) << msg;
    EXPECT_NE(msg.find("Venezuela"), std::string::npos) << msg;  // the nearest name
  }
}

TEST_F(SeriesQueryTest, UnknownDimensionsNameTheParameter) {
  SeriesQuery q;
  q.filters["colour"] = {"red"};
  try {
    run(q);
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("colour:", 0), 0u) << e.what();
  }
  q.filters.clear();
  q.by = {"citizenship", "colour"};
  try {
    run(q);
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).rfind("by:", 0), 0u) << e.what();
    EXPECT_EQ(e.parameter(), "by");
    EXPECT_NE(std::string(e.what()).find("colour"), std::string::npos) << e.what();
  }
}

TEST_F(SeriesQueryTest, MixedUnitsAreNoted) {
  ParsedFile p = file("persons-src", "digest-p");
  row(p, series(p, "HTI", "irregular_transit", Unit::Persons), Period::month(2023, 1), 7);
  ASSERT_EQ(store_->write_vintage(p).outcome, WriteOutcome::NewVintage);
  SeriesQuery q;
  q.filters["event"] = {"irregular_transit"};
  q.sum_sources = true;
  try {
    run(q);
    ADD_FAILURE() << "a total of persons and events was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("different units"), std::string::npos) << e.what();
  }
  // Side by side (the default), each source holds one unit.
  q.sum_sources = false;
  SeriesResult r = run(q);
  const Lines both{"persons-src|2023-01=7", "q-src|2022-10=0", "q-src|2022-11=0", "q-src|2023-01=5000",
                   "q-src|2023-09=0", "q-src|2023-10=0"};
  EXPECT_EQ(reported(r), both);
  // Grouped by source, each group holds one unit: no note about units.
  q.by = {"source"};
  r = run(q);
  EXPECT_EQ(reported(r), both);
  for (auto& n : r.notes) EXPECT_EQ(n.find("units"), std::string::npos) << n;
}

TEST_F(SeriesQueryTest, ReadsAnEarlierVintage) {
  ParsedFile revised = file("annual-src", "digest-a2");
  uint32_t s = series(revised, "HTI", "apprehension");
  row(revised, s, Period::year(2021), 550);
  ASSERT_EQ(store_->write_vintage(revised).vintage, 2);
  SeriesQuery q;
  q.filters["source"] = {"annual-src"};
  EXPECT_EQ(lines(run(q)), (Lines{"2021=550"}));
  q.vintage = 1;
  EXPECT_EQ(lines(run(q)), (Lines{"2021=500"}));
}

}  // namespace
}  // namespace atalaya
