// The L.A. Process through the API (endpoints_process*.cpp), on a loopback
// server over the real Darién crossings with the shipped Los Angeles
// Declaration seed: the reads (declaration, matrix, pillar history,
// commitments and their CSV and Excel files, a commitment with observed
// progress, a state, a meeting), the changes with their rights (a focal
// point for its own states, the secretariat's assessments, meetings and
// pillar decisions), the refusals naming what is wrong, who recorded what
// only for read_restricted, and a change showing in the next read.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "atalaya/reports/zip_testing.h"
#include "atalaya/serve/fake_authenticator_testing.h"
#include "atalaya/serve/process_testing.h"
#include "atalaya/serve/serve_testing.h"

namespace atalaya::serve {
namespace {

using access::Role;
using atalaya::testing::person;
using nlohmann::json;

const std::string kBase = "/api/v1/process/la-2022";
const std::string kColombia = "la-2022-P1-COL-etpv";
const std::string kUsa = "la-2022-P2-USA-h2b";

// A monthly test series for an indicator: 50 persons resettled a month,
// January to August 2023 (the Darién file also holds annual values, which
// an indicator refuses).
void write_arrivals(const std::string& db) {
  ParsedFile f;
  f.source = "test-arrivals";
  f.source_name = "Test arrivals";
  f.format = "test";
  f.path = "arrivals.csv";
  f.digest = "digest-arrivals";
  f.series = {SeriesDef{SeriesKey{"test-arrivals", "USA", "", "HTI", "resettlement", "", ""}, Unit::Persons}};
  for (int m = 1; m <= 8; ++m) f.rows.push_back(ObservationRow{0, Period::month(2023, m), 50, Status::Final, 1});
  f.rows_read = static_cast<uint32_t>(f.rows.size());
  open_store(db)->write_vintage(f);
}

class ProcessApi : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!atalaya::testing::real_file_exists("corridor/pa-darien-transit-by-nationality.csv"))
      GTEST_SKIP() << "the real Darién data is not here (set ATALAYA_DATA)";
    accounts_->tokens["atl_col"] = person(1, "camila", {{Role::FocalPoint, {"COL"}}});
    accounts_->tokens["atl_sec"] = person(2, "sofia", {{Role::Secretariat, {}}});
    accounts_->tokens["atl_tf"] = person(3, "tomas", {{Role::TaskForce, {}}});
    accounts_->tokens["atl_analyst"] = person(4, "ana", {{Role::Analyst, {}}});
    served_ = std::make_unique<atalaya::testing::ServedStore>("process-api", "", [this](ServerOptions& o) {
      atalaya::testing::seed_la_declaration(o.db);
      write_arrivals(o.db);
      o.accounts = accounts_;
    });
  }

  httplib::Result get(const std::string& url, const std::string& token = "") {
    auto c = served_->client();
    if (token.empty()) return c.Get(url);
    return c.Get(url, {{"Authorization", "Bearer atl_" + token}});
  }
  json get_json(const std::string& url, const std::string& token = "") {
    auto r = get(url, token);
    if (!r || r->status != 200) {
      ADD_FAILURE() << url << ": " << (r ? std::to_string(r->status) + " " + r->body : "no answer");
      return json::object();
    }
    return json::parse(r->body);
  }
  httplib::Result post(const std::string& url, const json& body, const std::string& token) {
    auto c = served_->client();
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer atl_" + token);
    return c.Post(url, h, body.dump(), "application/json");
  }

  std::shared_ptr<atalaya::testing::FakeAuthenticator> accounts_ = std::make_shared<atalaya::testing::FakeAuthenticator>();
  std::unique_ptr<atalaya::testing::ServedStore> served_;
};

json error_of(const httplib::Result& r) { return json::parse(r->body)["error"]; }

const json* find_by(const json& list, const std::string& key, const std::string& value) {
  for (const json& x : list)
    if (x.value(key, "") == value) return &x;
  return nullptr;
}

