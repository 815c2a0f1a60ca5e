// Alerts as JSON: the one encoding shared by the alert store (which keeps the
// evidence as a JSON column), the webhook body and the HTTP API, so that a
// receiver and the dashboard read exactly what the store holds.
//
// Months are "YYYY-MM"; a missing month (an unset Period, or no projected
// window) is null. Non-finite numbers (a month with no data in `recent`) are
// null, because JSON has no NaN; they read back as NaN.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "atalaya/warning/alert.h"

namespace atalaya {

// Thrown by the *_from_json functions. The message names the field by its
// path ("evidence.recent[3]", "history[0].status") and says what was expected.
class AlertJsonError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

nlohmann::json alert_to_json(const Alert& alert);
Alert alert_from_json(const nlohmann::json& j);

// As shown to a person in `lang` (the API, the overview): alert_to_json plus
// "lang", "explanation" (the evidence's message rendered in that language;
// the stored English text for alerts stored before messages) and
// "trigger_label" (the trigger's name in that language). evidence.explanation
// stays the stored English sentence, for readers written before.
nlohmann::json alert_to_json(const Alert& alert, Language lang);

// The evidence alone, as it sits in the store's evidence column and under
// "evidence" in alert_to_json.
nlohmann::json evidence_to_json(const AlertEvidence& evidence);
AlertEvidence evidence_from_json(const nlohmann::json& j);

}  // namespace atalaya
