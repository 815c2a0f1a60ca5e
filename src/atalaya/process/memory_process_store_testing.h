// For tests of what sits on the process store (seed, matrix): a
// ProcessStore in memory that keeps the rules those callers meet (codes
// unique, a commitment's parties endorsing on made_on, its pillar open, its
// meeting known) and counts writes. The real store, on both backends, is
// sql_process_store.cpp with its own contract suite; emergency sessions and
// notifications are not kept here. Only tests include this header.
#pragma once

#include <algorithm>
#include <map>

#include "atalaya/core/error.h"
#include "atalaya/process/process_store.h"

namespace atalaya::process::testing {

class MemoryProcessStore : public ProcessStore {
 public:
  int writes = 0;  // every accepted write

  void save_declaration(const Declaration& d, const Actor&) override {
    declarations_[d.code] = d;
    ++writes;
  }
  std::vector<Declaration> declarations() override {
    std::vector<Declaration> out;
    for (auto& [k, d] : declarations_) out.push_back(d);
    return out;
  }
  std::optional<Declaration> declaration(const std::string& code) override {
    auto it = declarations_.find(code);
    return it == declarations_.end() ? std::nullopt : std::optional(it->second);
  }

  void save_endorsement(const Endorsement& e, const Actor&) override {
    known_declaration(e.declaration);
    auto& all = endorsements_[e.declaration];
    auto it = std::find_if(all.begin(), all.end(), [&](auto& x) { return x.party == e.party; });
    if (it == all.end()) all.push_back(e);
    else *it = e;
    ++writes;
  }
  std::vector<Endorsement> endorsements(const std::string& d) override { return endorsements_[d]; }

