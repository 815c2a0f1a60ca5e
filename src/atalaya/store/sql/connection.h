// A connection to the database that holds a store: SQLite (a file, the
// embedded default) or PostgreSQL (a shared server). Every capability's
// store (series and vintages here; alerts and the outbox in warning/; the
// ones later capabilities add) is written once, in SQL both backends
// accept, against this interface; the few places where the dialects differ
// ask dialect().
//
// SQL is written with `?` placeholders, numbered in order of appearance
// (PostgreSQL's connection rewrites them to $1, $2, ...). Ids of inserted
// rows come from `INSERT ... RETURNING id`, which both accept.
//
// A Connection is used by one thread at a time; a process that serves many
// threads opens one per thread or guards one with a mutex.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace atalaya::sql {

enum class Dialect { Sqlite, Postgres };

// A prepared statement. Binding indices start at 1. step() runs the
// statement on its first call and returns true while a row is available;
// reset() makes it ready to bind and run again.
class Statement {
 public:
  virtual ~Statement() = default;
  virtual Statement& bind(int i, int64_t v) = 0;
  Statement& bind(int i, int v) { return bind(i, static_cast<int64_t>(v)); }
  Statement& bind(int i, uint64_t v) { return bind(i, static_cast<int64_t>(v)); }
  virtual Statement& bind(int i, const std::string& v) = 0;
  Statement& bind(int i, const char* v) { return bind(i, std::string(v)); }
  virtual Statement& bind_real(int i, double v) = 0;
  virtual Statement& bind_null(int i) = 0;
  // Bytes for a BLOB (SQLite) or BYTEA (PostgreSQL) column.
  virtual Statement& bind_blob(int i, std::string_view bytes) = 0;
  virtual bool step() = 0;
  virtual void reset() = 0;
  // Columns of the current row, from 0. text() of NULL is "", i64() of NULL 0.
  virtual int64_t i64(int c) = 0;
  virtual double f64(int c) = 0;
  virtual bool is_null(int c) = 0;
  virtual std::string text(int c) = 0;
  // The bytes of a BLOB / BYTEA column ("" for NULL).
  virtual std::string blob(int c) = 0;
  // Rows inserted, updated or deleted by the last run.
  virtual uint64_t changes() = 0;
};

// Rows of integers appended to one table as fast as the backend allows
// (SQLite: one prepared INSERT; PostgreSQL: COPY). Inside a transaction;
// finish() before the transaction commits.
class BulkInsert {
 public:
  virtual ~BulkInsert() = default;
  virtual void row(const int64_t* values) = 0;  // one value per column named
  // A row whose last column named is a BLOB / BYTEA: `values` holds the
  // integers of the columns before it.
  virtual void row(const int64_t* values, std::string_view last_blob) = 0;
  virtual void finish() = 0;
};

// Write: a change readers of the data must see (a vintage, an alert): its
// commit advances data_version() and notifies. Bookkeeping: a write no
// reader of the data needs to see (an audit line, a token's last use, a
// session, a failed sign-in, an account): the same write lock, but
// data_version() stays, so servers do not reload their data for it.
enum class Transaction { Read, Write, Bookkeeping };

class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;
  // What the connection is to, for messages: the file's path, or the
  // PostgreSQL URI without its password.
  virtual std::string describe() const = 0;
  // Runs statements without parameters (a migration, a pragma).
  virtual void exec(const std::string& sql) = 0;
  virtual std::unique_ptr<Statement> prepare(const std::string& sql) = 0;
  virtual std::unique_ptr<BulkInsert> bulk_insert(const std::string& table, const std::vector<std::string>& columns) = 0;

  // A Write (or Bookkeeping) transaction holds the store's write lock from its start (SQLite:
  // BEGIN IMMEDIATE; PostgreSQL: a transaction-scoped advisory lock), so two
  // writers never interleave; waiting longer than the busy timeout throws
  // Error(Busy). commit() of a Write transaction also advances
  // data_version() and, on PostgreSQL, notifies listening processes.
  virtual void begin(Transaction kind) = 0;
  virtual void commit() = 0;
  virtual void rollback() = 0;  // never throws
  virtual bool in_transaction() const = 0;

  // A number that changes whenever any process commits a Write transaction
  // to this store: a server compares it to know when to reload.
  virtual int64_t data_version() = 0;
  // Waits up to `timeout` for another process's commit (PostgreSQL: LISTEN;
  // SQLite: polls data_version). True when data_version() may have changed.
  virtual bool wait_for_change(std::chrono::milliseconds timeout) = 0;
};

// Begins a transaction and rolls it back unless commit() is called: the
// all-or-nothing scope every write uses.
class TransactionScope {
 public:
  TransactionScope(Connection& db, Transaction kind) : db_(db) { db_.begin(kind); }
  ~TransactionScope() {
    if (open_) db_.rollback();
  }
  TransactionScope(const TransactionScope&) = delete;
  TransactionScope& operator=(const TransactionScope&) = delete;
  void commit() {
    db_.commit();
    open_ = false;
  }
  void rollback() {
    db_.rollback();
    open_ = false;
  }

 private:
  Connection& db_;
  bool open_ = true;
};

// A store's location: "postgresql://..." or "postgres://..." (libpq's URI
// form; also libpq's "host=... dbname=..." key-value strings prefixed
// "postgresql:" or "postgres:") is a PostgreSQL server; anything else is an
// SQLite file's path.
bool is_postgres_uri(const std::string& location);

// Opens a connection. Throws Error(Unavailable) when the database cannot be
// reached or opened, naming it.
std::unique_ptr<Connection> connect(const std::string& location);

}  // namespace atalaya::sql
