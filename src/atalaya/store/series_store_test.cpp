// The series store's contract, on every backend (SQLite and PostgreSQL):
// vintages are written whole, only changed values are stored, earlier
// vintages can be recalled, complete releases withdraw what they lack
// within the source's limit, concurrent writers and first opens do not
// collide, and a write that fails half-way leaves the store as it was.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "atalaya/store/series_store_testing.h"
#include "atalaya/store/sql/test_database_testing.h"
#include "atalaya/store/store.h"

namespace atalaya {
namespace {
using namespace atalaya::testing;

class SeriesStoreContract : public sql::BackendTest {};

TEST_P(SeriesStoreContract, WritesAVintageAndReadsItBack) {
  sql::TestDatabase db(GetParam());
  auto store = open_store(db.location());
  EXPECT_TRUE(store->sources().empty());
  EXPECT_EQ(store->stored_rows(), 0u);

  WriteResult r = store->write_vintage(sample_file());
  EXPECT_EQ(r.outcome, WriteOutcome::NewVintage);
  EXPECT_EQ(r.vintage, 1);
  EXPECT_EQ(r.rows_written, 4u);
  EXPECT_EQ(r.rows_revised, 0u);
  EXPECT_EQ(r.series_added, 2u);  // the series no row uses is not stored
  EXPECT_EQ(store->stored_rows(), 4u);

  auto all = store->select({});
  ASSERT_EQ(all.size(), 2u);
  const StoredSeries* hti = find_series(all, "HTI");
  ASSERT_NE(hti, nullptr);
  EXPECT_EQ(hti->key, key("test-src", "HTI"));
  EXPECT_EQ(hti->unit, Unit::Events);
  ASSERT_EQ(hti->points.size(), 2u);
  EXPECT_EQ(hti->points[0].period, Period::month(2023, 1));
  EXPECT_EQ(hti->points[0].value, 10);
  EXPECT_EQ(hti->points[0].vintage, 1);
  EXPECT_EQ(hti->points[1].value, 20);
  const StoredSeries* mex = find_series(all, "MEX");
  ASSERT_NE(mex, nullptr);
  ASSERT_EQ(mex->points.size(), 2u);
  EXPECT_EQ(mex->points[1].status, Status::Provisional);

  SeriesSelection only_mex;
  only_mex.dimensions["citizenship"] = {"MEX"};
  auto sel = store->select(only_mex);
  ASSERT_EQ(sel.size(), 1u);
  EXPECT_EQ(sel[0].key.citizenship, "MEX");
  only_mex.dimensions["source"] = {"no-such-source"};
  EXPECT_TRUE(store->select(only_mex).empty());
  SeriesSelection bad;
  bad.dimensions["colour"] = {"red"};
  EXPECT_THROW(store->select(bad), Error);

  auto sources = store->sources();
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0].source, "test-src");
  EXPECT_EQ(sources[0].name, "A test source");
  EXPECT_EQ(sources[0].vintages, 1);
  EXPECT_EQ(sources[0].series, 2u);
  EXPECT_EQ(sources[0].observations, 4u);
  EXPECT_EQ(sources[0].first_period, "2023-01");
  EXPECT_EQ(sources[0].last_period, "2023-02");
  EXPECT_FALSE(sources[0].last_ingest.empty());

  auto vintages = store->vintages("test-src");
  ASSERT_EQ(vintages.size(), 1u);
  EXPECT_EQ(vintages[0].number, 1);
  EXPECT_EQ(vintages[0].file, "sample.csv");
  EXPECT_EQ(vintages[0].digest, "digest-1");
  EXPECT_EQ(vintages[0].format, "test");
  EXPECT_EQ(vintages[0].rows_read, 4u);
  EXPECT_EQ(vintages[0].rows_written, 4u);
  EXPECT_TRUE(store->vintages("no-such-source").empty());
}

TEST_P(SeriesStoreContract, SameDigestIsSameFileAndStoresNothing) {
  sql::TestDatabase db(GetParam());
  auto store = open_store(db.location());
  ASSERT_EQ(store->write_vintage(sample_file()).outcome, WriteOutcome::NewVintage);
  const std::string before = snapshot(*store);

  ParsedFile again = sample_file();
  again.rows[0].value = 999;  // the digest decides, not the rows
  WriteResult r = store->write_vintage(again);
  EXPECT_EQ(r.outcome, WriteOutcome::SameFile);
  EXPECT_EQ(r.vintage, 1);
  EXPECT_EQ(r.rows_written, 0u);
  EXPECT_EQ(snapshot(*store), before);
}

