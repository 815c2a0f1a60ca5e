// One run of the early-warning system over a cube, as `watch` and `replay`
// do it: the triggers evaluated, the firings merged into the space's active
// warning events (event_book.h), and, with a store, written to it.
//
// Live runs (space "") queue one notification per event change for every
// endpoint; drills (any other space: `watch --as-of`, `replay --drill`)
// never notify and never touch the live inbox.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "atalaya/analysis/cube.h"
#include "atalaya/core/period.h"
#include "atalaya/warning/alert_store.h"
#include "atalaya/warning/evaluate.h"
#include "atalaya/warning/event_book.h"
#include "atalaya/warning/trigger.h"

namespace atalaya {

struct WatchCounts {
  int events_opened = 0, events_escalated = 0, events_spread = 0, events_expired = 0, events_changed = 0;
  int alerts_opened = 0, alerts_extended = 0, alerts_escalated = 0, alerts_expired = 0;
};

struct WatchRun {
  Evaluation evaluation;
  std::vector<EventWrite> writes;  // every event that changed, with its alerts that changed
  WatchCounts counts;
};

// Counts what `writes` did.
WatchCounts count_changes(const std::vector<EventWrite>& writes);

// Evaluates `set` on `cube`, merges into `active` (the space's active
// events with their active alerts) and returns what changed; pure, for
// replay (number the writes with number_new, then adopt_ids).
WatchRun evaluate_and_merge(const Cube& cube, const TriggerSet& set, std::vector<WarningEvent>& active,
                            const MovementMap& map, const LifecyclePolicy& policy, const std::string& space);

// The same against a store: loads the space's active events, evaluates,
// merges, and writes the changes (and the live space's notifications for
// `endpoints`) in one transaction. Throws Error when the store cannot
// take them; nothing is then written.
WatchRun watch_store(AlertStore& store, const Cube& cube, const TriggerSet& set, const std::string& space,
                     const std::vector<std::string>& endpoints, const EventNotificationBuilder& build,
                     const std::string& actor = "atalaya watch");

// The drill space a watch writes to: `drill` when given, else
// "as-of-YYYY-MM" for a watch on history, else "" (the live inbox).
std::string watch_space(const std::optional<Period>& as_of, const std::string& drill);

// `atalaya watch` as a whole: `set` evaluated on `cube` (as it stood at the
// end of `as_of` when given), merged into `space`'s active events and
// written to `alerts` with notifications queued for `set`'s webhooks (live
// space only), then the space's active events, ranked.
struct WatchRequest {
  std::optional<Period> as_of;
  std::string space;  // watch_space(as_of, drill)
  std::string actor = "atalaya watch";
};
struct WatchReport {
  WatchRun run;
  int queued = 0;                    // notifications queued (live space only)
  std::vector<WarningEvent> active;  // the space's active events after the run, with alerts, ranked
};
// Throws Error (nothing written) as watch_store does.
WatchReport run_watch(AlertStore& alerts, const Cube& cube, const TriggerSet& set, const WatchRequest& request);

// The body of an event notification: {"event": "event.opened", "delivery_id",
// "warning_event": event_to_json(event)}; the builder gives each a fresh
// delivery id.
std::string event_webhook_body(const std::string& kind, const std::string& delivery_id, const WarningEvent& event);
EventNotificationBuilder event_notification_builder();

}  // namespace atalaya
