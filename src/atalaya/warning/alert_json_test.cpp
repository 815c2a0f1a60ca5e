// Tests for the JSON form of alerts (alert_json.h): every field survives a
// round trip through text, the shape is what receivers read, missing data is
// null, and bad input names the field.
#include "atalaya/warning/alert_json.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "atalaya/warning/sample_alert_testing.h"

namespace atalaya {
namespace {

using nlohmann::json;

// Equal, or both NaN (a missing number survives the trip as NaN).
bool same_number(double x, double y) { return (std::isnan(x) && std::isnan(y)) || x == y; }

void expect_same_alert(const Alert& a, const Alert& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.trigger, b.trigger);
  EXPECT_EQ(a.trigger_name, b.trigger_name);
  EXPECT_EQ(a.rule, b.rule);
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.first_period, b.first_period);
  EXPECT_EQ(a.last_period, b.last_period);
  EXPECT_EQ(a.severity, b.severity);
  EXPECT_EQ(a.status, b.status);
  EXPECT_PRED2(same_number, a.evidence.value, b.evidence.value);
  EXPECT_PRED2(same_number, a.evidence.baseline, b.evidence.baseline);
  EXPECT_PRED2(same_number, a.evidence.threshold, b.evidence.threshold);
  EXPECT_PRED2(same_number, a.evidence.score, b.evidence.score);
  EXPECT_EQ(a.evidence.explanation, b.evidence.explanation);
  EXPECT_EQ(a.evidence.recent_start, b.evidence.recent_start);
  ASSERT_EQ(a.evidence.recent.size(), b.evidence.recent.size());
  for (size_t i = 0; i < a.evidence.recent.size(); ++i)
    EXPECT_PRED2(same_number, a.evidence.recent[i], b.evidence.recent[i]) << i;
  EXPECT_EQ(a.evidence.source_checkpoint, b.evidence.source_checkpoint);
  EXPECT_EQ(a.window_from, b.window_from);
  EXPECT_EQ(a.window_to, b.window_to);
  EXPECT_EQ(a.created_at, b.created_at);
  EXPECT_EQ(a.updated_at, b.updated_at);
  ASSERT_EQ(a.history.size(), b.history.size());
  for (size_t i = 0; i < a.history.size(); ++i) {
    EXPECT_EQ(a.history[i].at, b.history[i].at);
    EXPECT_EQ(a.history[i].actor, b.history[i].actor);
    EXPECT_EQ(a.history[i].status, b.history[i].status);
    EXPECT_EQ(a.history[i].note, b.history[i].note);
  }
}

Alert round_trip(const Alert& a) { return alert_from_json(json::parse(alert_to_json(a).dump())); }

TEST(AlertJsonTest, SurgeAlertRoundTripsThroughText) {
  const Alert a = testing::sample_surge_alert();
  expect_same_alert(a, round_trip(a));
}

TEST(AlertJsonTest, UpstreamAlertWithWindowAndHistoryRoundTrips) {
  const Alert a = testing::sample_upstream_alert();
  expect_same_alert(a, round_trip(a));
}

TEST(AlertJsonTest, ShapeIsWhatReceiversRead) {
  const json j = alert_to_json(testing::sample_upstream_alert());
  EXPECT_EQ(j["id"], 43);
  EXPECT_EQ(j["key"], (json{{"checkpoint", "mx-tapachula"}, {"citizenship", "VEN"}}));
  EXPECT_EQ(j["first_period"], "2022-09");
  EXPECT_EQ(j["severity"], "extreme");
  EXPECT_EQ(j["status"], "acknowledged");
  EXPECT_EQ(j["window"], (json{{"from", "2022-10"}, {"to", "2022-11"}}));
  EXPECT_EQ(j["evidence"]["recent_start"], "2022-07");
  EXPECT_EQ(j["evidence"]["recent"], (json{10000, 25000, 38399}));
  EXPECT_EQ(j["evidence"]["source_checkpoint"], "pa-snm-darien");
  EXPECT_EQ(j["history"][1]["actor"], "maria");
  EXPECT_EQ(j["history"][1]["status"], "acknowledged");
  EXPECT_TRUE(alert_to_json(testing::sample_surge_alert())["window"].is_null());
}

TEST(AlertJsonTest, MissingMonthsAndNumbersAreNull) {
  Alert a = testing::sample_surge_alert();
  a.evidence.recent = {1, std::numeric_limits<double>::quiet_NaN(), 3};
  a.evidence.baseline = std::numeric_limits<double>::quiet_NaN();
  const json j = alert_to_json(a);
  EXPECT_TRUE(j["evidence"]["recent"][1].is_null());
  EXPECT_TRUE(j["evidence"]["baseline"].is_null());
  const Alert back = round_trip(a);
  EXPECT_TRUE(std::isnan(back.evidence.baseline));
  expect_same_alert(a, back);

  AlertEvidence empty;
  EXPECT_TRUE(evidence_to_json(empty)["recent_start"].is_null());
  EXPECT_FALSE(evidence_from_json(evidence_to_json(empty)).recent_start.valid());
}

TEST(AlertJsonTest, EvidenceAloneRoundTrips) {
  const AlertEvidence e = testing::sample_upstream_alert().evidence;
  const AlertEvidence back = evidence_from_json(json::parse(evidence_to_json(e).dump()));
  EXPECT_EQ(back.recent, e.recent);
  EXPECT_EQ(back.recent_start, e.recent_start);
  EXPECT_EQ(back.explanation, e.explanation);
  EXPECT_EQ(back.score, e.score);
  EXPECT_EQ(back.source_checkpoint, e.source_checkpoint);
}

std::string error_of(const json& j) {
  try {
    alert_from_json(j);
  } catch (const AlertJsonError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(AlertJsonTest, BadInputNamesTheField) {
  const json good = alert_to_json(testing::sample_upstream_alert());
  auto with = [&](const json::json_pointer& ptr, json v) {
    json j = good;
    j[ptr] = std::move(v);
    return j;
  };
  EXPECT_NE(error_of(with("/severity"_json_pointer, "dire")).find("'severity'"), std::string::npos);
  EXPECT_NE(error_of(with("/first_period"_json_pointer, "2022-Q3")).find("'first_period'"), std::string::npos);
  EXPECT_NE(error_of(with("/evidence/recent/1"_json_pointer, "many")).find("'evidence.recent[1]'"),
            std::string::npos);
  EXPECT_NE(error_of(with("/history/1/status"_json_pointer, "closed")).find("'history[1].status'"),
            std::string::npos);
  EXPECT_NE(error_of(with("/window/to"_json_pointer, nullptr)).find("'window.to'"), std::string::npos);
  EXPECT_NE(error_of(with("/key/citizenship"_json_pointer, 7)).find("'key.citizenship'"), std::string::npos);
  json no_trigger = good;
  no_trigger.erase("trigger");
  EXPECT_NE(error_of(no_trigger).find("'trigger'"), std::string::npos);
  EXPECT_NE(error_of(json::array()).find("expected an object"), std::string::npos);
}

}  // namespace
}  // namespace atalaya
