#include "atalaya/process/process_model.h"

#include <gtest/gtest.h>

#include "atalaya/core/error.h"

namespace atalaya::process {
namespace {

TEST(ProcessModel, DeadlinesAsAnnouncedEndOnTheLastDayTheyAllow) {
  EXPECT_EQ(read_deadline("2022-08-31", "deadline").by, "2022-08-31");
  EXPECT_EQ(read_deadline("2022-08", "deadline").by, "2022-08-31");
  EXPECT_EQ(read_deadline("2024-02", "deadline").by, "2024-02-29");
  EXPECT_EQ(read_deadline("2028", "deadline").by, "2028-12-31");
  // U.S. fiscal year 2024 runs from October 2023 to September 2024.
  EXPECT_EQ(read_deadline("FY2024", "deadline").by, "2024-09-30");
  EXPECT_EQ(read_deadline("FY2024", "deadline").as_stated, "FY2024");
}

TEST(ProcessModel, ADeadlineThatIsNoDateNamesTheParameterAndTheForms) {
  for (const char* bad : {"", "soon", "2022-13", "2022-02-30", "22-08", "2022Q3", "FY24"}) {
    try {
      read_deadline(bad, "commitments.csv:4 deadline");
      FAIL() << bad;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ErrorCode::InvalidArgument) << bad;
      EXPECT_NE(std::string(e.what()).find("commitments.csv:4 deadline"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("FY2024"), std::string::npos) << e.what();
    }
  }
}

TEST(ProcessModel, DaysAreStrictIsoDays) {
  EXPECT_NO_THROW(check_day("2022-06-10", "joined_on"));
  for (const char* bad : {"10/06/2022", "2022-6-10", "2022-06-31", "2022-06", ""})
    EXPECT_THROW(check_day(bad, "joined_on"), Error) << bad;
}

TEST(ProcessModel, NamesReadBackAndUnknownWordsAreRefused) {
  for (auto s : {ReportedStatus::Planning, ReportedStatus::InProgress, ReportedStatus::Fulfilled,
                 ReportedStatus::Stalled, ReportedStatus::Withdrawn})
    EXPECT_EQ(parse_reported_status(reported_status_name(s)), s);
  for (auto c : {Completion::NoEvidence, Completion::NotStarted, Completion::Limited, Completion::Substantial,
                 Completion::Complete})
    EXPECT_EQ(parse_completion(completion_name(c)), c);
  EXPECT_EQ(parse_commitment_kind("pathway_places"), CommitmentKind::PathwayPlaces);
  EXPECT_FALSE(parse_reported_status("done"));
  EXPECT_FALSE(parse_pillar_kind("Permanent"));
}

TEST(ProcessModel, AnEndorsementIsActiveFromItsJoiningUntilItsWithdrawal) {
  Endorsement e;
  e.joined_on = "2022-10-06";
  EXPECT_FALSE(e.active_on("2022-06-10"));
  EXPECT_TRUE(e.active_on("2022-10-06"));
  e.withdrew_on = "2024-01-01";
  EXPECT_TRUE(e.active_on("2023-12-31"));
  EXPECT_FALSE(e.active_on("2024-01-01"));
}

TEST(ProcessModel, TextFallsBackToTheOtherLanguage) {
  Text t{"Regular pathways", ""};
  EXPECT_EQ(t.in("es"), "Regular pathways");
  t.es = "Vías regulares";
  EXPECT_EQ(t.in("es"), "Vías regulares");
  EXPECT_EQ(t.in("en"), "Regular pathways");
}

}  // namespace
}  // namespace atalaya::process
