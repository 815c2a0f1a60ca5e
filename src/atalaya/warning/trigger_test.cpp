// Trigger files: a trigger never adds the series of several sources.
#include "atalaya/warning/trigger.h"

#include <gtest/gtest.h>

#include "atalaya/core/input_error.h"

namespace atalaya {
namespace {

std::string trigger_file(const std::string& selection) {
  return R"([[trigger]]
id = "surge"
name = "Surge"
rule = "growth"
severity = "severe"
)" + selection + R"(
compare = "trailing_mean"
window = 3
ratio = 2.0
)";
}

std::string refusal(const std::string& text) {
  try {
    parse_trigger_file(text, "t.toml");
  } catch (const InputError& e) {
    return e.what();
  }
  return "(accepted)";
}

TEST(TriggerFile, SeveralSourcesMustBeJudgedApart) {
  const std::string why = refusal(trigger_file(R"(select = { event = ["encounter"] }
group_by = ["citizenship"])"));
  EXPECT_NE(why.find("group_by"), std::string::npos) << why;
  EXPECT_NE(why.find("never added"), std::string::npos) << why;
  EXPECT_EQ(refusal(trigger_file(R"(select = { event = ["encounter"] }
group_by = ["source", "citizenship"])")), "(accepted)");
  EXPECT_EQ(refusal(trigger_file(R"(select = { source = "pa-snm-darien" }
group_by = ["citizenship"])")), "(accepted)");
}

// A [[webhook]]'s delivery settings: defaults when absent, checked when given.
TEST(TriggerFile, WebhookDeliverySettingsHaveDefaultsAndBounds) {
  const std::string base = trigger_file(R"(select = { source = "pa-snm-darien" }
group_by = ["citizenship"])") + "\n[[webhook]]\nurl = \"https://hooks.example.org/a\"\n";
  const TriggerSet plain = parse_trigger_file(base, "t.toml");
  ASSERT_EQ(plain.webhooks.size(), 1u);
  EXPECT_EQ(plain.webhooks[0].timeout, std::chrono::milliseconds(10'000));
  EXPECT_EQ(plain.webhooks[0].breaker_failures, 5);
  const TriggerSet set = parse_trigger_file(base + R"(timeout_seconds = 2.5
connect_timeout_seconds = 5
max_attempts = 3
retry_delay_seconds = 0
breaker_failures = 1
breaker_cooldown_seconds = 60
)", "t.toml");
  const WebhookEndpoint& w = set.webhooks.at(0);
  EXPECT_EQ(w.timeout, std::chrono::milliseconds(2'500));
  EXPECT_EQ(w.connect_timeout, std::chrono::milliseconds(2'500));  // never beyond the whole attempt's
  EXPECT_EQ(w.max_attempts, 3);
  EXPECT_EQ(w.retry_delay, std::chrono::seconds(0));
  EXPECT_EQ(w.breaker_failures, 1);
  EXPECT_EQ(w.breaker_cooldown, std::chrono::seconds(60));

  const std::string unbounded = refusal(base + "timeout_seconds = 0\n");
  EXPECT_NE(unbounded.find("webhook.timeout_seconds"), std::string::npos) << unbounded;
  EXPECT_NE(unbounded.find("from 0.1 to 120"), std::string::npos) << unbounded;
  EXPECT_NE(refusal(base + "max_attempts = 2.5\n").find("a whole number"), std::string::npos);
  EXPECT_NE(refusal(base + "follow_redirects = true\n").find("webhook.follow_redirects"), std::string::npos);
}

}  // namespace
}  // namespace atalaya
