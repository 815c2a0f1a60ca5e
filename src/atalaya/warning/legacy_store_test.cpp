// A store made before each feature versioned its own tables (one PRAGMA
// user_version for all) opens with every feature's tables migrated from
// where that version left them (store/sqlite/legacy_schema.h).
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <string>

#include "atalaya/store/series_store_testing.h"
#include "atalaya/store/sqlite/temp_db_testing.h"
#include "atalaya/warning/alert_store.h"

namespace atalaya {
namespace {
using namespace atalaya::testing;

// A store written before the counterpart dimension (schema 2): the series
// table as it was, observation rows instead of blocks (sample_file()'s, its
// series numbered in file order), and user_version 2.
void downgrade_to_schema_2(const std::string& path) {
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
  std::string rows;
  for (const ObservationRow& r : sample_file().rows)
    rows += (rows.empty() ? "" : ",") + ("(" + std::to_string(r.series + 1) + "," + std::to_string(r.period.code()) +
                                         ",1," + std::to_string(r.value) + "," +
                                         std::to_string(static_cast<int>(r.status)) + "," + std::to_string(r.line) + ")");
  const std::string sql = R"SQL(
BEGIN;
DROP TABLE observation_block;
CREATE TABLE observation(
  series_id INTEGER NOT NULL,
  period INTEGER NOT NULL,
  vintage_id INTEGER NOT NULL,
  value INTEGER NOT NULL CHECK (value >= 0),
  status INTEGER NOT NULL,
  line INTEGER NOT NULL,
  PRIMARY KEY(series_id, period, vintage_id)) WITHOUT ROWID;
CREATE VIEW observation_latest AS
  SELECT o.* FROM observation o
  WHERE o.vintage_id = (SELECT max(x.vintage_id) FROM observation x
                        WHERE x.series_id = o.series_id AND x.period = o.period)
    AND o.status <> 0;
INSERT INTO observation VALUES )SQL" + rows + R"SQL(;
CREATE TABLE series_v2(
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES source(id),
  reporter TEXT NOT NULL, location TEXT NOT NULL, citizenship TEXT NOT NULL,
  event TEXT NOT NULL, demographic TEXT NOT NULL, authority TEXT NOT NULL,
  unit INTEGER NOT NULL,
  UNIQUE(source_id, reporter, location, citizenship, event, demographic, authority, unit));
INSERT INTO series_v2 SELECT id, source_id, reporter, location, citizenship, event, demographic, authority, unit
  FROM series;
DROP TABLE series;
ALTER TABLE series_v2 RENAME TO series;
ALTER TABLE source DROP COLUMN declaration;
ALTER TABLE delivery DROP COLUMN failed_at;
DROP TABLE webhook_endpoint;
DROP INDEX alert_event;
DROP INDEX alert_space;
ALTER TABLE alert DROP COLUMN event_id;
ALTER TABLE alert DROP COLUMN space;
ALTER TABLE delivery DROP COLUMN event_id;
DROP TABLE warning_event_change;
DROP TABLE warning_event;
DROP TABLE audit_line;  -- the audit trail came after feature versions
DROP TABLE store_schema;
DROP TABLE store_change;
PRAGMA user_version=2;
COMMIT;
)SQL";
  char* err = nullptr;
  EXPECT_EQ(sqlite3_exec(raw, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(raw);
}

TEST(LegacySqliteStore, MigratesASchema2StoreToTheCounterpartDimension) {
  TempDb db("migrate3");
  std::string before;
  {
    auto store = open_store(db.path());
    auto alerts = open_alert_store(db.path());
    ASSERT_EQ(store->write_vintage(sample_file()).outcome, WriteOutcome::NewVintage);
    before = snapshot(*store);
  }
  downgrade_to_schema_2(db.path());
  auto store = open_store(db.path());
  EXPECT_EQ(snapshot(*store), before);  // ids kept: observations still belong to their series
  for (auto& s : store->select({})) EXPECT_EQ(s.key.counterpart, "");
  // Two series that differ only by counterpart are two series now.
  ParsedFile f = sample_file("digest-cp");
  f.series[0].key.counterpart = "MEX";
  f.series[1] = f.series[0];
  f.series[1].key.counterpart = "GTM";
  f.max_withdrawal = 1.0;  // the old keys are withdrawn: this file replaces them
  WriteResult r = store->write_vintage(f);
  ASSERT_EQ(r.outcome, WriteOutcome::NewVintage);
  EXPECT_EQ(r.series_added, 2u);
  SeriesSelection only_mex;
  only_mex.dimensions["counterpart"] = {"MEX"};
  auto got = store->select(only_mex);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].key.counterpart, "MEX");
  EXPECT_EQ(got[0].key.citizenship, "HTI");
  EXPECT_EQ(got[0].points.size(), 2u);
  // The alert tables were at legacy version 2 too (alerts, no events): they
  // reach the newest version when the alert store opens.
  auto alerts = open_alert_store(db.path());
  EXPECT_TRUE(alerts->events({}).empty());
  EXPECT_TRUE(alerts->drills().empty());
}

}  // namespace
}  // namespace atalaya