TEST_F(ProcessApi, TheDeclarationWithItsEndorsersPillarsAndMeetingsInEitherLanguage) {
  const json list = get_json("/api/v1/process");
  ASSERT_EQ(list["declarations"].size(), 1u);
  EXPECT_EQ(list["declarations"][0]["code"], "la-2022");

  const json en = get_json(kBase + "?lang=en");
  const json es = get_json(kBase + "?lang=es");
  EXPECT_EQ(en["lang"], "en");
  EXPECT_EQ(es["lang"], "es");
  EXPECT_EQ(en["declaration"]["adopted_on"], "2022-06-10");
  EXPECT_GE(en["endorsements"].size(), 20u);
  ASSERT_NE(find_by(en["endorsements"], "party", "COL"), nullptr);
  EXPECT_EQ((*find_by(en["endorsements"], "party", "COL"))["joined_on"], "2022-06-10");
  ASSERT_EQ(en["pillars"].size(), 4u);
  // A text in the answer's language, both languages beside it.
  const json& p1_en = en["pillars"][0];
  const json& p1_es = es["pillars"][0];
  EXPECT_EQ(p1_en["code"], "P1");
  ASSERT_TRUE(p1_en["name"].is_string());
  EXPECT_EQ(p1_en["name"], p1_en["name_i18n"]["en"]);
  EXPECT_EQ(p1_es["name"], p1_es["name_i18n"]["es"]);
  EXPECT_NE(p1_en["name"], p1_es["name"]);
  EXPECT_EQ(p1_en["goals"].size(), p1_en["goals_i18n"].size());
  EXPECT_TRUE(p1_en["open"].get<bool>());
  EXPECT_NE(find_by(en["meetings"], "code", "lima-2022"), nullptr);

  auto unknown = get(kBase.substr(0, kBase.size() - 7) + "la-1999");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(error_of(unknown)["parameter"], "declaration");
}

TEST_F(ProcessApi, TheMatrixCountsTheJune2022CommitmentsByPillar) {
  const json m = get_json(kBase + "/matrix?as_of=2022-06-30");
  EXPECT_EQ(m["as_of"], "2022-06-30");
  EXPECT_EQ(m["statuses"].back(), "not_reported");
  std::map<std::string, int> by_pillar;
  for (const json& row : m["rows"]) by_pillar[row["pillar"]["code"]] = row["total"]["total"];
  EXPECT_EQ(by_pillar, (std::map<std::string, int>{{"P1", 6}, {"P2", 11}, {"P3", 2}, {"P4", 0}}));
  EXPECT_EQ(m["total"]["total"], 19);
  EXPECT_EQ(m["total"]["not_reported"], 19);
  EXPECT_EQ(m["party_totals"]["USA"]["total"], 9);

  auto bad = get(kBase + "/matrix?as_of=June");
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(error_of(bad)["parameter"], "as_of");
}

TEST_F(ProcessApi, CommitmentsAsJsonCsvAndExcel) {
  const json usa = get_json(kBase + "/commitments?party=USA");
  ASSERT_EQ(usa["commitments"].size(), 9u);
  for (const json& c : usa["commitments"]) {
    EXPECT_NE(std::find(c["parties"].begin(), c["parties"].end(), "USA"), c["parties"].end()) << c["code"];
    EXPECT_TRUE(c["latest_status"].is_null());
    EXPECT_FALSE(c.contains("roadmap"));
  }
  const json p3 = get_json(kBase + "/commitments?pillar=P3");
  EXPECT_EQ(p3["commitments"].size(), 2u);

  auto csv = get(kBase + "/commitments?format=csv&party=COL");
  ASSERT_TRUE(csv);
  ASSERT_EQ(csv->status, 200) << csv->body;
  EXPECT_EQ(csv->get_header_value("Content-Type").rfind("text/csv", 0), 0u);
  EXPECT_NE(csv->get_header_value("Content-Disposition").find("la-2022-commitments.csv"), std::string::npos);
  const std::string body = csv->body.substr(3);  // after the byte-order mark
  EXPECT_EQ(body.substr(0, body.find('\n')),
            "declaration,code,parties,pillar,package,kind,text,target_value,target_unit,deadline,deadline_by,made_on,"
            "made_at,latest_status,status_meeting,status_held_on,latest_completion,assessment_meeting,"
            "assessment_held_on");
  EXPECT_NE(body.find("\nla-2022," + kColombia + ",COL,P1,"), std::string::npos) << body;

  auto xlsx = get(kBase + "/commitments?format=xlsx");
  ASSERT_TRUE(xlsx);
  ASSERT_EQ(xlsx->status, 200);
  const auto files = atalaya::testing::unzip(xlsx->body);
  ASSERT_TRUE(files.count("xl/worksheets/sheet1.xml"));
  EXPECT_NE(files.at("xl/workbook.xml").find("name=\"commitments\""), std::string::npos);
  EXPECT_NE(files.at("xl/sharedStrings.xml").find(kUsa), std::string::npos);
  EXPECT_NE(files.at("xl/worksheets/sheet1.xml").find("<pane ySplit=\"1\""), std::string::npos);
}

