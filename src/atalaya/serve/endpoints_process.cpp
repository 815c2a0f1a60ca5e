// The L.A. Process's reads (docs/api.md, "The L.A. Process"): declarations,
// one declaration with its endorsers, pillars, packages and meetings, the
// pillars × states matrix, a pillar's history, commitments (also as CSV and
// Excel), one commitment with its history and observed progress, a state's
// page, and a meeting's page. Texts in the answer's language beside both
// languages; who recorded what only for read_restricted.
#include <algorithm>
#include <set>

#include "atalaya/core/utc_time.h"
#include "atalaya/process/matrix.h"
#include "atalaya/process/process_json.h"
#include "atalaya/process/progress.h"
#include "atalaya/reports/process_export.h"
#include "atalaya/serve/api_error.h"
#include "atalaya/serve/endpoint.h"
#include "atalaya/serve/endpoints_process.h"
#include "atalaya/serve/process_view.h"
#include "atalaya/serve/request_access.h"

namespace atalaya::serve {

using nlohmann::json;
using process::ProcessStore;

ProcessView process_view(const ApiCall& call) {
  return ProcessView{call.lang, call.access && call.access->may(access::Right::ReadRestricted)};
}

process::Declaration declaration_of(ProcessStore& s, const std::string& code) {
  auto d = s.declaration(code);
  if (!d) throw ApiError(404, "declaration", "declaration: no declaration '" + code + "'");
  return *d;
}

process::CommitmentRecord commitment_of(ProcessStore& s, const std::string& declaration, const std::string& code) {
  auto c = s.commitment(declaration, code);
  if (!c) throw ApiError(404, "commitment", "commitment: no commitment '" + code + "' in " + declaration);
  return *c;
}

std::string today() { return utc_now().substr(0, 10); }

json pillar_json(const process::Pillar& p) {
  json j = process::to_json(p);
  j.erase("declaration");
  j["open"] = p.open_on(today());
  return j;
}

namespace {

json progress_json(const process::Progress& p) {
  if (p.no_indicator) return {{"no_indicator", true}};
  auto optional = [](const std::optional<double>& v) { return v ? json(*v) : json(nullptr); };
  auto or_null = [](const std::string& t) { return t.empty() ? json(nullptr) : json(t); };
  return {{"no_indicator", false},
          {"refused", p.refused},
          {"sources", p.sources},
          {"unit", or_null(p.unit)},
          {"value", optional(p.value)},
          {"share", optional(p.share)},
          {"from", or_null(p.from)},
          {"to", or_null(p.to)},
          {"as_of", or_null(p.as_of)},
          {"periods_counted", p.periods_counted},
          {"gaps", p.gaps},
          {"partial", p.partial},
          {"flags",
           {{"claimed_fulfilled_data_short", p.claimed_fulfilled_data_short},
            {"deadline_passed_no_data", p.deadline_passed_no_data},
            {"deadline_passed_short", p.deadline_passed_short}}}};
}

// The indicator's monthly values over the span the progress counted, for a
// chart (Progress::months: a month without a value is left out, it is among
// the gaps, never drawn as zero), with the running sum for cumulative_from.
json progress_points(const process::Commitment& c, const process::Progress& p) {
  json out = json::array();
  const bool cumulative = c.indicator && c.indicator->counting == process::Counting::CumulativeFrom;
  double running = 0;
  for (const auto& m : p.months) {
    running += m.value;
    out.push_back({{"period", m.period}, {"value", m.value}, {"cumulative", cumulative ? json(running) : json(nullptr)}});
  }
  return out;
}

// A commitment's observed progress as of `day`, from the store's series.
process::Progress progress_now(const ApiContext& ctx, const process::CommitmentRecord& record, const std::string& day) {
  return ctx.store.with([&](SeriesStore& s) { return process::progress_of(s, record, day); });
}

ApiAnswer declarations(const ApiContext& ctx, const ApiCall& call) {
  const auto list = ctx.store.with([](ProcessStore& s) { return s.declarations(); });
  json out = json::array();
  for (const auto& d : list) out.push_back(process::to_json(d));
  return json_answer(process_view(call)({{"declarations", out}}));
}

ApiAnswer declaration(const ApiContext& ctx, const ApiCall& call) {
  const std::string& code = call.path_args.at(0);
  json j = ctx.store.with([&](ProcessStore& s) {
    json out;
    out["declaration"] = process::to_json(declaration_of(s, code));
    json endorsements = json::array();
    auto list = s.endorsements(code);
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) {
      return std::tie(a.joined_on, a.party) < std::tie(b.joined_on, b.party);
    });
    for (const auto& e : list) {
      json x = process::to_json(e);
      x.erase("declaration");
      endorsements.push_back(std::move(x));
    }
    out["endorsements"] = endorsements;
    out["pillars"] = json::array();
    for (const auto& p : s.pillars(code)) out["pillars"].push_back(pillar_json(p));
    out["packages"] = json::array();
    for (const auto& p : s.packages(code)) {
      json x = process::to_json(p);
      x.erase("declaration");
      out["packages"].push_back(std::move(x));
    }
    out["meetings"] = json::array();
    for (const auto& m : s.meetings(code)) out["meetings"].push_back(meeting_summary_json(m));
    return out;
  });
  return json_answer(process_view(call)(std::move(j)));
}

