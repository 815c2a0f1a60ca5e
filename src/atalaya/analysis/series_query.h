// Series queries: selection, grouping by dimensions and frequency roll-up
// over the latest view (or a vintage) of the store. The `series` command and,
// later, the HTTP API both answer through this one function.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "atalaya/core/period.h"
#include "atalaya/core/source_declaration.h"
#include "atalaya/store/store.h"

namespace atalaya {

struct SeriesQuery {
  // dimension -> accepted values as the user typed them; country names are
  // harmonised (reporter, citizenship), event "encounter" also selects
  // apprehension, inadmissible and expulsion, and "_T" selects the total
  // (an empty value: a key not broken down by that dimension).
  std::map<std::string, std::vector<std::string>> filters;
  std::optional<Period> from, to;
  std::vector<std::string> by;        // group-by dimensions
  std::optional<Frequency> frequency; // roll up to this frequency; none keeps each period as stored
  std::optional<int> vintage;
  // Series of several sources in one group are answered per source, side by
  // side, unless sum_sources asks for their total; the total is refused when
  // the sources overlap or count different units or measures.
  bool sum_sources = false;
  // One value per group over the whole from..to range (flows add, stocks
  // take their last value), instead of one per period.
  bool total = false;
  // Order of the answer's groups: by their values (the default), or by
  // size, the largest first (flows: the group's total over the answer's
  // periods; stocks: its last value; a group with no value comes last).
  bool sort_by_size = false;
  // Keep only the `top` largest groups (implies sort_by_size); 0 keeps all.
  size_t top = 0;
};

// Why a row has no value.
enum class ValueState : uint8_t {
  Reported = 0,    // a value (a zero included: reported, or a key its release does not list)
  Suppressed = 1,  // the publisher withholds small values, and this one was withheld
  Missing = 2,     // no release covers the period: nothing is known
};
std::string_view value_state_name(ValueState s);  // reported|suppressed|missing

struct SeriesRow {
  std::vector<std::string> group;  // values of the `by` dimensions
  Period period;
  std::optional<Period> through;   // a total's last period (SeriesQuery::total)
  std::optional<int64_t> value;    // none unless state is Reported
  ValueState state = ValueState::Reported;
  // Rolled up from sub-periods of which some are not covered (a year of four
  // published months): `covers` names those it has, "2025-01..2025-04".
  bool partial = false;
  std::string covers;
  // The least settled status of the values added: provisional if any was,
  // else estimated if any was, else final.
  Status status = Status::Final;
  Unit unit = Unit::Events;
  Measure measure = Measure::Flow;
  std::string period_text() const;  // "2021-07", or "2021..2023" for a total
};

struct SeriesResult {
  std::vector<std::string> by;     // as asked, plus "source" when answered side by side
  std::vector<SeriesRow> rows;     // ordered by group, then unit, then period
  std::vector<std::string> notes;  // what the reader should know (side by side, periods left out)
  Unit unit = Unit::Events;        // of the first row (rows say their own)
  // Dimensions the selection pins to one harmonised value (citizenship=HTI).
  std::map<std::string, std::string> fixed;
  // The sources whose series the answer reads, sorted (for an export's
  // account of them: publisher, licence, vintage).
  std::vector<std::string> sources;
};

// What a query needs to know of each source beyond its series: its
// declaration, and the periods its releases cover for keys of each shape.
// A key's shape is which dimensions it gives (bit d for kDimensions[d]):
// a file that gives only totals before 2019-10 and citizenships after it
// covers citizenships from 2019-10 on.
struct SourceFacts {
  SourceDeclaration declaration;
  std::map<uint32_t, std::vector<int64_t>> covered;  // shape -> ascending Period codes
  // Periods whose values are not all final: a key the release does not list
  // there is a zero just as provisional as the release.
  std::map<int64_t, Status> unsettled;
};
using SourceFactsMap = std::map<std::string, SourceFacts>;
uint32_t key_shape(const SeriesKey& key);

// Throws std::invalid_argument naming the parameter for an unknown dimension,
// an unknown country or a source the store does not hold.
SeriesResult run_series_query(SeriesStore& store, const SeriesQuery& query);
// The facts of the given sources as the store holds them (as of a vintage).
SourceFactsMap source_facts(SeriesStore& store, const std::vector<SourceSummary>& summaries,
                            const std::set<std::string>& sources, std::optional<int> vintage);

// The two halves of run_series_query, shared with the cube:
// the query's filters harmonised into a selection (country names to codes,
// "encounter" to its family), checked against the sources the store holds;
SeriesSelection resolve_selection(const SeriesQuery& query, const std::vector<std::string>& known_sources);
// The stored values one typed value of a dimension selects ("Haiti" -> HTI,
// "_T" -> "", event "encounter" -> its family). Throws like resolve_selection
// for an unknown country.
std::vector<std::string> resolve_value(const std::string& dimension, const std::string& typed);
// and the selected series added up by group and period (roll-up, from/to,
// gaps, partial periods, notes). Throws std::invalid_argument (parameter
// "sum") for a total the sources' declarations forbid, or for two breakdowns
// of one source that would be added.
SeriesResult aggregate_series(const std::vector<const StoredSeries*>& series, const SeriesQuery& query,
                              const SeriesSelection& selection, const SourceFactsMap& facts);

}  // namespace atalaya
