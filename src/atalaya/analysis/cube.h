// The cube: an in-memory, indexed copy of the store's latest view, which
// analysis and early warning read instead of the store or files.
//
// Loading copies every stored series once; afterwards selections use an
// inverted index per dimension (value -> series ids), so a selection costs the
// size of its answer, not of the store. The cube is immutable: as_of() makes
// a truncated copy for historical replay.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "atalaya/analysis/series_query.h"
#include "atalaya/store/store.h"

namespace atalaya {

// One group of a monthly query as a dense vector: values[i] is the month
// start.plus_months(i). A month with no stored value inside the group's span
// is 0 where its source's release covers the month and declares absent keys
// zero (sources omit a citizenship in a month with no crossings), and NaN
// (missing) where no release covers it or the value is suppressed: readers
// must never take a missing month for 0 (see gap_free_tail).
struct MonthlySeries {
  std::vector<std::string> group;  // values of the query's `by` dimensions
  Period start;                    // first month
  std::vector<double> values;
  std::vector<uint8_t> provisional;  // 1 where any added value is provisional
  Unit unit = Unit::Events;

  Period end() const { return start.plus_months(static_cast<int>(values.size()) - 1); }
  // Index of a month in values, or -1 if outside the span.
  int index_of(const Period& month) const;
  // Whether any month is missing.
  bool has_gaps() const;
};

// The months after the series' last missing one (all of it when it has no
// gap): what a model that needs consecutive months may be fitted on.
MonthlySeries gap_free_tail(const MonthlySeries& s);
inline bool is_missing(double v) { return v != v; }

class Cube {
 public:
  Cube() = default;
  explicit Cube(std::vector<StoredSeries> series, std::map<std::string, SourceDeclaration> declarations = {});
  // Loads the latest view of every source.
  static Cube load(Store& store);

  const std::vector<StoredSeries>& series() const { return series_; }
  std::vector<std::string> sources() const;
  // What each source declares and the periods its releases cover.
  const SourceFactsMap& facts() const { return facts_; }
  // The last month a source reports (nullopt if it has no monthly data).
  std::optional<Period> last_month(const std::string& source) const;

  // Ids (indices into series()) of the series matching an already harmonised
  // selection (see resolve_selection); ascending.
  std::vector<uint32_t> select(const SeriesSelection& selection) const;

  // The `series` command's answer, from the cube (query.vintage must be empty).
  // Same errors and results as run_series_query on the store.
  SeriesResult query(const SeriesQuery& query) const;

  // Each group of the query as a dense monthly series (query.frequency is
  // ignored: months). A group spans from its first monthly value to the last
  // month that every source contributing to it reports (a sum is only
  // complete through the earliest of its sources' last months), clipped to
  // query.from/to. Points at coarser frequencies are left out. Groups are
  // ordered by group values. Throws like run_series_query, and
  // std::invalid_argument (parameter "source") when a group would add the
  // series of several sources.
  std::vector<MonthlySeries> monthly(const SeriesQuery& query) const;

  // The cube as it stood at the end of `month`: every point whose period ends
  // after that month is dropped (no peeking ahead in replay).
  Cube as_of(const Period& month) const;

 private:
  void build_index();
  std::vector<StoredSeries> series_;
  // dimension index (position in kDimensions) -> value -> ascending series ids
  std::vector<std::unordered_map<std::string, std::vector<uint32_t>>> index_;
  std::map<std::string, Period> last_month_;
  SourceFactsMap facts_;
  // Per series: its key shape. Per (source, shape): covered months as a bitmap.
  std::vector<uint32_t> shape_of_;
  struct MonthCoverage {
    int first = 0;  // month_number of months[0]
    std::vector<uint8_t> months;
  };
  std::map<std::pair<std::string, uint32_t>, MonthCoverage> coverage_;
};

}  // namespace atalaya
