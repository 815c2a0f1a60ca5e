#include "atalaya/process/notification_delivery.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "atalaya/process/smtp_mail.h"
#include "atalaya/warning/webhook.h"
#include "atalaya/warning/xml_writer.h"

namespace atalaya::process {
namespace {

constexpr std::chrono::seconds kLongestBackOff{3600};
constexpr std::chrono::seconds kLongestRetryAfter{86400};
// A claimed notification is due again this long after its attempt's
// time-out (the deliverer was killed mid-attempt), as the outbox's.
constexpr int64_t kClaimMargin = 60;

int64_t ceil_seconds(std::chrono::milliseconds ms) { return (ms.count() + 999) / 1000; }

std::string describe(const Notification& n) {
  return std::string(channel_name(n.channel)) + " to " + n.party + " (" + n.address + ") for " + n.meeting;
}

struct Outcome {
  bool delivered = false;
  bool retryable = false;
  std::string error;
  std::optional<std::chrono::seconds> retry_after;
};

Outcome post_webhook(const Notification& n, const NotifySettings& s) {
  WebhookTarget target{n.address, s.webhook_secret, s.timeout, s.connect_timeout};
  const DeliveryAttempt a = post_once(target, n.body, notification_delivery_id(n));
  return {a.ok(), a.retryable, a.error, a.retry_after};
}

Outcome send_email(const Notification& n, const NotifySettings& s, int64_t now) {
  MailMessage m;
  m.from = s.from;
  m.to = n.address;
  m.subject = n.subject;
  m.text = n.body;
  m.date = now;
  // The same on every attempt: a receiver that got it twice can tell.
  m.message_id = "notification-" + std::to_string(n.id) + "." + n.meeting + s.from.substr(s.from.find('@'));
  const MailAttempt a = send_mail_once(SmtpRelay{s.smtp_url, s.timeout, s.connect_timeout}, m);
  return {a.sent, a.retryable, a.error, std::nullopt};
}

}  // namespace

void NotifySettings::check() const {
  if (!smtp_url.empty()) {
    if (smtp_url.rfind("smtp://", 0) != 0 && smtp_url.rfind("smtps://", 0) != 0)
      throw std::invalid_argument("smtp: expected a relay URL smtp://host:port or smtps://host:port, got '" +
                                  smtp_url + "'");
    check_mail_address(from, "from");
  }
  if (max_attempts < 1) throw std::invalid_argument("max_attempts: expected at least 1");
}

NotificationTimes notification_times(const Meeting& m, const Notification& n) {
  NotificationTimes t;
  if (n.delivered_at.empty()) return t;
  auto seconds = [](const std::string& text) -> std::optional<int64_t> {
    if (text.empty()) return std::nullopt;
    try {
      return parse_utc_seconds(text, "time");
    } catch (const std::invalid_argument&) {
      return std::nullopt;
    }
  };
  const auto delivered = seconds(n.delivered_at);
  if (!delivered) return t;
  if (auto raised = seconds(m.event_raised_at)) t.since_raised = *delivered - *raised;
  if (auto called = seconds(m.called_at)) t.since_called = *delivered - *called;
  return t;
}

std::string duration_text(int64_t s) {
  const std::string sign = s < 0 ? "-" : "";
  if (s < 0) s = -s;
  auto two = [](int64_t v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  if (s < 60) return sign + std::to_string(s) + " s";
  if (s < 3600) return sign + std::to_string(s / 60) + " min " + std::to_string(s % 60) + " s";
  if (s < 86400) return sign + std::to_string(s / 3600) + " h " + two(s % 3600 / 60) + " min";
  return sign + std::to_string(s / 86400) + " d " + std::to_string(s % 86400 / 3600) + " h";
}

std::string notification_delivery_id(const Notification& n) {
  const auto j = nlohmann::json::parse(n.body, nullptr, false);
  if (j.is_object() && j.contains("delivery_id") && j["delivery_id"].is_string())
    return j["delivery_id"].get<std::string>();
  return "process-notification-" + std::to_string(n.id);
}

NotifyReport deliver_due_notifications(ProcessStore& store, const NotifySettings& settings, const UtcClock& now,
                                       const std::function<bool()>& stop) {
  settings.check();
  NotifyReport report;
  for (const Notification& n : store.due_notifications(rfc3339_time(now()))) {
    if (stop && stop()) break;
    if (n.channel == Channel::Email && settings.smtp_url.empty()) {
      ++report.no_relay;
      continue;
    }
    const int64_t t = now();
    if (!store.claim_notification(n.id, rfc3339_time(t), rfc3339_time(t + ceil_seconds(settings.timeout) + kClaimMargin)))
      continue;  // another deliverer is sending it, or has sent it since the list was read
    const Outcome o = n.channel == Channel::Webhook ? post_webhook(n, settings) : send_email(n, settings, t);
    const int64_t done = now();
    if (o.delivered) {
      store.record_notification_attempt(n.id, true, "", "");
      ++report.delivered;
      continue;
    }
    const int made = n.attempts + 1;  // the attempt just made
    const bool give_up = !o.retryable || made >= settings.max_attempts;
    std::string next;
    if (!give_up) {
      RetryPolicy backoff;
      backoff.initial_delay = settings.retry_delay;
      backoff.max_delay = kLongestBackOff;
      int64_t wait = ceil_seconds(backoff.delay_before(made + 1));
      if (o.retry_after) wait = std::max<int64_t>(wait, std::min(*o.retry_after, kLongestRetryAfter).count());
      next = rfc3339_time(done + wait);
    }
    store.record_notification_attempt(n.id, false, o.error, next);
    ++report.failed;
    report.given_up += give_up;
    report.errors.push_back(describe(n) + ", attempt " + std::to_string(made) + ": " + o.error +
                            (give_up ? " (given up: " +
                                           std::string(o.retryable ? "attempts used up" : "retrying will not help") + ")"
                                     : " (next attempt from " + next + ")"));
  }
  return report;
}

}  // namespace atalaya::process
