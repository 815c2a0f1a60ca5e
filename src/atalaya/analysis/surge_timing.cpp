#include "atalaya/analysis/surge_timing.h"

#include <algorithm>

namespace atalaya {
namespace {

constexpr int kTrailingMonths = 12;
constexpr int kMinKnown = 6;

double median(std::vector<double> v) {
  const size_t n = v.size();
  std::nth_element(v.begin(), v.begin() + n / 2, v.end());
  const double hi = v[n / 2];
  if (n % 2) return hi;
  return (*std::max_element(v.begin(), v.begin() + n / 2) + hi) / 2;
}

// Months from the first flagged month to the peak of each ended surge in one
// series; `last` is the index of `through` in the series (may be past its end).
void collect(const MonthlySeries& s, int last, double minimum_volume, std::vector<int>& offsets, int& surges) {
  const int n = std::min(static_cast<int>(s.values.size()), last + 1);
  std::vector<uint8_t> flagged(static_cast<size_t>(std::max(n, 0)), 0);
  for (int t = 0; t < n; ++t) {
    const double v = s.values[t];
    if (is_missing(v) || v < minimum_volume) continue;
    std::vector<double> before;  // a missing month is not 0: it is left out
    for (int u = std::max(0, t - kTrailingMonths); u < t; ++u)
      if (!is_missing(s.values[u])) before.push_back(s.values[u]);
    if (static_cast<int>(before.size()) >= kMinKnown && v >= kSurgeFactor * median(std::move(before))) flagged[t] = 1;
  }
  for (int t = 0; t < n;) {
    if (!flagged[t]) {
      ++t;
      continue;
    }
    int end = t;
    while (end + 1 < n && flagged[end + 1]) ++end;
    while (end + 2 < n && flagged[end + 2]) {  // one quiet month inside a surge
      end += 2;
      while (end + 1 < n && flagged[end + 1]) ++end;
    }
    if (end + 2 <= last) {  // ended: the two months after it are known to be past it
      int peak = t;
      for (int u = t; u <= end; ++u)
        if (!is_missing(s.values[u]) && s.values[u] > s.values[peak]) peak = u;
      offsets.push_back(peak - t);
      ++surges;
    }
    t = end + 1;
  }
}

}  // namespace

MonthDistribution declared_time_to_peak() { return {0, {0.5, 0.25, 0.25}}; }

TimeToPeak time_to_peak(const std::vector<const MonthlySeries*>& series, Period through, double minimum_volume) {
  std::vector<int> offsets;
  TimeToPeak out;
  for (const MonthlySeries* s : series)
    if (s && !s->values.empty()) collect(*s, month_number(through) - month_number(s->start), minimum_volume, offsets, out.surges);
  if (out.surges >= kMinSurgesForTimeToPeak) {
    out.distribution = empirical(offsets);
    out.from_data = true;
    out.note = "from " + std::to_string(out.surges) + " surges ended by " + through.to_string();
  } else {
    out.distribution = declared_time_to_peak();
    out.note = "only " + std::to_string(out.surges) + " surges ended by " + through.to_string() + " (" +
               std::to_string(kMinSurgesForTimeToPeak) + " needed): declared 0-2 months";
  }
  return out;
}

}  // namespace atalaya
