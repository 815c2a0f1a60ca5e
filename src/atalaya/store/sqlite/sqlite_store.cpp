// SQLite implementation of the store (WAL mode, versioned schema).
#include <sqlite3.h>

#include <chrono>
#include <ctime>
#include <algorithm>
#include <functional>
#include <thread>
#include <unordered_map>

#include "atalaya/core/radix_sort.h"
#include "atalaya/store/sqlite/sqlite_alerts.h"
#include "atalaya/store/sqlite/sqlite_events.h"
#include "atalaya/store/sqlite/sqlite_outbox.h"
#include "atalaya/store/sqlite/statement.h"
#include "atalaya/store/store.h"

namespace atalaya {
namespace {
using sqlite::Statement;
using sqlite::utc_now;

// Each entry migrates the schema from version i to i+1. Never edit a
// released entry: add a new one.
const char* kMigrations[] = {
    R"SQL(
CREATE TABLE source(
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL DEFAULT '');
CREATE TABLE vintage(
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES source(id),
  number INTEGER NOT NULL,
  file TEXT NOT NULL,
  digest TEXT NOT NULL,
  mapping_digest TEXT NOT NULL DEFAULT '',
  format TEXT NOT NULL,
  bytes INTEGER NOT NULL,
  rows_read INTEGER NOT NULL,
  rows_written INTEGER NOT NULL,
  ingested_at TEXT NOT NULL,
  UNIQUE(source_id, number));
CREATE INDEX vintage_digest ON vintage(source_id, digest);
CREATE TABLE series(
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES source(id),
  reporter TEXT NOT NULL, location TEXT NOT NULL, citizenship TEXT NOT NULL,
  event TEXT NOT NULL, demographic TEXT NOT NULL, authority TEXT NOT NULL,
  unit INTEGER NOT NULL,
  UNIQUE(source_id, reporter, location, citizenship, event, demographic, authority, unit));
-- period: Period::code(); status: Status, or 0 for a withdrawal (the value
-- was in the source's previous release and is absent from this complete
-- release); line: provenance in the vintage's file.
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
)SQL",
    // 2: early-warning alerts, their lifecycle history, and the webhook outbox.
    R"SQL(
CREATE TABLE alert(
  id INTEGER PRIMARY KEY,
  trigger TEXT NOT NULL,
  trigger_name TEXT NOT NULL,
  rule TEXT NOT NULL,
  key TEXT NOT NULL,            -- Alert::key_text(): dim=value;dim=value
  first_period INTEGER NOT NULL, -- Period::code()
  last_period INTEGER NOT NULL,
  severity INTEGER NOT NULL,     -- Severity
  status INTEGER NOT NULL,       -- AlertStatus
  evidence TEXT NOT NULL,        -- JSON
  window_from INTEGER, window_to INTEGER,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL);
CREATE INDEX alert_trigger_key ON alert(trigger, key);
CREATE INDEX alert_status ON alert(status);
CREATE TABLE alert_change(
  alert_id INTEGER NOT NULL REFERENCES alert(id),
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  status INTEGER NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY(alert_id, seq));
CREATE TABLE delivery(
  id INTEGER PRIMARY KEY,
  alert_id INTEGER NOT NULL REFERENCES alert(id),
  endpoint TEXT NOT NULL,
  event TEXT NOT NULL,
  delivery_key TEXT NOT NULL,    -- sent on every attempt, so a receiver can drop duplicates
  body TEXT NOT NULL,            -- the exact bytes POSTed (the signature covers them)
  created_at TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,          -- NULL once delivered
  delivered_at TEXT,
  last_http_status INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '');
CREATE INDEX delivery_due ON delivery(next_attempt_at) WHERE delivered_at IS NULL;
CREATE TABLE delivery_attempt(
  delivery_id INTEGER NOT NULL REFERENCES delivery(id),
  at TEXT NOT NULL,
  http_status INTEGER NOT NULL,
  error TEXT NOT NULL);
)SQL",
    // 3: the counterpart dimension (destination, country of asylum or of
    // return). The series table is rebuilt so that the key's UNIQUE
    // constraint includes it; ids are kept, so observations stay attached.
    R"SQL(
CREATE TABLE series_v3(
  id INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES source(id),
  reporter TEXT NOT NULL, location TEXT NOT NULL, citizenship TEXT NOT NULL,
  counterpart TEXT NOT NULL DEFAULT '',
  event TEXT NOT NULL, demographic TEXT NOT NULL, authority TEXT NOT NULL,
  unit INTEGER NOT NULL,
  UNIQUE(source_id, reporter, location, citizenship, counterpart, event, demographic, authority, unit));
INSERT INTO series_v3(id, source_id, reporter, location, citizenship, counterpart, event, demographic, authority, unit)
  SELECT id, source_id, reporter, location, citizenship, '', event, demographic, authority, unit FROM series;
DROP TABLE series;
ALTER TABLE series_v3 RENAME TO series;
)SQL",
    // 4: what each source declares it counts (SourceDeclaration as JSON).
    R"SQL(
