// The L.A. Process's changes (docs/api.md, "The L.A. Process", Changes): a
// focal point's status reports and new commitments (report_commitments for
// every party of the commitment, checked here, scope by scope), and the
// secretariat's assessments, meetings and pillar decisions
// (manage_process, checked on the request path). The store applies the
// process's rules and writes each change with its audit line; its
// refusals map to 400/404/409 naming the field. Each answers 201 with the
// stored record as the reads show it, and starts a new data generation so
// the next read shows it.
#include <algorithm>

#include <charconv>

#include "atalaya/core/error.h"
#include "atalaya/core/utc_time.h"
#include "atalaya/process/emergency_session.h"
#include "atalaya/process/process_json.h"
#include "atalaya/serve/api_error.h"
#include "atalaya/serve/endpoints_process.h"
#include "atalaya/serve/request_access.h"

namespace atalaya::serve {
namespace {

using access::Right;
using nlohmann::json;
using process::ProcessStore;

// A change's JSON body, an object holding only `fields` (400 naming the
// first other one).
json body_of(const ApiCall& call, const std::vector<std::string>& fields) {
  json body;
  try {
    body = json::parse(call.body.empty() ? "{}" : call.body);
  } catch (const json::parse_error& e) {
    throw ApiError(400, "body", std::string("body: not JSON (") + e.what() + ")");
  }
  if (!body.is_object()) throw ApiError(400, "body", "body: expected a JSON object");
  for (auto& [key, value] : body.items())
    if (std::find(fields.begin(), fields.end(), key) == fields.end()) {
      std::string expected;
      for (const auto& f : fields) expected += (expected.empty() ? "" : ", ") + f;
      throw ApiError(400, key, key + ": not a field here (expected " + expected + ")");
    }
  return body;
}

bool given(const json& body, const char* key) { return body.contains(key) && !body.at(key).is_null(); }

std::string text_field(const json& body, const char* key, bool required) {
  if (!given(body, key)) {
    if (required) throw ApiError(400, key, std::string(key) + ": required");
    return "";
  }
  if (!body.at(key).is_string()) throw ApiError(400, key, std::string(key) + ": expected a string");
  return body.at(key).get<std::string>();
}

std::vector<std::string> list_field(const json& body, const char* key) {
  if (!given(body, key)) return {};
  const json& v = body.at(key);
  if (!v.is_array() || !std::all_of(v.begin(), v.end(), [](const json& x) { return x.is_string(); }))
    throw ApiError(400, key, std::string(key) + ": expected a list of strings");
  return v.get<std::vector<std::string>>();
}

// {"en": "...", "es": "..."}: one language may be empty or absent.
process::Text language_text(const json& v, const std::string& field, bool required) {
  if (v.is_null()) {
    if (required) throw ApiError(400, field, field + ": required, as {\"en\": \"...\", \"es\": \"...\"}");
    return {};
  }
  if (!v.is_object()) throw ApiError(400, field, field + ": expected {\"en\": \"...\", \"es\": \"...\"}");
  process::Text t;
  for (auto& [lang, text] : v.items()) {
    if (lang != "en" && lang != "es") throw ApiError(400, field + "." + lang, field + "." + lang + ": expected en or es");
    if (!text.is_string()) throw ApiError(400, field + "." + lang, field + "." + lang + ": expected a string");
    (lang == "en" ? t.en : t.es) = text.get<std::string>();
  }
  if (required && t.empty()) throw ApiError(400, field, field + ": give the text in English, Spanish or both");
  return t;
}
process::Text text_of(const json& body, const char* key, bool required) {
  return language_text(given(body, key) ? body.at(key) : json(nullptr), key, required);
}
std::vector<process::Text> texts_of(const json& body, const char* key) {
  std::vector<process::Text> out;
  if (!given(body, key)) return out;
  if (!body.at(key).is_array()) throw ApiError(400, key, std::string(key) + ": expected a list of {\"en\", \"es\"}");
  for (size_t i = 0; i < body.at(key).size(); ++i)
    out.push_back(language_text(body.at(key)[i], std::string(key) + "[" + std::to_string(i) + "]", true));
  return out;
}

// A code from a closed list (status, completion, kind): 400 naming the field and the choices.
template <typename Parse>
auto choice_of(const json& body, const char* key, Parse parse, const char* choices) {
  const std::string text = text_field(body, key, true);
  auto v = parse(text);
  if (!v) throw ApiError(400, key, std::string(key) + ": expected one of " + choices + ", got '" + text + "'");
  return *v;
}

// A change to the store, then a new data generation (the next read shows it).
template <typename F>
auto changed(const ApiContext& ctx, F&& change) {
  auto out = ctx.store.with(std::forward<F>(change));
  ctx.snapshots.invalidate();
  return out;
}

ApiAnswer created(const ApiCall& call, json j) {
  ApiAnswer a = json_answer(process_view(call)(std::move(j)));
  a.status = 201;
  return a;
}

// report_commitments for each of the parties: a focal point acts for its
// own states, and a joint commitment needs them all.
void require_every_party(const ApiCall& call, const std::vector<std::string>& parties) {
  for (const std::string& party : parties) call.access->require(Right::ReportCommitments, party);
}

// The commitment the path names (404), checked for the caller's parties.
process::CommitmentRecord reported_commitment(const ApiContext& ctx, const ApiCall& call) {
  const std::string& d = call.path_args.at(0);
  process::CommitmentRecord r = ctx.store.with([&](ProcessStore& s) {
    declaration_of(s, d);
    return commitment_of(s, d, call.path_args.at(1));
  });
  return r;
}

json with_held_on(json j, ProcessStore& s, const std::string& d, const std::string& meeting) {
  auto m = s.meeting(d, meeting);
  j["held_on"] = m ? json(m->held_on) : json(nullptr);
  return j;
}

ApiAnswer report(const ApiContext& ctx, const ApiCall& call) {
  const json body = body_of(call, {"meeting", "status", "narrative"});
  process::StatusReport wanted;
  wanted.meeting = text_field(body, "meeting", true);
  wanted.status = choice_of(body, "status", process::parse_reported_status,
                            "planning, in_progress, fulfilled, stalled, withdrawn");
  wanted.narrative = text_of(body, "narrative", false);
  // The body first, then whose commitment it is (its parties are public).
  const process::CommitmentRecord r = reported_commitment(ctx, call);
  require_every_party(call, r.commitment.parties);
  wanted.commitment = r.commitment.code;
  const std::string& d = call.path_args.at(0);
  return created(call, changed(ctx, [&](ProcessStore& s) {
                   const process::StatusReport stored = s.report_status(wanted, call.access->principal.actor);
                   return with_held_on(process::to_json(stored, true), s, d, stored.meeting);
                 }));
}

ApiAnswer assess(const ApiContext& ctx, const ApiCall& call) {
  const json body = body_of(call, {"meeting", "completion", "rationale"});
  process::Assessment wanted;
  wanted.meeting = text_field(body, "meeting", true);
  wanted.completion = choice_of(body, "completion", process::parse_completion,
                                "no_evidence, not_started, limited, substantial, complete");
  wanted.rationale = text_of(body, "rationale", false);
  wanted.commitment = reported_commitment(ctx, call).commitment.code;
  const std::string& d = call.path_args.at(0);
  return created(call, changed(ctx, [&](ProcessStore& s) {
                   const process::Assessment stored = s.assess(wanted, call.access->principal.actor);
                   return with_held_on(process::to_json(stored, true), s, d, stored.meeting);
                 }));
}

std::optional<process::Target> target_of(const json& body) {
  if (!given(body, "target")) return std::nullopt;
  const json& t = body.at("target");
  if (!t.is_object()) throw ApiError(400, "target", "target: expected {\"value\": N, \"unit\": \"...\", \"note\": \"...\"}");
  for (auto& [key, v] : t.items())
    if (key != "value" && key != "unit" && key != "note")
      throw ApiError(400, "target." + key, "target." + key + ": not a field here (expected value, unit, note)");
  if (!t.contains("value") || !t.at("value").is_number())
    throw ApiError(400, "target.value", "target.value: expected a number");
  process::Target out;
  out.value = t.at("value").get<double>();
  if (t.contains("unit")) {
    if (!t.at("unit").is_string()) throw ApiError(400, "target.unit", "target.unit: expected a string");
    out.unit = t.at("unit").get<std::string>();
  }
  if (t.contains("note")) {
    if (!t.at("note").is_string()) throw ApiError(400, "target.note", "target.note: expected a string");
    out.note = t.at("note").get<std::string>();
  }
  return out;
}

std::vector<process::Milestone> roadmap_of(const json& body) {
  std::vector<process::Milestone> out;
  if (!given(body, "roadmap")) return out;
  if (!body.at("roadmap").is_array()) throw ApiError(400, "roadmap", "roadmap: expected a list of milestones");
  for (size_t i = 0; i < body.at("roadmap").size(); ++i) {
    const json& m = body.at("roadmap")[i];
    const std::string at = "roadmap[" + std::to_string(i) + "]";
    if (!m.is_object()) throw ApiError(400, at, at + ": expected {\"due_on\", \"description\", \"done_on\"}");
    process::Milestone x;
    x.due_on = m.value("due_on", "");
    process::check_day(x.due_on, at + ".due_on");
    x.description = language_text(m.value("description", json(nullptr)), at + ".description", true);
    if (m.contains("done_on") && !m.at("done_on").is_null()) {
      if (!m.at("done_on").is_string()) throw ApiError(400, at + ".done_on", at + ".done_on: expected a day");
      x.done_on = m.at("done_on").get<std::string>();
      process::check_day(*x.done_on, at + ".done_on");
    }
    out.push_back(std::move(x));
  }
  return out;
}

ApiAnswer add_commitment(const ApiContext& ctx, const ApiCall& call) {
  const json body = body_of(call, {"code", "parties", "pillar", "package", "text", "kind", "target", "deadline",
                                   "roadmap", "evidence", "made_on", "made_at", "indicator", "source"});
  const std::string& d = call.path_args.at(0);
  process::Commitment c;
  c.declaration = d;
  c.code = text_field(body, "code", true);
  c.parties = list_field(body, "parties");
  if (c.parties.empty()) throw ApiError(400, "parties", "parties: required, the states (or the organisation) committing");
  c.pillar = text_field(body, "pillar", true);
  c.package = text_field(body, "package", false);
  c.text = text_of(body, "text", true);
  c.kind = choice_of(body, "kind", process::parse_commitment_kind, "policy, funding, pathway_places, capacity, operation");
  c.target = target_of(body);
  if (given(body, "deadline")) c.deadline = process::read_deadline(text_field(body, "deadline", true), "deadline");
  c.roadmap = roadmap_of(body);
  c.evidence = list_field(body, "evidence");
  c.made_on = text_field(body, "made_on", true);
  process::check_day(c.made_on, "made_on");
  c.made_at = text_field(body, "made_at", false);
  if (given(body, "indicator")) {
    if (!body.at("indicator").is_object()) throw ApiError(400, "indicator", "indicator: expected an object");
    c.indicator = process::indicator_from_json(body.at("indicator"));
  }
  c.source = text_field(body, "source", false);
  require_every_party(call, c.parties);
  return created(call, changed(ctx, [&](ProcessStore& s) {
                   declaration_of(s, d);
                   s.add_commitment(c, call.access->principal.actor);
                   json j = process::to_json(commitment_of(s, d, c.code).commitment);
                   j.erase("declaration");
                   j["has_indicator"] = c.indicator.has_value();
                   return j;
                 }));
}

ApiAnswer add_meeting(const ApiContext& ctx, const ApiCall& call) {
  const json body = body_of(call, {"code", "kind", "title", "held_on", "place", "hosts", "participants", "agenda", "source"});
  const std::string& d = call.path_args.at(0);
  process::Meeting m;
  m.declaration = d;
  m.code = text_field(body, "code", true);
  m.kind = choice_of(body, "kind", process::parse_meeting_kind, "ministerial, technical");
  if (m.kind == process::MeetingKind::Emergency)
    throw ApiError(400, "kind", "kind: an emergency session is called from a warning event (POST /api/v1/events/{id}/emergency-session)");
  m.title = text_of(body, "title", true);
  m.held_on = text_field(body, "held_on", true);
  process::check_day(m.held_on, "held_on");
  m.place = text_field(body, "place", false);
  m.hosts = list_field(body, "hosts");
  m.participants = list_field(body, "participants");
  m.agenda = texts_of(body, "agenda");
  m.source = text_field(body, "source", false);
  return created(call, changed(ctx, [&](ProcessStore& s) {
                   declaration_of(s, d);
                   s.save_meeting(m, call.access->principal.actor);
                   json j = process::to_json(*s.meeting(d, m.code), true);
                   j.erase("declaration");
                   return j;
                 }));
}

// The pillar as a decision leaves it (`after`): what Added creates, or the
// fields Changed and Continued replace, merged_into for Merged.
process::Pillar after_of(const json& body, const std::string& d, const std::string& code) {
  process::Pillar p;
  p.declaration = d;
  p.code = code;
  if (!given(body, "after")) return p;
  const json& a = body.at("after");
  if (!a.is_object()) throw ApiError(400, "after", "after: expected the pillar as the decision leaves it");
  for (auto& [key, v] : a.items()) {
    static const std::vector<std::string> fields = {"number", "kind", "name", "goals", "ends_on", "merged_into", "event_id"};
    if (std::find(fields.begin(), fields.end(), key) == fields.end())
      throw ApiError(400, "after." + key,
                     "after." + key + ": not a field here (expected number, kind, name, goals, ends_on, merged_into, event_id)");
  }
  if (a.contains("number")) {
    if (!a.at("number").is_number_integer()) throw ApiError(400, "after.number", "after.number: expected a whole number");
    p.number = a.at("number").get<int>();
  }
  if (a.contains("kind")) {
    auto k = a.at("kind").is_string() ? process::parse_pillar_kind(a.at("kind").get<std::string>()) : std::nullopt;
    if (!k) throw ApiError(400, "after.kind", "after.kind: expected permanent, temporary or emergency");
    p.kind = *k;
  }
  p.name = language_text(a.value("name", json(nullptr)), "after.name", false);
  if (a.contains("goals")) {
    if (!a.at("goals").is_array()) throw ApiError(400, "after.goals", "after.goals: expected a list of {\"en\", \"es\"}");
    for (size_t i = 0; i < a.at("goals").size(); ++i)
      p.goals.push_back(language_text(a.at("goals")[i], "after.goals[" + std::to_string(i) + "]", true));
  }
  for (auto [key, field] : {std::pair{"ends_on", &p.ends_on}, std::pair{"merged_into", &p.merged_into}})
    if (a.contains(key) && !a.at(key).is_null()) {
      if (!a.at(key).is_string()) throw ApiError(400, std::string("after.") + key, std::string("after.") + key + ": expected a string");
      *field = a.at(key).get<std::string>();
    }
  if (a.contains("event_id") && !a.at("event_id").is_null()) {
    if (!a.at("event_id").is_number_integer()) throw ApiError(400, "after.event_id", "after.event_id: expected an event's id");
    p.event_id = a.at("event_id").get<int64_t>();
  }
  return p;
}

ApiAnswer change_pillar(const ApiContext& ctx, const ApiCall& call) {
  const json body = body_of(call, {"meeting", "kind", "note", "after"});
  const std::string& d = call.path_args.at(0);
  process::PillarChange change;
  change.pillar = call.path_args.at(1);
  change.meeting = text_field(body, "meeting", true);
  change.kind = choice_of(body, "kind", process::parse_pillar_change_kind, "added, changed, continued, retired, merged");
  change.note = text_of(body, "note", false);
  change.after = after_of(body, d, change.pillar);
  return created(call, changed(ctx, [&](ProcessStore& s) {
                   declaration_of(s, d);
                   const process::PillarChange stored = s.change_pillar(change, call.access->principal.actor);
                   json j = process::to_json(stored, true);
                   j["after"] = pillar_json(stored.after);
                   return j;
                 }));
}

json notification_json(const process::Notification& n) {
  json j = process::to_json(n);
  for (const char* key : {"declaration", "meeting", "subject", "next_attempt_at"}) j.erase(key);
  return j;
}

// An emergency session called from a warning event (process/emergency_session.h):
// the route's endorsing states meet, with the event's evidence, an emergency
// pillar opens, and a notice per participant and contact is queued.
ApiAnswer emergency_session(const ApiContext& ctx, const ApiCall& call) {
  const json body = body_of(call, {"declaration", "held_on", "place", "hosts", "drill"});
  const std::string& id_text = call.path_args.at(0);
  int64_t id = 0;
  auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (id_text.empty() || ec != std::errc() || end != id_text.data() + id_text.size() || id < 1)
    throw ApiError(400, "id", "id: '" + id_text + "' is not an event id (a whole number from 1)");
  process::EmergencyCall wanted;
  wanted.declaration = text_field(body, "declaration", true);
  wanted.held_on = text_field(body, "held_on", true);
  wanted.place = text_field(body, "place", false);
  wanted.hosts = list_field(body, "hosts");
  wanted.drill = text_field(body, "drill", false);
  wanted.called_at = utc_now();
  wanted.called_by = call.access->principal.actor;
  process::EmergencySessionPlan plan;
  try {
    plan = ctx.store.with([&](AlertStore& alerts) {
      return ctx.store.with([&](ProcessStore& p) { return process::plan_emergency_session(alerts, p, id, wanted); });
    });
  } catch (const Error& e) {
    // A declaration the body names is no path's: a 400, as other body fields.
    if (e.code() == ErrorCode::NotFound && e.parameter() == "declaration")
      throw ApiError(400, "declaration", e.what());
    throw;
  }
  const process::EmergencySessionWrite stored =
      changed(ctx, [&](ProcessStore& p) { return p.call_emergency_session(plan.write, wanted.called_by); });
  const bool restricted = process_view(call).restricted;
  json meeting = process::to_json(stored.meeting, true);
  meeting.erase("declaration");
  json notices = json::array();
  for (const auto& n : stored.notifications) notices.push_back(notification_json(n));
  json route_states = json::array();
  for (const auto& r : plan.route_states) {
    json x = {{"party", r.party}, {"participant", r.participant}, {"notices", r.notified.size()},
              {"not_notified", r.not_notified}};
    if (restricted) x["notified"] = r.notified;  // names the addresses
    route_states.push_back(std::move(x));
  }
  return created(call, {{"meeting", meeting},
                        {"pillar", pillar_json(stored.pillar.after)},
                        {"notifications", notices},
                        {"route_states", route_states}});
}

}  // namespace

std::vector<Endpoint> process_change_endpoints() {
  const std::string base = "/api/v1/process/{d}";
  return {
      needs({"POST", base + "/commitments/{code}/reports", {"lang"}, false, report, true}, Right::ReportCommitments,
            "commitment.report"),
      needs({"POST", base + "/commitments/{code}/assessments", {"lang"}, false, assess, true}, Right::ManageProcess,
            "commitment.assess"),
      needs({"POST", base + "/commitments", {"lang"}, false, add_commitment, true}, Right::ReportCommitments,
            "commitment.add"),
      needs({"POST", base + "/meetings", {"lang"}, false, add_meeting, true}, Right::ManageProcess, "meeting.save"),
      needs({"POST", base + "/pillars/{code}/changes", {"lang"}, false, change_pillar, true}, Right::ManageProcess,
            "pillar.change"),
      needs({"POST", "/api/v1/events/{id}/emergency-session", {"lang"}, false, emergency_session, true},
            Right::CallEmergencySession, "emergency_session.call"),
  };
}

}  // namespace atalaya::serve
