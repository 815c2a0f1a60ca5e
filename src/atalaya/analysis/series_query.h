// Series queries: selection, grouping by dimensions and frequency roll-up
// over the latest view (or a vintage) of the store. The `series` command and,
// later, the HTTP API both answer through this one function.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "atalaya/core/period.h"
#include "atalaya/store/store.h"

namespace atalaya {

struct SeriesQuery {
  // dimension -> accepted values as the user typed them; country names are
  // harmonised (reporter, citizenship), and event "encounter" also selects
  // apprehension, inadmissible and expulsion.
  std::map<std::string, std::vector<std::string>> filters;
  std::optional<Period> from, to;
  std::vector<std::string> by;        // group-by dimensions
  std::optional<Frequency> frequency; // roll up to this frequency; none keeps each period as stored
  std::optional<int> vintage;
};

struct SeriesRow {
  std::vector<std::string> group;  // values of the `by` dimensions
  Period period;
  int64_t value = 0;
  // The least settled status of the values added: provisional if any was,
  // else estimated if any was, else final.
  Status status = Status::Final;
  Unit unit = Unit::Events;  // of the values added (the first seen, if mixed)
};

struct SeriesResult {
  std::vector<std::string> by;
  std::vector<SeriesRow> rows;     // ordered by group, then period
  std::vector<std::string> notes;  // what the reader should know (units mixed, periods left out)
  Unit unit = Unit::Events;
  // Dimensions the selection pins to one harmonised value (citizenship=HTI).
  std::map<std::string, std::string> fixed;        // the unit of the values (the first seen, if mixed)
};

// Throws std::invalid_argument naming the parameter for an unknown dimension,
// an unknown country or a source the store does not hold.
SeriesResult run_series_query(Store& store, const SeriesQuery& query);

// The two halves of run_series_query, shared with the cube:
// the query's filters harmonised into a selection (country names to codes,
// "encounter" to its family), checked against the sources the store holds;
SeriesSelection resolve_selection(const SeriesQuery& query, const std::vector<std::string>& known_sources);
// and the selected series added up by group and period (roll-up, from/to, notes).
SeriesResult aggregate_series(const std::vector<const StoredSeries*>& series, const SeriesQuery& query,
                              const SeriesSelection& selection);

}  // namespace atalaya
