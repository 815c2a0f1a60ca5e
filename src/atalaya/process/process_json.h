// The process's records as JSON: the one encoding shared by the process
// store (which keeps goals, agendas, roadmaps, indicators and a pillar
// change's `after` as JSON columns), the command line's --format json and
// the API, so that every reader sees what the store holds.
//
// Texts are {"en": ..., "es": ...}; optional values are null when unset.
// Who recorded something (an Actor) is written only when asked
// (`with_actors`): it is for readers holding read_restricted.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "atalaya/process/process_model.h"

namespace atalaya::process {

nlohmann::json to_json(const Text& t);
Text text_from_json(const nlohmann::json& j);
nlohmann::json to_json(const std::vector<Text>& texts);
std::vector<Text> texts_from_json(const nlohmann::json& j);

nlohmann::json to_json(const Declaration& d);
nlohmann::json to_json(const Endorsement& e);
nlohmann::json to_json(const Pillar& p);
Pillar pillar_from_json(const nlohmann::json& j);
nlohmann::json to_json(const PillarChange& c, bool with_actors);
nlohmann::json to_json(const ActionPackage& p);
nlohmann::json to_json(const std::vector<Milestone>& roadmap);
std::vector<Milestone> roadmap_from_json(const nlohmann::json& j);
nlohmann::json to_json(const Indicator& i);
Indicator indicator_from_json(const nlohmann::json& j);
nlohmann::json to_json(const Commitment& c);
nlohmann::json to_json(const Meeting& m, bool with_actors);
nlohmann::json to_json(const StatusReport& r, bool with_actors);
nlohmann::json to_json(const Assessment& a, bool with_actors);
nlohmann::json to_json(const Contact& c);
nlohmann::json to_json(const Notification& n);
nlohmann::json to_json(const Actor& a);

}  // namespace atalaya::process
