#include "atalaya/store/sqlite/sqlite_alerts.h"

#include <nlohmann/json.hpp>

#include "atalaya/store/sqlite/statement.h"
#include "atalaya/warning/alert_json.h"

namespace atalaya::sqlite {
namespace {

std::string evidence_json(const AlertEvidence& e) { return evidence_to_json(e).dump(); }
AlertEvidence parse_evidence(const std::string& text) { return evidence_from_json(nlohmann::json::parse(text)); }

std::map<std::string, std::string> parse_key(const std::string& text) {
  std::map<std::string, std::string> key;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    std::string part = text.substr(start, end - start);
    size_t eq = part.find('=');
    if (eq != std::string::npos) key[part.substr(0, eq)] = part.substr(eq + 1);
    start = end + 1;
  }
  return key;
}

const char* kAlertColumns =
    "id, trigger, trigger_name, rule, key, first_period, last_period, severity, status, evidence, "
    "window_from, window_to, created_at, updated_at";

Alert read_alert(Statement& q) {
  Alert a;
  a.id = q.i64(0);
  a.trigger = q.text(1);
  a.trigger_name = q.text(2);
  a.rule = q.text(3);
  a.key = parse_key(q.text(4));
  a.first_period = Period::from_code(q.i64(5));
  a.last_period = Period::from_code(q.i64(6));
  a.severity = static_cast<Severity>(q.i64(7));
  a.status = static_cast<AlertStatus>(q.i64(8));
  a.evidence = parse_evidence(q.text(9));
  if (!q.is_null(10)) a.window_from = Period::from_code(q.i64(10));
  if (!q.is_null(11)) a.window_to = Period::from_code(q.i64(11));
  a.created_at = q.text(12);
  a.updated_at = q.text(13);
  return a;
}

Delivery read_delivery(Statement& q) {
  Delivery d;
  d.id = q.i64(0);
  d.alert_id = q.i64(1);
  d.endpoint = q.text(2);
  d.event = q.text(3);
  d.created_at = q.text(4);
  d.attempts = static_cast<int>(q.i64(5));
  d.next_attempt_at = q.text(6);
  d.delivered_at = q.text(7);
  d.last_http_status = static_cast<int>(q.i64(8));
  d.last_error = q.text(9);
  d.delivery_key = q.text(10);
  d.body = q.text(11);
  d.failed_at = q.text(12);
  return d;
}

const char* kDeliveryColumns =
    "id, alert_id, endpoint, event, created_at, attempts, next_attempt_at, delivered_at, last_http_status, last_error, "
    "delivery_key, body, failed_at";

// Runs `body` in one write transaction: all of it or none of it.
template <typename F>
void in_transaction(sqlite3* db, F&& body) {
  char* err = nullptr;
  if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err ? err : "cannot begin";
    sqlite3_free(err);
    throw StoreError("store: " + msg);
  }
  try {
    body();
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "cannot commit";
      sqlite3_free(err);
      throw StoreError("store: " + msg);
    }
  } catch (...) {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    throw;
  }
}

}  // namespace

void AlertTables::load_history(Alert& a) {
  Statement h(db_, "SELECT at, actor, status, note FROM alert_change WHERE alert_id = ? ORDER BY seq");
  h.bind(1, a.id);
  while (h.step()) a.history.push_back({h.text(0), h.text(1), static_cast<AlertStatus>(h.i64(2)), h.text(3)});
}

std::vector<Alert> AlertTables::alerts(const AlertFilter& f) {
  std::string sql = std::string("SELECT ") + kAlertColumns + " FROM alert WHERE 1=1";
  if (f.status) sql += " AND status = " + std::to_string(static_cast<int>(*f.status));
  if (f.active_only) sql += " AND status IN (1, 2)";
  if (f.trigger) sql += " AND trigger = ?";
  sql += " ORDER BY last_period DESC, severity DESC, id DESC";
  if (f.limit) sql += " LIMIT " + std::to_string(f.limit);
  Statement q(db_, sql);
  if (f.trigger) q.bind(1, *f.trigger);
  std::vector<Alert> out;
  while (q.step()) out.push_back(read_alert(q));
  for (auto& a : out) load_history(a);
  return out;
}