ALTER TABLE source ADD COLUMN declaration TEXT NOT NULL DEFAULT '{}';
)SQL",
    // 5: delivery off the watch path. A delivery retrying will not help is
    // given up (failed_at) instead of retried forever; each endpoint's
    // circuit breaker is kept here so that every delivering process agrees.
    R"SQL(
ALTER TABLE delivery ADD COLUMN failed_at TEXT;
CREATE TABLE webhook_endpoint(
  url TEXT PRIMARY KEY,
  consecutive_failures INTEGER NOT NULL DEFAULT 0,
  open_until TEXT,               -- paused (skipped) until this UTC time; NULL: closed
  last_failure_at TEXT,
  last_success_at TEXT,
  last_error TEXT NOT NULL DEFAULT '');
)SQL",
    // 6: warning events (one per movement: warning/warning_event.h) and drill
    // spaces. An alert stored before events becomes an event of its own.
    R"SQL(
CREATE TABLE warning_event(
  id INTEGER PRIMARY KEY,
  space TEXT NOT NULL DEFAULT '',  -- '' the live inbox; else a drill's name
  movement TEXT NOT NULL,          -- dim=value;dim=value (route, citizenship)
  route TEXT NOT NULL DEFAULT '',
  citizenship TEXT NOT NULL DEFAULT '',
  first_period INTEGER NOT NULL,
  last_period INTEGER NOT NULL,
  severity INTEGER NOT NULL,
  status INTEGER NOT NULL,         -- AlertStatus
  phase INTEGER NOT NULL,          -- EventPhase
  view TEXT NOT NULL,              -- JSON: route names and checkpoints (event_json.h)
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL);
CREATE INDEX warning_event_space ON warning_event(space, status);
CREATE TABLE warning_event_change(
  event_id INTEGER NOT NULL REFERENCES warning_event(id),
  seq INTEGER NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  status INTEGER NOT NULL,
  note TEXT NOT NULL,
  PRIMARY KEY(event_id, seq));
ALTER TABLE alert ADD COLUMN space TEXT NOT NULL DEFAULT '';
ALTER TABLE alert ADD COLUMN event_id INTEGER REFERENCES warning_event(id);
CREATE INDEX alert_event ON alert(event_id);
CREATE INDEX alert_space ON alert(space, status);
ALTER TABLE delivery ADD COLUMN event_id INTEGER REFERENCES warning_event(id);
INSERT INTO warning_event(id, space, movement, first_period, last_period, severity, status, phase, view,
                          created_at, updated_at)
  SELECT id, '', key, first_period, last_period, severity, status, 2, '{}', created_at, updated_at FROM alert;
INSERT INTO warning_event_change(event_id, seq, at, actor, status, note)
  SELECT alert_id, seq, at, actor, status, note FROM alert_change;
UPDATE alert SET event_id = id;
)SQL",
};

// The status stored for a withdrawal; never a Status value.
constexpr int64_t kWithdrawn = 0;

struct PairHash {
  size_t operator()(const std::pair<int64_t, int64_t>& p) const {
    return std::hash<int64_t>{}(p.first * 1000003 ^ p.second);
  }
};

