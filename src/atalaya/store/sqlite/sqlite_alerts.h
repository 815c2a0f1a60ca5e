// Alert persistence for the SQLite store: alerts, their lifecycle history and
// the webhook outbox (schema: migration 2 in sqlite_store.cpp). Works on the
// store's connection; the caller owns it and must keep it open.
#pragma once

#include <sqlite3.h>

#include "atalaya/store/store.h"

namespace atalaya::sqlite {

class AlertTables {
 public:
  explicit AlertTables(sqlite3* db) : db_(db) {}
  std::vector<Alert> alerts(const AlertFilter& filter);
  std::optional<Alert> alert(int64_t id);
  void save(std::vector<AlertWrite>& writes, const std::vector<std::string>& endpoints,
            const NotificationBuilder& build);
  Alert change_status(int64_t id, AlertStatus to, const std::string& actor, const std::string& note);
  std::vector<Delivery> due_deliveries(const std::string& now);
  std::vector<Delivery> deliveries_of(int64_t alert_id);
  void record_attempt(int64_t delivery_id, bool delivered, int http_status, const std::string& error,
                      const std::string& next_attempt_at);

 private:
  void load_history(Alert& a);
  sqlite3* db_;
};

}  // namespace atalaya::sqlite