TEST_P(SeriesStoreContract, ChangedValueAddsARevisionVintage) {
  sql::TestDatabase db(GetParam());
  auto store = open_store(db.location());
  ASSERT_EQ(store->write_vintage(sample_file()).outcome, WriteOutcome::NewVintage);

  ParsedFile revised = sample_file("digest-2");
  revised.path = "revised.csv";
  revised.rows[1].value = 25;  // HTI 2023-02: 20 -> 25
  WriteResult r = store->write_vintage(revised);
  EXPECT_EQ(r.outcome, WriteOutcome::NewVintage);
  EXPECT_EQ(r.vintage, 2);
  EXPECT_EQ(r.rows_written, 1u);
  EXPECT_EQ(r.rows_revised, 1u);
  EXPECT_EQ(r.series_added, 0u);
  EXPECT_EQ(store->stored_rows(), 5u);

  auto latest = store->select({});
  const StoredSeries* hti = find_series(latest, "HTI");
  ASSERT_NE(hti, nullptr);
  ASSERT_EQ(hti->points.size(), 2u);
  EXPECT_EQ(hti->points[0].value, 10);
  EXPECT_EQ(hti->points[0].vintage, 1);
  EXPECT_EQ(hti->points[1].value, 25);
  EXPECT_EQ(hti->points[1].vintage, 2);

  SeriesSelection as_of_1;
  as_of_1.vintage = 1;
  auto old = store->select(as_of_1);
  hti = find_series(old, "HTI");
  ASSERT_NE(hti, nullptr);
  ASSERT_EQ(hti->points.size(), 2u);
  EXPECT_EQ(hti->points[1].value, 20);
  EXPECT_EQ(hti->points[1].vintage, 1);

  auto vintages = store->vintages("test-src");
  ASSERT_EQ(vintages.size(), 2u);
  EXPECT_EQ(vintages[1].number, 2);
  EXPECT_EQ(vintages[1].file, "revised.csv");
  EXPECT_EQ(vintages[1].rows_written, 1u);
  EXPECT_EQ(store->sources()[0].observations, 4u);  // distinct series-periods

  // A status change alone is a revision too; a new period is new, not revised.
  ParsedFile third = sample_file("digest-3");
  third.rows[1].value = 25;
  third.rows[3].status = Status::Final;
  third.rows.push_back(ObservationRow{2, Period::month(2023, 3), 1, Status::Final, 6});
  r = store->write_vintage(third);
  EXPECT_EQ(r.outcome, WriteOutcome::NewVintage);
  EXPECT_EQ(r.vintage, 3);
  EXPECT_EQ(r.rows_written, 2u);
  EXPECT_EQ(r.rows_revised, 1u);
  EXPECT_EQ(r.series_added, 1u);
}

TEST_P(SeriesStoreContract, SameValuesInADifferentFileAreNoChangedValues) {
  sql::TestDatabase db(GetParam());
  auto store = open_store(db.location());
  ASSERT_EQ(store->write_vintage(sample_file()).outcome, WriteOutcome::NewVintage);
  const std::string before = snapshot(*store);

  ParsedFile same_values = sample_file("digest-other");
  same_values.source_name = "Renamed in the rolled-back write";
  same_values.series.push_back(SeriesDef{key("test-src", "VEN"), Unit::Events});  // unused: not added
  WriteResult r = store->write_vintage(same_values);
  EXPECT_EQ(r.outcome, WriteOutcome::NoChangedValues);
  EXPECT_EQ(r.vintage, 0);
  EXPECT_EQ(r.rows_written, 0u);
  EXPECT_EQ(r.series_added, 0u);
  EXPECT_EQ(snapshot(*store), before);

  // In an incremental release, rows missing from the newer file are not
  // deletions.
  ParsedFile fewer = sample_file("digest-fewer");
  fewer.rows.resize(1);
  fewer.complete_release = false;
  EXPECT_EQ(store->write_vintage(fewer).outcome, WriteOutcome::NoChangedValues);
  EXPECT_EQ(snapshot(*store), before);
}

