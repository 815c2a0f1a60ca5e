// A probability distribution over whole months: how many months a transit
// lag (or a surge's time to its peak) takes. The arrival window of a route's
// upstream warning is the central interval of such a distribution, built by
// adding independent components (docs/routes.md, "Arrival windows").
#pragma once

#include <vector>

namespace atalaya {

struct MonthDistribution {
  int first = 0;           // the month offset p[0] stands for (may be negative)
  std::vector<double> p;   // p[k]: probability of first + k months; sums to 1 unless empty
  bool empty() const { return p.empty(); }
  int last() const { return first + static_cast<int>(p.size()) - 1; }
  double at(int months) const;  // 0 outside [first, last]
};

// All the mass on one month.
MonthDistribution point_mass(int months);

// A declared lag of `months` give or take `spread` months, with triangular
// weights (spread + 1 - |d|) for the offsets d = -spread..spread, normalised:
// spread 1 gives 1/4, 1/2, 1/4. Mass below 0 months is moved to 0 (a transit
// cannot end before it starts): 0 +/- 1 gives 3/4 at 0 and 1/4 at 1.
// Throws std::invalid_argument for months or spread below 0.
MonthDistribution declared_lag(int months, int spread);

// The share of each value among `draws` (e.g. the best lag over bootstrap
// resamples). Throws std::invalid_argument when draws is empty.
MonthDistribution empirical(const std::vector<int>& draws);

// The distribution of the sum of two independent quantities. Convolving with
// an empty distribution is an error (std::invalid_argument).
MonthDistribution convolve(const MonthDistribution& a, const MonthDistribution& b);

// The central interval holding at least `coverage` of the mass: at most
// (1 - coverage) / 2 is left below `low` and at most as much above `high`.
// `mass` is what [low, high] actually holds (whole months make it >= coverage).
struct MonthInterval {
  int low = 0, high = 0;
  double mass = 0;
};
// Throws std::invalid_argument for an empty distribution or coverage outside (0, 1].
MonthInterval central_interval(const MonthDistribution& d, double coverage);

// The smallest month at which the cumulative probability reaches one half.
int median_months(const MonthDistribution& d);

}  // namespace atalaya