  PillarChange change_pillar(const PillarChange& change, const Actor& actor) override {
    const std::string& d = change.after.declaration;
    if (!meeting(d, change.meeting)) refuse("meeting", "unknown meeting " + change.meeting);
    auto& pillars = pillars_[d];
    auto it = std::find_if(pillars.begin(), pillars.end(), [&](auto& p) { return p.code == change.pillar; });
    PillarChange c = change;
    if (change.kind == PillarChangeKind::Added) {
      if (it != pillars.end()) refuse("pillar", "pillar " + change.pillar + " exists");
      pillars.push_back(change.after);
    } else {
      if (it == pillars.end()) refuse("pillar", "unknown pillar " + change.pillar);
      if (it->closed_on) refuse("pillar", "pillar " + change.pillar + " is closed");
      const std::string day = meeting(d, change.meeting)->held_on;
      if (change.kind == PillarChangeKind::Retired || change.kind == PillarChangeKind::Merged) {
        it->closed_on = day;
        it->merged_into = change.after.merged_into;
      } else {
        it->name = change.after.name;
        it->goals = change.after.goals;
        it->number = change.after.number;
        it->ends_on = change.after.ends_on;
      }
      c.after = *it;
    }
    c.id = static_cast<int64_t>(history_[d].size()) + 1;
    c.recorded_by = actor;
    c.recorded_at = "2026-01-01T00:00:00Z";
    history_[d].push_back(c);
    ++writes;
    return c;
  }
  std::vector<Pillar> pillars(const std::string& d) override {
    auto out = pillars_[d];
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.number < b.number; });
    return out;
  }
  std::optional<Pillar> pillar(const std::string& d, const std::string& code) override {
    for (auto& p : pillars_[d])
      if (p.code == code) return p;
    return std::nullopt;
  }
  std::vector<PillarChange> pillar_history(const std::string& d, const std::string& pillar) override {
    std::vector<PillarChange> out;
    for (auto& c : history_[d])
      if (pillar.empty() || c.pillar == pillar) out.push_back(c);
    return out;
  }

  void save_package(const ActionPackage& p, const Actor&) override {
    if (!pillar(p.declaration, p.pillar)) refuse("pillar", "unknown pillar " + p.pillar);
    auto& all = packages_[p.declaration];
    auto it = std::find_if(all.begin(), all.end(), [&](auto& x) { return x.code == p.code; });
    if (it == all.end()) all.push_back(p);
    else *it = p;
    ++writes;
  }
  std::vector<ActionPackage> packages(const std::string& d) override { return packages_[d]; }

  void save_meeting(const Meeting& m, const Actor&) override {
    known_declaration(m.declaration);
    auto& all = meetings_[m.declaration];
    auto it = std::find_if(all.begin(), all.end(), [&](auto& x) { return x.code == m.code; });
    if (it == all.end()) all.push_back(m);
    else *it = m;
    std::stable_sort(all.begin(), all.end(), [](auto& a, auto& b) { return a.held_on < b.held_on; });
    ++writes;
  }
  std::vector<Meeting> meetings(const std::string& d) override { return meetings_[d]; }
  std::optional<Meeting> meeting(const std::string& d, const std::string& code) override {
    for (auto& m : meetings_[d])
      if (m.code == code) return m;
    return std::nullopt;
  }

  int64_t add_commitment(const Commitment& c, const Actor&) override {
    if (commitment(c.declaration, c.code)) refuse("code", "commitment " + c.code + " exists");
    for (auto& p : c.parties) {
      auto all = endorsements(c.declaration);
      if (std::none_of(all.begin(), all.end(), [&](auto& e) { return e.party == p && e.active_on(c.made_on); }))
        refuse("parties", p + " does not endorse the declaration on " + c.made_on);
    }
    auto p = pillar(c.declaration, c.pillar);
    if (!p || !p->open_on(c.made_on)) refuse("pillar", "pillar " + c.pillar + " is not open on " + c.made_on);
    if (!c.made_at.empty() && !meeting(c.declaration, c.made_at)) refuse("made_at", "unknown meeting " + c.made_at);
    Commitment stored = c;
    stored.id = static_cast<int64_t>(commitments_.size()) + 1;
    commitments_.push_back(stored);
    ++writes;
    return stored.id;
  }
  void update_commitment(const Commitment& c, const Actor&) override {
    for (auto& x : commitments_)
      if (x.declaration == c.declaration && x.code == c.code) {
        const Commitment kept = x;
        x = c;
        x.id = kept.id, x.parties = kept.parties, x.pillar = kept.pillar, x.made_on = kept.made_on;
        ++writes;
        return;
      }
    refuse("code", "unknown commitment " + c.code);
  }
  std::vector<CommitmentRecord> commitments(const CommitmentFilter& f) override {
    std::vector<CommitmentRecord> out;
    for (auto& c : commitments_) {
      if (c.declaration != f.declaration || (!f.pillar.empty() && c.pillar != f.pillar) ||
          (!f.package.empty() && c.package != f.package) ||
          (!f.party.empty() && std::find(c.parties.begin(), c.parties.end(), f.party) == c.parties.end()))
        continue;
      out.push_back(*commitment(c.declaration, c.code));
    }
    auto number = [&](const CommitmentRecord& r) {
      auto p = pillar(r.commitment.declaration, r.commitment.pillar);
      return p ? p->number : 0;
    };
    std::sort(out.begin(), out.end(), [&](auto& a, auto& b) {
      return std::pair(number(a), a.commitment.code) < std::pair(number(b), b.commitment.code);
    });
    return out;
  }
  std::optional<CommitmentRecord> commitment(const std::string& d, const std::string& code) override {
    for (auto& c : commitments_)
      if (c.declaration == d && c.code == code) {
        CommitmentRecord r{c, std::nullopt, std::nullopt};
        auto reports = status_history(d, code);
        if (!reports.empty()) r.latest_status = reports.back();
        auto assessed = assessments(d, code);
        if (!assessed.empty()) r.latest_assessment = assessed.back();
        return r;
      }
    return std::nullopt;
  }

  StatusReport report_status(const StatusReport& r, const Actor& actor) override {
    const std::string d = declaration_of(r.commitment);
    check_meeting_after(d, r.commitment, r.meeting);
    StatusReport s = r;
    s.id = static_cast<int64_t>(reports_.size()) + 1;
    s.reported_by = actor;
    s.recorded_at = "2026-01-01T00:00:" + two_digits(s.id) + "Z";
    reports_.push_back({d, s});
    ++writes;
    return s;
  }
  Assessment assess(const Assessment& a, const Actor& actor) override {
    const std::string d = declaration_of(a.commitment);
    check_meeting_after(d, a.commitment, a.meeting);
    Assessment s = a;
    s.id = static_cast<int64_t>(assessments_.size()) + 1;
    s.assessed_by = actor;
    s.recorded_at = "2026-01-01T00:00:" + two_digits(s.id) + "Z";
    assessments_.push_back({d, s});
    ++writes;
    return s;
  }
  std::vector<StatusReport> status_history(const std::string& d, const std::string& commitment) override {
    return by_meeting_date(reports_, d, [&](auto& r) { return r.commitment == commitment; });
  }
  std::vector<Assessment> assessments(const std::string& d, const std::string& commitment) override {
    return by_meeting_date(assessments_, d, [&](auto& a) { return a.commitment == commitment; });
  }
  std::vector<StatusReport> reports_at(const std::string& d, const std::string& meeting) override {
    return by_meeting_date(reports_, d, [&](auto& r) { return r.meeting == meeting; });
  }
  std::vector<Assessment> assessments_at(const std::string& d, const std::string& meeting) override {
    return by_meeting_date(assessments_, d, [&](auto& a) { return a.meeting == meeting; });
  }

  void save_contact(const Contact& c, const Actor&) override {
    contacts_.push_back(c);
    ++writes;
  }
  std::vector<Contact> contacts() override { return contacts_; }

  EmergencySessionWrite call_emergency_session(const EmergencySessionWrite&, const Actor&) override {
    throw Error(ErrorCode::Internal, "", "the memory store keeps no emergency sessions");
  }
  std::vector<Notification> notifications(const std::string&, const std::string&) override { return {}; }
  std::vector<Notification> due_notifications(const std::string&) override { return {}; }
  bool claim_notification(int64_t, const std::string&, const std::string&) override { return false; }  // none queued
  void record_notification_attempt(int64_t, bool, const std::string&, const std::string&) override {}
  int64_t data_version() override { return writes; }

 private:
  [[noreturn]] static void refuse(const std::string& parameter, const std::string& message) {
    throw Error(ErrorCode::InvalidArgument, parameter, message);
  }
  void known_declaration(const std::string& d) {
    if (!declaration(d)) refuse("declaration", "unknown declaration " + d);
  }
  std::string declaration_of(const std::string& commitment) {
    for (auto& c : commitments_)
      if (c.code == commitment) return c.declaration;
    refuse("commitment", "unknown commitment " + commitment);
  }
  void check_meeting_after(const std::string& d, const std::string& commitment, const std::string& code) {
    auto m = meeting(d, code);
    if (!m) refuse("meeting", "unknown meeting " + code);
    if (m->held_on < this->commitment(d, commitment)->commitment.made_on)
      refuse("meeting", "meeting " + code + " was held before the commitment was made");
  }
  static std::string two_digits(int64_t n) { return (n < 10 ? "0" : "") + std::to_string(n % 100); }
  template <typename T, typename Keep>
  std::vector<T> by_meeting_date(const std::vector<std::pair<std::string, T>>& all, const std::string& d, Keep keep) {
    std::vector<T> out;
    for (auto& [decl, x] : all)
      if (decl == d && keep(x)) out.push_back(x);
    std::stable_sort(out.begin(), out.end(), [&](auto& a, auto& b) {
      return std::pair(meeting(d, a.meeting)->held_on, a.recorded_at) <
             std::pair(meeting(d, b.meeting)->held_on, b.recorded_at);
    });
    return out;
  }

  std::map<std::string, Declaration> declarations_;
  std::map<std::string, std::vector<Endorsement>> endorsements_;
  std::map<std::string, std::vector<Pillar>> pillars_;
  std::map<std::string, std::vector<PillarChange>> history_;
  std::map<std::string, std::vector<ActionPackage>> packages_;
  std::map<std::string, std::vector<Meeting>> meetings_;
  std::vector<Commitment> commitments_;
  std::vector<std::pair<std::string, StatusReport>> reports_;
  std::vector<std::pair<std::string, Assessment>> assessments_;
  std::vector<Contact> contacts_;
};

}  // namespace atalaya::process::testing
