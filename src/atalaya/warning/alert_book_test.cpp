#include "atalaya/warning/alert_book.h"

#include <gtest/gtest.h>

namespace atalaya {
namespace {

Period month(const char* text) { return *Period::parse(text); }

Firing surge(const char* period, Severity severity = Severity::Moderate, const char* who = "HTI") {
  Firing f;
  f.trigger = "darien-surge";
  f.trigger_name = "Surge at the Darién";
  f.rule = "growth";
  f.key = {{"citizenship", who}, {"source", "pa-snm-darien"}};
  f.period = month(period);
  f.severity = severity;
  f.evidence.value = 13141;
  f.evidence.explanation = "13,141 is 3.4 times the trailing mean";
  return f;
}

Evaluated seen(const char* period, const char* who = "HTI") {
  return {{evaluated_key("darien-surge", "citizenship=" + std::string(who) + ";source=pa-snm-darien"), month(period)}};
}

TEST(AlertBook, AFirstFiringOpensAnAlertAndQueuesANotification) {
  std::vector<Alert> active;
  auto updates = merge_firings(active, {surge("2021-06")}, seen("2021-06"), {});
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].kind, AlertChangeKind::Opened);
  EXPECT_EQ(updates[0].write.notify, "alert.opened");
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].status, AlertStatus::Open);
  EXPECT_EQ(active[0].history.size(), 1u);
}

TEST(AlertBook, ConsecutiveMonthsExtendOneAlert) {
  std::vector<Alert> active;
  merge_firings(active, {surge("2021-06")}, seen("2021-06"), {});
  auto updates = merge_firings(active, {surge("2021-07")}, seen("2021-07"), {});
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].kind, AlertChangeKind::Extended);
  EXPECT_EQ(updates[0].write.notify, "");
  ASSERT_EQ(active.size(), 1u);
  EXPECT_EQ(active[0].first_period.to_string(), "2021-06");
  EXPECT_EQ(active[0].last_period.to_string(), "2021-07");
}

TEST(AlertBook, ReEvaluatingTheSameMonthChangesNothing) {
  std::vector<Alert> active;
  merge_firings(active, {surge("2021-06")}, seen("2021-06"), {});
  EXPECT_TRUE(merge_firings(active, {surge("2021-06")}, seen("2021-06"), {}).empty());
  EXPECT_EQ(active.size(), 1u);
}

TEST(AlertBook, HigherSeverityEscalatesAndNotifies) {
  std::vector<Alert> active;
  merge_firings(active, {surge("2021-06")}, seen("2021-06"), {});
  auto updates = merge_firings(active, {surge("2021-07", Severity::Severe)}, seen("2021-07"), {});
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].kind, AlertChangeKind::Escalated);
  EXPECT_EQ(updates[0].write.notify, "alert.escalated");
  EXPECT_EQ(active[0].severity, Severity::Severe);
}

TEST(AlertBook, AQuietKeyExpiresAfterThePolicyMonths) {
  std::vector<Alert> active;
  merge_firings(active, {surge("2021-06")}, seen("2021-06"), {});
  EXPECT_TRUE(merge_firings(active, {}, seen("2021-07"), {}).empty());  // one quiet month: still active
  auto updates = merge_firings(active, {}, seen("2021-08"), {});
  ASSERT_EQ(updates.size(), 1u);
  EXPECT_EQ(updates[0].kind, AlertChangeKind::Expired);
  EXPECT_EQ(updates[0].write.alert.status, AlertStatus::Expired);
  EXPECT_TRUE(active.empty());
  // A new firing after expiry opens a new alert.
  auto again = merge_firings(active, {surge("2021-10")}, seen("2021-10"), {});
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].kind, AlertChangeKind::Opened);
}

TEST(AlertBook, KeysNotEvaluatedAreLeftAlone) {
  std::vector<Alert> active;
  merge_firings(active, {surge("2021-06")}, seen("2021-06"), {});
  EXPECT_TRUE(merge_firings(active, {}, seen("2021-12", "VEN"), {}).empty());
  EXPECT_EQ(active.size(), 1u);
}

TEST(AlertBook, DifferentKeysGetDifferentAlerts) {
  std::vector<Alert> active;
  merge_firings(active, {surge("2021-06"), surge("2021-06", Severity::Minor, "VEN")}, {}, {});
  EXPECT_EQ(active.size(), 2u);
}

}  // namespace
}  // namespace atalaya
