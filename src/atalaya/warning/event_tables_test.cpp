#include <gtest/gtest.h>

#include <sqlite3.h>

#include "atalaya/core/error.h"
#include "atalaya/store/sql/test_database_testing.h"
#include "atalaya/store/sqlite/temp_db_testing.h"
#include "atalaya/warning/alert_store.h"
#include "atalaya/warning/event_book.h"

namespace atalaya {
namespace {

Period month(const char* text) { return *Period::parse(text); }

Firing darien_surge(const char* who, const char* period) {
  Firing f;
  f.trigger = "surge";
  f.trigger_name = "Sudden surge";
  f.rule = "growth";
  f.key = {{"citizenship", who}, {"source", "pa-snm-darien"}};
  f.period = month(period);
  f.severity = Severity::Severe;
  f.evidence.value = 13141;
  f.evidence.explanation = "13,141 is 3.8 times the trailing 3-month mean";
  return f;
}

// One evaluation merged into the store's space, as watch does it.
std::vector<EventWrite> watch(AlertStore& store, const std::vector<Firing>& firings, const char* period,
                              const std::string& space = "", const std::vector<std::string>& endpoints = {}) {
  EventFilter f;
  f.space = space;
  f.active_only = true;
  f.with_alerts = true;
  auto active = store.events(f);
  Evaluated seen;
  for (auto& x : firings) seen[evaluated_key(x.trigger, key_text(x.key))] = month(period);
  auto writes = merge_into_events(active, firings, seen, MovementMap(), {}, space);
  store.save_events(writes, endpoints);
  return writes;
}

class EventStoreContract : public sql::BackendTest {};

TEST_P(EventStoreContract, AnEventAndItsAlertsRoundTrip) {
  sql::TestDatabase db(GetParam());
  auto store = open_alert_store(db.location());
  auto writes = watch(*store, {darien_surge("HTI", "2021-06")}, "2021-06");
  ASSERT_EQ(writes.size(), 1u);
  const int64_t id = writes[0].event.id;
  ASSERT_GT(id, 0);
  auto e = store->event(id);
  ASSERT_TRUE(e);
  EXPECT_EQ(e->movement_text(), "citizenship=HTI;source=pa-snm-darien");
  EXPECT_EQ(e->citizenship, "HTI");
  EXPECT_EQ(e->severity, Severity::Severe);
  EXPECT_EQ(e->phase, EventPhase::Emerging);
  ASSERT_EQ(e->alerts.size(), 1u);
  EXPECT_EQ(e->alerts[0].event_id, id);
  ASSERT_EQ(e->checkpoints.size(), 1u);
  EXPECT_EQ(e->checkpoints[0].alerts, std::vector<std::string>{alert_ref(e->alerts[0])});
  ASSERT_EQ(e->history.size(), 1u);
  EXPECT_FALSE(e->history[0].at.empty());
  // A later month extends the same event and the same alert.
  watch(*store, {darien_surge("HTI", "2021-07")}, "2021-07");
  EventFilter all;
  auto events = store->events(all);
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].last_period.to_string(), "2021-07");
  AlertFilter af;
  EXPECT_EQ(store->alerts(af).size(), 1u);
}

TEST_P(EventStoreContract, APersonsChangeOfAnEventCarriesItsAlerts) {
  sql::TestDatabase db(GetParam());
  auto store = open_alert_store(db.location());
  auto writes = watch(*store, {darien_surge("HTI", "2021-06")}, "2021-06");
  const int64_t id = writes[0].event.id;
  WarningEvent e = store->change_event_status(id, AlertStatus::Acknowledged, "maria", "task force informed");
  EXPECT_EQ(e.status, AlertStatus::Acknowledged);
  auto back = store->event(id);
  EXPECT_EQ(back->status, AlertStatus::Acknowledged);
  EXPECT_EQ(back->alerts[0].status, AlertStatus::Acknowledged);
  EXPECT_EQ(back->history.back().actor, "maria");
  auto code_of = [&](int64_t event, AlertStatus to) {
    try {
      store->change_event_status(event, to, "maria", "");
    } catch (const Error& e) {
      return e.code();
    }
    return ErrorCode::Internal;
  };
  EXPECT_EQ(code_of(id, AlertStatus::Acknowledged), ErrorCode::Conflict);
  EXPECT_EQ(code_of(id, AlertStatus::Open), ErrorCode::InvalidArgument);
  EXPECT_EQ(code_of(999, AlertStatus::Resolved), ErrorCode::NotFound);
  store->change_event_status(id, AlertStatus::Resolved, "maria", "back to normal");
  EXPECT_EQ(store->event(id)->alerts[0].status, AlertStatus::Resolved);
  EXPECT_EQ(code_of(id, AlertStatus::Acknowledged), ErrorCode::Conflict);
}

