// The outbox end to end: alerts saved in a store queue their notifications,
// and deliver_due (the delivery worker's one run) sends them to a real
// receiver on loopback, signed, once each. A receiver that is down or hangs
// costs each attempt no more than its endpoint's time-out (the attempt
// records say which limit applied), pauses the endpoint after enough
// failures, and its notifications arrive once it recovers. The worker's
// clock is injected, so back-off and cool-down are checked without waiting.
#include "atalaya/warning/outbox.h"

#include <gtest/gtest.h>

#include <set>

#include "atalaya/store/sql/test_database_testing.h"
#include "atalaya/store/sqlite/temp_db_testing.h"
#include "atalaya/warning/loopback_receiver_testing.h"
#include "atalaya/warning/sample_alert_testing.h"
#include "atalaya/warning/xml_writer.h"

namespace atalaya {
namespace {

using namespace std::chrono_literals;

// A fake clock after any stamp the store writes from the real one.
struct FakeClock {
  int64_t t = parse_utc_seconds("2030-01-01T00:00:00Z", "test");
  UtcClock fn() {
    return [this] { return t; };
  }
};

WebhookEndpoint endpoint(const std::string& url, const std::string& secret) {
  WebhookEndpoint e{url, secret, ""};
  e.timeout = 2s;
  e.retry_delay = 30s;
  return e;
}

std::vector<AlertWrite> new_alerts(int n) {
  std::vector<AlertWrite> out;
  for (int i = 0; i < n; ++i) {
    Alert a = i % 2 ? testing::sample_upstream_alert() : testing::sample_surge_alert();
    a.id = 0;
    a.history.clear();
    a.key["citizenship"] = "C" + std::to_string(i);  // distinct alerts
    out.push_back({a, "alert.opened"});
  }
  return out;
}

std::set<std::string> keys_of(const std::vector<testing::LoopbackReceiver::Request>& requests) {
  std::set<std::string> keys;
  for (auto& r : requests) keys.insert(r.delivery_id);
  return keys;
}

class OutboxContract : public sql::BackendTest {};

TEST_P(OutboxContract, EachStoredAlertReachesTheReceiverOnceWithAValidSignature) {
  sql::TestDatabase db(GetParam());
  auto store = open_alert_store(db.location());
  testing::LoopbackReceiver receiver("s3cret");
  FakeClock clock;
  auto writes = new_alerts(2);
  store->save_alerts(writes, {receiver.url()}, webhook_notification_builder());
  OutboxReport report = deliver_due(*store, {endpoint(receiver.url(), "s3cret")}, clock.fn());
  EXPECT_EQ(report.delivered, 2);
  EXPECT_EQ(report.failed, 0);
  ASSERT_EQ(receiver.accepted_bodies().size(), 2u);  // signature checked by the receiver
  // A second run sends nothing again.
  clock.t += 3600;
  report = deliver_due(*store, {endpoint(receiver.url(), "s3cret")}, clock.fn());
  EXPECT_EQ(report.delivered, 0);
  EXPECT_EQ(receiver.requests().size(), 2u);
  for (auto& w : writes) {
    auto d = store->deliveries_of(w.alert.id);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_FALSE(d[0].delivered_at.empty());
  }
  EXPECT_EQ(store->deliveries(DeliveryState::Delivered, 0).size(), 2u);
  EXPECT_EQ(store->deliveries(DeliveryState::Undelivered, 0).size(), 0u);
}

TEST_P(OutboxContract, AFailedAttemptIsRetriedAfterAnExponentialBackOff) {
  sql::TestDatabase db(GetParam());
  auto store = open_alert_store(db.location());
  testing::LoopbackReceiver receiver("k");
  receiver.answer_first({503, 503});
  FakeClock clock;
  const WebhookEndpoint e = endpoint(receiver.url(), "k");
  auto writes = new_alerts(1);
  store->save_alerts(writes, {receiver.url()}, webhook_notification_builder());

  OutboxReport r = deliver_due(*store, {e}, clock.fn());
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(r.given_up, 0);
  auto d = store->deliveries_of(writes[0].alert.id).at(0);
  EXPECT_EQ(d.attempts, 1);
  EXPECT_EQ(d.next_attempt_at, rfc3339_time(clock.t + 30));  // retry_delay
  clock.t += 29;
  EXPECT_EQ(deliver_due(*store, {e}, clock.fn()).failed, 0);  // not yet due: no attempt
  EXPECT_EQ(receiver.requests().size(), 1u);
  clock.t += 1;
  EXPECT_EQ(deliver_due(*store, {e}, clock.fn()).failed, 1);
  EXPECT_EQ(store->deliveries_of(writes[0].alert.id).at(0).next_attempt_at, rfc3339_time(clock.t + 60));  // doubled
  clock.t += 60;
  EXPECT_EQ(deliver_due(*store, {e}, clock.fn()).delivered, 1);
  EXPECT_EQ(receiver.accepted_bodies().size(), 1u);
  EXPECT_EQ(store->deliveries_of(writes[0].alert.id).at(0).attempts, 3);
}

TEST_P(OutboxContract, AHangingReceiverCostsEachAttemptItsEndpointsTimeOutThenPausesTheEndpoint) {
  sql::TestDatabase db(GetParam());
  auto store = open_alert_store(db.location());
  testing::LoopbackReceiver receiver("k");
  receiver.hold_answers();
  FakeClock clock;
  WebhookEndpoint e = endpoint(receiver.url(), "k");
  e.timeout = 300ms;
  e.retry_delay = 0s;
  e.breaker_failures = 2;
  e.breaker_cooldown = 600s;
  auto writes = new_alerts(3);
  store->save_alerts(writes, {receiver.url()}, webhook_notification_builder());

  OutboxReport r = deliver_due(*store, {e}, clock.fn());
  EXPECT_EQ(r.delivered, 0);
  EXPECT_EQ(r.failed, 2);  // then the breaker opened
  EXPECT_EQ(r.paused, 1);
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_NE(r.notes[0].find("paused until " + rfc3339_time(clock.t + 600)), std::string::npos) << r.notes[0];
  // The endpoint's own limit ended each attempt, as its record says.
  int timed_out = 0;
  for (auto& w : writes)
    for (auto& d : store->deliveries_of(w.alert.id))
      if (d.attempts) {
        ++timed_out;
        EXPECT_NE(d.last_error.find("timed out (the endpoint's limit: 0.3 s"), std::string::npos) << d.last_error;
        EXPECT_EQ(d.last_http_status, 0);
      }
  EXPECT_EQ(timed_out, 2);

  // Another process, with its own connection, sees the pause too.
  auto other = open_alert_store(db.location());
  clock.t += 60;
  r = deliver_due(*other, {e}, clock.fn());
  EXPECT_EQ(r.paused, 3);
  EXPECT_EQ(r.failed, 0);
  auto health = other->endpoint_health(receiver.url());
  ASSERT_TRUE(health);
  EXPECT_EQ(health->consecutive_failures, 2);

  // The receiver recovers; after the cool-down every notification arrives, once.
  receiver.release();
  clock.t += 600;
  r = deliver_due(*store, {e}, clock.fn());
  EXPECT_EQ(r.delivered, 3);
  EXPECT_EQ(r.paused, 0);
  clock.t += 3600;
  EXPECT_EQ(deliver_due(*store, {e}, clock.fn()).delivered, 0);
  EXPECT_EQ(receiver.accepted_bodies().size(), 3u);  // one per delivery key
  std::set<std::string> queued;
  for (auto& w : writes) queued.insert(store->deliveries_of(w.alert.id).at(0).delivery_key);
  EXPECT_EQ(keys_of(receiver.requests()), queued);
  EXPECT_EQ(store->endpoint_health(receiver.url())->consecutive_failures, 0);
}

TEST_P(OutboxContract, ARedirectIsNotFollowedAndGivesTheDeliveryUp) {
  sql::TestDatabase db(GetParam());
  auto store = open_alert_store(db.location());
  testing::LoopbackReceiver receiver("k");
  testing::LoopbackReceiver elsewhere("k");
  receiver.answer_first({302});
  receiver.redirect_to(elsewhere.url());
  FakeClock clock;
  auto writes = new_alerts(1);
  store->save_alerts(writes, {receiver.url()}, webhook_notification_builder());
  OutboxReport r = deliver_due(*store, {endpoint(receiver.url(), "k")}, clock.fn());
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(r.given_up, 1);
  auto d = store->deliveries_of(writes[0].alert.id).at(0);
  EXPECT_EQ(d.last_error, "HTTP 302: redirect to " + elsewhere.url() + " not followed");
  EXPECT_FALSE(d.failed_at.empty());
  EXPECT_TRUE(elsewhere.requests().empty());
  // Given up: no longer due, listed as failed, until requeued.
  clock.t += 86400;
  EXPECT_EQ(deliver_due(*store, {endpoint(receiver.url(), "k")}, clock.fn()).failed, 0);
  EXPECT_EQ(store->deliveries(DeliveryState::Failed, 0).size(), 1u);
  EXPECT_EQ(store->requeue_deliveries(receiver.url(), rfc3339_time(clock.t)), 1);
  EXPECT_EQ(deliver_due(*store, {endpoint(receiver.url(), "k")}, clock.fn()).delivered, 1);
}

TEST_P(OutboxContract, ADeliveryIsGivenUpWhenItsAttemptsAreUsedUp) {
  sql::TestDatabase db(GetParam());
  auto store = open_alert_store(db.location());
  testing::LoopbackReceiver receiver("k");
  receiver.answer_first({500, 500, 500});
  FakeClock clock;
  WebhookEndpoint e = endpoint(receiver.url(), "k");
  e.max_attempts = 2;
  e.retry_delay = 0s;
  auto writes = new_alerts(1);
  store->save_alerts(writes, {receiver.url()}, webhook_notification_builder());
  EXPECT_EQ(deliver_due(*store, {e}, clock.fn()).given_up, 0);
  OutboxReport r = deliver_due(*store, {e}, clock.fn());
  EXPECT_EQ(r.given_up, 1);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("attempts used up"), std::string::npos) << r.errors[0];
  EXPECT_EQ(deliver_due(*store, {e}, clock.fn()).failed, 0);  // not attempted again
  EXPECT_EQ(receiver.requests().size(), 2u);
}

TEST_P(OutboxContract, AnEndpointNoLongerConfiguredIsNeverAttempted) {
  sql::TestDatabase db(GetParam());
  auto store = open_alert_store(db.location());
  auto writes = new_alerts(2);
  store->save_alerts(writes, {"http://127.0.0.1:9/gone"}, webhook_notification_builder());
  FakeClock clock;
  OutboxReport r = deliver_due(*store, {}, clock.fn());
  EXPECT_EQ(r.unconfigured, 2);
  EXPECT_EQ(r.failed, 0);
  auto waiting = store->deliveries(DeliveryState::Waiting, 0);
  ASSERT_EQ(waiting.size(), 2u);
  EXPECT_EQ(waiting[0].attempts, 0);
}

TEST_P(OutboxContract, AClaimedDeliveryIsNotSentByASecondWorker) {
  sql::TestDatabase db(GetParam());
  auto store = open_alert_store(db.location());
  auto writes = new_alerts(1);
  store->save_alerts(writes, {"http://127.0.0.1:9/x"}, webhook_notification_builder());
  const int64_t id = store->deliveries(DeliveryState::All, 0).at(0).id;
  FakeClock clock;
  const std::string now = rfc3339_time(clock.t);
  EXPECT_TRUE(store->claim_delivery(id, now, rfc3339_time(clock.t + 70)));
  auto other = open_alert_store(db.location());
  EXPECT_FALSE(other->claim_delivery(id, now, rfc3339_time(clock.t + 70)));
  // Due again once the claim lapses (the first worker died mid-attempt).
  EXPECT_TRUE(other->claim_delivery(id, rfc3339_time(clock.t + 70), rfc3339_time(clock.t + 140)));
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxContract, ::testing::ValuesIn(sql::test_backends()), sql::backend_name);

}  // namespace
}  // namespace atalaya