TEST_P(SeriesStoreContract, CompleteReleaseWithdrawsWhatItNoLongerHolds) {
  sql::TestDatabase db(GetParam());
  auto store = open_store(db.location());
  ASSERT_EQ(store->write_vintage(sample_file()).outcome, WriteOutcome::NewVintage);
  ParsedFile fewer = sample_file("digest-fewer");
  fewer.rows.resize(1);  // a complete release (the default) holding one row
  fewer.max_withdrawal = 1.0;  // 3 of 4 withdrawn: allowed by this source's limit
  WriteResult r = store->write_vintage(fewer);
  EXPECT_EQ(r.outcome, WriteOutcome::NewVintage);
  EXPECT_EQ(r.vintage, 2);
  EXPECT_EQ(r.rows_written, 0u);
  EXPECT_EQ(r.rows_withdrawn, 3u);
  auto latest = store->select({});
  ASSERT_EQ(latest.size(), 1u);  // the series left with no value is not shown
  ASSERT_EQ(latest[0].points.size(), 1u);
  EXPECT_EQ(latest[0].points[0].value, 10);
  SeriesSelection first;
  first.vintage = 1;
  auto as_published = store->select(first);
  size_t points = 0;
  for (auto& s : as_published) points += s.points.size();
  EXPECT_EQ(points, 4u);  // vintage 1 still reads as it was
  EXPECT_EQ(store->sources().at(0).observations, 1u);
  // Publishing the first file again brings the withdrawn values back.
  EXPECT_EQ(store->write_vintage(sample_file("digest-1-again")).rows_written, 3u);
  EXPECT_EQ(store->sources().at(0).observations, 4u);
}

// A complete release that would withdraw more than the source's limit is
// refused in the write itself, before COMMIT: nothing at all is written.
TEST_P(SeriesStoreContract, RefusesAWithdrawalPastTheLimitAndWritesNothing) {
  sql::TestDatabase db(GetParam());
  auto store = open_store(db.location());
  ASSERT_EQ(store->write_vintage(sample_file()).outcome, WriteOutcome::NewVintage);
  const std::string before = snapshot(*store);
  ParsedFile fewer = sample_file("digest-fewer");
  fewer.path = "cut.csv";
  fewer.rows.resize(1);
  // A new series in the refused file must not be left behind either.
  fewer.series.push_back(SeriesDef{key("test-src", "VEN"), Unit::Events});
  fewer.rows.push_back(ObservationRow{3, Period::month(2023, 1), 5, Status::Final, 3});
  ASSERT_EQ(fewer.max_withdrawal, kDefaultMaxWithdrawal);
  try {
    store->write_vintage(fewer);
    FAIL() << "not refused";
  } catch (const WithdrawalRefused& e) {
    EXPECT_EQ(e.withdrawn, 3u);
    EXPECT_EQ(e.held, 4u);
    EXPECT_EQ(e.max_share, kDefaultMaxWithdrawal);
    EXPECT_EQ(std::string(e.what()),
              "cut.csv: would withdraw 3 of the 4 values test-src holds (75%), more than its limit of 5% "
              "(max_withdrawal in the mapping's [source]); nothing was stored. If this file really replaces "
              "them, ingest it with --replace");
  }
  EXPECT_EQ(snapshot(*store), before);
  // The error is a StoreError, for callers that only know those.
  EXPECT_THROW(store->write_vintage(fewer), Error);

  // Forced: a real replacement, readable back as vintage 2 with vintage 1 intact.
  WriteOptions replace;
  replace.replace = true;
  WriteResult r = store->write_vintage(fewer, replace);
  EXPECT_EQ(r.outcome, WriteOutcome::NewVintage);
  EXPECT_EQ(r.vintage, 2);
  EXPECT_EQ(r.rows_withdrawn, 3u);
  EXPECT_EQ(r.rows_written, 1u);
  EXPECT_EQ(store->sources().at(0).observations, 2u);
  SeriesSelection first;
  first.vintage = 1;
  size_t points = 0;
  for (auto& s : store->select(first)) points += s.points.size();
  EXPECT_EQ(points, 4u);
}

