#include "atalaya/process/emergency_session.h"

#include <gtest/gtest.h>

#include "atalaya/core/error.h"

namespace atalaya::process {
namespace {

using nlohmann::json;

EventCheckpoint checkpoint(std::string id, std::string reporter, std::vector<std::string> alerts = {}) {
  EventCheckpoint cp;
  cp.id = id;
  cp.name = id + " checkpoint";
  cp.name_es = "puesto " + id;
  cp.reporter = std::move(reporter);
  cp.alerts = std::move(alerts);
  cp.severity = Severity::Severe;
  return cp;
}

// Haitians along a route from Colombia to the United States: seen at the
// Darién (PAN), projected further north.
WarningEvent haitian_event() {
  WarningEvent e;
  e.id = 17;
  e.route = "south-north";
  e.route_name = "Necoclí → U.S. border";
  e.route_name_es = "Necoclí → frontera de EE. UU.";
  e.citizenship = "HTI";
  e.movement = {{"route", "south-north"}, {"citizenship", "HTI"}};
  e.first_period = Period::month(2021, 3);
  e.last_period = Period::month(2021, 7);
  e.severity = Severity::Severe;
  e.phase = EventPhase::Emerging;
  e.created_at = "2021-04-02T06:00:00Z";
  e.checkpoints = {checkpoint("necocli", "COL"), checkpoint("darien", "PAN", {"growth|citizenship=HTI;source=pa"}),
                   checkpoint("costa-rica", "CRI"), checkpoint("honduras", "HND"), checkpoint("guatemala", "GTM"),
                   checkpoint("mexico", "MEX"), checkpoint("us-southwest-border", "USA")};
  for (auto& cp : e.checkpoints) {
    if (cp.reporter == "MEX" || cp.reporter == "USA") {
      cp.window_from = Period::month(2021, cp.reporter == "MEX" ? 8 : 9);
      cp.window_to = Period::month(2021, cp.reporter == "MEX" ? 9 : 11);
      cp.projected_from = "darien";
    }
  }
  Alert a;
  a.id = 5;
  a.trigger = "growth";
  a.rule = "growth";
  a.key = {{"citizenship", "HTI"}, {"source", "pa"}};
  a.severity = Severity::Severe;
  a.status = AlertStatus::Open;
  a.first_period = Period::month(2021, 3);
  a.last_period = Period::month(2021, 7);
  a.evidence.explanation = "13,141 is 3.4 times the trailing 3-month mean";
  e.alerts = {a};
  return e;
}

Declaration declaration() {
  return {"la-2022", {"Los Angeles Declaration on Migration and Protection", "Declaración de Los Ángeles"},
          "2022-06-10", "Los Angeles", "https://example.org/la"};
}

Endorsement endorser(std::string party, std::string joined = "2022-06-10") {
  return {"la-2022", std::move(party), PartyKind::State, std::move(joined), std::nullopt, "test"};
}

// Honduras does not endorse; Guatemala withdrew before the session; every
// other state on the route endorses.
std::vector<Endorsement> endorsements() {
  std::vector<Endorsement> out = {endorser("COL"), endorser("PAN"), endorser("CRI"), endorser("GTM"),
                                  endorser("MEX"), endorser("USA"), endorser("CAN")};
  out[3].withdrew_on = "2024-01-01";
  return out;
}

std::vector<Contact> contacts() {
  return {{"PAN", Channel::Email, "coordinator@pa.example"},
          {"PAN", Channel::Webhook, "https://hooks.pa.example/atalaya"},
          {"MEX", Channel::Email, "enlace@mx.example"},
          {"USA", Channel::Webhook, "https://hooks.us.example/la"},
          {"COL", Channel::Email, "cancilleria@co.example"},
          {"HND", Channel::Email, "focal@hn.example"},  // not an endorser: never notified
          {"CAN", Channel::Email, "ircc@ca.example"}};  // not on the route
}

EmergencyCall call() {
  EmergencyCall c;
  c.held_on = "2025-02-03";
  c.called_at = "2025-02-01T12:00:00Z";
  c.called_by = Actor{3, "task-force", "", "account"};
  return c;
}

EmergencySessionPlan plan(const EmergencyCall& c = call(), const WarningEvent& e = haitian_event()) {
  return plan_emergency_session(e, declaration(), endorsements(), contacts(), {}, c);
}

TEST(EmergencySession, TheRoutesEndorsersOnTheDayAreTheParticipants) {
  const EmergencySessionPlan p = plan();
  const Meeting& m = p.write.meeting;
  EXPECT_EQ(m.kind, MeetingKind::Emergency);
  EXPECT_EQ(m.code, "emergency-17-2025-02-03");
  EXPECT_EQ(m.held_on, "2025-02-03");
  EXPECT_EQ(m.participants, (std::vector<std::string>{"COL", "PAN", "CRI", "MEX", "USA"}));
  ASSERT_TRUE(m.event_id);
  EXPECT_EQ(*m.event_id, 17);
  EXPECT_EQ(m.event_raised_at, "2021-04-02T06:00:00Z");
  EXPECT_EQ(m.called_at, "2025-02-01T12:00:00Z");
  EXPECT_EQ(m.called_by.name, "task-force");
  EXPECT_NE(m.title.en.find("Haiti"), std::string::npos) << m.title.en;
  EXPECT_NE(m.title.es.find("Sesión de emergencia"), std::string::npos) << m.title.es;
  EXPECT_NE(m.title.es.find("Haití"), std::string::npos) << m.title.es;
}

TEST(EmergencySession, EveryRouteStateIsAccountedFor) {
  const EmergencySessionPlan p = plan();
  ASSERT_EQ(p.route_states.size(), 7u);
  std::map<std::string, RouteState> by;
  for (auto& rs : p.route_states) by[rs.party] = rs;
  EXPECT_FALSE(by["HND"].participant);
  EXPECT_NE(by["HND"].not_notified.find("not an endorser"), std::string::npos);
  EXPECT_FALSE(by["GTM"].participant) << "withdrew before the session";
  EXPECT_TRUE(by["CRI"].participant);
  EXPECT_EQ(by["CRI"].not_notified, "no contact: not notified");
  EXPECT_EQ(by["PAN"].notified.size(), 2u);
  EXPECT_TRUE(by["PAN"].not_notified.empty());
}

TEST(EmergencySession, OneNotificationPerParticipantPerContact) {
  const EmergencySessionPlan p = plan();
  std::vector<std::string> got;
  for (auto& n : p.write.notifications) {
    got.push_back(n.party + " " + std::string(channel_name(n.channel)) + " " + n.address);
    EXPECT_EQ(n.meeting, "emergency-17-2025-02-03");
    EXPECT_EQ(n.queued_at, "2025-02-01T12:00:00Z");
    EXPECT_TRUE(n.delivered_at.empty());
  }
  EXPECT_EQ(got, (std::vector<std::string>{"COL email cancilleria@co.example", "PAN email coordinator@pa.example",
                                           "PAN webhook https://hooks.pa.example/atalaya",
                                           "MEX email enlace@mx.example", "USA webhook https://hooks.us.example/la"}));
}

TEST(EmergencySession, TheMailNamesTheSessionEventAndWindowsInBothLanguages) {
  const EmergencySessionPlan p = plan();
  const Notification& mail = p.write.notifications.at(0);
  EXPECT_NE(mail.subject.find("Emergency session"), std::string::npos);
  EXPECT_NE(mail.subject.find("Sesión de emergencia"), std::string::npos);
  EXPECT_EQ(mail.subject, "Emergency session / Sesión de emergencia 2025-02-03: Haiti / Haití, warning event / evento "
                          "de alerta 17");
  for (const char* needle : {"emergency-17-2025-02-03", "Warning event 17: Haiti along Necoclí → U.S. border: severe",
                             "Evento de alerta 17: Haití por Necoclí → frontera de EE. UU.: grave, emergente, "
                             "2021-03..2021-07",
                             "2021-04-02T06:00:00Z", "2021-09 to 2021-11", "2021-09 a 2021-11", "E-17"})
    EXPECT_NE(mail.body.find(needle), std::string::npos) << needle << " in\n" << mail.body;
}

TEST(EmergencySession, TheWebhookBodyCarriesTheWindows) {
  const EmergencySessionPlan p = plan();
  const Notification& hook = p.write.notifications.at(2);
  ASSERT_EQ(hook.channel, Channel::Webhook);
  const json j = json::parse(hook.body);
  EXPECT_EQ(j["event"], "process.emergency_session");
  EXPECT_FALSE(j["delivery_id"].get<std::string>().empty());
  EXPECT_EQ(j["party"], "PAN");
  EXPECT_EQ(j["session"]["code"], "emergency-17-2025-02-03");
  EXPECT_EQ(j["warning_event"]["id"], 17);
  EXPECT_EQ(j["warning_event"]["first_raised_at"], "2021-04-02T06:00:00Z");
  ASSERT_EQ(j["warning_event"]["windows"].size(), 2u);
  EXPECT_EQ(j["warning_event"]["windows"][1]["reporter"], "USA");
  EXPECT_EQ(j["warning_event"]["windows"][1]["window_from"], "2021-09");
  EXPECT_EQ(j["warning_event"]["windows"][1]["window_to"], "2021-11");
}

TEST(EmergencySession, TheEvidenceHoldsTheWindowsAndAlerts) {
  const json ev = json::parse(plan().write.meeting.evidence);
  EXPECT_EQ(ev["event_id"], 17);
  EXPECT_EQ(ev["severity"], "severe");
  EXPECT_EQ(ev["phase"], "emerging");
  EXPECT_EQ(ev["first_period"], "2021-03");
  EXPECT_EQ(ev["last_period"], "2021-07");
  EXPECT_EQ(ev["first_raised_at"], "2021-04-02T06:00:00Z");
  ASSERT_EQ(ev["checkpoints"].size(), 7u);
  const json& us = ev["checkpoints"][6];
  EXPECT_EQ(us["reporter"], "USA");
  EXPECT_EQ(us["window_from"], "2021-09");
  EXPECT_EQ(us["window_to"], "2021-11");
  EXPECT_EQ(us["projected_from"], "darien");
  EXPECT_TRUE(ev["checkpoints"][0]["window_from"].is_null());
  EXPECT_EQ(ev["checkpoints"][1]["alerts"][0], "growth|citizenship=HTI;source=pa");
  ASSERT_EQ(ev["alerts"].size(), 1u);
  EXPECT_EQ(ev["alerts"][0]["ref"], "growth|citizenship=HTI;source=pa");
  EXPECT_EQ(ev["alerts"][0]["explanation"]["en"], "13,141 is 3.4 times the trailing 3-month mean");
}

TEST(EmergencySession, ThePillarIsEmergencyTiedToTheEventAndAddedByTheSession) {
  std::vector<Pillar> pillars(4);
  for (int i = 0; i < 4; ++i) pillars[i].number = i + 1;
  const EmergencySessionPlan p =
      plan_emergency_session(haitian_event(), declaration(), endorsements(), contacts(), pillars, call());
  const PillarChange& c = p.write.pillar;
  EXPECT_EQ(c.kind, PillarChangeKind::Added);
  EXPECT_EQ(c.meeting, "emergency-17-2025-02-03");
  EXPECT_EQ(c.pillar, "E-17");
  EXPECT_EQ(c.after.code, "E-17");
  EXPECT_EQ(c.after.kind, PillarKind::Emergency);
  ASSERT_TRUE(c.after.event_id);
  EXPECT_EQ(*c.after.event_id, 17);
  EXPECT_EQ(c.after.number, 5);
  EXPECT_EQ(c.after.opened_on, "2025-02-03");
  ASSERT_EQ(c.after.goals.size(), 1u);
  EXPECT_NE(c.after.goals[0].en.find("coordinated response"), std::string::npos);
  EXPECT_NE(c.after.goals[0].es.find("respuesta coordinada"), std::string::npos);
  EXPECT_FALSE(c.after.name.en.empty());
  EXPECT_FALSE(c.after.name.es.empty());
}

// The parameter an Error names, or "" when none was thrown.
template <typename F>
std::string refused_parameter(F f, ErrorCode* code = nullptr) {
  try {
    f();
  } catch (const Error& e) {
    if (code) *code = e.code();
    return e.parameter();
  }
  return "";
}

TEST(EmergencySession, ADrillEventNeedsItsDrillNamed) {
  WarningEvent e = haitian_event();
  e.space = "replay-2021";
  EXPECT_EQ(refused_parameter([&] { plan(call(), e); }), "drill");
  EmergencyCall c = call();
  c.drill = "other";
  EXPECT_EQ(refused_parameter([&] { plan(c, e); }), "drill");
  c.drill = "replay-2021";
  const EmergencySessionPlan p = plan(c, e);
  EXPECT_EQ(p.write.meeting.code, "drill-replay-2021-emergency-17-2025-02-03");
  EXPECT_EQ(p.write.pillar.pillar, "E-replay-2021-17");
  EXPECT_EQ(p.write.meeting.title.en.rfind("Drill replay-2021: ", 0), 0u) << p.write.meeting.title.en;
  // A drill named for a live event is a mistake too.
  EXPECT_EQ(refused_parameter([&] { plan(c); }), "drill");
}

TEST(EmergencySession, NoEndorserOnTheRouteIsRefused) {
  EmergencyCall c = call();
  c.held_on = "2022-06-09";  // before the adoption
  EXPECT_EQ(refused_parameter([&] { plan(c); }), "event");
  WarningEvent off = haitian_event();
  for (auto& cp : off.checkpoints) cp.reporter.clear();
  EXPECT_EQ(refused_parameter([&] { plan(call(), off); }), "event");
}

TEST(EmergencySession, BadParametersAreNamed) {
  EmergencyCall c = call();
  c.held_on = "2025-02-30";
  EXPECT_EQ(refused_parameter([&] { plan(c); }), "held_on");
  c = call();
  c.hosts = {"HND"};
  EXPECT_EQ(refused_parameter([&] { plan(c); }), "hosts");
  c.hosts = {"PAN"};
  EXPECT_EQ(plan(c).write.meeting.hosts, (std::vector<std::string>{"PAN"}));
}

TEST(EmergencySession, ASecondSessionWhileThePillarIsOpenIsAConflict) {
  Pillar open;
  open.code = "E-17";
  open.kind = PillarKind::Emergency;
  open.event_id = 17;
  open.opened_on = "2025-01-10";
  ErrorCode code{};
  EXPECT_EQ(refused_parameter(
                [&] { plan_emergency_session(haitian_event(), declaration(), endorsements(), contacts(), {open}, call()); },
                &code),
            "event");
  EXPECT_EQ(code, ErrorCode::Conflict);
}

TEST(EmergencySession, AfterTheEventsPillarWasRetiredANewSessionOpensANewPillar) {
  Pillar closed;
  closed.code = "E-17";
  closed.number = 5;
  closed.kind = PillarKind::Emergency;
  closed.event_id = 17;
  closed.opened_on = "2025-01-10";
  closed.closed_on = "2025-01-30";
  const EmergencySessionPlan p =
      plan_emergency_session(haitian_event(), declaration(), endorsements(), contacts(), {closed}, call());
  EXPECT_EQ(p.write.pillar.after.code, "E-17-2");
  EXPECT_EQ(p.write.pillar.after.number, 6);
}

}  // namespace
}  // namespace atalaya::process

namespace atalaya::process {
namespace {

// The agenda names the checkpoint a surge was seen at as people know it, in
// each language, not by its id.
TEST(EmergencySession, TheAgendaNamesWhereTheSurgeWasSeenInEachLanguage) {
  const Meeting m = plan().write.meeting;
  std::string en, es;
  for (const Text& item : m.agenda) {
    en += item.en + "\n";
    es += item.es + "\n";
  }
  EXPECT_NE(en.find("from the surge seen at darien checkpoint"), std::string::npos) << en;
  EXPECT_NE(es.find("por el aumento observado en puesto darien"), std::string::npos) << es;
  EXPECT_NE(es.find("Haití"), std::string::npos) << es;
}

}  // namespace
}  // namespace atalaya::process