class SqliteStore : public Store {
 public:
  explicit SqliteStore(const std::string& path) : path_(path) {
    if (sqlite3_open_v2(path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr) != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : "out of memory";
      sqlite3_close(db_);
      throw StoreError("cannot open store " + path + ": " + msg);
    }
    sqlite3_busy_timeout(db_, 10000);
    try {
      // Before anything that writes: switching to WAL is persistent, and a
      // database that is not ours must not be touched.
      refuse_foreign();
      enable_wal();
      exec("PRAGMA synchronous=NORMAL");
      exec("PRAGMA foreign_keys=ON");
      exec("PRAGMA cache_size=-262144");
      migrate();
      alert_tables_ = sqlite::AlertTables(db_);
      event_tables_ = sqlite::EventTables(db_, &alert_tables_);
      outbox_ = sqlite::OutboxTables(db_);
    } catch (const StoreError& e) {
      sqlite3_close(db_);
      throw StoreError("cannot open store " + path + ": " + e.what());
    }
  }
  ~SqliteStore() override { sqlite3_close(db_); }

  using Store::write_vintage;
  WriteResult write_vintage(const ParsedFile& file, const WriteOptions& options) override;
  std::vector<SourceSummary> sources() override;
  std::vector<VintageInfo> vintages(const std::string& source) override;
  std::vector<StoredSeries> select(const SeriesSelection& selection) override;
  std::vector<CoveredPeriod> covered_periods(const std::string& source, std::optional<int> vintage) override;
  std::vector<Alert> alerts(const AlertFilter& f) override { return alert_tables_.alerts(f); }
  std::optional<Alert> alert(int64_t id) override { return alert_tables_.alert(id); }
  void save_alerts(std::vector<AlertWrite>& w, const std::vector<std::string>& endpoints,
                   const NotificationBuilder& build) override {
    alert_tables_.save(w, endpoints, build);
  }
  Alert change_alert_status(int64_t id, AlertStatus to, const std::string& actor, const std::string& note) override {
    return alert_tables_.change_status(id, to, actor, note);
  }
  std::vector<WarningEvent> events(const EventFilter& f) override { return event_tables_.events(f); }
  std::optional<WarningEvent> event(int64_t id) override { return event_tables_.event(id); }
  void save_events(std::vector<EventWrite>& w, const std::vector<std::string>& endpoints,
                   const EventNotificationBuilder& build) override {
    event_tables_.save(w, endpoints, build);
  }
  WarningEvent change_event_status(int64_t id, AlertStatus to, const std::string& actor,
                                   const std::string& note) override {
    return event_tables_.change_status(id, to, actor, note);
  }
  std::vector<DrillSummary> drills() override { return event_tables_.drills(); }
  uint64_t delete_drill(const std::string& name) override { return event_tables_.delete_drill(name); }
  std::vector<Delivery> due_deliveries(const std::string& now) override { return alert_tables_.due_deliveries(now); }
  std::vector<Delivery> deliveries_of(int64_t id) override { return alert_tables_.deliveries_of(id); }
  void record_delivery_attempt(int64_t id, bool delivered, int http_status, const std::string& error,
                               const std::string& next_attempt_at) override {
    alert_tables_.record_attempt(id, delivered, http_status, error, next_attempt_at);
  }
  std::vector<Delivery> deliveries(DeliveryState state, size_t limit) override {
    return outbox_.deliveries(state, limit);
  }
  bool claim_delivery(int64_t id, const std::string& now, const std::string& until) override {
    return outbox_.claim(id, now, until);
  }
  int requeue_deliveries(const std::string& endpoint, const std::string& now) override {
    return outbox_.requeue(endpoint, now);
  }
  std::optional<EndpointHealth> endpoint_health(const std::string& url) override { return outbox_.health(url); }
  std::vector<EndpointHealth> endpoint_healths() override { return outbox_.healths(); }
  void save_endpoint_health(const EndpointHealth& h) override { outbox_.save_health(h); }

  uint64_t stored_rows() override {
    Statement s(db_, "SELECT count(*) FROM observation");
    s.step();
    return static_cast<uint64_t>(s.i64(0));
  }

