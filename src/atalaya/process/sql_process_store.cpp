// The process store on sql::Connection: one implementation for SQLite and
// PostgreSQL (tables: process_schema.cpp; rules: process_rules.h). Each
// change runs in one write transaction with its audit line; a refusal
// rolls it back and is audited on its own, outcome "refused".
#include <functional>
#include <map>
#include <nlohmann/json.hpp>

#include "atalaya/core/error.h"
#include "atalaya/core/utc_time.h"
#include "atalaya/process/process_json.h"
#include "atalaya/process/process_rules.h"
#include "atalaya/process/process_schema.h"
#include "atalaya/process/process_store.h"
#include "atalaya/store/audit/audit_log.h"
#include "atalaya/store/sql/schema.h"

namespace atalaya::process {
namespace {

using nlohmann::json;

[[noreturn]] void refuse(ErrorCode code, const std::string& parameter, const std::string& message) {
  throw Error(code, parameter, parameter + ": " + message);
}

std::string object_of(const std::string& declaration, const char* kind, const std::string& code) {
  return "declaration:" + declaration + "/" + kind + ":" + code;
}

// Binding helpers: an unset optional, an empty text where the column takes NULL.
void bind_optional(sql::Statement& s, int i, const std::optional<std::string>& v) {
  if (v) s.bind(i, *v);
  else s.bind_null(i);
}
void bind_or_null(sql::Statement& s, int i, const std::string& v) {
  if (v.empty()) s.bind_null(i);
  else s.bind(i, v);
}
void bind_optional(sql::Statement& s, int i, const std::optional<int64_t>& v) {
  if (v) s.bind(i, *v);
  else s.bind_null(i);
}
std::optional<std::string> optional_text(sql::Statement& q, int c) {
  return q.is_null(c) ? std::nullopt : std::optional<std::string>(q.text(c));
}
// Four columns: id, name, origin, credential.
void bind_actor(sql::Statement& s, int i, const Actor& a) {
  s.bind(i, a.person_id).bind(i + 1, a.name).bind(i + 2, a.origin).bind(i + 3, a.credential);
}
Actor read_actor(sql::Statement& q, int c) { return {q.i64(c), q.text(c + 1), q.text(c + 2), q.text(c + 3)}; }

std::vector<std::string> strings_from(const std::string& text) { return json::parse(text).get<std::vector<std::string>>(); }

template <typename E>
E parsed(std::optional<E> v, const std::string& column, const std::string& text) {
  if (!v) throw Error(ErrorCode::Internal, column, "process store: '" + text + "' in " + column + " is not known");
  return *v;
}

// ---- Rows -------------------------------------------------------------------

const char* kDeclarationColumns = "code, title_en, title_es, adopted_on, place, text_reference";
Declaration read_declaration(sql::Statement& q) {
  return {q.text(0), {q.text(1), q.text(2)}, q.text(3), q.text(4), q.text(5)};
}

const char* kEndorsementColumns = "declaration, party, kind, joined_on, withdrew_on, source";
Endorsement read_endorsement(sql::Statement& q) {
  Endorsement e;
  e.declaration = q.text(0);
  e.party = q.text(1);
  e.kind = parsed(parse_party_kind(q.text(2)), "endorsement.kind", q.text(2));
  e.joined_on = q.text(3);
  e.withdrew_on = optional_text(q, 4);
  e.source = q.text(5);
  return e;
}

const char* kPillarColumns =
    "declaration, code, number, kind, name_en, name_es, goals, opened_on, ends_on, closed_on, merged_into, event_id";
Pillar read_pillar(sql::Statement& q) {
  Pillar p;
  p.declaration = q.text(0);
  p.code = q.text(1);
  p.number = static_cast<int>(q.i64(2));
  p.kind = parsed(parse_pillar_kind(q.text(3)), "pillar.kind", q.text(3));
  p.name = {q.text(4), q.text(5)};
  p.goals = texts_from_json(json::parse(q.text(6)));
  p.opened_on = q.text(7);
  p.ends_on = optional_text(q, 8);
  p.closed_on = optional_text(q, 9);
  p.merged_into = optional_text(q, 10);
  if (!q.is_null(11)) p.event_id = q.i64(11);
  return p;
}

const char* kMeetingColumns =
    "declaration, code, kind, title_en, title_es, held_on, place, hosts, participants, agenda, source, event_id, "
    "event_raised_at, called_at, called_by_id, called_by, called_by_origin, called_by_credential, evidence";
Meeting read_meeting(sql::Statement& q) {
  Meeting m;
  m.declaration = q.text(0);
  m.code = q.text(1);
  m.kind = parsed(parse_meeting_kind(q.text(2)), "meeting.kind", q.text(2));
  m.title = {q.text(3), q.text(4)};
  m.held_on = q.text(5);
  m.place = q.text(6);
  m.hosts = strings_from(q.text(7));
  m.participants = strings_from(q.text(8));
  m.agenda = texts_from_json(json::parse(q.text(9)));
  m.source = q.text(10);
  if (!q.is_null(11)) m.event_id = q.i64(11);
  m.event_raised_at = q.text(12);
  m.called_at = q.text(13);
  m.called_by = read_actor(q, 14);
  m.evidence = q.text(18);
  return m;
}

const char* kPillarChangeColumns =
    "c.id, c.pillar, c.meeting, c.kind, c.note_en, c.note_es, c.pillar_after, c.actor_id, c.actor, c.actor_origin, "
    "c.actor_credential, c.recorded_at";
PillarChange read_pillar_change(sql::Statement& q) {
  PillarChange c;
  c.id = q.i64(0);
  c.pillar = q.text(1);
  c.meeting = q.text(2);
  c.kind = parsed(parse_pillar_change_kind(q.text(3)), "pillar_change.kind", q.text(3));
  c.note = {q.text(4), q.text(5)};
  c.after = pillar_from_json(json::parse(q.text(6)));
  c.recorded_by = read_actor(q, 7);
  c.recorded_at = q.text(11);
  return c;
}

const char* kPackageColumns = "a.declaration, a.code, a.pillar, a.name_en, a.name_es, a.lead, a.participants, a.source";
ActionPackage read_package(sql::Statement& q) {
  return {q.text(0), q.text(1), q.text(2), {q.text(3), q.text(4)}, q.text(5), strings_from(q.text(6)), q.text(7)};
}

const char* kCommitmentColumns =
    "c.id, c.declaration, c.code, c.pillar, c.package, c.text_en, c.text_es, c.kind, c.target_value, c.target_unit, "
    "c.target_note, c.deadline_as_stated, c.deadline_by, c.roadmap, c.evidence, c.made_on, c.made_at, c.indicator, "
    "c.source";
Commitment read_commitment(sql::Statement& q) {
  Commitment c;
  c.id = q.i64(0);
  c.declaration = q.text(1);
  c.code = q.text(2);
  c.pillar = q.text(3);
  c.package = q.text(4);
  c.text = {q.text(5), q.text(6)};
  c.kind = parsed(parse_commitment_kind(q.text(7)), "commitment.kind", q.text(7));
  if (!q.is_null(8)) c.target = Target{q.f64(8), q.text(9), q.text(10)};
  if (!q.is_null(11)) c.deadline = Deadline{q.text(11), q.text(12)};
  c.roadmap = roadmap_from_json(json::parse(q.text(13)));
  c.evidence = strings_from(q.text(14));
  c.made_on = q.text(15);
  c.made_at = q.text(16);
  if (!q.is_null(17)) c.indicator = indicator_from_json(json::parse(q.text(17)));
  c.source = q.text(18);
  return c;
}

// Status reports and assessments share a shape: the verdict and the text differ.
const char* kReportColumns =
    "r.id, c.code, r.meeting, r.status, r.narrative_en, r.narrative_es, r.actor_id, r.actor, r.actor_origin, "
    "r.actor_credential, r.recorded_at, r.commitment_id";
StatusReport read_report(sql::Statement& q) {
  StatusReport r;
  r.id = q.i64(0);
  r.commitment = q.text(1);
  r.meeting = q.text(2);
  r.status = parsed(parse_reported_status(q.text(3)), "status_report.status", q.text(3));
  r.narrative = {q.text(4), q.text(5)};
  r.reported_by = read_actor(q, 6);
  r.recorded_at = q.text(10);
  return r;
}
const char* kAssessmentColumns =
    "r.id, c.code, r.meeting, r.completion, r.rationale_en, r.rationale_es, r.actor_id, r.actor, r.actor_origin, "
    "r.actor_credential, r.recorded_at, r.commitment_id";
Assessment read_assessment(sql::Statement& q) {
  Assessment a;
  a.id = q.i64(0);
  a.commitment = q.text(1);
  a.meeting = q.text(2);
  a.completion = parsed(parse_completion(q.text(3)), "assessment.completion", q.text(3));
  a.rationale = {q.text(4), q.text(5)};
  a.assessed_by = read_actor(q, 6);
  a.recorded_at = q.text(10);
  return a;
}

const char* kNotificationColumns =
    "id, declaration, meeting, party, channel, address, subject, body, queued_at, next_attempt_at, delivered_at, "
    "failed_at, attempts, last_error";
Notification read_notification(sql::Statement& q) {
  Notification n;
  n.id = q.i64(0);
  n.declaration = q.text(1);
  n.meeting = q.text(2);
  n.party = q.text(3);
  n.channel = parsed(parse_channel(q.text(4)), "process_notification.channel", q.text(4));
  n.address = q.text(5);
  n.subject = q.text(6);
  n.body = q.text(7);
  n.queued_at = q.text(8);
  n.next_attempt_at = q.text(9);
  n.delivered_at = q.text(10);
  n.failed_at = q.text(11);
  n.attempts = static_cast<int>(q.i64(12));
  n.last_error = q.text(13);
  return n;
}

// Reports and assessments of a declaration, oldest first: by meeting date,
// then recording time, then id. `where` narrows (on c. and r.).
std::string history_sql(const char* columns, const char* table, const std::string& where) {
  return std::string("SELECT ") + columns + " FROM " + table +
         " r JOIN commitment c ON c.id = r.commitment_id JOIN meeting m ON m.declaration = r.declaration AND "
         "m.code = r.meeting WHERE r.declaration = ?" +
         where + " ORDER BY m.held_on, r.recorded_at, r.id";
}

// A read in one transaction: one consistent view of the store.
template <typename F>
auto read_in(sql::Connection& db, F&& f) {
  sql::TransactionScope tx(db, sql::Transaction::Read);
  auto out = f();
  tx.commit();
  return out;
}

class SqlProcessStore : public ProcessStore {
 public:
  explicit SqlProcessStore(std::unique_ptr<sql::Connection> db) : db_(std::move(db)) {
    sql::migrate(*db_, "process", process_migrations());
    audit::migrate_audit(*db_);
  }

