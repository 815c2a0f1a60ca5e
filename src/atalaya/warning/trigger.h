// Triggers: the declared, common set of rules that raise early-warning
// alerts, read from a TOML trigger file (triggers/default.toml; the language
// is documented in docs/triggers.md). A trigger applies one rule to every
// group of a series selection (per citizenship at each checkpoint, say), with
// a minimum volume that keeps small, noisy series out and a severity.
#pragma once

#include <chrono>
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
  // Residual citizenship groups (OTH "other", OOO, UNK: core/country.h) are
  // left out of per-citizenship triggers unless listed here or selected by
  // name in `selection` (trigger file: include_groups).
  std::vector<std::string> include_groups;
  // The rule with its parameters (minimum_volume included); for an upstream
  // trigger, the condition that detects a surge at an upstream checkpoint.
  TriggerRule detector;
  // Upstream triggers: the route followed, and the condition's rule type.
  std::shared_ptr<const Route> route;
  std::string route_file;
  RuleType condition = RuleType::Growth;
  // Upstream triggers: the projected window is the central interval holding
  // this share of the probability (window_coverage, 0.8 unless set), of the
  // downstream peak (window_of = "peak": transit plus the upstream surge's
  // time to its peak) or of the arrival of this month's flow ("arrival":
  // transit only). docs/routes.md, "Arrival windows".
  double window_coverage = 0.8;
  bool window_to_peak = true;
  uint32_t line = 0;        // where the trigger starts in its file
};

// A [[webhook]] of the trigger file, with how the delivery worker
// (warning/outbox.h) treats it; the defaults are those docs/triggers.md gives.
struct WebhookEndpoint {
  std::string url;
  std::string secret;       // from the environment variable the file names
  std::string secret_env;
  std::chrono::milliseconds timeout{10'000};         // timeout_seconds: one attempt, start to end
  std::chrono::milliseconds connect_timeout{5'000};  // connect_timeout_seconds (at most timeout)
  int max_attempts = 16;                             // then the delivery is given up (atalaya outbox)
  std::chrono::seconds retry_delay{30};              // retry_delay_seconds: before the 2nd attempt, doubling, at most 1 h
  int breaker_failures = 5;                          // consecutive failed attempts that pause the endpoint...
  std::chrono::seconds breaker_cooldown{300};        // ...for breaker_cooldown_seconds
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
