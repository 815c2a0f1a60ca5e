// Webhooks: an alert POSTed as signed JSON to a task force's own system.
//
// The body is {"event": "alert.opened", "delivery_id": "...", "alert": {...}}
// (alert as in alert_json.h), sent with
//   Content-Type: application/json
//   X-Atalaya-Signature: sha256=<hex HMAC-SHA256(secret, body)>   (GitHub's X-Hub-Signature-256 scheme)
//   X-Atalaya-Delivery: <delivery id>   (the same on every retry, so a receiver can drop duplicates)
//   User-Agent: atalaya/<version>
// A delivery succeeds on any 2xx answer. Connection errors, time-outs, 5xx and
// 429 are retried with exponential back-off (Retry-After honoured); other
// answers (a 400, a 404, a redirect) will not change on retry and end the
// delivery at once. Redirects are never followed (a signed POST must not be
// re-sent to where an answer points): a 3xx is a failed attempt whose error
// reads "HTTP 302: redirect to <Location> not followed".
//
// "Never lost" is the outbox's job, not this file's (warning/outbox.h): it
// stores each pending delivery (its id and exact body) before any attempt,
// makes one post_once() per delivery per run, records every attempt, and
// marks the delivery done only on a 2xx. Anything else waits, with the same id
// and body, for a later run; the back-off between runs is RetryPolicy's. So
// everything here is a plain function of its arguments: no global state, no
// clock but the injected sleep.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atalaya/warning/alert.h"

namespace atalaya {

// Lower-case hex of HMAC-SHA256(secret, body).
std::string hmac_sha256_hex(std::string_view secret, std::string_view body);
// "sha256=<hex>": the X-Atalaya-Signature header's value.
std::string webhook_signature(std::string_view secret, std::string_view body);
// What a receiver does: recompute the signature and compare in constant time.
bool verify_webhook_signature(std::string_view secret, std::string_view body, std::string_view header_value);

enum class AlertEvent : uint8_t { Opened, Updated, Acknowledged, Resolved, Expired };
std::string_view alert_event_name(AlertEvent e);  // "alert.opened", ...
std::optional<AlertEvent> parse_alert_event(std::string_view text);

// The exact bytes to POST (and to keep in the outbox: a retry must resend
// the same body so the signature and the receiver's de-duplication hold).
std::string webhook_body(AlertEvent event, std::string_view delivery_id, const Alert& alert);
// A fresh random delivery id (a UUID, version 4). Generate it once, when the
// delivery is put in the outbox, never per attempt.
std::string new_delivery_id();

struct WebhookTarget {
  std::string url;     // http:// or https://
  std::string secret;  // shared with the receiver; may be empty (then the signature proves nothing)
  std::chrono::milliseconds timeout{10'000};  // for the whole attempt, connecting included
  std::chrono::milliseconds connect_timeout{5'000};  // for the TCP (and TLS) connection alone
};

// Throws std::invalid_argument unless the URL is http:// or https:// with a host.
void check_webhook_url(std::string_view url);

struct DeliveryAttempt {
  int number = 1;              // 1 for the first attempt of a deliver() call
  long http_status = 0;        // 0 when no HTTP answer arrived
  std::string error;           // empty on success; else "HTTP 503: <start of body>" or the connection error
  bool retryable = false;      // a later attempt may succeed (connection error, time-out, 5xx, 429)
  std::optional<std::chrono::seconds> retry_after;  // the receiver's Retry-After, when given
  std::chrono::milliseconds elapsed{0};
  bool ok() const { return http_status >= 200 && http_status < 300; }
};

// One POST, no retry. Never throws for network or HTTP failures; they are in
// the result. A URL that is not http(s) is a non-retryable error.
DeliveryAttempt post_once(const WebhookTarget& target, const std::string& body, const std::string& delivery_id);

// Deterministic exponential back-off: the wait before attempt n (n >= 2) is
// initial_delay * factor^(n-2), at most max_delay.
struct RetryPolicy {
  int max_attempts = 5;
  std::chrono::milliseconds initial_delay{1'000};
  double factor = 2.0;
  std::chrono::milliseconds max_delay{60'000};

  std::chrono::milliseconds delay_before(int attempt) const;
  void check() const;  // throws std::invalid_argument on max_attempts < 1, factor < 1, negative delays
};

enum class DeliveryOutcome : uint8_t {
  Delivered,  // a 2xx answer
  Rejected,   // an answer that retrying will not change (4xx but 429, 3xx, bad URL)
  GaveUp,     // still failing after max_attempts, or the receiver asked to wait longer than max_delay
};
std::string_view delivery_outcome_name(DeliveryOutcome o);  // delivered, rejected, gave_up

struct DeliveryResult {
  DeliveryOutcome outcome = DeliveryOutcome::GaveUp;
  std::vector<DeliveryAttempt> attempts;  // every attempt, in order
};

using AttemptObserver = std::function<void(const DeliveryAttempt&)>;
using Sleeper = std::function<void(std::chrono::milliseconds)>;
void sleep_for(std::chrono::milliseconds d);  // the real one

// For a caller that may block (not the outbox, which never sleeps between
// attempts): posts until delivered, rejected or out of attempts, sleeping between
// attempts for the policy's delay, or for Retry-After when that is longer. A
// Retry-After beyond max_delay ends the call (GaveUp) rather than blocking the
// run; the outbox tries again next run. on_attempt sees each attempt as soon
// as it ends, before any sleep, so a crash mid-delivery still leaves a record.
DeliveryResult deliver(const WebhookTarget& target, const std::string& body, const std::string& delivery_id,
                       const RetryPolicy& policy, const AttemptObserver& on_attempt = {},
                       const Sleeper& sleep = sleep_for);

}  // namespace atalaya
