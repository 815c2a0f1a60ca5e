// The process feature's store: declarations, endorsements, pillars and
// their history, action packages, commitments, meetings, status reports,
// assessments, contacts and emergency-session notifications. One
// implementation (sql_process_store.cpp) runs on both backends through
// store/sql/connection.h; the feature owns its tables (process_schema.h,
// feature name "process").
//
// Every change is one transaction with its audit line (store/audit): the
// actions are "declaration.save", "endorsement.save", "package.save",
// "pillar.<added|changed|continued|retired|merged>", "meeting.save",
// "commitment.add", "commitment.update", "commitment.report",
// "commitment.assess", "contact.save", "emergency_session.call";
// the object is "declaration:<code>/<kind>:<code>" (e.g.
// "declaration:la-2022/commitment:la-2022-P2-USA-h2b"). A change the rules
// refuse throws Error(InvalidArgument or Conflict, parameter, message) and
// is audited with outcome "refused"; nothing is written.
//
// Codes are unique within their declaration. Reads never need an actor;
// who recorded what (the Actor fields) is for readers holding
// read_restricted, as the front doors decide.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "atalaya/core/actor.h"
#include "atalaya/process/process_model.h"

namespace atalaya::process {

// A commitment with its newest self-reported status and newest assessment
// (newest by meeting date, then by recording time).
struct CommitmentRecord {
  Commitment commitment;
  std::optional<StatusReport> latest_status;
  std::optional<Assessment> latest_assessment;
};

struct CommitmentFilter {
  std::string declaration;  // required
  std::string pillar;       // "" any
  std::string party;        // "" any: a commitment matches when the party is among its parties
  std::string package;      // "" any
};

// An emergency session as one write: the meeting (kind Emergency, with the
// event and its evidence), the emergency pillar it opens (a PillarChange of
// kind Added decided by that meeting), and a notification per party and
// contact channel, queued at the call.
struct EmergencySessionWrite {
  Meeting meeting;
  PillarChange pillar;
  std::vector<Notification> notifications;
};

class ProcessStore {
 public:
  virtual ~ProcessStore() = default;

  // Declarations: inserted, or updated by code.
  virtual void save_declaration(const Declaration& d, const Actor& actor) = 0;
  virtual std::vector<Declaration> declarations() = 0;
  virtual std::optional<Declaration> declaration(const std::string& code) = 0;

  // Endorsements: one per (declaration, party); saving again corrects the
  // dates or records a withdrawal (withdrew_on). Refused: an unknown
  // declaration, a joined_on before the adoption, withdrew_on <= joined_on.
  virtual void save_endorsement(const Endorsement& e, const Actor& actor) = 0;
  virtual std::vector<Endorsement> endorsements(const std::string& declaration) = 0;

  // A decision about a pillar by a meeting, applied and kept as history.
  // Added creates the pillar (refused if the code exists); Changed replaces
  // its name, goals, number and ends_on (those left empty or 0 in `after`
  // stay); Continued records that it goes on
  // (an emergency or temporary pillar reviewed at a regular meeting), with
  // the same edits as Changed; Retired closes it on the meeting's day;
  // Merged closes it into `after.merged_into` (an open pillar). Refused: an
  // unknown meeting, a change to a closed pillar. Returns the change with
  // its id, `after` and recording time filled.
  virtual PillarChange change_pillar(const PillarChange& change, const Actor& actor) = 0;
  // Every pillar, open and closed, by number.
  virtual std::vector<Pillar> pillars(const std::string& declaration) = 0;
  virtual std::optional<Pillar> pillar(const std::string& declaration, const std::string& code) = 0;
  // The changes of one pillar (or of all, pillar ""), oldest first.
  virtual std::vector<PillarChange> pillar_history(const std::string& declaration, const std::string& pillar) = 0;

  // Action packages: inserted, or updated by code. Refused: an unknown pillar.
  virtual void save_package(const ActionPackage& p, const Actor& actor) = 0;
  virtual std::vector<ActionPackage> packages(const std::string& declaration) = 0;

