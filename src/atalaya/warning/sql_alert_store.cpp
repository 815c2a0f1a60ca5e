// The alert store on sql::Connection: one implementation for SQLite and
// PostgreSQL, made of the alert, event and outbox tables.
#include "atalaya/core/error.h"
#include "atalaya/store/audit/audit_log.h"
#include "atalaya/store/sql/schema.h"
#include "atalaya/warning/alert_schema.h"
#include "atalaya/warning/alert_store.h"
#include "atalaya/warning/alert_tables.h"
#include "atalaya/warning/event_tables.h"
#include "atalaya/warning/outbox_tables.h"

namespace atalaya {
namespace {

class SqlAlertStore : public AlertStore {
 public:
  explicit SqlAlertStore(std::unique_ptr<sql::Connection> db)
      : db_(std::move(db)), alerts_(db_.get()), events_(db_.get(), &alerts_), outbox_(db_.get()) {
    sql::migrate(*db_, "warning", alert_migrations());
    audit::migrate_audit(*db_);
  }

  std::vector<Alert> alerts(const AlertFilter& f) override { return alerts_.alerts(f); }
  std::optional<Alert> alert(int64_t id) override { return alerts_.alert(id); }
  void save_alerts(std::vector<AlertWrite>& w, const std::vector<std::string>& endpoints,
                   const NotificationBuilder& build) override {
    alerts_.save(w, endpoints, build);
  }
  using AlertStore::change_alert_status;
  using AlertStore::change_event_status;
  Alert change_alert_status(int64_t id, AlertStatus to, const Actor& actor, const std::string& note) override {
    return alerts_.change_status(id, to, actor, note);
  }
  std::vector<WarningEvent> events(const EventFilter& f) override { return events_.events(f); }
  std::optional<WarningEvent> event(int64_t id) override { return events_.event(id); }
  void save_events(std::vector<EventWrite>& w, const std::vector<std::string>& endpoints,
                   const EventNotificationBuilder& build) override {
    events_.save(w, endpoints, build);
  }
  WarningEvent change_event_status(int64_t id, AlertStatus to, const Actor& actor,
                                   const std::string& note) override {
    return events_.change_status(id, to, actor, note);
  }
  std::vector<DrillSummary> drills() override { return events_.drills(); }
  uint64_t delete_drill(const std::string& name) override { return events_.delete_drill(name); }
  std::vector<Delivery> due_deliveries(const std::string& now) override { return alerts_.due_deliveries(now); }
  std::vector<Delivery> deliveries_of(int64_t id) override { return alerts_.deliveries_of(id); }
  void record_delivery_attempt(int64_t id, bool delivered, int http_status, const std::string& error,
                               const std::string& next_attempt_at) override {
    alerts_.record_attempt(id, delivered, http_status, error, next_attempt_at);
  }
  std::vector<Delivery> deliveries(DeliveryState state, size_t limit) override {
    return outbox_.deliveries(state, limit);
  }
  bool claim_delivery(int64_t id, const std::string& now, const std::string& until) override {
    return outbox_.claim(id, now, until);
  }
  int requeue_deliveries(const std::string& endpoint, const std::string& now) override {
    return outbox_.requeue(endpoint, now);
  }
  std::optional<EndpointHealth> endpoint_health(const std::string& url) override { return outbox_.health(url); }
  std::vector<EndpointHealth> endpoint_healths() override { return outbox_.healths(); }
  void save_endpoint_health(const EndpointHealth& h) override { outbox_.save_health(h); }

 private:
  std::unique_ptr<sql::Connection> db_;
  sqlstore::AlertTables alerts_;
  sqlstore::EventTables events_;
  sqlstore::OutboxTables outbox_;
};

}  // namespace

void select_status(const std::string& choice, std::optional<AlertStatus>& status, bool& active_only) {
  if (choice == "active") {
    active_only = true;
  } else if (choice != "all") {
    status = parse_alert_status(choice);
    if (!status)
      throw Error(ErrorCode::InvalidArgument, "status",
                  "status: '" + choice + "' is not one of active, all, open, acknowledged, resolved, expired");
  }
}

std::unique_ptr<AlertStore> open_alert_store(const std::string& location) {
  return std::make_unique<SqlAlertStore>(sql::connect(location));
}

}  // namespace atalaya