TEST_P(EventStoreContract, ADrillNeverTouchesTheLiveInboxAndNeverNotifies) {
  sql::TestDatabase db(GetParam());
  auto store = open_alert_store(db.location());
  watch(*store, {darien_surge("HTI", "2021-06")}, "2021-06", "", {"http://127.0.0.1:9/hook"});
  const auto live_before = store->events(EventFilter{});
  ASSERT_EQ(live_before.size(), 1u);
  ASSERT_EQ(store->due_deliveries("9999-12-31T00:00:00Z").size(), 1u);  // event.opened, queued

  auto drill = watch(*store, {darien_surge("HTI", "2021-07"), darien_surge("VEN", "2021-07")}, "2021-07",
                     "as-of-2021-07", {"http://127.0.0.1:9/hook"});
  ASSERT_EQ(drill.size(), 2u);  // the drill starts empty: both are new there
  for (auto& w : drill) EXPECT_EQ(w.event.space, "as-of-2021-07");
  const auto live_after = store->events(EventFilter{});
  ASSERT_EQ(live_after.size(), 1u);
  EXPECT_EQ(live_after[0].last_period.to_string(), "2021-06");
  EXPECT_EQ(live_after[0].updated_at, live_before[0].updated_at);
  EXPECT_EQ(store->due_deliveries("9999-12-31T00:00:00Z").size(), 1u);  // the live event's only
  AlertFilter live_alerts;
  EXPECT_EQ(store->alerts(live_alerts).size(), 1u);

  auto drills = store->drills();
  ASSERT_EQ(drills.size(), 1u);
  EXPECT_EQ(drills[0].name, "as-of-2021-07");
  EXPECT_EQ(drills[0].events, 2u);
  EXPECT_EQ(drills[0].alerts, 2u);
  EXPECT_EQ(store->delete_drill("as-of-2021-07"), 2u);
  EXPECT_TRUE(store->drills().empty());
  EXPECT_EQ(store->events(EventFilter{}).size(), 1u);
  EXPECT_THROW(store->delete_drill(""), Error);
}

TEST(SqliteEvents, AlertsStoredBeforeEventsBecomeEventsOfTheirOwn) {
  TempDb db("events-migration");
  {
    auto store = open_alert_store(db.path());
    Alert a;
    a.trigger = "surge";
    a.trigger_name = "Sudden surge";
    a.rule = "growth";
    a.key = {{"citizenship", "HTI"}, {"source", "pa-snm-darien"}};
    a.first_period = a.last_period = month("2021-06");
    a.history.push_back({"", "atalaya watch", AlertStatus::Open, "opened"});
    std::vector<AlertWrite> w{{a, ""}};
    store->save_alerts(w, {});
  }
  // Wind the warning tables back to version 2 and drop what step 3 made, as a
  // store written before events would be; reopening migrates it.
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open(db.path().c_str(), &raw), SQLITE_OK);
  const char* rewind =
      "DELETE FROM warning_event_change; DELETE FROM warning_event; "
      "DROP INDEX alert_event; DROP INDEX alert_space; "
      "ALTER TABLE alert DROP COLUMN event_id; ALTER TABLE alert DROP COLUMN space; "
      "ALTER TABLE delivery DROP COLUMN event_id; DROP TABLE warning_event_change; DROP TABLE warning_event; "
      "UPDATE store_schema SET version = 2 WHERE feature = 'warning';";
  char* err = nullptr;
  ASSERT_EQ(sqlite3_exec(raw, rewind, nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "");
  sqlite3_close(raw);
  auto store = open_alert_store(db.path());
  auto events = store->events(EventFilter{});
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].first_period.to_string(), "2021-06");
  ASSERT_EQ(events[0].history.size(), 1u);
  EXPECT_EQ(store->event(events[0].id)->alerts.size(), 1u);
}

INSTANTIATE_TEST_SUITE_P(Backends, EventStoreContract, ::testing::ValuesIn(sql::test_backends()), sql::backend_name);

}  // namespace
}  // namespace atalaya