TEST_F(ProcessApi, AFocalPointReportsItsOwnStateAndTheNextReadShowsIt) {
  const std::string url = kBase + "/commitments/" + kColombia;
  const json before = get_json(url);  // cached now
  EXPECT_TRUE(before["statuses"].empty());
  EXPECT_TRUE(before["commitment"]["latest_status"].is_null());
  EXPECT_EQ(before["progress"], json({{"no_indicator", true}}));
  EXPECT_TRUE(before["points"].empty());

  auto r = post(url + "/reports",
                {{"meeting", "lima-2022"},
                 {"status", "in_progress"},
                 {"narrative", {{"en", "Decree signed"}, {"es", "Decreto firmado"}}}},
                "col");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 201) << r->body;
  const json stored = json::parse(r->body);
  EXPECT_EQ(stored["status"], "in_progress");
  EXPECT_EQ(stored["held_on"], "2022-10-06");
  EXPECT_EQ(stored["narrative_i18n"]["es"], "Decreto firmado");
  EXPECT_FALSE(stored.contains("reported_by"));  // a focal point does not hold read_restricted

  const json after = get_json(url + "?lang=es");
  ASSERT_EQ(after["statuses"].size(), 1u);
  EXPECT_EQ(after["statuses"][0]["narrative"], "Decreto firmado");
  EXPECT_EQ(after["commitment"]["latest_status"]["status"], "in_progress");
  const json again = get_json(url);  // the cached answer was replaced
  EXPECT_EQ(again["commitment"]["latest_status"]["meeting"], "lima-2022");
  // Who reported it: for read_restricted only.
  EXPECT_FALSE(again["statuses"][0].contains("reported_by"));
  const json restricted = get_json(url, "analyst");
  EXPECT_EQ(restricted["statuses"][0]["reported_by"]["name"], "camila");

  // The meeting's page shows what was recorded there.
  const json meeting = get_json(kBase + "/meetings/lima-2022");
  ASSERT_EQ(meeting["reports"].size(), 1u);
  EXPECT_EQ(meeting["reports"][0]["commitment"], kColombia);
  EXPECT_EQ(meeting["meeting"]["held_on"], "2022-10-06");
  // And the state's page.
  const json state = get_json(kBase + "/states/COL");
  EXPECT_EQ(state["endorsement"]["party"], "COL");
  ASSERT_NE(find_by(state["commitments"], "code", kColombia), nullptr);
  ASSERT_EQ(state["statuses"].size(), 1u);
  EXPECT_EQ(state["statuses"][0]["meeting"]["code"], "lima-2022");
  EXPECT_TRUE(state["events"].is_array());
}

TEST_F(ProcessApi, RefusalsNameWhatIsWrong) {
  const std::string report = kBase + "/commitments/" + kColombia + "/reports";
  auto meeting = post(report, {{"meeting", "bogota-2031"}, {"status", "planning"}}, "col");
  ASSERT_TRUE(meeting);
  EXPECT_EQ(meeting->status, 400) << meeting->body;
  EXPECT_EQ(error_of(meeting)["parameter"], "meeting");

  auto status = post(report, {{"meeting", "lima-2022"}, {"status", "done"}}, "col");
  EXPECT_EQ(status->status, 400);
  EXPECT_EQ(error_of(status)["parameter"], "status");

  auto field = post(report, {{"meeting", "lima-2022"}, {"status", "planning"}, {"by", "x"}}, "col");
  EXPECT_EQ(field->status, 400);
  EXPECT_EQ(error_of(field)["parameter"], "by");

  auto unknown = post(kBase + "/commitments/la-2022-P9-XXX/reports", {{"meeting", "lima-2022"}, {"status", "planning"}}, "col");
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(error_of(unknown)["parameter"], "commitment");
  auto unknown_read = get(kBase + "/commitments/la-2022-P9-XXX");
  EXPECT_EQ(unknown_read->status, 404);

  // Another state's commitment: refused naming the party.
  auto usa = post(kBase + "/commitments/" + kUsa + "/reports", {{"meeting", "lima-2022"}, {"status", "planning"}}, "col");
  EXPECT_EQ(usa->status, 403);
  EXPECT_EQ(error_of(usa)["missing_right"], "report_commitments:USA");
  // The secretariat assesses but does not report; the task force neither assesses.
  auto secretariat_report = post(report, {{"meeting", "lima-2022"}, {"status", "planning"}}, "sec");
  EXPECT_EQ(secretariat_report->status, 403);
  EXPECT_EQ(error_of(secretariat_report)["missing_right"], "report_commitments");
  auto task_force = post(kBase + "/commitments/" + kUsa + "/assessments",
                         {{"meeting", "lima-2022"}, {"completion", "limited"}}, "tf");
  EXPECT_EQ(task_force->status, 403);
  EXPECT_EQ(error_of(task_force)["missing_right"], "manage_process");
  auto anonymous = post(report, {{"meeting", "lima-2022"}, {"status", "planning"}}, "");
  EXPECT_EQ(anonymous->status, 401);
  // Nothing of this was stored.
  EXPECT_TRUE(get_json(kBase + "/commitments/" + kColombia)["statuses"].empty());
}

