// Warning-event persistence for the SQLite store: events (one per movement
// and space), their lifecycle history, and drill spaces (schema: migration 5
// in sqlite_store.cpp). Alerts are written through AlertTables in the same
// transaction. Works on the store's connection, which the caller owns.
#pragma once

#include <sqlite3.h>

#include "atalaya/store/sqlite/sqlite_alerts.h"
#include "atalaya/store/store.h"

namespace atalaya::sqlite {

class EventTables {
 public:
  EventTables(sqlite3* db, AlertTables* alerts) : db_(db), alerts_(alerts) {}
  std::vector<WarningEvent> events(const EventFilter& filter);
  std::optional<WarningEvent> event(int64_t id);
  void save(std::vector<EventWrite>& writes, const std::vector<std::string>& endpoints,
            const EventNotificationBuilder& build);
  WarningEvent change_status(int64_t id, AlertStatus to, const std::string& actor, const std::string& note);
  std::vector<DrillSummary> drills();
  uint64_t delete_drill(const std::string& name);

 private:
  void load_history(WarningEvent& e);
  sqlite3* db_;
  AlertTables* alerts_;
};

}  // namespace atalaya::sqlite
