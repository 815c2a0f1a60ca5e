// The warning feature's store: alerts and their history, warning events,
// drill spaces, the webhook outbox and each endpoint's circuit breaker.
// One implementation (sql_alert_store.cpp) runs on both backends through
// store/sql/connection.h; the feature owns its tables (alert_schema.h).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "atalaya/core/actor.h"
#include "atalaya/warning/alert.h"
#include "atalaya/warning/warning_event.h"

namespace atalaya {

// Which alerts to list. Active = open or acknowledged.
struct AlertFilter {
  std::optional<AlertStatus> status;
  bool active_only = false;
  std::optional<std::string> trigger;
  std::string space;                // "" the live inbox; else a drill's name
  std::optional<int64_t> event_id;  // only this warning event's alerts (any space)
  size_t limit = 0;  // 0: all; newest first
};

// The status a person asks a list of alerts or events for: "active" (open
// or acknowledged), "all", or one status by name (open, acknowledged,
// resolved, expired). Sets a filter's `status` and `active_only`; throws
// Error(InvalidArgument, "status") for any other word.
void select_status(const std::string& choice, std::optional<AlertStatus>& status, bool& active_only);

// Which warning events to list (warning_event.h).
struct EventFilter {
  std::string space;  // "" the live inbox; else a drill's name
  std::optional<AlertStatus> status;
  bool active_only = false;
  size_t limit = 0;          // 0: all; most recent month first
  bool with_alerts = false;  // load each event's active alerts into WarningEvent::alerts
};

// A drill space and what it holds.
struct DrillSummary {
  std::string name;
  uint64_t events = 0, active = 0, alerts = 0;
  std::string first_created, last_updated;  // UTC
};

// One alert to write: new when alert.id == 0 (the store assigns the id),
// else a change to a stored alert. `notify` names the notification event to
// queue for every webhook endpoint ("alert.opened", "alert.escalated"), or is
// empty for none.
struct AlertWrite {
  Alert alert;
  std::string notify;
};

// One warning event to write with its alerts that changed, in one
// transaction (warning/event_book.h builds them): new when event.id == 0.
// The store sets each alert's event_id and space from the event. `notify`
// names the notification to queue ("event.opened", ...), or is empty; drill
// spaces never queue any.
struct EventWrite {
  WarningEvent event;              // after the change (its `alerts` left empty)
  std::vector<AlertWrite> alerts;  // its alerts that changed (AlertWrite::notify unused)
  std::string notify;
};

// A webhook notification waiting in (or delivered from) the outbox, with the
// exact body to POST, built when it was queued.
struct Delivery {
  int64_t id = 0;
  int64_t alert_id = 0;
  std::string endpoint;   // the webhook URL
  std::string event;      // "alert.opened", ...
  std::string delivery_key;  // the same on every attempt (receivers drop duplicates by it)
  std::string body;
  std::string created_at;
  int attempts = 0;
  std::string next_attempt_at;  // UTC; empty once delivered
  std::string delivered_at;     // empty until a 2xx answer
  int last_http_status = 0;
  std::string last_error;
  // Set when retrying was given up (an answer retrying will not change, such
  // as a 4xx or a redirect, or its attempts used up): no longer due until
  // AlertStore::requeue_deliveries.
  std::string failed_at;
};

// Which outbox deliveries to list: Waiting = not delivered and not given up
// (due now or later), Failed = given up, Undelivered = both.
enum class DeliveryState : uint8_t { Waiting, Failed, Delivered, Undelivered, All };

// A webhook endpoint's circuit breaker, kept in the store so that every
// process delivering from it (atalaya deliver, atalaya serve) agrees: after
// enough consecutive failed attempts the endpoint is paused (skipped) until
// `open_until`. Times are UTC ISO 8601; empty when never.
struct EndpointHealth {
  std::string url;
  int consecutive_failures = 0;
  std::string open_until;
  std::string last_failure_at, last_success_at;
  std::string last_error;
};

// Builds a queued notification for an alert that now has its id: returns
// the delivery key and the body to POST.
using NotificationBuilder =
    std::function<std::pair<std::string, std::string>(const Alert& alert, const std::string& event)>;
// The same for a warning event's notification (with its alerts loaded).
using EventNotificationBuilder =
    std::function<std::pair<std::string, std::string>(const WarningEvent& event, const std::string& kind)>;

class AlertStore {
 public:
  virtual ~AlertStore() = default;
  // Alerts (warning/alert.h), newest first.
  virtual std::vector<Alert> alerts(const AlertFilter& filter) = 0;
  virtual std::optional<Alert> alert(int64_t id) = 0;
  // Writes new and changed alerts with their history, and queues their
  // notifications, in one transaction; assigns ids to new alerts.
  virtual void save_alerts(std::vector<AlertWrite>& writes, const std::vector<std::string>& endpoints,
                           const NotificationBuilder& build = {}) = 0;
  // A person's change of an alert's lifecycle (acknowledge, resolve).
  // Throws Error(NotFound) for an unknown id and Error(Conflict) for a
  // change the lifecycle does not allow (resolved and expired are final).
  // The change and its audit line are one transaction; a refused change
  // is audited too (outcome "refused").
  virtual Alert change_alert_status(int64_t id, AlertStatus to, const Actor& actor, const std::string& note) = 0;
  // A change by a person known only by name (no account: an editors file,
  // a single-user server, a test).
  Alert change_alert_status(int64_t id, AlertStatus to, const std::string& name, const std::string& note) {
    return change_alert_status(id, to, Actor{0, name, "", "name"}, note);
  }
  // Warning events (warning/warning_event.h).
  virtual std::vector<WarningEvent> events(const EventFilter& filter) = 0;
  // One event with every alert it has held (active first) and its history.
  virtual std::optional<WarningEvent> event(int64_t id) = 0;
  // Writes events and their changed alerts, and queues the live events'
  // notifications, in one transaction; assigns ids to new events and alerts.
  virtual void save_events(std::vector<EventWrite>& writes, const std::vector<std::string>& endpoints,
                           const EventNotificationBuilder& build = {}) = 0;
  // A person's change of an event's lifecycle (acknowledge, resolve); its
  // active alerts follow. Throws like change_alert_status.
  virtual WarningEvent change_event_status(int64_t id, AlertStatus to, const Actor& actor,
                                           const std::string& note) = 0;
  WarningEvent change_event_status(int64_t id, AlertStatus to, const std::string& name, const std::string& note) {
    return change_event_status(id, to, Actor{0, name, "", "name"}, note);
  }
  // The drill spaces, by name.
  virtual std::vector<DrillSummary> drills() = 0;
  // Deletes a drill space's events and alerts; returns the events deleted.
  virtual uint64_t delete_drill(const std::string& name) = 0;
  // Deliveries not yet delivered whose next attempt is due at `now` (UTC ISO 8601), oldest first.
  virtual std::vector<Delivery> due_deliveries(const std::string& now) = 0;
  virtual std::vector<Delivery> deliveries_of(int64_t alert_id) = 0;
  // Records one attempt: delivered (2xx) or not, with the next attempt time when not.
  // An empty next_attempt_at on a failed attempt gives the delivery up (Delivery::failed_at).
  virtual void record_delivery_attempt(int64_t delivery_id, bool delivered, int http_status,
                                       const std::string& error, const std::string& next_attempt_at) = 0;

