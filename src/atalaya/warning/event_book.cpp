#include "atalaya/warning/event_book.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_map>

#include "atalaya/analysis/route.h"
#include "atalaya/warning/trigger.h"

namespace atalaya {
namespace {

using Key = std::map<std::string, std::string>;

std::string value_of(const Key& key, const char* dim) {
  auto it = key.find(dim);
  return it == key.end() ? std::string() : it->second;
}

// The phase from the data the alerts carry, not from how long they have
// been stored (a drill, or a first watch, sees every alert as new): the
// movement's momentum is the highest, over the series its active alerts
// judged, of the latest month against the median of the months 3 to 6
// before it. Emerging at kEmergingMomentum and above (it has at least
// doubled within half a year), persistent below kPersistentMomentum (it was
// already about this high months ago: a flow high for months), else ongoing.
constexpr double kEmergingMomentum = 2.0;
constexpr double kPersistentMomentum = 1.5;

// NaN when the evidence holds too few known months.
double momentum(const AlertEvidence& e) {
  const auto& r = e.recent;
  if (r.size() < 7 || !std::isfinite(r.back())) return std::nan("");
  std::vector<double> before;
  for (size_t back = 3; back <= 6; ++back)
    if (double v = r[r.size() - 1 - back]; std::isfinite(v)) before.push_back(v);
  if (before.size() < 2) return std::nan("");
  std::sort(before.begin(), before.end());
  const size_t n = before.size();
  const double median = n % 2 ? before[n / 2] : (before[n / 2 - 1] + before[n / 2]) / 2;
  return r.back() / std::max(median, 1.0);
}

double event_momentum(const std::vector<const Alert*>& members) {
  double best = std::nan("");
  for (const Alert* a : members)
    if (double m = momentum(a->evidence); std::isfinite(m) && !(m <= best)) best = m;
  return best;
}

EventPhase phase_of(double momentum) {
  if (!std::isfinite(momentum)) return EventPhase::Emerging;  // too new to have a history: new
  if (momentum >= kEmergingMomentum) return EventPhase::Emerging;
  if (momentum < kPersistentMomentum) return EventPhase::Persistent;
  return EventPhase::Ongoing;
}

size_t checkpoint_index(const std::vector<EventCheckpoint>& cps, const std::string& id) {
  for (size_t i = 0; i < cps.size(); ++i)
    if (cps[i].id == id) return i;
  return cps.size();
}

// The event's per-checkpoint view, severity, months and phase from its
// active alerts (and, for the months, everything it has held).
void refresh(WarningEvent& e, const std::vector<const Alert*>& members, const MovementMap& map) {
  std::vector<EventCheckpoint> cps = map.checkpoints_of(e.movement);
  std::vector<Period> window_seen(cps.size());  // month of the upstream alert behind each window
  bool any = false;
  Severity severity = Severity::Minor;
  for (const Alert* a : members) {
    if (!e.first_period.valid() || a->first_period < e.first_period) e.first_period = a->first_period;
    if (!e.last_period.valid() || e.last_period < a->last_period) e.last_period = a->last_period;
    severity = any ? std::max(severity, a->severity) : a->severity;
    any = true;
    std::string observed_at;
    if (a->rule == "upstream") {
      observed_at = a->evidence.source_checkpoint;
      size_t j = checkpoint_index(cps, value_of(a->key, "checkpoint"));
      // The latest projection wins; at the same month, the one from further
      // down the route (nearer, so better informed).
      if (j < cps.size() && a->window_from && a->window_to &&
          (!window_seen[j].valid() || window_seen[j] < a->last_period ||
           (window_seen[j] == a->last_period &&
            checkpoint_index(cps, observed_at) > checkpoint_index(cps, cps[j].projected_from)))) {
        cps[j].window_from = a->window_from;
        cps[j].window_to = a->window_to;
        cps[j].projected_from = observed_at;
        window_seen[j] = a->last_period;
      }
    } else if (cps.size() == 1) {
      observed_at = cps[0].id;
    } else {
      // A series alert: its source's checkpoint on the route (movement_of
      // put it on this route by the same lookup).
      size_t k = 0;
      if (const Route* r = map.route_of_source(value_of(a->key, "source"), &k); r && r->id == e.route)
        observed_at = r->checkpoints[k].id;
    }
    size_t i = checkpoint_index(cps, observed_at);
    if (i == cps.size()) continue;
    cps[i].severity = cps[i].alerts.empty() ? a->severity : std::max(cps[i].severity, a->severity);
    cps[i].alerts.push_back(alert_ref(*a));
  }
  e.checkpoints = std::move(cps);
  if (any) e.severity = severity;
  e.momentum = event_momentum(members);
  e.phase = phase_of(e.momentum);
}

std::set<std::string> observed_checkpoints(const WarningEvent& e) {
  std::set<std::string> out;
  for (auto& cp : e.checkpoints)
    if (cp.observed()) out.insert(cp.id);
  return out;
}

std::string citizenship_label(const WarningEvent& e) { return e.citizenship.empty() ? e.movement_text() : e.citizenship; }

}  // namespace

MovementMap::MovementMap(const TriggerSet& set) {
  std::set<std::string> seen;
  for (const Trigger& t : set.triggers)
    if (t.route && seen.insert(t.route->id).second) routes_.push_back(t.route);
}

MovementMap::MovementMap(std::vector<std::shared_ptr<const Route>> routes) : routes_(std::move(routes)) {}

const Route* MovementMap::route(const std::string& id) const {
  for (auto& r : routes_)
    if (r->id == id) return r.get();
  return nullptr;
}

const Route* MovementMap::route_of_source(const std::string& source, size_t* checkpoint) const {
  for (auto& r : routes_)
    for (size_t i = 0; i < r->checkpoints.size(); ++i) {
      auto& s = r->checkpoints[i].sources;
      if (std::find(s.begin(), s.end(), source) != s.end()) {
        if (checkpoint) *checkpoint = i;
        return r.get();
      }
    }
  return nullptr;
}

Key MovementMap::movement_of(const Alert& a) const {
  const std::string citizenship = value_of(a.key, "citizenship");
  if (citizenship.empty()) return a.key;
  if (std::string r = value_of(a.key, "route"); !r.empty()) return {{"route", r}, {"citizenship", citizenship}};
  const std::string source = value_of(a.key, "source");
  if (source.empty()) return a.key;
  if (const Route* r = route_of_source(source, nullptr)) return {{"route", r->id}, {"citizenship", citizenship}};
  return {{"source", source}, {"citizenship", citizenship}};
}

std::vector<EventCheckpoint> MovementMap::checkpoints_of(const Key& movement) const {
  std::vector<EventCheckpoint> out;
  if (const Route* r = route(value_of(movement, "route"))) {
    for (auto& c : r->checkpoints) {
      EventCheckpoint cp;
      cp.id = c.id;
      cp.name = c.name;
      cp.name_es = c.name_es;
      cp.reporter = c.reporter;
      out.push_back(std::move(cp));
    }
    return out;
  }
  EventCheckpoint cp;
  cp.id = value_of(movement, "source");
  if (cp.id.empty()) cp.id = key_text(movement);
  cp.name = cp.name_es = cp.id;
  out.push_back(std::move(cp));
  return out;
}

std::vector<EventWrite> merge_into_events(std::vector<WarningEvent>& active, const std::vector<Firing>& firings,
                                          const Evaluated& evaluated, const MovementMap& map,
                                          const LifecyclePolicy& policy, const std::string& space) {
  // The alert book works on the flat list of active alerts.
  std::vector<Alert> alerts;
  for (auto& e : active)
    for (auto& a : e.alerts) alerts.push_back(a);
  std::vector<AlertUpdate> updates = merge_firings(alerts, firings, evaluated, policy);
  if (updates.empty()) return {};

  // Each alert joins its event: by id once stored, else by movement (a
  // space holds at most one active event per movement).
  std::unordered_map<int64_t, size_t> by_id;
  std::unordered_map<std::string, size_t> by_movement;
  for (size_t i = 0; i < active.size(); ++i) {
    if (active[i].id) by_id[active[i].id] = i;
    by_movement[active[i].movement_text()] = i;
  }
  const size_t existing = active.size();
  auto event_of = [&](const Alert& a) {
    if (a.event_id)
      if (auto it = by_id.find(a.event_id); it != by_id.end()) return it->second;
    const Key movement = map.movement_of(a);
    const std::string text = key_text(movement);
    if (auto it = by_movement.find(text); it != by_movement.end()) return it->second;
    WarningEvent e;
    e.space = space;
    e.movement = movement;
    e.route = value_of(movement, "route");
    if (const Route* r = map.route(e.route)) {
      e.route_name = r->name;
      e.route_name_es = r->name_es;
    }
    e.citizenship = value_of(movement, "citizenship");
    e.status = AlertStatus::Open;
    active.push_back(std::move(e));
    by_movement[text] = active.size() - 1;
    return active.size() - 1;
  };

  std::vector<std::vector<AlertWrite>> changed(active.size());
  for (auto& u : updates) {
    size_t i = event_of(u.write.alert);
    if (changed.size() < active.size()) changed.resize(active.size());
    changed[i].push_back(u.write);
  }
  // Active alerts after the merge, per event.
  std::vector<std::vector<Alert>> members(active.size());
  for (auto& a : alerts) {
    a.space = space;
    const size_t i = event_of(a);
    if (members.size() <= i) members.resize(i + 1);
    members[i].push_back(a);
  }
  members.resize(active.size());
  if (changed.size() < active.size()) changed.resize(active.size());

  std::vector<EventWrite> writes;
  std::vector<WarningEvent> still_active;
  for (size_t i = 0; i < active.size(); ++i) {
    WarningEvent& e = active[i];
    e.alerts = std::move(members[i]);
    if (changed[i].empty()) {
      still_active.push_back(std::move(e));
      continue;
    }
    const bool is_new = i >= existing;
    const Severity was_severity = e.severity;
    const std::set<std::string> was_observed = observed_checkpoints(e);
    std::vector<const Alert*> refs;
    for (auto& a : e.alerts) refs.push_back(&a);
    if (refs.empty())  // all went quiet: keep the months and view of the last alerts
      for (auto& w : changed[i]) refs.push_back(&w.alert);
    refresh(e, refs, map);
    for (auto& w : changed[i]) w.alert.space = space;
    EventWrite out;
    const Period month = e.last_period;
    if (is_new) {
      out.notify = "event.opened";
      e.history.push_back({"", policy.actor, AlertStatus::Open,
                           "opened in " + month.to_string() + ": " + changed[i].front().alert.evidence.explanation});
    } else if (e.alerts.empty()) {
      // Every alert expired: the movement has gone quiet everywhere.
      const bool was_acknowledged = e.status == AlertStatus::Acknowledged;
      std::string last_seen = e.last_period.to_string();
      std::string through;
      for (auto& w : changed[i])
        if (auto it = evaluated.find(evaluated_key(w.alert.trigger, w.alert.key_text())); it != evaluated.end())
          through = std::max(through, it->second.to_string());
      e.status = AlertStatus::Expired;
      e.history.push_back({"", policy.actor, AlertStatus::Expired,
                           "expired: no trigger has fired on " + citizenship_label(e) + " since " + last_seen +
                               (through.empty() ? "" : " (evaluated through " + through + ")") + "; " +
                               std::to_string(changed[i].size()) + " alert(s) expired" +
                               (was_acknowledged ? "; it had been acknowledged" : "")});
      if (was_acknowledged) out.notify = "event.expired";
    } else if (e.severity > was_severity) {
      out.notify = "event.escalated";
      e.history.push_back({"", policy.actor, e.status,
                           "escalated to " + std::string(severity_name(e.severity)) + " in " + month.to_string()});
    } else {
      std::string spread;
      for (auto& cp : e.checkpoints)
        if (cp.observed() && !was_observed.count(cp.id)) spread += (spread.empty() ? "" : ", ") + cp.name;
      if (!spread.empty() && !was_observed.empty()) {
        out.notify = "event.spread";
        e.history.push_back({"", policy.actor, e.status, "now seen at " + spread + " in " + month.to_string()});
      }
    }
    out.event = e;
    out.event.alerts.clear();
    out.alerts = std::move(changed[i]);
    writes.push_back(std::move(out));
    if (e.active()) still_active.push_back(std::move(e));
  }
  active = std::move(still_active);
  return writes;
}

void adopt_ids(std::vector<WarningEvent>& active, const std::vector<EventWrite>& writes) {
  std::unordered_map<std::string, const EventWrite*> by_movement;
  for (auto& w : writes) by_movement[w.event.movement_text()] = &w;
  for (auto& e : active) {
    auto it = by_movement.find(e.movement_text());
    if (it == by_movement.end()) continue;
    const EventWrite& w = *it->second;
    if (!e.id) e.id = w.event.id;
    e.history = w.event.history;
    for (auto& a : e.alerts) {
      a.event_id = e.id;
      if (a.id) continue;
      for (auto& x : w.alerts)
        if (x.alert.trigger == a.trigger && x.alert.key == a.key && x.alert.id) {
          a.id = x.alert.id;
          a.history = x.alert.history;
        }
    }
  }
}

void number_new(std::vector<EventWrite>& writes, int64_t& next_event_id, int64_t& next_alert_id) {
  for (auto& w : writes) {
    if (!w.event.id) w.event.id = next_event_id++;
    for (auto& x : w.alerts) {
      if (!x.alert.id) x.alert.id = next_alert_id++;
      x.alert.event_id = w.event.id;
    }
  }
}

}  // namespace atalaya
