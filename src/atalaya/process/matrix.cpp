#include "atalaya/process/matrix.h"

#include <algorithm>
#include <numeric>

#include "atalaya/core/error.h"

namespace atalaya::process {

std::string_view bucket_name(size_t bucket) {
  return bucket == kNotReported ? "not_reported" : reported_status_name(static_cast<ReportedStatus>(bucket));
}

int StatusCounts::total() const { return std::accumulate(n.begin(), n.end(), 0); }

Matrix build_matrix(const std::string& declaration, const std::string& as_of, const std::vector<Pillar>& pillars,
                    const std::vector<Endorsement>& endorsements, const std::vector<Commitment>& commitments,
                    const std::vector<Meeting>& meetings, const std::vector<StatusReport>& reports) {
  Matrix m;
  m.declaration = declaration;
  m.as_of = as_of;
  for (auto& e : endorsements)
    if (e.declaration == declaration && e.active_on(as_of)) m.parties.push_back(e.party);
  std::sort(m.parties.begin(), m.parties.end());
  m.parties.erase(std::unique(m.parties.begin(), m.parties.end()), m.parties.end());
  for (auto& p : m.parties) m.party_totals[p];

  std::map<std::string, std::string> held_on;  // meeting code -> day
  for (auto& mt : meetings) held_on[mt.code] = mt.held_on;
  // The newest report by then of each commitment: by meeting day, then recording time.
  std::map<std::string, const StatusReport*> latest;
  for (auto& r : reports) {
    auto day = held_on.find(r.meeting);
    if (day == held_on.end() || day->second > as_of) continue;
    const StatusReport*& best = latest[r.commitment];
    if (!best || std::pair(held_on[best->meeting], best->recorded_at) <= std::pair(day->second, r.recorded_at))
      best = &r;
  }

  std::vector<const Pillar*> open;
  for (auto& p : pillars)
    if (p.declaration == declaration && p.open_on(as_of)) open.push_back(&p);
  std::stable_sort(open.begin(), open.end(), [](auto* a, auto* b) { return a->number < b->number; });
  std::map<std::string, size_t> row_of;
  for (auto* p : open) {
    row_of[p->code] = m.rows.size();
    m.rows.push_back(MatrixRow{*p, {}, {}});
  }

  for (auto& c : commitments) {
    if (c.declaration != declaration || c.made_on > as_of) continue;
    auto row = row_of.find(c.pillar);
    if (row == row_of.end()) continue;  // its pillar is not open that day
    auto report = latest.find(c.code);
    const size_t bucket = report == latest.end() ? kNotReported : static_cast<size_t>(report->second->status);
    MatrixRow& r = m.rows[row->second];
    ++r.total.n[bucket];
    ++m.total.n[bucket];
    for (auto& party : c.parties) {
      auto total = m.party_totals.find(party);
      if (total == m.party_totals.end()) continue;  // not endorsing that day
      ++r.cells[party].n[bucket];
      ++total->second.n[bucket];
    }
  }
  return m;
}

Matrix matrix_of(ProcessStore& store, const std::string& declaration, const std::string& as_of) {
  check_day(as_of, "as_of");
  if (!store.declaration(declaration))
    throw Error(ErrorCode::NotFound, "declaration", "declaration: no declaration '" + declaration + "'");
  const std::vector<Meeting> meetings = store.meetings(declaration);
  std::vector<StatusReport> reports;
  for (auto& mt : meetings)
    if (mt.held_on <= as_of)
      for (auto& r : store.reports_at(declaration, mt.code)) reports.push_back(r);
  std::vector<Commitment> commitments;
  for (auto& rec : store.commitments(CommitmentFilter{declaration, "", "", ""})) commitments.push_back(rec.commitment);
  return build_matrix(declaration, as_of, store.pillars(declaration), store.endorsements(declaration), commitments,
                      meetings, reports);
}

}  // namespace atalaya::process
