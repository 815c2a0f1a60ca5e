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

class Cube;

namespace cube_detail {
// The months a source covers for keys of one shape, as a bitmap.
struct MonthCoverage {
  uint32_t shape = 0;
  int first = 0;  // month number of months[0]
  std::vector<uint8_t> months;
};
}  // namespace cube_detail

// The groups of a monthly query before their months are added up: what
// Cube::monthly returns, one group at a time, for a reader that needs only
// the latest month of most groups (early warning's volume gate) and the
// whole series of a few. series(g) is exactly Cube::monthly(query)[g];
// latest(g) is its values.back() without building it. Refers to the cube
// it came from, which must outlive it; reading it from several threads at
// once is safe (it is not modified after Cube::monthly_groups).
class MonthlyGroups {
 public:
  size_t size() const { return groups_.size(); }
  // The values of the query's `by` dimensions, as MonthlySeries::group.
  std::vector<std::string> group(size_t g) const;
  Period start(size_t g) const;
  Period end(size_t g) const;
  // The group's last month: its sum, or NaN where it is missing.
  double latest(size_t g) const;
  MonthlySeries series(size_t g) const;

 private:
  friend class Cube;
  struct Group {
    uint32_t begin = 0, end = 0;  // its series: ids_[begin, end), ascending
    int first = 0, last = 0;      // month numbers of the dense span
  };
  // The source's covered months for each key shape the group holds, and
  // whether month number m is among them.
  std::vector<const cube_detail::MonthCoverage*> coverage(const Group& g) const;
  static bool covered(const std::vector<const cube_detail::MonthCoverage*>& coverage, int m);
  const Cube* cube_ = nullptr;
  std::vector<uint8_t> by_;  // the query's `by` as dimension indices
  std::vector<uint32_t> ids_;
  std::vector<Group> groups_;
};

class Cube {
 public:
  Cube() = default;
  explicit Cube(std::vector<StoredSeries> series, std::map<std::string, SourceDeclaration> declarations = {});
  // Loads the latest view of every source.
  static Cube load(SeriesStore& store);

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
  // The same groups, in the same order, to be built one at a time (same errors).
  MonthlyGroups monthly_groups(const SeriesQuery& query) const;

  // The cube as it stood at the end of `month`: every point whose period ends
  // after that month is dropped (no peeking ahead in replay).
  Cube as_of(const Period& month) const;

 private:
  friend class MonthlyGroups;
  void build_index();
  std::vector<StoredSeries> series_;
  // Per dimension (position in kDimensions): its distinct values, sorted, so
  // that a value's rank orders like the value; and per rank, the ascending
  // ids of the series that hold it.
  std::vector<std::vector<std::string>> values_;
  std::vector<std::vector<std::vector<uint32_t>>> ids_of_value_;
  std::vector<uint32_t> ranks_;  // series id * std::size(kDimensions) + dimension -> rank
  // Per series, for the monthly groups: its key shape, the month number of
  // its first monthly point (kNoMonth if none) and where its monthly points
  // are (monthly_begin_ .. monthly_end_, ascending months; monthly_end_ = 0
  // with monthly_begin_ = 1 marks points in another order: read them all).
  std::vector<uint32_t> shape_of_;
  std::vector<int> first_month_;
  std::vector<uint32_t> monthly_begin_, monthly_end_;
  static constexpr int kNoMonth = 1 << 30;
  std::map<std::string, Period> last_month_;
  // Per source rank: its last month's number (kNoMonth: no monthly data),
  // whether an absent key is 0, and its covered months per key shape.
  using MonthCoverage = cube_detail::MonthCoverage;
  struct SourceMonths {
    int last = kNoMonth;
    bool absent_is_zero = true;
    std::vector<MonthCoverage> coverage;
  };
  std::vector<SourceMonths> source_months_;
  SourceFactsMap facts_;
};

}  // namespace atalaya
