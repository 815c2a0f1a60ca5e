#include "atalaya/store/postgres/pg_connection.h"

#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <deque>
#include <exception>
#include <map>
#include <optional>
#include <utility>
#include <vector>

#include "atalaya/core/error.h"
#include "atalaya/store/postgres/pg_sql_text.h"

namespace atalaya::postgres {
namespace {

// Advisory lock keys (arbitrary, fixed): the store's write lock, and the lock
// that serialises creating the bookkeeping tables on connect.
constexpr int64_t kWriteLock = 0x6174616c61796101;  // "atalaya" 01
constexpr int64_t kSetupLock = 0x6174616c61796102;
constexpr const char* kChannel = "atalaya_change";
// Bytes of COPY data sent to the server at a time.
constexpr size_t kCopyChunk = 64 * 1024;
// Prepared statements kept per connection before unused ones are dropped.
constexpr size_t kPreparedLimit = 256;

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using Result = std::unique_ptr<PGresult, ResultDeleter>;

bool ok(const PGresult* r) {
  auto s = PQresultStatus(r);
  return s == PGRES_COMMAND_OK || s == PGRES_TUPLES_OK || s == PGRES_SINGLE_TUPLE;
}

// Rows inserted, updated, deleted or copied by a finished command (0 for a
// select, whose tag also carries a count).
uint64_t changed_rows(const PGresult* r) {
  std::string tag = PQcmdStatus(const_cast<PGresult*>(r));
  for (const char* verb : {"INSERT", "UPDATE", "DELETE", "MERGE", "COPY"})
    if (tag.rfind(verb, 0) == 0) return std::strtoull(PQcmdTuples(const_cast<PGresult*>(r)), nullptr, 10);
  return 0;
}

std::string sqlstate(const PGresult* r) {
  const char* s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  return s ? s : "";
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

struct Prepared {
  std::string name;
  int parameters = 0;
  int session = 0;  // the server session it was prepared in (see reconnect)
};

class PgStatement;
class PgBulkInsert;

class PgConnection final : public sql::Connection {
 public:
  PgConnection(PGconn* conn, std::string location) : conn_(conn), location_(std::move(location)) {}
  ~PgConnection() override { PQfinish(conn_); }

  sql::Dialect dialect() const override { return sql::Dialect::Postgres; }
  std::string describe() const override { return location_; }

  void exec(const std::string& sql) override { run(sql); }
  std::unique_ptr<sql::Statement> prepare(const std::string& sql) override;
  std::unique_ptr<sql::BulkInsert> bulk_insert(const std::string& table,
                                               const std::vector<std::string>& columns) override;

  void begin(sql::Transaction kind) override;
  void commit() override;
  void rollback() override;
  bool in_transaction() const override { return in_transaction_; }

  int64_t data_version() override;
  bool wait_for_change(std::chrono::milliseconds timeout) override;

  // The connection setup: session settings and the bookkeeping tables.
  void set_up();

  // --- for statements and bulk inserts ---
  PGconn* raw() { return conn_; }
  int session() const { return session_; }
  // `sql` prepared in this session (kept per SQL text).
  std::shared_ptr<const Prepared> prepared(const std::string& sql);
  // Makes the connection free for a new command: a streaming statement
  // reads its remaining rows into memory; a connection the server dropped
  // is opened again when no transaction was open (the command that found
  // it lost threw Error(Unavailable)). Throws during a bulk insert.
  void make_idle();
  void streaming(PgStatement* s) { streaming_ = s; }
  void stopped_streaming(PgStatement* s) {
    if (streaming_ == s) streaming_ = nullptr;
  }
  void copying(PgBulkInsert* b) { copying_ = b; }
  // The Error for a failed command (`r` may be null: the connection's own
  // message), naming the store and the SQL.
  Error error(const PGresult* r, const std::string& sql) const;

 private:
  // Runs SQL without parameters; throws on failure.
  Result run(const std::string& sql);
  // Reads pending notifications; true when one came from another session.
  bool take_notifications();
  void listen();

  PGconn* conn_;
  std::string location_;  // password masked
  std::string lock_timeout_;
  bool in_transaction_ = false;
  bool writing_ = false;
  bool listening_ = false;
  bool reconnected_ = false;  // notifications may have been missed
  PgStatement* streaming_ = nullptr;
  PgBulkInsert* copying_ = nullptr;
  std::map<std::string, std::shared_ptr<const Prepared>> prepared_;
  int next_prepared_ = 0;
  int session_ = 1;
};

class PgStatement final : public sql::Statement {
 public:
  PgStatement(PgConnection& db, std::shared_ptr<const Prepared> prepared, std::string sql)
      : db_(db),
        prepared_(std::move(prepared)),
        sql_(std::move(sql)),
        values_(prepared_->parameters),
        binary_(prepared_->parameters, 0) {}
  ~PgStatement() override { abandon(); }

  sql::Statement& bind(int i, int64_t v) override { return set(i, std::to_string(v)); }
  sql::Statement& bind(int i, const std::string& v) override { return set(i, v); }
  sql::Statement& bind_real(int i, double v) override {
    if (std::isnan(v)) return set(i, "NaN");
    if (std::isinf(v)) return set(i, v > 0 ? "Infinity" : "-Infinity");
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, v);  // shortest text that reads back the same
    return set(i, std::string(buf, r.ptr));
  }
  sql::Statement& bind_null(int i) override { return set(i, std::nullopt); }
  // Sent in binary: the bytes as they are.
  sql::Statement& bind_blob(int i, std::string_view bytes) override {
    set(i, std::string(bytes));
    binary_[static_cast<size_t>(i - 1)] = 1;
    return *this;
  }

  bool step() override;
  void reset() override {
    abandon();
    state_ = State::Ready;
    changes_ = 0;
  }
  int64_t i64(int c) override;
  double f64(int c) override;
  bool is_null(int c) override { return PQgetisnull(row(c), 0, c) == 1; }
  std::string text(int c) override {
    PGresult* r = row(c);
    return std::string(PQgetvalue(r, 0, c), static_cast<size_t>(PQgetlength(r, 0, c)));
  }
  std::string blob(int c) override {
    PGresult* r = row(c);
    if (PQgetisnull(r, 0, c)) return "";
    size_t length = 0;
    unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(PQgetvalue(r, 0, c)), &length);
    if (!bytes) throw Error(ErrorCode::Internal, "", "store " + db_.describe() + ": column " + std::to_string(c) +
                                                         " is not bytea (or out of memory) in: " + sql_);
    std::string out(reinterpret_cast<const char*>(bytes), length);
    PQfreemem(bytes);
    return out;
  }
  uint64_t changes() override {
    if (state_ == State::Streaming) db_.make_idle();
    return changes_;
  }

