// Who may do what: the one permission matrix. The API, the CLI and the
// dashboard (through the API's /me) all ask decide() before acting, and
// nothing else grants a right.
//
// A person holds roles; a focal point's role is scoped to reporters (the
// ISO alpha-3 codes of countries, or the codes of organisations, that
// count and publish a source's figures). A personal token carries a subset
// of its owner's rights. Without an account a reader is the public, who
// reads published data only. At the command line of a store that has no
// accounts yet, the person at the keyboard is the local operator, who may
// do everything (they can write the database file anyway).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atalaya/core/actor.h"
#include "atalaya/core/error.h"

namespace atalaya::access {

enum class Role : uint8_t {
  Administrator,  // accounts, tokens, the audit trail, the store itself; everything
  DataTeam,       // the regional data team: uploads for every source, runs the watch, reads what is not public
  FocalPoint,     // a country's or organisation's focal point: uploads for the reporters in scope
  TaskForce,      // acknowledges and resolves alerts and events, runs drills, reads what is not public
  Analyst,        // reads everything that is not public, drills included
  Secretariat,    // the process's secretariat: meetings, pillar changes, assessments, the declaration's records
};
inline constexpr Role kRoles[] = {Role::Administrator, Role::DataTeam, Role::FocalPoint, Role::TaskForce,
                                  Role::Analyst,       Role::Secretariat};

enum class Right : uint8_t {
  ReadPublished,   // sources, series, routes, forecasts, live alerts and events
  ReadRestricted,  // drills; who acted and their notes in alert histories
  UploadData,      // write a vintage of a source (scoped by the source's reporters)
  ChangeAlerts,    // acknowledge, resolve and reopen alerts and events; run and delete drills
  RunWarning,      // evaluate the triggers and store alerts (watch); deliver and requeue the outbox
  ManageAccounts,  // add, change, disable accounts; reset passwords; anyone's tokens
  ReadAudit,       // the audit trail, personal data included
  ManageStore,     // copy a store, change its configuration
  // The L.A. Process (process/):
  ReportCommitments,     // add a state's commitments and report their status (scoped by the state)
  ManageProcess,         // declarations, endorsers, pillars and their changes, packages, meetings, assessments
  CallEmergencySession,  // call an emergency session from a warning event
};
inline constexpr Right kRights[] = {Right::ReadPublished,     Right::ReadRestricted, Right::UploadData,
                                    Right::ChangeAlerts,      Right::RunWarning,     Right::ManageAccounts,
                                    Right::ReadAudit,         Right::ManageStore,    Right::ReportCommitments,
                                    Right::ManageProcess,     Right::CallEmergencySession};

// snake_case names, as the API, the CLI and token scopes spell them.
std::string_view role_name(Role r);
std::optional<Role> parse_role(std::string_view name);
std::string_view right_name(Right r);
std::optional<Right> parse_right(std::string_view name);

// The matrix: the rights a role holds.
std::vector<Right> rights_of(Role r);
// Whether a role's hold of this right is limited to its reporters.
bool scoped(Role r, Right right);

struct Grant {
  Role role = Role::Analyst;
  std::vector<std::string> reporters;  // FocalPoint only: the reporters in scope
};

struct Principal {
  Actor actor;
  std::vector<Grant> grants;  // none: the public
  // A personal token's rights (a subset of its owner's); unset: all of the
  // owner's (a session, the local operator).
  std::optional<std::vector<Right>> token_rights;

  bool is_public() const { return grants.empty(); }
  static Principal anonymous(std::string origin);
  static Principal local_operator(std::string unix_user);
};

struct Decision {
  bool allowed = false;
  // When refused: Unauthenticated (the public, who may sign in: HTTP 401)
  // or Forbidden (signed in, without the right: 403).
  ErrorCode code = ErrorCode::Forbidden;
  std::string missing;  // the right, with ":REPORTER" when scoped: "upload_data:MEX"
  std::string message;  // for a person: "Ana Pérez (focal point for PAN) may not upload data for MEX"
};

// `reporter` is the object's reporter for a scoped right ("" when the
// action has none: then a scoped grant does not suffice).
Decision decide(const Principal& who, Right right, std::string_view reporter = {});

// A refusal: Error(Unauthenticated or Forbidden, "Authorization", message)
// that also names the missing right (JSON errors carry it as "missing_right").
class Refused : public Error {
 public:
  explicit Refused(const Decision& d) : Error(d.code, "Authorization", d.message), missing(d.missing) {}
  std::string missing;
};

// decide(), throwing Refused when refused.
void require(const Principal& who, Right right, std::string_view reporter = {});

// Every right the principal holds in some scope (for /me and for checking a
// token's requested scope against its owner's).
std::vector<Right> held_rights(const Principal& who);

}  // namespace atalaya::access
