#include "atalaya/warning/alert_book.h"

#include <algorithm>

namespace atalaya {

std::string evaluated_key(const std::string& trigger, const std::string& key_text) {
  return trigger + '\x1f' + key_text;
}

int months_between(const Period& a, const Period& b) {
  return month_number(b) - month_number(a);
}

std::vector<AlertUpdate> merge_firings(std::vector<Alert>& active, const std::vector<Firing>& firings,
                                       const Evaluated& evaluated, const LifecyclePolicy& policy) {
  std::unordered_map<std::string, size_t> by_key;
  for (size_t i = 0; i < active.size(); ++i)
    by_key[evaluated_key(active[i].trigger, active[i].key_text())] = i;
  std::vector<AlertUpdate> updates;
  std::vector<char> fired(active.size(), 0);
  for (const Firing& f : firings) {
    const std::string k = evaluated_key(f.trigger, key_text(f.key));
    auto it = by_key.find(k);
    if (it != by_key.end()) {
      Alert& a = active[it->second];
      fired[it->second] = 1;
      if (!(a.last_period < f.period)) continue;  // this month was already seen
      const bool escalated = f.severity > a.severity;
      a.last_period = f.period;
      a.evidence = f.evidence;
      a.severity = std::max(a.severity, f.severity);
      if (f.window_from) a.window_from = f.window_from;
      if (f.window_to) a.window_to = f.window_to;
      if (escalated)
        a.history.push_back({"", policy.actor, a.status,
                             "escalated to " + std::string(severity_name(a.severity)) + " in " + f.period.to_string()});
      updates.push_back({escalated ? AlertChangeKind::Escalated : AlertChangeKind::Extended,
                         {a, escalated ? "alert.escalated" : ""}});
      continue;
    }
    Alert a;
    a.trigger = f.trigger;
    a.trigger_name = f.trigger_name;
    a.rule = f.rule;
    a.key = f.key;
    a.first_period = a.last_period = f.period;
    a.severity = f.severity;
    a.status = AlertStatus::Open;
    a.evidence = f.evidence;
    a.window_from = f.window_from;
    a.window_to = f.window_to;
    a.history.push_back({"", policy.actor, AlertStatus::Open, f.evidence.explanation});
    by_key[k] = active.size();
    active.push_back(a);
    fired.push_back(1);
    updates.push_back({AlertChangeKind::Opened, {a, "alert.opened"}});
  }
  // Expiry: evaluated, did not fire, and quiet for long enough.
  std::vector<Alert> still_active;
  for (size_t i = 0; i < active.size(); ++i) {
    Alert& a = active[i];
    if (!fired[i]) {
      auto e = evaluated.find(evaluated_key(a.trigger, a.key_text()));
      if (e != evaluated.end() && months_between(a.last_period, e->second) >= policy.expire_after_months) {
        a.status = AlertStatus::Expired;
        a.history.push_back({"", policy.actor, AlertStatus::Expired,
                             "no firing since " + a.last_period.to_string() + " (evaluated through " +
                                 e->second.to_string() + ")"});
        updates.push_back({AlertChangeKind::Expired, {a, ""}});
        continue;
      }
    }
    still_active.push_back(std::move(a));
  }
  active = std::move(still_active);
  return updates;
}

}  // namespace atalaya
