// The inbox's endpoints: warning events (one per movement) and their alerts,
// listed and one at a time, live or in a drill space; a person's changes
// (acknowledge, resolve), which write to the store and so start a new data
// generation; and the drill spaces.
#include <charconv>

#include "atalaya/core/error.h"
#include "atalaya/serve/api_error.h"
#include "atalaya/serve/endpoint.h"
#include "atalaya/core/utc_time.h"
#include "atalaya/warning/alert_json.h"
#include "atalaya/warning/event_json.h"
#include "atalaya/warning/atom.h"
#include "atalaya/warning/cap.h"
#include "atalaya/warning/event_cap.h"

namespace atalaya::serve {
namespace {

nlohmann::json alert_json(const Alert& a, Language lang) {
  nlohmann::json j = alert_to_json(a, lang);
  j["headline"] = a.headline();
  return j;
}

int64_t path_id(const std::string& text, const char* what) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || id < 1)
    throw ApiError(400, "id", "id: '" + text + "' is not " + what + " id (a whole number from 1)");
  return id;
}
int64_t alert_id(const std::string& text) { return path_id(text, "an alert"); }

// `drill`: a drill space's name, or "" for the live inbox.
std::string drill_of(const RequestParams& p) {
  if (!p.has("drill")) return "";
  const std::string name = p.text("drill");
  if (!is_drill_name(name))
    throw ApiError(400, "drill", "drill: '" + name + "' is not a drill name (" + kDrillNameRule + ")");
  return name;
}

void status_filter(const RequestParams& p, std::optional<AlertStatus>& status, bool& active_only) {
  select_status(p.choice("status", {"active", "all", "open", "acknowledged", "resolved", "expired"}, "active"), status,
                active_only);
}

