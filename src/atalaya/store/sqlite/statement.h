// A prepared SQLite statement that finalises itself, and the UTC clock the
// store stamps rows with (core/utc_time.h). Shared by the store's SQLite files.
#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <string>

#include "atalaya/core/utc_time.h"
#include "atalaya/store/store.h"

namespace atalaya::sqlite {

using atalaya::utc_now;

class Statement {
 public:
  Statement(sqlite3* db, const std::string& sql) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt_, nullptr) != SQLITE_OK)
      throw StoreError(std::string("store: ") + sqlite3_errmsg(db) + " in: " + sql);
  }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& bind(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); return *this; }
  Statement& bind(int i, const std::string& v) {
    sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    return *this;
  }
  Statement& bind_real(int i, double v) { sqlite3_bind_double(stmt_, i, v); return *this; }
  Statement& bind_null(int i) { sqlite3_bind_null(stmt_, i); return *this; }
  bool step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    throw StoreError(std::string("store: ") + sqlite3_errmsg(sqlite3_db_handle(stmt_)));
  }
  void reset() { sqlite3_reset(stmt_); sqlite3_clear_bindings(stmt_); }
  int64_t i64(int c) { return sqlite3_column_int64(stmt_, c); }
  double f64(int c) { return sqlite3_column_double(stmt_, c); }
  bool is_null(int c) { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  std::string text(int c) {
    auto p = sqlite3_column_text(stmt_, c);
    return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, c)) : "";
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
};


}  // namespace atalaya::sqlite
