// Times as access/ stores them: UTC text, ISO 8601 with seconds
// ("2026-11-23T10:15:00Z"), which compares as strings do.
#pragma once

#include <chrono>
#include <string>

namespace atalaya::access {

using TimePoint = std::chrono::system_clock::time_point;

std::string utc_text(TimePoint t);
// The inverse of utc_text; the epoch for empty or malformed text.
TimePoint parse_utc_text(const std::string& text);

}  // namespace atalaya::access