ApiAnswer list(const ApiContext& ctx, const ApiCall& call) {
  const RequestParams& p = call.params;
  AlertFilter f;
  status_filter(p, f.status, f.active_only);
  f.space = drill_of(p);
  if (p.has("trigger")) f.trigger = p.text("trigger");
  f.limit = static_cast<size_t>(p.integer("limit", 500, 1, 10'000));
  const std::vector<Alert> alerts = ctx.store.with([&](AlertStore& s) { return s.alerts(f); });
  nlohmann::json out = nlohmann::json::array();
  for (auto& a : alerts) out.push_back(alert_json(a, call.lang));
  return json_answer({{"alerts", out}});
}

ApiAnswer one(const ApiContext& ctx, const ApiCall& call) {
  const int64_t id = alert_id(call.path_args.at(0));
  auto a = ctx.store.with([&](AlertStore& s) { return s.alert(id); });
  if (!a) throw ApiError(404, "id", "id: no alert " + std::to_string(id));
  return json_answer(alert_json(*a, call.lang));
}

// The API's address of `kind` ("alerts", "events"), for links in CAP
// messages and feeds; empty when the request did not say how it reached us.
std::string api_base(const ApiCall& call, const std::string& kind) {
  return call.base_url.empty() ? "" : call.base_url + "/api/v1/" + kind + "/";
}

ApiAnswer xml_answer(std::string body, const char* content_type) {
  ApiAnswer answer;
  answer.body = std::move(body);
  answer.content_type = content_type;
  return answer;
}

// One CAP 1.2 message as its subject stands now: Alert, then Update
// (referencing the first message) once it changed, Cancel once closed.
template <typename Item>
ApiAnswer cap_message_answer(const ApiCall& call, const Item& item, const std::string& kind) {
  CapOptions cap;
  cap.web_prefix = api_base(call, kind);
  return xml_answer(cap_message_xml(cap_subject(item, cap), cap), "application/cap+xml; charset=utf-8");
}

// The CAP feed hubs poll: an Atom entry per alert or event, linking to its
// CAP message at /api/v1/<kind>/{id}/cap and carrying it inline.
template <typename Item>
ApiAnswer cap_feed_answer(const ApiCall& call, const std::vector<Item>& items, const std::string& kind,
                          const std::string& title) {
  CapOptions cap;
  std::vector<CapSubject> subjects;
  std::map<std::string, int64_t> id_of;
  for (auto& x : items) {
    subjects.push_back(cap_subject(x, cap));
    id_of[subjects.back().key] = x.id;
  }
  const std::string base = api_base(call, kind);
  AtomOptions atom;
  atom.title = title;
  atom.updated_when_empty = utc_now();
  if (!base.empty()) atom.self_url = base + "cap.atom";
  return xml_answer(cap_atom_feed(subjects, atom, cap,
                                  [&](const CapSubject& x) {
                                    return base.empty() ? std::string()
                                                        : base + std::to_string(id_of.at(x.key)) + "/cap";
                                  }),
                    "application/atom+xml; charset=utf-8");
}

ApiAnswer cap_one(const ApiContext& ctx, const ApiCall& call) {
  const int64_t id = alert_id(call.path_args.at(0));
  auto a = ctx.store.with([&](AlertStore& s) { return s.alert(id); });
  if (!a) throw ApiError(404, "id", "id: no alert " + std::to_string(id));
  return cap_message_answer(call, *a, "alerts");
}

ApiAnswer cap_feed(const ApiContext& ctx, const ApiCall& call) {
  const RequestParams& p = call.params;
  AlertFilter f;
  status_filter(p, f.status, f.active_only);
  f.limit = static_cast<size_t>(p.integer("limit", 500, 1, 10'000));
  const std::vector<Alert> alerts = ctx.store.with([&](AlertStore& s) { return s.alerts(f); });
  return cap_feed_answer(call, alerts, "alerts", "Atalaya early-warning alerts (CAP 1.2)");
}

// A warning event's message, at a stable address.
ApiAnswer event_cap_one(const ApiContext& ctx, const ApiCall& call) {
  const int64_t id = path_id(call.path_args.at(0), "an event");
  auto e = ctx.store.with([&](AlertStore& s) { return s.event(id); });
  if (!e) throw ApiError(404, "id", "id: no event " + std::to_string(id));
  return cap_message_answer(call, *e, "events");
}

// The live warning events' feed.
ApiAnswer event_cap_feed(const ApiContext& ctx, const ApiCall& call) {
  const RequestParams& p = call.params;
  EventFilter f;
  status_filter(p, f.status, f.active_only);
  f.limit = static_cast<size_t>(p.integer("limit", 200, 1, 5'000));
  f.with_alerts = true;
  const std::vector<WarningEvent> events = ctx.store.with([&](AlertStore& s) { return s.events(f); });
  return cap_feed_answer(call, events, "events", "Atalaya warning events (CAP 1.2)");
}

// Who makes a person's change, and why: from the editor's token when the
// server has editors (whatever the body claims), else from the body.
struct PersonsChange {
  std::string by, note;
};

PersonsChange persons_change(const ApiContext& ctx, const ApiCall& call) {
  const Editor* editor = nullptr;
  if (!ctx.editors.empty()) {
    const std::string& auth = call.authorization;
    if (auth.rfind("Bearer ", 0) != 0)
      throw ApiError(401, "Authorization",
                     "Authorization: changes need an editor's access token (Authorization: Bearer TOKEN)");
    editor = ctx.editors.find(std::string_view(auth).substr(7));
    if (!editor) throw ApiError(401, "Authorization", "Authorization: the access token is not an editor's");
  }
  nlohmann::json body;
  try {
    body = call.body.empty() ? nlohmann::json::object() : nlohmann::json::parse(call.body);
  } catch (const nlohmann::json::parse_error& e) {
    throw ApiError(400, "body", std::string("body: not JSON (") + e.what() + "); expected {\"by\": \"name\", \"note\": \"...\"}");
  }
  if (!body.is_object()) throw ApiError(400, "body", "body: expected a JSON object {\"by\": \"name\", \"note\": \"...\"}");
  for (auto& [k, v] : body.items())
    if (k != "by" && k != "note") throw ApiError(400, k, k + ": not a field here (expected by, note)");
  if (body.contains("note") && !body["note"].is_string()) throw ApiError(400, "note", "note: expected a string");
  if (body.contains("by") && !body["by"].is_string()) throw ApiError(400, "by", "by: expected a string");
  PersonsChange out{body.value("by", ""), body.value("note", "")};
  if (editor) out.by = editor->name;
  if (out.by.empty()) throw ApiError(400, "by", "by: required, the name of the person making the change");
  if (out.by.size() > 200) throw ApiError(400, "by", "by: at most 200 characters");
  return out;
}

// The store's refusal of an unknown id names the id; the rest (a change the
// lifecycle does not allow: 409, a busy store: 503) goes to the request
// path's mapping of error codes.
template <typename F>
auto changed(const ApiContext& ctx, F&& change) {
  try {
    auto out = ctx.store.with(change);
    ctx.snapshots.invalidate();
    return out;
  } catch (const Error& e) {
    if (e.code() == ErrorCode::NotFound) throw ApiError(404, "id", std::string("id: ") + e.what());
    throw;
  }
}

ApiAnswer change(const ApiContext& ctx, const ApiCall& call, AlertStatus to) {
  const PersonsChange who = persons_change(ctx, call);
  const int64_t id = alert_id(call.path_args.at(0));
  Alert a = changed(ctx, [&](AlertStore& s) { return s.change_alert_status(id, to, who.by, who.note); });
  return json_answer(alert_json(a, call.lang));
}

// The inbox: events in rank order, each with its active alerts' evidence.
ApiAnswer event_list(const ApiContext& ctx, const ApiCall& call) {
  const RequestParams& p = call.params;
  EventFilter f;
  status_filter(p, f.status, f.active_only);
  f.space = drill_of(p);
  f.with_alerts = true;
  const size_t limit = static_cast<size_t>(p.integer("limit", 200, 1, 5'000));
  std::vector<WarningEvent> events = ctx.store.with([&](AlertStore& s) { return s.events(f); });
  rank_events(events);
  const size_t total = events.size();
  if (events.size() > limit) events.resize(limit);
  nlohmann::json out = nlohmann::json::array();
  for (auto& e : events) out.push_back(event_to_json(e, call.lang));
  return json_answer({{"drill", f.space.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.space)},
                      {"total", total},
                      {"events", out}});
}

ApiAnswer event_one(const ApiContext& ctx, const ApiCall& call) {
  const int64_t id = path_id(call.path_args.at(0), "an event");
  auto e = ctx.store.with([&](AlertStore& s) { return s.event(id); });
  if (!e) throw ApiError(404, "id", "id: no event " + std::to_string(id));
  return json_answer(event_to_json(*e, call.lang));
}

ApiAnswer event_change(const ApiContext& ctx, const ApiCall& call, AlertStatus to) {
  const PersonsChange who = persons_change(ctx, call);
  const int64_t id = path_id(call.path_args.at(0), "an event");
  const WarningEvent e =
      changed(ctx, [&](AlertStore& s) { return s.change_event_status(id, to, who.by, who.note); });
  return json_answer(event_to_json(e, call.lang));
}

ApiAnswer drill_list(const ApiContext& ctx, const ApiCall&) {
  const auto drills = ctx.store.with([](AlertStore& s) { return s.drills(); });
  nlohmann::json out = nlohmann::json::array();
  for (auto& d : drills)
    out.push_back({{"name", d.name}, {"events", d.events}, {"active", d.active}, {"alerts", d.alerts},
                   {"created_at", d.first_created}, {"updated_at", d.last_updated}});
  return json_answer({{"drills", out}});
}

}  // namespace

std::vector<Endpoint> alert_endpoints() {
  return {
      {"GET", "/api/v1/events", {"status", "drill", "limit", "lang"}, false, event_list, true},
      // Before /events/{id}, which would also match this path.
      {"GET", "/api/v1/events/cap.atom", {"status", "limit"}, false, event_cap_feed},
      {"GET", "/api/v1/events/{id}", {"lang"}, false, event_one, true},
      {"GET", "/api/v1/events/{id}/cap", {}, false, event_cap_one},
      {"POST", "/api/v1/events/{id}/acknowledge", {"lang"}, false,
       [](const ApiContext& c, const ApiCall& x) { return event_change(c, x, AlertStatus::Acknowledged); }, true},
      {"POST", "/api/v1/events/{id}/resolve", {"lang"}, false,
       [](const ApiContext& c, const ApiCall& x) { return event_change(c, x, AlertStatus::Resolved); }, true},
      {"GET", "/api/v1/drills", {}, false, drill_list},
      {"GET", "/api/v1/alerts", {"status", "trigger", "drill", "limit", "lang"}, false, list, true},
      // Before /alerts/{id}, which would also match this path.
      {"GET", "/api/v1/alerts/cap.atom", {"status", "limit"}, false, cap_feed},
      {"GET", "/api/v1/alerts/{id}", {"lang"}, false, one, true},
      {"GET", "/api/v1/alerts/{id}/cap", {}, false, cap_one},
      {"POST", "/api/v1/alerts/{id}/acknowledge", {"lang"}, false,
       [](const ApiContext& c, const ApiCall& x) { return change(c, x, AlertStatus::Acknowledged); }, true},
      {"POST", "/api/v1/alerts/{id}/resolve", {"lang"}, false,
       [](const ApiContext& c, const ApiCall& x) { return change(c, x, AlertStatus::Resolved); }, true},
  };
}

}  // namespace atalaya::serve
