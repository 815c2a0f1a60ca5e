#include "atalaya/warning/alert_tables.h"

#include <functional>
#include <nlohmann/json.hpp>

#include "atalaya/core/error.h"
#include "atalaya/core/utc_time.h"
#include "atalaya/store/audit/audit_log.h"
#include "atalaya/warning/alert_json.h"
#include "atalaya/warning/lifecycle.h"
#include "atalaya/warning/outbox_tables.h"

namespace atalaya::sqlstore {
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
    "window_from, window_to, created_at, updated_at, space, event_id";

Alert read_alert(sql::Statement& q) {
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
  a.space = q.text(14);
  a.event_id = q.is_null(15) ? 0 : q.i64(15);
  return a;
}

}  // namespace

// Runs `body` in one write transaction: all of it or none of it.
void in_transaction(sql::Connection* db, const std::function<void()>& body) {
  sql::TransactionScope tx(*db, sql::Transaction::Write);
  body();
  tx.commit();
}

AuditEntry status_change_entry(const char* kind, int64_t id, AlertStatus to, const Actor& actor,
                               const std::string& note) {
  const char* verb = to == AlertStatus::Acknowledged ? "acknowledge"
                     : to == AlertStatus::Resolved   ? "resolve"
                     : to == AlertStatus::Open       ? "reopen"
                                                     : "expire";
  AuditEntry e;
  e.actor = actor;
  e.action = std::string(kind) + "." + verb;
  e.object = std::string(kind) + ":" + std::to_string(id);
  e.detail = nlohmann::json{{"to", alert_status_name(to)}, {"note", note}}.dump();
  return e;
}

void audited_change(sql::Connection* db, AuditEntry entry, const std::function<void()>& body) {
  try {
    in_transaction(db, [&] {
      body();
      audit::append(*db, entry);
    });
  } catch (const Error& e) {
    if (e.code() != ErrorCode::NotFound && e.code() != ErrorCode::Conflict && e.code() != ErrorCode::InvalidArgument)
      throw;
    entry.outcome = "refused";
    nlohmann::json d = entry.detail.empty() ? nlohmann::json::object() : nlohmann::json::parse(entry.detail);
    d["reason"] = e.what();
    entry.detail = d.dump();
    audit::record(*db, entry);
    throw;
  }
}

void AlertTables::load_history(Alert& a) {
  auto h = db_->prepare("SELECT at, actor, status, note FROM alert_change WHERE alert_id = ? ORDER BY seq");
  h->bind(1, a.id);
  while (h->step()) a.history.push_back({h->text(0), h->text(1), static_cast<AlertStatus>(h->i64(2)), h->text(3)});
}

std::vector<Alert> AlertTables::alerts(const AlertFilter& f) {
  std::string sql = std::string("SELECT ") + kAlertColumns + " FROM alert WHERE ";
  sql += f.event_id ? "event_id = ?" : "space = ?";
  if (f.status) sql += " AND status = " + std::to_string(static_cast<int>(*f.status));
  if (f.active_only) sql += " AND status IN (1, 2)";
  if (f.trigger) sql += " AND trigger = ?";
  sql += f.event_id ? " ORDER BY status IN (1, 2) DESC, last_period DESC, severity DESC, id DESC"
                    : " ORDER BY last_period DESC, severity DESC, id DESC";
  if (f.limit) sql += " LIMIT " + std::to_string(f.limit);
  auto q = db_->prepare(sql);
  if (f.event_id)
    q->bind(1, *f.event_id);
  else
    q->bind(1, f.space);
  if (f.trigger) q->bind(2, *f.trigger);
  std::vector<Alert> out;
  while (q->step()) out.push_back(read_alert(*q));
  for (auto& a : out) load_history(a);
  return out;
}

std::optional<Alert> AlertTables::alert(int64_t id) {
  auto q = db_->prepare(std::string("SELECT ") + kAlertColumns + " FROM alert WHERE id = ?");
  q->bind(1, id);
  if (!q->step()) return std::nullopt;
  Alert a = read_alert(*q);
  load_history(a);
  return a;
}

