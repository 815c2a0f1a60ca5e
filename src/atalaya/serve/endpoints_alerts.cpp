// The inbox's endpoints: warning events (one per movement) and their alerts,
// listed and one at a time, live or in a drill space; a person's changes
// (acknowledge, resolve), which write to the store and so start a new data
// generation; and the drill spaces.
#include <charconv>

#include "atalaya/core/error.h"
#include "atalaya/serve/api_error.h"
#include "atalaya/serve/endpoint.h"
#include "atalaya/serve/request_access.h"
#include "atalaya/core/utc_time.h"
#include "atalaya/warning/alert_json.h"
#include "atalaya/warning/event_json.h"
#include "atalaya/warning/atom.h"
#include "atalaya/warning/cap.h"
#include "atalaya/warning/event_cap.h"

namespace atalaya::serve {
namespace {

using access::Right;

// Who acted on an alert or event, and their notes, are not public
// (permissions.h, ReadRestricted): the public sees each change's time and
// status only. `j` is an alert or an event (whose alerts carry histories too).
void redact_people(nlohmann::json& j) {
  if (j.contains("history"))
    for (auto& change : j["history"]) {
      change.erase("actor");
      change.erase("note");
    }
  if (j.contains("alerts") && j["alerts"].is_array())
    for (auto& a : j["alerts"]) redact_people(a);
}

// An alert or event as this caller may see it.
nlohmann::json for_caller(nlohmann::json j, const ApiCall& call) {
  if (!call.access->may(Right::ReadRestricted)) redact_people(j);
  return j;
}

nlohmann::json alert_json(const Alert& a, const ApiCall& call) {
  nlohmann::json j = alert_to_json(a, call.lang);
  j["headline"] = a.headline();
  return for_caller(std::move(j), call);
}

// One alert or event of a drill space is a read of a drill (not public).
template <typename Item>
void check_space(const Item& item, const ApiCall& call, const char* kind) {
  if (!item.space.empty()) call.access->read_restricted(std::string("read.") + kind, "drill:" + item.space);
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
  for (auto& a : alerts) out.push_back(alert_json(a, call));
  return json_answer({{"alerts", out}});
}

ApiAnswer one(const ApiContext& ctx, const ApiCall& call) {
  const int64_t id = alert_id(call.path_args.at(0));
  auto a = ctx.store.with([&](AlertStore& s) { return s.alert(id); });
  if (!a) throw ApiError(404, "id", "id: no alert " + std::to_string(id));
  check_space(*a, call, "alert");
  return json_answer(alert_json(*a, call));
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
  check_space(*a, call, "alert");
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
  check_space(*e, call, "event");
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

// Who makes a person's change, and why. The server has checked the right
// (change_alerts) already. With an account, or an editor's token, the name
// is the principal's, whatever the body claims; a single-user server
// without editors takes the body's `by`. The actor (with the client's
// address and how they were known) goes to the store, which writes the
// change and its audit line in one transaction.
struct PersonsChange {
  Actor actor;
  std::string note;
};

PersonsChange persons_change(const ApiContext&, const ApiCall& call) {
  const RequestAccess& who = *call.access;
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
  PersonsChange out{who.principal.actor, body.value("note", "")};
  if (!who.accounts && who.credential == Credential::None) {
    out.actor.name = body.value("by", "");
    out.actor.credential = "name";  // a single-user server: who the body says
    if (out.actor.name.empty()) throw ApiError(400, "by", "by: required, the name of the person making the change");
    if (out.actor.name.size() > 200) throw ApiError(400, "by", "by: at most 200 characters");
  }
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
  Alert a = changed(ctx, [&](AlertStore& s) { return s.change_alert_status(id, to, who.actor, who.note); });
  return json_answer(alert_json(a, call));
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
  for (auto& e : events) out.push_back(for_caller(event_to_json(e, call.lang), call));
  return json_answer({{"drill", f.space.empty() ? nlohmann::json(nullptr) : nlohmann::json(f.space)},
                      {"total", total},
                      {"events", out}});
}

ApiAnswer event_one(const ApiContext& ctx, const ApiCall& call) {
  const int64_t id = path_id(call.path_args.at(0), "an event");
  auto e = ctx.store.with([&](AlertStore& s) { return s.event(id); });
  if (!e) throw ApiError(404, "id", "id: no event " + std::to_string(id));
  check_space(*e, call, "event");
  return json_answer(for_caller(event_to_json(*e, call.lang), call));
}

ApiAnswer event_change(const ApiContext& ctx, const ApiCall& call, AlertStatus to) {
  const PersonsChange who = persons_change(ctx, call);
  const int64_t id = path_id(call.path_args.at(0), "an event");
  const WarningEvent e =
      changed(ctx, [&](AlertStore& s) { return s.change_event_status(id, to, who.actor, who.note); });
  return json_answer(for_caller(event_to_json(e, call.lang), call));
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
  std::vector<Endpoint> endpoints = {
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
  // Rights: changes need change_alerts; the drills, and a list of a drill
  // (?drill=), need read_restricted. One drill alert or event asked by id is
  // checked by its handler (check_space).
  for (Endpoint& e : endpoints) {
    const std::string kind = e.path.substr(8, e.path.find('/', 8) - 8);  // "alerts", "events", "drills"
    const std::string one = kind.substr(0, kind.size() - 1);
    if (e.method == "POST")
      e = needs(std::move(e), Right::ChangeAlerts, one + "." + e.path.substr(e.path.rfind('/') + 1));
    else if (kind == "drills")
      e = needs(std::move(e), Right::ReadRestricted, "read.drills");
    else if (std::find(e.query.begin(), e.query.end(), "drill") != e.query.end()) {
      e.restricted_by = "drill";
      e.action = "read." + kind;
    }
  }
  return endpoints;
}

}  // namespace atalaya::serve
