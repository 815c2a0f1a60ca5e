#include "atalaya/warning/alert.h"

#include "atalaya/core/country.h"

namespace atalaya {

std::optional<Severity> parse_severity(std::string_view t) {
  if (t == "minor") return Severity::Minor;
  if (t == "moderate") return Severity::Moderate;
  if (t == "severe") return Severity::Severe;
  if (t == "extreme") return Severity::Extreme;
  return std::nullopt;
}

std::string_view severity_name(Severity s) {
  switch (s) {
    case Severity::Minor: return "minor";
    case Severity::Moderate: return "moderate";
    case Severity::Severe: return "severe";
    case Severity::Extreme: return "extreme";
  }
  return "moderate";
}

std::optional<AlertStatus> parse_alert_status(std::string_view t) {
  if (t == "open") return AlertStatus::Open;
  if (t == "acknowledged") return AlertStatus::Acknowledged;
  if (t == "resolved") return AlertStatus::Resolved;
  if (t == "expired") return AlertStatus::Expired;
  return std::nullopt;
}

std::string_view alert_status_name(AlertStatus s) {
  switch (s) {
    case AlertStatus::Open: return "open";
    case AlertStatus::Acknowledged: return "acknowledged";
    case AlertStatus::Resolved: return "resolved";
    case AlertStatus::Expired: return "expired";
  }
  return "open";
}

std::string key_text(const std::map<std::string, std::string>& key) {
  std::string out;
  for (auto& [k, v] : key) {
    if (!out.empty()) out += ';';
    out += k + "=" + v;
  }
  return out;
}

std::string Alert::headline() const {
  std::string who;
  if (auto it = key.find("citizenship"); it != key.end()) {
    const Country* c = find_country(it->second);
    who = c ? std::string(c->name_en) : it->second;
  }
  std::string where;
  for (auto dim : {"checkpoint", "source", "location", "reporter"}) {
    if (auto it = key.find(dim); it != key.end()) {
      where = it->second;
      break;
    }
  }
  std::string out = who.empty() ? key_text() : who;
  if (!where.empty()) out += " at " + where;
  out += ": " + trigger + " (" + std::string(severity_name(severity)) + "), " + first_period.to_string();
  if (!(last_period == first_period)) out += ".." + last_period.to_string();
  if (window_from && window_to)
    out += "; projected arrival " + window_from->to_string() + ".." + window_to->to_string();
  return out;
}

}  // namespace atalaya
