// How long a surge at a checkpoint goes on rising: the months from the first
// month in which a surge is flagged to the month it peaks there, learnt from
// the surges that had ended by a given month. The upstream early-warning
// trigger adds it to the transit lag, because what a downstream checkpoint
// will see at its peak left upstream at the upstream peak, which is often
// later than the month the surge is first noticed (docs/routes.md, "Arrival
// windows").
#pragma once

#include <string>
#include <vector>

#include "atalaya/analysis/cube.h"
#include "atalaya/analysis/month_distribution.h"
#include "atalaya/core/period.h"

namespace atalaya {

// A surge month: at least `minimum_volume` and at least twice the median of
// the known months among the 12 before (6 known needed). Flagged months one
// quiet month apart join into one surge; its peak is its largest month.
inline constexpr double kSurgeFactor = 2.0;
// Fewer ended surges than this and the data cannot say.
inline constexpr int kMinSurgesForTimeToPeak = 5;

// What is used when too few surges have ended: declared, not measured. From
// a surge's first flagged month the peak is taken to come 0, 1 or 2 months
// later with weights 1/2, 1/4, 1/4.
MonthDistribution declared_time_to_peak();

struct TimeToPeak {
  // Months from a surge's first flagged month to its peak (0 or more), each
  // ended surge counting once.
  MonthDistribution distribution;
  int surges = 0;          // ended surges it rests on
  bool from_data = false;  // false: declared_time_to_peak()
  std::string note;        // how it was obtained
};

// From `series` (monthly counts of any groups, e.g. each citizenship at one
// checkpoint; months after `through` are ignored): every surge that had
// ended by `through` (its last flagged month at least two months before, so
// no later month can still join it). Falls back to
// declared_time_to_peak() with fewer than kMinSurgesForTimeToPeak surges.
TimeToPeak time_to_peak(const std::vector<const MonthlySeries*>& series, Period through, double minimum_volume);

}  // namespace atalaya