std::optional<Alert> AlertTables::alert(int64_t id) {
  Statement q(db_, std::string("SELECT ") + kAlertColumns + " FROM alert WHERE id = ?");
  q.bind(1, id);
  if (!q.step()) return std::nullopt;
  Alert a = read_alert(q);
  load_history(a);
  return a;
}

void AlertTables::save(std::vector<AlertWrite>& writes, const std::vector<std::string>& endpoints,
                       const NotificationBuilder& build) {
  in_transaction(db_, [&] {
    Statement ins(db_,
                  "INSERT INTO alert(trigger, trigger_name, rule, key, first_period, last_period, severity, status, "
                  "evidence, window_from, window_to, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)");
    Statement upd(db_,
                  "UPDATE alert SET trigger_name=?, rule=?, key=?, first_period=?, last_period=?, severity=?, "
                  "status=?, evidence=?, window_from=?, window_to=?, updated_at=? WHERE id=?");
    Statement seq(db_, "SELECT coalesce(max(seq), 0) FROM alert_change WHERE alert_id = ?");
    Statement change(db_, "INSERT INTO alert_change(alert_id, seq, at, actor, status, note) VALUES(?,?,?,?,?,?)");
    Statement queue(db_,
                    "INSERT INTO delivery(alert_id, endpoint, event, delivery_key, body, created_at, next_attempt_at) "
                    "VALUES(?,?,?,?,?,?,?)");
    const std::string now = utc_now();
    for (AlertWrite& w : writes) {
      Alert& a = w.alert;
      if (a.created_at.empty()) a.created_at = now;
      a.updated_at = now;
      auto bind_window = [&](Statement& s, int from_col) {
        if (a.window_from) s.bind(from_col, a.window_from->code()); else s.bind_null(from_col);
        if (a.window_to) s.bind(from_col + 1, a.window_to->code()); else s.bind_null(from_col + 1);
      };
      if (a.id == 0) {
        ins.reset();
        ins.bind(1, a.trigger).bind(2, a.trigger_name).bind(3, a.rule).bind(4, a.key_text());
        ins.bind(5, a.first_period.code()).bind(6, a.last_period.code());
        ins.bind(7, static_cast<int64_t>(a.severity)).bind(8, static_cast<int64_t>(a.status));
        ins.bind(9, evidence_json(a.evidence));
        bind_window(ins, 10);
        ins.bind(12, a.created_at).bind(13, a.updated_at);
        ins.step();
        a.id = sqlite3_last_insert_rowid(db_);
      } else {
        upd.reset();
        upd.bind(1, a.trigger_name).bind(2, a.rule).bind(3, a.key_text());
        upd.bind(4, a.first_period.code()).bind(5, a.last_period.code());
        upd.bind(6, static_cast<int64_t>(a.severity)).bind(7, static_cast<int64_t>(a.status));
        upd.bind(8, evidence_json(a.evidence));
        bind_window(upd, 9);
        upd.bind(11, a.updated_at).bind(12, a.id);
        upd.step();
        if (sqlite3_changes(db_) != 1) throw StoreError("no alert " + std::to_string(a.id));
      }
      // History rows not yet stored are those beyond the stored count.
      seq.reset();
      seq.bind(1, a.id);
      seq.step();
      int64_t stored = seq.i64(0);
      for (size_t i = static_cast<size_t>(stored); i < a.history.size(); ++i) {
        AlertChange& c = a.history[i];
        if (c.at.empty()) c.at = now;
        change.reset();
        change.bind(1, a.id).bind(2, static_cast<int64_t>(i + 1)).bind(3, c.at).bind(4, c.actor);
        change.bind(5, static_cast<int64_t>(c.status)).bind(6, c.note);
        change.step();
      }
      if (!w.notify.empty()) {
        for (auto& endpoint : endpoints) {
          auto [delivery_key, body] = build ? build(a, w.notify)
                                            : std::pair<std::string, std::string>{
                                                  std::to_string(a.id) + "-" + w.notify + "-" + now, ""};
          queue.reset();
          queue.bind(1, a.id).bind(2, endpoint).bind(3, w.notify).bind(4, delivery_key).bind(5, body);
          queue.bind(6, now).bind(7, now);
          queue.step();
        }
      }
    }
  });
}

