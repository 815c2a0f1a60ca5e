#include "atalaya/access/permissions.h"

#include <gtest/gtest.h>

namespace atalaya::access {
namespace {

Principal person(std::string name, std::vector<Grant> grants) {
  Principal p;
  p.actor.person_id = 7;
  p.actor.name = std::move(name);
  p.grants = std::move(grants);
  return p;
}

TEST(Permissions, ThePublicReadsPublishedDataAndIsAskedToSignInForTheRest) {
  const Principal anyone = Principal::anonymous("203.0.113.9");
  EXPECT_TRUE(decide(anyone, Right::ReadPublished).allowed);
  for (Right r : kRights) {
    if (r == Right::ReadPublished) continue;
    const Decision d = decide(anyone, r);
    EXPECT_FALSE(d.allowed) << right_name(r);
    EXPECT_EQ(d.code, ErrorCode::Unauthenticated) << right_name(r);
    EXPECT_EQ(d.missing, right_name(r));
  }
}

TEST(Permissions, AFocalPointUploadsForItsReportersOnly) {
  const Principal panama = person("Ana Pérez", {{Role::FocalPoint, {"PAN"}}});
  EXPECT_TRUE(decide(panama, Right::UploadData, "PAN").allowed);
  const Decision mexico = decide(panama, Right::UploadData, "MEX");
  EXPECT_FALSE(mexico.allowed);
  EXPECT_EQ(mexico.code, ErrorCode::Forbidden);
  EXPECT_EQ(mexico.missing, "upload_data:MEX");
  EXPECT_NE(mexico.message.find("Ana Pérez (focal point for PAN)"), std::string::npos) << mexico.message;
  // A scoped right needs a reporter to be checked against.
  EXPECT_FALSE(decide(panama, Right::UploadData).allowed);
  EXPECT_FALSE(decide(panama, Right::ReadRestricted).allowed);
  EXPECT_FALSE(decide(panama, Right::ChangeAlerts).allowed);
}

TEST(Permissions, TheDataTeamUploadsForEveryReporter) {
  const Principal team = person("Data team", {{Role::DataTeam, {}}});
  EXPECT_TRUE(decide(team, Right::UploadData, "MEX").allowed);
  EXPECT_TRUE(decide(team, Right::UploadData, "USA").allowed);
  EXPECT_FALSE(decide(team, Right::ChangeAlerts).allowed);
  EXPECT_FALSE(decide(team, Right::ReadAudit).allowed);
}

TEST(Permissions, RolesAddUp) {
  const Principal both = person("Luis", {{Role::FocalPoint, {"HND"}}, {Role::TaskForce, {}}});
  EXPECT_TRUE(decide(both, Right::UploadData, "HND").allowed);
  EXPECT_TRUE(decide(both, Right::ChangeAlerts).allowed);
  EXPECT_FALSE(decide(both, Right::UploadData, "GTM").allowed);
}

TEST(Permissions, ATokenCarriesOnlyTheRightsItWasGiven) {
  Principal script = person("Data team", {{Role::DataTeam, {}}});
  script.token_rights = std::vector<Right>{Right::UploadData};
  EXPECT_TRUE(decide(script, Right::UploadData, "PAN").allowed);
  const Decision d = decide(script, Right::ReadRestricted);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.code, ErrorCode::Forbidden);
  EXPECT_NE(d.message.find("token"), std::string::npos) << d.message;
  // A token naming a right the owner lacks grants nothing.
  script.token_rights = std::vector<Right>{Right::ManageAccounts};
  EXPECT_FALSE(decide(script, Right::ManageAccounts).allowed);
  EXPECT_EQ(held_rights(script), std::vector<Right>{Right::ReadPublished});
}

TEST(Permissions, TheAdministratorAndTheLocalOperatorMayDoEverything) {
  const Principal admin = person("Admin", {{Role::Administrator, {}}});
  const Principal local = Principal::local_operator("maria");
  EXPECT_EQ(local.actor.name, "operator:maria");
  for (Right r : kRights) {
    EXPECT_TRUE(decide(admin, r, "MEX").allowed) << right_name(r);
    EXPECT_TRUE(decide(local, r).allowed) << right_name(r);
  }
}

TEST(Permissions, RequireThrowsARefusalNamingTheMissingRight) {
  const Principal analyst = person("Eva", {{Role::Analyst, {}}});
  try {
    require(analyst, Right::ChangeAlerts);
    FAIL() << "expected a refusal";
  } catch (const Refused& e) {
    EXPECT_EQ(e.code(), ErrorCode::Forbidden);
    EXPECT_EQ(e.parameter(), "Authorization");
    EXPECT_EQ(e.missing, "change_alerts");
  }
}

TEST(Permissions, NamesRoundTrip) {
  for (Role r : kRoles) EXPECT_EQ(parse_role(role_name(r)), r);
  for (Right r : kRights) EXPECT_EQ(parse_right(right_name(r)), r);
  EXPECT_FALSE(parse_role("superuser"));
  EXPECT_FALSE(parse_right("everything"));
}

}  // namespace
}  // namespace atalaya::access

namespace atalaya::access {
namespace {

// The L.A. Process: a focal point reports for its own state only; the
// secretariat keeps the records and assesses; the task force calls
// emergency sessions.
TEST(Permissions, TheProcessRightsFollowTheRoles) {
  const Principal colombia = person("Camila", {{Role::FocalPoint, {"COL"}}});
  EXPECT_TRUE(decide(colombia, Right::ReportCommitments, "COL").allowed);
  const Decision for_peru = decide(colombia, Right::ReportCommitments, "PER");
  EXPECT_FALSE(for_peru.allowed);
  EXPECT_EQ(for_peru.missing, "report_commitments:PER");
  EXPECT_FALSE(decide(colombia, Right::ManageProcess).allowed);

  const Principal secretariat = person("Sofía", {{Role::Secretariat, {}}});
  EXPECT_TRUE(decide(secretariat, Right::ManageProcess).allowed);
  EXPECT_FALSE(decide(secretariat, Right::ReportCommitments, "COL").allowed);
  EXPECT_FALSE(decide(secretariat, Right::CallEmergencySession).allowed);
  EXPECT_FALSE(decide(secretariat, Right::UploadData, "COL").allowed);

  const Principal task_force = person("Luis", {{Role::TaskForce, {}}});
  EXPECT_TRUE(decide(task_force, Right::CallEmergencySession).allowed);
  EXPECT_FALSE(decide(task_force, Right::ManageProcess).allowed);
  EXPECT_EQ(parse_role("secretariat"), Role::Secretariat);
}

}  // namespace
}  // namespace atalaya::access
