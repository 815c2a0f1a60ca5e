#include "atalaya/warning/event_book.h"

#include <gtest/gtest.h>

#include "atalaya/analysis/route.h"

namespace atalaya {
namespace {

Period month(const char* text) { return *Period::parse(text); }

std::shared_ptr<const Route> darien_route() {
  auto r = std::make_shared<Route>();
  r->id = "darien-north";
  r->name = "Darién → U.S.";
  auto cp = [](const char* id, const char* source) {
    RouteCheckpoint c;
    c.id = c.name = id;
    c.sources = {source};
    return c;
  };
  r->checkpoints = {cp("darien", "pa-snm-darien"), cp("honduras", "sim-hn-inm"), cp("mexico", "mx-upm-irregular"),
                    cp("us", "us-cbp-swb-nat")};
  return r;
}

const MovementMap kMap({darien_route()});

// The series the alert judged, oldest first, ending in the alert's month:
// by default a surge (flat at 1,000, then 13,141).
Firing series_firing(const char* trigger, const char* rule, const char* source, const char* who, const char* period,
                     Severity severity = Severity::Severe,
                     std::vector<double> recent = {1000, 1000, 1000, 1000, 1000, 1000, 1000, 13141}) {
  Firing f;
  f.trigger = trigger;
  f.trigger_name = trigger;
  f.rule = rule;
  f.key = {{"citizenship", who}, {"source", source}};
  f.period = month(period);
  f.severity = severity;
  f.evidence.value = recent.back();
  f.evidence.recent = recent;
  f.evidence.recent_start = f.period.plus_months(1 - static_cast<int>(recent.size()));
  f.evidence.explanation = std::string(trigger) + " at " + source;
  return f;
}

Firing upstream(const char* who, const char* seen_at, const char* projected_at, const char* period,
                const char* from, const char* to) {
  Firing f;
  f.trigger = "upstream-surge";
  f.trigger_name = "Surge upstream";
  f.rule = "upstream";
  f.key = {{"route", "darien-north"}, {"checkpoint", projected_at}, {"citizenship", who}};
  f.period = month(period);
  f.severity = Severity::Severe;
  f.evidence.source_checkpoint = seen_at;
  f.evidence.explanation = "surge upstream";
  f.window_from = month(from);
  f.window_to = month(to);
  return f;
}

// Every firing's key evaluated in `period`.
Evaluated evaluated(const std::vector<Firing>& firings, const char* period) {
  Evaluated out;
  for (auto& f : firings) out[evaluated_key(f.trigger, key_text(f.key))] = month(period);
  return out;
}

// One merge, numbered as replay numbers it.
struct Book {
  std::vector<WarningEvent> active;
  int64_t next_event = 1, next_alert = 1;
  std::vector<EventWrite> merge(const std::vector<Firing>& firings, const Evaluated& seen) {
    auto writes = merge_into_events(active, firings, seen, kMap, {});
    number_new(writes, next_event, next_alert);
    adopt_ids(active, writes);
    return writes;
  }
  std::vector<EventWrite> merge(const std::vector<Firing>& firings, const char* period) {
    return merge(firings, evaluated(firings, period));
  }
};

TEST(EventBook, OneMovementAlongARouteIsOneEventWithEveryCheckpoint) {
  Book book;
  auto writes = book.merge({series_firing("surge", "growth", "pa-snm-darien", "HTI", "2021-03"),
                            series_firing("year-on-year", "growth", "pa-snm-darien", "HTI", "2021-03"),
                            upstream("HTI", "darien", "mexico", "2021-03", "2021-03", "2021-05"),
                            upstream("HTI", "darien", "us", "2021-03", "2021-04", "2021-06")},
                           "2021-03");
  ASSERT_EQ(writes.size(), 1u);
  const WarningEvent& e = writes[0].event;
  EXPECT_EQ(writes[0].notify, "event.opened");
  EXPECT_EQ(writes[0].alerts.size(), 4u);
  EXPECT_EQ(e.movement_text(), "citizenship=HTI;route=darien-north");
  ASSERT_EQ(e.checkpoints.size(), 4u);
  EXPECT_EQ(e.checkpoints[0].alerts.size(), 4u);  // two series alerts, and the two upstream ones seen there
  EXPECT_FALSE(e.checkpoints[1].observed());
  EXPECT_EQ(e.checkpoints[2].window_from->to_string(), "2021-03");
  EXPECT_EQ(e.checkpoints[3].window_to->to_string(), "2021-06");
  EXPECT_EQ(e.checkpoints[3].projected_from, "darien");
  EXPECT_EQ(e.phase, EventPhase::Emerging);
  ASSERT_EQ(book.active.size(), 1u);
  EXPECT_EQ(book.active[0].id, e.id);
  for (auto& a : book.active[0].alerts) EXPECT_EQ(a.event_id, e.id);
}

TEST(EventBook, TheSameMovementLaterAtAnotherCheckpointSpreadsTheEventAndNotifiesOnce) {
  Book book;
  book.merge({series_firing("surge", "growth", "pa-snm-darien", "HTI", "2021-06")}, "2021-06");
  auto writes = book.merge({series_firing("surge", "growth", "pa-snm-darien", "HTI", "2021-07"),
                            series_firing("surge", "growth", "mx-upm-irregular", "HTI", "2021-07")},
                           "2021-07");
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(writes[0].notify, "event.spread");
  EXPECT_EQ(writes[0].event.id, 1);
  EXPECT_TRUE(writes[0].event.checkpoints[2].observed());
  EXPECT_EQ(book.active.size(), 1u);
  EXPECT_EQ(writes[0].event.history.back().note, "now seen at mexico in 2021-07");
}

TEST(EventBook, ExtendingWithoutChangeNotifiesNoOne) {
  Book book;
  book.merge({series_firing("surge", "growth", "pa-snm-darien", "HTI", "2021-06")}, "2021-06");
  auto writes = book.merge({series_firing("surge", "growth", "pa-snm-darien", "HTI", "2021-07")}, "2021-07");
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(writes[0].notify, "");
  EXPECT_EQ(writes[0].event.last_period.to_string(), "2021-07");
  EXPECT_TRUE(book.merge({series_firing("surge", "growth", "pa-snm-darien", "HTI", "2021-07")}, "2021-07").empty());
}

TEST(EventBook, AHigherSeverityEscalatesTheEvent) {
  Book book;
  book.merge({series_firing("ewma", "ewma", "pa-snm-darien", "HTI", "2021-06", Severity::Minor)}, "2021-06");
  auto writes = book.merge({series_firing("ewma", "ewma", "pa-snm-darien", "HTI", "2021-07", Severity::Minor),
                            series_firing("very-large", "threshold", "us-cbp-swb-nat", "HTI", "2021-07",
                                          Severity::Extreme)},
                           "2021-07");
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(writes[0].notify, "event.escalated");
  EXPECT_EQ(writes[0].event.severity, Severity::Extreme);
}

TEST(EventBook, OtherCitizenshipsAndOffRouteSourcesAreOtherEvents) {
  Book book;
  auto writes = book.merge({series_firing("surge", "growth", "pa-snm-darien", "HTI", "2021-06"),
                            series_firing("surge", "growth", "pa-snm-darien", "VEN", "2021-06"),
                            series_firing("surge", "growth", "cl-sjm-arrivals", "VEN", "2021-06")},
                           "2021-06");
  ASSERT_EQ(writes.size(), 3u);
  EXPECT_EQ(writes[2].event.movement_text(), "citizenship=VEN;source=cl-sjm-arrivals");
  ASSERT_EQ(writes[2].event.checkpoints.size(), 1u);
  EXPECT_EQ(writes[2].event.checkpoints[0].id, "cl-sjm-arrivals");
  EXPECT_TRUE(writes[2].event.checkpoints[0].observed());
}

TEST(EventBook, AnEventExpiresWhenEveryAlertHasGoneQuietAndSaysWhy) {
  Book book;
  const Firing f = series_firing("surge", "growth", "pa-snm-darien", "HTI", "2021-06");
  book.merge({f}, "2021-06");
  book.active[0].status = AlertStatus::Acknowledged;  // someone is on it
  EXPECT_TRUE(book.merge({}, evaluated({f}, "2021-07")).empty());  // one quiet month: nothing changes
  EXPECT_EQ(book.active.size(), 1u);
  auto writes = book.merge({}, evaluated({f}, "2021-08"));
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(writes[0].event.status, AlertStatus::Expired);
  EXPECT_EQ(writes[0].notify, "event.expired");  // an acknowledged event's people are told
  EXPECT_NE(writes[0].event.history.back().note.find("no trigger has fired on HTI since 2021-06"), std::string::npos);
  EXPECT_NE(writes[0].event.history.back().note.find("it had been acknowledged"), std::string::npos);
  EXPECT_TRUE(book.active.empty());
  // A new firing of the same movement opens a new event.
  auto again = book.merge({series_firing("surge", "growth", "pa-snm-darien", "HTI", "2021-11")}, "2021-11");
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].notify, "event.opened");
  EXPECT_EQ(again[0].event.id, 2);
}

