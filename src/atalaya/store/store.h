// The store: durable home of every vintage of every source.
//
// A vintage is one ingested file's contribution to a source: the rows whose
// value is new or differs from what the source held before. Nothing is ever
// overwritten, so "latest" is a view (the newest vintage holding each
// series-period) and any earlier vintage can be recalled. SQLite is the
// embedded default; a PostgreSQL backend will implement the same interface.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "atalaya/core/observation.h"
#include "atalaya/ingest/parsed_file.h"
#include "atalaya/warning/alert.h"
#include "atalaya/warning/warning_event.h"

namespace atalaya {

enum class WriteOutcome {
  NewVintage,       // rows were added as a new vintage
  SameFile,         // a file with this digest was already ingested for the source
  NoChangedValues,  // a different file, but every value equals what is stored
};

struct WriteResult {
  WriteOutcome outcome = WriteOutcome::NewVintage;
  int vintage = 0;              // the new vintage's number, or the matching one for SameFile
  uint64_t rows_written = 0;    // new or revised observations stored
  uint64_t rows_revised = 0;    // of which, revisions of a stored value
  uint64_t series_added = 0;
  uint64_t rows_withdrawn = 0;  // held before, absent from this complete release
};

// How one file is written, as the caller (a person at the command line, an
// upload) decides.
struct WriteOptions {
  // The file replaces everything its source holds, on purpose: values it
  // lacks are withdrawn however many they are (ParsedFile::max_withdrawal
  // is not applied), and even when the file is not a complete release.
  // `atalaya ingest --replace`.
  bool replace = false;
};

struct SourceSummary {
  std::string source;
  std::string name;
  int vintages = 0;
  uint64_t series = 0;
  uint64_t observations = 0;    // in the latest view
  std::string first_period, last_period;
  std::string last_ingest;      // UTC timestamp of the newest vintage
  SourceDeclaration declaration;  // as its newest declaring file said
};

struct VintageInfo {
  std::string source;
  int number = 0;
  std::string file, digest, format, ingested_at;
  uint64_t rows_read = 0, rows_written = 0;
};

// A period a source covers for keys of one shape (see covered_periods).
struct CoveredPeriod {
  uint32_t shape = 0;
  Period period;
  Status status = Status::Final;  // the least settled status of the values there
};

// One stored point of a series as seen through the latest view or a vintage.
struct StoredPoint {
  Period period;
  int64_t value = 0;
  Status status = Status::Final;
  int vintage = 0;  // the vintage number the value comes from
};

struct StoredSeries {
  SeriesKey key;
  Unit unit = Unit::Events;
  std::vector<StoredPoint> points;  // ordered by period code
};

// Which series to read: dimension -> accepted values (any of them). An empty
// map selects everything. `vintage` N reads each source as of its Nth vintage.
struct SeriesSelection {
  std::map<std::string, std::vector<std::string>> dimensions;
  std::optional<int> vintage;
};

// Which alerts to list. Active = open or acknowledged.
struct AlertFilter {
  std::optional<AlertStatus> status;
  bool active_only = false;
  std::optional<std::string> trigger;
  std::string space;                // "" the live inbox; else a drill's name
  std::optional<int64_t> event_id;  // only this warning event's alerts (any space)
  size_t limit = 0;  // 0: all; newest first
};

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
  // Store::requeue_deliveries.
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

class Store {
 public:
  virtual ~Store() = default;
  // Writes one parsed file as a vintage of its source, in one transaction:
  // all of it or none of it. `file.problems` must already be dealt with.
  // A complete release that would withdraw more than file.max_withdrawal of
  // the observations its source holds in the latest view is refused with
  // WithdrawalRefused (nothing written) unless options.replace.
  virtual WriteResult write_vintage(const ParsedFile& file, const WriteOptions& options) = 0;
  WriteResult write_vintage(const ParsedFile& file) { return write_vintage(file, WriteOptions{}); }
  virtual std::vector<SourceSummary> sources() = 0;
  virtual std::vector<VintageInfo> vintages(const std::string& source) = 0;
  virtual std::vector<StoredSeries> select(const SeriesSelection& selection) = 0;
  // The periods for which a source's latest view (or its view as of its
  // Nth vintage) holds at least one value, per key shape (bit d set when the
  // key gives kDimensions[d]): the periods its releases cover. Inside them a
  // key with no value is what the source declares an absent key to be;
  // outside them nothing is known.
  virtual std::vector<CoveredPeriod> covered_periods(const std::string& source, std::optional<int> vintage) = 0;
  // Rows in the observation table, every vintage counted.
  virtual uint64_t stored_rows() = 0;

  // Alerts (see warning/alert.h), newest first.
  virtual std::vector<Alert> alerts(const AlertFilter& filter) = 0;
  virtual std::optional<Alert> alert(int64_t id) = 0;
  // Writes new and changed alerts with their history, and queues their
  // notifications, in one transaction; assigns ids to new alerts.
  virtual void save_alerts(std::vector<AlertWrite>& writes, const std::vector<std::string>& endpoints,
                           const NotificationBuilder& build = {}) = 0;
  // A person's change of an alert's lifecycle (acknowledge, resolve).
  // Throws StoreError for an unknown id (message starts "no alert") or a
  // change the lifecycle does not allow (resolved and expired are final).
  virtual Alert change_alert_status(int64_t id, AlertStatus to, const std::string& actor,
                                    const std::string& note) = 0;
  // Warning events (warning/warning_event.h).
  virtual std::vector<WarningEvent> events(const EventFilter& filter) = 0;
  // One event with every alert it has held (active first) and its history.
  virtual std::optional<WarningEvent> event(int64_t id) = 0;
  // Writes events and their changed alerts, and queues the live events'
  // notifications, in one transaction; assigns ids to new events and alerts.
  virtual void save_events(std::vector<EventWrite>& writes, const std::vector<std::string>& endpoints,
                           const EventNotificationBuilder& build = {}) = 0;
  // A person's change of an event's lifecycle (acknowledge, resolve); its
  // active alerts follow. Throws like change_alert_status ("no event ...").
  virtual WarningEvent change_event_status(int64_t id, AlertStatus to, const std::string& actor,
                                           const std::string& note) = 0;
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

// Opens (creating and migrating as needed) an SQLite store at `path`.
// Throws StoreError if the file is not an Atalaya store or cannot be opened.
std::unique_ptr<Store> open_sqlite_store(const std::string& path);

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// A complete release refused because it would withdraw more than its
// source's limit (ParsedFile::max_withdrawal). what() names the file, the
// counts and how to force it; nothing was written.
class WithdrawalRefused : public StoreError {
 public:
  WithdrawalRefused(const std::string& file, const std::string& source, uint64_t withdrawn, uint64_t held,
                    double max_share);
  uint64_t withdrawn = 0;  // values the file would withdraw
  uint64_t held = 0;       // values the source holds in the latest view
  double max_share = 0;    // the limit applied
};

}  // namespace atalaya