  // ---- Declarations and endorsements ------------------------------------------

  void save_declaration(const Declaration& d, const Actor& actor) override {
    audited({actor, "declaration.save", "declaration:" + d.code, "ok", ""}, [&](AuditEntry&) {
      check_declaration(d);
      auto up = db_->prepare(
          "INSERT INTO declaration(code, title_en, title_es, adopted_on, place, text_reference) VALUES(?,?,?,?,?,?) "
          "ON CONFLICT(code) DO UPDATE SET title_en = excluded.title_en, title_es = excluded.title_es, "
          "adopted_on = excluded.adopted_on, place = excluded.place, text_reference = excluded.text_reference");
      up->bind(1, d.code).bind(2, d.title.en).bind(3, d.title.es).bind(4, d.adopted_on).bind(5, d.place);
      up->bind(6, d.text_reference).step();
    });
  }

  std::vector<Declaration> declarations() override {
    return read_in(*db_, [&] {
      std::vector<Declaration> out;
      auto q = db_->prepare(std::string("SELECT ") + kDeclarationColumns + " FROM declaration ORDER BY adopted_on, code");
      while (q->step()) out.push_back(read_declaration(*q));
      return out;
    });
  }

  std::optional<Declaration> declaration(const std::string& code) override {
    return read_in(*db_, [&] { return load_declaration(code); });
  }