  // The connection is needed for another command: read the rest of this
  // statement's results into memory (an error is kept for step()).
  void read_ahead();

 private:
  enum class State { Ready, Streaming, Buffered, Done };

  sql::Statement& set(int i, std::optional<std::string> v) {
    if (i < 1 || i > prepared_->parameters)
      throw Error(ErrorCode::Internal, "",
                  "store " + db_.describe() + ": parameter " + std::to_string(i) + " of " +
                      std::to_string(prepared_->parameters) + " bound in: " + sql_);
    values_[static_cast<size_t>(i - 1)] = std::move(v);
    binary_[static_cast<size_t>(i - 1)] = 0;
    return *this;
  }
  PGresult* row(int c) {
    if (!row_) throw Error(ErrorCode::Internal, "", "store " + db_.describe() + ": no current row in: " + sql_);
    if (c < 0 || c >= PQnfields(row_.get()))
      throw Error(ErrorCode::Internal, "",
                  "store " + db_.describe() + ": column " + std::to_string(c) + " out of range in: " + sql_);
    return row_.get();
  }
  // Ends the result (the final status of a finished run).
  void finished(PGresult* r) { changes_ = changed_rows(r); }
  // Stops a run early: reads and drops what is left.
  void abandon() noexcept {
    if (state_ == State::Streaming) {
      while (PGresult* r = PQgetResult(db_.raw())) PQclear(r);
      db_.stopped_streaming(this);
    }
    row_.reset();
    rows_.clear();
    failure_ = nullptr;
  }

