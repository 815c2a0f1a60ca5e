// Triggers: the declared, common set of rules that raise early-warning
// alerts, read from a TOML trigger file (triggers/default.toml; the language
// is documented in docs/triggers.md). A trigger applies one rule to every
// group of a series selection (per citizenship at each checkpoint, say), with
// a minimum volume that keeps small, noisy series out and a severity.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atalaya/analysis/series_query.h"
#include "atalaya/warning/alert.h"
#include "atalaya/warning/detectors.h"

namespace atalaya {

struct Route;

enum class RuleType { Threshold, Growth, SeasonalAnomaly, Cusum, Ewma, ForecastExceedance, Upstream };
std::optional<RuleType> parse_rule_type(std::string_view text);
std::string_view rule_type_name(RuleType r);

struct Trigger {
  std::string id;           // unique in the file; alerts name it
  std::string name;         // for people
  std::string description;
  std::string name_es, description_es;  // in Spanish; empty: the English ones stand
  RuleType rule = RuleType::Growth;
  Severity severity = Severity::Moderate;
  SeriesQuery selection;    // filters as written; selection.by = group_by
  double minimum_volume = 0;  // a rise fires only when the latest value reaches this
  // The rule with its parameters (minimum_volume included); for an upstream
  // trigger, the condition that detects a surge at an upstream checkpoint.
  TriggerRule detector;
  // Upstream triggers: the route followed, and the condition's rule type.
  std::shared_ptr<const Route> route;
  std::string route_file;
  RuleType condition = RuleType::Growth;
  uint32_t line = 0;        // where the trigger starts in its file
};

struct WebhookEndpoint {
  std::string url;
  std::string secret;       // from the environment variable the file names
  std::string secret_env;
};

struct TriggerSet {
  std::string file;
  std::vector<Trigger> triggers;
  int expire_after_months = 2;  // see LifecyclePolicy
  int evidence_months = 24;     // months of the series kept as evidence with each alert
  std::vector<WebhookEndpoint> webhooks;
};

// Reads a trigger file. Relative route paths are resolved against the
// trigger file's folder. Throws InputError naming the file, line and field
// for anything malformed: unknown keys, wrong types, an unknown rule,
// severity or dimension, a duplicate id, a bad route file.
TriggerSet load_trigger_file(const std::string& path);
TriggerSet parse_trigger_file(const std::string& text, const std::string& path);

}  // namespace atalaya
