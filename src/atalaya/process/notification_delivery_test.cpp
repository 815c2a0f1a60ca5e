#include "atalaya/process/notification_delivery.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <functional>
#include <stdexcept>
#include <utility>

#include "atalaya/process/loopback_smtp_testing.h"
#include "atalaya/process/smtp_mail.h"
#include "atalaya/warning/loopback_receiver_testing.h"
#include "atalaya/warning/xml_writer.h"

namespace atalaya::process {
namespace {

// Only the notification queue of a ProcessStore, in memory, on the test's
// clock: what deliver_due_notifications reads and writes.
class NotificationQueue : public ProcessStore {
 public:
  explicit NotificationQueue(const int64_t& clock) : clock_(clock) {}
  std::vector<Notification> queue;

  // Runs once, after the next listing of due notifications: another
  // deliverer working between this one's listing and its attempts.
  std::function<void()> after_listing;

  std::vector<Notification> due_notifications(const std::string& now) override {
    std::vector<Notification> out;
    for (auto& n : queue)
      if (due(n, now)) out.push_back(n);
    if (auto other = std::exchange(after_listing, nullptr)) other();
    return out;
  }
  bool claim_notification(int64_t id, const std::string& now, const std::string& until) override {
    for (auto& n : queue)
      if (n.id == id && due(n, now)) {
        n.next_attempt_at = until;
        return true;
      }
    return false;
  }
  void record_notification_attempt(int64_t id, bool delivered, const std::string& error,
                                   const std::string& next_attempt_at) override {
    for (auto& n : queue) {
      if (n.id != id) continue;
      ++n.attempts;
      const std::string now = rfc3339_time(clock_);
      if (delivered) {
        n.delivered_at = now;
        n.next_attempt_at.clear();
      } else {
        n.last_error = error;
        n.next_attempt_at = next_attempt_at;
        if (next_attempt_at.empty()) n.failed_at = now;
      }
    }
  }
  std::vector<Notification> notifications(const std::string&, const std::string&) override { return queue; }

  // Nothing else is used by delivery.
  void save_declaration(const Declaration&, const Actor&) override { unused(); }
  std::vector<Declaration> declarations() override { unused(); }
  std::optional<Declaration> declaration(const std::string&) override { unused(); }
  void save_endorsement(const Endorsement&, const Actor&) override { unused(); }
  std::vector<Endorsement> endorsements(const std::string&) override { unused(); }
  PillarChange change_pillar(const PillarChange&, const Actor&) override { unused(); }
  std::vector<Pillar> pillars(const std::string&) override { unused(); }
  std::optional<Pillar> pillar(const std::string&, const std::string&) override { unused(); }
  std::vector<PillarChange> pillar_history(const std::string&, const std::string&) override { unused(); }
  void save_package(const ActionPackage&, const Actor&) override { unused(); }
  std::vector<ActionPackage> packages(const std::string&) override { unused(); }
  void save_meeting(const Meeting&, const Actor&) override { unused(); }
  std::vector<Meeting> meetings(const std::string&) override { unused(); }
  std::optional<Meeting> meeting(const std::string&, const std::string&) override { unused(); }
  int64_t add_commitment(const Commitment&, const Actor&) override { unused(); }
  void update_commitment(const Commitment&, const Actor&) override { unused(); }
  std::vector<CommitmentRecord> commitments(const CommitmentFilter&) override { unused(); }
  std::optional<CommitmentRecord> commitment(const std::string&, const std::string&) override { unused(); }
  StatusReport report_status(const StatusReport&, const Actor&) override { unused(); }
  Assessment assess(const Assessment&, const Actor&) override { unused(); }
  std::vector<StatusReport> status_history(const std::string&, const std::string&) override { unused(); }
  std::vector<Assessment> assessments(const std::string&, const std::string&) override { unused(); }
  std::vector<StatusReport> reports_at(const std::string&, const std::string&) override { unused(); }
  std::vector<Assessment> assessments_at(const std::string&, const std::string&) override { unused(); }
  void save_contact(const Contact&, const Actor&) override { unused(); }
  std::vector<Contact> contacts() override { unused(); }
  EmergencySessionWrite call_emergency_session(const EmergencySessionWrite&, const Actor&) override { unused(); }
  int64_t data_version() override { unused(); }

