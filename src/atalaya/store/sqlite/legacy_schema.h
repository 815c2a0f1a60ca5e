// Stores made before each feature versioned its own tables had one schema
// version for all of them (PRAGMA user_version, 1 to 6). Each of those
// migrations belonged to one feature, in this order:
//   1 series (sources, vintages, series, observations)   2 warning (alerts, outbox)
//   3 series (counterpart)                               4 series (declaration)
//   5 warning (delivery worker)                          6 warning (warning events)
// and each feature's migration list starts with its own of them, in order,
// so a legacy store at version v is at, per feature, the number of that
// feature's migrations among the first v.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace atalaya::sql {

constexpr int kLegacySchemaVersions = 6;

inline std::vector<std::pair<std::string, int>> legacy_feature_versions(int user_version) {
  static const char* kOwner[kLegacySchemaVersions] = {"series", "warning", "series", "series", "warning", "warning"};
  std::vector<std::pair<std::string, int>> out;
  for (int i = 0; i < user_version && i < kLegacySchemaVersions; ++i) {
    auto it = out.begin();
    while (it != out.end() && it->first != kOwner[i]) ++it;
    if (it == out.end()) out.emplace_back(kOwner[i], 1);
    else ++it->second;
  }
  return out;
}

}  // namespace atalaya::sql
