#include "atalaya/warning/outbox.h"

#include <algorithm>
#include <chrono>
#include <map>

#include "atalaya/warning/xml_writer.h"

namespace atalaya {
namespace {

constexpr std::chrono::seconds kLongestBackOff{3600};
constexpr std::chrono::seconds kLongestRetryAfter{86400};
// A claimed delivery is due again this long after its attempt's time-out
// (the worker was killed mid-attempt).
constexpr int64_t kClaimMargin = 60;

int64_t ceil_seconds(std::chrono::milliseconds ms) { return (ms.count() + 999) / 1000; }

std::string describe(const Delivery& d) {
  return d.event + " of alert " + std::to_string(d.alert_id) + " to " + d.endpoint;
}

}  // namespace

NotificationBuilder webhook_notification_builder() {
  return [](const Alert& alert, const std::string& event) {
    std::string key = new_delivery_id();
    auto e = parse_alert_event(event);
    return std::pair<std::string, std::string>{key, webhook_body(e ? *e : AlertEvent::Updated, key, alert)};
  };
}

int64_t utc_seconds_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

OutboxReport deliver_due(AlertStore& store, const std::vector<WebhookEndpoint>& endpoints, const UtcClock& now,
                         const std::function<bool()>& stop) {
  OutboxReport report;
  std::map<std::string, EndpointHealth> health;  // read once per run, written on every change
  auto health_of = [&](const std::string& url) -> EndpointHealth& {
    auto it = health.find(url);
    if (it == health.end()) {
      EndpointHealth fresh;
      fresh.url = url;
      it = health.emplace(url, store.endpoint_health(url).value_or(fresh)).first;
    }
    return it->second;
  };
  for (const Delivery& d : store.due_deliveries(rfc3339_time(now()))) {
    if (stop && stop()) break;
    auto endpoint = std::find_if(endpoints.begin(), endpoints.end(), [&](auto& e) { return e.url == d.endpoint; });
    if (endpoint == endpoints.end()) {
      ++report.unconfigured;
      continue;
    }
    EndpointHealth& h = health_of(endpoint->url);
    const int64_t t = now();
    const std::string stamp = rfc3339_time(t);
    if (!h.open_until.empty() && stamp < h.open_until) {
      ++report.paused;
      continue;
    }
    const std::string until = rfc3339_time(t + ceil_seconds(endpoint->timeout) + kClaimMargin);
    if (!store.claim_delivery(d.id, stamp, until)) continue;  // another worker is sending it

    WebhookTarget target{endpoint->url, endpoint->secret, endpoint->timeout, endpoint->connect_timeout};
    const DeliveryAttempt a = post_once(target, d.body, d.delivery_key);
    const int64_t done = now();
    if (a.ok()) {
      store.record_delivery_attempt(d.id, true, static_cast<int>(a.http_status), "", "");
      ++report.delivered;
      h.consecutive_failures = 0;
      h.open_until.clear();
      h.last_success_at = rfc3339_time(done);
      store.save_endpoint_health(h);
      continue;
    }
    // The attempt just made is number d.attempts + 1.
    const int made = d.attempts + 1;
    const bool give_up = !a.retryable || made >= endpoint->max_attempts;
    std::string next;
    if (!give_up) {
      RetryPolicy backoff;
      backoff.initial_delay = endpoint->retry_delay;
      backoff.max_delay = kLongestBackOff;
      int64_t wait = ceil_seconds(backoff.delay_before(made + 1));
      if (a.retry_after) wait = std::max<int64_t>(wait, std::min(*a.retry_after, kLongestRetryAfter).count());
      next = rfc3339_time(done + wait);
    }
    store.record_delivery_attempt(d.id, false, static_cast<int>(a.http_status), a.error, next);
    ++report.failed;
    report.given_up += give_up;
    report.errors.push_back(describe(d) + ", attempt " + std::to_string(made) + ": " + a.error +
                            (give_up ? " (given up: " +
                                           std::string(a.retryable ? "attempts used up" : "retrying will not help") +
                                           "; see atalaya outbox)"
                                     : " (next attempt from " + next + ")"));
    h.consecutive_failures += 1;
    h.last_failure_at = rfc3339_time(done);
    h.last_error = a.error;
    if (h.consecutive_failures >= endpoint->breaker_failures) {
      h.open_until = rfc3339_time(done + endpoint->breaker_cooldown.count());
      report.notes.push_back("endpoint " + endpoint->url + " paused until " + h.open_until + " after " +
                             std::to_string(h.consecutive_failures) + " consecutive failed attempts");
    }
    store.save_endpoint_health(h);
  }
  return report;
}

}  // namespace atalaya
