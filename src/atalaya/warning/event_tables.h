// Warning-event persistence (either backend): events (one per movement
// and space), their lifecycle history, and drill spaces (schema: step 3
// in alert_schema.cpp). Alerts are written through AlertTables in the same
// transaction. Works on the store's connection, which the caller owns.
#pragma once


#include "atalaya/warning/alert_tables.h"
#include "atalaya/store/sql/connection.h"
#include "atalaya/warning/alert_store.h"

namespace atalaya::sqlstore {

class EventTables {
 public:
  EventTables(sql::Connection* db, AlertTables* alerts) : db_(db), alerts_(alerts) {}
  std::vector<WarningEvent> events(const EventFilter& filter);
  std::optional<WarningEvent> event(int64_t id);
  void save(std::vector<EventWrite>& writes, const std::vector<std::string>& endpoints,
            const EventNotificationBuilder& build);
  WarningEvent change_status(int64_t id, AlertStatus to, const Actor& actor, const std::string& note);
  std::vector<DrillSummary> drills();
  uint64_t delete_drill(const std::string& name);

 private:
  void load_history(WarningEvent& e);
  sql::Connection* db_;
  AlertTables* alerts_;
};

}  // namespace atalaya::sqlstore