  PgConnection& db_;
  std::shared_ptr<const Prepared> prepared_;
  std::string sql_;
  std::vector<std::optional<std::string>> values_;
  std::vector<int> binary_;  // per parameter: 1 when sent in binary (a blob)
  State state_ = State::Ready;
  Result row_;               // the current row: a one-row result
  std::deque<Result> rows_;  // rows read ahead
  std::exception_ptr failure_;
  uint64_t changes_ = 0;
};

class PgBulkInsert final : public sql::BulkInsert {
 public:
  PgBulkInsert(PgConnection& db, std::string table, size_t columns)
      : db_(db), table_(std::move(table)), columns_(columns) {
    buffer_.reserve(kCopyChunk + 256);
    db_.copying(this);
  }
  ~PgBulkInsert() override { abort("bulk insert abandoned before finish()"); }

  void row(const int64_t* values) override {
    integers(values, columns_);
    buffer_ += '\n';
    if (buffer_.size() >= kCopyChunk) flush();
  }

  // The blob as bytea's hex form, its backslash escaped for COPY's text
  // format: \\x0a1b...
  void row(const int64_t* values, std::string_view last_blob) override {
    integers(values, columns_ - 1);
    if (columns_ > 1) buffer_ += '\t';
    static constexpr char kHex[] = "0123456789abcdef";
    buffer_ += "\\\\x";
    const size_t at = buffer_.size();
    buffer_.resize(at + 2 * last_blob.size());
    char* out = buffer_.data() + at;
    for (unsigned char b : last_blob) {
      *out++ = kHex[b >> 4];
      *out++ = kHex[b & 15];
    }
    buffer_ += '\n';
    if (buffer_.size() >= kCopyChunk) flush();
  }

  void finish() override {
    if (done_) return;
    flush();
    done_ = true;
    db_.copying(nullptr);
    if (PQputCopyEnd(db_.raw(), nullptr) != 1) throw db_.error(nullptr, copy_sql());
    Result r(PQgetResult(db_.raw()));
    while (PGresult* extra = PQgetResult(db_.raw())) PQclear(extra);
    if (!r || PQresultStatus(r.get()) != PGRES_COMMAND_OK) throw db_.error(r.get(), copy_sql());
  }

  // Ends the COPY with an error, so none of its rows is kept (never throws).
  void abort(const char* why) noexcept {
    if (done_) return;
    done_ = true;
    db_.copying(nullptr);
    PQputCopyEnd(db_.raw(), why);
    while (PGresult* r = PQgetResult(db_.raw())) PQclear(r);
  }

 private:
  std::string copy_sql() const { return "COPY " + table_ + " FROM STDIN"; }
  // `n` integers, tab-separated, without the line's end.
  void integers(const int64_t* values, size_t n) {
    if (done_)
      throw Error(ErrorCode::Internal, "",
                  "store " + db_.describe() + ": row after finish() of the bulk insert into " + table_);
    for (size_t i = 0; i < n; ++i) {
      if (i) buffer_ += '\t';
      char buf[24];
      auto r = std::to_chars(buf, buf + sizeof buf, values[i]);
      buffer_.append(buf, r.ptr);
    }
  }
  void flush() {
    if (buffer_.empty()) return;
    if (PQputCopyData(db_.raw(), buffer_.data(), static_cast<int>(buffer_.size())) != 1) {
      abort("could not send data");
      throw db_.error(nullptr, copy_sql());
    }
    buffer_.clear();
  }

