// Warning events as JSON: the API's and the webhook's answer, and the view
// (route names and per-checkpoint placement) the store keeps with an event.
#pragma once

#include <nlohmann/json.hpp>

#include "atalaya/core/messages.h"
#include "atalaya/warning/warning_event.h"

namespace atalaya {

// The whole event for people and receivers: its fields, history, and each
// checkpoint of its route with the evidence of the alerts observed there
// (from WarningEvent::alerts, when loaded) and the projected window.
// With `lang`, each alert's explanation and trigger name are given in that
// language too ("explanation", "trigger_label"), as alert_to_json(a, lang).
nlohmann::json event_to_json(const WarningEvent& event);
nlohmann::json event_to_json(const WarningEvent& event, Language lang);

// The event's view as the store keeps it (route names, checkpoints), and
// back. view_from_json throws AlertJsonError naming the field.
nlohmann::json event_view_to_json(const WarningEvent& event);
void event_view_from_json(const nlohmann::json& j, WarningEvent& event);

}  // namespace atalaya