TEST_P(SeriesStoreContract, WithdrawalLimitIsAShareOfTheLatestView) {
  sql::TestDatabase db(GetParam());
  auto store = open_store(db.location());
  // 40 values: one series over 40 months.
  ParsedFile f;
  f.source = "share-src";
  f.format = "test";
  f.path = "all.csv";
  f.digest = "d1";
  f.series = {SeriesDef{key("share-src", "HTI"), Unit::Events}};
  for (int m = 0; m < 40; ++m)
    f.rows.push_back(ObservationRow{0, Period::month(2020 + m / 12, m % 12 + 1), 7, Status::Final,
                                    static_cast<uint32_t>(m + 2)});
  ASSERT_EQ(store->write_vintage(f).rows_written, 40u);
  // 2 of 40 (5%) is not more than 5%: accepted.
  ParsedFile two = f;
  two.digest = "d2";
  two.rows.resize(38);
  EXPECT_EQ(store->write_vintage(two).rows_withdrawn, 2u);
  // 3 of the 38 now held (7.9%) is refused; the share is of the latest view.
  ParsedFile three = f;
  three.digest = "d3";
  three.rows.resize(35);
  EXPECT_THROW(store->write_vintage(three), WithdrawalRefused);
  // A source declaring a higher limit (mapping: max_withdrawal = 0.2) accepts it.
  three.max_withdrawal = 0.2;
  EXPECT_EQ(store->write_vintage(three).rows_withdrawn, 3u);
  // An incremental release withdraws nothing, so nothing to refuse...
  ParsedFile bulletin = f;
  bulletin.digest = "d4";
  bulletin.complete_release = false;
  bulletin.rows.resize(1);
  bulletin.rows[0].value = 8;
  WriteResult r = store->write_vintage(bulletin);
  EXPECT_EQ(r.rows_withdrawn, 0u);
  EXPECT_EQ(r.rows_written, 1u);
  // ...unless the caller says it replaces everything.
  bulletin.digest = "d5";
  bulletin.rows[0].value = 9;
  WriteOptions replace;
  replace.replace = true;
  EXPECT_EQ(store->write_vintage(bulletin, replace).rows_withdrawn, 34u);
  EXPECT_EQ(store->sources().at(0).observations, 1u);
}

TEST_P(SeriesStoreContract, EmptyReplacementWithdrawsEverythingOnlyWhenForced) {
  sql::TestDatabase db(GetParam());
  auto store = open_store(db.location());
  ASSERT_EQ(store->write_vintage(sample_file()).outcome, WriteOutcome::NewVintage);
  const uint64_t rows = store->stored_rows();
  ParsedFile none = sample_file("digest-none");
  none.rows.clear();
  none.rows_read = 0;
  EXPECT_THROW(store->write_vintage(none), WithdrawalRefused);
  EXPECT_EQ(store->stored_rows(), rows);
  EXPECT_EQ(store->vintages("test-src").size(), 1u);
  WriteOptions replace;
  replace.replace = true;
  WriteResult r = store->write_vintage(none, replace);
  EXPECT_EQ(r.vintage, 2);
  EXPECT_EQ(r.rows_withdrawn, 4u);
  EXPECT_TRUE(store->select({}).empty());
  SeriesSelection first;
  first.vintage = 1;
  EXPECT_EQ(store->select(first).size(), 2u);
}

TEST_P(SeriesStoreContract, ConcurrentFirstOpensMigrateOnce) {
  // Two ingests started at once on a new store: each runs the migration
  // check, and neither may fail because the other created the schema first.
  for (int round = 0; round < 20; ++round) {
    sql::TestDatabase db(GetParam());
    std::vector<std::string> errors(4);
    std::vector<std::thread> threads;
    for (size_t t = 0; t < errors.size(); ++t) {
      threads.emplace_back([&, t] {
        try {
          open_store(db.location());
        } catch (const std::exception& e) {
          errors[t] = e.what();
        }
      });
    }
    for (auto& t : threads) t.join();
    for (auto& e : errors) EXPECT_EQ(e, "") << "round " << round;
    auto store = open_store(db.location());
    EXPECT_EQ(store->write_vintage(sample_file()).outcome, WriteOutcome::NewVintage);
  }
}

