#include "cli/event_print.h"

#include <cmath>
#include <iomanip>
#include <map>

#include "cli/commands.h"

namespace atalaya::cli {
namespace {

std::string months(const Period& first, const Period& last) {
  std::string s = first.to_string();
  if (!(last == first)) s += ".." + last.to_string();
  return s;
}

std::string window_text(const EventCheckpoint& cp) {
  if (!cp.window_from || !cp.window_to) return "";
  return months(*cp.window_from, *cp.window_to);
}

std::map<std::string, const Alert*> active_by_ref(const WarningEvent& e) {
  std::map<std::string, const Alert*> out;
  for (auto& a : e.alerts)
    if (a.status == AlertStatus::Open || a.status == AlertStatus::Acknowledged) out.emplace(alert_ref(a), &a);
  return out;
}

// Where the movement is seen, in route order: "darien > mexico".
std::string seen_at(const WarningEvent& e) {
  std::string out;
  for (auto& cp : e.checkpoints)
    if (cp.observed()) out += (out.empty() ? "" : " > ") + cp.id;
  return out.empty() ? "-" : out;
}

// The projected windows along the route, in order: "mexico 2021-08..2021-11,
// us-southwest-border 2021-08..2021-11" (a checkpoint that already sees the
// movement keeps its window: when the surge seen upstream is to peak there).
std::string projected(const WarningEvent& e) {
  std::string out;
  for (auto& cp : e.checkpoints)
    if (auto w = window_text(cp); !w.empty()) out += (out.empty() ? "" : ", ") + cp.id + " " + w;
  return out;
}

// The explanation of the event's most telling alert: the most severe, then the latest.
const Alert* lead_alert(const WarningEvent& e) {
  const Alert* best = nullptr;
  for (auto& a : e.alerts) {
    if (a.status != AlertStatus::Open && a.status != AlertStatus::Acknowledged) continue;
    if (!best || best->severity < a.severity || (best->severity == a.severity && best->last_period < a.last_period))
      best = &a;
  }
  return best;
}

}  // namespace

std::string count_text(double v) {
  if (!std::isfinite(v)) return "no data";  // a month no release covers, never 0
  return thousands(static_cast<int64_t>(std::llround(v)));
}

void print_event_header(std::ostream& out, bool with_status) {
  out << std::left << std::setw(6) << "event";
  if (with_status) out << std::setw(13) << "status";
  out << std::setw(10) << "severity" << std::setw(11) << "phase" << std::setw(6) << "who" << std::setw(16)
      << "route/source" << std::setw(18) << "months" << std::setw(34) << "seen at" << "projected (peak or arrival)\n";
}

void print_event_line(std::ostream& out, const WarningEvent& e, bool with_status) {
  const std::string where =
      !e.route.empty() ? e.route : e.checkpoints.empty() ? e.movement_text() : e.checkpoints[0].id;
  out << std::left << std::setw(6) << e.id;
  if (with_status) out << std::setw(13) << alert_status_name(e.status);
  out << std::setw(10) << severity_name(e.severity) << std::setw(11) << event_phase_name(e.phase) << std::setw(6)
      << (e.citizenship.empty() ? "-" : e.citizenship) << std::setw(16) << where << std::setw(18)
      << months(e.first_period, e.last_period) << std::setw(34) << seen_at(e) << projected(e) << "\n";
}

void print_event_inbox(std::ostream& out, const std::vector<WarningEvent>& events, bool explain, Language lang) {
  if (events.empty()) {
    out << "(no events)\n";
    return;
  }
  print_event_header(out, true);
  for (auto& e : events) {
    print_event_line(out, e, true);
    if (explain)
      if (const Alert* a = lead_alert(e)) {
        std::string text = a->explanation_in(lang);
        if (text.size() > 200) text = text.substr(0, 197) + "...";
        out << "      " << text << "\n";
      }
  }
}

void print_event_detail(std::ostream& out, const WarningEvent& e, Language lang) {
  out << "event " << e.id << (e.space.empty() ? "" : " (drill " + e.space + ")") << ": " << e.headline() << "\n"
      << "status:   " << alert_status_name(e.status) << ", severity " << severity_name(e.severity) << ", "
      << event_phase_name(e.phase) << "\n"
      << "months:   " << months(e.first_period, e.last_period) << "\n"
      << "movement: " << e.movement_text() << "\n";
  const auto by_ref = active_by_ref(e);
  for (auto& cp : e.checkpoints) {
    out << "\n" << cp.name << (cp.name == cp.id ? "" : " (" + cp.id + ")") << ":";
    if (!cp.observed() && window_text(cp).empty()) out << " not seen";
    out << "\n";
    for (auto& ref : cp.alerts) {
      auto it = by_ref.find(ref);
      if (it == by_ref.end()) continue;
      const Alert& a = *it->second;
      out << "  alert " << a.id << " " << a.trigger << " (" << severity_name(a.severity) << "), "
          << months(a.first_period, a.last_period) << ": " << a.explanation_in(lang) << "\n";
      if (!a.evidence.recent.empty()) {
        out << "    recent:";
        size_t from = a.evidence.recent.size() > 8 ? a.evidence.recent.size() - 8 : 0;
        Period p = a.evidence.recent_start.plus_months(static_cast<int>(from));
        for (size_t i = from; i < a.evidence.recent.size(); ++i, p = p.plus_months(1))
          out << " " << p.to_string() << "=" << count_text(a.evidence.recent[i]);
        out << "\n";
      }
    }
    if (auto w = window_text(cp); !w.empty())
      out << "  projected window " << w << " (from the surge seen at " << cp.projected_from << ")\n";
  }
  out << "\nhistory:\n";
  for (auto& h : e.history)
    out << "  " << h.at << "  " << std::left << std::setw(13) << alert_status_name(h.status) << std::setw(16)
        << h.actor << h.note << "\n";
}

}  // namespace atalaya::cli
