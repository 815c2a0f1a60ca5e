// Alert endpoints: the inbox (list, one) and a person's changes (acknowledge,
// resolve), which write to the store and so start a new data generation.
#include <charconv>

#include "atalaya/serve/api_error.h"
#include "atalaya/serve/endpoint.h"
#include "atalaya/warning/alert_json.h"

namespace atalaya::serve {
namespace {

nlohmann::json alert_json(const Alert& a, Language lang) {
  nlohmann::json j = alert_to_json(a, lang);
  j["headline"] = a.headline();
  return j;
}

int64_t alert_id(const std::string& text) {
  int64_t id = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || id < 1)
    throw ApiError(400, "id", "id: '" + text + "' is not an alert id (a whole number from 1)");
  return id;
}

ApiAnswer list(const ApiContext& ctx, const ApiCall& call) {
  const RequestParams& p = call.params;
  AlertFilter f;
  const std::string status =
      p.choice("status", {"active", "all", "open", "acknowledged", "resolved", "expired"}, "active");
  if (status == "active") f.active_only = true;
  else if (status != "all") f.status = parse_alert_status(status);
  if (p.has("trigger")) f.trigger = p.text("trigger");
  f.limit = static_cast<size_t>(p.integer("limit", 500, 1, 10'000));
  const std::vector<Alert> alerts = ctx.store.with([&](Store& s) { return s.alerts(f); });
  nlohmann::json out = nlohmann::json::array();
  for (auto& a : alerts) out.push_back(alert_json(a, call.lang));
  return json_answer({{"alerts", out}});
}

ApiAnswer one(const ApiContext& ctx, const ApiCall& call) {
  const int64_t id = alert_id(call.path_args.at(0));
  auto a = ctx.store.with([&](Store& s) { return s.alert(id); });
  if (!a) throw ApiError(404, "id", "id: no alert " + std::to_string(id));
  return json_answer(alert_json(*a, call.lang));
}

ApiAnswer change(const ApiContext& ctx, const ApiCall& call, AlertStatus to) {
  // A shared server: the token says who it is, whatever the body claims.
  const Editor* editor = nullptr;
  if (!ctx.editors.empty()) {
    const std::string& auth = call.authorization;
    if (auth.rfind("Bearer ", 0) != 0)
      throw ApiError(401, "Authorization",
                     "Authorization: changes need an editor's access token (Authorization: Bearer TOKEN)");
    editor = ctx.editors.find(std::string_view(auth).substr(7));
    if (!editor) throw ApiError(401, "Authorization", "Authorization: the access token is not an editor's");
  }
  const int64_t id = alert_id(call.path_args.at(0));
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
  std::string by = body.value("by", "");
  const std::string note = body.value("note", "");
  if (editor) by = editor->name;
  if (by.empty()) throw ApiError(400, "by", "by: required, the name of the person making the change");
  if (by.size() > 200) throw ApiError(400, "by", "by: at most 200 characters");
  Alert a;
  try {
    a = ctx.store.with([&](Store& s) { return s.change_alert_status(id, to, by, note); });
  } catch (const StoreError& e) {
    const std::string what = e.what();
    if (what.rfind("no alert", 0) == 0) throw ApiError(404, "id", "id: " + what);
    throw ApiError(409, "", what);
  }
  ctx.snapshots.invalidate();
  return json_answer(alert_json(a, call.lang));
}

}  // namespace

std::vector<Endpoint> alert_endpoints() {
  return {
      {"GET", "/api/v1/alerts", {"status", "trigger", "limit", "lang"}, false, list, true},
      {"GET", "/api/v1/alerts/{id}", {"lang"}, false, one, true},
      {"POST", "/api/v1/alerts/{id}/acknowledge", {"lang"}, false,
       [](const ApiContext& c, const ApiCall& x) { return change(c, x, AlertStatus::Acknowledged); }, true},
      {"POST", "/api/v1/alerts/{id}/resolve", {"lang"}, false,
       [](const ApiContext& c, const ApiCall& x) { return change(c, x, AlertStatus::Resolved); }, true},
  };
}

}  // namespace atalaya::serve