TEST_P(SeriesStoreContract, FailedWriteLeavesTheStoreAsBefore) {
  sql::TestDatabase db(GetParam());
  auto store = open_store(db.location());
  ASSERT_EQ(store->write_vintage(sample_file()).outcome, WriteOutcome::NewVintage);
  const std::string before = snapshot(*store);
  const uint64_t rows_before = store->stored_rows();

  // A new source whose rows repeat a series and period: the second insert
  // breaks the observation PRIMARY KEY after a source, a vintage, series and
  // a row have already been written inside the transaction.
  ParsedFile dup;
  dup.source = "dup-src";
  dup.source_name = "Duplicates";
  dup.format = "test";
  dup.path = "dup.csv";
  dup.digest = "digest-dup";
  dup.rows_read = 3;
  dup.series = {SeriesDef{key("dup-src", "HTI"), Unit::Events}};
  dup.rows = {ObservationRow{0, Period::month(2023, 1), 1, Status::Final, 2},
              ObservationRow{0, Period::month(2023, 2), 2, Status::Final, 3},
              ObservationRow{0, Period::month(2023, 1), 3, Status::Final, 4}};
  EXPECT_THROW(store->write_vintage(dup), Error);
  EXPECT_EQ(store->stored_rows(), rows_before);
  EXPECT_TRUE(store->vintages("dup-src").empty());
  ASSERT_EQ(store->sources().size(), 1u);  // no new source
  EXPECT_EQ(snapshot(*store), before);

  // The same fault in an existing source: no new vintage, old values stay.
  ParsedFile dup_existing = sample_file("digest-dup-existing");
  dup_existing.rows[0].value = 100;
  dup_existing.rows.push_back(ObservationRow{0, Period::month(2023, 1), 101, Status::Final, 6});
  EXPECT_THROW(store->write_vintage(dup_existing), Error);
  EXPECT_EQ(snapshot(*store), before);

  // A negative count breaks the CHECK constraint: also all or nothing.
  ParsedFile negative = sample_file("digest-negative");
  negative.rows[1].value = 21;
  negative.rows[2].value = -1;
  EXPECT_THROW(store->write_vintage(negative), Error);
  EXPECT_EQ(snapshot(*store), before);

  // The store recovers: the next good file is written as vintage 2, and a
  // reopened store sees the same.
  ParsedFile good = sample_file("digest-good");
  good.rows[1].value = 21;
  WriteResult r = store->write_vintage(good);
  EXPECT_EQ(r.outcome, WriteOutcome::NewVintage);
  EXPECT_EQ(r.vintage, 2);
  EXPECT_EQ(r.rows_written, 1u);
  EXPECT_EQ(store->stored_rows(), rows_before + 1);
  const std::string after = snapshot(*store);
  store.reset();
  EXPECT_EQ(snapshot(*open_store(db.location())), after);
}

TEST_P(SeriesStoreContract, SourcesAreKeptApart) {
  sql::TestDatabase db(GetParam());
  auto store = open_store(db.location());
  ASSERT_EQ(store->write_vintage(sample_file()).outcome, WriteOutcome::NewVintage);
  // Another source may ingest the very same bytes (same digest) and values.
  ParsedFile other = sample_file();
  other.source = "other-src";
  other.source_name = "";
  for (auto& s : other.series) s.key.source = "other-src";
  WriteResult r = store->write_vintage(other);
  EXPECT_EQ(r.outcome, WriteOutcome::NewVintage);
  EXPECT_EQ(r.vintage, 1);
  EXPECT_EQ(r.rows_written, 4u);
  EXPECT_EQ(store->stored_rows(), 8u);
  auto sources = store->sources();
  ASSERT_EQ(sources.size(), 2u);
  EXPECT_EQ(sources[0].source, "other-src");
  EXPECT_EQ(sources[1].source, "test-src");
  SeriesSelection one;
  one.dimensions["source"] = {"other-src"};
  auto sel = store->select(one);
  ASSERT_EQ(sel.size(), 2u);
  EXPECT_EQ(sel[0].key.source, "other-src");
}

TEST_P(SeriesStoreContract, ConcurrentWritersEachWriteWholeVintages) {
  // Four processes' worth of writers, each with its own connection, ingest
  // at once: every vintage is stored whole, numbered without gaps.
  sql::TestDatabase db(GetParam());
  open_store(db.location());  // the tables, once
  std::vector<std::string> errors(4);
  std::vector<std::thread> writers;
  for (size_t t = 0; t < errors.size(); ++t)
    writers.emplace_back([&, t] {
      try {
        auto store = open_store(db.location());
        for (int round = 0; round < 3; ++round) {
          ParsedFile f = sample_file("digest-" + std::to_string(t) + "-" + std::to_string(round));
          for (auto& r : f.rows) r.value += static_cast<int64_t>(t * 100 + round);
          store->write_vintage(f);
        }
      } catch (const std::exception& e) {
        errors[t] = e.what();
      }
    });
  for (auto& w : writers) w.join();
  for (auto& e : errors) EXPECT_EQ(e, "");
  auto store = open_store(db.location());
  const auto vintages = store->vintages("test-src");
  ASSERT_EQ(vintages.size(), 12u);
  for (size_t i = 0; i < vintages.size(); ++i) EXPECT_EQ(vintages[i].number, static_cast<int>(i + 1));
  // Each revision stored both of its values: 4 rows in the first, 4 in each after.
  for (auto& v : vintages) EXPECT_EQ(v.rows_written, 4u) << "vintage " << v.number;
}

INSTANTIATE_TEST_SUITE_P(Backends, SeriesStoreContract, ::testing::ValuesIn(sql::test_backends()), sql::backend_name);

}  // namespace
}  // namespace atalaya
