// The dashboard's overview and explorer pickers, as JSON (docs/api.md,
// GET /api/v1/overview and GET /api/v1/dimensions): where a route stands now
// at each checkpoint, which citizenships rise fastest there, and how many
// alerts wait for a person.
//
// Everything here reads the cube (and the alerts the caller hands in) only;
// the answers are plain JSON the HTTP server sends as they are. Months are
// "YYYY-MM", changes are fractions (0.25 = +25%), and a number that cannot
// be computed (no data, a base of 0 or outside the data) is null.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "atalaya/analysis/cube.h"
#include "atalaya/analysis/route.h"
#include "atalaya/warning/alert.h"

namespace atalaya {

struct OverviewOptions {
  int trailing_months = 3;         // months before the latest that the trailing mean averages (>= 1)
  int recent_months = 24;          // months of history per checkpoint, ending at the latest (>= 0)
  int rising_limit = 10;           // at most this many "rising" entries (>= 0)
  double rising_min_count = 100;   // a citizenship needs at least this many in the latest month to rise
};

// The overview of one route. Per checkpoint, its series is route_series(cube,
// route, "") (all citizenships summed, the checkpoint's selection applied):
//   - latest_month is the end of that series, i.e. the last month its source
//     reports; provisional is that month's flag;
//   - trailing_mean averages the `trailing_months` months before the latest,
//     null unless all of them are inside the series' span (dense: a month
//     inside it with nothing stored counts as 0);
//   - year_ago_value is the month 12 before the latest, null outside the span;
//   - a change is latest / base - 1, null when the base is null or 0;
//   - recent: the last `recent_months` months of the span, oldest first.
// A checkpoint whose sources the cube does not hold has "source": null and
// every number null; one whose source is held but has no monthly series for
// the selection keeps its source, with the numbers null.
//
// "rising": per checkpoint with data and per citizenship (one series per
// citizenship code at the checkpoint), the latest month against that
// citizenship's trailing mean over the same months as the checkpoint's (a
// month inside the checkpoint's span before the citizenship first appears
// counts as 0). Only growth is listed: a citizenship whose latest month is
// at or below its trailing mean is left out, as are group codes (OTH, UNK,
// ...: not one nationality, and their membership shifts as sources
// reclassify), citizenships under rising_min_count in the latest month, and
// those whose trailing months fall outside the checkpoint's span. A
// citizenship with a trailing mean of 0 (new on the route) has change null
// and ranks above every finite change. Sorted by change descending, then
// value descending; at most rising_limit.
//
// "alerts" counts the open and acknowledged alerts in `active` (others are
// ignored) and lists the 5 most recently updated of them (updated_at
// descending, then id descending) as alert_to_json(alert, lang) gives them.
//
// Throws std::invalid_argument for options out of range.
// Texts (alert explanations, trigger and citizenship names) are in `lang`.
nlohmann::json overview_report(const Cube& cube, const Route& route, const std::vector<Alert>& active,
                               const OverviewOptions& options = {}, Language lang = Language::En);

// The values each dimension takes among the cube's series (only the series of
// `sources`, when not empty): an object with one key per dimension name
// (kDimensions), each a sorted list without duplicates or empty strings (a
// series without a location adds none), and "counts" and "notes" as
// dimensions_json gives them. Throws std::invalid_argument ("source: no
// source 'x' in the store (it holds: ...)") when a source in `sources` is
// not in the cube.
nlohmann::json dimension_values(const Cube& cube, const std::vector<std::string>& sources = {});
// The same over any selection (query.by is ignored; from/to count only the
// observations inside them), with counts for `dimension` only when given.
// Throws like Cube::query, and for a `dimension` that is not one.
nlohmann::json dimension_values(const Cube& cube, const SeriesQuery& selection,
                                const std::optional<std::string>& dimension = std::nullopt);

// The answer of GET /api/v1/dimensions and `atalaya dimensions --format json`
// for the series a selection matched: the eight lists of values (those with
// an observation inside from..to), "counts": {dimension: [{"value", "series",
// "observations"}]} (count_dimension_values: "_T" counts the series not
// broken down by the dimension) for every dimension or only `dimension`,
// and "notes" (why nothing matched, when nothing did: the caller's).
nlohmann::json dimensions_json(const std::vector<const StoredSeries*>& series, const SeriesQuery& selection,
                               const std::optional<std::string>& dimension,
                               const std::vector<std::string>& notes = {});

}  // namespace atalaya
