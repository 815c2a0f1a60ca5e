// The process store's contract, on both backends: everything round-trips,
// every rule the header states refuses what it should (writing nothing but
// a "refused" audit line), reports and assessments are history, and an
// emergency session is written all at once.
#include "atalaya/process/process_store.h"

#include <gtest/gtest.h>

#include <functional>

#include "atalaya/core/error.h"
#include "atalaya/store/audit/audit_log.h"
#include "atalaya/store/sql/test_database_testing.h"

namespace atalaya::process {
namespace {

const Actor kSecretariat{7, "sofia", "cli", "token:3"};
const Actor kFocalPoint{9, "camilo", "10.0.0.5", "session"};

// Runs `f`, which must throw Error(code) naming `parameter`; returns the message.
std::string refused(const std::function<void()>& f, ErrorCode code, const std::string& parameter) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), code) << e.what();
    EXPECT_EQ(e.parameter(), parameter) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "not refused: expected " << error_code_name(code) << " on " << parameter;
  return "";
}

Meeting regular(const std::string& code, const std::string& day) {
  Meeting m;
  m.declaration = "la-2022";
  m.code = code;
  m.kind = MeetingKind::Ministerial;
  m.title = {"Ministerial meeting " + code, "Reunión ministerial " + code};
  m.held_on = day;
  m.place = "Lima, Peru";
  m.hosts = {"PER"};
  m.participants = {"COL", "PER", "USA"};
  m.agenda = {{"Status of commitments", "Estado de los compromisos"}};
  m.source = "https://example.org/" + code;
  return m;
}

PillarChange added(const std::string& code, int number, PillarKind kind, const std::string& meeting) {
  PillarChange c;
  c.pillar = code;
  c.meeting = meeting;
  c.kind = PillarChangeKind::Added;
  c.note = {"Adopted", "Adoptado"};
  c.after.declaration = "la-2022";
  c.after.number = number;
  c.after.kind = kind;
  c.after.name = {"Pillar " + code, "Pilar " + code};
  c.after.goals = {{"A goal", "Una meta"}};
  return c;
}

PillarChange decision(const std::string& pillar, PillarChangeKind kind, const std::string& meeting) {
  PillarChange c;
  c.pillar = pillar;
  c.meeting = meeting;
  c.kind = kind;
  c.after.declaration = "la-2022";
  return c;
}

Commitment commitment(const std::string& code, std::vector<std::string> parties, const std::string& pillar,
                      const std::string& made_on) {
  Commitment c;
  c.declaration = "la-2022";
  c.code = code;
  c.parties = std::move(parties);
  c.pillar = pillar;
  c.text = {"Resettle refugees from the Americas", "Reasentar refugiados de las Américas"};
  c.kind = CommitmentKind::PathwayPlaces;
  c.made_on = made_on;
  c.source = "https://example.org/fact-sheet";
  return c;
}

// A declaration adopted on 2022-06-10 with three states and a partner, two
// permanent pillars (P1, P2), a package under P2 and three meetings.
class ProcessStoreContract : public sql::BackendTest {
 protected:
  void SetUp() override {
    sql::BackendTest::SetUp();
    if (IsSkipped()) return;
    db_ = std::make_unique<sql::TestDatabase>(GetParam());
    store_ = open_process_store(db_->location());
    store_->save_declaration({"la-2022", {"Los Angeles Declaration", "Declaración de Los Ángeles"}, "2022-06-10",
                              "Los Angeles, United States", "https://example.org/la-declaration"},
                             kSecretariat);
    for (auto party : {"COL", "PER", "USA"})
      store_->save_endorsement({"la-2022", party, PartyKind::State, "2022-06-10", std::nullopt, "the declaration"},
                               kSecretariat);
    store_->save_endorsement({"la-2022", "UNHCR", PartyKind::Organisation, "2022-06-10", std::nullopt, "partner"},
                             kSecretariat);
    store_->save_meeting(regular("summit-2022", "2022-06-10"), kSecretariat);
    store_->save_meeting(regular("lima-2022", "2022-10-06"), kSecretariat);
    store_->save_meeting(regular("panama-2023", "2023-04-20"), kSecretariat);
    store_->change_pillar(added("P1", 1, PillarKind::Permanent, "summit-2022"), kSecretariat);
    store_->change_pillar(added("P2", 2, PillarKind::Permanent, "summit-2022"), kSecretariat);
    store_->save_package({"la-2022", "P2-labour", "P2", {"Labour pathways", "Vías laborales"}, "USA", {"COL", "PER"},
                          "fact sheet"},
                         kSecretariat);
  }

  std::vector<audit::AuditRecord> audit_lines(const std::string& action) {
    audit::AuditFilter f;
    f.action = action;
    return audit::open_audit_log(db_->location())->lines(f);
  }

  std::unique_ptr<sql::TestDatabase> db_;
  std::unique_ptr<ProcessStore> store_;
};

