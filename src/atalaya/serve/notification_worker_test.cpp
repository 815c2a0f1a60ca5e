// `atalaya serve` sends emergency-session notices in the background (the
// same run as `atalaya process notify`): webhooks signed, e-mail through the
// relay, each attempt recorded in the store; two workers on one store send
// each notice once; without a relay e-mails stay queued and the log says so.
#include "atalaya/serve/notification_worker.h"

#include <gtest/gtest.h>

#include <chrono>
#include <mutex>
#include <thread>

#include "atalaya/process/loopback_smtp_testing.h"
#include "atalaya/serve/serve_testing.h"
#include "atalaya/warning/loopback_receiver_testing.h"

namespace atalaya::serve {
namespace {

using namespace std::chrono_literals;
using process::Channel;
using process::Notification;

const Actor kTaskForce{11, "tomas", "cli", "token:5"};

// A declaration two states endorse, and a session called through the store
// with these notices queued.
void call_session(const std::string& db, const std::vector<Notification>& notices) {
  auto store = process::open_process_store(db);
  store->save_declaration({"la-2022", {"Los Angeles Declaration", "Declaración de Los Ángeles"}, "2022-06-10",
                           "Los Angeles, United States", "https://example.org/la-declaration"},
                          kTaskForce);
  for (auto party : {"COL", "PAN"})
    store->save_endorsement({"la-2022", party, process::PartyKind::State, "2022-06-10", std::nullopt, "the declaration"},
                            kTaskForce);
  process::EmergencySessionWrite s;
  s.meeting.declaration = "la-2022";
  s.meeting.code = "emergency-17-2026-01-02";
  s.meeting.kind = process::MeetingKind::Emergency;
  s.meeting.title = {"Emergency session", "Sesión de emergencia"};
  s.meeting.held_on = "2026-01-02";
  s.meeting.participants = {"COL", "PAN"};
  s.meeting.event_id = 17;
  s.meeting.event_raised_at = "2026-01-01T06:00:00Z";
  s.pillar.pillar = "E-17";
  s.pillar.kind = process::PillarChangeKind::Added;
  s.pillar.after.number = 90;
  s.pillar.after.kind = process::PillarKind::Emergency;
  s.pillar.after.name = {"Emergency response 17", "Respuesta de emergencia 17"};
  s.notifications = notices;
  store->call_emergency_session(s, kTaskForce);
}

Notification notice(const std::string& party, Channel channel, const std::string& address, const std::string& body) {
  Notification n;
  n.party = party;
  n.channel = channel;
  n.address = address;
  n.subject = "Emergency session / Sesión de emergencia";
  n.body = body;
  return n;
}

process::NotifySettings settings(const std::string& smtp) {
  process::NotifySettings s;
  s.smtp_url = smtp;
  s.from = "secretariat@la-process.example";
  s.webhook_secret = "k";
  return s;
}

// A guard against a hang, not a measurement: what arrived is what is checked.
template <class Done>
void wait_for(Done done) {
  for (int i = 0; i < 3000 && !done(); ++i) std::this_thread::sleep_for(10ms);
}

TEST(ServeNotices, TheServersWorkerDeliversASessionsNoticesAndRecordsWhen) {
  TempDb db("serve-notices");
  atalaya::testing::LoopbackReceiver receiver("k");
  process::testing::LoopbackSmtpSink sink;
  call_session(db.path(), {notice("COL", Channel::Webhook, receiver.url(), R"({"delivery_id":"d-col"})"),
                           notice("PAN", Channel::Email, "coordinacion@panama.example", "Convened.")});
  ServerOptions o;
  o.db = db.path();
  o.port = 0;
  o.access_log = "";
  o.threads = 4;
  o.notices = settings(sink.url());
  o.deliver_every = 20ms;
  ApiServer server(o);
  const int port = server.bind();
  std::thread serving([&] { server.listen(); });
  auto store = process::open_process_store(db.path());
  auto delivered = [&] {
    int n = 0;
    for (auto& x : store->notifications("la-2022", "")) n += !x.delivered_at.empty();
    return n;
  };
  wait_for([&] { return delivered() == 2; });
  httplib::Client client("127.0.0.1", port);
  ASSERT_TRUE(client.Get("/api/v1/health"));  // listening: stop() will end it
  server.stop();
  serving.join();

  ASSERT_EQ(receiver.requests().size(), 1u);
  EXPECT_TRUE(receiver.requests()[0].signature_valid);
  EXPECT_EQ(receiver.requests()[0].delivery_id, "d-col");
  ASSERT_EQ(sink.mails().size(), 1u);
  EXPECT_EQ(sink.mails()[0].to, (std::vector<std::string>{"coordinacion@panama.example"}));
  const auto notices = store->notifications("la-2022", "emergency-17-2026-01-02");
  ASSERT_EQ(notices.size(), 2u);
  for (const Notification& n : notices) {
    EXPECT_FALSE(n.delivered_at.empty()) << n.address;
    EXPECT_GE(n.delivered_at, n.queued_at);
    EXPECT_EQ(n.attempts, 1) << n.address;
  }
}

TEST(ServeNotices, TwoWorkersOnOneStoreSendEachNoticeOnce) {
  TempDb db("serve-notices-two");
  atalaya::testing::LoopbackReceiver receiver("k");
  process::testing::LoopbackSmtpSink sink;
  std::vector<Notification> notices;
  for (int i = 0; i < 4; ++i) {
    notices.push_back(notice("COL", Channel::Webhook, receiver.url() + "?n=" + std::to_string(i),
                             R"({"delivery_id":"d-)" + std::to_string(i) + "\"}"));
    notices.push_back(notice("PAN", Channel::Email, "enlace" + std::to_string(i) + "@panama.example", "text"));
  }
  call_session(db.path(), notices);
  NotificationWorker a(db.path(), settings(sink.url()), 5ms, {});
  NotificationWorker b(db.path(), settings(sink.url()), 5ms, {});
  a.start();
  b.start();
  auto store = process::open_process_store(db.path());
  wait_for([&] { return store->due_notifications("3000-01-01T00:00:00Z").empty(); });
  // A few more runs each: nothing is sent again.
  const int ran_a = a.runs(), ran_b = b.runs();
  wait_for([&] { return a.runs() >= ran_a + 3 && b.runs() >= ran_b + 3; });
  a.stop();
  b.stop();
  EXPECT_EQ(receiver.requests().size(), 4u);
  EXPECT_EQ(sink.mails().size(), 4u);
  for (const Notification& n : store->notifications("la-2022", "")) {
    EXPECT_FALSE(n.delivered_at.empty()) << n.address;
    EXPECT_EQ(n.attempts, 1) << n.address;
  }
}

TEST(ServeNotices, WithoutARelayEmailsStayQueuedAndTheLogSaysSoOnce) {
  TempDb db("serve-notices-no-relay");
  atalaya::testing::LoopbackReceiver receiver("k");
  call_session(db.path(), {notice("COL", Channel::Webhook, receiver.url(), R"({"delivery_id":"d-col"})"),
                           notice("PAN", Channel::Email, "coordinacion@panama.example", "Convened.")});
  std::mutex mu;
  std::vector<std::string> lines;
  NotificationWorker worker(db.path(), settings(""), 5ms, [&](const std::string& m) {
    std::lock_guard lock(mu);
    lines.push_back(m);
  });
  worker.start();
  wait_for([&] { return worker.runs() >= 4; });
  worker.stop();
  EXPECT_EQ(receiver.requests().size(), 1u) << "webhooks go without a relay";
  auto store = process::open_process_store(db.path());
  for (const Notification& n : store->notifications("la-2022", "")) {
    if (n.channel == Channel::Email) {
      EXPECT_EQ(n.attempts, 0);
      EXPECT_TRUE(n.delivered_at.empty());
      EXPECT_TRUE(n.failed_at.empty());
    } else {
      EXPECT_FALSE(n.delivered_at.empty());
    }
  }
  int said = 0;
  for (auto& l : lines) said += l.find("1 e-mail notice(s) due, not sent: no SMTP relay") != std::string::npos;
  EXPECT_EQ(said, 1) << "said once over " << worker.runs() << " runs";
}

TEST(ServeNotices, BadSettingsAreRefusedBeforeTheWorkerStarts) {
  TempDb db("serve-notices-bad");
  process::NotifySettings s = settings("http://relay.example");
  EXPECT_THROW(NotificationWorker(db.path(), s, 1h, {}), std::invalid_argument);
}

}  // namespace
}  // namespace atalaya::serve
