// `atalaya replay` as a library call: the triggers run month by month over
// history, each month seeing only the data up to its end (Cube::as_of), the
// firings merged into one evolving set of warning events as a live watch
// would have merged them. Without a drill space nothing is written (ids are
// numbered in memory); with one, the space is emptied first and every
// month's changes are saved to it. Never the live inbox, never a
// notification.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "atalaya/analysis/cube.h"
#include "atalaya/core/period.h"
#include "atalaya/warning/alert_store.h"
#include "atalaya/warning/trigger.h"
#include "atalaya/warning/watch_run.h"

namespace atalaya {

struct ReplayRequest {
  Period from, to;    // months evaluated, inclusive; to >= from
  std::string space;  // "" for none, else a drill space (is_drill_name)
  std::string actor = "atalaya replay";
};

// One month that changed something: the events that changed, with their alerts that changed.
struct ReplayMonth {
  Period month;
  std::vector<EventWrite> writes;
};

// What the caller sees while a replay runs (a long one takes minutes):
// each month as it starts, and each month's changes as soon as it has them.
struct ReplayObserver {
  std::function<void(const Period& month, int done, int months)> month_started;
  std::function<void(const ReplayMonth& changes)> month_changed;
};

struct ReplayResult {
  int months = 0;                   // months evaluated
  std::vector<ReplayMonth> changes; // the months that changed something, in order
  WatchCounts counts;               // over the whole replay
};

// The triggers of `set` whose ids are in `only`, in that order (all when
// `only` is empty). Throws Error(InvalidArgument, "trigger") for an id the
// set does not have.
TriggerSet select_triggers(TriggerSet set, const std::vector<std::string>& only);

// Replays `set` over `full` (the whole store's cube). `drills` is written
// only when request.space is not empty. Throws Error(InvalidArgument, "to")
// when to is before from; Error when the drill cannot be written.
ReplayResult replay_history(const Cube& full, const TriggerSet& set, const ReplayRequest& request, AlertStore& drills,
                            const ReplayObserver& observer = {});

// How each change is named in replay's rows: an alert "opened", "escalated",
// "expired" or "extended"; an event "opened", "escalated", "spread",
// "expired" or "updated".
const char* alert_change_name(const AlertWrite& w);
std::string event_change_name(const EventWrite& w);

}  // namespace atalaya
