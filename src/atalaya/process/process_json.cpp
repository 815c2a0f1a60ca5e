#include "atalaya/process/process_json.h"

namespace atalaya::process {
namespace {

using nlohmann::json;

json optional_text(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }
std::optional<std::string> read_optional(const json& j, const char* key) {
  if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
  return j.at(key).get<std::string>();
}
std::string read_string(const json& j, const char* key) {
  return j.contains(key) && j.at(key).is_string() ? j.at(key).get<std::string>() : std::string();
}

}  // namespace

json to_json(const Actor& a) {
  return {{"person_id", a.person_id}, {"name", a.name}, {"origin", a.origin}, {"credential", a.credential}};
}

json to_json(const Text& t) { return {{"en", t.en}, {"es", t.es}}; }
Text text_from_json(const json& j) { return {read_string(j, "en"), read_string(j, "es")}; }
json to_json(const std::vector<Text>& texts) {
  json out = json::array();
  for (const Text& t : texts) out.push_back(to_json(t));
  return out;
}
std::vector<Text> texts_from_json(const json& j) {
  std::vector<Text> out;
  for (const json& t : j) out.push_back(text_from_json(t));
  return out;
}

json to_json(const Declaration& d) {
  return {{"code", d.code},   {"title", to_json(d.title)},           {"adopted_on", d.adopted_on},
          {"place", d.place}, {"text_reference", d.text_reference}};
}

json to_json(const Endorsement& e) {
  return {{"declaration", e.declaration}, {"party", e.party},
          {"kind", party_kind_name(e.kind)},  {"joined_on", e.joined_on},
          {"withdrew_on", optional_text(e.withdrew_on)}, {"source", e.source}};
}

json to_json(const Pillar& p) {
  return {{"declaration", p.declaration},
          {"code", p.code},
          {"number", p.number},
          {"kind", pillar_kind_name(p.kind)},
          {"name", to_json(p.name)},
          {"goals", to_json(p.goals)},
          {"opened_on", p.opened_on},
          {"ends_on", optional_text(p.ends_on)},
          {"closed_on", optional_text(p.closed_on)},
          {"merged_into", optional_text(p.merged_into)},
          {"event_id", p.event_id ? json(*p.event_id) : json(nullptr)}};
}

Pillar pillar_from_json(const json& j) {
  Pillar p;
  p.declaration = read_string(j, "declaration");
  p.code = read_string(j, "code");
  p.number = j.value("number", 0);
  p.kind = parse_pillar_kind(read_string(j, "kind")).value_or(PillarKind::Permanent);
  p.name = text_from_json(j.value("name", json::object()));
  p.goals = texts_from_json(j.value("goals", json::array()));
  p.opened_on = read_string(j, "opened_on");
  p.ends_on = read_optional(j, "ends_on");
  p.closed_on = read_optional(j, "closed_on");
  p.merged_into = read_optional(j, "merged_into");
  if (j.contains("event_id") && !j.at("event_id").is_null()) p.event_id = j.at("event_id").get<int64_t>();
  return p;
}

json to_json(const PillarChange& c, bool with_actors) {
  json j = {{"id", c.id},
            {"pillar", c.pillar},
            {"meeting", c.meeting},
            {"kind", pillar_change_kind_name(c.kind)},
            {"note", to_json(c.note)},
            {"after", to_json(c.after)},
            {"recorded_at", c.recorded_at}};
  if (with_actors) j["recorded_by"] = to_json(c.recorded_by);
  return j;
}

json to_json(const ActionPackage& p) {
  return {{"declaration", p.declaration}, {"code", p.code}, {"pillar", p.pillar},          {"name", to_json(p.name)},
          {"lead", p.lead},               {"participants", p.participants}, {"source", p.source}};
}

json to_json(const std::vector<Milestone>& roadmap) {
  json out = json::array();
  for (const Milestone& m : roadmap)
    out.push_back({{"due_on", m.due_on}, {"description", to_json(m.description)}, {"done_on", optional_text(m.done_on)}});
  return out;
}

std::vector<Milestone> roadmap_from_json(const json& j) {
  std::vector<Milestone> out;
  for (const json& m : j)
    out.push_back({read_string(m, "due_on"), text_from_json(m.value("description", json::object())),
                   read_optional(m, "done_on")});
  return out;
}

json to_json(const Indicator& i) {
  return {{"selection", i.selection},
          {"counting", counting_name(i.counting)},
          {"from", i.from},
          {"description", to_json(i.description)}};
}

Indicator indicator_from_json(const json& j) {
  Indicator i;
  i.selection = j.value("selection", std::map<std::string, std::vector<std::string>>{});
  i.counting = parse_counting(read_string(j, "counting")).value_or(Counting::CumulativeFrom);
  i.from = read_string(j, "from");
  i.description = text_from_json(j.value("description", json::object()));
  return i;
}

json to_json(const Commitment& c) {
  json j = {{"id", c.id},
            {"declaration", c.declaration},
            {"code", c.code},
            {"parties", c.parties},
            {"pillar", c.pillar},
            {"package", c.package.empty() ? json(nullptr) : json(c.package)},
            {"text", to_json(c.text)},
            {"kind", commitment_kind_name(c.kind)},
            {"roadmap", to_json(c.roadmap)},
            {"evidence", c.evidence},
            {"made_on", c.made_on},
            {"made_at", c.made_at.empty() ? json(nullptr) : json(c.made_at)},
            {"source", c.source}};
  j["target"] = c.target ? json{{"value", c.target->value}, {"unit", c.target->unit}, {"note", c.target->note}}
                         : json(nullptr);
  j["deadline"] = c.deadline ? json{{"as_stated", c.deadline->as_stated}, {"by", c.deadline->by}} : json(nullptr);
  j["indicator"] = c.indicator ? to_json(*c.indicator) : json(nullptr);
  return j;
}

json to_json(const Meeting& m, bool with_actors) {
  json j = {{"declaration", m.declaration},
            {"code", m.code},
            {"kind", meeting_kind_name(m.kind)},
            {"title", to_json(m.title)},
            {"held_on", m.held_on},
            {"place", m.place},
            {"hosts", m.hosts},
            {"participants", m.participants},
            {"agenda", to_json(m.agenda)},
            {"source", m.source}};
  if (m.event_id) {
    j["event_id"] = *m.event_id;
    j["event_raised_at"] = m.event_raised_at;
    j["called_at"] = m.called_at;
    j["evidence"] = m.evidence.empty() ? json(nullptr) : json::parse(m.evidence, nullptr, false);
    if (with_actors) j["called_by"] = to_json(m.called_by);
  }
  return j;
}

json to_json(const StatusReport& r, bool with_actors) {
  json j = {{"id", r.id},
            {"commitment", r.commitment},
            {"meeting", r.meeting},
            {"status", reported_status_name(r.status)},
            {"narrative", to_json(r.narrative)},
            {"recorded_at", r.recorded_at}};
  if (with_actors) j["reported_by"] = to_json(r.reported_by);
  return j;
}

json to_json(const Assessment& a, bool with_actors) {
  json j = {{"id", a.id},
            {"commitment", a.commitment},
            {"meeting", a.meeting},
            {"completion", completion_name(a.completion)},
            {"rationale", to_json(a.rationale)},
            {"recorded_at", a.recorded_at}};
  if (with_actors) j["assessed_by"] = to_json(a.assessed_by);
  return j;
}

json to_json(const Contact& c) {
  return {{"party", c.party}, {"channel", channel_name(c.channel)}, {"address", c.address}};
}

json to_json(const Notification& n) {
  auto or_null = [](const std::string& t) { return t.empty() ? json(nullptr) : json(t); };
  return {{"id", n.id},
          {"declaration", n.declaration},
          {"meeting", n.meeting},
          {"party", n.party},
          {"channel", channel_name(n.channel)},
          {"address", n.address},
          {"subject", n.subject},
          {"body", n.body},
          {"queued_at", n.queued_at},
          {"next_attempt_at", or_null(n.next_attempt_at)},
          {"delivered_at", or_null(n.delivered_at)},
          {"failed_at", or_null(n.failed_at)},
          {"attempts", n.attempts},
          {"last_error", n.last_error}};
}

}  // namespace atalaya::process