Alert AlertTables::change_status(int64_t id, AlertStatus to, const std::string& actor, const std::string& note) {
  Alert result;
  in_transaction(db_, [&] {
    auto a = alert(id);
    if (!a) throw StoreError("no alert " + std::to_string(id));
    if (a->status == AlertStatus::Resolved || a->status == AlertStatus::Expired)
      throw StoreError("alert " + std::to_string(id) + " is already " + std::string(alert_status_name(a->status)) +
                       "; a closed alert cannot change (a new firing opens a new alert)");
    if (to == AlertStatus::Open || to == AlertStatus::Expired)
      throw StoreError("alert " + std::to_string(id) + ": a person can acknowledge or resolve an alert, not make it " +
                       std::string(alert_status_name(to)));
    if (a->status == to)
      throw StoreError("alert " + std::to_string(id) + " is already " + std::string(alert_status_name(to)));
    const std::string now = utc_now();
    Statement upd(db_, "UPDATE alert SET status = ?, updated_at = ? WHERE id = ?");
    upd.bind(1, static_cast<int64_t>(to)).bind(2, now).bind(3, id);
    upd.step();
    Statement change(db_, "INSERT INTO alert_change(alert_id, seq, at, actor, status, note) VALUES(?,?,?,?,?,?)");
    change.bind(1, id).bind(2, static_cast<int64_t>(a->history.size() + 1)).bind(3, now).bind(4, actor);
    change.bind(5, static_cast<int64_t>(to)).bind(6, note);
    change.step();
    a->status = to;
    a->updated_at = now;
    a->history.push_back({now, actor, to, note});
    result = *a;
  });
  return result;
}

std::vector<Delivery> AlertTables::due_deliveries(const std::string& now) {
  Statement q(db_, std::string("SELECT ") + kDeliveryColumns +
                       " FROM delivery WHERE delivered_at IS NULL AND next_attempt_at <= ? ORDER BY id");
  q.bind(1, now);
  std::vector<Delivery> out;
  while (q.step()) out.push_back(read_delivery(q));
  return out;
}

std::vector<Delivery> AlertTables::deliveries_of(int64_t alert_id) {
  Statement q(db_, std::string("SELECT ") + kDeliveryColumns + " FROM delivery WHERE alert_id = ? ORDER BY id");
  q.bind(1, alert_id);
  std::vector<Delivery> out;
  while (q.step()) out.push_back(read_delivery(q));
  return out;
}

void AlertTables::record_attempt(int64_t delivery_id, bool delivered, int http_status, const std::string& error,
                                 const std::string& next_attempt_at) {
  in_transaction(db_, [&] {
    const std::string now = utc_now();
    Statement a(db_, "INSERT INTO delivery_attempt(delivery_id, at, http_status, error) VALUES(?,?,?,?)");
    a.bind(1, delivery_id).bind(2, now).bind(3, static_cast<int64_t>(http_status)).bind(4, error);
    a.step();
    Statement u(db_,
                delivered ? "UPDATE delivery SET attempts = attempts + 1, delivered_at = ?, next_attempt_at = NULL, "
                            "last_http_status = ?, last_error = ? WHERE id = ?"
                          : "UPDATE delivery SET attempts = attempts + 1, next_attempt_at = ?, "
                            "failed_at = CASE WHEN ? IS NULL THEN ? END, "
                            "last_http_status = ?, last_error = ? WHERE id = ?");
    // A failed attempt with no next attempt gives the delivery up (migration 5).
    if (delivered) {
      u.bind(1, now).bind(2, static_cast<int64_t>(http_status)).bind(3, error).bind(4, delivery_id);
    } else {
      if (next_attempt_at.empty()) u.bind_null(1).bind_null(2); else u.bind(1, next_attempt_at).bind(2, next_attempt_at);
      u.bind(3, now).bind(4, static_cast<int64_t>(http_status)).bind(5, error).bind(6, delivery_id);
    }
    u.step();
    if (sqlite3_changes(db_) != 1) throw StoreError("no delivery " + std::to_string(delivery_id));
  });
}

}  // namespace atalaya::sqlite