TEST_P(ProcessStoreContract, DeclarationsEndorsersPillarsPackagesAndMeetingsRoundTrip) {
  auto d = store_->declaration("la-2022");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->title.es, "Declaración de Los Ángeles");
  EXPECT_EQ(d->adopted_on, "2022-06-10");
  EXPECT_EQ(d->text_reference, "https://example.org/la-declaration");
  EXPECT_EQ(store_->declarations().size(), 1u);
  EXPECT_FALSE(store_->declaration("nope"));

  auto endorsers = store_->endorsements("la-2022");
  ASSERT_EQ(endorsers.size(), 4u);
  EXPECT_EQ(endorsers[0].party, "COL");
  EXPECT_EQ(endorsers[3].party, "USA");
  EXPECT_EQ(endorsers[2].kind, PartyKind::Organisation);  // UNHCR
  EXPECT_FALSE(endorsers[0].withdrew_on);

  auto pillars = store_->pillars("la-2022");
  ASSERT_EQ(pillars.size(), 2u);
  EXPECT_EQ(pillars[0].code, "P1");
  EXPECT_EQ(pillars[1].name.es, "Pilar P2");
  ASSERT_EQ(pillars[1].goals.size(), 1u);
  EXPECT_EQ(pillars[1].goals[0].es, "Una meta");
  EXPECT_EQ(pillars[1].opened_on, "2022-06-10");  // the deciding meeting's day
  EXPECT_FALSE(pillars[1].closed_on);

  auto packages = store_->packages("la-2022");
  ASSERT_EQ(packages.size(), 1u);
  EXPECT_EQ(packages[0].lead, "USA");
  EXPECT_EQ(packages[0].participants, (std::vector<std::string>{"COL", "PER"}));
  EXPECT_EQ(packages[0].name.es, "Vías laborales");

  auto meetings = store_->meetings("la-2022");
  ASSERT_EQ(meetings.size(), 3u);
  EXPECT_EQ(meetings[1].code, "lima-2022");
  EXPECT_EQ(meetings[1].hosts, (std::vector<std::string>{"PER"}));
  ASSERT_EQ(meetings[1].agenda.size(), 1u);
  EXPECT_EQ(meetings[1].agenda[0].es, "Estado de los compromisos");
  // Saving again updates by code.
  Meeting lima = regular("lima-2022", "2022-10-07");
  lima.place = "Lima";
  store_->save_meeting(lima, kSecretariat);
  EXPECT_EQ(store_->meeting("la-2022", "lima-2022")->held_on, "2022-10-07");
  EXPECT_EQ(store_->meetings("la-2022").size(), 3u);
}

TEST_P(ProcessStoreContract, ACommitmentRoundTripsWithTargetDeadlineRoadmapEvidenceAndIndicator) {
  Commitment c = commitment("la-2022-P2-USA-h2b", {"USA"}, "P2", "2022-06-10");
  c.package = "P2-labour";
  c.made_at = "summit-2022";
  c.kind = CommitmentKind::PathwayPlaces;
  c.target = Target{11500, "H-2B visas", "an additional 11,500"};
  c.deadline = read_deadline("FY2023", "deadline");
  c.roadmap = {{"2022-12-31", {"Rule published", "Regla publicada"}, "2022-12-15"}, {"2023-06-30", {"Visas issued", ""}, std::nullopt}};
  c.evidence = {"https://example.org/h2b"};
  c.indicator = Indicator{{{"indicator", {"h2b_visas"}}, {"citizenship", {"HND", "GTM"}}},
                          Counting::CumulativeFrom, "2022-10", {"H-2B visas issued", "Visas H-2B emitidas"}};
  const int64_t id = store_->add_commitment(c, kFocalPoint);
  EXPECT_GT(id, 0);
  store_->add_commitment(commitment("la-2022-P1-COL-joint", {"COL", "PER"}, "P1", "2022-06-10"), kFocalPoint);
  store_->add_commitment(commitment("la-2022-P2-UNHCR", {"UNHCR"}, "P2", "2022-06-10"), kFocalPoint);

  auto back = store_->commitment("la-2022", "la-2022-P2-USA-h2b");
  ASSERT_TRUE(back);
  const Commitment& b = back->commitment;
  EXPECT_EQ(b.id, id);
  EXPECT_EQ(b.parties, (std::vector<std::string>{"USA"}));
  EXPECT_EQ(b.package, "P2-labour");
  EXPECT_EQ(b.made_at, "summit-2022");
  EXPECT_EQ(b.kind, CommitmentKind::PathwayPlaces);
  ASSERT_TRUE(b.target);
  EXPECT_EQ(b.target->value, 11500);
  EXPECT_EQ(b.target->unit, "H-2B visas");
  EXPECT_EQ(b.target->note, "an additional 11,500");
  ASSERT_TRUE(b.deadline);
  EXPECT_EQ(b.deadline->as_stated, "FY2023");
  EXPECT_EQ(b.deadline->by, "2023-09-30");
  ASSERT_EQ(b.roadmap.size(), 2u);
  EXPECT_EQ(b.roadmap[0].done_on, std::optional<std::string>("2022-12-15"));
  EXPECT_FALSE(b.roadmap[1].done_on);
  EXPECT_EQ(b.roadmap[0].description.es, "Regla publicada");
  EXPECT_EQ(b.evidence, c.evidence);
  ASSERT_TRUE(b.indicator);
  EXPECT_EQ(b.indicator->selection, c.indicator->selection);
  EXPECT_EQ(b.indicator->from, "2022-10");
  EXPECT_EQ(b.indicator->description.es, "Visas H-2B emitidas");
  EXPECT_FALSE(back->latest_status);
  EXPECT_FALSE(back->latest_assessment);

  // Joint parties keep their order; no target, no deadline, no indicator read back as none.
  auto joint = store_->commitment("la-2022", "la-2022-P1-COL-joint");
  ASSERT_TRUE(joint);
  EXPECT_EQ(joint->commitment.parties, (std::vector<std::string>{"COL", "PER"}));
  EXPECT_FALSE(joint->commitment.target);
  EXPECT_FALSE(joint->commitment.deadline);
  EXPECT_FALSE(joint->commitment.indicator);
  EXPECT_EQ(joint->commitment.package, "");

  // By pillar number, then code; filters narrow.
  auto all = store_->commitments({"la-2022", "", "", ""});
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].commitment.code, "la-2022-P1-COL-joint");
  EXPECT_EQ(all[1].commitment.code, "la-2022-P2-UNHCR");
  EXPECT_EQ(all[2].commitment.code, "la-2022-P2-USA-h2b");
  EXPECT_EQ(store_->commitments({"la-2022", "P2", "", ""}).size(), 2u);
  auto per = store_->commitments({"la-2022", "", "PER", ""});
  ASSERT_EQ(per.size(), 1u);
  EXPECT_EQ(per[0].commitment.parties, (std::vector<std::string>{"COL", "PER"}));  // all its parties, not only PER
  EXPECT_EQ(store_->commitments({"la-2022", "", "", "P2-labour"}).size(), 1u);
  EXPECT_EQ(store_->commitments({"la-2022", "P1", "USA", ""}).size(), 0u);
  refused([&] { store_->commitments({"", "", "", ""}); }, ErrorCode::InvalidArgument, "declaration");
}