  // The outbox as people read it (atalaya outbox), newest first; limit 0: all.
  virtual std::vector<Delivery> deliveries(DeliveryState state, size_t limit) = 0;
  // Takes a due delivery for one attempt: moves its next attempt to `until`
  // (so another worker does not send it meanwhile) only if it is still due at
  // `now`, undelivered and not given up. False when another worker has it.
  virtual bool claim_delivery(int64_t delivery_id, const std::string& now, const std::string& until) = 0;
  // Deliveries not delivered (given up or waiting), of one endpoint or of all
  // (endpoint empty), become due at `now` again, and those endpoints' breakers
  // close. Returns how many deliveries were requeued.
  virtual int requeue_deliveries(const std::string& endpoint, const std::string& now) = 0;
  virtual std::optional<EndpointHealth> endpoint_health(const std::string& url) = 0;
  virtual std::vector<EndpointHealth> endpoint_healths() = 0;
  virtual void save_endpoint_health(const EndpointHealth& health) = 0;
};

// Opens (creating and migrating the warning tables as needed) the alert
// store at `location`: the same store the series live in, an SQLite file's
// path or a postgresql:// URI. Throws Error(Unavailable) when it cannot.
std::unique_ptr<AlertStore> open_alert_store(const std::string& location);

}  // namespace atalaya