 private:
  static bool due(const Notification& n, const std::string& now) {
    return n.delivered_at.empty() && n.failed_at.empty() && n.next_attempt_at <= now;
  }
  [[noreturn]] static void unused() { throw std::logic_error("not used by notification delivery"); }
  const int64_t& clock_;
};

constexpr int64_t kCalledAt = 1'767'268'800;  // 2026-01-01T12:00:00Z

Notification notice(int64_t id, Channel channel, std::string address, std::string body) {
  Notification n;
  n.id = id;
  n.declaration = "la-2022";
  n.meeting = "emergency-17-2026-01-02";
  n.party = "PAN";
  n.channel = channel;
  n.address = std::move(address);
  n.subject = "Sesión de emergencia: llegada proyectada / Emergency session";
  n.body = std::move(body);
  n.queued_at = n.next_attempt_at = rfc3339_time(kCalledAt);
  return n;
}

struct Delivery : ::testing::Test {
  int64_t clock = kCalledAt + 90;
  NotificationQueue store{clock};
  UtcClock now = [this] { return clock; };
  NotifySettings settings;
  Delivery() {
    settings.from = "atalaya@secretariat.example";
    settings.webhook_secret = "s3cret";
    settings.retry_delay = std::chrono::seconds(60);
    settings.max_attempts = 3;
    settings.timeout = std::chrono::milliseconds(5000);
  }
};

TEST_F(Delivery, AWebhookArrivesSignedAndItsTimeIsRecorded) {
  atalaya::testing::LoopbackReceiver receiver("s3cret");
  const std::string body = R"({"event":"process.emergency_session","delivery_id":"d-1","party":"PAN"})";
  store.queue = {notice(1, Channel::Webhook, receiver.url(), body)};
  const NotifyReport r = deliver_due_notifications(store, settings, now);
  EXPECT_EQ(r.delivered, 1);
  EXPECT_EQ(r.failed, 0);
  ASSERT_EQ(receiver.accepted_bodies().size(), 1u);
  EXPECT_EQ(receiver.accepted_bodies()[0], body);
  EXPECT_EQ(receiver.requests()[0].delivery_id, "d-1");
  EXPECT_TRUE(receiver.requests()[0].signature_valid);
  EXPECT_EQ(store.queue[0].attempts, 1);
  EXPECT_EQ(store.queue[0].delivered_at, "2026-01-01T12:01:30Z");
  // Delivered: not due again.
  EXPECT_EQ(deliver_due_notifications(store, settings, now).delivered, 0);
  EXPECT_EQ(receiver.requests().size(), 1u);
}

TEST_F(Delivery, AWebhookThatFailsIsRetriedAfterTheBackOff) {
  atalaya::testing::LoopbackReceiver receiver("s3cret");
  receiver.answer_first({503});
  store.queue = {notice(1, Channel::Webhook, receiver.url(), R"({"delivery_id":"d-2"})")};
  NotifyReport r = deliver_due_notifications(store, settings, now);
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(r.given_up, 0);
  EXPECT_EQ(store.queue[0].next_attempt_at, rfc3339_time(clock + 60));
  EXPECT_NE(store.queue[0].last_error.find("503"), std::string::npos) << store.queue[0].last_error;
  // Not due before the back-off has passed.
  EXPECT_EQ(deliver_due_notifications(store, settings, now).delivered, 0);
  clock += 60;
  r = deliver_due_notifications(store, settings, now);
  EXPECT_EQ(r.delivered, 1);
  EXPECT_EQ(store.queue[0].attempts, 2);
  EXPECT_EQ(store.queue[0].delivered_at, rfc3339_time(clock));
  ASSERT_EQ(receiver.requests().size(), 2u);
  EXPECT_EQ(receiver.requests()[0].delivery_id, receiver.requests()[1].delivery_id);
}

TEST_F(Delivery, AnEmailArrivesThroughTheRelay) {
  testing::LoopbackSmtpSink sink;
  settings.smtp_url = sink.url();
  store.queue = {notice(4, Channel::Email, "coordinador@pa.example",
                        "Sesión de emergencia emergency-17-2026-01-02\n.a line starting with a dot\nEnd\n")};
  const NotifyReport r = deliver_due_notifications(store, settings, now);
  EXPECT_EQ(r.delivered, 1) << (r.errors.empty() ? "" : r.errors[0]);
  ASSERT_EQ(sink.mails().size(), 1u);
  const auto mail = sink.mails()[0];
  EXPECT_EQ(mail.from, "atalaya@secretariat.example");
  EXPECT_EQ(mail.to, (std::vector<std::string>{"coordinador@pa.example"}));
  for (const char* needle :
       {"Date: Thu, 01 Jan 2026 12:01:30 +0000\r\n", "To: <coordinador@pa.example>\r\n",
        "Message-ID: <notification-4.emergency-17-2026-01-02@secretariat.example>\r\n",
        "Content-Type: text/plain; charset=utf-8\r\n", "Subject: =?UTF-8?B?",
        "\r\n\r\nSesión de emergencia emergency-17-2026-01-02\r\n.a line starting with a dot\r\nEnd\r\n"})
    EXPECT_NE(mail.data.find(needle), std::string::npos) << needle << " in\n" << mail.data;
  EXPECT_EQ(store.queue[0].delivered_at, "2026-01-01T12:01:30Z");
  EXPECT_EQ(store.queue[0].attempts, 1);
}

TEST_F(Delivery, ARecipientRefusedForNowIsRetriedThenGivenUp) {
  testing::LoopbackSmtpSink sink;
  sink.refuse_recipient("full@pa.example", 450);
  settings.smtp_url = sink.url();
  store.queue = {notice(5, Channel::Email, "full@pa.example", "text")};
  NotifyReport r = deliver_due_notifications(store, settings, now);
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(r.given_up, 0);
  EXPECT_NE(store.queue[0].last_error.find("SMTP 450"), std::string::npos) << store.queue[0].last_error;
  EXPECT_EQ(store.queue[0].next_attempt_at, rfc3339_time(clock + 60));
  clock += 60;
  r = deliver_due_notifications(store, settings, now);
  EXPECT_EQ(r.given_up, 0);
  EXPECT_EQ(store.queue[0].next_attempt_at, rfc3339_time(clock + 120)) << "the back-off doubles";
  clock += 120;
  r = deliver_due_notifications(store, settings, now);
  EXPECT_EQ(r.given_up, 1) << "three attempts used up";
  EXPECT_EQ(store.queue[0].attempts, 3);
  EXPECT_EQ(store.queue[0].failed_at, rfc3339_time(clock));
  EXPECT_TRUE(store.queue[0].delivered_at.empty());
  EXPECT_EQ(sink.recipient_attempts("full@pa.example"), 3);
  EXPECT_TRUE(sink.mails().empty());
  clock += 3600;
  EXPECT_EQ(deliver_due_notifications(store, settings, now).failed, 0) << "given up: not due again";
}

TEST_F(Delivery, AnUnknownMailboxIsGivenUpAtOnce) {
  testing::LoopbackSmtpSink sink;
  sink.refuse_recipient("nobody@pa.example", 550);
  settings.smtp_url = sink.url();
  store.queue = {notice(6, Channel::Email, "nobody@pa.example", "text"),
                 notice(7, Channel::Email, "coordinador@pa.example", "text")};
  const NotifyReport r = deliver_due_notifications(store, settings, now);
  EXPECT_EQ(r.given_up, 1);
  EXPECT_EQ(r.delivered, 1) << "one refusal holds up no other notification";
  EXPECT_FALSE(store.queue[0].failed_at.empty());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_NE(r.errors[0].find("retrying will not help"), std::string::npos) << r.errors[0];
}

TEST_F(Delivery, EmailsWaitWithoutARelay) {
  store.queue = {notice(8, Channel::Email, "coordinador@pa.example", "text")};
  const NotifyReport r = deliver_due_notifications(store, settings, now);
  EXPECT_EQ(r.no_relay, 1);
  EXPECT_EQ(store.queue[0].attempts, 0);
  EXPECT_TRUE(store.queue[0].failed_at.empty());
}

TEST_F(Delivery, ARelayDownIsRetried) {
  int port = 0;
  {
    testing::LoopbackSmtpSink gone;  // a port nothing listens on once it is closed
    port = gone.port();
  }
  settings.smtp_url = "smtp://127.0.0.1:" + std::to_string(port);
  store.queue = {notice(9, Channel::Email, "coordinador@pa.example", "text")};
  const NotifyReport r = deliver_due_notifications(store, settings, now);
  EXPECT_EQ(r.failed, 1);
  EXPECT_EQ(r.given_up, 0);
  EXPECT_FALSE(store.queue[0].next_attempt_at.empty());
}

TEST_F(Delivery, TwoDeliverersAtOnceSendEachNoticeOnce) {
  atalaya::testing::LoopbackReceiver receiver("s3cret");
  testing::LoopbackSmtpSink sink;
  settings.smtp_url = sink.url();
  store.queue = {notice(1, Channel::Webhook, receiver.url(), R"({"delivery_id":"d-1"})"),
                 notice(2, Channel::Webhook, receiver.url(), R"({"delivery_id":"d-2"})"),
                 notice(3, Channel::Email, "coordinador@pa.example", "text")};
  // The second deliverer runs whole between the first's listing and its attempts.
  NotifyReport second;
  store.after_listing = [&] { second = deliver_due_notifications(store, settings, now); };
  const NotifyReport first = deliver_due_notifications(store, settings, now);
  EXPECT_EQ(second.delivered, 3);
  EXPECT_EQ(first.delivered, 0);
  EXPECT_EQ(first.failed, 0);
  EXPECT_EQ(receiver.requests().size(), 2u);
  EXPECT_EQ(sink.mails().size(), 1u);
  for (const Notification& n : store.queue) EXPECT_EQ(n.attempts, 1) << n.id;
}

TEST(NotifySettings, BadSettingsAreNamed) {
  NotifySettings s;
  s.smtp_url = "http://relay";
  EXPECT_THROW(s.check(), std::invalid_argument);
  s.smtp_url = "smtp://127.0.0.1:2525";
  s.from = "not an address";
  try {
    s.check();
    FAIL() << "accepted";
  } catch (const std::invalid_argument& e) {
    EXPECT_EQ(std::string(e.what()).rfind("from:", 0), 0u) << e.what();
  }
}

TEST(SmtpMail, AnAsciiSubjectStaysAndAUtf8OneIsEncodedWithoutCuttingACharacter) {
  EXPECT_EQ(encoded_subject("Emergency session"), "Emergency session");
  EXPECT_EQ(encoded_subject("Sesión"), "=?UTF-8?B?U2VzacOzbg==?=");
  const std::string long_subject(44, 'a');
  const std::string folded = encoded_subject(long_subject + "ó and more");
  // 44 ASCII bytes then the two bytes of ó: the first word stops before ó.
  std::string aaa;
  for (int i = 0; i < 14; ++i) aaa += "YWFh";  // "aaa" 14 times, then "aa"
  EXPECT_EQ(folded.substr(0, folded.find("\r\n")), "=?UTF-8?B?" + aaa + "YWE=?=");
  for (size_t start = 0, end; start < folded.size(); start = end + 3) {
    end = folded.find("\r\n ", start);
    if (end == std::string::npos) end = folded.size();
    EXPECT_LE(end - start, 75u);
  }
  EXPECT_EQ(rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
}

TEST(NotificationTimes, MeasuredFromFirstRaisedAndFromTheCall) {
  Meeting m;
  m.event_raised_at = "2026-01-01T06:00:00Z";
  m.called_at = "2026-01-01T12:00:00Z";
  Notification n;
  EXPECT_FALSE(notification_times(m, n).since_raised) << "undelivered: nothing measured";
  n.delivered_at = "2026-01-01T12:01:30Z";
  const NotificationTimes t = notification_times(m, n);
  ASSERT_TRUE(t.since_raised && t.since_called);
  EXPECT_EQ(*t.since_raised, 6 * 3600 + 90);
  EXPECT_EQ(*t.since_called, 90);
  EXPECT_EQ(duration_text(90), "1 min 30 s");
  EXPECT_EQ(duration_text(6 * 3600 + 90), "6 h 01 min");
  EXPECT_EQ(duration_text(3 * 86400 + 7200), "3 d 2 h");
  EXPECT_EQ(duration_text(42), "42 s");
}

TEST(NotificationDeliveryId, FromTheBodyElseTheId) {
  Notification n;
  n.id = 12;
  n.body = R"({"delivery_id":"abc"})";
  EXPECT_EQ(notification_delivery_id(n), "abc");
  n.body = "plain text";
  EXPECT_EQ(notification_delivery_id(n), "process-notification-12");
}

}  // namespace
}  // namespace atalaya::process