json counts_json(const process::StatusCounts& c) {
  json j = json::object();
  for (size_t b = 0; b < process::kStatusBuckets; ++b) j[std::string(process::bucket_name(b))] = c.n[b];
  j["total"] = c.total();
  return j;
}

ApiAnswer matrix(const ApiContext& ctx, const ApiCall& call) {
  const std::string& code = call.path_args.at(0);
  const std::string as_of = call.params.has("as_of") ? call.params.text("as_of") : today();
  const process::Matrix m = ctx.store.with([&](ProcessStore& s) {
    declaration_of(s, code);
    return process::matrix_of(s, code, as_of);
  });
  json statuses = json::array();
  for (size_t b = 0; b < process::kStatusBuckets; ++b) statuses.push_back(process::bucket_name(b));
  json rows = json::array();
  for (const auto& row : m.rows) {
    json cells = json::object();
    for (const auto& [party, counts] : row.cells) cells[party] = counts_json(counts);
    rows.push_back({{"pillar", pillar_json(row.pillar)}, {"cells", cells}, {"total", counts_json(row.total)}});
  }
  json party_totals = json::object();
  for (const auto& [party, counts] : m.party_totals) party_totals[party] = counts_json(counts);
  return json_answer(process_view(call)({{"declaration", m.declaration},
                                         {"as_of", m.as_of},
                                         {"statuses", statuses},
                                         {"parties", m.parties},
                                         {"rows", rows},
                                         {"party_totals", party_totals},
                                         {"total", counts_json(m.total)}}));
}

ApiAnswer pillar(const ApiContext& ctx, const ApiCall& call) {
  const std::string& d = call.path_args.at(0);
  const std::string& code = call.path_args.at(1);
  json j = ctx.store.with([&](ProcessStore& s) {
    declaration_of(s, d);
    auto p = s.pillar(d, code);
    if (!p) throw ApiError(404, "pillar", "pillar: no pillar '" + code + "' in " + d);
    std::map<std::string, process::Meeting> meetings;
    for (auto& m : s.meetings(d)) meetings.emplace(m.code, m);
    json history = json::array();
    for (const auto& change : s.pillar_history(d, code)) {
      json x = process::to_json(change, true);
      auto m = meetings.find(change.meeting);
      x["meeting"] = m == meetings.end() ? json(nullptr) : meeting_summary_json(m->second);
      x["after"] = pillar_json(change.after);
      x.erase("pillar");
      history.push_back(std::move(x));
    }
    process::CommitmentFilter f;
    f.declaration = d;
    f.pillar = code;
    return json{{"pillar", pillar_json(*p)}, {"history", history}, {"commitments", s.commitments(f).size()}};
  });
  return json_answer(process_view(call)(std::move(j)));
}

