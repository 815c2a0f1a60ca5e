// SQLite behind sql::Connection (WAL mode; the bookkeeping tables every
// store has: store_schema, the version of each feature's tables, and
// store_change, the counter behind data_version()).
#include "atalaya/store/sqlite/sqlite_connection.h"

#include <sqlite3.h>

#include <chrono>
#include <thread>

#include "atalaya/core/error.h"
#include "atalaya/store/sqlite/legacy_schema.h"

namespace atalaya::sql {
namespace {

bool busy(int rc) { return (rc & 0xFF) == SQLITE_BUSY || (rc & 0xFF) == SQLITE_LOCKED; }

// An SQLite failure as the store's Error: Busy when another process holds
// the lock (retrying will do), else Internal.
Error store_error(int rc, const std::string& store, const std::string& message) {
  if (busy(rc))
    return Error(ErrorCode::Busy, "", "store " + store + ": " + message +
                                          " (the store is busy: another process is writing; try again)");
  return Error(ErrorCode::Internal, "", "store " + store + ": " + message);
}

[[noreturn]] void fail(sqlite3* db, int rc, const std::string& context) {
  const char* file = sqlite3_db_filename(db, "main");
  throw store_error(rc, file ? file : "", sqlite3_errmsg(db) + (context.empty() ? "" : " in: " + context));
}

class SqliteStatement : public Statement {
 public:
  SqliteStatement(sqlite3* db, const std::string& sql) : db_(db) {
    const int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr);
    if (rc != SQLITE_OK) fail(db, rc, sql);
  }
  ~SqliteStatement() override { sqlite3_finalize(stmt_); }
  Statement& bind(int i, int64_t v) override {
    sqlite3_bind_int64(stmt_, i, v);
    return *this;
  }
  Statement& bind(int i, const std::string& v) override {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind_real(int i, double v) override {
    sqlite3_bind_double(stmt_, i, v);
    return *this;
  }
  Statement& bind_null(int i) override {
    sqlite3_bind_null(stmt_, i);
    return *this;
  }
  Statement& bind_blob(int i, std::string_view bytes) override {
    // A zero-length blob, not NULL, for empty bytes.
    sqlite3_bind_blob64(stmt_, i, bytes.empty() ? "" : bytes.data(), bytes.size(), SQLITE_TRANSIENT);
    return *this;
  }
  bool step() override {
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) {
      // SQLite counts changes when a statement completes; a write's rows
      // (INSERT ... RETURNING) are the rows it changed.
      if (!sqlite3_stmt_readonly(stmt_)) ++changes_;
      return true;
    }
    if (rc == SQLITE_DONE) {
      changes_ = static_cast<uint64_t>(sqlite3_changes64(db_));
      return false;
    }
    fail(db_, rc, sqlite3_sql(stmt_));
  }
  void reset() override {
    changes_ = 0;
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  int64_t i64(int c) override { return sqlite3_column_int64(stmt_, c); }
  double f64(int c) override { return sqlite3_column_double(stmt_, c); }
  bool is_null(int c) override { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  std::string text(int c) override {
    auto p = sqlite3_column_text(stmt_, c);
    return p ? std::string(reinterpret_cast<const char*>(p), static_cast<size_t>(sqlite3_column_bytes(stmt_, c))) : "";
  }
  std::string blob(int c) override {
    auto p = static_cast<const char*>(sqlite3_column_blob(stmt_, c));
    return p ? std::string(p, static_cast<size_t>(sqlite3_column_bytes(stmt_, c))) : "";
  }
  uint64_t changes() override { return changes_; }

 private:
  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  uint64_t changes_ = 0;
};

class SqliteBulkInsert : public BulkInsert {
 public:
  SqliteBulkInsert(sqlite3* db, const std::string& table, const std::vector<std::string>& columns)
      : columns_(columns.size()) {
    std::string sql = "INSERT INTO " + table + "(";
    for (size_t i = 0; i < columns.size(); ++i) sql += (i ? "," : "") + columns[i];
    sql += ") VALUES(";
    for (size_t i = 0; i < columns.size(); ++i) sql += i ? ",?" : "?";
    insert_ = std::make_unique<SqliteStatement>(db, sql + ")");
  }
  void row(const int64_t* values) override {
    for (size_t i = 0; i < columns_; ++i) insert_->bind(static_cast<int>(i + 1), values[i]);
    insert_->step();
    insert_->reset();
  }
  void row(const int64_t* values, std::string_view last_blob) override {
    for (size_t i = 0; i + 1 < columns_; ++i) insert_->bind(static_cast<int>(i + 1), values[i]);
    insert_->bind_blob(static_cast<int>(columns_), last_blob);
    insert_->step();
    insert_->reset();
  }
  void finish() override {}

 private:
  size_t columns_;
  std::unique_ptr<SqliteStatement> insert_;
};

class SqliteConnection : public Connection {
 public:
  SqliteConnection(const std::string& path, std::chrono::milliseconds busy_timeout) : path_(path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
      const std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw Error(ErrorCode::Unavailable, "", "cannot open store " + path + ": " + msg);
    }
    sqlite3_busy_timeout(db_, static_cast<int>(busy_timeout.count()));
    try {
      // Before anything that writes: switching to WAL is persistent, and a
      // database that is not ours must not be touched.
      refuse_foreign();
      enable_wal();
      exec("PRAGMA synchronous=NORMAL");
      exec("PRAGMA foreign_keys=ON");
      exec("PRAGMA cache_size=-262144");
      create_bookkeeping();
    } catch (const Error& e) {
      sqlite3_close(db_);
      throw Error(e.code() == ErrorCode::Busy ? ErrorCode::Busy : ErrorCode::Unavailable, "",
                  "cannot open store " + path + ": " + e.what());
    }
  }
  ~SqliteConnection() override { sqlite3_close(db_); }

  Dialect dialect() const override { return Dialect::Sqlite; }
  std::string describe() const override { return path_; }
  void exec(const std::string& sql) override {
    char* err = nullptr;
    const int rc = sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
      const std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      throw store_error(rc, path_, msg);
    }
  }
  std::unique_ptr<Statement> prepare(const std::string& sql) override {
    return std::make_unique<SqliteStatement>(db_, sql);
  }
  std::unique_ptr<BulkInsert> bulk_insert(const std::string& table, const std::vector<std::string>& columns) override {
    return std::make_unique<SqliteBulkInsert>(db_, table, columns);
  }
  void begin(Transaction kind) override {
    exec(kind == Transaction::Read ? "BEGIN" : "BEGIN IMMEDIATE");
    write_ = kind == Transaction::Write;
  }
  void commit() override {
    if (write_) exec("UPDATE store_change SET version = version + 1 WHERE id = 1");
    exec("COMMIT");
    write_ = false;
  }
  void rollback() override {
    if (!sqlite3_get_autocommit(db_)) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    write_ = false;
  }
  bool in_transaction() const override { return !sqlite3_get_autocommit(db_); }
  int64_t data_version() override {
    SqliteStatement q(db_, "SELECT version FROM store_change WHERE id = 1");
    return q.step() ? q.i64(0) : 0;
  }
  bool wait_for_change(std::chrono::milliseconds timeout) override {
    const int64_t seen = data_version();
    const auto until = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::min<std::chrono::milliseconds>(std::chrono::milliseconds(100), timeout));
      if (data_version() != seen) return true;
    }
    return false;
  }

 private:
  int user_version() {
    SqliteStatement v(db_, "PRAGMA user_version");
    v.step();
    return static_cast<int>(v.i64(0));
  }
  bool has_table(const std::string& name) {
    SqliteStatement t(db_, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?");
    t.bind(1, name).step();
    return t.i64(0) != 0;
  }
  bool holds_tables() {
    SqliteStatement t(db_, "SELECT count(*) FROM sqlite_master");
    t.step();
    return t.i64(0) != 0;
  }
  // A store is a database with store_schema, or one a program before
  // feature versions made (PRAGMA user_version 1 to 6). Version and tables
  // are read in one snapshot: another process may be creating the schema.
  void refuse_foreign() {
    exec("BEGIN");
    bool foreign;
    try {
      foreign = user_version() == 0 && holds_tables() && !has_table("store_schema");
      exec("COMMIT");
    } catch (...) {
      rollback();
      throw;
    }
    if (foreign) throw Error(ErrorCode::Unavailable, "", "not an Atalaya store (it holds other tables)");
  }
  // Switching to WAL takes an exclusive lock without calling the busy
  // handler, so a new store opened by two processes at once waits here.
  void enable_wal() {
    for (int waited_ms = 0;; waited_ms += 10) {
      char* err = nullptr;
      const int rc = sqlite3_exec(db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, &err);
      const std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      if (rc == SQLITE_OK) return;
      if (!busy(rc) || waited_ms >= 10000) throw Error(busy(rc) ? ErrorCode::Busy : ErrorCode::Internal, "", msg);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  // The bookkeeping tables, once, under the write lock. A store made before
  // feature versions (one PRAGMA user_version for all tables) gets each
  // feature's version from it (legacy_schema.h). user_version 7 marks a
  // store with feature versions, which a program from before refuses as
  // newer than it knows instead of touching it.
  void create_bookkeeping() {
    if (has_table("store_schema") && has_table("store_change")) return;  // the usual case: no write lock
    exec("BEGIN IMMEDIATE");
    try {
      if (!has_table("store_schema")) {
        const int legacy = user_version();
        if (legacy > kLegacySchemaVersions)
          throw Error(ErrorCode::Unavailable, "",
                      "store schema version " + std::to_string(legacy) + " is newer than this program knows");
        exec("CREATE TABLE store_schema(feature TEXT PRIMARY KEY, version INTEGER NOT NULL)");
        for (auto& [feature, version] : legacy_feature_versions(legacy)) {
          SqliteStatement ins(db_, "INSERT INTO store_schema(feature, version) VALUES(?, ?)");
          ins.bind(1, feature).bind(2, static_cast<int64_t>(version)).step();
        }
      }
      if (!has_table("store_change")) {
        exec("CREATE TABLE store_change(id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL)");
        exec("INSERT INTO store_change(id, version) VALUES(1, 0)");
      }
      exec("PRAGMA user_version=" + std::to_string(kLegacySchemaVersions + 1));
      exec("COMMIT");
    } catch (...) {
      rollback();
      throw;
    }
  }

  std::string path_;
  sqlite3* db_ = nullptr;
  bool write_ = false;
};

}  // namespace

std::unique_ptr<Connection> connect_sqlite(const std::string& path, std::chrono::milliseconds busy_timeout) {
  return std::make_unique<SqliteConnection>(path, busy_timeout);
}

}  // namespace atalaya::sql
