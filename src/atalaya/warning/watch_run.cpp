#include "atalaya/warning/watch_run.h"

#include "atalaya/warning/event_json.h"
#include "atalaya/warning/webhook.h"

namespace atalaya {

WatchCounts count_changes(const std::vector<EventWrite>& writes) {
  WatchCounts c;
  for (auto& w : writes) {
    ++c.events_changed;
    c.events_opened += w.notify == "event.opened";
    c.events_escalated += w.notify == "event.escalated";
    c.events_spread += w.notify == "event.spread";
    c.events_expired += w.event.status == AlertStatus::Expired;
    for (auto& a : w.alerts) {
      // The alert book's notify names the change: opened, escalated, or none.
      const bool expired = a.alert.status == AlertStatus::Expired;
      c.alerts_opened += a.notify == "alert.opened";
      c.alerts_escalated += a.notify == "alert.escalated";
      c.alerts_expired += expired;
      c.alerts_extended += a.notify.empty() && !expired;
    }
  }
  return c;
}

WatchRun evaluate_and_merge(const Cube& cube, const TriggerSet& set, std::vector<WarningEvent>& active,
                            const MovementMap& map, const LifecyclePolicy& policy, const std::string& space) {
  WatchRun run;
  std::vector<Alert> active_alerts;
  for (auto& e : active)
    for (auto& a : e.alerts) active_alerts.push_back(a);
  run.evaluation = evaluate_triggers(cube, set, &active_alerts);
  run.writes = merge_into_events(active, run.evaluation.firings, run.evaluation.evaluated, map, policy, space);
  run.counts = count_changes(run.writes);
  return run;
}

WatchRun watch_store(AlertStore& store, const Cube& cube, const TriggerSet& set, const std::string& space,
                     const std::vector<std::string>& endpoints, const EventNotificationBuilder& build,
                     const std::string& actor) {
  EventFilter f;
  f.space = space;
  f.active_only = true;
  f.with_alerts = true;
  std::vector<WarningEvent> active = store.events(f);
  LifecyclePolicy policy;
  policy.expire_after_months = set.expire_after_months;
  policy.actor = actor;
  WatchRun run = evaluate_and_merge(cube, set, active, MovementMap(set), policy, space);
  store.save_events(run.writes, space.empty() ? endpoints : std::vector<std::string>{}, build);
  return run;
}

std::string watch_space(const std::optional<Period>& as_of, const std::string& drill) {
  if (!drill.empty()) return drill;
  return as_of ? "as-of-" + as_of->to_string() : "";
}

WatchReport run_watch(AlertStore& alerts, const Cube& cube, const TriggerSet& set, const WatchRequest& request) {
  std::vector<std::string> endpoints;
  for (auto& w : set.webhooks) endpoints.push_back(w.url);
  WatchReport out;
  const Cube* seen = &cube;
  Cube as_of;
  if (request.as_of) {
    as_of = cube.as_of(*request.as_of);
    seen = &as_of;
  }
  out.run = watch_store(alerts, *seen, set, request.space, endpoints, event_notification_builder(), request.actor);
  if (request.space.empty())
    for (auto& w : out.run.writes) out.queued += w.notify.empty() ? 0 : static_cast<int>(endpoints.size());
  EventFilter f;
  f.space = request.space;
  f.active_only = true;
  f.with_alerts = true;
  out.active = alerts.events(f);
  rank_events(out.active);
  return out;
}

std::string event_webhook_body(const std::string& kind, const std::string& delivery_id, const WarningEvent& event) {
  nlohmann::json j{{"event", kind}, {"delivery_id", delivery_id}, {"warning_event", event_to_json(event)}};
  return j.dump();
}

EventNotificationBuilder event_notification_builder() {
  return [](const WarningEvent& event, const std::string& kind) {
    std::string key = new_delivery_id();
    return std::pair<std::string, std::string>{key, event_webhook_body(kind, key, event)};
  };
}

}  // namespace atalaya