TEST(EventBook, AnOpenEventThatExpiresNotifiesNoOne) {
  Book book;
  const Firing f = series_firing("surge", "growth", "pa-snm-darien", "HTI", "2021-06");
  book.merge({f}, "2021-06");
  auto writes = book.merge({}, evaluated({f}, "2021-08"));
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(writes[0].event.status, AlertStatus::Expired);
  EXPECT_EQ(writes[0].notify, "");
}

TEST(EventBook, AFlowHighForMonthsIsPersistentAndRanksBelowAnEmergingMovement) {
  // Seen for the first time (a drill, or a first watch): the phase comes
  // from the series, not from how long the alerts have been stored.
  Book book;
  const std::vector<double> high_for_months = {20180, 42116, 38205, 32131, 35033, 45297, 42125};
  const std::vector<double> between = {10000, 10000, 10000, 10000, 10000, 10000, 17000};
  const std::vector<double> doubled = {15000, 15000, 15000, 15000, 15000, 15000, 31000};
  book.merge({series_firing("very-large", "threshold", "us-cbp-swb-nat", "HND", "2021-08", Severity::Extreme,
                            high_for_months),
              series_firing("surge", "growth", "pa-snm-darien", "HTI", "2021-08", Severity::Severe),
              series_firing("ewma", "ewma", "mx-upm-irregular", "GTM", "2021-08", Severity::Minor, between),
              series_firing("very-large", "threshold", "us-cbp-swb-nat", "SLV", "2021-08", Severity::Extreme,
                            doubled)},
             "2021-08");
  ASSERT_EQ(book.active.size(), 4u);
  std::vector<WarningEvent> inbox = book.active;
  rank_events(inbox);
  // Emerging first, the fastest-growing before the most severe: the
  // Haitians (13 times) before an extreme flow that has only doubled.
  EXPECT_EQ(inbox[0].citizenship, "HTI");
  EXPECT_EQ(inbox[0].phase, EventPhase::Emerging);
  EXPECT_NEAR(inbox[0].momentum, 13.141, 1e-9);
  EXPECT_EQ(inbox[1].citizenship, "SLV");
  EXPECT_EQ(inbox[1].phase, EventPhase::Emerging);
  EXPECT_EQ(inbox[2].citizenship, "GTM");
  EXPECT_EQ(inbox[2].phase, EventPhase::Ongoing);
  EXPECT_EQ(inbox[3].citizenship, "HND");
  EXPECT_EQ(inbox[3].phase, EventPhase::Persistent);
  EXPECT_EQ(inbox[3].severity, Severity::Extreme);
}

TEST(EventBook, TheLatestProjectionGivesACheckpointsWindow) {
  Book book;
  book.merge({upstream("HTI", "darien", "us", "2021-06", "2021-06", "2021-08")}, "2021-06");
  auto writes = book.merge({upstream("HTI", "darien", "us", "2021-07", "2021-07", "2021-09")}, "2021-07");
  ASSERT_EQ(writes.size(), 1u);
  EXPECT_EQ(writes[0].event.checkpoints[3].window_from->to_string(), "2021-07");
  EXPECT_EQ(writes[0].event.checkpoints[3].window_to->to_string(), "2021-09");
}

}  // namespace
}  // namespace atalaya
