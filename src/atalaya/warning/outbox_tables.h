// The webhook outbox as the delivery worker and `atalaya outbox` use it, in
// either backend: listing deliveries, claiming one for an attempt,
// requeueing, and each endpoint's circuit breaker (schema: step 2 in
// alert_schema.cpp). Queueing and recording attempts stay with the alerts
// (alert_tables.h), since they are written in the alerts' transaction.
#pragma once


#include "atalaya/store/sql/connection.h"
#include "atalaya/warning/alert_store.h"

namespace atalaya::sqlstore {

using sql::Statement;

// The delivery table's columns in the order read_delivery reads them (NULL
// times read as empty), shared by every query that lists deliveries.
extern const char* const kDeliveryColumns;
Delivery read_delivery(sql::Statement& q);

class OutboxTables {
 public:
  explicit OutboxTables(sql::Connection* db) : db_(db) {}
  std::vector<Delivery> deliveries(DeliveryState state, size_t limit);
  bool claim(int64_t delivery_id, const std::string& now, const std::string& until);
  int requeue(const std::string& endpoint, const std::string& now);
  std::optional<EndpointHealth> health(const std::string& url);
  std::vector<EndpointHealth> healths();
  void save_health(const EndpointHealth& h);

 private:
  sql::Connection* db_;
};

}  // namespace atalaya::sqlstore
