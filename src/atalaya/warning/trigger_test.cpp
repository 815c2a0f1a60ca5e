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

std::string upstream_file(const std::string& extra) {
  return std::string(R"([[trigger]]
id = "up"
rule = "upstream"
route = ")") + ATALAYA_SOURCE_DIR + R"(/routes/darien-north.toml"
condition = "growth"
compare = "trailing_mean"
window = 3
ratio = 2.0
)" + extra;
}

TEST(TriggerFile, UpstreamWindowCoverageAndWhatItIsAWindowOf) {
  TriggerSet set = parse_trigger_file(upstream_file(""), "t.toml");
  EXPECT_DOUBLE_EQ(set.triggers.at(0).window_coverage, 0.8);  // the defaults
  EXPECT_TRUE(set.triggers.at(0).window_to_peak);
  set = parse_trigger_file(upstream_file("window_coverage = 0.9\nwindow_of = \"arrival\"\n"), "t.toml");
  EXPECT_DOUBLE_EQ(set.triggers.at(0).window_coverage, 0.9);
  EXPECT_FALSE(set.triggers.at(0).window_to_peak);

  std::string why = refusal(upstream_file("window_coverage = 1.0\n"));
  EXPECT_NE(why.find("t.toml:9"), std::string::npos) << why;
  EXPECT_NE(why.find("window_coverage"), std::string::npos) << why;
  EXPECT_NE(why.find("0.5 to below 1"), std::string::npos) << why;
  why = refusal(upstream_file("window_of = \"start\"\n"));
  EXPECT_NE(why.find("window_of"), std::string::npos) << why;
  EXPECT_NE(why.find("\"peak\" or \"arrival\""), std::string::npos) << why;
  why = refusal(trigger_file("select = { source = \"pa-snm-darien\" }\nwindow_coverage = 0.8"));
  EXPECT_NE(why.find("only with rule = \"upstream\""), std::string::npos) << why;
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