  void save_endorsement(const Endorsement& e, const Actor& actor) override {
    audited({actor, "endorsement.save", object_of(e.declaration, "endorsement", e.party), "ok",
             json{{"joined_on", e.joined_on}, {"withdrew_on", e.withdrew_on ? json(*e.withdrew_on) : json(nullptr)}}
                 .dump()},
            [&](AuditEntry&) {
              const Declaration d = require_declaration(e.declaration);
              check_endorsement(e, d);
              auto up = db_->prepare(
                  "INSERT INTO endorsement(declaration, party, kind, joined_on, withdrew_on, source) "
                  "VALUES(?,?,?,?,?,?) ON CONFLICT(declaration, party) DO UPDATE SET kind = excluded.kind, "
                  "joined_on = excluded.joined_on, withdrew_on = excluded.withdrew_on, source = excluded.source");
              up->bind(1, e.declaration).bind(2, e.party).bind(3, std::string(party_kind_name(e.kind)));
              up->bind(4, e.joined_on);
              bind_optional(*up, 5, e.withdrew_on);
              up->bind(6, e.source).step();
            });
  }

  std::vector<Endorsement> endorsements(const std::string& declaration) override {
    return read_in(*db_, [&] {
      std::vector<Endorsement> out;
      auto q = db_->prepare(std::string("SELECT ") + kEndorsementColumns +
                            " FROM endorsement WHERE declaration = ? ORDER BY joined_on, party");
      q->bind(1, declaration);
      while (q->step()) out.push_back(read_endorsement(*q));
      return out;
    });
  }

  // ---- Pillars ------------------------------------------------------------------

  PillarChange change_pillar(const PillarChange& change, const Actor& actor) override {
    PillarChange out;
    const std::string code = change.pillar.empty() ? change.after.code : change.pillar;
    audited({actor, "pillar." + std::string(pillar_change_kind_name(change.kind)),
             object_of(change.after.declaration, "pillar", code), "ok", json{{"meeting", change.meeting}}.dump()},
            [&](AuditEntry&) {
              require_declaration(change.after.declaration);
              out = write_pillar_change(change, actor, utc_now());
            });
    return out;
  }

  std::vector<Pillar> pillars(const std::string& declaration) override {
    return read_in(*db_, [&] {
      std::vector<Pillar> out;
      auto q = db_->prepare(std::string("SELECT ") + kPillarColumns +
                            " FROM pillar WHERE declaration = ? ORDER BY number, code");
      q->bind(1, declaration);
      while (q->step()) out.push_back(read_pillar(*q));
      return out;
    });
  }

  std::optional<Pillar> pillar(const std::string& declaration, const std::string& code) override {
    return read_in(*db_, [&] { return load_pillar(declaration, code); });
  }

  std::vector<PillarChange> pillar_history(const std::string& declaration, const std::string& pillar) override {
    return read_in(*db_, [&] {
      std::vector<PillarChange> out;
      auto q = db_->prepare(std::string("SELECT ") + kPillarChangeColumns +
                            " FROM pillar_change c JOIN meeting m ON m.declaration = c.declaration AND "
                            "m.code = c.meeting WHERE c.declaration = ?" +
                            (pillar.empty() ? "" : " AND c.pillar = ?") + " ORDER BY m.held_on, c.id");
      q->bind(1, declaration);
      if (!pillar.empty()) q->bind(2, pillar);
      while (q->step()) out.push_back(read_pillar_change(*q));
      return out;
    });
  }

  // ---- Packages -----------------------------------------------------------------

  void save_package(const ActionPackage& p, const Actor& actor) override {
    audited({actor, "package.save", object_of(p.declaration, "package", p.code), "ok",
             json{{"pillar", p.pillar}, {"lead", p.lead}}.dump()},
            [&](AuditEntry&) {
              require_declaration(p.declaration);
              check_code(p.code, "code");
              if (p.name.empty()) refuse(ErrorCode::InvalidArgument, "name", "an action package needs a name");
              if (!p.lead.empty()) check_party(p.lead, PartyKind::State, "lead");
              for (const std::string& party : p.participants) check_code(party, "participants");
              if (!load_pillar(p.declaration, p.pillar))
                refuse(ErrorCode::InvalidArgument, "pillar", "no pillar '" + p.pillar + "' in " + p.declaration);
              // Its commitments stay under the package's pillar.
              auto other = db_->prepare(
                  "SELECT count(*) FROM commitment WHERE declaration = ? AND package = ? AND pillar <> ?");
              other->bind(1, p.declaration).bind(2, p.code).bind(3, p.pillar).step();
              if (other->i64(0) > 0)
                refuse(ErrorCode::Conflict, "pillar",
                       p.code + " holds commitments under another pillar; it cannot move to " + p.pillar);
              auto up = db_->prepare(
                  "INSERT INTO action_package(declaration, code, pillar, name_en, name_es, lead, participants, source) "
                  "VALUES(?,?,?,?,?,?,?,?) ON CONFLICT(declaration, code) DO UPDATE SET pillar = excluded.pillar, "
                  "name_en = excluded.name_en, name_es = excluded.name_es, lead = excluded.lead, "
                  "participants = excluded.participants, source = excluded.source");
              up->bind(1, p.declaration).bind(2, p.code).bind(3, p.pillar).bind(4, p.name.en).bind(5, p.name.es);
              up->bind(6, p.lead).bind(7, json(p.participants).dump()).bind(8, p.source).step();
            });
  }