TEST_F(ProcessApi, TheSecretariatAssessesRecordsMeetingsAndDecidesPillars) {
  auto a = post(kBase + "/commitments/" + kUsa + "/assessments",
                {{"meeting", "lima-2022"}, {"completion", "substantial"}, {"rationale", {{"en", "Visas issued"}}}},
                "sec");
  ASSERT_TRUE(a);
  ASSERT_EQ(a->status, 201) << a->body;
  EXPECT_EQ(json::parse(a->body)["completion"], "substantial");
  EXPECT_EQ(json::parse(a->body)["assessed_by"]["name"], "sofia");  // the secretariat reads restricted data

  auto m = post(kBase + "/meetings",
                {{"code", "panama-2024"},
                 {"kind", "technical"},
                 {"title", {{"en", "Technical meeting"}, {"es", "Reunión técnica"}}},
                 {"held_on", "2024-03-01"},
                 {"agenda", {{{"en", "Labour pathways"}, {"es", "Vías laborales"}}}}},
                "sec");
  ASSERT_EQ(m->status, 201) << m->body;
  EXPECT_EQ(json::parse(m->body)["agenda"][0], "Labour pathways");
  auto emergency = post(kBase + "/meetings",
                        {{"code", "x"}, {"kind", "emergency"}, {"title", {{"en", "x"}}}, {"held_on", "2024-03-01"}}, "sec");
  EXPECT_EQ(emergency->status, 400);
  EXPECT_EQ(error_of(emergency)["parameter"], "kind");

  // A temporary pillar added at one meeting and retired at the next keeps its history.
  auto added = post(kBase + "/pillars/T1/changes",
                    {{"meeting", "washington-2023"},
                     {"kind", "added"},
                     {"note", {{"en", "For the end of Title 42"}}},
                     {"after",
                      {{"number", 5},
                       {"kind", "temporary"},
                       {"name", {{"en", "Title 42 transition"}, {"es", "Transición del Título 42"}}},
                       {"ends_on", "2024-06-30"}}}},
                    "sec");
  ASSERT_EQ(added->status, 201) << added->body;
  EXPECT_EQ(json::parse(added->body)["after"]["opened_on"], "2023-06-23");
  auto retired = post(kBase + "/pillars/T1/changes", {{"meeting", "panama-2024"}, {"kind", "retired"}}, "sec");
  ASSERT_EQ(retired->status, 201) << retired->body;
  auto again = post(kBase + "/pillars/T1/changes", {{"meeting", "panama-2024"}, {"kind", "retired"}}, "sec");
  EXPECT_EQ(again->status, 409);
  EXPECT_EQ(error_of(again)["parameter"], "pillar");

  const json pillar = get_json(kBase + "/pillars/T1?lang=es");
  EXPECT_EQ(pillar["pillar"]["closed_on"], "2024-03-01");
  EXPECT_FALSE(pillar["pillar"]["open"].get<bool>());
  ASSERT_EQ(pillar["history"].size(), 2u);
  EXPECT_EQ(pillar["history"][0]["kind"], "added");
  EXPECT_EQ(pillar["history"][0]["meeting"]["code"], "washington-2023");
  EXPECT_EQ(pillar["history"][0]["after"]["name"], "Transición del Título 42");
  EXPECT_EQ(pillar["history"][1]["kind"], "retired");
  EXPECT_FALSE(pillar["history"][1].contains("recorded_by"));
  const json meeting = get_json(kBase + "/meetings/panama-2024");
  ASSERT_EQ(meeting["pillar_changes"].size(), 1u);
  EXPECT_EQ(meeting["pillar_changes"][0]["pillar"], "T1");
  EXPECT_EQ(get_json(kBase + "/pillars/T1", "analyst")["history"][1]["recorded_by"]["name"], "sofia");
}

