// The outbox end to end: alerts saved in a store queue their notifications,
// and deliver_due sends them to a real receiver on loopback, signed, once
// each; a receiver that is down keeps them pending until a later run.
#include "atalaya/warning/outbox.h"

#include <gtest/gtest.h>

#include "atalaya/store/sqlite/temp_db_testing.h"
#include "atalaya/warning/loopback_receiver_testing.h"
#include "atalaya/warning/sample_alert_testing.h"

namespace atalaya {
namespace {

using namespace std::chrono_literals;

RetryPolicy fast_policy(int attempts) {
  RetryPolicy p;
  p.max_attempts = attempts;
  p.initial_delay = 1ms;
  p.max_delay = 10ms;
  return p;
}

void no_sleep(std::chrono::milliseconds) {}

std::vector<AlertWrite> two_new_alerts() {
  Alert a = testing::sample_surge_alert();
  Alert b = testing::sample_upstream_alert();
  a.id = b.id = 0;
  a.history.clear();
  b.history.clear();
  return {{a, "alert.opened"}, {b, "alert.opened"}};
}

TEST(Outbox, EachStoredAlertReachesTheReceiverOnceWithAValidSignature) {
  TempDb db("outbox-once");
  auto store = open_sqlite_store(db.path());
  testing::LoopbackReceiver receiver("s3cret");
  std::vector<WebhookEndpoint> endpoints{{receiver.url(), "s3cret", ""}};
  auto writes = two_new_alerts();
  store->save_alerts(writes, {receiver.url()}, webhook_notification_builder());
  OutboxReport report = deliver_due(*store, endpoints, fast_policy(3), no_sleep);
  EXPECT_EQ(report.delivered, 2);
  EXPECT_EQ(report.failed, 0);
  ASSERT_EQ(receiver.accepted_bodies().size(), 2u);  // signature checked by the receiver
  // A second run sends nothing again.
  report = deliver_due(*store, endpoints, fast_policy(3), no_sleep);
  EXPECT_EQ(report.delivered, 0);
  EXPECT_EQ(receiver.requests().size(), 2u);
  for (auto& w : writes) {
    auto d = store->deliveries_of(w.alert.id);
    ASSERT_EQ(d.size(), 1u);
    EXPECT_FALSE(d[0].delivered_at.empty());
    EXPECT_NE(receiver.accepted_bodies()[0].find("\"delivery_id\""), std::string::npos);
  }
}

TEST(Outbox, AReceiverDownAtFirstGetsTheAlertOnALaterRun) {
  TempDb db("outbox-down");
  auto store = open_sqlite_store(db.path());
  int port = 0;
  { port = testing::LoopbackReceiver("k").port(); }  // free a moment ago, no listener now
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/hook";
  std::vector<WebhookEndpoint> endpoints{{url, "k", ""}};
  auto writes = two_new_alerts();
  writes.pop_back();
  store->save_alerts(writes, {url}, webhook_notification_builder());
  OutboxReport down = deliver_due(*store, endpoints, fast_policy(2), no_sleep);
  EXPECT_EQ(down.delivered, 0);
  EXPECT_EQ(down.failed, 1);
  auto pending = store->deliveries_of(writes[0].alert.id);
  ASSERT_EQ(pending.size(), 1u);
  EXPECT_EQ(pending[0].attempts, 2);  // every failed attempt recorded
  EXPECT_TRUE(pending[0].delivered_at.empty());
  const std::string first_body = pending[0].body;

  testing::LoopbackReceiver receiver("k", port);  // the receiver comes back
  OutboxReport up = deliver_due(*store, endpoints, fast_policy(2), no_sleep);
  EXPECT_EQ(up.delivered, 1);
  ASSERT_EQ(receiver.accepted_bodies().size(), 1u);
  EXPECT_EQ(receiver.accepted_bodies()[0], first_body);  // the same body and delivery id as queued
  EXPECT_EQ(store->deliveries_of(writes[0].alert.id)[0].attempts, 3);
}

TEST(Outbox, AnEndpointNoLongerConfiguredKeepsItsDeliveriesPending) {
  TempDb db("outbox-unconfigured");
  auto store = open_sqlite_store(db.path());
  auto writes = two_new_alerts();
  store->save_alerts(writes, {"http://127.0.0.1:9/gone"}, webhook_notification_builder());
  OutboxReport r = deliver_due(*store, {}, fast_policy(1), no_sleep);
  EXPECT_EQ(r.unconfigured, 2);
  EXPECT_EQ(store->due_deliveries("9999-01-01T00:00:00Z").size(), 2u);
}

}  // namespace
}  // namespace atalaya
