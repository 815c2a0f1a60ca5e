#include "atalaya/warning/alert_json.h"

#include <cmath>
#include <limits>

#include "atalaya/core/message_json.h"

namespace atalaya {
namespace {

using nlohmann::json;

[[noreturn]] void fail(const std::string& field, const std::string& expected, const json& got) {
  std::string shown = got.dump();
  if (shown.size() > 60) shown = shown.substr(0, 57) + "...";
  throw AlertJsonError("alert JSON: field '" + field + "': expected " + expected + ", got " + shown);
}

json month_json(const Period& p) {
  if (!p.valid()) return nullptr;
  return p.to_string();
}

json number_json(double v) {
  if (!std::isfinite(v)) return nullptr;
  return v;
}

// Field access that names the path on failure. `required` false: a missing
// or null member leaves the default.
const json* member(const json& obj, const char* name, const std::string& path, bool required) {
  auto it = obj.find(name);
  if (it == obj.end() || it->is_null()) {
    if (required) fail(path, "a value", it == obj.end() ? json("nothing (missing)") : *it);
    return nullptr;
  }
  return &*it;
}

std::string read_string(const json& obj, const char* name, const std::string& prefix, bool required) {
  const std::string path = prefix + name;
  const json* v = member(obj, name, path, required);
  if (!v) return {};
  if (!v->is_string()) fail(path, "a string", *v);
  return v->get<std::string>();
}

double read_number(const json& v, const std::string& path) {
  if (v.is_null()) return std::numeric_limits<double>::quiet_NaN();
  if (!v.is_number()) fail(path, "a number", v);
  return v.get<double>();
}

double read_number(const json& obj, const char* name, const std::string& prefix) {
  const std::string path = prefix + name;
  auto it = obj.find(name);
  if (it == obj.end()) fail(path, "a number", json("nothing (missing)"));
  return read_number(*it, path);
}

Period read_month(const json& v, const std::string& path) {
  if (!v.is_string()) fail(path, "a month \"YYYY-MM\"", v);
  auto p = Period::parse(v.get<std::string>());
  if (!p || p->frequency() != Frequency::Month) fail(path, "a month \"YYYY-MM\"", v);
  return *p;
}

std::optional<Period> read_optional_month(const json& obj, const char* name, const std::string& prefix,
                                          bool required) {
  const std::string path = prefix + name;
  const json* v = member(obj, name, path, required);
  if (!v) return std::nullopt;
  return read_month(*v, path);
}

void require_object(const json& j, const std::string& path) {
  if (!j.is_object()) fail(path.empty() ? "(alert)" : path, "an object", j);
}

}  // namespace

json evidence_to_json(const AlertEvidence& e) {
  json recent = json::array();
  for (double v : e.recent) recent.push_back(number_json(v));
  json out{{"value", number_json(e.value)},
              {"baseline", number_json(e.baseline)},
              {"threshold", number_json(e.threshold)},
              {"score", number_json(e.score)},
              {"explanation", e.explanation},
              {"recent_start", month_json(e.recent_start)},
              {"recent", std::move(recent)},
              {"source_checkpoint", e.source_checkpoint}};
  if (!e.message.empty()) out["message"] = message_to_json(e.message);
  if (!e.trigger_name_es.empty()) out["trigger_name_es"] = e.trigger_name_es;
  return out;
}

namespace {

AlertEvidence evidence_from_json_at(const json& j, const std::string& path) {
  require_object(j, path);
  const std::string prefix = path.empty() ? "" : path + ".";
  AlertEvidence e;
  e.value = read_number(j, "value", prefix);
  e.baseline = read_number(j, "baseline", prefix);
  e.threshold = read_number(j, "threshold", prefix);
  e.score = read_number(j, "score", prefix);
  e.explanation = read_string(j, "explanation", prefix, false);
  if (auto p = read_optional_month(j, "recent_start", prefix, false)) e.recent_start = *p;
  if (const json* r = member(j, "recent", prefix + "recent", false)) {
    if (!r->is_array()) fail(prefix + "recent", "an array of numbers", *r);
    for (size_t i = 0; i < r->size(); ++i)
      e.recent.push_back(read_number((*r)[i], prefix + "recent[" + std::to_string(i) + "]"));
    if (!e.recent.empty() && !e.recent_start.valid())
      fail(prefix + "recent_start", "a month \"YYYY-MM\" (recent is not empty)", json(nullptr));
  }
  e.source_checkpoint = read_string(j, "source_checkpoint", prefix, false);
  if (const json* m = member(j, "message", prefix + "message", false)) {
    try {
      e.message = message_from_json(*m);
    } catch (const std::invalid_argument& err) {
      fail(prefix + "message", std::string("a message (") + err.what() + ")", *m);
    }
  }
  e.trigger_name_es = read_string(j, "trigger_name_es", prefix, false);
  return e;
}

}  // namespace

AlertEvidence evidence_from_json(const json& j) { return evidence_from_json_at(j, ""); }

json alert_to_json(const Alert& a) {
  json key = json::object();
  for (auto& [k, v] : a.key) key[k] = v;
  json window = nullptr;
  if (a.window_from && a.window_to) window = json{{"from", a.window_from->to_string()}, {"to", a.window_to->to_string()}};
  json history = json::array();
  for (auto& c : a.history)
    history.push_back(json{{"at", c.at}, {"actor", c.actor}, {"status", alert_status_name(c.status)}, {"note", c.note}});
  return json{{"id", a.id},
              {"event_id", a.event_id ? json(a.event_id) : json(nullptr)},
              {"drill", a.space.empty() ? json(nullptr) : json(a.space)},
              {"trigger", a.trigger},
              {"trigger_name", a.trigger_name},
              {"rule", a.rule},
              {"key", std::move(key)},
              {"first_period", month_json(a.first_period)},
              {"last_period", month_json(a.last_period)},
              {"severity", severity_name(a.severity)},
              {"status", alert_status_name(a.status)},
              {"evidence", evidence_to_json(a.evidence)},
              {"window", std::move(window)},
              {"created_at", a.created_at},
              {"updated_at", a.updated_at},
              {"history", std::move(history)}};
}

json alert_to_json(const Alert& a, Language lang) {
  json j = alert_to_json(a);
  j["lang"] = std::string(language_code(lang));
  j["explanation"] = a.explanation_in(lang);
  j["trigger_label"] = a.trigger_name_in(lang);
  return j;
}

Alert alert_from_json(const json& j) {
  require_object(j, "");
  Alert a;
  if (const json* id = member(j, "id", "id", false)) {
    if (!id->is_number_integer()) fail("id", "an integer", *id);
    a.id = id->get<int64_t>();
  }
  if (const json* id = member(j, "event_id", "event_id", false)) {
    if (!id->is_number_integer()) fail("event_id", "an integer", *id);
    a.event_id = id->get<int64_t>();
  }
  a.space = read_string(j, "drill", "", false);
  a.trigger = read_string(j, "trigger", "", true);
  a.trigger_name = read_string(j, "trigger_name", "", false);
  a.rule = read_string(j, "rule", "", true);

  const json& key = *member(j, "key", "key", true);
  require_object(key, "key");
  for (auto& [k, v] : key.items()) {
    if (!v.is_string()) fail("key." + k, "a string", v);
    a.key[k] = v.get<std::string>();
  }

  a.first_period = *read_optional_month(j, "first_period", "", true);
  a.last_period = *read_optional_month(j, "last_period", "", true);

  const std::string sev = read_string(j, "severity", "", true);
  auto severity = parse_severity(sev);
  if (!severity) fail("severity", "minor, moderate, severe or extreme", json(sev));
  a.severity = *severity;
  const std::string st = read_string(j, "status", "", true);
  auto status = parse_alert_status(st);
  if (!status) fail("status", "open, acknowledged, resolved or expired", json(st));
  a.status = *status;

  a.evidence = evidence_from_json_at(*member(j, "evidence", "evidence", true), "evidence");

  if (const json* w = member(j, "window", "window", false)) {
    require_object(*w, "window");
    a.window_from = read_optional_month(*w, "from", "window.", true);
    a.window_to = read_optional_month(*w, "to", "window.", true);
  }
  a.created_at = read_string(j, "created_at", "", false);
  a.updated_at = read_string(j, "updated_at", "", false);

  if (const json* h = member(j, "history", "history", false)) {
    if (!h->is_array()) fail("history", "an array", *h);
    for (size_t i = 0; i < h->size(); ++i) {
      const std::string path = "history[" + std::to_string(i) + "]";
      const json& e = (*h)[i];
      require_object(e, path);
      AlertChange c;
      c.at = read_string(e, "at", path + ".", true);
      c.actor = read_string(e, "actor", path + ".", false);
      const std::string cs = read_string(e, "status", path + ".", true);
      auto cst = parse_alert_status(cs);
      if (!cst) fail(path + ".status", "open, acknowledged, resolved or expired", json(cs));
      c.status = *cst;
      c.note = read_string(e, "note", path + ".", false);
      a.history.push_back(std::move(c));
    }
  }
  return a;
}

}  // namespace atalaya
