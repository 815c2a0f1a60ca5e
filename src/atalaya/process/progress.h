// Observed progress of a commitment: what the data in the series store says
// about its numeric target, beside what its party reported.
//
// Honesty rules (docs/process.md):
//  - only monthly values count (quarters and years are left out, and
//    counted as such), from one source, in one unit: series in
//    different units, or from more than one source (their counts may
//    overlap), or a selection holding both a total and its breakdown in one
//    dimension, are refused with the reason; nothing is summed;
//  - a month with no value inside the span counted is a gap, listed, never
//    a zero; a span that ends before the deadline is partial;
//  - a commitment without an indicator says so, and nothing else.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "atalaya/process/process_store.h"
#include "atalaya/store/store.h"

namespace atalaya::process {

// Observed progress below this share of the target is "short": a
// commitment reported fulfilled with less than 90% of its target in the
// data is flagged, as is one whose deadline passed below it. A tenth is left
// for the data's own lags and revisions.
inline constexpr double kShortOfTargetShare = 0.9;

struct Progress {
  std::string commitment;  // code
  bool no_indicator = false;
  // Why nothing was summed (mixed units, several sources, overlapping
  // series); empty when the numbers below stand.
  std::string refused;
  std::vector<std::string> sources;  // of the selected series
  std::string unit;                  // of the series ("persons"), when one

  std::optional<double> value;  // observed: the sum (cumulative_from) or the level (level_by)
  std::optional<double> share;  // value / target, when both are known
  std::string from;             // first month of the span (cumulative_from)
  std::string to;               // last month of the span: the deadline's month, or the latest observed if earlier
  std::string as_of;            // the latest month holding a value in the span
  int periods_counted = 0;      // months holding a value in the span
  std::vector<std::string> gaps;  // months in the span without a value
  bool partial = false;           // the data stops before the deadline's month
  int other_periods_ignored = 0;  // quarterly, annual or fiscal-year values in the series: not counted
  // The monthly values (summed over the selected series) the span holds,
  // oldest first, for a chart: from `from` (cumulative_from) or the first
  // month (level_by) up to `to`; a gap is absent, never a zero.
  struct Month {
    std::string period;  // YYYY-MM
    double value = 0;
  };
  std::vector<Month> months;

  // Flags, as of `today`.
  bool claimed_fulfilled_data_short = false;  // latest reported status fulfilled, value < kShortOfTargetShare of target
  bool deadline_passed_no_data = false;       // the deadline is past and no value was observed
  bool deadline_passed_short = false;         // the deadline is past and the value is short of the target
};

// Progress from `series` (what Indicator::selection selected) as of `today`
// (an ISO day, to tell a passed deadline). Pure.
Progress observed_progress(const CommitmentRecord& record, const std::vector<StoredSeries>& series,
                           const std::string& today);

// Selects the indicator's series from `store` (latest view) and computes.
Progress progress_of(SeriesStore& store, const CommitmentRecord& record, const std::string& today);

}  // namespace atalaya::process