  PgConnection& db_;
  std::string table_;
  size_t columns_;
  std::string buffer_;
  bool done_ = false;
};

// ---------------------------------------------------------------- statement

bool PgStatement::step() {
  switch (state_) {
    case State::Done:
      return false;
    case State::Ready: {
      db_.make_idle();
      if (prepared_->session != db_.session()) prepared_ = db_.prepared(sql_);  // reconnected since
      std::vector<const char*> values(values_.size());
      std::vector<int> lengths(values_.size(), 0);  // read for binary parameters only
      for (size_t i = 0; i < values_.size(); ++i) {
        values[i] = values_[i] ? values_[i]->c_str() : nullptr;
        if (values_[i]) lengths[i] = static_cast<int>(values_[i]->size());
      }
      if (!PQsendQueryPrepared(db_.raw(), prepared_->name.c_str(), static_cast<int>(values.size()), values.data(),
                               lengths.data(), binary_.data(), 0))
        throw db_.error(nullptr, sql_);
      if (!PQsetSingleRowMode(db_.raw())) {
        while (PGresult* r = PQgetResult(db_.raw())) PQclear(r);
        throw Error(ErrorCode::Internal, "", "store " + db_.describe() + ": could not stream the rows of: " + sql_);
      }
      state_ = State::Streaming;
      db_.streaming(this);
      [[fallthrough]];
    }
    case State::Streaming: {
      row_.reset();
      Result r(PQgetResult(db_.raw()));
      if (r && PQresultStatus(r.get()) == PGRES_SINGLE_TUPLE) {
        row_ = std::move(r);
        return true;
      }
      while (PGresult* extra = PQgetResult(db_.raw())) PQclear(extra);
      db_.stopped_streaming(this);
      state_ = State::Done;
      if (!r || !ok(r.get())) throw db_.error(r.get(), sql_);
      finished(r.get());
      return false;
    }
    case State::Buffered:
      row_.reset();
      if (!rows_.empty()) {
        row_ = std::move(rows_.front());
        rows_.pop_front();
        return true;
      }
      state_ = State::Done;
      if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
      return false;
  }
  return false;
}

void PgStatement::read_ahead() {
  while (PGresult* raw = PQgetResult(db_.raw())) {
    Result r(raw);
    if (PQresultStatus(raw) == PGRES_SINGLE_TUPLE) rows_.push_back(std::move(r));
    else if (ok(raw)) finished(raw);
    else failure_ = std::make_exception_ptr(db_.error(raw, sql_));
  }
  state_ = State::Buffered;
  db_.stopped_streaming(this);
}

int64_t PgStatement::i64(int c) {
  PGresult* r = row(c);
  if (PQgetisnull(r, 0, c)) return 0;
  const char* v = PQgetvalue(r, 0, c);
  const char* end = v + PQgetlength(r, 0, c);
  if (*v == 't' && end - v == 1) return 1;  // a boolean
  if (*v == 'f' && end - v == 1) return 0;
  int64_t out = 0;
  auto [ptr, ec] = std::from_chars(v, end, out);
  if (ec == std::errc() && ptr == end) return out;
  if (ec == std::errc() && *ptr == '.') return out;  // a numeric: its integer part
  throw Error(ErrorCode::Internal, "",
              "store " + db_.describe() + ": column " + std::to_string(c) + " holds '" + std::string(v, end) +
                  "', not an integer, in: " + sql_);
}

double PgStatement::f64(int c) {
  PGresult* r = row(c);
  if (PQgetisnull(r, 0, c)) return 0;
  const char* v = PQgetvalue(r, 0, c);
  char* end = nullptr;
  double out = std::strtod(v, &end);  // also reads Infinity, -Infinity and NaN
  if (end == v || *end != '\0')
    throw Error(ErrorCode::Internal, "",
                "store " + db_.describe() + ": column " + std::to_string(c) + " holds '" + v + "', not a number, in: " + sql_);
  return out;
}

// --------------------------------------------------------------- connection

Error PgConnection::error(const PGresult* r, const std::string& sql) const {
  std::string state = sqlstate(r);
  std::string message;
  if (r) {
    const char* primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
    const char* detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL);
    message = primary ? primary : trimmed(PQresultErrorMessage(r));
    if (detail) message += std::string(" (") + detail + ")";
  }
  if (message.empty()) message = trimmed(PQerrorMessage(conn_));
  if (PQstatus(conn_) == CONNECTION_BAD || state.rfind("08", 0) == 0 || state == "57P01" || state == "57P02" ||
      state == "57P03")
    return Error(ErrorCode::Unavailable, "", "store " + location_ + ": lost the connection to PostgreSQL: " + message);
  if (state == "40001" || state == "40P01" || state == "55P03")
    return Error(ErrorCode::Busy, "", "store " + location_ + " is busy (" + message + "); try again later");
  return Error(ErrorCode::Internal, "", "store " + location_ + ": " + message + " in: " + sql);
}

Result PgConnection::run(const std::string& sql) {
  make_idle();
  Result r(PQexec(conn_, sql.c_str()));
  if (!r || !ok(r.get())) throw error(r.get(), sql);
  return r;
}