TEST_P(ProcessStoreContract, ACommitmentIsRefusedWhatTheRulesDoNotAllow) {
  store_->add_commitment(commitment("c1", {"USA"}, "P1", "2022-06-10"), kFocalPoint);
  refused([&] { store_->add_commitment(commitment("c1", {"USA"}, "P1", "2022-06-10"), kFocalPoint); },
          ErrorCode::Conflict, "code");
  refused([&] { store_->add_commitment(commitment("c2", {"MEX"}, "P1", "2022-06-10"), kFocalPoint); },
          ErrorCode::InvalidArgument, "parties");
  refused([&] { store_->add_commitment(commitment("c2", {"USA"}, "P9", "2022-06-10"), kFocalPoint); },
          ErrorCode::InvalidArgument, "pillar");
  refused([&] { store_->add_commitment(commitment("c2", {}, "P1", "2022-06-10"), kFocalPoint); },
          ErrorCode::InvalidArgument, "parties");
  refused([&] { store_->add_commitment(commitment("c2", {"USA"}, "P1", "2022-6-10"), kFocalPoint); },
          ErrorCode::InvalidArgument, "made_on");
  Commitment wrong_package = commitment("c2", {"USA"}, "P1", "2022-06-10");
  wrong_package.package = "P2-labour";  // under P2
  EXPECT_NE(refused([&] { store_->add_commitment(wrong_package, kFocalPoint); }, ErrorCode::InvalidArgument, "package")
                .find("under pillar P2"),
            std::string::npos);
  Commitment no_meeting = commitment("c2", {"USA"}, "P1", "2022-06-10");
  no_meeting.made_at = "tokyo-2022";
  refused([&] { store_->add_commitment(no_meeting, kFocalPoint); }, ErrorCode::InvalidArgument, "made_at");
  Commitment no_unit = commitment("c2", {"USA"}, "P1", "2022-06-10");
  no_unit.target = Target{100, "", ""};
  refused([&] { store_->add_commitment(no_unit, kFocalPoint); }, ErrorCode::InvalidArgument, "target.unit");
  Commitment no_from = commitment("c2", {"USA"}, "P1", "2022-06-10");
  no_from.indicator = Indicator{{{"indicator", {"resettled"}}}, Counting::CumulativeFrom, "", {}};
  refused([&] { store_->add_commitment(no_from, kFocalPoint); }, ErrorCode::InvalidArgument, "indicator.from");
  Commitment elsewhere = commitment("c2", {"USA"}, "P1", "2022-06-10");
  elsewhere.declaration = "nope";
  refused([&] { store_->add_commitment(elsewhere, kFocalPoint); }, ErrorCode::NotFound, "declaration");
  store_->add_commitment(commitment("c2", {"USA"}, "P1", "2022-06-10"), kFocalPoint);
  // Nothing refused was written.
  auto all = store_->commitments({"la-2022", "", "", ""});
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].commitment.code, "c1");
  EXPECT_EQ(all[1].commitment.code, "c2");
}

TEST_P(ProcessStoreContract, ALateJoinerCannotCommitBeforeItsJoiningDateButCanAfter) {
  store_->save_endorsement({"la-2022", "CAN", PartyKind::State, "2023-01-15", std::nullopt, "joined later"},
                           kSecretariat);
  const std::string msg = refused(
      [&] { store_->add_commitment(commitment("can-early", {"CAN"}, "P1", "2022-10-06"), kFocalPoint); },
      ErrorCode::InvalidArgument, "parties");
  EXPECT_NE(msg.find("CAN joined la-2022 on 2023-01-15"), std::string::npos) << msg;
  // Jointly with a founding state it is still refused: every party must endorse on the day.
  refused([&] { store_->add_commitment(commitment("can-joint", {"USA", "CAN"}, "P1", "2022-10-06"), kFocalPoint); },
          ErrorCode::InvalidArgument, "parties");
  store_->add_commitment(commitment("can-on-the-day", {"CAN"}, "P1", "2023-01-15"), kFocalPoint);
  store_->add_commitment(commitment("can-later", {"USA", "CAN"}, "P2", "2023-04-20"), kFocalPoint);
  EXPECT_EQ(store_->commitments({"la-2022", "", "CAN", ""}).size(), 2u);
  // An endorsement cannot predate the adoption.
  refused([&] {
    store_->save_endorsement({"la-2022", "MEX", PartyKind::State, "2022-06-01", std::nullopt, ""}, kSecretariat);
  }, ErrorCode::InvalidArgument, "joined_on");
  refused([&] {
    store_->save_endorsement({"la-2022", "Mexico", PartyKind::State, "2022-06-10", std::nullopt, ""}, kSecretariat);
  }, ErrorCode::InvalidArgument, "party");
  refused([&] {
    store_->save_endorsement({"nope", "MEX", PartyKind::State, "2022-06-10", std::nullopt, ""}, kSecretariat);
  }, ErrorCode::NotFound, "declaration");
  EXPECT_EQ(store_->endorsements("la-2022").size(), 5u);
}