  std::vector<ActionPackage> packages(const std::string& declaration) override {
    return read_in(*db_, [&] {
      std::vector<ActionPackage> out;
      auto q = db_->prepare(std::string("SELECT ") + kPackageColumns +
                            " FROM action_package a JOIN pillar p ON p.declaration = a.declaration AND "
                            "p.code = a.pillar WHERE a.declaration = ? ORDER BY p.number, a.code");
      q->bind(1, declaration);
      while (q->step()) out.push_back(read_package(*q));
      return out;
    });
  }

  // ---- Meetings -----------------------------------------------------------------

  void save_meeting(const Meeting& m, const Actor& actor) override {
    audited({actor, "meeting.save", object_of(m.declaration, "meeting", m.code), "ok",
             json{{"kind", meeting_kind_name(m.kind)}, {"held_on", m.held_on}}.dump()},
            [&](AuditEntry&) {
              require_declaration(m.declaration);
              if (m.kind == MeetingKind::Emergency || m.event_id)
                refuse(ErrorCode::InvalidArgument, "kind",
                       "an emergency session is called from a warning event (process emergency), not saved as a "
                       "meeting");
              check_meeting(m);
              const auto existing = load_meeting(m.declaration, m.code);
              if (existing && existing->kind == MeetingKind::Emergency)
                refuse(ErrorCode::Conflict, "code", m.code + " is an emergency session; it is not saved over");
              auto up = db_->prepare(
                  "INSERT INTO meeting(declaration, code, kind, title_en, title_es, held_on, place, hosts, "
                  "participants, agenda, source) VALUES(?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(declaration, code) DO "
                  "UPDATE SET kind = excluded.kind, title_en = excluded.title_en, title_es = excluded.title_es, "
                  "held_on = excluded.held_on, place = excluded.place, hosts = excluded.hosts, "
                  "participants = excluded.participants, agenda = excluded.agenda, source = excluded.source");
              bind_meeting(*up, m);
              up->step();
            });
  }

  std::vector<Meeting> meetings(const std::string& declaration) override {
    return read_in(*db_, [&] {
      std::vector<Meeting> out;
      auto q = db_->prepare(std::string("SELECT ") + kMeetingColumns +
                            " FROM meeting WHERE declaration = ? ORDER BY held_on, code");
      q->bind(1, declaration);
      while (q->step()) out.push_back(read_meeting(*q));
      return out;
    });
  }

  std::optional<Meeting> meeting(const std::string& declaration, const std::string& code) override {
    return read_in(*db_, [&] { return load_meeting(declaration, code); });
  }

  // ---- Commitments ----------------------------------------------------------------

