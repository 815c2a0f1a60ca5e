#include "atalaya/reports/process_export.h"

#include <gtest/gtest.h>

#include "atalaya/reports/series_export.h"
#include "atalaya/reports/zip_testing.h"

namespace atalaya {
namespace {

using namespace process;

// Two commitments: one with a target, a status and an assessment; one with
// none of these, and a text a spreadsheet would run as a formula.
CommitmentExport sample() {
  CommitmentExport e;
  CommitmentRecord usa;
  usa.commitment.declaration = "la-2022";
  usa.commitment.code = "la-2022-P2-USA-resettlement";
  usa.commitment.parties = {"USA", "CAN"};
  usa.commitment.pillar = "P2";
  usa.commitment.kind = CommitmentKind::PathwayPlaces;
  usa.commitment.text = {"Resettle 20,000 refugees", "Reasentar a 20.000 refugiados"};
  usa.commitment.target = Target{20000, "persons resettled", "20000"};
  usa.commitment.deadline = read_deadline("FY2024", "deadline");
  usa.commitment.made_on = "2022-06-10";
  usa.commitment.made_at = "la-summit-2022";
  usa.latest_status = StatusReport{1, usa.commitment.code, "lima-2022", ReportedStatus::InProgress, {}, {}, ""};
  usa.latest_assessment = Assessment{1, usa.commitment.code, "lima-2022", Completion::Limited, {}, {}, ""};
  CommitmentRecord col;
  col.commitment.declaration = "la-2022";
  col.commitment.code = "la-2022-P1-COL-etpv";
  col.commitment.parties = {"COL"};
  col.commitment.pillar = "P1";
  col.commitment.text = {"=HYPERLINK(\"x\")", ""};
  col.commitment.made_on = "2022-06-10";
  e.commitments = {usa, col};
  Meeting lima;
  lima.code = "lima-2022";
  lima.held_on = "2022-10-06";
  e.meetings = {lima};
  return e;
}

TEST(ProcessExport, CsvHasTheHeaderAndOneRowPerCommitmentMissingIsEmpty) {
  const std::string csv = commitments_csv(sample(), false);
  const std::string header = csv.substr(0, csv.find('\n'));
  EXPECT_EQ(header, "declaration,code,parties,pillar,package,kind,text,target_value,target_unit,deadline,deadline_by,"
                    "made_on,made_at,latest_status,status_meeting,status_held_on,latest_completion,"
                    "assessment_meeting,assessment_held_on");
  EXPECT_NE(csv.find("\nla-2022,la-2022-P2-USA-resettlement,USA; CAN,P2,,pathway_places,\"Resettle 20,000 refugees\","
                     "20000,persons resettled,FY2024,2024-09-30,2022-06-10,la-summit-2022,in_progress,lima-2022,"
                     "2022-10-06,limited,lima-2022,2022-10-06\n"),
            std::string::npos)
      << csv;
  // No target, status or assessment: empty cells, never 0; a formula is shown, not run.
  EXPECT_NE(csv.find("\nla-2022,la-2022-P1-COL-etpv,COL,P1,,policy,\"'=HYPERLINK(\"\"x\"\")\",,,,,2022-06-10,,,,,,,\n"),
            std::string::npos)
      << csv;
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 3);
  EXPECT_EQ(commitments_csv(sample(), true).rfind(std::string(kUtf8Bom), 0), 0u);
}

TEST(ProcessExport, TheTextIsInTheAskedLanguageElseTheOther) {
  CommitmentExport e = sample();
  e.lang = "es";
  const std::string csv = commitments_csv(e, false);
  EXPECT_NE(csv.find(",Reasentar a 20.000 refugiados,"), std::string::npos);
  EXPECT_NE(csv.find("HYPERLINK"), std::string::npos);  // no Spanish text: the English one
}

TEST(ProcessExport, XlsxHasOneSheetWithAFrozenHeaderAndTheTargetAsANumber) {
  const auto files = testing::unzip(commitments_xlsx(sample()));
  ASSERT_TRUE(files.count("xl/worksheets/sheet1.xml"));
  EXPECT_FALSE(files.count("xl/worksheets/sheet2.xml"));
  EXPECT_NE(files.at("xl/workbook.xml").find("name=\"commitments\""), std::string::npos);
  const std::string& sheet = files.at("xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet.find("<pane ySplit=\"1\""), std::string::npos);
  EXPECT_NE(sheet.find("<cols>"), std::string::npos);
  EXPECT_NE(sheet.find("<v>20000</v>"), std::string::npos);  // a number cell
  EXPECT_EQ(sheet.find("<f>"), std::string::npos);           // never a formula
  const std::string& strings = files.at("xl/sharedStrings.xml");
  EXPECT_NE(strings.find("la-2022-P1-COL-etpv"), std::string::npos);
  EXPECT_NE(strings.find("assessment_held_on"), std::string::npos);
}

}  // namespace
}  // namespace atalaya