TEST_P(ProcessStoreContract, AWithdrawnEndorserCannotCommitAfterWithdrawing) {
  refused([&] {
    store_->save_endorsement({"la-2022", "PER", PartyKind::State, "2022-06-10", "2022-06-10", ""}, kSecretariat);
  }, ErrorCode::InvalidArgument, "withdrew_on");
  store_->save_endorsement({"la-2022", "PER", PartyKind::State, "2022-06-10", "2023-01-01", "note verbale"},
                           kSecretariat);
  auto endorsers = store_->endorsements("la-2022");
  auto per = std::find_if(endorsers.begin(), endorsers.end(), [](const Endorsement& e) { return e.party == "PER"; });
  ASSERT_NE(per, endorsers.end());
  EXPECT_EQ(per->withdrew_on, std::optional<std::string>("2023-01-01"));
  EXPECT_EQ(per->source, "note verbale");
  EXPECT_TRUE(per->active_on("2022-12-31"));
  EXPECT_FALSE(per->active_on("2023-01-01"));
  store_->add_commitment(commitment("per-before", {"PER"}, "P1", "2022-12-31"), kFocalPoint);
  const std::string msg =
      refused([&] { store_->add_commitment(commitment("per-after", {"PER"}, "P1", "2023-01-01"), kFocalPoint); },
              ErrorCode::InvalidArgument, "parties");
  EXPECT_NE(msg.find("withdrew"), std::string::npos) << msg;
  EXPECT_EQ(store_->commitments({"la-2022", "", "PER", ""}).size(), 1u);
}

TEST_P(ProcessStoreContract, ATemporaryPillarAddedAndRetiredAtTheNextMeetingKeepsItsHistory) {
  PillarChange t = added("T1", 5, PillarKind::Temporary, "lima-2022");
  t.after.ends_on = "2023-12-31";
  PillarChange first = store_->change_pillar(t, kSecretariat);
  EXPECT_GT(first.id, 0);
  EXPECT_FALSE(first.recorded_at.empty());
  EXPECT_EQ(first.recorded_by.name, "sofia");
  EXPECT_EQ(first.after.opened_on, "2022-10-06");
  EXPECT_EQ(first.after.ends_on, std::optional<std::string>("2023-12-31"));
  // A temporary pillar needs its end.
  PillarChange endless = added("T2", 6, PillarKind::Temporary, "lima-2022");
  refused([&] { store_->change_pillar(endless, kSecretariat); }, ErrorCode::InvalidArgument, "after.ends_on");
  refused([&] { store_->change_pillar(t, kSecretariat); }, ErrorCode::Conflict, "pillar");

  store_->add_commitment(commitment("t1-col", {"COL"}, "T1", "2022-10-06"), kFocalPoint);
  // Not open before the meeting that added it.
  refused([&] { store_->add_commitment(commitment("t1-early", {"COL"}, "T1", "2022-10-05"), kFocalPoint); },
          ErrorCode::InvalidArgument, "pillar");

  PillarChange retire = decision("T1", PillarChangeKind::Retired, "panama-2023");
  retire.note = {"Crisis over", "Crisis superada"};
  PillarChange second = store_->change_pillar(retire, kSecretariat);
  EXPECT_EQ(second.after.closed_on, std::optional<std::string>("2023-04-20"));

  auto p = store_->pillar("la-2022", "T1");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->closed_on, std::optional<std::string>("2023-04-20"));
  EXPECT_TRUE(p->open_on("2023-04-19"));
  EXPECT_FALSE(p->open_on("2023-04-20"));
  auto history = store_->pillar_history("la-2022", "T1");
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].kind, PillarChangeKind::Added);
  EXPECT_EQ(history[0].meeting, "lima-2022");
  EXPECT_FALSE(history[0].after.closed_on);
  EXPECT_EQ(history[1].kind, PillarChangeKind::Retired);
  EXPECT_EQ(history[1].meeting, "panama-2023");
  EXPECT_EQ(history[1].note.es, "Crisis superada");
  EXPECT_EQ(history[1].after.closed_on, std::optional<std::string>("2023-04-20"));
  EXPECT_EQ(history[1].recorded_by.credential, "token:3");
  // Closed: no further commitments from its closing day, no further decisions.
  refused([&] { store_->add_commitment(commitment("t1-late", {"COL"}, "T1", "2023-04-20"), kFocalPoint); },
          ErrorCode::InvalidArgument, "pillar");
  PillarChange revive = decision("T1", PillarChangeKind::Changed, "panama-2023");
  revive.after.name = {"Revived", "Revivido"};
  refused([&] { store_->change_pillar(revive, kSecretariat); }, ErrorCode::Conflict, "pillar");
  EXPECT_EQ(store_->pillar_history("la-2022", "T1").size(), 2u);
  // The whole declaration's history: the founding pillars, then T1's two.
  EXPECT_EQ(store_->pillar_history("la-2022", "").size(), 4u);
}

