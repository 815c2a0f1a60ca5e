#include "atalaya/access/permissions.h"

#include <algorithm>
#include <array>

namespace atalaya::access {
namespace {

constexpr std::array<std::string_view, 6> kRoleNames = {"administrator", "data_team", "focal_point",
                                                       "task_force",    "analyst",   "secretariat"};
constexpr std::array<std::string_view, 11> kRightNames = {
    "read_published", "read_restricted",    "upload_data",    "change_alerts",         "run_warning",
    "manage_accounts", "read_audit",        "manage_store",   "report_commitments",    "manage_process",
    "call_emergency_session"};

bool has(const std::vector<Right>& rights, Right r) { return std::find(rights.begin(), rights.end(), r) != rights.end(); }

std::string role_phrase(const Grant& g) {
  std::string s(role_name(g.role));
  std::replace(s.begin(), s.end(), '_', ' ');
  if (g.role == Role::FocalPoint) {
    s += " for ";
    for (size_t i = 0; i < g.reporters.size(); ++i) s += (i ? ", " : "") + g.reporters[i];
  }
  return s;
}

}  // namespace

std::string_view role_name(Role r) { return kRoleNames.at(static_cast<size_t>(r)); }
std::string_view right_name(Right r) { return kRightNames.at(static_cast<size_t>(r)); }

std::optional<Role> parse_role(std::string_view name) {
  for (Role r : kRoles)
    if (role_name(r) == name) return r;
  return std::nullopt;
}

std::optional<Right> parse_right(std::string_view name) {
  for (Right r : kRights)
    if (right_name(r) == name) return r;
  return std::nullopt;
}

// The matrix. docs/user-guide.md ("Accounts and roles") prints it; the
// permission-matrix tests walk it for every endpoint and command.
std::vector<Right> rights_of(Role r) {
  switch (r) {
    case Role::Administrator:
      return {std::begin(kRights), std::end(kRights)};
    case Role::DataTeam:
      return {Right::ReadPublished, Right::ReadRestricted, Right::UploadData, Right::RunWarning};
    case Role::FocalPoint:
      return {Right::ReadPublished, Right::UploadData, Right::ReportCommitments};
    case Role::TaskForce:
      return {Right::ReadPublished, Right::ReadRestricted, Right::ChangeAlerts, Right::CallEmergencySession};
    case Role::Analyst:
      return {Right::ReadPublished, Right::ReadRestricted};
    case Role::Secretariat:
      return {Right::ReadPublished, Right::ReadRestricted, Right::ManageProcess};
  }
  return {};
}

// A focal point acts only for its reporters: their sources' data, their
// states' commitments.
bool scoped(Role r, Right right) {
  return r == Role::FocalPoint && (right == Right::UploadData || right == Right::ReportCommitments);
}

Principal Principal::anonymous(std::string origin) {
  Principal p;
  p.actor.name = "anonymous";
  p.actor.origin = std::move(origin);
  p.actor.credential = "none";
  return p;
}

Principal Principal::local_operator(std::string unix_user) {
  Principal p;
  p.actor.name = "operator:" + unix_user;
  p.actor.origin = "cli";
  p.actor.credential = "local";
  p.grants.push_back({Role::Administrator, {}});
  return p;
}

Decision decide(const Principal& who, Right right, std::string_view reporter) {
  Decision d;
  if (right == Right::ReadPublished) {
    d.allowed = true;
    return d;
  }
  const bool token_allows = !who.token_rights || has(*who.token_rights, right);
  bool scoped_elsewhere = false;
  for (const Grant& g : who.grants) {
    if (!has(rights_of(g.role), right)) continue;
    if (!scoped(g.role, right) ||
        (!reporter.empty() && std::find(g.reporters.begin(), g.reporters.end(), reporter) != g.reporters.end())) {
      d.allowed = token_allows;
      if (d.allowed) return d;
    } else {
      scoped_elsewhere = true;
    }
  }
  d.missing = std::string(right_name(right));
  if (scoped_elsewhere && !reporter.empty()) d.missing += ":" + std::string(reporter);
  if (who.is_public()) {
    d.code = ErrorCode::Unauthenticated;
    d.message = "this needs the right " + d.missing + "; sign in, or send a personal token (Authorization: Bearer TOKEN)";
    return d;
  }
  d.code = ErrorCode::Forbidden;
  std::string roles;
  for (const Grant& g : who.grants) roles += (roles.empty() ? "" : "; ") + role_phrase(g);
  if (!token_allows && std::any_of(who.grants.begin(), who.grants.end(), [&](const Grant& g) {
        return has(rights_of(g.role), right);
      }))
    d.message = who.actor.name + "'s token does not carry the right " + d.missing;
  else if (scoped_elsewhere)
    d.message = who.actor.name + " (" + roles + ") may not act for " + std::string(reporter.empty() ? "this source" : reporter) +
                ": this needs the right " + d.missing;
  else
    d.message = who.actor.name + " (" + roles + ") does not hold the right " + d.missing;
  return d;
}

void require(const Principal& who, Right right, std::string_view reporter) {
  Decision d = decide(who, right, reporter);
  if (!d.allowed) throw Refused(d);
}

std::vector<Right> held_rights(const Principal& who) {
  std::vector<Right> out{Right::ReadPublished};
  for (const Grant& g : who.grants)
    for (Right r : rights_of(g.role))
      if (!has(out, r) && (!who.token_rights || has(*who.token_rights, r))) out.push_back(r);
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace atalaya::access
