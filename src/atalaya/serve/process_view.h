// The L.A. Process's records as the API answers them (docs/api.md, "The L.A.
// Process"): the process's one JSON encoding (process_json.h) with its texts
// in the answer's language beside both languages, and without who recorded
// what, or where a notice was sent, for a caller who may not read it.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "atalaya/core/messages.h"
#include "atalaya/process/process_model.h"
#include "atalaya/process/process_store.h"

namespace atalaya::serve {

// Every text of `j` (a field holding {"en", "es"}: title, name, text,
// narrative, rationale, note, description; or a list of them: goals,
// agenda), at any depth but inside a meeting's `evidence` and an
// indicator's `selection`, becomes the string in `lang` (the other
// language when that one is empty), with both kept in "<field>_i18n".
nlohmann::json localised(nlohmann::json j, Language lang);

// What a caller without read_restricted may not see, taken out at any
// depth: who recorded something (reported_by, assessed_by, recorded_by,
// called_by) and a notice's address, text and last error.
nlohmann::json without_people(nlohmann::json j);

// How one caller sees the process: in a language, with or without people.
struct ProcessView {
  Language lang = Language::En;
  bool restricted = false;  // the caller holds read_restricted

  nlohmann::json operator()(nlohmann::json j) const {
    return restricted ? localised(std::move(j), lang) : localised(without_people(std::move(j)), lang);
  }
};

// The day each meeting was held, by code: status reports and assessments
// carry it ("held_on") so a reader can order them without the meetings.
using HeldOn = std::map<std::string, std::string>;
HeldOn held_on_of(const std::vector<process::Meeting>& meetings);

// The JSON of a report or an assessment with its meeting's day.
nlohmann::json report_json(const process::StatusReport& r, const HeldOn& held);
nlohmann::json assessment_json(const process::Assessment& a, const HeldOn& held);

// A meeting in a list: code, kind, title, held_on, place, hosts,
// participants, event_id (null but for an emergency session).
nlohmann::json meeting_summary_json(const process::Meeting& m);

// A commitment in a list: its fields without roadmap, evidence and
// indicator ("has_indicator" instead), with its latest status and
// assessment (null when none).
nlohmann::json commitment_summary_json(const process::CommitmentRecord& r, const HeldOn& held);

}  // namespace atalaya::serve