  // Meetings: inserted, or updated by code (an emergency session only
  // through call_emergency_session).
  virtual void save_meeting(const Meeting& m, const Actor& actor) = 0;
  // By date, oldest first.
  virtual std::vector<Meeting> meetings(const std::string& declaration) = 0;
  virtual std::optional<Meeting> meeting(const std::string& declaration, const std::string& code) = 0;

  // A new commitment; returns its id. Refused: a code in use; a party that
  // does not endorse the declaration (or is not its partner) on made_on; a
  // pillar not open on made_on; a package of another pillar; an unknown
  // made_at meeting.
  virtual int64_t add_commitment(const Commitment& c, const Actor& actor) = 0;
  // Changes a commitment's text, target, deadline, roadmap, evidence or
  // indicator (its code, parties, pillar and made_on stay).
  virtual void update_commitment(const Commitment& c, const Actor& actor) = 0;
  // By pillar number, then code.
  virtual std::vector<CommitmentRecord> commitments(const CommitmentFilter& filter) = 0;
  virtual std::optional<CommitmentRecord> commitment(const std::string& declaration, const std::string& code) = 0;

  // A self-reported status at a meeting. Refused: an unknown commitment or
  // meeting, a meeting held before the commitment was made. Several
  // reports at one meeting are kept; the newest counts.
  virtual StatusReport report_status(const StatusReport& r, const Actor& actor) = 0;
  // An independent assessment at a meeting; refused as report_status.
  virtual Assessment assess(const Assessment& a, const Actor& actor) = 0;
  // A commitment's reports and assessments, oldest first (by meeting date,
  // then recording time).
  virtual std::vector<StatusReport> status_history(const std::string& declaration, const std::string& commitment) = 0;
  virtual std::vector<Assessment> assessments(const std::string& declaration, const std::string& commitment) = 0;
  // What one meeting recorded.
  virtual std::vector<StatusReport> reports_at(const std::string& declaration, const std::string& meeting) = 0;
  virtual std::vector<Assessment> assessments_at(const std::string& declaration, const std::string& meeting) = 0;

  // Contacts: one per (party, channel, address); saving adds it.
  virtual void save_contact(const Contact& c, const Actor& actor) = 0;
  virtual std::vector<Contact> contacts() = 0;

  // An emergency session, its pillar and its notifications in one
  // transaction; fills ids and times.
  virtual EmergencySessionWrite call_emergency_session(const EmergencySessionWrite& s, const Actor& actor) = 0;
  // The notifications of one meeting (or of every meeting, meeting ""), oldest first.
  virtual std::vector<Notification> notifications(const std::string& declaration, const std::string& meeting) = 0;
  // Undelivered, not given up, next attempt due at `now` (UTC).
  virtual std::vector<Notification> due_notifications(const std::string& now) = 0;
  // Takes a due notification for one attempt: moves its next attempt to
  // `until` (so another deliverer, another `process notify` run or another
  // server on the same database, does not send it meanwhile) only if it is
  // still due at `now`, undelivered and not given up. False when another
  // deliverer has it. The claim lapses at `until` (a deliverer that died).
  virtual bool claim_notification(int64_t id, const std::string& now, const std::string& until) = 0;
  // One attempt: delivered or not; an empty next_attempt_at on a failure gives up.
  virtual void record_notification_attempt(int64_t id, bool delivered, const std::string& error,
                                           const std::string& next_attempt_at) = 0;

  // Advances whenever any process commits a write to the store.
  virtual int64_t data_version() = 0;
};

// Opens (creating and migrating the process tables as needed) the process
// store at `location`: the store the series live in, an SQLite file's path
// or a postgresql:// URI. Throws Error(Unavailable) when it cannot.
std::unique_ptr<ProcessStore> open_process_store(const std::string& location);

}  // namespace atalaya::process