ApiAnswer commitments(const ApiContext& ctx, const ApiCall& call) {
  const std::string& d = call.path_args.at(0);
  const RequestParams& p = call.params;
  const std::string format = p.choice("format", {"json", "csv", "xlsx"}, "json");
  process::CommitmentFilter f;
  f.declaration = d;
  f.pillar = p.text("pillar");
  f.party = p.text("party");
  f.package = p.text("package");
  CommitmentExport e;
  ctx.store.with([&](ProcessStore& s) {
    declaration_of(s, d);
    e.commitments = s.commitments(f);
    e.meetings = s.meetings(d);
  });
  e.lang = std::string(language_code(call.lang));
  if (format == "json") {
    const HeldOn held = held_on_of(e.meetings);
    json list = json::array();
    for (const auto& r : e.commitments) list.push_back(commitment_summary_json(r, held));
    return json_answer(process_view(call)({{"commitments", list}}));
  }
  ApiAnswer a;
  if (format == "csv") {
    a.body = commitments_csv(e, true);
    a.content_type = "text/csv; charset=utf-8";
  } else {
    a.body = commitments_xlsx(e);
    a.content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
  }
  a.disposition = "attachment; filename=\"" + d + "-commitments." + format + "\"";
  return a;
}

ApiAnswer commitment(const ApiContext& ctx, const ApiCall& call) {
  const std::string& d = call.path_args.at(0);
  const std::string& code = call.path_args.at(1);
  process::CommitmentRecord record;
  json j = ctx.store.with([&](ProcessStore& s) {
    declaration_of(s, d);
    record = commitment_of(s, d, code);
    const HeldOn held = held_on_of(s.meetings(d));
    json statuses = json::array(), assessments = json::array();
    for (const auto& r : s.status_history(d, code)) statuses.push_back(report_json(r, held));
    for (const auto& a : s.assessments(d, code)) assessments.push_back(assessment_json(a, held));
    json c = commitment_summary_json(record, held);
    json full = process::to_json(record.commitment);
    for (const char* key : {"roadmap", "evidence", "indicator"}) c[key] = full[key];
    return json{{"commitment", c}, {"statuses", statuses}, {"assessments", assessments}};
  });
  const process::Progress progress = progress_now(ctx, record, today());
  j["progress"] = progress_json(progress);
  j["points"] = progress_points(record.commitment, progress);
  return json_answer(process_view(call)(std::move(j)));
}

// A party's code as the path gives it: letters and digits (COL, UNHCR).
std::string party_of(const std::string& text) {
  const bool ok = !text.empty() && text.size() <= 20 &&
                  std::all_of(text.begin(), text.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)); });
  if (!ok) throw ApiError(400, "party", "party: expected an ISO alpha-3 code (COL) or an organisation's code, got '" + text + "'");
  return text;
}

ApiAnswer state(const ApiContext& ctx, const ApiCall& call) {
  const std::string& d = call.path_args.at(0);
  const std::string party = party_of(call.path_args.at(1));
  std::vector<process::CommitmentRecord> records;
  json j = ctx.store.with([&](ProcessStore& s) {
    declaration_of(s, d);
    json endorsement = nullptr;
    for (const auto& e : s.endorsements(d))
      if (e.party == party) {
        endorsement = process::to_json(e);
        endorsement.erase("declaration");
      }
    process::CommitmentFilter f;
    f.declaration = d;
    f.party = party;
    records = s.commitments(f);
    if (endorsement.is_null() && records.empty())
      throw ApiError(404, "party", "party: " + party + " neither endorses " + d + " nor has a commitment in it");
    const auto meetings = s.meetings(d);
    const HeldOn held = held_on_of(meetings);
    // Its commitments' reports, grouped by meeting, oldest meeting first.
    std::map<std::string, json> by_meeting;
    for (const auto& r : records)
      for (const auto& report : s.status_history(d, r.commitment.code))
        by_meeting[report.meeting].push_back(report_json(report, held));
    json statuses = json::array();
    for (const auto& m : meetings)
      if (auto it = by_meeting.find(m.code); it != by_meeting.end())
        statuses.push_back({{"meeting", meeting_summary_json(m)}, {"reports", it->second}});
    json list = json::array();
    for (const auto& r : records) list.push_back(commitment_summary_json(r, held));
    return json{{"party", party}, {"endorsement", endorsement}, {"commitments", list}, {"statuses", statuses}};
  });
  const std::string day = today();
  for (size_t i = 0; i < records.size(); ++i)
    j["commitments"][i]["progress"] =
        progress_json(progress_now(ctx, records[i], day));
  // The live warning events whose route passes through the state.
  EventFilter f;
  std::vector<WarningEvent> events = ctx.store.with([&](AlertStore& s) { return s.events(f); });
  std::sort(events.begin(), events.end(), [](const auto& a, const auto& b) {
    return std::tie(a.last_period, a.id) > std::tie(b.last_period, b.id);
  });
  json out_events = json::array();
  for (const auto& e : events) {
    json checkpoints = json::array();
    for (const auto& c : e.checkpoints)
      if (c.reporter == party) checkpoints.push_back(c.id);
    if (checkpoints.empty()) continue;
    out_events.push_back({{"id", e.id},
                          {"route", e.route},
                          {"route_name", call.lang == Language::Es && !e.route_name_es.empty() ? e.route_name_es : e.route_name},
                          {"citizenship", e.citizenship},
                          {"severity", severity_name(e.severity)},
                          {"status", alert_status_name(e.status)},
                          {"phase", event_phase_name(e.phase)},
                          {"first_period", e.first_period.to_string()},
                          {"last_period", e.last_period.to_string()},
                          {"headline", e.headline()},
                          {"created_at", e.created_at},
                          {"checkpoints", checkpoints}});
    if (out_events.size() == 50) break;
  }
  j["events"] = out_events;
  return json_answer(process_view(call)(std::move(j)));
}

