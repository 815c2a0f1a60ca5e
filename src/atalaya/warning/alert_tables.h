// Alert persistence (either backend): alerts, their lifecycle history and
// the webhook outbox (schema: alert_schema.cpp). Works on the
// store's connection; the caller owns it and must keep it open.
#pragma once


#include <functional>

#include "atalaya/core/audit_entry.h"
#include "atalaya/store/sql/connection.h"
#include "atalaya/warning/alert_store.h"

namespace atalaya::sqlstore {

// Runs `body` in one write transaction (BEGIN IMMEDIATE): all of it or none.
void in_transaction(sql::Connection* db, const std::function<void()>& body);

// A person's change of an alert or event with its audit line, in one
// transaction. A change refused (an unknown id, a move the lifecycle does
// not allow) still gets a line, outcome "refused", in a transaction of its
// own, and the refusal is thrown on.
void audited_change(sql::Connection* db, AuditEntry entry, const std::function<void()>& body);

// The audit line of a status change: "alert.acknowledge", "event.resolve", ...
AuditEntry status_change_entry(const char* kind, int64_t id, AlertStatus to, const Actor& actor,
                               const std::string& note);

class AlertTables {
 public:
  explicit AlertTables(sql::Connection* db) : db_(db) {}
  std::vector<Alert> alerts(const AlertFilter& filter);
  std::optional<Alert> alert(int64_t id);
  void save(std::vector<AlertWrite>& writes, const std::vector<std::string>& endpoints,
            const NotificationBuilder& build);
  // Inside the caller's transaction: writes one alert (and its new history
  // rows), assigning its id when new; queues one notification.
  void write(AlertWrite& w, const std::string& now);
  void queue(int64_t alert_id, int64_t event_id, const std::string& endpoint, const std::string& kind,
             const std::string& delivery_key, const std::string& body, const std::string& now);
  Alert change_status(int64_t id, AlertStatus to, const Actor& actor, const std::string& note);
  std::vector<Delivery> due_deliveries(const std::string& now);
  std::vector<Delivery> deliveries_of(int64_t alert_id);
  void record_attempt(int64_t delivery_id, bool delivered, int http_status, const std::string& error,
                      const std::string& next_attempt_at);

 private:
  void load_history(Alert& a);
  sql::Connection* db_;
};

}  // namespace atalaya::sqlstore
