// Test helper: a series answer as short lines a test can compare at a glance.
#pragma once

#include <string>
#include <vector>

#include "atalaya/analysis/series_query.h"

namespace atalaya::testing {

// "group|period=value" per row, in answer order; a row without a value says
// why ("=missing", "=suppressed"); a partial one adds " partial MONTHS".
inline std::vector<std::string> series_lines(const SeriesResult& r) {
  std::vector<std::string> out;
  for (auto& row : r.rows) {
    std::string g;
    for (auto& v : row.group) g += v + "|";
    out.push_back(g + row.period_text() + "=" +
                  (row.value ? std::to_string(*row.value) : std::string(value_state_name(row.state))) +
                  (row.partial ? " partial " + row.covers : ""));
  }
  return out;
}

}  // namespace atalaya::testing
