// The webhook outbox: every notification is stored (AlertStore::save_alerts) before
// it is sent, then delivered from the store by a worker apart from `watch`
// (`atalaya deliver`, or the worker thread of `atalaya serve`), which both
// call deliver_due(). That is how a notification is never lost, even when the
// receiver is down or the program is killed mid-delivery, and how a receiver
// that hangs never holds up the evaluation of the triggers.
//
// One run makes at most one attempt per due delivery, bounded by its
// endpoint's time-out; a failed attempt is retried in a later run, after an
// exponential back-off (next_attempt_at: retry_delay, doubling, at most an
// hour, or longer when the receiver's Retry-After asks). A delivery is given
// up (failed_at, listed by `atalaya outbox`) on an answer that retrying will
// not change (a 4xx but 429, a redirect, a bad URL) or once its attempts are
// used up. Each endpoint has a circuit breaker kept in the store: after
// breaker_failures consecutive failed attempts it is paused for
// breaker_cooldown, then one attempt probes it (a failure pauses it again, a
// success closes it). Deliveries for an endpoint no longer in the trigger
// file are left as they are and counted, never attempted.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "atalaya/warning/alert_store.h"
#include "atalaya/warning/trigger.h"
#include "atalaya/warning/webhook.h"

namespace atalaya {

struct OutboxReport {
  int delivered = 0;
  int failed = 0;        // attempts that failed in this run (given up ones included)
  int given_up = 0;      // of which the delivery is now given up
  int paused = 0;        // due, but skipped: their endpoint's circuit breaker is open
  int unconfigured = 0;  // due for an endpoint no longer in the trigger file: left as they are
  std::vector<std::string> errors;  // one line per failed attempt
  std::vector<std::string> notes;   // endpoints paused by this run
};

// The (delivery key, body) builder for AlertStore::save_alerts.
NotificationBuilder webhook_notification_builder();

// Seconds since 1970 (UTC): the worker's clock, injectable for tests.
using UtcClock = std::function<int64_t()>;
int64_t utc_seconds_now();

// One run of the delivery worker over every delivery due at now(). `stop`,
// when given, is asked before each attempt (a worker being shut down).
OutboxReport deliver_due(AlertStore& store, const std::vector<WebhookEndpoint>& endpoints,
                         const UtcClock& now = utc_seconds_now, const std::function<bool()>& stop = {});

}  // namespace atalaya
