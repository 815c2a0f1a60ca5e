// Alerts for tests of the notification code: one surge at a checkpoint with a
// history, and one upstream alert with a projected arrival window. Their text
// holds the characters XML and JSON must escape.
#pragma once

#include "atalaya/warning/alert.h"

namespace atalaya::testing {

inline Alert sample_surge_alert() {
  Alert a;
  a.id = 42;
  a.trigger = "darien-growth";
  a.trigger_name = "Darién crossings <growth> & \"surge\"";
  a.rule = "growth";
  a.key = {{"citizenship", "HTI"}, {"source", "pa-snm-darien"}};
  a.first_period = Period::month(2021, 6);
  a.last_period = Period::month(2021, 7);
  a.severity = Severity::Severe;
  a.status = AlertStatus::Open;
  a.evidence.value = 13141;
  a.evidence.baseline = 3862.5;
  a.evidence.threshold = 2.0;
  a.evidence.score = 3.4;
  a.evidence.explanation = "13,141 is 3.4 times the trailing 3-month mean of 3,862 (<3 months> & 'rising')";
  a.evidence.recent_start = Period::month(2021, 3);
  a.evidence.recent = {3100, 3900, 4587, 9001, 13141};
  a.created_at = "2021-08-05T06:00:00Z";
  a.updated_at = "2021-08-05T06:00:00Z";
  a.history = {{"2021-08-05T06:00:00Z", "atalaya watch", AlertStatus::Open, "opened"}};
  return a;
}

inline Alert sample_upstream_alert() {
  Alert a;
  a.id = 43;
  a.trigger = "upstream-darien-to-tapachula";
  a.trigger_name = "Darién surge heading north";
  a.rule = "upstream";
  a.key = {{"citizenship", "VEN"}, {"checkpoint", "mx-tapachula"}};
  a.first_period = Period::month(2022, 9);
  a.last_period = Period::month(2022, 9);
  a.severity = Severity::Extreme;
  a.status = AlertStatus::Acknowledged;
  a.evidence.value = 38399;
  a.evidence.baseline = 9000;
  a.evidence.threshold = 3.0;
  a.evidence.score = 4.27;
  a.evidence.explanation = "38,399 crossed the Darién, 4.27 times the trailing mean";
  a.evidence.recent_start = Period::month(2022, 7);
  a.evidence.recent = {10000, 25000, 38399};
  a.evidence.source_checkpoint = "pa-snm-darien";
  a.window_from = Period::month(2022, 10);
  a.window_to = Period::month(2022, 11);
  a.created_at = "2022-10-03T06:00:00Z";
  a.updated_at = "2022-10-04T09:30:00Z";
  a.history = {{"2022-10-03T06:00:00Z", "atalaya watch", AlertStatus::Open, "opened"},
               {"2022-10-04T09:30:00Z", "maria", AlertStatus::Acknowledged, "shelters in Tapachula informed"}};
  return a;
}

}  // namespace atalaya::testing