void PgConnection::make_idle() {
  if (PQstatus(conn_) == CONNECTION_BAD && !in_transaction_) {
    PQreset(conn_);
    if (PQstatus(conn_) != CONNECTION_OK)
      throw Error(ErrorCode::Unavailable, "",
                  "store " + location_ + ": cannot reconnect to PostgreSQL: " + trimmed(PQerrorMessage(conn_)));
    // A new server session: nothing prepared, not listening.
    ++session_;
    prepared_.clear();
    listening_ = false;
    streaming_ = nullptr;
    reconnected_ = true;
    set_up();
  }
  if (copying_)
    throw Error(ErrorCode::Internal, "",
                "store " + location_ + ": a bulk insert is in progress on this connection; finish() it first");
  if (streaming_) streaming_->read_ahead();
}

std::unique_ptr<sql::Statement> PgConnection::prepare(const std::string& sql) {
  return std::make_unique<PgStatement>(*this, prepared(sql), sql);
}

std::shared_ptr<const Prepared> PgConnection::prepared(const std::string& sql) {
  auto found = prepared_.find(sql);
  if (found == prepared_.end()) {
    make_idle();
    if (prepared_.size() >= kPreparedLimit && PQtransactionStatus(conn_) != PQTRANS_INERROR) {
      // Drop the statements no Statement holds.
      for (auto it = prepared_.begin(); it != prepared_.end();) {
        if (it->second.use_count() == 1) {
          PQclear(PQexec(conn_, ("DEALLOCATE " + it->second->name).c_str()));
          it = prepared_.erase(it);
        } else {
          ++it;
        }
      }
    }
    auto p = std::make_shared<Prepared>();
    std::string text = number_placeholders(sql, p->parameters);
    p->name = "atalaya_" + std::to_string(++next_prepared_);
    p->session = session_;
    Result r(PQprepare(conn_, p->name.c_str(), text.c_str(), 0, nullptr));
    if (!r || !ok(r.get())) throw error(r.get(), sql);
    found = prepared_.emplace(sql, std::move(p)).first;
  }
  return found->second;
}

std::unique_ptr<sql::BulkInsert> PgConnection::bulk_insert(const std::string& table,
                                                           const std::vector<std::string>& columns) {
  std::string sql = "COPY " + table + " (";
  for (size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + columns[i];
  sql += ") FROM STDIN";
  make_idle();
  Result r(PQexec(conn_, sql.c_str()));
  if (!r || PQresultStatus(r.get()) != PGRES_COPY_IN) throw error(r.get(), sql);
  return std::make_unique<PgBulkInsert>(*this, table, columns.size());
}

void PgConnection::begin(sql::Transaction kind) {
  if (in_transaction_) throw Error(ErrorCode::Internal, "", "store " + location_ + ": begin() inside a transaction");
  if (kind == sql::Transaction::Read) {
    run("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  } else {
    make_idle();
    std::string lock = "BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(kWriteLock) + ")";
    Result r(PQexec(conn_, lock.c_str()));  // one round trip
    if (!r || !ok(r.get())) {
      Error e = error(r.get(), lock);
      if (PQtransactionStatus(conn_) != PQTRANS_IDLE) PQclear(PQexec(conn_, "ROLLBACK"));
      if (sqlstate(r.get()) == "55P03")
        throw Error(ErrorCode::Busy, "",
                    "store " + location_ + " is busy: another process has been writing to it for longer than " +
                        lock_timeout_ + " (lock_timeout); try again later");
      throw e;
    }
  }
  in_transaction_ = true;
  writing_ = kind == sql::Transaction::Write;
}

void PgConnection::commit() {
  if (!in_transaction_) throw Error(ErrorCode::Internal, "", "store " + location_ + ": commit() without a transaction");
  make_idle();
  if (PQtransactionStatus(conn_) == PQTRANS_INERROR) {
    rollback();
    throw Error(ErrorCode::Internal, "",
                "store " + location_ + ": the transaction failed earlier and was rolled back; nothing was written");
  }
  std::string sql = writing_ ? std::string("UPDATE store_change SET version = version + 1 WHERE id = 1; NOTIFY ") +
                                   kChannel + "; COMMIT"
                             : "COMMIT";
  Result r(PQexec(conn_, sql.c_str()));
  bool failed = !r || !ok(r.get());
  if (failed && PQtransactionStatus(conn_) != PQTRANS_IDLE) PQclear(PQexec(conn_, "ROLLBACK"));
  in_transaction_ = false;
  if (failed) throw error(r.get(), sql);
}

void PgConnection::rollback() {
  if (!in_transaction_) return;
  in_transaction_ = false;
  if (copying_) copying_->abort("rolled back");
  if (streaming_) streaming_->read_ahead();
  PQclear(PQexec(conn_, "ROLLBACK"));
}

void PgConnection::listen() {
  if (listening_ || in_transaction_) return;
  run(std::string("LISTEN ") + kChannel);
  listening_ = true;
}

bool PgConnection::take_notifications() {
  if (!PQconsumeInput(conn_)) throw error(nullptr, "(waiting for changes)");
  bool other = false;
  while (PGnotify* n = PQnotifies(conn_)) {
    if (n->be_pid != PQbackendPID(conn_)) other = true;
    PQfreemem(n);
  }
  return other;
}

int64_t PgConnection::data_version() {
  // Listening from the first read on, a commit between this read and a
  // later wait_for_change() is not missed; notifications already queued are
  // older than the version read below.
  make_idle();
  listen();
  take_notifications();
  Result r = run("SELECT version FROM store_change WHERE id = 1");
  if (PQntuples(r.get()) != 1)
    throw Error(ErrorCode::Internal, "", "store " + location_ + ": the table store_change has no row");
  return std::strtoll(PQgetvalue(r.get(), 0, 0), nullptr, 10);
}

bool PgConnection::wait_for_change(std::chrono::milliseconds timeout) {
  if (in_transaction_)
    throw Error(ErrorCode::Internal, "", "store " + location_ + ": wait_for_change() inside a transaction");
  make_idle();
  listen();
  if (std::exchange(reconnected_, false)) return true;  // what changed while the session was lost is unknown
  auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    if (take_notifications()) return true;
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return false;
    pollfd p{PQsocket(conn_), POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) < 0 && errno != EINTR)
      throw Error(ErrorCode::Unavailable, "", "store " + location_ + ": waiting for changes failed");
  }
}

