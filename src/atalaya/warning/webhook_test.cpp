// Tests for webhooks (webhook.h): HMAC-SHA256 against RFC 4231, the body and
// headers a receiver sees, and delivery to a real receiver on 127.0.0.1 that
// answers, refuses, is down at first, or hangs. Sleeps between attempts are
// recorded instead of slept, so the retry tests are fast and exact.
#include "atalaya/warning/webhook.h"

#include <gtest/gtest.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "atalaya/warning/alert_json.h"
#include "atalaya/warning/loopback_receiver_testing.h"
#include "atalaya/warning/sample_alert_testing.h"

namespace atalaya {
namespace {

using namespace std::chrono_literals;
using testing::LoopbackReceiver;

TEST(WebhookTest, HmacSha256MatchesRfc4231) {
  // RFC 4231 section 4: test cases 1, 2, 3, 4, 6 and 7 (5 is truncated output).
  EXPECT_EQ(hmac_sha256_hex(std::string(20, '\x0b'), "Hi There"),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
  EXPECT_EQ(hmac_sha256_hex("Jefe", "what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  EXPECT_EQ(hmac_sha256_hex(std::string(20, '\xaa'), std::string(50, '\xdd')),
            "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
  std::string key4;
  for (char c = 1; c <= 25; ++c) key4 += c;
  EXPECT_EQ(hmac_sha256_hex(key4, std::string(50, '\xcd')),
            "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
  const std::string long_key(131, '\xaa');
  EXPECT_EQ(hmac_sha256_hex(long_key, "Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
  EXPECT_EQ(hmac_sha256_hex(long_key,
                            "This is a test using a larger than block-size key and a larger than block-size data. "
                            "The key needs to be hashed before being used by the HMAC algorithm."),
            "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2");
  // An empty secret is a zero-length key, not "no key".
  EXPECT_EQ(hmac_sha256_hex("", ""), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
}

TEST(WebhookTest, SignatureVerifiesOnlyTheSameSecretAndBody) {
  const std::string sig = webhook_signature("s3cret", "{\"a\":1}");
  EXPECT_EQ(sig.substr(0, 7), "sha256=");
  EXPECT_TRUE(verify_webhook_signature("s3cret", "{\"a\":1}", sig));
  EXPECT_FALSE(verify_webhook_signature("s3cret", "{\"a\":2}", sig));
  EXPECT_FALSE(verify_webhook_signature("other", "{\"a\":1}", sig));
  EXPECT_FALSE(verify_webhook_signature("s3cret", "{\"a\":1}", sig.substr(7)));
  EXPECT_FALSE(verify_webhook_signature("s3cret", "{\"a\":1}", ""));
}

TEST(WebhookTest, BodyCarriesEventDeliveryIdAndAlert) {
  const Alert alert = testing::sample_upstream_alert();
  const auto j = nlohmann::json::parse(webhook_body(AlertEvent::Acknowledged, "d-1", alert));
  EXPECT_EQ(j["event"], "alert.acknowledged");
  EXPECT_EQ(j["delivery_id"], "d-1");
  EXPECT_EQ(j["alert"], alert_to_json(alert));
  for (auto e : {AlertEvent::Opened, AlertEvent::Updated, AlertEvent::Acknowledged, AlertEvent::Resolved,
                 AlertEvent::Expired})
    EXPECT_EQ(parse_alert_event(alert_event_name(e)), e);
  EXPECT_FALSE(parse_alert_event("alert.deleted"));
}

TEST(WebhookTest, DeliveryIdsAreDistinctVersion4Uuids) {
  std::set<std::string> ids;
  for (int i = 0; i < 100; ++i) {
    const std::string id = new_delivery_id();
    ASSERT_EQ(id.size(), 36u) << id;
    EXPECT_EQ(id[8], '-');
    EXPECT_EQ(id[14], '4') << id;
    EXPECT_NE(std::string("89ab").find(id[19]), std::string::npos) << id;
    ids.insert(id);
  }
  EXPECT_EQ(ids.size(), 100u);
}

TEST(WebhookTest, RetryPolicyDelaysGrowAndAreCapped) {
  RetryPolicy p{.max_attempts = 8, .initial_delay = 500ms, .factor = 3.0, .max_delay = 10s};
  EXPECT_EQ(p.delay_before(2), 500ms);
  EXPECT_EQ(p.delay_before(3), 1500ms);
  EXPECT_EQ(p.delay_before(4), 4500ms);
  EXPECT_EQ(p.delay_before(5), 10s);
  EXPECT_EQ(p.delay_before(500), 10s);
  EXPECT_THROW((RetryPolicy{.max_attempts = 0}.check()), std::invalid_argument);
  EXPECT_THROW((RetryPolicy{.factor = 0.5}.check()), std::invalid_argument);
  EXPECT_THROW((RetryPolicy{.initial_delay = -1ms}.check()), std::invalid_argument);
}

TEST(WebhookTest, UrlsMustBeHttpWithAHost) {
  EXPECT_NO_THROW(check_webhook_url("http://127.0.0.1:8080/hook"));
  EXPECT_NO_THROW(check_webhook_url("HTTPS://alerts.example.org/atalaya"));
  EXPECT_THROW(check_webhook_url("ftp://example.org/"), std::invalid_argument);
  EXPECT_THROW(check_webhook_url("file:///etc/passwd"), std::invalid_argument);
  EXPECT_THROW(check_webhook_url("http:///nohost"), std::invalid_argument);
  EXPECT_THROW(check_webhook_url("http://exa mple.org/"), std::invalid_argument);
  EXPECT_THROW(check_webhook_url("example.org/hook"), std::invalid_argument);
}

// What deliver() did: every attempt the observer saw and every wait asked for.
struct Recorder {
  std::vector<DeliveryAttempt> attempts;
  std::vector<std::chrono::milliseconds> sleeps;
  AttemptObserver observer() {
    return [this](const DeliveryAttempt& a) { attempts.push_back(a); };
  }
  Sleeper sleeper() {
    return [this](std::chrono::milliseconds d) { sleeps.push_back(d); };
  }
};

const RetryPolicy kFastPolicy{.max_attempts = 4, .initial_delay = 100ms, .factor = 2.0, .max_delay = 5s};

TEST(WebhookTest, ReceiverGetsEachAlertOnceWithValidSignature) {
  LoopbackReceiver receiver("task-force-secret");
  const WebhookTarget target{receiver.url(), "task-force-secret", 5s};
  const std::vector<Alert> alerts = {testing::sample_surge_alert(), testing::sample_upstream_alert()};
  std::vector<std::string> bodies;
  for (const Alert& alert : alerts) {
    const std::string id = new_delivery_id();
    bodies.push_back(webhook_body(AlertEvent::Opened, id, alert));
    Recorder rec;
    const DeliveryResult r = deliver(target, bodies.back(), id, kFastPolicy, rec.observer(), rec.sleeper());
    EXPECT_EQ(r.outcome, DeliveryOutcome::Delivered);
    ASSERT_EQ(r.attempts.size(), 1u);
    EXPECT_EQ(r.attempts[0].http_status, 200);
    EXPECT_TRUE(r.attempts[0].error.empty()) << r.attempts[0].error;
    EXPECT_EQ(rec.attempts.size(), 1u);
    EXPECT_TRUE(rec.sleeps.empty());
  }
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), alerts.size());
  for (size_t i = 0; i < requests.size(); ++i) {
    const auto& req = requests[i];
    EXPECT_TRUE(req.signature_valid) << req.signature;
    EXPECT_EQ(req.body, bodies[i]);
    EXPECT_EQ(req.content_type, "application/json");
    EXPECT_EQ(req.user_agent.substr(0, 8), "atalaya/");
    const auto j = nlohmann::json::parse(req.body);
    EXPECT_EQ(j["delivery_id"], req.delivery_id);
    EXPECT_EQ(j["alert"]["id"], alerts[i].id);
  }
  EXPECT_EQ(receiver.accepted_bodies(), bodies);
}

TEST(WebhookTest, WrongSecretIsRefusedByTheReceiverAndNotRetried) {
  LoopbackReceiver receiver("right");
  const WebhookTarget target{receiver.url(), "wrong", 5s};
  Recorder rec;
  const auto r = deliver(target, "{}", "d-wrong", kFastPolicy, rec.observer(), rec.sleeper());
  EXPECT_EQ(r.outcome, DeliveryOutcome::Rejected);
  EXPECT_EQ(r.attempts.at(0).http_status, 401);
  EXPECT_TRUE(receiver.accepted_bodies().empty());
}

TEST(WebhookTest, ServiceUnavailableTwiceThenDeliveredAfterBackOff) {
  LoopbackReceiver receiver("k");
  receiver.answer_first({503, 503});
  const std::string body = webhook_body(AlertEvent::Opened, "d-503", testing::sample_surge_alert());
  Recorder rec;
  const auto r = deliver({receiver.url(), "k", 5s}, body, "d-503", kFastPolicy, rec.observer(), rec.sleeper());
  EXPECT_EQ(r.outcome, DeliveryOutcome::Delivered);
  ASSERT_EQ(rec.attempts.size(), 3u);
  EXPECT_EQ(rec.attempts[0].http_status, 503);
  EXPECT_TRUE(rec.attempts[0].retryable);
  EXPECT_NE(rec.attempts[0].error.find("HTTP 503: refused by test receiver"), std::string::npos)
      << rec.attempts[0].error;
  EXPECT_EQ(rec.attempts[1].number, 2);
  EXPECT_EQ(rec.attempts[2].http_status, 200);
  EXPECT_EQ(rec.sleeps, (std::vector<std::chrono::milliseconds>{100ms, 200ms}));
  // Three requests, all the same delivery, accepted once.
  const auto requests = receiver.requests();
  ASSERT_EQ(requests.size(), 3u);
  for (const auto& req : requests) {
    EXPECT_EQ(req.delivery_id, "d-503");
    EXPECT_EQ(req.body, body);
    EXPECT_TRUE(req.signature_valid);
  }
  EXPECT_EQ(receiver.accepted_bodies(), std::vector<std::string>{body});
}

TEST(WebhookTest, ReceiverDownAtFirstGetsItOnceItStarts) {
  // A port that was free a moment ago and now has no listener.
  int port = 0;
  { port = LoopbackReceiver("k").port(); }
  const std::string url = "http://127.0.0.1:" + std::to_string(port) + "/hook";
  std::unique_ptr<LoopbackReceiver> receiver;
  Recorder rec;
  int sleeps = 0;
  // The receiver comes up during the second wait.
  Sleeper sleep = [&](std::chrono::milliseconds d) {
    rec.sleeps.push_back(d);
    if (++sleeps == 2) receiver = std::make_unique<LoopbackReceiver>("k", port);
  };
  const std::string body = webhook_body(AlertEvent::Opened, "d-down", testing::sample_upstream_alert());
  const auto r = deliver({url, "k", 5s}, body, "d-down", kFastPolicy, rec.observer(), sleep);
  EXPECT_EQ(r.outcome, DeliveryOutcome::Delivered);
  ASSERT_EQ(rec.attempts.size(), 3u);
  for (int i = 0; i < 2; ++i) {
    EXPECT_EQ(rec.attempts[i].http_status, 0);
    EXPECT_TRUE(rec.attempts[i].retryable);
    EXPECT_FALSE(rec.attempts[i].error.empty());
  }
  EXPECT_EQ(rec.attempts[2].http_status, 200);
  ASSERT_TRUE(receiver);
  EXPECT_EQ(receiver->accepted_bodies(), std::vector<std::string>{body});
}

TEST(WebhookTest, GivesUpAfterMaxAttemptsAndReportsEach) {
  LoopbackReceiver receiver("k");
  receiver.answer_first({500, 502, 503, 504, 500});
  Recorder rec;
  const auto r = deliver({receiver.url(), "k", 5s}, "{}", "d-500", kFastPolicy, rec.observer(), rec.sleeper());
  EXPECT_EQ(r.outcome, DeliveryOutcome::GaveUp);
  ASSERT_EQ(rec.attempts.size(), 4u);
  EXPECT_EQ(r.attempts.size(), 4u);
  EXPECT_EQ(rec.attempts[3].http_status, 504);
  EXPECT_EQ(rec.sleeps, (std::vector<std::chrono::milliseconds>{100ms, 200ms, 400ms}));
  EXPECT_EQ(receiver.requests().size(), 4u);
  EXPECT_TRUE(receiver.accepted_bodies().empty());
}

TEST(WebhookTest, BadRequestIsNotRetriedAndIsReported) {
  LoopbackReceiver receiver("k");
  receiver.answer_first({400});
  Recorder rec;
  const auto r = deliver({receiver.url(), "k", 5s}, "{}", "d-400", kFastPolicy, rec.observer(), rec.sleeper());
  EXPECT_EQ(r.outcome, DeliveryOutcome::Rejected);
  ASSERT_EQ(rec.attempts.size(), 1u);
  EXPECT_EQ(rec.attempts[0].http_status, 400);
  EXPECT_FALSE(rec.attempts[0].retryable);
  EXPECT_NE(rec.attempts[0].error.find("HTTP 400"), std::string::npos) << rec.attempts[0].error;
  EXPECT_TRUE(rec.sleeps.empty());
  EXPECT_EQ(receiver.requests().size(), 1u);
}

TEST(WebhookTest, TooManyRequestsHonoursRetryAfter) {
  LoopbackReceiver receiver("k");
  receiver.answer_first({429}, 3);
  Recorder rec;
  const auto r = deliver({receiver.url(), "k", 5s}, "{}", "d-429", kFastPolicy, rec.observer(), rec.sleeper());
  EXPECT_EQ(r.outcome, DeliveryOutcome::Delivered);
  ASSERT_EQ(rec.attempts.size(), 2u);
  EXPECT_EQ(rec.attempts[0].retry_after, std::chrono::seconds(3));
  EXPECT_EQ(rec.sleeps, std::vector<std::chrono::milliseconds>{3000ms});
}

TEST(WebhookTest, RetryAfterBeyondMaxDelayLeavesItForTheNextRun) {
  LoopbackReceiver receiver("k");
  receiver.answer_first({503}, 120);
  Recorder rec;
  const auto r = deliver({receiver.url(), "k", 5s}, "{}", "d-later", kFastPolicy, rec.observer(), rec.sleeper());
  EXPECT_EQ(r.outcome, DeliveryOutcome::GaveUp);
  EXPECT_EQ(rec.attempts.size(), 1u);
  EXPECT_EQ(rec.attempts[0].retry_after, std::chrono::seconds(120));
  EXPECT_TRUE(rec.sleeps.empty());
}

TEST(WebhookTest, AttemptTimesOutOnAReceiverThatDoesNotAnswer) {
  LoopbackReceiver receiver("k");
  receiver.hold_answers();  // answers only when the receiver is destroyed
  const DeliveryAttempt a = post_once({receiver.url(), "k", 300ms}, "{}", "d-slow");
  EXPECT_EQ(a.http_status, 0);
  EXPECT_TRUE(a.retryable);
  EXPECT_NE(a.error.find("timed out"), std::string::npos) << a.error;
  EXPECT_FALSE(a.ok());
}

TEST(WebhookTest, NonHttpUrlIsRejectedWithoutTrying) {
  Recorder rec;
  const auto r = deliver({"ftp://127.0.0.1/hook", "k", 1s}, "{}", "d-ftp", kFastPolicy, rec.observer(),
                         rec.sleeper());
  EXPECT_EQ(r.outcome, DeliveryOutcome::Rejected);
  ASSERT_EQ(rec.attempts.size(), 1u);
  EXPECT_NE(rec.attempts[0].error.find("http:// or https://"), std::string::npos) << rec.attempts[0].error;
  EXPECT_EQ(delivery_outcome_name(r.outcome), "rejected");
}

TEST(WebhookTest, DeliveryIdCannotInjectHeaders) {
  LoopbackReceiver receiver("k");
  const DeliveryAttempt a = post_once({receiver.url(), "k", 5s}, "{}", "d-1\r\nX-Evil: yes");
  EXPECT_FALSE(a.ok());
  EXPECT_FALSE(a.retryable);
  EXPECT_NE(a.error.find("line break"), std::string::npos) << a.error;
  EXPECT_TRUE(receiver.requests().empty());
}

}  // namespace
}  // namespace atalaya
