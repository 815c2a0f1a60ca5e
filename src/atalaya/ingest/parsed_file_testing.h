// Test helpers for adapters: a ParsedFile flattened to one record per
// observation, and its problems as text. Only tests include this header.
#pragma once

#include <string>
#include <vector>

#include "atalaya/ingest/parsed_file.h"

namespace atalaya::testing {

struct Flat {
  SeriesKey key;
  Unit unit;
  Period period;
  int64_t value;
  Status status;
  uint32_t line;
};

inline std::vector<Flat> flatten(const ParsedFile& f) {
  std::vector<Flat> out;
  for (const auto& r : f.rows) {
    const auto& s = f.series.at(r.series);
    out.push_back(Flat{s.key, s.unit, r.period, r.value, r.status, r.line});
  }
  return out;
}

inline std::string problems_text(const ParsedFile& f) {
  std::string s;
  for (const auto& p : f.problems) s += p.to_string() + "\n";
  return s;
}

}  // namespace atalaya::testing