  int64_t add_commitment(const Commitment& c, const Actor& actor) override {
    int64_t id = 0;
    audited({actor, "commitment.add", object_of(c.declaration, "commitment", c.code), "ok",
             json{{"pillar", c.pillar}, {"parties", c.parties}, {"made_on", c.made_on}}.dump()},
            [&](AuditEntry&) {
              require_declaration(c.declaration);
              check_commitment(c);
              if (load_commitments(c.declaration, c.code, {}).size())
                refuse(ErrorCode::Conflict, "code", c.code + " is in use in " + c.declaration);
              for (const std::string& party : c.parties)
                check_endorses_on(party, load_endorsement(c.declaration, party), c.declaration, c.made_on, "parties");
              const auto p = load_pillar(c.declaration, c.pillar);
              if (!p) refuse(ErrorCode::InvalidArgument, "pillar", "no pillar '" + c.pillar + "' in " + c.declaration);
              if (!p->open_on(c.made_on))
                refuse(ErrorCode::InvalidArgument, "pillar",
                       c.pillar + " is not open on " + c.made_on + " (opened " + p->opened_on +
                           (p->closed_on ? ", closed " + *p->closed_on : std::string()) + ")");
              if (!c.package.empty()) {
                auto q = db_->prepare("SELECT pillar FROM action_package WHERE declaration = ? AND code = ?");
                q->bind(1, c.declaration).bind(2, c.package);
                if (!q->step())
                  refuse(ErrorCode::InvalidArgument, "package", "no package '" + c.package + "' in " + c.declaration);
                if (q->text(0) != c.pillar)
                  refuse(ErrorCode::InvalidArgument, "package",
                         c.package + " is under pillar " + q->text(0) + ", not " + c.pillar);
              }
              if (!c.made_at.empty() && !load_meeting(c.declaration, c.made_at))
                refuse(ErrorCode::InvalidArgument, "made_at", "no meeting '" + c.made_at + "' in " + c.declaration);
              auto ins = db_->prepare(
                  "INSERT INTO commitment(text_en, text_es, target_value, target_unit, target_note, "
                  "deadline_as_stated, deadline_by, roadmap, evidence, indicator, source, declaration, code, pillar, "
                  "package, kind, made_on, made_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
              bind_changeable(*ins, c);
              ins->bind(12, c.declaration).bind(13, c.code).bind(14, c.pillar);
              bind_or_null(*ins, 15, c.package);
              ins->bind(16, std::string(commitment_kind_name(c.kind))).bind(17, c.made_on);
              bind_or_null(*ins, 18, c.made_at);
              ins->step();
              id = ins->i64(0);
              auto party = db_->prepare("INSERT INTO commitment_party(commitment_id, party, position) VALUES(?,?,?)");
              for (size_t i = 0; i < c.parties.size(); ++i) {
                party->reset();
                party->bind(1, id).bind(2, c.parties[i]).bind(3, static_cast<int64_t>(i)).step();
              }
            });
    return id;
  }

  void update_commitment(const Commitment& c, const Actor& actor) override {
    audited({actor, "commitment.update", object_of(c.declaration, "commitment", c.code), "ok", ""}, [&](AuditEntry&) {
      auto found = load_commitments(c.declaration, c.code, {});
      if (found.empty())
        refuse(ErrorCode::NotFound, "commitment", "no commitment '" + c.code + "' in " + c.declaration);
      const Commitment& was = found.front().commitment;
      check_commitment(c);
      // What a commitment is stays as it was made.
      auto stays = [&](bool same, const char* field, const std::string& value) {
        if (!same)
          refuse(ErrorCode::InvalidArgument, field,
                 std::string("a commitment's ") + field + " stays as it was made (" + value + ")");
      };
      std::string parties;
      for (const std::string& p : was.parties) parties += (parties.empty() ? "" : ",") + p;
      stays(c.parties == was.parties, "parties", parties);
      stays(c.pillar == was.pillar, "pillar", was.pillar);
      stays(c.package == was.package, "package", was.package);
      stays(c.made_on == was.made_on, "made_on", was.made_on);
      stays(c.made_at == was.made_at, "made_at", was.made_at);
      stays(c.kind == was.kind, "kind", std::string(commitment_kind_name(was.kind)));
      auto up = db_->prepare(
          "UPDATE commitment SET text_en = ?, text_es = ?, target_value = ?, target_unit = ?, target_note = ?, "
          "deadline_as_stated = ?, deadline_by = ?, roadmap = ?, evidence = ?, indicator = ?, source = ? WHERE id = ?");
      bind_changeable(*up, c);
      up->bind(12, was.id).step();
    });
  }

  std::vector<CommitmentRecord> commitments(const CommitmentFilter& filter) override {
    if (filter.declaration.empty())
      refuse(ErrorCode::InvalidArgument, "declaration", "name the declaration whose commitments to list");
    return read_in(*db_, [&] { return load_commitments(filter.declaration, "", filter); });
  }

  std::optional<CommitmentRecord> commitment(const std::string& declaration, const std::string& code) override {
    return read_in(*db_, [&]() -> std::optional<CommitmentRecord> {
      auto found = load_commitments(declaration, code, {});
      if (found.empty()) return std::nullopt;
      return found.front();
    });
  }

  // ---- Reports and assessments --------------------------------------------------

  StatusReport report_status(const StatusReport& r, const Actor& actor) override {
    StatusReport out = r;
    audited({actor, "commitment.report", "commitment:" + r.commitment, "ok",
             json{{"meeting", r.meeting}, {"status", reported_status_name(r.status)}}.dump()},
            [&](AuditEntry& entry) {
              const Reported target = reported(r.commitment, r.meeting, entry);
              out.id = 0;
              out.reported_by = actor;
              out.recorded_at = utc_now();
              auto ins = db_->prepare(
                  "INSERT INTO status_report(commitment_id, declaration, meeting, status, narrative_en, narrative_es, "
                  "actor_id, actor, actor_origin, actor_credential, recorded_at) VALUES(?,?,?,?,?,?,?,?,?,?,?) "
                  "RETURNING id");
              ins->bind(1, target.commitment_id).bind(2, target.declaration).bind(3, r.meeting);
              ins->bind(4, std::string(reported_status_name(r.status))).bind(5, r.narrative.en).bind(6, r.narrative.es);
              bind_actor(*ins, 7, actor);
              ins->bind(11, out.recorded_at).step();
              out.id = ins->i64(0);
            });
    return out;
  }

  Assessment assess(const Assessment& a, const Actor& actor) override {
    Assessment out = a;
    audited({actor, "commitment.assess", "commitment:" + a.commitment, "ok",
             json{{"meeting", a.meeting}, {"completion", completion_name(a.completion)}}.dump()},
            [&](AuditEntry& entry) {
              const Reported target = reported(a.commitment, a.meeting, entry);
              out.assessed_by = actor;
              out.recorded_at = utc_now();
              auto ins = db_->prepare(
                  "INSERT INTO assessment(commitment_id, declaration, meeting, completion, rationale_en, "
                  "rationale_es, actor_id, actor, actor_origin, actor_credential, recorded_at) "
                  "VALUES(?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
              ins->bind(1, target.commitment_id).bind(2, target.declaration).bind(3, a.meeting);
              ins->bind(4, std::string(completion_name(a.completion))).bind(5, a.rationale.en).bind(6, a.rationale.es);
              bind_actor(*ins, 7, actor);
              ins->bind(11, out.recorded_at).step();
              out.id = ins->i64(0);
            });
    return out;
  }

  std::vector<StatusReport> status_history(const std::string& declaration, const std::string& commitment) override {
    return read_in(*db_, [&] { return reports(declaration, " AND c.code = ?", commitment); });
  }
  std::vector<Assessment> assessments(const std::string& declaration, const std::string& commitment) override {
    return read_in(*db_, [&] { return assessed(declaration, " AND c.code = ?", commitment); });
  }
  std::vector<StatusReport> reports_at(const std::string& declaration, const std::string& meeting) override {
    return read_in(*db_, [&] { return reports(declaration, " AND r.meeting = ?", meeting); });
  }
  std::vector<Assessment> assessments_at(const std::string& declaration, const std::string& meeting) override {
    return read_in(*db_, [&] { return assessed(declaration, " AND r.meeting = ?", meeting); });
  }

  // ---- Contacts and emergency sessions --------------------------------------------

  void save_contact(const Contact& c, const Actor& actor) override {
    // The address is personal data: the audit line names the channel only.
    audited({actor, "contact.save", "contact:" + c.party, "ok", json{{"channel", channel_name(c.channel)}}.dump()},
            [&](AuditEntry&) {
              check_contact(c);
              auto ins = db_->prepare(
                  "INSERT INTO contact(party, channel, address) VALUES(?,?,?) ON CONFLICT DO NOTHING");
              ins->bind(1, c.party).bind(2, std::string(channel_name(c.channel))).bind(3, c.address).step();
            });
  }

  std::vector<Contact> contacts() override {
    return read_in(*db_, [&] {
      std::vector<Contact> out;
      auto q = db_->prepare("SELECT party, channel, address FROM contact ORDER BY party, channel, address");
      while (q->step())
        out.push_back({q->text(0), parsed(parse_channel(q->text(1)), "contact.channel", q->text(1)), q->text(2)});
      return out;
    });
  }

  EmergencySessionWrite call_emergency_session(const EmergencySessionWrite& s, const Actor& actor) override {
    EmergencySessionWrite out = s;
    Meeting& m = out.meeting;
    audited({actor, "emergency_session.call", object_of(m.declaration, "meeting", m.code), "ok",
             json{{"event_id", m.event_id ? json(*m.event_id) : json(nullptr)},
                  {"pillar", s.pillar.pillar.empty() ? s.pillar.after.code : s.pillar.pillar},
                  {"notifications", s.notifications.size()}}
                 .dump()},
            [&](AuditEntry&) {
              require_declaration(m.declaration);
              if (m.kind != MeetingKind::Emergency)
                refuse(ErrorCode::InvalidArgument, "kind", "an emergency session is a meeting of kind emergency");
              if (!m.event_id) refuse(ErrorCode::InvalidArgument, "event_id", "an emergency session answers a warning event");
              check_meeting(m);
              if (load_meeting(m.declaration, m.code))
                refuse(ErrorCode::Conflict, "code", "a meeting " + m.code + " exists already in " + m.declaration);
              const std::string now = utc_now();
              if (m.called_at.empty()) m.called_at = now;
              m.called_by = actor;
              auto ins = db_->prepare(
                  "INSERT INTO meeting(declaration, code, kind, title_en, title_es, held_on, place, hosts, "
                  "participants, agenda, source, event_id, event_raised_at, called_at, called_by_id, called_by, "
                  "called_by_origin, called_by_credential, evidence) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
              bind_meeting(*ins, m);
              bind_optional(*ins, 12, m.event_id);
              ins->bind(13, m.event_raised_at).bind(14, m.called_at);
              bind_actor(*ins, 15, actor);
              ins->bind(19, m.evidence).step();
              // The emergency pillar the session opens.
              PillarChange& pc = out.pillar;
              if (pc.kind != PillarChangeKind::Added)
                refuse(ErrorCode::InvalidArgument, "pillar.kind", "an emergency session adds its pillar");
              if (pc.after.kind != PillarKind::Emergency)
                refuse(ErrorCode::InvalidArgument, "pillar.after.kind", "an emergency session's pillar is an emergency pillar");
              if (pc.after.event_id && pc.after.event_id != m.event_id)
                refuse(ErrorCode::InvalidArgument, "pillar.after.event_id", "the pillar answers the session's event");
              pc.meeting = m.code;
              pc.after.declaration = m.declaration;
              pc.after.event_id = m.event_id;
              pc = write_pillar_change(pc, actor, now);
              // A notice per party and channel, due at once.
              auto note = db_->prepare(
                  "INSERT INTO process_notification(declaration, meeting, party, channel, address, subject, body, "
                  "queued_at, next_attempt_at) VALUES(?,?,?,?,?,?,?,?,?) RETURNING id");
              for (Notification& n : out.notifications) {
                check_contact({n.party, n.channel, n.address});
                n.declaration = m.declaration;
                n.meeting = m.code;
                n.queued_at = m.called_at;
                if (n.next_attempt_at.empty()) n.next_attempt_at = n.queued_at;
                n.attempts = 0;
                n.delivered_at = n.failed_at = n.last_error = "";
                note->reset();
                note->bind(1, n.declaration).bind(2, n.meeting).bind(3, n.party);
                note->bind(4, std::string(channel_name(n.channel))).bind(5, n.address).bind(6, n.subject);
                note->bind(7, n.body).bind(8, n.queued_at).bind(9, n.next_attempt_at).step();
                n.id = note->i64(0);
              }
            });
    return out;
  }

  std::vector<Notification> notifications(const std::string& declaration, const std::string& meeting) override {
    return read_in(*db_, [&] {
      std::vector<Notification> out;
      auto q = db_->prepare(std::string("SELECT ") + kNotificationColumns +
                            " FROM process_notification WHERE declaration = ?" +
                            (meeting.empty() ? "" : " AND meeting = ?") + " ORDER BY queued_at, id");
      q->bind(1, declaration);
      if (!meeting.empty()) q->bind(2, meeting);
      while (q->step()) out.push_back(read_notification(*q));
      return out;
    });
  }

  std::vector<Notification> due_notifications(const std::string& now) override {
    return read_in(*db_, [&] {
      std::vector<Notification> out;
      auto q = db_->prepare(std::string("SELECT ") + kNotificationColumns +
                            " FROM process_notification WHERE delivered_at IS NULL AND failed_at IS NULL AND "
                            "next_attempt_at <= ? ORDER BY next_attempt_at, id");
      q->bind(1, now);
      while (q->step()) out.push_back(read_notification(*q));
      return out;
    });
  }

  bool claim_notification(int64_t id, const std::string& now, const std::string& until) override {
    // One statement, so two deliverers cannot both see the notice as due.
    // Bookkeeping: the attempt's outcome is the change readers see.
    sql::TransactionScope tx(*db_, sql::Transaction::Bookkeeping);
    auto up = db_->prepare(
        "UPDATE process_notification SET next_attempt_at = ? WHERE id = ? AND delivered_at IS NULL AND "
        "failed_at IS NULL AND next_attempt_at <= ?");
    up->bind(1, until).bind(2, id).bind(3, now).step();
    const bool claimed = up->changes() == 1;
    tx.commit();
    return claimed;
  }

  void record_notification_attempt(int64_t id, bool delivered, const std::string& error,
                                   const std::string& next_attempt_at) override {
    // A delivery's outcome: readers (a meeting's page) show it, so a Write.
    sql::TransactionScope tx(*db_, sql::Transaction::Write);
    const std::string now = utc_now();
    auto up = db_->prepare(
        delivered ? "UPDATE process_notification SET attempts = attempts + 1, delivered_at = ?, next_attempt_at = NULL, "
                    "last_error = ? WHERE id = ? AND delivered_at IS NULL AND failed_at IS NULL"
        : next_attempt_at.empty()
            ? "UPDATE process_notification SET attempts = attempts + 1, failed_at = ?, next_attempt_at = NULL, "
              "last_error = ? WHERE id = ? AND delivered_at IS NULL AND failed_at IS NULL"
            : "UPDATE process_notification SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? "
              "WHERE id = ? AND delivered_at IS NULL AND failed_at IS NULL");
    up->bind(1, delivered || next_attempt_at.empty() ? now : next_attempt_at).bind(2, error).bind(3, id).step();
    if (up->changes() != 1)
      refuse(ErrorCode::NotFound, "id", "no notification " + std::to_string(id) + " waiting to be delivered");
    tx.commit();
  }

  int64_t data_version() override { return db_->data_version(); }

 private:
  // A change and its audit line in one write transaction. A refusal (bad
  // input, a rule, something unknown) rolls it back, is audited on its own
  // with outcome "refused" and the reason, and is thrown on. The body may
  // name the object better once it has looked it up.
  void audited(AuditEntry entry, const std::function<void(AuditEntry&)>& body) {
    try {
      sql::TransactionScope tx(*db_, sql::Transaction::Write);
      body(entry);
      audit::append(*db_, entry);
      tx.commit();
    } catch (const Error& e) {
      if (e.code() != ErrorCode::NotFound && e.code() != ErrorCode::Conflict && e.code() != ErrorCode::InvalidArgument)
        throw;
      entry.outcome = "refused";
      json d = entry.detail.empty() ? json::object() : json::parse(entry.detail);
      d["reason"] = e.what();
      entry.detail = d.dump();
      audit::record(*db_, entry);
      throw;
    }
  }

  std::optional<Declaration> load_declaration(const std::string& code) {
    auto q = db_->prepare(std::string("SELECT ") + kDeclarationColumns + " FROM declaration WHERE code = ?");
    q->bind(1, code);
    if (!q->step()) return std::nullopt;
    return read_declaration(*q);
  }

  Declaration require_declaration(const std::string& code) {
    auto d = load_declaration(code);
    if (!d) refuse(ErrorCode::NotFound, "declaration", "no declaration '" + code + "'");
    return *d;
  }

  std::optional<Endorsement> load_endorsement(const std::string& declaration, const std::string& party) {
    auto q = db_->prepare(std::string("SELECT ") + kEndorsementColumns +
                          " FROM endorsement WHERE declaration = ? AND party = ?");
    q->bind(1, declaration).bind(2, party);
    if (!q->step()) return std::nullopt;
    return read_endorsement(*q);
  }

  std::optional<Pillar> load_pillar(const std::string& declaration, const std::string& code) {
    auto q = db_->prepare(std::string("SELECT ") + kPillarColumns + " FROM pillar WHERE declaration = ? AND code = ?");
    q->bind(1, declaration).bind(2, code);
    if (!q->step()) return std::nullopt;
    return read_pillar(*q);
  }

  std::optional<Meeting> load_meeting(const std::string& declaration, const std::string& code) {
    auto q = db_->prepare(std::string("SELECT ") + kMeetingColumns + " FROM meeting WHERE declaration = ? AND code = ?");
    q->bind(1, declaration).bind(2, code);
    if (!q->step()) return std::nullopt;
    return read_meeting(*q);
  }

  // Columns 1-11 of a meeting's insert: the fields a regular meeting has.
  static void bind_meeting(sql::Statement& s, const Meeting& m) {
    s.bind(1, m.declaration).bind(2, m.code).bind(3, std::string(meeting_kind_name(m.kind)));
    s.bind(4, m.title.en).bind(5, m.title.es).bind(6, m.held_on).bind(7, m.place);
    s.bind(8, json(m.hosts).dump()).bind(9, json(m.participants).dump()).bind(10, to_json(m.agenda).dump());
    s.bind(11, m.source);
  }

  // Columns 1-11 of a commitment's insert or update: what may change.
  static void bind_changeable(sql::Statement& s, const Commitment& c) {
    s.bind(1, c.text.en).bind(2, c.text.es);
    if (c.target) s.bind_real(3, c.target->value).bind(4, c.target->unit).bind(5, c.target->note);
    else s.bind_null(3).bind(4, "").bind(5, "");
    if (c.deadline) s.bind(6, c.deadline->as_stated).bind(7, c.deadline->by);
    else s.bind_null(6).bind_null(7);
    s.bind(8, to_json(c.roadmap).dump()).bind(9, json(c.evidence).dump());
    if (c.indicator) s.bind(10, to_json(*c.indicator).dump());
    else s.bind_null(10);
    s.bind(11, c.source);
  }

  // Applies a decision about a pillar inside the open transaction.
  PillarChange write_pillar_change(const PillarChange& change, const Actor& actor, const std::string& now) {
    PillarChange out = change;
    out.pillar = change.pillar.empty() ? change.after.code : change.pillar;
    const std::string& declaration = change.after.declaration;
    const auto m = load_meeting(declaration, change.meeting);
    if (!m) refuse(ErrorCode::InvalidArgument, "meeting", "no meeting '" + change.meeting + "' in " + declaration);
    const auto current = load_pillar(declaration, out.pillar);
    std::optional<Pillar> target;
    if (change.kind == PillarChangeKind::Merged && change.after.merged_into)
      target = load_pillar(declaration, *change.after.merged_into);
    out.after = apply_pillar_change(out, current, *m, target);
    out.after.declaration = declaration;
    const Pillar& p = out.after;
    auto write = db_->prepare(
        current ? "UPDATE pillar SET number = ?, kind = ?, name_en = ?, name_es = ?, goals = ?, opened_on = ?, "
                  "ends_on = ?, closed_on = ?, merged_into = ?, event_id = ? WHERE declaration = ? AND code = ?"
                : "INSERT INTO pillar(number, kind, name_en, name_es, goals, opened_on, ends_on, closed_on, "
                  "merged_into, event_id, declaration, code) VALUES(?,?,?,?,?,?,?,?,?,?,?,?)");
    write->bind(1, static_cast<int64_t>(p.number)).bind(2, std::string(pillar_kind_name(p.kind)));
    write->bind(3, p.name.en).bind(4, p.name.es).bind(5, to_json(p.goals).dump()).bind(6, p.opened_on);
    bind_optional(*write, 7, p.ends_on);
    bind_optional(*write, 8, p.closed_on);
    bind_optional(*write, 9, p.merged_into);
    bind_optional(*write, 10, p.event_id);
    write->bind(11, declaration).bind(12, p.code).step();
    out.recorded_by = actor;
    out.recorded_at = now;
    auto ins = db_->prepare(
        "INSERT INTO pillar_change(declaration, pillar, meeting, kind, note_en, note_es, pillar_after, actor_id, actor, "
        "actor_origin, actor_credential, recorded_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?) RETURNING id");
    ins->bind(1, declaration).bind(2, out.pillar).bind(3, out.meeting);
    ins->bind(4, std::string(pillar_change_kind_name(out.kind))).bind(5, out.note.en).bind(6, out.note.es);
    ins->bind(7, to_json(p).dump());
    bind_actor(*ins, 8, actor);
    ins->bind(12, now).step();
    out.id = ins->i64(0);
    return out;
  }

  // The commitment a report or an assessment is about, found by its code,
  // and the meeting checked against it; names the audit line's object.
  struct Reported {
    int64_t commitment_id = 0;
    std::string declaration;
  };
  Reported reported(const std::string& code, const std::string& meeting, AuditEntry& entry) {
    auto q = db_->prepare("SELECT id, declaration, made_on FROM commitment WHERE code = ?");
    q->bind(1, code);
    if (!q->step()) refuse(ErrorCode::NotFound, "commitment", "no commitment '" + code + "'");
    Reported out{q->i64(0), q->text(1)};
    const std::string made_on = q->text(2);
    if (q->step())
      refuse(ErrorCode::InvalidArgument, "commitment", "'" + code + "' names commitments of several declarations");
    entry.object = object_of(out.declaration, "commitment", code);
    const auto m = load_meeting(out.declaration, meeting);
    if (!m) refuse(ErrorCode::InvalidArgument, "meeting", "no meeting '" + meeting + "' in " + out.declaration);
    if (m->held_on < made_on)
      refuse(ErrorCode::InvalidArgument, "meeting",
             meeting + " was held on " + m->held_on + ", before " + code + " was made (" + made_on + ")");
    return out;
  }

  std::vector<StatusReport> reports(const std::string& declaration, const char* where, const std::string& value) {
    std::vector<StatusReport> out;
    auto q = db_->prepare(history_sql(kReportColumns, "status_report", where));
    q->bind(1, declaration).bind(2, value);
    while (q->step()) out.push_back(read_report(*q));
    return out;
  }

  std::vector<Assessment> assessed(const std::string& declaration, const char* where, const std::string& value) {
    std::vector<Assessment> out;
    auto q = db_->prepare(history_sql(kAssessmentColumns, "assessment", where));
    q->bind(1, declaration).bind(2, value);
    while (q->step()) out.push_back(read_assessment(*q));
    return out;
  }

  // The commitments of a declaration (one, by `code`; or those `filter`
  // selects), by pillar number then code, with their parties and the newest
  // report and assessment of each.
  std::vector<CommitmentRecord> load_commitments(const std::string& declaration, const std::string& code,
                                                 const CommitmentFilter& filter) {
    std::string sql = std::string("SELECT ") + kCommitmentColumns +
                      " FROM commitment c JOIN pillar p ON p.declaration = c.declaration AND p.code = c.pillar "
                      "WHERE c.declaration = ?";
    std::vector<std::string> values{declaration};
    auto narrow = [&](const std::string& value, const char* clause) {
      if (value.empty()) return;
      sql += clause;
      values.push_back(value);
    };
    narrow(code, " AND c.code = ?");
    narrow(filter.pillar, " AND c.pillar = ?");
    narrow(filter.package, " AND c.package = ?");
    narrow(filter.party,
           " AND EXISTS (SELECT 1 FROM commitment_party cp WHERE cp.commitment_id = c.id AND cp.party = ?)");
    sql += " ORDER BY p.number, c.code";
    auto q = db_->prepare(sql);
    for (size_t i = 0; i < values.size(); ++i) q->bind(static_cast<int>(i + 1), values[i]);
    std::vector<CommitmentRecord> out;
    std::map<int64_t, size_t> index;
    while (q->step()) {
      index[q->i64(0)] = out.size();
      out.push_back({read_commitment(*q), std::nullopt, std::nullopt});
    }
    if (out.empty()) return out;
    auto parties = db_->prepare(
        "SELECT cp.commitment_id, cp.party FROM commitment_party cp JOIN commitment c ON c.id = cp.commitment_id "
        "WHERE c.declaration = ? ORDER BY cp.commitment_id, cp.position");
    parties->bind(1, declaration);
    while (parties->step())
      if (auto it = index.find(parties->i64(0)); it != index.end()) out[it->second].commitment.parties.push_back(parties->text(1));
    // Oldest first: the last one seen for a commitment is its newest.
    auto r = db_->prepare(history_sql(kReportColumns, "status_report", ""));
    r->bind(1, declaration);
    while (r->step())
      if (auto it = index.find(r->i64(11)); it != index.end()) out[it->second].latest_status = read_report(*r);
    auto a = db_->prepare(history_sql(kAssessmentColumns, "assessment", ""));
    a->bind(1, declaration);
    while (a->step())
      if (auto it = index.find(a->i64(11)); it != index.end()) out[it->second].latest_assessment = read_assessment(*a);
    return out;
  }

  std::unique_ptr<sql::Connection> db_;
};

}  // namespace

std::unique_ptr<ProcessStore> open_process_store(const std::string& location) {
  return std::make_unique<SqlProcessStore>(sql::connect(location));
}

}  // namespace atalaya::process
