// The event lifecycle: one evaluation's firings merged into the active
// warning events of a space (warning_event.h). The alert book
// (alert_book.h) keeps one alert per trigger and key; this joins the alerts
// about one movement into one event, keeps the event's severity, phase and
// per-checkpoint view, and decides the one notification per change:
//   event.opened     a movement nobody was warned about
//   event.escalated  its severity rose
//   event.spread     a checkpoint further along the route now sees it too
//   event.expired    every alert went quiet while someone had acknowledged
//                    the event (they are told; an open one just closes)
// Pure logic: `watch` and `replay` load and store what it returns.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "atalaya/warning/alert_book.h"
#include "atalaya/warning/warning_event.h"

namespace atalaya {

struct Route;
struct TriggerSet;

// Where alerts sit along the routes a trigger set follows (its upstream
// triggers' routes): a series alert keyed by a source that a route lists at
// a checkpoint observes that checkpoint; an upstream alert observes its
// source_checkpoint and projects a window at key["checkpoint"].
class MovementMap {
 public:
  MovementMap() = default;
  explicit MovementMap(const TriggerSet& set);
  explicit MovementMap(std::vector<std::shared_ptr<const Route>> routes);

  // The movement an alert is about: {route, citizenship} on a route,
  // {source, citizenship} off any route, the alert's key when it is not
  // per citizenship.
  std::map<std::string, std::string> movement_of(const Alert& a) const;
  // The event's checkpoints, empty of alerts: the route's, or one for the source.
  std::vector<EventCheckpoint> checkpoints_of(const std::map<std::string, std::string>& movement) const;
  const Route* route(const std::string& id) const;
  // The first route that lists `source` at a checkpoint (its index in
  // *checkpoint), or nullptr.
  const Route* route_of_source(const std::string& source, size_t* checkpoint) const;

 private:
  std::vector<std::shared_ptr<const Route>> routes_;
};

// Merges one evaluation into `active` (the space's active events, each with
// its active alerts in `alerts`; updated in place: new events appended,
// closed ones removed) and returns every event that changed. New events
// and alerts go to `space` ("" live, else a drill).
std::vector<EventWrite> merge_into_events(std::vector<WarningEvent>& active, const std::vector<Firing>& firings,
                                          const Evaluated& evaluated, const MovementMap& map,
                                          const LifecyclePolicy& policy, const std::string& space = "");

// After the store (or replay) has numbered the writes: copies the ids of new
// events and alerts into the active state, matched by movement and by
// trigger and key, so that the next merge extends them.
void adopt_ids(std::vector<WarningEvent>& active, const std::vector<EventWrite>& writes);

// Replay without a store: numbers new events and alerts from the counters.
void number_new(std::vector<EventWrite>& writes, int64_t& next_event_id, int64_t& next_alert_id);

}  // namespace atalaya
