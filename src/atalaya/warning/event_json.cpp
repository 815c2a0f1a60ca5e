#include "atalaya/warning/event_json.h"

#include <cmath>

#include "atalaya/warning/alert_json.h"

namespace atalaya {
namespace {

using nlohmann::json;

json month_json(const Period& p) { return p.valid() ? json(p.to_string()) : json(nullptr); }

json window_json(const EventCheckpoint& cp) {
  if (!cp.window_from || !cp.window_to) return nullptr;
  return json{{"from", cp.window_from->to_string()}, {"to", cp.window_to->to_string()}, {"seen_at", cp.projected_from}};
}

[[noreturn]] void fail(const std::string& field, const std::string& expected) {
  throw AlertJsonError("event view JSON: field '" + field + "': expected " + expected);
}

std::string string_at(const json& j, const char* name, const std::string& path) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return "";
  if (!it->is_string()) fail(path + name, "a string");
  return it->get<std::string>();
}

std::optional<Period> month_at(const json& j, const char* name, const std::string& path) {
  auto it = j.find(name);
  if (it == j.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) fail(path + name, "a month \"YYYY-MM\"");
  auto p = Period::parse(it->get<std::string>());
  if (!p || p->frequency() != Frequency::Month) fail(path + name, "a month \"YYYY-MM\"");
  return p;
}

}  // namespace

json event_view_to_json(const WarningEvent& e) {
  json cps = json::array();
  for (auto& cp : e.checkpoints) {
    json c{{"id", cp.id}, {"name", cp.name}, {"name_es", cp.name_es}, {"reporter", cp.reporter}, {"alerts", cp.alerts},
           {"severity", severity_name(cp.severity)}};
    if (cp.window_from && cp.window_to) {
      c["window_from"] = cp.window_from->to_string();
      c["window_to"] = cp.window_to->to_string();
      c["projected_from"] = cp.projected_from;
    }
    cps.push_back(std::move(c));
  }
  json movement = json::object();
  for (auto& [k, v] : e.movement) movement[k] = v;
  return json{{"movement", movement}, {"route_name", e.route_name}, {"route_name_es", e.route_name_es},
              {"momentum", std::isfinite(e.momentum) ? json(e.momentum) : json(nullptr)}, {"checkpoints", cps}};
}

void event_view_from_json(const json& j, WarningEvent& e) {
  if (!j.is_object()) fail("(view)", "an object");
  e.route_name = string_at(j, "route_name", "");
  e.route_name_es = string_at(j, "route_name_es", "");
  if (auto m = j.find("momentum"); m != j.end() && m->is_number()) e.momentum = m->get<double>();
  if (auto it = j.find("movement"); it != j.end() && it->is_object())
    for (auto& [k, v] : it->items())
      if (v.is_string()) e.movement[k] = v.get<std::string>();
  auto it = j.find("checkpoints");
  if (it == j.end() || it->is_null()) return;
  if (!it->is_array()) fail("checkpoints", "an array");
  for (size_t i = 0; i < it->size(); ++i) {
    const json& c = (*it)[i];
    const std::string path = "checkpoints[" + std::to_string(i) + "].";
    if (!c.is_object()) fail(path, "an object");
    EventCheckpoint cp;
    cp.id = string_at(c, "id", path);
    cp.name = string_at(c, "name", path);
    cp.name_es = string_at(c, "name_es", path);
    cp.reporter = string_at(c, "reporter", path);
    if (auto a = c.find("alerts"); a != c.end() && a->is_array())
      for (auto& ref : *a)
        if (ref.is_string()) cp.alerts.push_back(ref.get<std::string>());
    if (auto s = parse_severity(string_at(c, "severity", path))) cp.severity = *s;
    cp.window_from = month_at(c, "window_from", path);
    cp.window_to = month_at(c, "window_to", path);
    cp.projected_from = string_at(c, "projected_from", path);
    e.checkpoints.push_back(std::move(cp));
  }
}

namespace {

json event_json(const WarningEvent& e, const Language* lang) {
  // The alerts by reference, for placing their evidence at checkpoints.
  std::map<std::string, const Alert*> active;
  for (auto& a : e.alerts)
    if (a.status == AlertStatus::Open || a.status == AlertStatus::Acknowledged) active.emplace(alert_ref(a), &a);
  json cps = json::array();
  for (auto& cp : e.checkpoints) {
    json evidence = json::array();
    for (auto& ref : cp.alerts) {
      auto it = active.find(ref);
      if (it == active.end()) continue;
      const Alert& a = *it->second;
      json item{{"alert", a.id},
                {"trigger", a.trigger},
                {"trigger_name", a.trigger_name},
                {"rule", a.rule},
                {"severity", severity_name(a.severity)},
                {"first_period", month_json(a.first_period)},
                {"last_period", month_json(a.last_period)},
                {"evidence", evidence_to_json(a.evidence)}};
      if (lang) {
        item["explanation"] = a.explanation_in(*lang);
        item["trigger_label"] = a.trigger_name_in(*lang);
      }
      evidence.push_back(std::move(item));
    }
    json c{{"id", cp.id},
           {"name", cp.name},
           {"name_es", cp.name_es.empty() ? cp.name : cp.name_es},
           {"reporter", cp.reporter.empty() ? json(nullptr) : json(cp.reporter)},
           {"observed", cp.observed()},
           {"severity", cp.observed() ? json(severity_name(cp.severity)) : json(nullptr)},
           {"evidence", std::move(evidence)},
           {"window", window_json(cp)}};
    cps.push_back(std::move(c));
  }
  json movement = json::object();
  for (auto& [k, v] : e.movement) movement[k] = v;
  json history = json::array();
  for (auto& c : e.history)
    history.push_back(json{{"at", c.at}, {"actor", c.actor}, {"status", alert_status_name(c.status)}, {"note", c.note}});
  json alerts = json::array();
  for (auto& a : e.alerts) alerts.push_back(lang ? alert_to_json(a, *lang) : alert_to_json(a));
  return json{{"id", e.id},
              {"drill", e.space.empty() ? json(nullptr) : json(e.space)},
              {"movement", std::move(movement)},
              {"route", e.route.empty() ? json(nullptr) : json(e.route)},
              {"route_name", e.route_name},
              {"route_name_es", e.route_name_es.empty() ? e.route_name : e.route_name_es},
              {"citizenship", e.citizenship.empty() ? json(nullptr) : json(e.citizenship)},
              {"first_period", month_json(e.first_period)},
              {"last_period", month_json(e.last_period)},
              {"severity", severity_name(e.severity)},
              {"status", alert_status_name(e.status)},
              {"phase", event_phase_name(e.phase)},
              {"momentum", std::isfinite(e.momentum) ? json(e.momentum) : json(nullptr)},
              {"headline", e.headline()},
              {"checkpoints", std::move(cps)},
              {"created_at", e.created_at},
              {"updated_at", e.updated_at},
              {"history", std::move(history)},
              {"alerts", std::move(alerts)}};
}

}  // namespace

json event_to_json(const WarningEvent& e) { return event_json(e, nullptr); }

json event_to_json(const WarningEvent& e, Language lang) {
  json j = event_json(e, &lang);
  j["lang"] = std::string(language_code(lang));
  return j;
}

}  // namespace atalaya
