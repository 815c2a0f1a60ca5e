// Warning events: what a task force acts on. One movement (a citizenship
// along a route, or at one checkpoint off any route) makes one event while
// it lasts, however many triggers fire on it and at however many
// checkpoints: its alerts are the evidence, from every checkpoint that shows
// the movement, with a projected arrival window at each checkpoint further
// down the route. An event has one severity (the highest of its active
// alerts), one lifecycle (open -> acknowledged -> resolved, or expired when
// every alert has gone quiet) and one notification per change.
//
// Events live in a space: "" is the live inbox; any other name is a drill
// (`watch --as-of`, `replay --drill`), which never notifies and never
// touches the live inbox.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atalaya/warning/alert.h"

namespace atalaya {

// How an event stands, for ranking the inbox: a movement that is new or
// accelerating ranks above a flow that has been high for months. From the
// series its active alerts judged (event_book.cpp): the latest month against
// the median of the months 3 to 6 before it, at the checkpoint where that
// ratio is highest.
enum class EventPhase : uint8_t {
  Persistent = 1,  // below 1.5 times everywhere: about this high for months already
  Ongoing = 2,     // between
  Emerging = 3,    // at least doubled somewhere (or too new to have a history)
};
std::string_view event_phase_name(EventPhase p);  // persistent|ongoing|emerging
std::optional<EventPhase> parse_event_phase(std::string_view text);

// One checkpoint of the event's route (off-route: the one source).
struct EventCheckpoint {
  std::string id;    // route checkpoint id, or the source id off-route
  std::string name;  // for people
  std::string name_es;
  std::string reporter;  // ISO alpha-3 of the country that counts here; empty off-route
  // Active alerts observed here (series triggers, and upstream ones whose
  // surge was seen here), as alert_ref() names them ("trigger|key"); empty:
  // the movement is not seen here (yet).
  std::vector<std::string> alerts;
  Severity severity = Severity::Minor;  // highest of those alerts (meaningless when none)
  // Projected arrival of the movement here, from an upstream checkpoint.
  std::optional<Period> window_from, window_to;
  std::string projected_from;  // checkpoint id where the surge behind the window was seen
  bool observed() const { return !alerts.empty(); }
};

struct WarningEvent {
  int64_t id = 0;          // store id; 0 before it is stored
  std::string space;       // "" live; else the drill's name
  std::map<std::string, std::string> movement;  // route+citizenship, or source+citizenship off-route
  std::string route;       // route id, empty off-route
  std::string route_name, route_name_es;
  std::string citizenship;  // ISO alpha-3, empty when the alerts are not per citizenship
  Period first_period, last_period;  // months the movement has been flagged
  Severity severity = Severity::Moderate;
  AlertStatus status = AlertStatus::Open;
  EventPhase phase = EventPhase::Emerging;
  // The ratio behind the phase (NaN when the series are too short): how
  // many times the months 3 to 6 before the latest one it now is.
  double momentum = std::numeric_limits<double>::quiet_NaN();
  std::vector<EventCheckpoint> checkpoints;  // in route order
  std::string created_at, updated_at;
  std::vector<AlertChange> history;  // oldest first
  std::vector<Alert> alerts;         // members, when loaded (active ones first)

  std::string movement_text() const { return key_text(movement); }
  bool active() const { return status == AlertStatus::Open || status == AlertStatus::Acknowledged; }
  // "Haitians along Darién → ... : severe, emerging, 2021-03..2021-07"
  std::string headline() const;
};

// A drill space's name: letters, digits, '.', '_' and '-', 1 to 64 of them
// (kDrillNameRule says so to people).
bool is_drill_name(std::string_view name);
inline constexpr const char* kDrillNameRule = "letters, digits, '.', '_' or '-', at most 64 characters";

// "trigger|key": how an event's checkpoint names its alerts (ids are not
// known before the store writes them; one active alert per trigger and key).
std::string alert_ref(const Alert& a);

// The inbox order: open before acknowledged, then emerging before ongoing
// before persistent; among emerging events the fastest-growing first (what
// is newest and most urgent), else the most severe; then the most recent
// month, newest id.
void rank_events(std::vector<WarningEvent>& events);

}  // namespace atalaya
