// An emergency session called from a warning event (issue 13, part 3): the
// states on the event's route that endorse the declaration on the day the
// session is held meet, with the event's evidence and projected windows
// attached, and the session opens an emergency pillar tied to the event
// for the commitments made there. Each participant is notified through
// each of its contacts (webhook, e-mail), queued with the session and sent
// by notification_delivery.h, so the time from the event's first raising to
// each notice is measured.
//
// plan_emergency_session() only builds the write; the caller hands it to
// ProcessStore::call_emergency_session. States on the route that are not
// endorsers, and participants without a contact, are listed with the
// reason they are not notified: nobody is left out silently.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "atalaya/core/actor.h"
#include "atalaya/process/process_store.h"
#include "atalaya/warning/alert_store.h"
#include "atalaya/warning/warning_event.h"

namespace atalaya::process {

struct EmergencyCall {
  std::string declaration = "la-2022";
  std::string held_on;             // ISO day the session is held
  std::string place;               // optional ("virtual")
  std::vector<std::string> hosts;  // optional: endorsing states, ISO alpha-3
  // An event in a drill space is refused unless this names its space (a
  // drill session, for practice: its code and title say "drill").
  std::string drill;
  std::string called_at;  // UTC ISO 8601: now
  Actor called_by;
};

// One state of the event's route (in route order) and what the call did for it.
struct RouteState {
  std::string party;        // ISO alpha-3
  bool participant = false; // endorses the declaration on held_on
  std::vector<std::string> notified;  // "email to a@b.org", "webhook to https://..." (queued)
  std::string not_notified;           // why not, when nothing was queued
};

struct EmergencySessionPlan {
  EmergencySessionWrite write;
  std::vector<RouteState> route_states;
};

// The event's evidence as the session keeps it (Meeting::evidence): the
// event's id, drill, headline, route, citizenship, severity, phase,
// momentum, first and last period, first raised (created_at); each
// checkpoint with its reporter, alert references and projected window
// (window_from, window_to, projected_from); each active alert with its
// reference, trigger, severity, months and explanation in English and Spanish.
nlohmann::json emergency_evidence(const WarningEvent& event);

// The session, pillar and notifications for `event`. `pillars` are the
// declaration's pillars (the new one is numbered after them). Throws
// Error(InvalidArgument) naming the parameter: held_on not a day ("held_on"),
// a drill event not allowed by call.drill or a drill named for a live event
// ("drill"), an event off any route or with no state on its route endorsing
// the declaration on held_on ("event"), a host that is not a participant
// ("hosts"); Error(Conflict, "event") when the event already has an open
// emergency pillar.
EmergencySessionPlan plan_emergency_session(const WarningEvent& event, const Declaration& declaration,
                                            const std::vector<Endorsement>& endorsements,
                                            const std::vector<Contact>& contacts, const std::vector<Pillar>& pillars,
                                            const EmergencyCall& call);

// The same, reading the event from `alerts` and the declaration, its
// endorsements, contacts and pillars from `process`. Throws
// Error(NotFound, "event") for an unknown event, Error(NotFound,
// "declaration") for an unknown declaration.
EmergencySessionPlan plan_emergency_session(AlertStore& alerts, ProcessStore& process, int64_t event_id,
                                            const EmergencyCall& call);

// The emergency pillar's code for an event: "E-<event id>", or for a drill
// event "E-<drill>-<event id>".
std::string emergency_pillar_code(const WarningEvent& event);

}  // namespace atalaya::process