 private:
  void exec(const std::string& sql) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      throw StoreError(msg);
    }
  }
  // Switching to WAL takes an exclusive lock without calling the busy
  // handler, so a new store opened by two processes at once waits here.
  void enable_wal() {
    for (int waited_ms = 0;; waited_ms += 10) {
      char* err = nullptr;
      int rc = sqlite3_exec(db_, "PRAGMA journal_mode=WAL", nullptr, nullptr, &err);
      std::string msg = err ? err : sqlite3_errstr(rc);
      sqlite3_free(err);
      if (rc == SQLITE_OK) return;
      if ((rc & 0xFF) != SQLITE_BUSY || waited_ms >= 10000) throw StoreError(msg);
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  int schema_version() {
    Statement v(db_, "PRAGMA user_version");
    v.step();
    return static_cast<int>(v.i64(0));
  }
  bool holds_tables() {
    Statement t(db_, "SELECT count(*) FROM sqlite_master");
    t.step();
    return t.i64(0) != 0;
  }
  // A non-empty database that is not ours must not be touched. Version and
  // tables are read in one snapshot: another process may be creating the
  // schema at this moment.
  void refuse_foreign() {
    exec("BEGIN");
    bool foreign;
    try {
      foreign = schema_version() == 0 && holds_tables();
      exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
    if (foreign) throw StoreError("not an Atalaya store (it holds other tables)");
  }
  void migrate() {
    const int target = static_cast<int>(std::size(kMigrations));
    if (schema_version() == target) return;  // the usual case: no write lock taken
    exec("BEGIN IMMEDIATE");
    try {
      // Read again under the write lock: another process opening the same
      // new store may have migrated it meanwhile.
      const int version = schema_version();
      if (version > target)
        throw StoreError("store schema version " + std::to_string(version) +
                         " is newer than this program knows (" + std::to_string(target) + ")");
      if (version == 0 && holds_tables()) throw StoreError("not an Atalaya store (it holds other tables)");
      for (int i = version; i < target; ++i) exec(kMigrations[i]);
      exec("PRAGMA user_version=" + std::to_string(target));
      exec("COMMIT");
    } catch (...) {
      sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
      throw;
    }
  }

  std::string path_;
  sqlite3* db_ = nullptr;
  sqlite::AlertTables alert_tables_{nullptr};
  sqlite::EventTables event_tables_{nullptr, nullptr};
  sqlite::OutboxTables outbox_{nullptr};
};

WriteResult SqliteStore::write_vintage(const ParsedFile& file, const WriteOptions& options) {
  WriteResult result;
  exec("BEGIN IMMEDIATE");
  try {
    int64_t source_id;
    {
      Statement ins(db_, "INSERT INTO source(code, name) VALUES(?, ?) ON CONFLICT(code) DO UPDATE SET "
                         "name = CASE WHEN excluded.name <> '' THEN excluded.name ELSE source.name END");
      ins.bind(1, file.source).bind(2, file.source_name).step();
      Statement q(db_, "SELECT id FROM source WHERE code = ?");
      q.bind(1, file.source).step();
      source_id = q.i64(0);
      if (file.declaration) {
        Statement d(db_, "UPDATE source SET declaration = ? WHERE id = ?");
        d.bind(1, file.declaration->to_json()).bind(2, source_id).step();
      }
    }
    {
      // Only the newest vintage counts: an earlier file published again
      // (a correction withdrawn) must become the latest once more.
      Statement same(db_, "SELECT number, digest, mapping_digest FROM vintage WHERE source_id = ? "
                          "ORDER BY number DESC LIMIT 1");
      if (same.bind(1, source_id).step() && same.text(1) == file.digest && same.text(2) == file.mapping_digest) {
        exec("ROLLBACK");
        result.outcome = WriteOutcome::SameFile;
        result.vintage = static_cast<int>(same.i64(0));
        return result;
      }
    }
    // Series ids for the file's series, inserting new ones in file order so
    // that new ids ascend with the file's series index.
    std::vector<int64_t> series_id(file.series.size(), 0);
    std::vector<bool> used(file.series.size(), false);
    for (auto& r : file.rows) used[r.series] = true;
    {
      Statement find(db_, "SELECT id FROM series WHERE source_id=? AND reporter=? AND location=? AND citizenship=? "
                          "AND event=? AND demographic=? AND authority=? AND unit=? AND counterpart=?");
      Statement add(db_, "INSERT INTO series(source_id, reporter, location, citizenship, event, demographic, "
                         "authority, unit, counterpart) VALUES(?,?,?,?,?,?,?,?,?)");
      for (size_t i = 0; i < file.series.size(); ++i) {
        if (!used[i]) continue;
        const auto& d = file.series[i];
        auto bind_all = [&](Statement& s) {
          s.bind(1, source_id).bind(2, d.key.reporter).bind(3, d.key.location).bind(4, d.key.citizenship)
              .bind(5, d.key.event).bind(6, d.key.demographic).bind(7, d.key.authority)
              .bind(8, static_cast<int64_t>(d.unit)).bind(9, d.key.counterpart);
        };
        bind_all(find);
        if (find.step()) {
          series_id[i] = find.i64(0);
        } else {
          bind_all(add);
          add.step();
          series_id[i] = sqlite3_last_insert_rowid(db_);
          ++result.series_added;
        }
        find.reset();
        add.reset();
      }
    }
    // What the source holds now (latest view), to store only what changed.
    std::unordered_map<std::pair<int64_t, int64_t>, std::pair<int64_t, int64_t>, PairHash> latest;
    {
      Statement cur(db_,
                    "SELECT o.series_id, o.period, o.value, o.status FROM observation o JOIN series s ON s.id = o.series_id "
                    "WHERE s.source_id = ? ORDER BY o.series_id, o.period, o.vintage_id");
      cur.bind(1, source_id);
      while (cur.step()) {
        if (cur.i64(3) == kWithdrawn) latest.erase({cur.i64(0), cur.i64(1)});
        else latest[{cur.i64(0), cur.i64(1)}] = {cur.i64(2), cur.i64(3)};
      }
    }
    int number;
    {
      Statement n(db_, "SELECT coalesce(max(number), 0) + 1 FROM vintage WHERE source_id = ?");
      n.bind(1, source_id).step();
      number = static_cast<int>(n.i64(0));
    }
    Statement vin(db_, "INSERT INTO vintage(source_id, number, file, digest, mapping_digest, format, bytes, rows_read, "
                       "rows_written, ingested_at) VALUES(?,?,?,?,?,?,?,?,0,?)");
    vin.bind(1, source_id).bind(2, number).bind(3, file.path).bind(4, file.digest).bind(5, file.mapping_digest)
        .bind(6, file.format).bind(7, static_cast<int64_t>(file.bytes)).bind(8, file.rows_read).bind(9, utc_now())
        .step();
    int64_t vintage_id = sqlite3_last_insert_rowid(db_);

    Statement obs(db_, "INSERT INTO observation(series_id, period, vintage_id, value, status, line) VALUES(?,?,?,?,?,?)");
    // Insert in primary-key order: appending to the B-tree is several times
    // faster than inserting at random places.
    std::vector<std::pair<uint64_t, uint32_t>> order(file.rows.size());
    for (size_t i = 0; i < file.rows.size(); ++i)
      order[i] = {(static_cast<uint64_t>(series_id[file.rows[i].series]) << 24) |
                      static_cast<uint64_t>(file.rows[i].period.code()),
                  static_cast<uint32_t>(i)};
    radix_sort(order);
    // First what each row does against the latest view (new, revised or the
    // same), so that what would be withdrawn is known before anything is
    // written.
    const uint64_t held = latest.size();
    enum : uint8_t { kNew, kRevised, kSame };
    std::vector<uint8_t> action(order.size(), kNew);
    if (!latest.empty()) {
      for (size_t i = 0; i < order.size(); ++i) {
        const ObservationRow& r = file.rows[order[i].second];
        auto it = latest.find({series_id[r.series], r.period.code()});
        if (it == latest.end()) continue;
        const bool same = it->second.first == r.value && it->second.second == static_cast<int64_t>(r.status);
        latest.erase(it);  // what remains afterwards is absent from this file
        action[i] = same ? kSame : kRevised;
      }
    }
    // A complete release withdraws what the source held and this file lacks
    // (a series renamed by a corrected mapping, a month a publisher dropped);
    // more than the source's limit is refused unless the caller replaces on
    // purpose: a cut or emptied file must not withdraw a series by accident.
    const bool complete = file.complete_release || options.replace;
    if (complete && !options.replace && !latest.empty() &&
        static_cast<double>(latest.size()) > file.max_withdrawal * static_cast<double>(held))
      throw WithdrawalRefused(file.path, file.source, latest.size(), held, file.max_withdrawal);
    for (size_t i = 0; i < order.size(); ++i) {
      if (action[i] == kSame) continue;
      const ObservationRow& r = file.rows[order[i].second];
      if (action[i] == kRevised) ++result.rows_revised;
      obs.bind(1, series_id[r.series]).bind(2, r.period.code()).bind(3, vintage_id).bind(4, r.value)
          .bind(5, static_cast<int64_t>(r.status)).bind(6, r.line);
      obs.step();
      obs.reset();
      ++result.rows_written;
    }
    if (complete) {
      std::vector<std::pair<int64_t, int64_t>> gone;
      for (auto& [k, v] : latest) gone.push_back(k);
      std::sort(gone.begin(), gone.end());
      for (auto& [sid, code] : gone) {
        obs.bind(1, sid).bind(2, code).bind(3, vintage_id).bind(4, 0).bind(5, kWithdrawn).bind(6, 0);
        obs.step();
        obs.reset();
        ++result.rows_withdrawn;
      }
    }
    if (result.rows_written == 0 && result.rows_withdrawn == 0) {
      exec("ROLLBACK");
      result.outcome = WriteOutcome::NoChangedValues;
      result.series_added = 0;
      return result;
    }
    Statement upd(db_, "UPDATE vintage SET rows_written = ? WHERE id = ?");  // withdrawals not counted
    upd.bind(1, static_cast<int64_t>(result.rows_written)).bind(2, vintage_id).step();
    exec("COMMIT");
    result.vintage = number;
    return result;
  } catch (...) {
    sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

std::vector<SourceSummary> SqliteStore::sources() {
  std::vector<SourceSummary> out;
  Statement q(db_, R"SQL(
    SELECT src.code, src.name,
      (SELECT count(*) FROM vintage v WHERE v.source_id = src.id),
      (SELECT count(*) FROM series s WHERE s.source_id = src.id),
      (SELECT max(ingested_at) FROM vintage v WHERE v.source_id = src.id),
      src.id, src.declaration
    FROM source src ORDER BY src.code)SQL");
  while (q.step()) {
    SourceSummary s;
    s.source = q.text(0);
    s.name = q.text(1);
    s.vintages = static_cast<int>(q.i64(2));
    s.series = static_cast<uint64_t>(q.i64(3));
    s.last_ingest = q.text(4);
    s.declaration = SourceDeclaration::from_json(q.text(6));
    // Observations and periods of the latest view (withdrawals excluded).
    Statement r(db_, "SELECT o.period, count(*) FROM observation_latest o JOIN series s ON s.id = o.series_id "
                     "WHERE s.source_id = ? GROUP BY o.period");
    r.bind(1, q.i64(5));
    std::optional<Period> first, last;
    while (r.step()) {
      s.observations += static_cast<uint64_t>(r.i64(1));
      Period p = Period::from_code(r.i64(0));
      if (!first || p.first_month() < first->first_month()) first = p;
      if (!last || last->last_month() < p.last_month()) last = p;
    }
    if (first) s.first_period = first->to_string();
    if (last) s.last_period = last->to_string();
    out.push_back(std::move(s));
  }
  return out;
}

std::vector<VintageInfo> SqliteStore::vintages(const std::string& source) {
  std::vector<VintageInfo> out;
  Statement q(db_, "SELECT src.code, v.number, v.file, v.digest, v.format, v.ingested_at, v.rows_read, "
                   "v.rows_written FROM vintage v JOIN source src ON src.id = v.source_id "
                   "WHERE src.code = ? ORDER BY v.number");
  q.bind(1, source);
  while (q.step())
    out.push_back(VintageInfo{q.text(0), static_cast<int>(q.i64(1)), q.text(2), q.text(3), q.text(4), q.text(5),
                              static_cast<uint64_t>(q.i64(6)), static_cast<uint64_t>(q.i64(7))});
  return out;
}

std::vector<CoveredPeriod> SqliteStore::covered_periods(const std::string& source, std::optional<int> vintage) {
  // A period is covered when some series holds a value there in the view:
  // its newest row (up to the vintage asked for) is not a withdrawal.
  std::string shape = "0";
  for (size_t d = 1; d < std::size(kDimensions); ++d)
    shape += " + (s." + std::string(kDimensions[d]) + " <> '') * " + std::to_string(1u << d);
  // One pass in primary-key order: per (series, period) the newest row up
  // to the vintage (SQLite gives a bare column the value of the row that
  // max() picks), then per (shape, period) the least settled status:
  // provisional (1) over estimated (3) over final (2).
  Statement q(db_, R"SQL(SELECT shape, period, max(CASE status WHEN 1 THEN 2 WHEN 3 THEN 1 ELSE 0 END) FROM (
      SELECT )SQL" + shape + R"SQL( AS shape, o.period AS period, o.status AS status, max(o.vintage_id)
      FROM observation o
      JOIN series s ON s.id = o.series_id
      JOIN source src ON src.id = s.source_id
      JOIN vintage v ON v.id = o.vintage_id
      WHERE src.code = ?1 AND v.number <= ?2
      GROUP BY o.series_id, o.period)
    WHERE status <> 0
    GROUP BY shape, period ORDER BY shape, period)SQL");
  q.bind(1, source).bind(2, static_cast<int64_t>(vintage.value_or(1 << 30)));
  std::vector<CoveredPeriod> out;
  static constexpr Status kByRank[] = {Status::Final, Status::Estimated, Status::Provisional};
  while (q.step())
    out.push_back(CoveredPeriod{static_cast<uint32_t>(q.i64(0)), Period::from_code(q.i64(1)), kByRank[q.i64(2)]});
  return out;
}

std::vector<StoredSeries> SqliteStore::select(const SeriesSelection& sel) {
  std::string sql =
      "SELECT s.id, src.code, s.reporter, s.location, s.citizenship, s.event, s.demographic, s.authority, s.unit, "
      "o.period, o.value, o.status, v.number, s.counterpart FROM series s JOIN source src ON src.id = s.source_id "
      "JOIN observation o ON o.series_id = s.id JOIN vintage v ON v.id = o.vintage_id WHERE 1=1";
  std::vector<std::string> binds;
  for (auto& [dim, values] : sel.dimensions) {
    if (values.empty()) continue;
    std::string column = dim == "source" ? "src.code" : "s." + dim;
      if (std::find(std::begin(kDimensions), std::end(kDimensions), dim) == std::end(kDimensions))
      throw StoreError("unknown dimension '" + dim + "'");
    sql += " AND " + column + " IN (";
    for (size_t i = 0; i < values.size(); ++i) {
      sql += i ? ",?" : "?";
      binds.push_back(values[i]);
    }
    sql += ")";
  }
  if (sel.vintage) sql += " AND v.number <= " + std::to_string(*sel.vintage);
  sql += " ORDER BY s.id, o.period, o.vintage_id";
  Statement q(db_, sql);
  for (size_t i = 0; i < binds.size(); ++i) q.bind(static_cast<int>(i + 1), binds[i]);
  std::vector<StoredSeries> out;
  int64_t current = -1;
  while (q.step()) {
    int64_t id = q.i64(0);
    if (id != current) {
      current = id;
      StoredSeries s;
      s.key = SeriesKey{q.text(1), q.text(2), q.text(3), q.text(4), q.text(5), q.text(6), q.text(7), q.text(13)};
      s.unit = static_cast<Unit>(q.i64(8));
      out.push_back(std::move(s));
    }
    StoredPoint p{Period::from_code(q.i64(9)), q.i64(10), static_cast<Status>(q.i64(11)), static_cast<int>(q.i64(12))};
    auto& pts = out.back().points;
    // Rows come in vintage order: a later vintage of the same period replaces
    // the earlier; a withdrawal (status 0) removes it.
    if (!pts.empty() && pts.back().period == p.period) pts.pop_back();
    if (static_cast<int64_t>(p.status) != kWithdrawn) pts.push_back(p);
  }
  // A series whose every value was withdrawn is not shown.
  out.erase(std::remove_if(out.begin(), out.end(), [](const StoredSeries& s) { return s.points.empty(); }),
            out.end());
  return out;
}

}  // namespace

std::unique_ptr<Store> open_sqlite_store(const std::string& path) {
  return std::make_unique<SqliteStore>(path);
}

}  // namespace atalaya