ApiAnswer meeting(const ApiContext& ctx, const ApiCall& call) {
  const std::string& d = call.path_args.at(0);
  const std::string& code = call.path_args.at(1);
  json j = ctx.store.with([&](ProcessStore& s) {
    declaration_of(s, d);
    auto m = s.meeting(d, code);
    if (!m) throw ApiError(404, "meeting", "meeting: no meeting '" + code + "' in " + d);
    const HeldOn held = held_on_of(s.meetings(d));
    json reports = json::array(), assessments = json::array(), changes = json::array(), notices = json::array();
    for (const auto& r : s.reports_at(d, code)) reports.push_back(report_json(r, held));
    for (const auto& a : s.assessments_at(d, code)) assessments.push_back(assessment_json(a, held));
    for (const auto& c : s.pillar_history(d, ""))
      if (c.meeting == code) {
        json x = process::to_json(c, true);
        x["after"] = pillar_json(c.after);
        x.erase("meeting");
        changes.push_back(std::move(x));
      }
    if (m->event_id)
      for (const auto& n : s.notifications(d, code)) {
        json x = process::to_json(n);
        for (const char* key : {"declaration", "meeting", "subject", "next_attempt_at"}) x.erase(key);
        notices.push_back(std::move(x));
      }
    json meeting = process::to_json(*m, true);
    meeting.erase("declaration");
    return json{{"meeting", meeting},
                {"reports", reports},
                {"assessments", assessments},
                {"pillar_changes", changes},
                {"notifications", notices}};
  });
  return json_answer(process_view(call)(std::move(j)));
}

}  // namespace

std::vector<Endpoint> process_endpoints() {
  const std::string base = "/api/v1/process";
  std::vector<Endpoint> endpoints = {
      {"GET", base, {"lang"}, true, declarations, true},
      {"GET", base + "/{d}", {"lang"}, true, declaration, true},
      {"GET", base + "/{d}/matrix", {"as_of", "lang"}, true, matrix, true},
      {"GET", base + "/{d}/pillars/{code}", {"lang"}, true, pillar, true},
      {"GET", base + "/{d}/commitments", {"pillar", "party", "package", "format", "lang"}, true, commitments, true},
      {"GET", base + "/{d}/commitments/{code}", {"lang"}, true, commitment, true},
      {"GET", base + "/{d}/states/{party}", {"lang"}, true, state, true},
      {"GET", base + "/{d}/meetings/{code}", {"lang"}, true, meeting, true},
  };
  for (Endpoint& e : process_change_endpoints()) endpoints.push_back(std::move(e));
  return endpoints;
}

}  // namespace atalaya::serve
