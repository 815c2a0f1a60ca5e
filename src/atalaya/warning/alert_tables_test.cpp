#include <gtest/gtest.h>

#include "atalaya/core/error.h"
#include "atalaya/store/audit/audit_log.h"
#include "atalaya/store/sql/test_database_testing.h"
#include "atalaya/store/sqlite/temp_db_testing.h"
#include "atalaya/warning/alert_store.h"

namespace atalaya {
namespace {

Alert darien_alert() {
  Alert a;
  a.trigger = "upstream-surge";
  a.trigger_name = "Surge upstream";
  a.rule = "upstream";
  a.key = {{"checkpoint", "us-border"}, {"citizenship", "HTI"}};
  a.first_period = a.last_period = *Period::parse("2021-07");
  a.severity = Severity::Severe;
  a.evidence.value = 13141;
  a.evidence.baseline = 3862;
  a.evidence.explanation = "13,141 is 3.4 times the trailing mean";
  a.evidence.recent_start = *Period::parse("2021-05");
  a.evidence.recent = {1851, 5293, 13141};
  a.evidence.source_checkpoint = "darien";
  a.window_from = Period::parse("2021-08");
  a.window_to = Period::parse("2021-10");
  a.history.push_back({"", "atalaya watch", AlertStatus::Open, "opened"});
  return a;
}

class AlertStoreContract : public sql::BackendTest {};

TEST_P(AlertStoreContract, AnAlertRoundTripsWithEvidenceWindowAndHistory) {
  sql::TestDatabase db(GetParam());
  auto store = open_alert_store(db.location());
  std::vector<AlertWrite> writes{{darien_alert(), "alert.opened"}};
  store->save_alerts(writes, {"http://127.0.0.1:9/hook"});
  ASSERT_GT(writes[0].alert.id, 0);
  auto back = store->alert(writes[0].alert.id);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->key_text(), "checkpoint=us-border;citizenship=HTI");
  EXPECT_EQ(back->severity, Severity::Severe);
  EXPECT_EQ(back->evidence.recent, (std::vector<double>{1851, 5293, 13141}));
  EXPECT_EQ(back->evidence.recent_start.to_string(), "2021-05");
  EXPECT_EQ(back->evidence.source_checkpoint, "darien");
  EXPECT_EQ(back->window_to->to_string(), "2021-10");
  ASSERT_EQ(back->history.size(), 1u);
  EXPECT_FALSE(back->history[0].at.empty());
  EXPECT_FALSE(store->alert(999));
}

TEST_P(AlertStoreContract, LifecycleChangesAreRecordedAndClosedAlertsStayClosed) {
  sql::TestDatabase db(GetParam());
  auto store = open_alert_store(db.location());
  std::vector<AlertWrite> writes{{darien_alert(), ""}};
  store->save_alerts(writes, {});
  int64_t id = writes[0].alert.id;
  auto acked = store->change_alert_status(id, AlertStatus::Acknowledged, "maria", "task force informed");
  EXPECT_EQ(acked.status, AlertStatus::Acknowledged);
  EXPECT_THROW(store->change_alert_status(id, AlertStatus::Acknowledged, "maria", ""), Error);
  store->change_alert_status(id, AlertStatus::Resolved, "jose", "flow back to normal");
  try {
    store->change_alert_status(id, AlertStatus::Acknowledged, "maria", "");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::Conflict) << e.what();
  }
  try {
    store->change_alert_status(42, AlertStatus::Resolved, "x", "");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::NotFound);
    EXPECT_EQ(std::string(e.what()).rfind("no alert", 0), 0u);
  }
  auto back = *store->alert(id);
  ASSERT_EQ(back.history.size(), 3u);
  EXPECT_EQ(back.history[1].actor, "maria");
  EXPECT_EQ(back.history[2].status, AlertStatus::Resolved);
  AlertFilter active;
  active.active_only = true;
  EXPECT_TRUE(store->alerts(active).empty());
  EXPECT_EQ(store->alerts({}).size(), 1u);
}

