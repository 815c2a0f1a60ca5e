// `atalaya serve` delivers the outbox in the background (the same run as
// `atalaya deliver`), and serves each alert's CAP message and the CAP feed.
#include "atalaya/serve/delivery_worker.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "atalaya/serve/serve_testing.h"
#include "atalaya/warning/loopback_receiver_testing.h"
#include "atalaya/warning/xml_check_testing.h"

namespace atalaya::serve {
namespace {

using namespace std::chrono_literals;

TEST(ServeDelivery, TheServersWorkerDeliversQueuedNotificationsOnce) {
  TempDb db("serve-deliver");
  testing::LoopbackReceiver receiver("k");
  {
    auto store = open_alert_store(db.path());
    std::vector<AlertWrite> writes;
    for (Alert a : {testing::sample_surge_alert(), testing::sample_upstream_alert()}) {
      a.id = 0;
      a.history.clear();
      writes.push_back({a, "alert.opened"});
    }
    store->save_alerts(writes, {receiver.url()}, webhook_notification_builder());
  }
  ServerOptions o;
  o.db = db.path();
  o.port = 0;
  o.access_log = "";
  o.threads = 4;
  o.webhooks = {WebhookEndpoint{receiver.url(), "k", ""}};
  o.deliver_every = 20ms;
  ApiServer server(o);
  const int port = server.bind();
  std::thread serving([&] { server.listen(); });
  // A guard against a hang, not a measurement: the worker's runs are what is checked.
  for (int i = 0; i < 3000 && receiver.accepted_bodies().size() < 2; ++i) std::this_thread::sleep_for(10ms);
  httplib::Client client("127.0.0.1", port);
  ASSERT_TRUE(client.Get("/api/v1/health"));  // listening: stop() will end it
  auto other = open_alert_store(db.path());
  server.stop();
  serving.join();
  EXPECT_EQ(receiver.accepted_bodies().size(), 2u);
  EXPECT_EQ(receiver.requests().size(), 2u);
  EXPECT_EQ(other->deliveries(DeliveryState::Delivered, 0).size(), 2u);
}

TEST(ServeDelivery, AWorkerStopsWithoutARun) {
  TempDb db("serve-deliver-stop");
  DeliveryWorker worker(db.path(), {}, 1h, {});
  worker.start();
  worker.stop();  // ends the hour-long wait at once
  EXPECT_LE(worker.runs(), 1);
}

TEST(ServeCap, EachAlertHasItsCapMessageAndTheFeedLinksThem) {
  testing::ServedStore served("serve-cap");
  auto client = served.client();
  auto list = client.Get("/api/v1/alerts?status=all");
  ASSERT_TRUE(list);
  const auto alerts = nlohmann::json::parse(list->body)["alerts"];
  ASSERT_EQ(alerts.size(), 2u);
  const int64_t id = alerts[0]["id"];

  auto cap = client.Get("/api/v1/alerts/" + std::to_string(id) + "/cap");
  ASSERT_TRUE(cap);
  ASSERT_EQ(cap->status, 200) << cap->body;
  EXPECT_EQ(cap->get_header_value("Content-Type"), "application/cap+xml; charset=utf-8");
  const testing::XmlElement message = testing::parse_xml(cap->body);
  EXPECT_EQ(message.name, "alert");
  const std::string base = "http://127.0.0.1:" + std::to_string(served.port());
  EXPECT_EQ(message.child("info")->child("web")->text, base + "/api/v1/alerts/" + std::to_string(id));

  auto feed = client.Get("/api/v1/alerts/cap.atom?status=all");
  ASSERT_TRUE(feed);
  ASSERT_EQ(feed->status, 200) << feed->body;
  EXPECT_EQ(feed->get_header_value("Content-Type"), "application/atom+xml; charset=utf-8");
  const testing::XmlElement root = testing::parse_xml(feed->body);
  ASSERT_EQ(root.all("entry").size(), 2u);
  bool linked = false;
  for (const testing::XmlElement* e : root.all("entry")) {
    const std::string href = e->child("link")->attribute("href");
    if (href != base + "/api/v1/alerts/" + std::to_string(id) + "/cap") continue;
    linked = true;
    // The entry carries the very message its link serves.
    EXPECT_EQ(e->child("content")->child("alert")->child("identifier")->text, message.child("identifier")->text);
  }
  EXPECT_TRUE(linked);

  auto missing = client.Get("/api/v1/alerts/999/cap");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
}

}  // namespace
}  // namespace atalaya::serve