TEST_P(ProcessStoreContract, ChangesContinuationsAndMergesApplyAndAreRefusedWhereTheyMakeNoSense) {
  PillarChange rename = decision("P2", PillarChangeKind::Changed, "lima-2022");
  rename.after.name = {"Legal pathways", "Vías legales"};
  PillarChange changed = store_->change_pillar(rename, kSecretariat);
  EXPECT_EQ(changed.after.name.es, "Vías legales");
  EXPECT_EQ(changed.after.goals.size(), 1u);  // kept: goals were left empty
  EXPECT_EQ(changed.after.number, 2);
  // Continuing is for temporary and emergency pillars.
  refused([&] { store_->change_pillar(decision("P1", PillarChangeKind::Continued, "lima-2022"), kSecretariat); },
          ErrorCode::InvalidArgument, "kind");
  refused([&] { store_->change_pillar(decision("P9", PillarChangeKind::Retired, "lima-2022"), kSecretariat); },
          ErrorCode::NotFound, "pillar");
  refused([&] { store_->change_pillar(decision("P1", PillarChangeKind::Retired, "nowhere"), kSecretariat); },
          ErrorCode::InvalidArgument, "meeting");

  PillarChange t = added("T1", 5, PillarKind::Temporary, "lima-2022");
  t.after.ends_on = "2023-06-30";
  store_->change_pillar(t, kSecretariat);
  // A decision dated before the pillar opened makes no sense.
  refused([&] { store_->change_pillar(decision("T1", PillarChangeKind::Retired, "summit-2022"), kSecretariat); },
          ErrorCode::InvalidArgument, "meeting");
  PillarChange go_on = decision("T1", PillarChangeKind::Continued, "panama-2023");
  go_on.after.ends_on = "2024-06-30";
  EXPECT_EQ(store_->change_pillar(go_on, kSecretariat).after.ends_on, std::optional<std::string>("2024-06-30"));

  PillarChange into_nothing = decision("T1", PillarChangeKind::Merged, "panama-2023");
  into_nothing.after.merged_into = "P9";
  refused([&] { store_->change_pillar(into_nothing, kSecretariat); }, ErrorCode::InvalidArgument, "after.merged_into");
  PillarChange merge = decision("T1", PillarChangeKind::Merged, "panama-2023");
  merge.after.merged_into = "P2";
  PillarChange merged = store_->change_pillar(merge, kSecretariat);
  EXPECT_EQ(merged.after.merged_into, std::optional<std::string>("P2"));
  EXPECT_EQ(merged.after.closed_on, std::optional<std::string>("2023-04-20"));
  auto p = store_->pillar("la-2022", "T1");
  EXPECT_EQ(p->merged_into, std::optional<std::string>("P2"));
  // Nothing merges into a closed pillar.
  PillarChange t3 = added("T3", 7, PillarKind::Temporary, "panama-2023");
  t3.after.ends_on = "2024-01-01";
  store_->change_pillar(t3, kSecretariat);
  PillarChange into_closed = decision("T3", PillarChangeKind::Merged, "panama-2023");
  into_closed.after.merged_into = "T1";
  refused([&] { store_->change_pillar(into_closed, kSecretariat); }, ErrorCode::InvalidArgument, "after.merged_into");
  auto history = store_->pillar_history("la-2022", "T1");
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[1].kind, PillarChangeKind::Continued);
  EXPECT_EQ(history[2].kind, PillarChangeKind::Merged);
}

TEST_P(ProcessStoreContract, ReportsAndAssessmentsAreHistoryAndTheNewestCounts) {
  store_->add_commitment(commitment("c1", {"COL"}, "P1", "2022-10-06"), kFocalPoint);
  refused([&] { store_->report_status({0, "c1", "summit-2022", ReportedStatus::Planning, {}, {}, ""}, kFocalPoint); },
          ErrorCode::InvalidArgument, "meeting");  // held before the commitment was made
  refused([&] { store_->report_status({0, "c9", "lima-2022", ReportedStatus::Planning, {}, {}, ""}, kFocalPoint); },
          ErrorCode::NotFound, "commitment");
  refused([&] { store_->report_status({0, "c1", "oslo-2022", ReportedStatus::Planning, {}, {}, ""}, kFocalPoint); },
          ErrorCode::InvalidArgument, "meeting");
  // Recorded out of order: the later meeting's report counts, not the later recording.
  StatusReport at_panama =
      store_->report_status({0, "c1", "panama-2023", ReportedStatus::InProgress, {"Half done", "A medias"}, {}, ""},
                            kFocalPoint);
  EXPECT_GT(at_panama.id, 0);
  EXPECT_FALSE(at_panama.recorded_at.empty());
  EXPECT_EQ(at_panama.reported_by.name, "camilo");
  store_->report_status({0, "c1", "lima-2022", ReportedStatus::Planning, {"Starting", ""}, {}, ""}, kFocalPoint);
  // Two reports at one meeting: both kept, the newer counts.
  store_->report_status({0, "c1", "panama-2023", ReportedStatus::Fulfilled, {"Done", "Hecho"}, {}, ""}, kFocalPoint);
  store_->assess({0, "c1", "panama-2023", Completion::Limited, {"Data show 40%", "Los datos muestran 40%"}, {}, ""},
                 kSecretariat);
  store_->assess({0, "c1", "lima-2022", Completion::NotStarted, {"Nothing yet", ""}, {}, ""}, kSecretariat);

  auto history = store_->status_history("la-2022", "c1");
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].meeting, "lima-2022");
  EXPECT_EQ(history[1].status, ReportedStatus::InProgress);
  EXPECT_EQ(history[2].status, ReportedStatus::Fulfilled);
  EXPECT_EQ(history[2].narrative.es, "Hecho");
  auto assessed = store_->assessments("la-2022", "c1");
  ASSERT_EQ(assessed.size(), 2u);
  EXPECT_EQ(assessed[0].completion, Completion::NotStarted);
  EXPECT_EQ(assessed[1].assessed_by.name, "sofia");
  auto record = store_->commitment("la-2022", "c1");
  ASSERT_TRUE(record->latest_status);
  EXPECT_EQ(record->latest_status->status, ReportedStatus::Fulfilled);
  ASSERT_TRUE(record->latest_assessment);
  EXPECT_EQ(record->latest_assessment->completion, Completion::Limited);
  EXPECT_EQ(store_->commitments({"la-2022", "", "", ""})[0].latest_status->status, ReportedStatus::Fulfilled);
  EXPECT_EQ(store_->reports_at("la-2022", "panama-2023").size(), 2u);
  EXPECT_EQ(store_->assessments_at("la-2022", "lima-2022").size(), 1u);
  EXPECT_EQ(store_->reports_at("la-2022", "summit-2022").size(), 0u);

  // History is never changed, not even by a program that goes around the store.
  auto db = sql::connect(db_->location());
  EXPECT_ANY_THROW(db->exec("UPDATE status_report SET status = 'planning'"));
  EXPECT_ANY_THROW(db->exec("DELETE FROM assessment"));
  EXPECT_EQ(store_->status_history("la-2022", "c1").size(), 3u);
  EXPECT_EQ(store_->status_history("la-2022", "c1")[2].status, ReportedStatus::Fulfilled);
}

