#include "atalaya/serve/process_view.h"

#include <set>

#include "atalaya/process/process_json.h"

namespace atalaya::serve {
namespace {

using nlohmann::json;

const std::set<std::string>& text_fields() {
  static const std::set<std::string> fields = {"title", "name", "text", "narrative", "rationale", "note", "description"};
  return fields;
}
const std::set<std::string>& text_list_fields() {
  static const std::set<std::string> fields = {"goals", "agenda"};
  return fields;
}

bool is_text(const json& j) {
  return j.is_object() && j.size() == 2 && j.contains("en") && j.contains("es") && j["en"].is_string() &&
         j["es"].is_string();
}

std::string in_language(const json& text, Language lang) {
  return process::Text{text["en"].get<std::string>(), text["es"].get<std::string>()}.in(language_code(lang));
}

void localise_in_place(json& j, Language lang) {
  if (j.is_array()) {
    for (json& x : j) localise_in_place(x, lang);
    return;
  }
  if (!j.is_object()) return;
  json out = json::object();
  for (auto& [key, value] : j.items()) {
    if (key == "evidence" || key == "selection") {
      out[key] = value;
    } else if (text_fields().count(key) && is_text(value)) {
      out[key] = in_language(value, lang);
      out[key + "_i18n"] = value;
    } else if (text_list_fields().count(key) && value.is_array() &&
               std::all_of(value.begin(), value.end(), [](const json& t) { return is_text(t); })) {
      json texts = json::array();
      for (const json& t : value) texts.push_back(in_language(t, lang));
      out[key] = texts;
      out[key + "_i18n"] = value;
    } else {
      json copy = value;
      localise_in_place(copy, lang);
      out[key] = std::move(copy);
    }
  }
  j = std::move(out);
}

void strip_people(json& j, bool in_notifications) {
  if (j.is_array()) {
    for (json& x : j) strip_people(x, in_notifications);
    return;
  }
  if (!j.is_object()) return;
  for (const char* key : {"reported_by", "assessed_by", "recorded_by", "called_by"}) j.erase(key);
  if (in_notifications)
    for (const char* key : {"address", "body", "last_error"}) j.erase(key);
  for (auto& [key, value] : j.items())
    if (key != "evidence") strip_people(value, key == "notifications");
}

}  // namespace

json localised(json j, Language lang) {
  localise_in_place(j, lang);
  if (j.is_object()) j["lang"] = std::string(language_code(lang));
  return j;
}

json without_people(json j) {
  strip_people(j, false);
  return j;
}

HeldOn held_on_of(const std::vector<process::Meeting>& meetings) {
  HeldOn out;
  for (const auto& m : meetings) out[m.code] = m.held_on;
  return out;
}

namespace {
json held(const HeldOn& days, const std::string& meeting) {
  auto it = days.find(meeting);
  return it == days.end() ? json(nullptr) : json(it->second);
}
}  // namespace

json report_json(const process::StatusReport& r, const HeldOn& days) {
  json j = process::to_json(r, true);
  j["held_on"] = held(days, r.meeting);
  return j;
}

json assessment_json(const process::Assessment& a, const HeldOn& days) {
  json j = process::to_json(a, true);
  j["held_on"] = held(days, a.meeting);
  return j;
}

json meeting_summary_json(const process::Meeting& m) {
  return {{"code", m.code},
          {"kind", process::meeting_kind_name(m.kind)},
          {"title", process::to_json(m.title)},
          {"held_on", m.held_on},
          {"place", m.place},
          {"hosts", m.hosts},
          {"participants", m.participants},
          {"event_id", m.event_id ? json(*m.event_id) : json(nullptr)}};
}

json commitment_summary_json(const process::CommitmentRecord& r, const HeldOn& days) {
  json j = process::to_json(r.commitment);
  j["has_indicator"] = r.commitment.indicator.has_value();
  for (const char* key : {"roadmap", "evidence", "indicator", "declaration"}) j.erase(key);
  j["latest_status"] = r.latest_status ? report_json(*r.latest_status, days) : json(nullptr);
  j["latest_assessment"] = r.latest_assessment ? assessment_json(*r.latest_assessment, days) : json(nullptr);
  return j;
}

}  // namespace atalaya::serve
