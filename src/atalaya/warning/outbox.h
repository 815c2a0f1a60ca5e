// The webhook outbox: every notification is stored (Store::save_alerts) before
// it is sent, then delivered from the store with retries and back-off; every
// attempt is recorded, and what is not delivered stays due for the next run.
// That is how a notification is never lost, even when the receiver is down or
// the program is killed mid-delivery.
#pragma once

#include <string>
#include <vector>

#include "atalaya/store/store.h"
#include "atalaya/warning/trigger.h"
#include "atalaya/warning/webhook.h"

namespace atalaya {

struct OutboxReport {
  int delivered = 0;
  int failed = 0;        // still pending after this run's attempts
  int unconfigured = 0;  // due for an endpoint no longer in the trigger file: left pending
  std::vector<std::string> errors;  // one line per failed delivery
};

// The (delivery key, body) builder for Store::save_alerts.
NotificationBuilder webhook_notification_builder();

// Delivers every due delivery whose endpoint is configured, with `policy`.
OutboxReport deliver_due(Store& store, const std::vector<WebhookEndpoint>& endpoints, const RetryPolicy& policy,
                         const Sleeper& sleep = sleep_for);

}  // namespace atalaya
