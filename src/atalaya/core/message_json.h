// A Message as JSON, for storing it (alert evidence) and reading it back:
//   {"id": "detector.growth.rise", "args": {"value": 13141, "compared": {"id": ..., "args": ...},
//    "citizenship": {"en": "Haiti", "es": "Haití"}, "model": "ETS(M,A,N)"}}
// A number is a JSON number; NaN is null and an infinity {"number": "inf"} or
// {"number": "-inf"}; plain text is a string; text in both languages is
// {"en", "es"}; a nested message is {"id", "args"}.
#pragma once

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "atalaya/core/messages.h"

namespace atalaya {

nlohmann::json message_to_json(const Message& m);
// Throws std::invalid_argument naming the field for anything not of that shape.
Message message_from_json(const nlohmann::json& j);

}  // namespace atalaya
