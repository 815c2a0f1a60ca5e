// The process feature's tables, for both dialects (one step each so far;
// never edit a released step: add one). Codes are unique within their
// declaration, so most keys are (declaration, code). Lists a reader only
// shows (hosts, agenda, a roadmap, evidence links) are JSON text; a
// commitment's parties are rows of commitment_party, so that filtering by
// party is SQL. Status reports and assessments are history: triggers refuse
// to update or delete them on both backends.
#include "atalaya/process/process_schema.h"

namespace atalaya::process {

const std::vector<sql::Migration>& process_migrations() {
  static const std::vector<sql::Migration> steps = {
      // 1: the L.A. Process (issue 13).
      {R"SQL(
CREATE TABLE declaration(
  code TEXT PRIMARY KEY,
  title_en TEXT NOT NULL,
  title_es TEXT NOT NULL,
  adopted_on TEXT NOT NULL,       -- ISO day
  place TEXT NOT NULL,
  text_reference TEXT NOT NULL);
CREATE TABLE endorsement(
  declaration TEXT NOT NULL REFERENCES declaration(code),
  party TEXT NOT NULL,            -- ISO alpha-3, or an organisation's code
  kind TEXT NOT NULL,             -- state | organisation
  joined_on TEXT NOT NULL,
  withdrew_on TEXT,               -- NULL: endorses still
  source TEXT NOT NULL,
  PRIMARY KEY(declaration, party));
CREATE TABLE meeting(
  declaration TEXT NOT NULL REFERENCES declaration(code),
  code TEXT NOT NULL,
  kind TEXT NOT NULL,             -- ministerial | technical | emergency
  title_en TEXT NOT NULL,
  title_es TEXT NOT NULL,
  held_on TEXT NOT NULL,
  place TEXT NOT NULL,
  hosts TEXT NOT NULL,            -- JSON array of party codes
  participants TEXT NOT NULL,     -- JSON array of party codes
  agenda TEXT NOT NULL,           -- JSON array of {"en","es"}
  source TEXT NOT NULL,
  event_id INTEGER,                -- emergency: warning_event.id (no foreign key: a drill's events may go)
  event_raised_at TEXT NOT NULL DEFAULT '',
  called_at TEXT NOT NULL DEFAULT '',
  called_by_id INTEGER NOT NULL DEFAULT 0,
  called_by TEXT NOT NULL DEFAULT '',
  called_by_origin TEXT NOT NULL DEFAULT '',
  called_by_credential TEXT NOT NULL DEFAULT '',
  evidence TEXT NOT NULL DEFAULT '',  -- JSON text: the event's evidence and projected windows
  PRIMARY KEY(declaration, code));
CREATE INDEX meeting_held_on ON meeting(declaration, held_on);
CREATE TABLE pillar(
  declaration TEXT NOT NULL REFERENCES declaration(code),
  code TEXT NOT NULL,
  number INTEGER NOT NULL,
  kind TEXT NOT NULL,             -- permanent | temporary | emergency
  name_en TEXT NOT NULL,
  name_es TEXT NOT NULL,
  goals TEXT NOT NULL,            -- JSON array of {"en","es"}
  opened_on TEXT NOT NULL,
  ends_on TEXT,
  closed_on TEXT,                 -- retired or merged on this day (the deciding meeting's)
  merged_into TEXT,               -- a pillar's code (checked by the store: copies insert in any order)
  event_id INTEGER,                -- emergency: warning_event.id
  PRIMARY KEY(declaration, code));
CREATE TABLE pillar_change(
  id INTEGER PRIMARY KEY,
  declaration TEXT NOT NULL,
  pillar TEXT NOT NULL,
  meeting TEXT NOT NULL,
  kind TEXT NOT NULL,             -- added | changed | continued | retired | merged
  note_en TEXT NOT NULL,
  note_es TEXT NOT NULL,
  pillar_after TEXT NOT NULL,     -- JSON: the pillar as the decision left it
  actor_id INTEGER NOT NULL,
  actor TEXT NOT NULL,
  actor_origin TEXT NOT NULL,
  actor_credential TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  FOREIGN KEY(declaration, pillar) REFERENCES pillar(declaration, code),
  FOREIGN KEY(declaration, meeting) REFERENCES meeting(declaration, code));
CREATE INDEX pillar_change_pillar ON pillar_change(declaration, pillar);
CREATE TABLE action_package(
  declaration TEXT NOT NULL,
  code TEXT NOT NULL,
  pillar TEXT NOT NULL,
  name_en TEXT NOT NULL,
  name_es TEXT NOT NULL,
  lead TEXT NOT NULL,
  participants TEXT NOT NULL,     -- JSON array of party codes
  source TEXT NOT NULL,
  PRIMARY KEY(declaration, code),
  FOREIGN KEY(declaration, pillar) REFERENCES pillar(declaration, code));
CREATE TABLE commitment(
  id INTEGER PRIMARY KEY,
  declaration TEXT NOT NULL,
  code TEXT NOT NULL,
  pillar TEXT NOT NULL,
  package TEXT,                   -- NULL: under no package
  text_en TEXT NOT NULL,
  text_es TEXT NOT NULL,
  kind TEXT NOT NULL,             -- policy | funding | pathway_places | capacity | operation
  target_value REAL,  -- NULL: no numeric target
  target_unit TEXT NOT NULL,
  target_note TEXT NOT NULL,
  deadline_as_stated TEXT,        -- NULL: no deadline
  deadline_by TEXT,
  roadmap TEXT NOT NULL,          -- JSON array of milestones
  evidence TEXT NOT NULL,         -- JSON array of links
  made_on TEXT NOT NULL,
  made_at TEXT,                   -- the meeting's code; NULL: none
  indicator TEXT,                 -- JSON; NULL: none
  source TEXT NOT NULL,
  UNIQUE(declaration, code),
  FOREIGN KEY(declaration, pillar) REFERENCES pillar(declaration, code),
  FOREIGN KEY(declaration, package) REFERENCES action_package(declaration, code),
  FOREIGN KEY(declaration, made_at) REFERENCES meeting(declaration, code));
CREATE TABLE commitment_party(
  commitment_id INTEGER NOT NULL REFERENCES commitment(id),
  party TEXT NOT NULL,
  position INTEGER NOT NULL,      -- the order the parties were named in
  PRIMARY KEY(commitment_id, party));
CREATE INDEX commitment_party_party ON commitment_party(party);
CREATE TABLE status_report(
  id INTEGER PRIMARY KEY,
  commitment_id INTEGER NOT NULL REFERENCES commitment(id),
  declaration TEXT NOT NULL,
  meeting TEXT NOT NULL,
  status TEXT NOT NULL,           -- planning | in_progress | fulfilled | stalled | withdrawn
  narrative_en TEXT NOT NULL,
  narrative_es TEXT NOT NULL,
  actor_id INTEGER NOT NULL,
  actor TEXT NOT NULL,
  actor_origin TEXT NOT NULL,
  actor_credential TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  FOREIGN KEY(declaration, meeting) REFERENCES meeting(declaration, code));
CREATE INDEX status_report_commitment ON status_report(commitment_id);
CREATE INDEX status_report_meeting ON status_report(declaration, meeting);
CREATE TABLE assessment(
  id INTEGER PRIMARY KEY,
  commitment_id INTEGER NOT NULL REFERENCES commitment(id),
  declaration TEXT NOT NULL,
  meeting TEXT NOT NULL,
  completion TEXT NOT NULL,       -- no_evidence | not_started | limited | substantial | complete
  rationale_en TEXT NOT NULL,
  rationale_es TEXT NOT NULL,
  actor_id INTEGER NOT NULL,
  actor TEXT NOT NULL,
  actor_origin TEXT NOT NULL,
  actor_credential TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  FOREIGN KEY(declaration, meeting) REFERENCES meeting(declaration, code));
CREATE INDEX assessment_commitment ON assessment(commitment_id);
CREATE INDEX assessment_meeting ON assessment(declaration, meeting);
CREATE TABLE contact(
  party TEXT NOT NULL,
  channel TEXT NOT NULL,          -- webhook | email
  address TEXT NOT NULL,
  PRIMARY KEY(party, channel, address));
CREATE TABLE process_notification(
  id INTEGER PRIMARY KEY,
  declaration TEXT NOT NULL,
  meeting TEXT NOT NULL,
  party TEXT NOT NULL,
  channel TEXT NOT NULL,
  address TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  queued_at TEXT NOT NULL,
  next_attempt_at TEXT,           -- NULL once delivered or given up
  delivered_at TEXT,
  failed_at TEXT,                 -- retrying was given up
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  FOREIGN KEY(declaration, meeting) REFERENCES meeting(declaration, code));
CREATE INDEX process_notification_due ON process_notification(next_attempt_at)
  WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX process_notification_meeting ON process_notification(declaration, meeting);
CREATE TRIGGER status_report_no_update BEFORE UPDATE ON status_report
  BEGIN SELECT RAISE(ABORT, 'status reports are history: add one, never change one'); END;
CREATE TRIGGER status_report_no_delete BEFORE DELETE ON status_report
  BEGIN SELECT RAISE(ABORT, 'status reports are history: add one, never change one'); END;
CREATE TRIGGER assessment_no_update BEFORE UPDATE ON assessment
  BEGIN SELECT RAISE(ABORT, 'assessments are history: add one, never change one'); END;
CREATE TRIGGER assessment_no_delete BEFORE DELETE ON assessment
  BEGIN SELECT RAISE(ABORT, 'assessments are history: add one, never change one'); END;
)SQL",
       R"SQL(
CREATE TABLE declaration(
  code TEXT PRIMARY KEY,
  title_en TEXT NOT NULL,
  title_es TEXT NOT NULL,
  adopted_on TEXT NOT NULL,
  place TEXT NOT NULL,
  text_reference TEXT NOT NULL);
CREATE TABLE endorsement(
  declaration TEXT NOT NULL REFERENCES declaration(code),
  party TEXT NOT NULL,
  kind TEXT NOT NULL,
  joined_on TEXT NOT NULL,
  withdrew_on TEXT,
  source TEXT NOT NULL,
  PRIMARY KEY(declaration, party));
CREATE TABLE meeting(
  declaration TEXT NOT NULL REFERENCES declaration(code),
  code TEXT NOT NULL,
  kind TEXT NOT NULL,
  title_en TEXT NOT NULL,
  title_es TEXT NOT NULL,
  held_on TEXT NOT NULL,
  place TEXT NOT NULL,
  hosts TEXT NOT NULL,
  participants TEXT NOT NULL,
  agenda TEXT NOT NULL,
  source TEXT NOT NULL,
  event_id BIGINT,
  event_raised_at TEXT NOT NULL DEFAULT '',
  called_at TEXT NOT NULL DEFAULT '',
  called_by_id BIGINT NOT NULL DEFAULT 0,
  called_by TEXT NOT NULL DEFAULT '',
  called_by_origin TEXT NOT NULL DEFAULT '',
  called_by_credential TEXT NOT NULL DEFAULT '',
  evidence TEXT NOT NULL DEFAULT '',
  PRIMARY KEY(declaration, code));
CREATE INDEX meeting_held_on ON meeting(declaration, held_on);
CREATE TABLE pillar(
  declaration TEXT NOT NULL REFERENCES declaration(code),
  code TEXT NOT NULL,
  number INTEGER NOT NULL,
  kind TEXT NOT NULL,
  name_en TEXT NOT NULL,
  name_es TEXT NOT NULL,
  goals TEXT NOT NULL,
  opened_on TEXT NOT NULL,
  ends_on TEXT,
  closed_on TEXT,
  merged_into TEXT,
  event_id BIGINT,
  PRIMARY KEY(declaration, code));
CREATE TABLE pillar_change(
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  declaration TEXT NOT NULL,
  pillar TEXT NOT NULL,
  meeting TEXT NOT NULL,
  kind TEXT NOT NULL,
  note_en TEXT NOT NULL,
  note_es TEXT NOT NULL,
  pillar_after TEXT NOT NULL,
  actor_id BIGINT NOT NULL,
  actor TEXT NOT NULL,
  actor_origin TEXT NOT NULL,
  actor_credential TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  FOREIGN KEY(declaration, pillar) REFERENCES pillar(declaration, code),
  FOREIGN KEY(declaration, meeting) REFERENCES meeting(declaration, code));
CREATE INDEX pillar_change_pillar ON pillar_change(declaration, pillar);
CREATE TABLE action_package(
  declaration TEXT NOT NULL,
  code TEXT NOT NULL,
  pillar TEXT NOT NULL,
  name_en TEXT NOT NULL,
  name_es TEXT NOT NULL,
  lead TEXT NOT NULL,
  participants TEXT NOT NULL,
  source TEXT NOT NULL,
  PRIMARY KEY(declaration, code),
  FOREIGN KEY(declaration, pillar) REFERENCES pillar(declaration, code));
CREATE TABLE commitment(
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  declaration TEXT NOT NULL,
  code TEXT NOT NULL,
  pillar TEXT NOT NULL,
  package TEXT,
  text_en TEXT NOT NULL,
  text_es TEXT NOT NULL,
  kind TEXT NOT NULL,
  target_value DOUBLE PRECISION,
  target_unit TEXT NOT NULL,
  target_note TEXT NOT NULL,
  deadline_as_stated TEXT,
  deadline_by TEXT,
  roadmap TEXT NOT NULL,
  evidence TEXT NOT NULL,
  made_on TEXT NOT NULL,
  made_at TEXT,
  indicator TEXT,
  source TEXT NOT NULL,
  UNIQUE(declaration, code),
  FOREIGN KEY(declaration, pillar) REFERENCES pillar(declaration, code),
  FOREIGN KEY(declaration, package) REFERENCES action_package(declaration, code),
  FOREIGN KEY(declaration, made_at) REFERENCES meeting(declaration, code));
CREATE TABLE commitment_party(
  commitment_id BIGINT NOT NULL REFERENCES commitment(id),
  party TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY(commitment_id, party));
CREATE INDEX commitment_party_party ON commitment_party(party);
CREATE TABLE status_report(
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  commitment_id BIGINT NOT NULL REFERENCES commitment(id),
  declaration TEXT NOT NULL,
  meeting TEXT NOT NULL,
  status TEXT NOT NULL,
  narrative_en TEXT NOT NULL,
  narrative_es TEXT NOT NULL,
  actor_id BIGINT NOT NULL,
  actor TEXT NOT NULL,
  actor_origin TEXT NOT NULL,
  actor_credential TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  FOREIGN KEY(declaration, meeting) REFERENCES meeting(declaration, code));
CREATE INDEX status_report_commitment ON status_report(commitment_id);
CREATE INDEX status_report_meeting ON status_report(declaration, meeting);
CREATE TABLE assessment(
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  commitment_id BIGINT NOT NULL REFERENCES commitment(id),
  declaration TEXT NOT NULL,
  meeting TEXT NOT NULL,
  completion TEXT NOT NULL,
  rationale_en TEXT NOT NULL,
  rationale_es TEXT NOT NULL,
  actor_id BIGINT NOT NULL,
  actor TEXT NOT NULL,
  actor_origin TEXT NOT NULL,
  actor_credential TEXT NOT NULL,
  recorded_at TEXT NOT NULL,
  FOREIGN KEY(declaration, meeting) REFERENCES meeting(declaration, code));
CREATE INDEX assessment_commitment ON assessment(commitment_id);
CREATE INDEX assessment_meeting ON assessment(declaration, meeting);
CREATE TABLE contact(
  party TEXT NOT NULL,
  channel TEXT NOT NULL,
  address TEXT NOT NULL,
  PRIMARY KEY(party, channel, address));
CREATE TABLE process_notification(
  id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  declaration TEXT NOT NULL,
  meeting TEXT NOT NULL,
  party TEXT NOT NULL,
  channel TEXT NOT NULL,
  address TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  queued_at TEXT NOT NULL,
  next_attempt_at TEXT,
  delivered_at TEXT,
  failed_at TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '',
  FOREIGN KEY(declaration, meeting) REFERENCES meeting(declaration, code));
CREATE INDEX process_notification_due ON process_notification(next_attempt_at)
  WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX process_notification_meeting ON process_notification(declaration, meeting);
CREATE FUNCTION process_history_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% rows are history: add one, never change one', TG_TABLE_NAME;
END $$;
CREATE TRIGGER status_report_no_change BEFORE UPDATE OR DELETE ON status_report
  FOR EACH ROW EXECUTE FUNCTION process_history_only();
CREATE TRIGGER status_report_no_truncate BEFORE TRUNCATE ON status_report
  FOR EACH STATEMENT EXECUTE FUNCTION process_history_only();
CREATE TRIGGER assessment_no_change BEFORE UPDATE OR DELETE ON assessment
  FOR EACH ROW EXECUTE FUNCTION process_history_only();
CREATE TRIGGER assessment_no_truncate BEFORE TRUNCATE ON assessment
  FOR EACH STATEMENT EXECUTE FUNCTION process_history_only();
)SQL"},
  };
  return steps;
}

const std::vector<sql::TableToCopy>& process_tables() {
  static const std::vector<sql::TableToCopy> tables = {
      {"declaration"}, {"endorsement"},      {"meeting"},       {"pillar"},     {"pillar_change"},
      {"action_package"}, {"commitment"},    {"commitment_party"}, {"status_report"}, {"assessment"},
      {"contact"},     {"process_notification"}};
  return tables;
}

}  // namespace atalaya::process
