// A store whose observations are rows (series version 3, before blocks)
// opens with every (series, vintage)'s rows turned into one block and the
// old table gone, and answers as before, on both backends; a damaged block
// is an error that names it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "atalaya/store/series_schema.h"
#include "atalaya/store/series_store_testing.h"
#include "atalaya/store/sql/connection.h"
#include "atalaya/store/sql/schema.h"
#include "atalaya/store/sql/test_database_testing.h"
#include "atalaya/store/store.h"

namespace atalaya {
namespace {
using namespace atalaya::testing;

class SeriesBlocksMigration : public sql::BackendTest {};

std::string month(int m) { return std::to_string(Period::month(2023, m).code()); }

// Two vintages of one source in the old schema, as the old store wrote
// them: vintage 2 revises HTI 2023-02, withdraws MEX 2023-01 (status 0,
// value 0, line 0) and adds MEX 2023-03.
void build_old_store(const std::string& location) {
  auto db = sql::connect(location);
  const auto& steps = series_migrations();
  sql::migrate(*db, "series", std::vector<sql::Migration>(steps.begin(), steps.begin() + 3));
  ASSERT_EQ(sql::feature_version(*db, "series"), 3);
  sql::TransactionScope tx(*db, sql::Transaction::Write);
  // Ids from the tables' own numbering (1, 2, ... in a new database), as
  // the old store got them.
  db->exec("INSERT INTO source(code, name) VALUES('old-src', 'An old source')");
  for (int v : {1, 2})
    db->exec("INSERT INTO vintage(source_id, number, file, digest, format, bytes, rows_read, rows_written, "
             "ingested_at) VALUES(1, " + std::to_string(v) + ", 'old-" + std::to_string(v) +
             ".csv', 'd" + std::to_string(v) + "', 'test', 100, 4, 4, '2026-01-0" + std::to_string(v) + "T00:00:00Z')");
  for (const char* citizenship : {"HTI", "MEX"})
    db->exec("INSERT INTO series(source_id, reporter, location, citizenship, counterpart, event, demographic, "
             "authority, unit) VALUES(1, 'USA', 'San Diego', '" + std::string(citizenship) +
             "', '', 'encounter', 'single_adult', 'Title 8', 1)");
  // (series, period, vintage, value, status, line); status 2 final, 1 provisional, 3 estimated.
  db->exec("INSERT INTO observation(series_id, period, vintage_id, value, status, line) VALUES"
           "(1," + month(1) + ",1,10,2,2), (1," + month(2) + ",1,20,2,3), (2," + month(1) + ",1,30,2,4),"
           "(2," + month(2) + ",1,40,1,5), (1," + month(2) + ",2,21,2,3), (2," + month(1) + ",2,0,0,0),"
           "(2," + month(3) + ",2,50,3,6)");
  tx.commit();
}

std::string points_of(const std::vector<StoredSeries>& all, const std::string& citizenship) {
  const StoredSeries* s = find_series(all, citizenship);
  if (!s) return "(none)";
  std::string out;
  for (const StoredPoint& p : s->points)
    out += p.period.to_string() + "=" + std::to_string(p.value) + "/" + std::string(status_name(p.status)) + "/v" +
           std::to_string(p.vintage) + " ";
  return out;
}

TEST_P(SeriesBlocksMigration, OldObservationRowsBecomeBlocksAndReadTheSame) {
  sql::TestDatabase db(GetParam());
  build_old_store(db.location());
  auto store = open_store(db.location());

  EXPECT_EQ(store->stored_rows(), 7u);  // every row of every vintage, the withdrawal too
  auto latest = store->select({});
  EXPECT_EQ(points_of(latest, "HTI"), "2023-01=10/final/v1 2023-02=21/final/v2 ");
  EXPECT_EQ(points_of(latest, "MEX"), "2023-02=40/provisional/v1 2023-03=50/estimated/v2 ");
  SeriesSelection first;
  first.vintage = 1;
  auto as_of_1 = store->select(first);
  EXPECT_EQ(points_of(as_of_1, "HTI"), "2023-01=10/final/v1 2023-02=20/final/v1 ");
  EXPECT_EQ(points_of(as_of_1, "MEX"), "2023-01=30/final/v1 2023-02=40/provisional/v1 ");

  auto covered = store->covered_periods("old-src", std::nullopt);
  std::string periods;
  for (const CoveredPeriod& c : covered) periods += c.period.to_string() + "/" + std::string(status_name(c.status)) + " ";
  EXPECT_EQ(periods, "2023-01/final 2023-02/provisional 2023-03/estimated ");

  auto sources = store->sources();
  ASSERT_EQ(sources.size(), 1u);
  EXPECT_EQ(sources[0].observations, 4u);
  EXPECT_EQ(sources[0].first_period, "2023-01");
  EXPECT_EQ(sources[0].last_period, "2023-03");
  EXPECT_EQ(sources[0].vintages, 2);

  // A new file is compared with the converted view: one revision, of the
  // value vintage 2 wrote.
  ParsedFile next = sample_file("digest-next");
  next.source = "old-src";
  for (auto& s : next.series) s.key.source = "old-src";
  next.complete_release = false;
  next.rows = {ObservationRow{0, Period::month(2023, 2), 22, Status::Final, 2}};
  WriteResult r = store->write_vintage(next);
  EXPECT_EQ(r.outcome, WriteOutcome::NewVintage);
  EXPECT_EQ(r.vintage, 3);
  EXPECT_EQ(r.rows_written, 1u);
  EXPECT_EQ(r.series_added, 0u);
  ASSERT_EQ(r.largest_revisions.size(), 1u);
  EXPECT_EQ(r.largest_revisions[0].old_value, 21);
  EXPECT_EQ(r.largest_revisions[0].revises_vintage, 2);
  EXPECT_EQ(store->stored_rows(), 8u);

  // The old table and its view are gone.
  auto raw = sql::connect(db.location());
  EXPECT_EQ(sql::feature_version(*raw, "series"), static_cast<int>(series_migrations().size()));
  EXPECT_THROW(raw->prepare("SELECT count(*) FROM observation")->step(), Error);
  EXPECT_THROW(raw->prepare("SELECT count(*) FROM observation_latest")->step(), Error);
}

TEST_P(SeriesBlocksMigration, AnEmptyOldStoreMigratesToNoBlocks) {
  sql::TestDatabase db(GetParam());
  {
    auto raw = sql::connect(db.location());
    const auto& steps = series_migrations();
    sql::migrate(*raw, "series", std::vector<sql::Migration>(steps.begin(), steps.begin() + 3));
  }
  auto store = open_store(db.location());
  EXPECT_EQ(store->stored_rows(), 0u);
  EXPECT_EQ(store->write_vintage(sample_file()).rows_written, 4u);
  EXPECT_EQ(store->stored_rows(), 4u);
}

TEST_P(SeriesBlocksMigration, ADamagedBlockIsAnErrorNamingItNotACrash) {
  sql::TestDatabase db(GetParam());
  auto store = open_store(db.location());
  ASSERT_EQ(store->write_vintage(sample_file()).outcome, WriteOutcome::NewVintage);
  {
    auto raw = sql::connect(db.location());
    raw->exec(GetParam() == sql::Dialect::Sqlite
                  ? "UPDATE observation_block SET data = substr(data, 1, 4) WHERE series_id = 1"
                  : "UPDATE observation_block SET data = substring(data from 1 for 4) WHERE series_id = 1");
  }
  for (int reader = 0; reader < 3; ++reader) {
    try {
      if (reader == 0) store->select({});
      if (reader == 1) store->sources();
      if (reader == 2) store->write_vintage(sample_file("digest-2"));
      FAIL() << "reader " << reader << ": expected Error";
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("block of series id 1, vintage id 1 is truncated"), std::string::npos)
          << e.what();
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, SeriesBlocksMigration, ::testing::ValuesIn(sql::test_backends()),
                         sql::backend_name);

}  // namespace
}  // namespace atalaya
