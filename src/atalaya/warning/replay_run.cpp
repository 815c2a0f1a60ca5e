#include "atalaya/warning/replay_run.h"

#include <algorithm>

#include "atalaya/core/error.h"
#include "atalaya/warning/event_book.h"

namespace atalaya {

TriggerSet select_triggers(TriggerSet set, const std::vector<std::string>& only) {
  if (only.empty()) return set;
  std::vector<Trigger> kept;
  for (auto& id : only) {
    auto it = std::find_if(set.triggers.begin(), set.triggers.end(), [&](const Trigger& t) { return t.id == id; });
    if (it == set.triggers.end())
      throw Error(ErrorCode::InvalidArgument, "trigger", "trigger: no trigger '" + id + "' in " + set.file);
    kept.push_back(*it);
  }
  set.triggers = std::move(kept);
  return set;
}

ReplayResult replay_history(const Cube& full, const TriggerSet& set, const ReplayRequest& request, AlertStore& drills,
                            const ReplayObserver& observer) {
  if (request.to < request.from)
    throw Error(ErrorCode::InvalidArgument, "to",
                "to: " + request.to.to_string() + " is before from " + request.from.to_string());
  const std::string& space = request.space;
  if (!space.empty()) drills.delete_drill(space);  // a replay drill is the replay's alone
  std::vector<WarningEvent> active;
  LifecyclePolicy policy;
  policy.expire_after_months = set.expire_after_months;
  policy.actor = request.actor;
  const MovementMap map(set);
  int64_t next_event = 1, next_alert = 1;
  ReplayResult out;
  const int months = month_number(request.to) - month_number(request.from) + 1;
  for (Period m = request.from; !(request.to < m); m = m.plus_months(1)) {
    if (observer.month_started) observer.month_started(m, out.months + 1, months);
    ++out.months;
    WatchRun run = evaluate_and_merge(full.as_of(m), set, active, map, policy, space);
    if (!space.empty())
      drills.save_events(run.writes, {}, {});
    else
      number_new(run.writes, next_event, next_alert);
    adopt_ids(active, run.writes);
    if (run.writes.empty()) continue;
    const WatchCounts c = run.counts;
    WatchCounts& t = out.counts;
    t.events_opened += c.events_opened, t.events_escalated += c.events_escalated, t.events_spread += c.events_spread;
    t.events_expired += c.events_expired, t.events_changed += c.events_changed;
    t.alerts_opened += c.alerts_opened, t.alerts_extended += c.alerts_extended;
    t.alerts_escalated += c.alerts_escalated, t.alerts_expired += c.alerts_expired;
    out.changes.push_back({m, std::move(run.writes)});
    if (observer.month_changed) observer.month_changed(out.changes.back());
  }
  return out;
}

const char* alert_change_name(const AlertWrite& w) {
  if (w.notify == "alert.opened") return "opened";
  if (w.notify == "alert.escalated") return "escalated";
  if (w.alert.status == AlertStatus::Expired) return "expired";
  return "extended";
}

std::string event_change_name(const EventWrite& w) {
  if (!w.notify.empty()) return w.notify.substr(w.notify.find('.') + 1);
  return w.event.status == AlertStatus::Expired ? "expired" : "updated";
}

}  // namespace atalaya
