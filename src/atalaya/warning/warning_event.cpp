#include "atalaya/warning/warning_event.h"

#include <algorithm>
#include <cmath>
#include <tuple>

#include "atalaya/core/country.h"

namespace atalaya {

std::string_view event_phase_name(EventPhase p) {
  switch (p) {
    case EventPhase::Persistent: return "persistent";
    case EventPhase::Ongoing: return "ongoing";
    case EventPhase::Emerging: return "emerging";
  }
  return "ongoing";
}

std::optional<EventPhase> parse_event_phase(std::string_view t) {
  if (t == "persistent") return EventPhase::Persistent;
  if (t == "ongoing") return EventPhase::Ongoing;
  if (t == "emerging") return EventPhase::Emerging;
  return std::nullopt;
}

std::string WarningEvent::headline() const {
  std::string who = citizenship;
  if (const Country* c = find_country(citizenship)) who = c->name_en;
  std::string where = route_name;
  if (where.empty())
    for (auto& [dim, value] : movement)
      if (dim != "citizenship") where += (where.empty() ? "" : ", ") + value;
  std::string out = who.empty() ? movement_text() : who;
  if (!where.empty()) out += (route.empty() ? " at " : " along ") + where;
  out += ": " + std::string(severity_name(severity)) + ", " + std::string(event_phase_name(phase)) + ", " +
         first_period.to_string();
  if (!(last_period == first_period)) out += ".." + last_period.to_string();
  return out;
}

bool is_drill_name(std::string_view name) {
  return !name.empty() && name.size() <= 64 &&
         name.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") ==
             std::string_view::npos;
}

std::string alert_ref(const Alert& a) { return a.trigger + "|" + a.key_text(); }

void rank_events(std::vector<WarningEvent>& events) {
  auto rank = [](const WarningEvent& e) {
    const bool emerging = e.phase == EventPhase::Emerging;
    // Too new to have six months: as fast as anything (it is all new).
    const double growth = !emerging ? 0 : std::isfinite(e.momentum) ? e.momentum : HUGE_VAL;
    return std::make_tuple(e.status == AlertStatus::Open ? 0 : e.active() ? 1 : 2, -static_cast<int>(e.phase),
                           -growth, -static_cast<int>(e.severity), -static_cast<int64_t>(e.last_period.code()),
                           -e.id);
  };
  std::stable_sort(events.begin(), events.end(),
                   [&](const WarningEvent& a, const WarningEvent& b) { return rank(a) < rank(b); });
}

}  // namespace atalaya