TEST_P(AlertStoreContract, EveryPersonsChangeIsAuditedRefusalsToo) {
  sql::TestDatabase db(GetParam());
  auto store = open_alert_store(db.location());
  std::vector<AlertWrite> writes{{darien_alert(), ""}};
  store->save_alerts(writes, {});
  const int64_t id = writes[0].alert.id;
  const Actor luis{4, "Luis Gómez", "203.0.113.5", "token:9"};
  store->change_alert_status(id, AlertStatus::Acknowledged, luis, "task force informed");
  EXPECT_THROW(store->change_alert_status(id, AlertStatus::Acknowledged, luis, ""), Error);
  EXPECT_THROW(store->change_alert_status(424242, AlertStatus::Resolved, luis, ""), Error);

  const auto lines = audit::open_audit_log(db.location())->lines({});
  ASSERT_EQ(lines.size(), 3u);
  const std::string object = "alert:" + std::to_string(id);
  EXPECT_EQ(lines[2].entry.action, "alert.acknowledge");
  EXPECT_EQ(lines[2].entry.object, object);
  EXPECT_EQ(lines[2].entry.outcome, "ok");
  EXPECT_EQ(lines[2].entry.actor.name, "Luis Gómez");
  EXPECT_EQ(lines[2].entry.actor.credential, "token:9");
  EXPECT_NE(lines[2].entry.detail.find("task force informed"), std::string::npos);
  EXPECT_EQ(lines[1].entry.object, object);
  EXPECT_EQ(lines[1].entry.outcome, "refused");
  EXPECT_EQ(lines[0].entry.object, "alert:424242");
  EXPECT_EQ(lines[0].entry.outcome, "refused");
  // The alert's own history names the person as before.
  EXPECT_EQ(store->alert(id)->history.back().actor, "Luis Gómez");
}

TEST_P(AlertStoreContract, TheOutboxKeepsADeliveryUntilItSucceeds) {
  sql::TestDatabase db(GetParam());
  auto store = open_alert_store(db.location());
  std::vector<AlertWrite> writes{{darien_alert(), "alert.opened"}};
  store->save_alerts(writes, {"http://a/hook", "http://b/hook"});
  auto due = store->due_deliveries("9999-01-01T00:00:00Z");
  ASSERT_EQ(due.size(), 2u);
  EXPECT_EQ(due[0].event, "alert.opened");
  store->record_delivery_attempt(due[0].id, false, 503, "service unavailable", "2999-01-01T00:00:00Z");
  store->record_delivery_attempt(due[1].id, true, 200, "", "");
  EXPECT_TRUE(store->due_deliveries("2100-01-01T00:00:00Z").empty());  // retry not due yet
  auto later = store->due_deliveries("3000-01-01T00:00:00Z");
  ASSERT_EQ(later.size(), 1u);
  EXPECT_EQ(later[0].attempts, 1);
  EXPECT_EQ(later[0].last_http_status, 503);
  auto all = store->deliveries_of(writes[0].alert.id);
  ASSERT_EQ(all.size(), 2u);
  EXPECT_FALSE(all[1].delivered_at.empty());
}

TEST_P(AlertStoreContract, UpdatingKeepsOneRowAndAppendsOnlyNewHistory) {
  sql::TestDatabase db(GetParam());
  auto store = open_alert_store(db.location());
  std::vector<AlertWrite> writes{{darien_alert(), ""}};
  store->save_alerts(writes, {});
  Alert a = writes[0].alert;
  a.last_period = *Period::parse("2021-08");
  a.history.push_back({"", "atalaya watch", AlertStatus::Open, "escalated"});
  std::vector<AlertWrite> again{{a, ""}};
  store->save_alerts(again, {});
  EXPECT_EQ(store->alerts({}).size(), 1u);
  auto back = *store->alert(a.id);
  EXPECT_EQ(back.last_period.to_string(), "2021-08");
  EXPECT_EQ(back.history.size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Backends, AlertStoreContract, ::testing::ValuesIn(sql::test_backends()), sql::backend_name);

}  // namespace
}  // namespace atalaya
