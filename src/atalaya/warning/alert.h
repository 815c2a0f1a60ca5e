// Alerts: what the early-warning system tells a task force. An alert is one
// trigger firing on one key (a citizenship at a checkpoint, say) over one or
// more consecutive months; it carries the evidence of its latest firing and a
// lifecycle (open -> acknowledged -> resolved, or expired when the trigger
// stops firing) with who changed it and when.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atalaya/core/messages.h"
#include "atalaya/core/period.h"

namespace atalaya {

// The severities of the Common Alerting Protocol (CAP 1.2), least to most.
enum class Severity : uint8_t { Minor = 1, Moderate = 2, Severe = 3, Extreme = 4 };
std::optional<Severity> parse_severity(std::string_view text);  // minor|moderate|severe|extreme
std::string_view severity_name(Severity s);                     // "severe"

enum class AlertStatus : uint8_t { Open = 1, Acknowledged = 2, Resolved = 3, Expired = 4 };
std::optional<AlertStatus> parse_alert_status(std::string_view text);  // open|acknowledged|resolved|expired
std::string_view alert_status_name(AlertStatus s);

// Why a trigger fired, as numbers a reader can check.
struct AlertEvidence {
  double value = 0;      // the latest value of the series
  double baseline = 0;   // what it was compared with (trailing mean, forecast, median, ...)
  double threshold = 0;  // the level the value (or score) had to pass
  double score = 0;      // the rule's statistic (ratio, robust z, CUSUM, ...)
  std::string explanation;         // one sentence, e.g. "13,141 is 3.4 times the trailing 3-month mean of 3,862"
  // The same sentence as a catalogue message, rendered per language when
  // shown; empty for alerts stored before explanations were messages (their
  // English `explanation` then stands in every language).
  Message message;
  std::string trigger_name_es;     // the trigger's Spanish name at this firing; empty: none given
  Period recent_start;             // first month of `recent`
  std::vector<double> recent;      // the series' last months, oldest first, ending at the alert period
  std::string source_checkpoint;   // upstream alerts: the checkpoint where the surge was seen
};

struct AlertChange {
  std::string at;     // UTC, ISO 8601 ("2026-11-23T10:15:00Z")
  std::string actor;  // who: a user name, or "atalaya watch"
  AlertStatus status = AlertStatus::Open;
  std::string note;
};

// "citizenship=HTI;source=pa-snm-darien": a key as one string, dimensions in
// name order. Alerts are found by trigger and this text.
std::string key_text(const std::map<std::string, std::string>& key);

struct Alert {
  int64_t id = 0;                          // store id; 0 before it is stored
  int64_t event_id = 0;                    // the warning event it is evidence for (warning_event.h); 0 before stored
  std::string space;                       // "" live; else a drill's name (see warning_event.h)
  std::string trigger;                     // trigger id from the trigger file
  std::string trigger_name;                // its human name
  std::string rule;                        // threshold, growth, seasonal_anomaly, cusum, ewma, forecast_exceedance, upstream
  std::map<std::string, std::string> key;  // group dimension -> value, e.g. citizenship=HTI, source=pa-snm-darien
  Period first_period;                     // first month it fired (monthly)
  Period last_period;                      // latest month it fired; consecutive firings extend it
  Severity severity = Severity::Moderate;
  AlertStatus status = AlertStatus::Open;
  AlertEvidence evidence;                  // of the latest firing
  // Upstream alerts: the months in which the surge is projected to reach the
  // downstream checkpoint named in key["checkpoint"].
  std::optional<Period> window_from, window_to;
  std::string created_at, updated_at;      // UTC, ISO 8601
  std::vector<AlertChange> history;        // oldest first

  // "citizenship=HTI;source=pa-snm-darien": the key as one string, dimensions in order.
  std::string key_text() const { return atalaya::key_text(key); }
  // A one-line headline: "Haitians at pa-snm-darien: growth (severe), 2021-06..2021-07".
  std::string headline() const;
  // The explanation and the trigger's name in `lang`, falling back to the
  // stored English text.
  std::string explanation_in(Language lang) const { return render_or(evidence.message, lang, evidence.explanation); }
  std::string trigger_name_in(Language lang) const {
    return lang == Language::Es && !evidence.trigger_name_es.empty() ? evidence.trigger_name_es : trigger_name;
  }
};

}  // namespace atalaya