void AlertTables::write(AlertWrite& w, const std::string& now) {
  Alert& a = w.alert;
  if (a.created_at.empty()) a.created_at = now;
  a.updated_at = now;
  auto bind_common = [&](sql::Statement& s) {
    s.bind(1, a.trigger_name).bind(2, a.rule).bind(3, a.key_text());
    s.bind(4, a.first_period.code()).bind(5, a.last_period.code());
    s.bind(6, static_cast<int64_t>(a.severity)).bind(7, static_cast<int64_t>(a.status));
    s.bind(8, evidence_json(a.evidence));
    if (a.window_from)
      s.bind(9, a.window_from->code());
    else
      s.bind_null(9);
    if (a.window_to)
      s.bind(10, a.window_to->code());
    else
      s.bind_null(10);
    s.bind(11, a.updated_at).bind(12, a.space);
    if (a.event_id)
      s.bind(13, a.event_id);
    else
      s.bind_null(13);
  };
  if (a.id == 0) {
    auto ins = db_->prepare(
        "INSERT INTO alert(trigger_name, rule, key, first_period, last_period, severity, status, evidence, "
        "window_from, window_to, updated_at, space, event_id, trigger, created_at) "
        "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    bind_common(*ins);
    ins->bind(14, a.trigger).bind(15, a.created_at);
    ins->step();
    a.id = ins->i64(0);
  } else {
    auto upd = db_->prepare(
        "UPDATE alert SET trigger_name=?, rule=?, key=?, first_period=?, last_period=?, severity=?, "
        "status=?, evidence=?, window_from=?, window_to=?, updated_at=?, space=?, event_id=? WHERE id=?");
    bind_common(*upd);
    upd->bind(14, a.id);
    upd->step();
    if (upd->changes() != 1) throw Error(ErrorCode::NotFound, "id", "no alert " + std::to_string(a.id));
  }
  // History rows not yet stored are those beyond the stored count.
  auto seq = db_->prepare("SELECT coalesce(max(seq), 0) FROM alert_change WHERE alert_id = ?");
  seq->bind(1, a.id);
  seq->step();
  const int64_t stored = seq->i64(0);
  auto change = db_->prepare("INSERT INTO alert_change(alert_id, seq, at, actor, status, note) VALUES(?,?,?,?,?,?)");
  for (size_t i = static_cast<size_t>(stored); i < a.history.size(); ++i) {
    AlertChange& c = a.history[i];
    if (c.at.empty()) c.at = now;
    change->reset();
    change->bind(1, a.id).bind(2, static_cast<int64_t>(i + 1)).bind(3, c.at).bind(4, c.actor);
    change->bind(5, static_cast<int64_t>(c.status)).bind(6, c.note);
    change->step();
  }
}

void AlertTables::queue(int64_t alert_id, int64_t event_id, const std::string& endpoint, const std::string& kind,
                        const std::string& delivery_key, const std::string& body, const std::string& now) {
  auto q = db_->prepare(
      "INSERT INTO delivery(alert_id, event_id, endpoint, event, delivery_key, body, created_at, "
      "next_attempt_at) VALUES(?,?,?,?,?,?,?,?)");
  q->bind(1, alert_id);
  if (event_id)
    q->bind(2, event_id);
  else
    q->bind_null(2);
  q->bind(3, endpoint).bind(4, kind).bind(5, delivery_key).bind(6, body).bind(7, now).bind(8, now);
  q->step();
}

void AlertTables::save(std::vector<AlertWrite>& writes, const std::vector<std::string>& endpoints,
                       const NotificationBuilder& build) {
  in_transaction(db_, [&] {
    const std::string now = utc_now();
    for (AlertWrite& w : writes) {
      write(w, now);
      if (w.notify.empty() || !w.alert.space.empty()) continue;  // drills never notify
      for (auto& endpoint : endpoints) {
        auto [delivery_key, body] =
            build ? build(w.alert, w.notify)
                  : std::pair<std::string, std::string>{std::to_string(w.alert.id) + "-" + w.notify + "-" + now, ""};
        queue(w.alert.id, 0, endpoint, w.notify, delivery_key, body, now);
      }
    }
  });
}

Alert AlertTables::change_status(int64_t id, AlertStatus to, const Actor& by, const std::string& note) {
  Alert result;
  const std::string& actor = by.name;
  audited_change(db_, status_change_entry("alert", id, to, by, note), [&] {
    auto a = alert(id);
    if (!a) throw Error(ErrorCode::NotFound, "id", "no alert " + std::to_string(id));
    check_person_change("alert " + std::to_string(id), "alert", a->status, to);
    const std::string now = utc_now();
    auto upd = db_->prepare("UPDATE alert SET status = ?, updated_at = ? WHERE id = ?");
    upd->bind(1, static_cast<int64_t>(to)).bind(2, now).bind(3, id);
    upd->step();
    auto change = db_->prepare("INSERT INTO alert_change(alert_id, seq, at, actor, status, note) VALUES(?,?,?,?,?,?)");
    change->bind(1, id).bind(2, static_cast<int64_t>(a->history.size() + 1)).bind(3, now).bind(4, actor);
    change->bind(5, static_cast<int64_t>(to)).bind(6, note);
    change->step();
    a->status = to;
    a->updated_at = now;
    a->history.push_back({now, actor, to, note});
    result = *a;
  });
  return result;
}

std::vector<Delivery> AlertTables::due_deliveries(const std::string& now) {
  auto q = db_->prepare(std::string("SELECT ") + kDeliveryColumns +
                        " FROM delivery WHERE delivered_at IS NULL AND next_attempt_at <= ? ORDER BY id");
  q->bind(1, now);
  std::vector<Delivery> out;
  while (q->step()) out.push_back(read_delivery(*q));
  return out;
}

std::vector<Delivery> AlertTables::deliveries_of(int64_t alert_id) {
  auto q = db_->prepare(std::string("SELECT ") + kDeliveryColumns + " FROM delivery WHERE alert_id = ? ORDER BY id");
  q->bind(1, alert_id);
  std::vector<Delivery> out;
  while (q->step()) out.push_back(read_delivery(*q));
  return out;
}

void AlertTables::record_attempt(int64_t delivery_id, bool delivered, int http_status, const std::string& error,
                                 const std::string& next_attempt_at) {
  in_transaction(db_, [&] {
    const std::string now = utc_now();
    auto a = db_->prepare("INSERT INTO delivery_attempt(delivery_id, at, http_status, error) VALUES(?,?,?,?)");
    a->bind(1, delivery_id).bind(2, now).bind(3, static_cast<int64_t>(http_status)).bind(4, error);
    a->step();
    auto u = db_->prepare(
        delivered ? "UPDATE delivery SET attempts = attempts + 1, delivered_at = ?, next_attempt_at = NULL, "
                    "last_http_status = ?, last_error = ? WHERE id = ?"
                  : "UPDATE delivery SET attempts = attempts + 1, next_attempt_at = ?, "
                    "failed_at = CASE WHEN CAST(? AS TEXT) IS NULL THEN CAST(? AS TEXT) END, "
                    "last_http_status = ?, last_error = ? WHERE id = ?");
    // A failed attempt with no next attempt gives the delivery up (migration 5).
    if (delivered) {
      u->bind(1, now).bind(2, static_cast<int64_t>(http_status)).bind(3, error).bind(4, delivery_id);
    } else {
      if (next_attempt_at.empty())
        u->bind_null(1).bind_null(2);
      else
        u->bind(1, next_attempt_at).bind(2, next_attempt_at);
      u->bind(3, now).bind(4, static_cast<int64_t>(http_status)).bind(5, error).bind(6, delivery_id);
    }
    u->step();
    if (u->changes() != 1) throw Error(ErrorCode::NotFound, "id", "no delivery " + std::to_string(delivery_id));
  });
}

}  // namespace atalaya::sqlstore