void PgConnection::set_up() {
  // CREATE TABLE IF NOT EXISTS and the like report notices; they are not for
  // the user.
  PQsetNoticeProcessor(conn_, [](void*, const char*) {}, nullptr);
  Result timeout = run("SHOW lock_timeout");
  lock_timeout_ = PQgetvalue(timeout.get(), 0, 0);
  if (lock_timeout_ == "0") {  // the server waits forever unless told: wait as long as SQLite does
    run("SET lock_timeout = '10s'");
    lock_timeout_ = "10s";
  }
  Result tables = run("SELECT to_regclass('store_change') IS NOT NULL AND to_regclass('store_schema') IS NOT NULL");
  if (std::string(PQgetvalue(tables.get(), 0, 0)) == "t" &&
      PQntuples(run("SELECT 1 FROM store_change WHERE id = 1").get()) == 1)
    return;
  std::string setup =
      "BEGIN; SELECT pg_advisory_xact_lock(" + std::to_string(kSetupLock) +
      ");"
      " CREATE TABLE IF NOT EXISTS store_change (id INTEGER PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL);"
      " CREATE TABLE IF NOT EXISTS store_schema (feature TEXT PRIMARY KEY, version INTEGER NOT NULL);"
      " INSERT INTO store_change (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;"
      " COMMIT";
  Result r(PQexec(conn_, setup.c_str()));
  if (!r || !ok(r.get())) {
    Error e = error(r.get(), setup);
    PQclear(PQexec(conn_, "ROLLBACK"));
    throw e;
  }
}

}  // namespace

std::unique_ptr<sql::Connection> connect_postgres(const std::string& uri) {
  std::string conninfo = libpq_conninfo(uri);
  // The location's own settings come last and win over these defaults.
  const char* keys[] = {"connect_timeout", "fallback_application_name", "dbname", nullptr};
  const char* values[] = {"10", "atalaya", conninfo.c_str(), nullptr};
  PGconn* conn = PQconnectdbParams(keys, values, 1);
  if (!conn) throw Error(ErrorCode::Unavailable, "", "cannot connect to PostgreSQL at " + mask_password(uri) + ": out of memory");
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string message = trimmed(PQerrorMessage(conn));
    PQfinish(conn);
    throw Error(ErrorCode::Unavailable, "", "cannot connect to PostgreSQL at " + mask_password(uri) + ": " + message);
  }
  auto db = std::make_unique<PgConnection>(conn, mask_password(uri));
  db->set_up();
  return db;
}

}  // namespace atalaya::postgres
