// Fixtures for tests of the series store: a small parsed file and a flat
// text of everything a reader can see, for before/after comparisons.
#pragma once

#include <string>
#include <vector>

#include "atalaya/store/store.h"

namespace atalaya::testing {


inline SeriesKey key(const std::string& source, const std::string& citizenship, const std::string& event = "encounter") {
  return SeriesKey{source, "USA", "San Diego", citizenship, event, "single_adult", "Title 8"};
}

// A small file: two series (HTI, MEX) over two months, and one series no row uses.
inline ParsedFile sample_file(const std::string& digest = "digest-1") {
  ParsedFile f;
  f.source = "test-src";
  f.source_name = "A test source";
  f.format = "test";
  f.path = "sample.csv";
  f.digest = digest;
  f.bytes = 123;
  f.rows_read = 4;
  f.series = {SeriesDef{key("test-src", "HTI"), Unit::Events}, SeriesDef{key("test-src", "MEX"), Unit::Events},
              SeriesDef{key("test-src", "CUB"), Unit::Events}};
  f.rows = {ObservationRow{0, Period::month(2023, 1), 10, Status::Final, 2},
            ObservationRow{0, Period::month(2023, 2), 20, Status::Final, 3},
            ObservationRow{1, Period::month(2023, 1), 30, Status::Final, 4},
            ObservationRow{1, Period::month(2023, 2), 40, Status::Provisional, 5}};
  return f;
}

inline const StoredSeries* find_series(const std::vector<StoredSeries>& all, const std::string& citizenship) {
  for (auto& s : all)
    if (s.key.citizenship == citizenship) return &s;
  return nullptr;
}

// Everything a reader can see, flattened for before/after comparison.
inline std::string snapshot(SeriesStore& store) {
  std::string out;
  for (auto& s : store.sources()) {
    out += "source " + s.source + " " + s.name + " v" + std::to_string(s.vintages) + " s" +
           std::to_string(s.series) + " o" + std::to_string(s.observations) + " " + s.first_period + ".." +
           s.last_period + "\n";
    for (auto& v : store.vintages(s.source))
      out += "  vintage " + std::to_string(v.number) + " " + v.file + " " + v.digest + " " +
             std::to_string(v.rows_written) + "\n";
  }
  for (auto& s : store.select({})) {
    out += "series " + s.key.source + "/" + s.key.citizenship + "/" + s.key.event + "\n";
    for (auto& p : s.points)
      out += "  " + p.period.to_string() + "=" + std::to_string(p.value) + " v" + std::to_string(p.vintage) + "\n";
  }
  out += "rows " + std::to_string(store.stored_rows()) + "\n";
  return out;
}

}  // namespace atalaya::testing
