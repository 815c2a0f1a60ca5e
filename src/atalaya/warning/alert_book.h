// The alert lifecycle as the early-warning system drives it: trigger firings
// of one evaluation are merged into the active alerts. The same trigger on the
// same key keeps one alert while it is active (open or acknowledged): a new
// firing extends it (last_period, evidence, severity, projected window)
// instead of opening another. An active alert whose key was evaluated and did
// not fire for `expire_after_months` months expires. People acknowledge and
// resolve alerts; the system only opens, updates and expires them.
//
// Pure logic, no store: `watch` loads the active alerts from the store and
// writes back what this returns; `replay` keeps them in memory.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "atalaya/warning/alert_store.h"
#include "atalaya/warning/alert.h"

namespace atalaya {

// One trigger's verdict that a key crossed its rule in one month.
struct Firing {
  std::string trigger, trigger_name, rule;
  std::map<std::string, std::string> key;
  Period period;  // the month evaluated
  Severity severity = Severity::Moderate;
  AlertEvidence evidence;
  std::optional<Period> window_from, window_to;
};

// What one evaluation looked at: trigger id + key text -> the month evaluated
// (whether or not it fired). Keys not evaluated are left alone.
using Evaluated = std::unordered_map<std::string, Period>;
std::string evaluated_key(const std::string& trigger, const std::string& key_text);

struct LifecyclePolicy {
  int expire_after_months = 2;  // months evaluated without firing before an active alert expires
  std::string actor = "atalaya watch";
};

// What happened to an alert in one merge, for timelines and notifications.
enum class AlertChangeKind { Opened, Extended, Escalated, Expired };

struct AlertUpdate {
  AlertChangeKind kind;
  AlertWrite write;  // the alert after the change; notify set for Opened and Escalated
};

// Merges `firings` into `active` (updated in place: new alerts appended,
// expired ones removed) and returns every alert that changed. Re-evaluating a
// month already seen changes nothing (watch can run after every ingest).
std::vector<AlertUpdate> merge_firings(std::vector<Alert>& active, const std::vector<Firing>& firings,
                                       const Evaluated& evaluated, const LifecyclePolicy& policy);

// Whole months from a to b (b - a); both monthly.
int months_between(const Period& a, const Period& b);

}  // namespace atalaya
