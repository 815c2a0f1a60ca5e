#include "atalaya/warning/cap.h"

#include <cmath>
#include <stdexcept>

#include "atalaya/core/country.h"
#include "atalaya/core/text.h"
#include "atalaya/warning/xml_writer.h"

namespace atalaya {
namespace {

constexpr std::string_view kCapNamespace = "urn:oasis:names:tc:emergency:cap:1.2";
constexpr std::string_view kCategories[] = {"Geo",    "Met",    "Safety",    "Security", "Rescue", "Fire",
                                            "Health", "Env",    "Transport", "Infra",    "CBRNE",  "Other"};

// CAP 1.2, 3.2.1: identifier and sender must not include spaces, commas or restricted characters.
void check_cap_token(std::string_view what, std::string_view value) {
  if (value.empty()) throw std::invalid_argument("CAP " + std::string(what) + " must not be empty");
  for (char c : value)
    if (c == ' ' || c == ',' || c == '<' || c == '&' || static_cast<unsigned char>(c) < 0x20)
      throw std::invalid_argument("CAP " + std::string(what) + " '" + std::string(value) +
                                  "' contains a space, comma, '<', '&' or control character");
}

void check_options(const CapOptions& o) {
  check_cap_token("sender", o.sender);
  check_cap_token("identifier prefix", o.identifier_prefix);
  if (o.restricted && o.restriction.empty())
    throw std::invalid_argument("CAP scope Restricted needs a restriction text saying who may see the alert");
  bool known = false;
  for (auto c : kCategories) known |= c == o.category;
  if (!known) throw std::invalid_argument("CAP category '" + o.category + "' is not one of CAP 1.2's categories");
}

std::string_view status_text(CapStatus s) {
  switch (s) {
    case CapStatus::Actual: return "Actual";
    case CapStatus::Exercise: return "Exercise";
    case CapStatus::Test: return "Test";
  }
  return "Actual";
}

std::string_view cap_severity(Severity s) {
  switch (s) {
    case Severity::Minor: return "Minor";
    case Severity::Moderate: return "Moderate";
    case Severity::Severe: return "Severe";
    case Severity::Extreme: return "Extreme";
  }
  return "Unknown";
}

// "20210805T060000Z": a version stamp that is legal inside an identifier.

std::string place_of(const Alert& a) {
  for (auto dim : {"checkpoint", "location", "source"})
    if (auto it = a.key.find(dim); it != a.key.end() && !it->second.empty()) return it->second;
  return {};
}

// The country the alert's area lies in; nullptr when the key does not say.
const Country* country_of(const Alert& a, const std::string& place) {
  if (auto it = a.key.find("reporter"); it != a.key.end())
    if (const Country* c = find_country(it->second); c && std::string_view(c->alpha3) == it->second) return c;
  // Place ids begin with the ISO alpha-2 code of their country: "pa-snm-darien", "mx-tapachula".
  if (place.size() > 3 && place[2] == '-') {
    const std::string alpha2 = place.substr(0, 2);
    if (const Country* c = find_country(alpha2); c && ascii_lower(c->alpha2) == ascii_lower(alpha2)) return c;
  }
  return nullptr;
}

void parameter(XmlWriter& w, std::string_view name, const std::string& value) {
  if (value.empty()) return;
  w.open("parameter");
  w.leaf("valueName", name);
  w.leaf("value", value);
  w.close("parameter");
}

}  // namespace

std::string cap_stamp(int64_t t) {
  std::string out;
  for (char c : rfc3339_time(t))
    if (c != '-' && c != ':') out += c;
  return out;
}

CapSubject cap_subject(const Alert& a, const CapOptions& o) {
  check_options(o);
  const int64_t created = parse_utc_seconds(a.created_at, "alert " + std::to_string(a.id) + " created_at");
  const int64_t updated = parse_utc_seconds(a.updated_at, "alert " + std::to_string(a.id) + " updated_at");
  CapSubject s;
  s.key = "alert-" + std::to_string(a.id);
  s.in_effect = a.status == AlertStatus::Open || a.status == AlertStatus::Acknowledged;
  const bool first_version = s.in_effect && updated == created;
  const std::string base = o.identifier_prefix + "-" + std::to_string(a.id) + "-";
  const std::string first_identifier = base + cap_stamp(created);
  s.identifier = base + cap_stamp(updated);
  s.sent = updated;
  s.first_sent = created;
  if (!first_version) {
    // Every later version updates (or cancels) the alert's first message.
    // A message must not reference itself (an alert cancelled in the second it was raised).
    if (s.identifier == first_identifier) s.identifier += s.in_effect ? "-update" : "-cancel";
    s.references.push_back({o.sender, first_identifier, created});
  }
  s.event = a.trigger_name.empty() ? a.trigger : a.trigger_name;
  const bool projected = a.window_from && a.window_to;
  s.urgency = !s.in_effect ? "Past" : projected ? "Future" : "Expected";
  s.severity = a.severity;
  s.certainty = a.rule == "upstream" || projected ? "Possible" : "Observed";
  if (projected) {
    s.onset = month_start_seconds(*a.window_from);
    s.expires = month_start_seconds(a.window_to->plus_months(1));
  }
  s.headline = a.headline();
  s.description = a.evidence.explanation;
  if (!o.web_prefix.empty()) s.web = o.web_prefix + std::to_string(a.id);

  auto param = [&](std::string name, std::string value) { s.parameters.emplace_back(std::move(name), std::move(value)); };
  auto number = [&](std::string name, double v) {
    if (std::isfinite(v)) param(std::move(name), number_text(v));
  };
  param("trigger", a.trigger);
  param("rule", a.rule);
  param("alert_status", std::string(alert_status_name(a.status)));
  for (auto& [dim, value] : a.key) param("key." + dim, value);
  if (a.first_period.valid()) param("first_period", a.first_period.to_string());
  if (a.last_period.valid()) param("last_period", a.last_period.to_string());
  number("value", a.evidence.value);
  number("baseline", a.evidence.baseline);
  number("threshold", a.evidence.threshold);
  number("score", a.evidence.score);
  param("source_checkpoint", a.evidence.source_checkpoint);

  const std::string place = place_of(a);
  const Country* country = country_of(a, place);
  std::string area = place;
  if (country) area += (area.empty() ? "" : ", ") + std::string(country->name_en);
  if (area.empty()) area = a.key_text();
  s.areas.push_back({area, country ? country->alpha3 : ""});
  return s;
}

void write_cap_message(XmlWriter& w, const CapSubject& s, const CapOptions& o) {
  check_options(o);
  check_cap_token("identifier", s.identifier);
  for (auto& r : s.references) {
    check_cap_token("referenced sender", r.sender);
    check_cap_token("referenced identifier", r.identifier);
  }
  const std::string_view msg_type = !s.in_effect ? "Cancel" : s.references.empty() ? "Alert" : "Update";
  w.open("alert", {{"xmlns", std::string(kCapNamespace)}});
  w.leaf("identifier", s.identifier);
  w.leaf("sender", o.sender);
  w.leaf("sent", cap_time(s.sent));
  w.leaf("status", status_text(o.status));
  w.leaf("msgType", msg_type);
  w.leaf("scope", o.restricted ? "Restricted" : "Public");
  if (o.restricted) w.leaf("restriction", o.restriction);
  if (!s.references.empty()) {
    std::string refs;
    for (auto& r : s.references)
      refs += (refs.empty() ? "" : " ") + r.sender + "," + r.identifier + "," + cap_time(r.sent);
    w.leaf("references", refs);
  }

  w.open("info");
  w.leaf("language", o.language);
  w.leaf("category", o.category);
  w.leaf("event", s.event);
  w.leaf("urgency", s.urgency);
  w.leaf("severity", cap_severity(s.severity));
  w.leaf("certainty", s.certainty);
  if (s.onset) w.leaf("onset", cap_time(*s.onset));
  if (s.expires) w.leaf("expires", cap_time(*s.expires));
  if (!o.sender_name.empty()) w.leaf("senderName", o.sender_name);
  w.leaf("headline", s.headline);
  if (!s.description.empty()) w.leaf("description", s.description);
  if (!s.web.empty()) w.leaf("web", s.web);
  for (auto& [name, value] : s.parameters) parameter(w, name, value);
  const std::vector<CapArea> unspecified{{"Unspecified", ""}};
  for (const CapArea& area : s.areas.empty() ? unspecified : s.areas) {
    w.open("area");
    w.leaf("areaDesc", area.description.empty() ? "Unspecified" : area.description);
    if (!area.alpha3.empty()) {
      w.open("geocode");
      w.leaf("valueName", "ISO 3166-1 alpha-3");
      w.leaf("value", area.alpha3);
      w.close("geocode");
    }
    w.close("area");
  }
  w.close("info");
  w.close("alert");
}

std::string cap_message_xml(const CapSubject& subject, const CapOptions& options) {
  XmlWriter w;
  write_cap_message(w, subject, options);
  return w.finish();
}

std::string cap_alert_xml(const Alert& a, const CapOptions& o) { return cap_message_xml(cap_subject(a, o), o); }

}  // namespace atalaya