TEST_P(ProcessStoreContract, UpdatingACommitmentChangesWhatMayChangeOnly) {
  store_->add_commitment(commitment("c1", {"COL"}, "P1", "2022-06-10"), kFocalPoint);
  Commitment c = store_->commitment("la-2022", "c1")->commitment;
  c.text.en = "Regularise 1,000,000 Venezuelans";
  c.target = Target{1000000, "persons", ""};
  c.deadline = read_deadline("2028", "deadline");
  c.evidence = {"https://example.org/etpv"};
  store_->update_commitment(c, kFocalPoint);
  auto back = store_->commitment("la-2022", "c1")->commitment;
  EXPECT_EQ(back.text.en, "Regularise 1,000,000 Venezuelans");
  EXPECT_EQ(back.target->value, 1000000);
  EXPECT_EQ(back.deadline->by, "2028-12-31");
  EXPECT_EQ(back.evidence, c.evidence);
  Commitment moved = back;
  moved.pillar = "P2";
  refused([&] { store_->update_commitment(moved, kFocalPoint); }, ErrorCode::InvalidArgument, "pillar");
  Commitment others = back;
  others.parties = {"COL", "USA"};
  refused([&] { store_->update_commitment(others, kFocalPoint); }, ErrorCode::InvalidArgument, "parties");
  Commitment unknown = back;
  unknown.code = "c9";
  refused([&] { store_->update_commitment(unknown, kFocalPoint); }, ErrorCode::NotFound, "commitment");
  EXPECT_EQ(store_->commitment("la-2022", "c1")->commitment.pillar, "P1");
}

TEST_P(ProcessStoreContract, ContactsAreKeptOncePerAddressAndChecked) {
  store_->save_contact({"COL", Channel::Email, "coordinador@cancilleria.gov.co"}, kSecretariat);
  store_->save_contact({"COL", Channel::Email, "coordinador@cancilleria.gov.co"}, kSecretariat);
  store_->save_contact({"COL", Channel::Webhook, "https://hooks.example.org/col"}, kSecretariat);
  refused([&] { store_->save_contact({"USA", Channel::Webhook, "hooks.example.org"}, kSecretariat); },
          ErrorCode::InvalidArgument, "address");
  refused([&] { store_->save_contact({"USA", Channel::Email, "not an address"}, kSecretariat); },
          ErrorCode::InvalidArgument, "address");
  auto contacts = store_->contacts();
  ASSERT_EQ(contacts.size(), 2u);
  EXPECT_EQ(contacts[0].channel, Channel::Email);
  EXPECT_EQ(contacts[1].address, "https://hooks.example.org/col");
}

EmergencySessionWrite emergency(const std::string& code) {
  EmergencySessionWrite s;
  s.meeting.declaration = "la-2022";
  s.meeting.code = code;
  s.meeting.kind = MeetingKind::Emergency;
  s.meeting.title = {"Emergency session: Haitian movement", "Sesión de emergencia: movimiento haitiano"};
  s.meeting.held_on = "2022-11-02";
  s.meeting.participants = {"COL", "PER", "USA"};
  s.meeting.event_id = 17;
  s.meeting.event_raised_at = "2022-10-30T08:00:00Z";
  s.meeting.evidence = R"({"route":"darien-north","windows":[{"checkpoint":"us-border","from":"2022-12"}]})";
  s.pillar.pillar = "E-17";
  s.pillar.kind = PillarChangeKind::Added;
  s.pillar.after.number = 90;
  s.pillar.after.kind = PillarKind::Emergency;
  s.pillar.after.name = {"Emergency response 17", "Respuesta de emergencia 17"};
  for (auto party : {"COL", "PER"}) {
    Notification n;
    n.party = party;
    n.channel = Channel::Email;
    n.address = std::string("focal@") + party + ".example.org";
    n.subject = "Emergency session";
    n.body = "Convened";
    s.notifications.push_back(n);
  }
  Notification hook;
  hook.party = "USA";
  hook.channel = Channel::Webhook;
  hook.address = "https://hooks.example.org/usa";
  hook.body = R"({"meeting":"e-17"})";
  s.notifications.push_back(hook);
  return s;
}

