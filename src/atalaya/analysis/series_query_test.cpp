// Tests for series queries (series_query.h) over a small SQLite store:
// grouping, frequency roll-up, period filters, the notes a reader needs, and
// the harmonisation of what the user typed (country names, "encounter").
#include "atalaya/analysis/series_query.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace atalaya {
namespace {

class SeriesQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("atalaya-series-query-test-" + std::to_string(::getpid()) + ".db"))
                .string();
    remove_files();
    store_ = open_sqlite_store(path_);

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

  // "group|period=value" lines, in result order.
  static std::vector<std::string> lines(const SeriesResult& r) {
    std::vector<std::string> out;
    for (auto& row : r.rows) {
      std::string g;
      for (auto& v : row.group) g += v + "|";
      out.push_back(g + row.period.to_string() + "=" + std::to_string(row.value));
    }
    return out;
  }

  SeriesResult run(SeriesQuery q) { return run_series_query(*store_, q); }

  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_ + suffix);
  }

  std::string path_;
  std::unique_ptr<Store> store_;
};

using Lines = std::vector<std::string>;

TEST_F(SeriesQueryTest, GroupsByCitizenship) {
  SeriesQuery q;
  q.filters["source"] = {"q-src"};
  q.by = {"citizenship"};
  SeriesResult r = run(q);
  EXPECT_EQ(r.by, (std::vector<std::string>{"citizenship"}));
  EXPECT_EQ(lines(r), (Lines{"CUB|2023-01=5000", "HTI|2022-10=1", "HTI|2022-11=2", "HTI|2023-01=4",
                             "HTI|2023-09=8", "HTI|2023-10=16", "MEX|2022-10=100", "MEX|2023-01=200",
                             "VEN|2023-01=1000"}));
  EXPECT_TRUE(r.notes.empty());
  EXPECT_EQ(r.unit, Unit::Events);
}

TEST_F(SeriesQueryTest, NoGroupingAddsEverythingPerPeriod) {
  SeriesQuery q;
  q.filters["source"] = {"q-src"};
  EXPECT_EQ(lines(run(q)), (Lines{"2022-10=101", "2022-11=2", "2023-01=6204", "2023-09=8", "2023-10=16"}));
}

TEST_F(SeriesQueryTest, RollsUpToQuarterYearAndFiscalYear) {
  SeriesQuery q;
  q.filters["source"] = {"q-src"};
  q.filters["citizenship"] = {"HTI", "MEX"};
  q.by = {"citizenship"};
  q.frequency = Frequency::Quarter;
  EXPECT_EQ(lines(run(q)), (Lines{"HTI|2022-Q4=3", "HTI|2023-Q1=4", "HTI|2023-Q3=8", "HTI|2023-Q4=16",
                                  "MEX|2022-Q4=100", "MEX|2023-Q1=200"}));
  q.frequency = Frequency::Year;
  EXPECT_EQ(lines(run(q)), (Lines{"HTI|2022=3", "HTI|2023=28", "MEX|2022=100", "MEX|2023=200"}));
  // FY2023 = Oct 2022 .. Sep 2023.
  q.frequency = Frequency::FiscalYear;
  EXPECT_EQ(lines(run(q)), (Lines{"HTI|FY2023=15", "HTI|FY2024=16", "MEX|FY2023=300"}));
  q.frequency = Frequency::Month;
  EXPECT_EQ(run(q).rows.size(), 7u);
  EXPECT_TRUE(run(q).notes.empty());
}

TEST_F(SeriesQueryTest, FromAndToFilterPeriods) {
  SeriesQuery q;
  q.filters["source"] = {"q-src"};
  q.filters["citizenship"] = {"HTI"};
  q.from = Period::month(2022, 11);
  q.to = Period::month(2023, 9);
  EXPECT_EQ(lines(run(q)), (Lines{"2022-11=2", "2023-01=4", "2023-09=8"}));

  // Bounds of another frequency cover their whole range.
  q.from = Period::quarter(2023, 1);
  q.to = Period::year(2023);
  EXPECT_EQ(lines(run(q)), (Lines{"2023-01=4", "2023-09=8", "2023-10=16"}));

  // Rolled-up periods are kept only when they lie wholly inside the range.
  q.frequency = Frequency::FiscalYear;
  q.from = Period::fiscal_year(2023);
  q.to = Period::fiscal_year(2023);
  EXPECT_EQ(lines(run(q)), (Lines{"FY2023=15"}));
  q.frequency = Frequency::Quarter;
  q.from = Period::month(2022, 11);  // 2022-Q4 starts before this
  q.to = std::nullopt;
  EXPECT_EQ(lines(run(q)), (Lines{"2023-Q1=4", "2023-Q3=8", "2023-Q4=16"}));
}

