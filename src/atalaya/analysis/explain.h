// Answers that explain themselves: why a selection matches no series and
// what exists instead, the values nearest to a mistyped one, and how many
// series and observations each value of a dimension has (atalaya
// dimensions, GET /api/v1/dimensions).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atalaya/analysis/series_query.h"

namespace atalaya {

// The keys of the series a selection matches, from wherever the query reads
// (the store, as of the selection's vintage, or the cube).
using KeyLookup = std::function<std::vector<SeriesKey>(const SeriesSelection&)>;

// Why `selection` (resolved from `query`) matches no series, as notes for
// SeriesResult::notes. For each filtered dimension none of whose values the
// selected sources (all, without a source filter) have, one note per value:
//   - a country a source does not list but counts inside a group code:
//     "citizenship: HTI is counted inside OTH (Other) in us-cbp-swb;
//     us-cbp-swb-nat has it";
//   - another value: the nearest values of that dimension in the selected
//     sources ("location: no 'Del Rio' in us-cbp-swb-nat; nearest: Del Rio
//     Sector, ...") and the other sources that have it;
//   - _T where every series is broken down by the dimension.
// When every value exists but not together, which values each dimension
// takes with the rest of the selection. Bounded: at most a few lookups per
// filtered value, and nearest_values' cost per candidate.
std::vector<std::string> explain_no_series(const SeriesQuery& query, const SeriesSelection& selection,
                                           const KeyLookup& keys);

// Up to n of `values` nearest to `given`: edit distance between normalised
// texts (case, accents, punctuation and spacing folded), of which only the
// first kNearestComparedChars characters are compared; a value containing
// the whole of `given` (4 characters or more) counts as one edit away.
// Nearest first, ties by value. Empty values are skipped.
std::vector<std::string> nearest_values(std::string_view given, const std::vector<std::string>& values,
                                        size_t n = 3);

struct DimensionValueCount {
  std::string value;  // as stored; "_T" for series not broken down by the dimension
  uint64_t series = 0;
  uint64_t observations = 0;
};

// The values `dimension` takes among `series`, with how many series and
// observations have each, counting only observations inside from..to (a
// series with none there is not counted). Sorted by value, "_T" last.
// Throws std::invalid_argument for a name that is not a dimension.
std::vector<DimensionValueCount> count_dimension_values(const std::vector<const StoredSeries*>& series,
                                                        std::string_view dimension,
                                                        std::optional<Period> from = std::nullopt,
                                                        std::optional<Period> to = std::nullopt);

}  // namespace atalaya