TEST_P(ProcessStoreContract, AnEmergencySessionIsOneWriteThatFillsIdsAndTimes) {
  const Actor task_force{11, "tomas", "cli", "token:5"};
  EmergencySessionWrite done = store_->call_emergency_session(emergency("e-17"), task_force);
  EXPECT_FALSE(done.meeting.called_at.empty());
  EXPECT_EQ(done.meeting.called_by.name, "tomas");
  EXPECT_GT(done.pillar.id, 0);
  EXPECT_EQ(done.pillar.meeting, "e-17");
  EXPECT_EQ(done.pillar.after.event_id, std::optional<int64_t>(17));
  EXPECT_EQ(done.pillar.after.opened_on, "2022-11-02");
  ASSERT_EQ(done.notifications.size(), 3u);
  for (const Notification& n : done.notifications) {
    EXPECT_GT(n.id, 0);
    EXPECT_EQ(n.queued_at, done.meeting.called_at);
    EXPECT_EQ(n.next_attempt_at, done.meeting.called_at);
    EXPECT_EQ(n.meeting, "e-17");
  }
  auto m = store_->meeting("la-2022", "e-17");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->kind, MeetingKind::Emergency);
  EXPECT_EQ(m->event_id, std::optional<int64_t>(17));
  EXPECT_EQ(m->event_raised_at, "2022-10-30T08:00:00Z");
  EXPECT_EQ(m->called_at, done.meeting.called_at);
  EXPECT_EQ(m->called_by.credential, "token:5");
  EXPECT_EQ(m->evidence, emergency("e-17").meeting.evidence);
  auto pillar = store_->pillar("la-2022", "E-17");
  ASSERT_TRUE(pillar);
  EXPECT_EQ(pillar->kind, PillarKind::Emergency);
  EXPECT_EQ(store_->pillar_history("la-2022", "E-17").size(), 1u);
  EXPECT_EQ(store_->notifications("la-2022", "e-17").size(), 3u);
  // A commitment made at the session sits under its pillar.
  Commitment c = commitment("e17-col", {"COL"}, "E-17", "2022-11-02");
  c.made_at = "e-17";
  store_->add_commitment(c, kFocalPoint);
  EXPECT_EQ(store_->commitments({"la-2022", "E-17", "", ""}).size(), 1u);
  // An emergency session is not saved over, nor saved as a plain meeting.
  refused([&] { store_->save_meeting(regular("e-17", "2022-11-02"), kSecretariat); }, ErrorCode::Conflict, "code");
  Meeting plain = regular("e-18", "2022-11-03");
  plain.kind = MeetingKind::Emergency;
  refused([&] { store_->save_meeting(plain, kSecretariat); }, ErrorCode::InvalidArgument, "kind");
  refused([&] { store_->call_emergency_session(emergency("e-17"), task_force); }, ErrorCode::Conflict, "code");
}

TEST_P(ProcessStoreContract, AnEmergencySessionRefusedInPartWritesNothing) {
  EmergencySessionWrite s = emergency("e-17");
  s.notifications.back().address = "not a url";  // the last step fails
  refused([&] { store_->call_emergency_session(s, kSecretariat); }, ErrorCode::InvalidArgument, "address");
  EXPECT_FALSE(store_->meeting("la-2022", "e-17"));
  EXPECT_FALSE(store_->pillar("la-2022", "E-17"));
  EXPECT_TRUE(store_->notifications("la-2022", "").empty());
  EmergencySessionWrite no_event = emergency("e-18");
  no_event.meeting.event_id.reset();
  refused([&] { store_->call_emergency_session(no_event, kSecretariat); }, ErrorCode::InvalidArgument, "event_id");
  EmergencySessionWrite taken = emergency("e-19");
  taken.pillar.pillar = "P1";  // exists
  refused([&] { store_->call_emergency_session(taken, kSecretariat); }, ErrorCode::Conflict, "pillar");
  EXPECT_FALSE(store_->meeting("la-2022", "e-19"));
}

TEST_P(ProcessStoreContract, NotificationsFallDueAndRecordEachAttempt) {
  auto done = store_->call_emergency_session(emergency("e-17"), kSecretariat);
  const std::string later = "2999-01-01T00:00:00Z";
  EXPECT_EQ(store_->due_notifications("2000-01-01T00:00:00Z").size(), 0u);  // not yet due
  auto due = store_->due_notifications(later);
  ASSERT_EQ(due.size(), 3u);
  const int64_t a = due[0].id, b = due[1].id, c = due[2].id;
  store_->record_notification_attempt(a, true, "", "");
  store_->record_notification_attempt(b, false, "connection refused", "2998-01-01T00:00:00Z");
  store_->record_notification_attempt(c, false, "mailbox unavailable", "");  // given up
  due = store_->due_notifications(later);
  ASSERT_EQ(due.size(), 1u);
  EXPECT_EQ(due[0].id, b);
  EXPECT_EQ(due[0].attempts, 1);
  EXPECT_EQ(due[0].last_error, "connection refused");
  EXPECT_EQ(store_->due_notifications("2997-12-31T00:00:00Z").size(), 0u);  // waits for its next attempt
  auto all = store_->notifications("la-2022", "e-17");
  ASSERT_EQ(all.size(), 3u);
  for (const Notification& n : all) {
    if (n.id == a) {
      EXPECT_FALSE(n.delivered_at.empty());
      EXPECT_GE(n.delivered_at, n.queued_at);
      EXPECT_TRUE(n.next_attempt_at.empty());
    } else if (n.id == c) {
      EXPECT_FALSE(n.failed_at.empty());
      EXPECT_TRUE(n.delivered_at.empty());
      EXPECT_EQ(n.last_error, "mailbox unavailable");
    }
  }
  // A delivered or given-up notice takes no further attempts.
  refused([&] { store_->record_notification_attempt(a, true, "", ""); }, ErrorCode::NotFound, "id");
  refused([&] { store_->record_notification_attempt(999999, true, "", ""); }, ErrorCode::NotFound, "id");
}

