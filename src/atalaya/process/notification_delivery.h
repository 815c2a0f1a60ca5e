// Delivering emergency-session notifications (process_model.h
// Notification), queued by ProcessStore::call_emergency_session: webhooks
// are POSTed signed as the warning layer's (warning/webhook.h: the same
// headers, the body's "delivery_id" as X-Atalaya-Delivery on every
// attempt), e-mails go through an SMTP relay (smtp_mail.h).
//
// As the webhook outbox (warning/outbox.h): one run makes at most one
// attempt per due notification; each attempt is recorded in the store
// (record_notification_attempt), so `delivered_at - event_raised_at` and
// `delivered_at - called_at` are measured; a failed attempt is retried by a
// later run after an exponential back-off (retry_delay, doubling, at most an
// hour, longer when a webhook's Retry-After asks); retrying is given up
// (failed_at) on an answer that retrying will not change (a webhook's 4xx
// but 429 or a redirect; an SMTP 5xx reply) or once max_attempts are used.
// E-mail waits, unattempted and counted, while no relay is configured.
// Several deliverers may run at once (two `process notify` runs, servers on
// one database): each notification is claimed before its attempt
// (ProcessStore::claim_notification), so it is sent once.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "atalaya/process/process_store.h"
#include "atalaya/warning/outbox.h"

namespace atalaya::process {

struct NotifySettings {
  std::string smtp_url;        // smtp://host:port; empty: e-mails wait
  std::string from;            // the sender's address (envelope and From:); needed with smtp_url
  std::string webhook_secret;  // HMAC key for X-Atalaya-Signature; may be empty
  int max_attempts = 5;
  std::chrono::seconds retry_delay{30};
  std::chrono::milliseconds timeout{10'000};
  std::chrono::milliseconds connect_timeout{5'000};

  // Throws std::invalid_argument naming the setting (smtp, from, max_attempts).
  void check() const;
};

struct NotifyReport {
  int delivered = 0;
  int failed = 0;    // attempts that failed in this run
  int given_up = 0;  // of which the notification is now given up
  int no_relay = 0;  // e-mails due but not attempted: no SMTP relay configured
  std::vector<std::string> errors;  // one line per failed attempt
};

// The X-Atalaya-Delivery id of a webhook notification: its body's
// "delivery_id", else "process-notification-<id>".
std::string notification_delivery_id(const Notification& n);

// The designated time frame, measured: seconds from the event's first
// raising (Meeting::event_raised_at) and from the session's call
// (called_at) to the notification's delivery; unset while undelivered or
// when a time is missing.
struct NotificationTimes {
  std::optional<int64_t> since_raised, since_called;
};
NotificationTimes notification_times(const Meeting& session, const Notification& n);
// "45 s", "12 min 5 s", "3 h 02 min", "4 d 6 h": a duration for people.
std::string duration_text(int64_t seconds);

// One run over every notification due at now(); stops before the next
// attempt once `stop` says so.
NotifyReport deliver_due_notifications(ProcessStore& store, const NotifySettings& settings,
                                       const UtcClock& now = utc_seconds_now, const std::function<bool()>& stop = {});

}  // namespace atalaya::process
