// What only the SQLite backend does: it refuses a database that is not a
// store (someone else's tables, a file that is not a database) and leaves it
// untouched, refuses a schema newer than it knows, and keeps per-feature
// versions across reopening. The contract both backends keep is
// series_store_test.cpp.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "atalaya/store/series_store_testing.h"
#include "atalaya/store/sqlite/temp_db_testing.h"
#include "atalaya/store/store.h"

namespace atalaya {
namespace {
using namespace atalaya::testing;

TEST(SqliteStore, RefusesADatabaseHoldingSomeoneElsesTables) {
  TempDb db("foreign");
  {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.path().c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "CREATE TABLE people(name TEXT); INSERT INTO people VALUES('Ada');", nullptr,
                           nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
  }
  try {
    open_store(db.path());
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("not an Atalaya store"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(db.path()), std::string::npos) << e.what();
  }
  // The foreign file is untouched: same table, same row, still in its own
  // journal mode, no Atalaya tables and no schema version.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.path().c_str(), &raw), SQLITE_OK);
  auto query = [&](const char* sql) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(raw, sql, -1, &st, nullptr), SQLITE_OK) << sql;
    std::string out;
    while (st && sqlite3_step(st) == SQLITE_ROW) {
      auto* t = sqlite3_column_text(st, 0);
      out += (out.empty() ? "" : ",") + std::string(t ? reinterpret_cast<const char*>(t) : "");
    }
    sqlite3_finalize(st);
    return out;
  };
  EXPECT_EQ(query("SELECT name FROM people"), "Ada");
  EXPECT_EQ(query("SELECT name FROM sqlite_master ORDER BY name"), "people");
  EXPECT_EQ(query("PRAGMA user_version"), "0");
  EXPECT_EQ(query("PRAGMA journal_mode"), "delete");
  sqlite3_close(raw);
}

TEST(SqliteStore, RefusesAFileThatIsNotADatabase) {
  TempDb db("garbage");
  {
    std::ofstream out(db.path(), std::ios::binary);
    out << "Fiscal Year,Month (abbv)\n2023,OCT\n" << std::string(4096, 'x');
  }
  EXPECT_THROW(open_store(db.path()), Error);
  EXPECT_THROW(open_store("/nonexistent-dir-for-atalaya-tests/store.db"), Error);
}

TEST(SqliteStore, RefusesASchemaNewerThanItKnows) {
  TempDb db("newer");
  { auto store = open_store(db.path()); }
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.path().c_str(), &raw), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(raw, "UPDATE store_schema SET version = 99 WHERE feature = 'series'", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(raw);
  try {
    open_store(db.path());
    FAIL() << "expected StoreError";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::Unavailable);
    EXPECT_NE(std::string(e.what()).find("newer"), std::string::npos) << e.what();
  }
}

TEST(SqliteStore, ReopeningKeepsEverything) {
  TempDb db("reopen");
  std::string before;
  {
    auto store = open_store(db.path());
    ASSERT_EQ(store->write_vintage(sample_file()).outcome, WriteOutcome::NewVintage);
    ParsedFile revised = sample_file("digest-2");
    revised.rows[0].value = 11;
    ASSERT_EQ(store->write_vintage(revised).outcome, WriteOutcome::NewVintage);
    before = snapshot(*store);
  }
  for (int round = 0; round < 2; ++round) {  // migration runs once; reopening is idempotent
    auto store = open_store(db.path());
    EXPECT_EQ(snapshot(*store), before);
    EXPECT_EQ(store->write_vintage(sample_file("digest-2")).outcome, WriteOutcome::SameFile);
  }
  {
    auto store = open_store(db.path());
    ParsedFile third = sample_file("digest-3");
    third.rows[0].value = 12;
    WriteResult r = store->write_vintage(third);
    EXPECT_EQ(r.outcome, WriteOutcome::NewVintage);
    EXPECT_EQ(r.vintage, 3);  // numbering continues across reopenings
    EXPECT_EQ(r.rows_revised, 1u);
  }
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.path().c_str(), &raw), SQLITE_OK);
  sqlite3_stmt* st = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(raw, "SELECT version FROM store_schema WHERE feature = 'series'", -1, &st, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(st), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(st, 0), 5);  // 1: observations; 2: counterpart; 3: declarations; 4, 5: blocks
  sqlite3_finalize(st);
  sqlite3_close(raw);
}

}  // namespace
}  // namespace atalaya
