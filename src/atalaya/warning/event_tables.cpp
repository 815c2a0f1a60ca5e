#include "atalaya/warning/event_tables.h"

#include "atalaya/core/error.h"
#include "atalaya/core/utc_time.h"
#include "atalaya/warning/event_json.h"
#include "atalaya/warning/lifecycle.h"

namespace atalaya::sqlstore {
namespace {

const char* kEventColumns =
    "id, space, first_period, last_period, severity, status, phase, view, created_at, updated_at, route, citizenship";

WarningEvent read_event(sql::Statement& q) {
  WarningEvent e;
  e.id = q.i64(0);
  e.space = q.text(1);
  e.first_period = Period::from_code(q.i64(2));
  e.last_period = Period::from_code(q.i64(3));
  e.severity = static_cast<Severity>(q.i64(4));
  e.status = static_cast<AlertStatus>(q.i64(5));
  e.phase = static_cast<EventPhase>(q.i64(6));
  event_view_from_json(nlohmann::json::parse(q.text(7)), e);
  e.created_at = q.text(8);
  e.updated_at = q.text(9);
  e.route = q.text(10);
  e.citizenship = q.text(11);
  return e;
}

// A person's change of status, checked as for alerts (warning/alert.h).
}  // namespace

void EventTables::load_history(WarningEvent& e) {
  auto h = db_->prepare("SELECT at, actor, status, note FROM warning_event_change WHERE event_id = ? ORDER BY seq");
  h->bind(1, e.id);
  while (h->step()) e.history.push_back({h->text(0), h->text(1), static_cast<AlertStatus>(h->i64(2)), h->text(3)});
}

std::vector<WarningEvent> EventTables::events(const EventFilter& f) {
  std::string sql = std::string("SELECT ") + kEventColumns + " FROM warning_event WHERE space = ?";
  if (f.status) sql += " AND status = " + std::to_string(static_cast<int>(*f.status));
  if (f.active_only) sql += " AND status IN (1, 2)";
  sql += " ORDER BY last_period DESC, severity DESC, id DESC";
  if (f.limit) sql += " LIMIT " + std::to_string(f.limit);
  auto q = db_->prepare(sql);
  q->bind(1, f.space);
  std::vector<WarningEvent> out;
  while (q->step()) out.push_back(read_event(*q));
  for (auto& e : out) {
    load_history(e);
    if (f.with_alerts) {
      AlertFilter af;
      af.event_id = e.id;
      af.active_only = true;
      e.alerts = alerts_->alerts(af);
    }
  }
  return out;
}

std::optional<WarningEvent> EventTables::event(int64_t id) {
  auto q = db_->prepare(std::string("SELECT ") + kEventColumns + " FROM warning_event WHERE id = ?");
  q->bind(1, id);
  if (!q->step()) return std::nullopt;
  WarningEvent e = read_event(*q);
  load_history(e);
  AlertFilter af;
  af.event_id = e.id;
  e.alerts = alerts_->alerts(af);
  return e;
}

void EventTables::save(std::vector<EventWrite>& writes, const std::vector<std::string>& endpoints,
                       const EventNotificationBuilder& build) {
  in_transaction(db_, [&] {
    const std::string now = utc_now();
    for (EventWrite& w : writes) {
      WarningEvent& e = w.event;
      if (e.created_at.empty()) e.created_at = now;
      e.updated_at = now;
      const std::string view = event_view_to_json(e).dump();
      if (e.id == 0) {
        auto ins = db_->prepare(
            "INSERT INTO warning_event(space, movement, route, citizenship, first_period, last_period, "
            "severity, status, phase, view, created_at, updated_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
        ins->bind(1, e.space).bind(2, e.movement_text()).bind(3, e.route).bind(4, e.citizenship);
        ins->bind(5, e.first_period.code()).bind(6, e.last_period.code());
        ins->bind(7, static_cast<int64_t>(e.severity)).bind(8, static_cast<int64_t>(e.status));
        ins->bind(9, static_cast<int64_t>(e.phase)).bind(10, view).bind(11, e.created_at).bind(12, e.updated_at);
        ins->step();
        e.id = ins->i64(0);
      } else {
        auto upd = db_->prepare(
            "UPDATE warning_event SET first_period=?, last_period=?, severity=?, status=?, phase=?, view=?, "
            "updated_at=? WHERE id=?");
        upd->bind(1, e.first_period.code()).bind(2, e.last_period.code());
        upd->bind(3, static_cast<int64_t>(e.severity)).bind(4, static_cast<int64_t>(e.status));
        upd->bind(5, static_cast<int64_t>(e.phase)).bind(6, view).bind(7, e.updated_at).bind(8, e.id);
        upd->step();
        if (upd->changes() != 1) throw Error(ErrorCode::NotFound, "id", "no event " + std::to_string(e.id));
      }
      auto seq = db_->prepare("SELECT coalesce(max(seq), 0) FROM warning_event_change WHERE event_id = ?");
      seq->bind(1, e.id);
      seq->step();
      auto change =
          db_->prepare("INSERT INTO warning_event_change(event_id, seq, at, actor, status, note) VALUES(?,?,?,?,?,?)");
      for (size_t i = static_cast<size_t>(seq->i64(0)); i < e.history.size(); ++i) {
        AlertChange& c = e.history[i];
        if (c.at.empty()) c.at = now;
        change->reset();
        change->bind(1, e.id).bind(2, static_cast<int64_t>(i + 1)).bind(3, c.at).bind(4, c.actor);
        change->bind(5, static_cast<int64_t>(c.status)).bind(6, c.note);
        change->step();
      }
      for (AlertWrite& a : w.alerts) {
        a.alert.event_id = e.id;
        a.alert.space = e.space;
        alerts_->write(a, now);
      }
      // One notification per change of a live event; drills never notify.
      if (w.notify.empty() || !e.space.empty() || endpoints.empty() || w.alerts.empty()) continue;
      WarningEvent full = e;
      AlertFilter af;
      af.event_id = e.id;
      full.alerts = alerts_->alerts(af);
      for (auto& endpoint : endpoints) {
        auto [delivery_key, body] =
            build ? build(full, w.notify)
                  : std::pair<std::string, std::string>{std::to_string(e.id) + "-" + w.notify + "-" + now, ""};
        alerts_->queue(w.alerts.front().alert.id, e.id, endpoint, w.notify, delivery_key, body, now);
      }
    }
  });
}

WarningEvent EventTables::change_status(int64_t id, AlertStatus to, const Actor& by, const std::string& note) {
  WarningEvent result;
  const std::string& actor = by.name;
  audited_change(db_, status_change_entry("event", id, to, by, note), [&] {
    auto e = event(id);
    if (!e) throw Error(ErrorCode::NotFound, "id", "no event " + std::to_string(id));
    check_person_change("event " + std::to_string(id), "event", e->status, to);
    const std::string now = utc_now();
    auto upd = db_->prepare("UPDATE warning_event SET status = ?, updated_at = ? WHERE id = ?");
    upd->bind(1, static_cast<int64_t>(to)).bind(2, now).bind(3, id);
    upd->step();
    e->status = to;
    e->updated_at = now;
    e->history.push_back({now, actor, to, note});
    auto change =
        db_->prepare("INSERT INTO warning_event_change(event_id, seq, at, actor, status, note) VALUES(?,?,?,?,?,?)");
    change->bind(1, id).bind(2, static_cast<int64_t>(e->history.size())).bind(3, now).bind(4, actor);
    change->bind(5, static_cast<int64_t>(to)).bind(6, note);
    change->step();
    // Its active alerts follow, each with the change in its own history.
    for (Alert& a : e->alerts) {
      if (a.status != AlertStatus::Open && a.status != AlertStatus::Acknowledged) continue;
      if (a.status == to) continue;
      a.status = to;
      a.history.push_back({now, actor, to, "with event " + std::to_string(id) + (note.empty() ? "" : ": " + note)});
      AlertWrite w{a, ""};
      alerts_->write(w, now);
      a = w.alert;
    }
    result = *e;
  });
  return result;
}

std::vector<DrillSummary> EventTables::drills() {
  auto q = db_->prepare(
      "SELECT e.space, count(*), sum(CASE WHEN e.status IN (1, 2) THEN 1 ELSE 0 END), "
      "(SELECT count(*) FROM alert a WHERE a.space = e.space), min(e.created_at), max(e.updated_at) "
      "FROM warning_event e WHERE e.space <> '' GROUP BY e.space ORDER BY e.space");
  std::vector<DrillSummary> out;
  while (q->step())
    out.push_back({q->text(0), static_cast<uint64_t>(q->i64(1)), static_cast<uint64_t>(q->i64(2)),
                   static_cast<uint64_t>(q->i64(3)), q->text(4), q->text(5)});
  return out;
}

uint64_t EventTables::delete_drill(const std::string& name) {
  if (name.empty())
    throw Error(ErrorCode::InvalidArgument, "drill", "a drill's name is needed: the live inbox cannot be deleted");
  uint64_t deleted = 0;
  in_transaction(db_, [&] {
    for (const char* sql : {
             "DELETE FROM alert_change WHERE alert_id IN (SELECT id FROM alert WHERE space = ?)",
             "DELETE FROM alert WHERE space = ?",
             "DELETE FROM warning_event_change WHERE event_id IN (SELECT id FROM warning_event WHERE space = ?)",
             "DELETE FROM warning_event WHERE space = ?",
         }) {
      auto d = db_->prepare(sql);
      d->bind(1, name);
      d->step();
      deleted = d->changes();  // the last one: events
    }
  });
  return deleted;
}

}  // namespace atalaya::sqlstore