TEST_F(ProcessApi, ACommitmentWithAnIndicatorShowsObservedProgressAndItsFlag) {
  auto c = post(kBase + "/commitments",
                {{"code", "la-2022-P1-COL-arrivals"},
                 {"parties", {"COL"}},
                 {"pillar", "P1"},
                 {"text", {{"en", "Resettle 1000 persons"}, {"es", "Reasentar a 1000 personas"}}},
                 {"kind", "pathway_places"},
                 {"target", {{"value", 1000}, {"unit", "persons resettled"}}},
                 {"deadline", "2023-12"},
                 {"made_on", "2022-10-06"},
                 {"made_at", "lima-2022"},
                 {"indicator",
                  {{"selection", {{"source", {"test-arrivals"}}, {"event", {"resettlement"}}}},
                   {"counting", "cumulative_from"},
                   {"from", "2023-01"}}}},
                "col");
  ASSERT_TRUE(c);
  ASSERT_EQ(c->status, 201) << c->body;
  EXPECT_TRUE(json::parse(c->body)["has_indicator"].get<bool>());
  auto usa = post(kBase + "/commitments",
                  {{"code", "x-usa"}, {"parties", {"COL", "USA"}}, {"pillar", "P1"}, {"text", {{"en", "x"}}},
                   {"kind", "policy"}, {"made_on", "2022-10-06"}},
                  "col");
  EXPECT_EQ(usa->status, 403);
  EXPECT_EQ(error_of(usa)["missing_right"], "report_commitments:USA");

  ASSERT_EQ(post(kBase + "/commitments/la-2022-P1-COL-arrivals/reports",
                 {{"meeting", "lima-2022"}, {"status", "fulfilled"}}, "col")
                ->status,
            201);
  const json j = get_json(kBase + "/commitments/la-2022-P1-COL-arrivals");
  const json& p = j["progress"];
  ASSERT_FALSE(p["no_indicator"].get<bool>());
  ASSERT_EQ(p["refused"], "") << p.dump();
  EXPECT_EQ(p["from"], "2023-01");
  EXPECT_EQ(p["to"], "2023-08");  // the data stops before the deadline's month
  EXPECT_TRUE(p["partial"].get<bool>());
  EXPECT_EQ(p["value"], 400);  // 50 x 8 months
  EXPECT_DOUBLE_EQ(p["share"].get<double>(), 0.4);
  EXPECT_EQ(p["sources"], json({"test-arrivals"}));
  EXPECT_TRUE(p["flags"]["claimed_fulfilled_data_short"].get<bool>());
  EXPECT_TRUE(p["flags"]["deadline_passed_short"].get<bool>());
  // The chart's points: the months counted, the last one's running sum the value.
  ASSERT_EQ(j["points"].size(), static_cast<size_t>(p["periods_counted"].get<int>()));
  EXPECT_EQ(j["points"][0]["period"], "2023-01");
  EXPECT_EQ(j["points"][0]["value"], 50);
  EXPECT_DOUBLE_EQ(j["points"].back()["cumulative"].get<double>(), p["value"].get<double>());
  EXPECT_EQ(j["commitment"]["indicator"]["counting"], "cumulative_from");
}

TEST_F(ProcessApi, AnEmergencySessionIsRefusedForAnEventOffAnyRoute) {
  // The served events are off any route (no movement map): the call passes
  // the task force's right and is refused by the planner, naming the event.
  auto r = post("/api/v1/events/1/emergency-session", {{"declaration", "la-2022"}, {"held_on", "2022-11-01"}}, "tf");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400) << r->body;
  EXPECT_EQ(error_of(r)["parameter"], "event");
  auto unknown = post("/api/v1/events/999/emergency-session", {{"declaration", "la-2022"}, {"held_on", "2022-11-01"}}, "tf");
  EXPECT_EQ(unknown->status, 404);
  auto declaration = post("/api/v1/events/1/emergency-session", {{"declaration", "xx"}, {"held_on", "2022-11-01"}}, "tf");
  EXPECT_EQ(declaration->status, 400);
  EXPECT_EQ(error_of(declaration)["parameter"], "declaration");
  auto secretariat = post("/api/v1/events/1/emergency-session", {{"declaration", "la-2022"}, {"held_on", "2022-11-01"}}, "sec");
  EXPECT_EQ(secretariat->status, 403);
  EXPECT_EQ(error_of(secretariat)["missing_right"], "call_emergency_session");
}

}  // namespace
}  // namespace atalaya::serve
