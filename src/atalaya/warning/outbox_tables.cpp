#include "atalaya/warning/outbox_tables.h"

#include "atalaya/core/error.h"

namespace atalaya::sqlstore {
const char* const kDeliveryColumns =
    "id, alert_id, endpoint, event, created_at, attempts, coalesce(next_attempt_at, ''), coalesce(delivered_at, ''), "
    "last_http_status, last_error, delivery_key, body, coalesce(failed_at, '')";

Delivery read_delivery(sql::Statement& q) {
  Delivery d;
  d.id = q.i64(0);
  d.alert_id = q.i64(1);
  d.endpoint = q.text(2);
  d.event = q.text(3);
  d.created_at = q.text(4);
  d.attempts = static_cast<int>(q.i64(5));
  d.next_attempt_at = q.text(6);
  d.delivered_at = q.text(7);
  d.last_http_status = static_cast<int>(q.i64(8));
  d.last_error = q.text(9);
  d.delivery_key = q.text(10);
  d.body = q.text(11);
  d.failed_at = q.text(12);
  return d;
}

namespace {

const char* kHealthColumns =
    "url, consecutive_failures, coalesce(open_until, ''), coalesce(last_failure_at, ''), "
    "coalesce(last_success_at, ''), last_error";

EndpointHealth read_health(sql::Statement& q) {
  return {q.text(0), static_cast<int>(q.i64(1)), q.text(2), q.text(3), q.text(4), q.text(5)};
}

}  // namespace

std::vector<Delivery> OutboxTables::deliveries(DeliveryState state, size_t limit) {
  std::string sql = std::string("SELECT ") + kDeliveryColumns + " FROM delivery";
  switch (state) {
    case DeliveryState::Waiting: sql += " WHERE delivered_at IS NULL AND failed_at IS NULL"; break;
    case DeliveryState::Failed: sql += " WHERE delivered_at IS NULL AND failed_at IS NOT NULL"; break;
    case DeliveryState::Delivered: sql += " WHERE delivered_at IS NOT NULL"; break;
    case DeliveryState::Undelivered: sql += " WHERE delivered_at IS NULL"; break;
    case DeliveryState::All: break;
  }
  sql += " ORDER BY id DESC";
  if (limit) sql += " LIMIT " + std::to_string(limit);
  auto q = db_->prepare(sql);
  std::vector<Delivery> out;
  while (q->step()) out.push_back(read_delivery(*q));
  return out;
}

bool OutboxTables::claim(int64_t delivery_id, const std::string& now, const std::string& until) {
  // One statement, so two workers cannot both see the row as due.
  auto u = db_->prepare(
      "UPDATE delivery SET next_attempt_at = ? WHERE id = ? AND delivered_at IS NULL AND failed_at IS NULL "
      "AND next_attempt_at <= ?");
  u->bind(1, until).bind(2, delivery_id).bind(3, now);
  u->step();
  return u->changes() == 1;
}

int OutboxTables::requeue(const std::string& endpoint, const std::string& now) {
  sql::TransactionScope tx(*db_, sql::Transaction::Write);
  {
    const std::string which = endpoint.empty() ? "" : " AND endpoint = ?";
    auto d =
        db_->prepare("UPDATE delivery SET failed_at = NULL, next_attempt_at = ? WHERE delivered_at IS NULL" + which);
    d->bind(1, now);
    if (!endpoint.empty()) d->bind(2, endpoint);
    d->step();
    const int requeued = static_cast<int>(d->changes());
    auto h = db_->prepare("UPDATE webhook_endpoint SET consecutive_failures = 0, open_until = NULL" +
                          std::string(endpoint.empty() ? "" : " WHERE url = ?"));
    if (!endpoint.empty()) h->bind(1, endpoint);
    h->step();
    tx.commit();
    return requeued;
  }
}

std::optional<EndpointHealth> OutboxTables::health(const std::string& url) {
  auto q = db_->prepare(std::string("SELECT ") + kHealthColumns + " FROM webhook_endpoint WHERE url = ?");
  q->bind(1, url);
  if (!q->step()) return std::nullopt;
  return read_health(*q);
}

std::vector<EndpointHealth> OutboxTables::healths() {
  auto q = db_->prepare(std::string("SELECT ") + kHealthColumns + " FROM webhook_endpoint ORDER BY url");
  std::vector<EndpointHealth> out;
  while (q->step()) out.push_back(read_health(*q));
  return out;
}

void OutboxTables::save_health(const EndpointHealth& h) {
  auto u = db_->prepare(
      "INSERT INTO webhook_endpoint(url, consecutive_failures, open_until, last_failure_at, last_success_at, "
      "last_error) VALUES(?, ?, nullif(?, ''), nullif(?, ''), nullif(?, ''), ?) "
      "ON CONFLICT(url) DO UPDATE SET consecutive_failures = excluded.consecutive_failures, "
      "open_until = excluded.open_until, last_failure_at = excluded.last_failure_at, "
      "last_success_at = excluded.last_success_at, last_error = excluded.last_error");
  u->bind(1, h.url).bind(2, static_cast<int64_t>(h.consecutive_failures)).bind(3, h.open_until);
  u->bind(4, h.last_failure_at).bind(5, h.last_success_at).bind(6, h.last_error);
  u->step();
}

}  // namespace atalaya::sqlstore
