#include "atalaya/warning/outbox.h"

#include "atalaya/core/utc_time.h"

namespace atalaya {

NotificationBuilder webhook_notification_builder() {
  return [](const Alert& alert, const std::string& event) {
    std::string key = new_delivery_id();
    auto e = parse_alert_event(event);
    return std::pair<std::string, std::string>{key, webhook_body(e ? *e : AlertEvent::Updated, key, alert)};
  };
}

OutboxReport deliver_due(Store& store, const std::vector<WebhookEndpoint>& endpoints, const RetryPolicy& policy,
                         const Sleeper& sleep) {
  OutboxReport report;
  for (const Delivery& d : store.due_deliveries(utc_now())) {
    const WebhookEndpoint* endpoint = nullptr;
    for (auto& e : endpoints)
      if (e.url == d.endpoint) endpoint = &e;
    if (!endpoint) {
      ++report.unconfigured;
      continue;
    }
    WebhookTarget target{endpoint->url, endpoint->secret};
    // Each attempt is recorded as it ends; a failure stays due at once, so the
    // next run (or the next attempt of this one) picks it up.
    auto result = deliver(
        target, d.body, d.delivery_key, policy,
        [&](const DeliveryAttempt& a) {
          store.record_delivery_attempt(d.id, a.ok(), static_cast<int>(a.http_status), a.error, utc_now());
        },
        sleep);
    if (result.outcome == DeliveryOutcome::Delivered) {
      ++report.delivered;
    } else {
      ++report.failed;
      std::string last = result.attempts.empty() ? "" : result.attempts.back().error;
      report.errors.push_back(d.event + " of alert " + std::to_string(d.alert_id) + " to " + d.endpoint + ": " +
                              std::string(delivery_outcome_name(result.outcome)) + " after " +
                              std::to_string(result.attempts.size()) + " attempt(s): " + last);
    }
  }
  return report;
}

}  // namespace atalaya
