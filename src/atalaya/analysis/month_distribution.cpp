#include "atalaya/analysis/month_distribution.h"

#include <algorithm>
#include <cstdlib>
#include <stdexcept>
#include <string>

namespace atalaya {
namespace {

// Probabilities are sums of a few hundred shares: this absorbs rounding.
constexpr double kSlack = 1e-9;

void check_not_empty(const MonthDistribution& d, const char* what) {
  if (d.empty()) throw std::invalid_argument(std::string(what) + ": the distribution is empty");
}

}  // namespace

double MonthDistribution::at(int months) const {
  if (months < first || months > last()) return 0;
  return p[static_cast<size_t>(months - first)];
}

MonthDistribution point_mass(int months) { return {months, {1.0}}; }

MonthDistribution declared_lag(int months, int spread) {
  if (months < 0) throw std::invalid_argument("declared_lag: months must be >= 0, not " + std::to_string(months));
  if (spread < 0) throw std::invalid_argument("declared_lag: spread must be >= 0, not " + std::to_string(spread));
  MonthDistribution d;
  d.first = std::max(0, months - spread);
  d.p.assign(static_cast<size_t>(months + spread - d.first + 1), 0.0);
  double total = 0;
  for (int off = -spread; off <= spread; ++off) total += spread + 1 - std::abs(off);
  for (int off = -spread; off <= spread; ++off)
    d.p[static_cast<size_t>(std::max(0, months + off) - d.first)] += (spread + 1 - std::abs(off)) / total;
  return d;
}

MonthDistribution empirical(const std::vector<int>& draws) {
  if (draws.empty()) throw std::invalid_argument("empirical: no draws");
  const auto [lo, hi] = std::minmax_element(draws.begin(), draws.end());
  MonthDistribution d;
  d.first = *lo;
  d.p.assign(static_cast<size_t>(*hi - *lo + 1), 0.0);
  for (int x : draws) d.p[static_cast<size_t>(x - *lo)] += 1.0 / static_cast<double>(draws.size());
  return d;
}

MonthDistribution convolve(const MonthDistribution& a, const MonthDistribution& b) {
  check_not_empty(a, "convolve");
  check_not_empty(b, "convolve");
  MonthDistribution d;
  d.first = a.first + b.first;
  d.p.assign(a.p.size() + b.p.size() - 1, 0.0);
  for (size_t i = 0; i < a.p.size(); ++i)
    for (size_t j = 0; j < b.p.size(); ++j) d.p[i + j] += a.p[i] * b.p[j];
  return d;
}

MonthInterval central_interval(const MonthDistribution& d, double coverage) {
  check_not_empty(d, "central_interval");
  if (!(coverage > 0 && coverage <= 1))
    throw std::invalid_argument("central_interval: coverage must be above 0 and at most 1, not " +
                                std::to_string(coverage));
  const double tail = (1 - coverage) / 2 + kSlack;
  size_t lo = 0, hi = d.p.size() - 1;
  double below = 0, above = 0;
  while (lo < hi && below + d.p[lo] <= tail) below += d.p[lo++];
  while (hi > lo && above + d.p[hi] <= tail) above += d.p[hi--];
  MonthInterval out;
  out.low = d.first + static_cast<int>(lo);
  out.high = d.first + static_cast<int>(hi);
  for (size_t k = lo; k <= hi; ++k) out.mass += d.p[k];
  return out;
}

int median_months(const MonthDistribution& d) {
  check_not_empty(d, "median_months");
  double cumulative = 0;
  for (size_t k = 0; k < d.p.size(); ++k) {
    cumulative += d.p[k];
    if (cumulative >= 0.5 - kSlack) return d.first + static_cast<int>(k);
  }
  return d.last();
}

}  // namespace atalaya