TEST_F(SeriesQueryTest, AnnualObservationsLeftOutAtMonthlyFrequencyAreNoted) {
  SeriesQuery q;
  q.filters["citizenship"] = {"HTI"};
  q.frequency = Frequency::Month;
  SeriesResult r = run(q);
  EXPECT_EQ(lines(r), (Lines{"2022-10=1", "2022-11=2", "2023-01=4", "2023-09=8", "2023-10=16"}));
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_EQ(r.notes[0],
            "1 observations stored at frequency A are coarser than the frequency asked for and are not shown");

  // At annual frequency the annual total is shown, and months roll up beside it.
  q.frequency = Frequency::Year;
  r = run(q);
  EXPECT_EQ(lines(r), (Lines{"2021=500", "2022=3", "2023=28"}));
  EXPECT_TRUE(r.notes.empty());

  // Without a frequency, each period is kept as stored.
  q.frequency = std::nullopt;
  q.by = {"source"};
  r = run(q);
  EXPECT_EQ(lines(r).front(), "annual-src|2021=500");
  EXPECT_TRUE(r.notes.empty());
}

TEST_F(SeriesQueryTest, EncounterSelectsApprehensionInadmissibleAndExpulsion) {
  SeriesQuery q;
  q.filters["event"] = {"encounter"};
  q.filters["source"] = {"q-src"};
  q.by = {"event"};
  q.frequency = Frequency::FiscalYear;
  EXPECT_EQ(lines(run(q)), (Lines{"apprehension|FY2023=15", "apprehension|FY2024=16", "expulsion|FY2023=1000",
                                  "inadmissible|FY2023=300"}));
  q.by.clear();
  EXPECT_EQ(lines(run(q)), (Lines{"FY2023=1315", "FY2024=16"}));
  // Other events are asked for by name only.
  q.filters["event"] = {"irregular_transit"};
  EXPECT_EQ(lines(run(q)), (Lines{"FY2023=5000"}));
  q.filters["event"] = {"apprehension"};
  EXPECT_EQ(lines(run(q)), (Lines{"FY2023=15", "FY2024=16"}));
}

TEST_F(SeriesQueryTest, CitizenshipFilterAcceptsNames) {
  SeriesQuery q;
  q.filters["source"] = {"q-src"};
  q.filters["citizenship"] = {"Haiti"};
  q.frequency = Frequency::Year;
  EXPECT_EQ(lines(run(q)), (Lines{"2022=3", "2023=28"}));
  q.filters["citizenship"] = {"HAITÍ", "México"};
  q.by = {"citizenship"};
  EXPECT_EQ(lines(run(q)), (Lines{"HTI|2022=3", "HTI|2023=28", "MEX|2022=100", "MEX|2023=200"}));
  q.filters["citizenship"].clear();
  q.filters["reporter"] = {"United States"};
  EXPECT_EQ(lines(run(q)), (Lines{"CUB|2023=5000", "HTI|2022=3", "HTI|2023=28", "MEX|2022=100", "MEX|2023=200",
                                  "VEN|2023=1000"}));
}

TEST_F(SeriesQueryTest, UnknownCountryNamesTheParameter) {
  SeriesQuery q;
  q.filters["citizenship"] = {"Haiti", "Atlantis"};
  try {
    run(q);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.rfind("citizenship: unknown country 'Atlantis'", 0), 0u) << msg;
  }
  q.filters.clear();
  q.filters["reporter"] = {"Venezuala"};
  try {
    run(q);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
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
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).rfind("colour:", 0), 0u) << e.what();
  }
  q.filters.clear();
  q.by = {"citizenship", "colour"};
  try {
    run(q);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).rfind("by:", 0), 0u) << e.what();
    EXPECT_NE(std::string(e.what()).find("colour"), std::string::npos) << e.what();
  }
}

TEST_F(SeriesQueryTest, MixedUnitsAreNoted) {
  ParsedFile p = file("persons-src", "digest-p");
  row(p, series(p, "HTI", "irregular_transit", Unit::Persons), Period::month(2023, 1), 7);
  ASSERT_EQ(store_->write_vintage(p).outcome, WriteOutcome::NewVintage);
  SeriesQuery q;
  q.filters["event"] = {"irregular_transit"};
  SeriesResult r = run(q);
  EXPECT_EQ(lines(r), (Lines{"2023-01=5007"}));
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("different units"), std::string::npos) << r.notes[0];
  // Grouped by source, each group holds one unit: no note.
  q.by = {"source"};
  r = run(q);
  EXPECT_EQ(lines(r), (Lines{"persons-src|2023-01=7", "q-src|2023-01=5000"}));
  EXPECT_TRUE(r.notes.empty());
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
