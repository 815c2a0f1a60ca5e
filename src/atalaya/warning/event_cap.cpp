#include "atalaya/warning/event_cap.h"

#include <algorithm>

#include "atalaya/core/country.h"
#include "atalaya/warning/xml_writer.h"

namespace atalaya {

CapSubject cap_subject(const WarningEvent& e, const CapOptions& o) {
  const std::string what = "event " + std::to_string(e.id);
  const int64_t created = parse_utc_seconds(e.created_at, what + " created_at");
  const int64_t updated = parse_utc_seconds(e.updated_at, what + " updated_at");
  CapSubject s;
  s.key = "event-" + std::to_string(e.id);
  s.in_effect = e.active();
  const std::string base = o.identifier_prefix + "-event-" + std::to_string(e.id) + "-";
  const std::string first_identifier = base + cap_stamp(created);
  s.identifier = base + cap_stamp(updated);
  s.sent = updated;
  s.first_sent = created;
  if (!(s.in_effect && updated == created)) {
    if (s.identifier == first_identifier) s.identifier += s.in_effect ? "-update" : "-cancel";
    s.references.push_back({o.sender, first_identifier, created});
  }
  s.event = "Migration movement";
  s.severity = e.severity;
  s.headline = e.headline();
  std::optional<Period> from, to;
  bool observed = false;
  std::string description;
  for (auto& cp : e.checkpoints) {
    const bool projected = cp.window_from && cp.window_to && !cp.observed();
    if (!cp.observed() && !projected) continue;
    observed = observed || cp.observed();
    std::string area = cp.name;
    const Country* c = cp.reporter.empty() ? nullptr : find_country(cp.reporter);
    if (c && area.find(c->name_en) == std::string::npos) area += ", " + std::string(c->name_en);
    s.areas.push_back({area, c ? c->alpha3 : ""});
    if (projected) {
      if (!from || *cp.window_from < *from) from = cp.window_from;
      if (!to || *to < *cp.window_to) to = cp.window_to;
      description += (description.empty() ? "" : " ") + std::string("Projected at ") + cp.name + ": " +
                     cp.window_from->to_string() + " to " + cp.window_to->to_string() + ".";
    } else {
      description += (description.empty() ? "" : " ") + std::string("Seen at ") + cp.name + ".";
    }
  }
  // The most severe active alert's explanation says why.
  const Alert* lead = nullptr;
  for (auto& a : e.alerts)
    if ((a.status == AlertStatus::Open || a.status == AlertStatus::Acknowledged) &&
        (!lead || lead->severity < a.severity || (lead->severity == a.severity && lead->last_period < a.last_period)))
      lead = &a;
  if (lead) description = lead->evidence.explanation + " " + description;
  s.description = description;
  s.urgency = !s.in_effect ? "Past" : from ? "Future" : "Expected";
  s.certainty = observed ? "Observed" : "Possible";
  if (from && to) {
    s.onset = month_start_seconds(*from);
    s.expires = month_start_seconds(to->plus_months(1));
  }
  if (!o.web_prefix.empty()) s.web = o.web_prefix + std::to_string(e.id);
  s.parameters.emplace_back("event_status", std::string(alert_status_name(e.status)));
  s.parameters.emplace_back("phase", std::string(event_phase_name(e.phase)));
  for (auto& [dim, value] : e.movement) s.parameters.emplace_back("movement." + dim, value);
  if (e.first_period.valid()) s.parameters.emplace_back("first_period", e.first_period.to_string());
  if (e.last_period.valid()) s.parameters.emplace_back("last_period", e.last_period.to_string());
  return s;
}

}  // namespace atalaya