TEST_P(ProcessStoreContract, AClaimedNotificationIsNotSentByASecondDeliverer) {
  store_->call_emergency_session(emergency("e-17"), kSecretariat);
  const std::string now = "2999-01-01T00:00:00Z", until = "2999-01-01T00:01:10Z";
  const int64_t id = store_->due_notifications(now).at(0).id;
  auto other = open_process_store(db_->location());  // another deliverer's connection
  EXPECT_TRUE(store_->claim_notification(id, now, until));
  EXPECT_FALSE(other->claim_notification(id, now, until));
  EXPECT_EQ(other->due_notifications(now).size(), 2u) << "claimed: not due to others";
  // Due again once the claim lapses (the first deliverer died mid-attempt).
  EXPECT_TRUE(other->claim_notification(id, until, "2999-01-01T00:02:20Z"));
  // Delivered or given up: nobody claims it.
  other->record_notification_attempt(id, true, "", "");
  EXPECT_FALSE(store_->claim_notification(id, "3000-01-01T00:00:00Z", "3000-01-01T00:01:10Z"));
  const int64_t given_up = other->due_notifications(now).at(0).id;
  other->record_notification_attempt(given_up, false, "mailbox unavailable", "");
  EXPECT_FALSE(store_->claim_notification(given_up, "3000-01-01T00:00:00Z", "3000-01-01T00:01:10Z"));
  EXPECT_FALSE(store_->claim_notification(999999, now, until));
}

TEST_P(ProcessStoreContract, EveryChangeAndEveryRefusalIsInTheAuditTrail) {
  store_->add_commitment(commitment("c1", {"COL"}, "P1", "2022-10-06"), kFocalPoint);
  store_->report_status({0, "c1", "lima-2022", ReportedStatus::Planning, {}, {}, ""}, kFocalPoint);
  refused([&] { store_->report_status({0, "c1", "summit-2022", ReportedStatus::Planning, {}, {}, ""}, kFocalPoint); },
          ErrorCode::InvalidArgument, "meeting");
  refused([&] { store_->add_commitment(commitment("c2", {"MEX"}, "P1", "2022-10-06"), kFocalPoint); },
          ErrorCode::InvalidArgument, "parties");

  auto reports = audit_lines("commitment.report");
  ASSERT_EQ(reports.size(), 2u);  // newest first
  EXPECT_EQ(reports[0].entry.outcome, "refused");
  EXPECT_EQ(reports[0].entry.object, "declaration:la-2022/commitment:c1");
  EXPECT_NE(reports[0].entry.detail.find("held on 2022-06-10"), std::string::npos) << reports[0].entry.detail;
  EXPECT_EQ(reports[1].entry.outcome, "ok");
  EXPECT_EQ(reports[1].entry.actor.name, "camilo");
  EXPECT_EQ(reports[1].entry.actor.origin, "10.0.0.5");
  auto adds = audit_lines("commitment.add");
  ASSERT_EQ(adds.size(), 2u);
  EXPECT_EQ(adds[0].entry.outcome, "refused");
  EXPECT_EQ(adds[0].entry.object, "declaration:la-2022/commitment:c2");
  EXPECT_NE(adds[0].entry.detail.find("MEX does not endorse"), std::string::npos) << adds[0].entry.detail;
  EXPECT_EQ(adds[1].entry.outcome, "ok");
  // The set-up's changes, each with its line.
  EXPECT_EQ(audit_lines("declaration.save").size(), 1u);
  EXPECT_EQ(audit_lines("endorsement.save").size(), 4u);
  EXPECT_EQ(audit_lines("meeting.save").size(), 3u);
  EXPECT_EQ(audit_lines("package.save").size(), 1u);
  auto pillars = audit_lines("pillar.added");
  ASSERT_EQ(pillars.size(), 2u);
  EXPECT_EQ(pillars[1].entry.object, "declaration:la-2022/pillar:P1");
  EXPECT_EQ(pillars[1].entry.actor.name, "sofia");
  store_->call_emergency_session(emergency("e-17"), kSecretariat);
  auto calls = audit_lines("emergency_session.call");
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].entry.object, "declaration:la-2022/meeting:e-17");
  store_->save_contact({"COL", Channel::Email, "a@b.example.org"}, kSecretariat);
  auto contact = audit_lines("contact.save");
  ASSERT_EQ(contact.size(), 1u);
  EXPECT_EQ(contact[0].entry.detail.find("a@b"), std::string::npos);  // no personal data in the line
}

TEST_P(ProcessStoreContract, EachCommittedChangeAdvancesTheDataVersion) {
  const int64_t before = store_->data_version();
  store_->add_commitment(commitment("c1", {"COL"}, "P1", "2022-10-06"), kFocalPoint);
  EXPECT_NE(store_->data_version(), before);
  const int64_t after = store_->data_version();
  refused([&] { store_->add_commitment(commitment("c1", {"COL"}, "P1", "2022-10-06"), kFocalPoint); },
          ErrorCode::Conflict, "code");
  EXPECT_EQ(store_->data_version(), after);  // a refusal's audit line is bookkeeping
}

INSTANTIATE_TEST_SUITE_P(Backends, ProcessStoreContract, ::testing::ValuesIn(sql::test_backends()),
                         sql::backend_name);

}  // namespace
}  // namespace atalaya::process
