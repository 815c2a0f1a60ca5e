// The webhook outbox as the delivery worker and `atalaya outbox` use it, in
// the SQLite store: listing deliveries, claiming one for an attempt,
// requeueing, and each endpoint's circuit breaker (schema: migration 5 in
// sqlite_store.cpp). Queueing and recording attempts stay with the alerts
// (sqlite_alerts.h), since they are written in the alerts' transaction.
#pragma once

#include <sqlite3.h>

#include "atalaya/store/store.h"

namespace atalaya::sqlite {

class Statement;

// The delivery table's columns in the order read_delivery reads them (NULL
// times read as empty), shared by every query that lists deliveries.
extern const char* const kDeliveryColumns;
Delivery read_delivery(Statement& q);

class OutboxTables {
 public:
  explicit OutboxTables(sqlite3* db) : db_(db) {}
  std::vector<Delivery> deliveries(DeliveryState state, size_t limit);
  bool claim(int64_t delivery_id, const std::string& now, const std::string& until);
  int requeue(const std::string& endpoint, const std::string& now);
  std::optional<EndpointHealth> health(const std::string& url);
  std::vector<EndpointHealth> healths();
  void save_health(const EndpointHealth& h);

 private:
  sqlite3* db_;
};

}  // namespace atalaya::sqlite
