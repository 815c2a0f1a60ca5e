#include "atalaya/analysis/lag.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <random>
#include <stdexcept>

namespace atalaya {
namespace {

// A month is compared with the median of up to this many months before it,
constexpr int kTrailingMonths = 12;
// and only once it has at least this many behind it.
constexpr int kMinHistory = 6;
constexpr int kReplicates = 500;
// Long enough to keep a surge and its echo together, short enough that a
// five-year series still gives many distinct resamples.
constexpr int kBlockMonths = 6;
constexpr uint64_t kSeed = 0x6C61672D726F7574ull;  // "lag-rout"
// Below this spread a transformed series is treated as flat (no surge or drop
// to align on).
constexpr double kFlat = 1e-9;

double median(std::vector<double> v) {
  const size_t n = v.size();
  std::nth_element(v.begin(), v.begin() + n / 2, v.end());
  double hi = v[n / 2];
  if (n % 2) return hi;
  return (*std::max_element(v.begin(), v.begin() + n / 2) + hi) / 2;
}

// log(1+x[t]) minus the median of log(1+x) over the trailing months; entries
// before kMinHistory months of history are left at 0 and never read.
std::vector<double> trailing_deviation(const std::vector<double>& x) {
  std::vector<double> logs(x.size()), out(x.size(), 0.0);
  for (size_t t = 0; t < x.size(); ++t) logs[t] = std::log1p(x[t]);
  for (size_t t = kMinHistory; t < x.size(); ++t) {
    const size_t first = t >= static_cast<size_t>(kTrailingMonths) ? t - kTrailingMonths : 0;
    out[t] = logs[t] - median(std::vector<double>(logs.begin() + first, logs.begin() + t));
  }
  return out;
}

// Pearson correlation of u[idx] with d[idx + lag]; 0 when either side is flat.
double correlation(const std::vector<double>& u, const std::vector<double>& d,
                   const std::vector<int>& idx, int lag) {
  const double n = static_cast<double>(idx.size());
  double su = 0, sd = 0;
  for (int t : idx) {
    su += u[t];
    sd += d[t + lag];
  }
  const double mu = su / n, md = sd / n;
  double cov = 0, vu = 0, vd = 0;
  for (int t : idx) {
    const double a = u[t] - mu, b = d[t + lag] - md;
    cov += a * b;
    vu += a * a;
    vd += b * b;
  }
  if (vu <= kFlat * kFlat * n || vd <= kFlat * kFlat * n) return 0;
  return cov / std::sqrt(vu * vd);
}

// Smallest lag with the highest correlation (ties go to the shorter lag).
int best_lag(const std::vector<double>& u, const std::vector<double>& d, const std::vector<int>& idx,
             int max_lag, std::vector<double>* all = nullptr) {
  int best = 0;
  double best_r = -2;
  for (int k = 0; k <= max_lag; ++k) {
    const double r = correlation(u, d, idx, k);
    if (all) all->push_back(r);
    if (r > best_r + 1e-12) {
      best_r = r;
      best = k;
    }
  }
  return best;
}

double spread(const std::vector<double>& v, const std::vector<int>& idx, int offset) {
  double lo = v[idx.front() + offset], hi = lo;
  for (int t : idx) {
    lo = std::min(lo, v[t + offset]);
    hi = std::max(hi, v[t + offset]);
  }
  return hi - lo;
}

LagEstimate prior_estimate(int prior, const MonthDistribution& declared, int samples, std::string why) {
  LagEstimate e;
  e.months = prior;
  const MonthInterval i = central_interval(declared, 0.8);
  e.low = std::min(prior, i.low);
  e.high = std::max(prior, i.high);
  e.samples = samples;
  e.estimated = false;
  e.note = std::move(why);
  e.distribution = declared;
  return e;
}

std::string fixed2(double x) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", x);
  return buf;
}

}  // namespace

LagEstimate estimate_lag(const std::vector<double>& upstream, const std::vector<double>& downstream,
                         int max_lag, int prior) {
  if (prior < 0) throw std::invalid_argument("estimate_lag: prior must be >= 0");
  return estimate_lag(upstream, downstream, max_lag, prior, declared_lag(prior, 1));
}

LagEstimate estimate_lag(const std::vector<double>& upstream, const std::vector<double>& downstream,
                         int max_lag, int prior, const MonthDistribution& declared) {
  if (upstream.size() != downstream.size())
    throw std::invalid_argument("estimate_lag: upstream has " + std::to_string(upstream.size()) +
                                " months, downstream " + std::to_string(downstream.size()) +
                                " (they must be aligned on the same months)");
  if (max_lag < 0) throw std::invalid_argument("estimate_lag: max_lag must be >= 0");
  if (prior < 0) throw std::invalid_argument("estimate_lag: prior must be >= 0");
  if (declared.empty() || declared.first < 0)
    throw std::invalid_argument("estimate_lag: the prior's distribution must cover months >= 0 only");
  for (const auto* s : {&upstream, &downstream})
    for (double x : *s)
      if (!std::isfinite(x) || x < 0)
        throw std::invalid_argument("estimate_lag: counts must be finite and >= 0");

  // Month t of upstream pairs with month t+lag of downstream; every lag is
  // compared on the same upstream months so the correlations are comparable.
  const int n = static_cast<int>(upstream.size());
  std::vector<int> idx;
  for (int t = kMinHistory; t + max_lag < n; ++t) idx.push_back(t);
  const int pairs = static_cast<int>(idx.size());
  if (pairs < kMinLagPairs)
    return prior_estimate(prior, declared, pairs,
                          "only " + std::to_string(pairs) + " month pairs (" + std::to_string(kMinLagPairs) +
                              " needed)");

  const std::vector<double> u = trailing_deviation(upstream);
  const std::vector<double> d = trailing_deviation(downstream);
  if (spread(u, idx, 0) <= kFlat) return prior_estimate(prior, declared, pairs, "the upstream series is flat");
  bool downstream_flat = true;
  for (int k = 0; k <= max_lag && downstream_flat; ++k) downstream_flat = spread(d, idx, k) <= kFlat;
  if (downstream_flat) return prior_estimate(prior, declared, pairs, "the downstream series is flat");

  LagEstimate e;
  e.months = best_lag(u, d, idx, max_lag, &e.correlations);
  e.correlation = e.correlations[e.months];
  e.samples = pairs;
  const double band = 2.0 / std::sqrt(static_cast<double>(pairs));
  if (e.correlation < band) {
    LagEstimate p = prior_estimate(prior, declared, pairs,
                                   "no lag correlates clearly (best r = " + fixed2(e.correlation) + " at " +
                                       std::to_string(e.months) + (e.months == 1 ? " month" : " months") +
                                       ", below " + fixed2(band) + ")");
    p.correlations = std::move(e.correlations);
    return p;
  }

  // Moving-block bootstrap over the paired months. Only the engine's raw
  // output is used (its sequence is fixed by the standard), so the interval
  // is the same on every platform.
  std::mt19937_64 rng(kSeed);
  const int block = std::min(kBlockMonths, pairs);
  const uint64_t starts = static_cast<uint64_t>(pairs - block + 1);
  std::vector<int> lags, sample;
  lags.reserve(kReplicates);
  for (int r = 0; r < kReplicates; ++r) {
    sample.clear();
    while (static_cast<int>(sample.size()) < pairs) {
      const int s = static_cast<int>(rng() % starts);
      for (int j = 0; j < block && static_cast<int>(sample.size()) < pairs; ++j) sample.push_back(idx[s + j]);
    }
    lags.push_back(best_lag(u, d, sample, max_lag));
  }
  e.distribution = empirical(lags);
  if (e.distribution.first > 0) {  // over 0..max_lag, as documented
    e.distribution.p.insert(e.distribution.p.begin(), static_cast<size_t>(e.distribution.first), 0.0);
    e.distribution.first = 0;
  }
  e.distribution.p.resize(static_cast<size_t>(max_lag + 1), 0.0);
  std::sort(lags.begin(), lags.end());
  e.low = std::min(e.months, lags[static_cast<size_t>(std::floor(0.10 * (kReplicates - 1)))]);
  e.high = std::max(e.months, lags[static_cast<size_t>(std::ceil(0.90 * (kReplicates - 1)))]);
  e.estimated = true;
  e.note = "cross-correlation of deviations from the trailing 12-month median (log scale), " +
           std::to_string(pairs) + " month pairs; interval: 10th-90th percentile over " +
           std::to_string(kReplicates) + " block-bootstrap resamples (their best lags are the distribution)";
  return e;
}

}  // namespace atalaya
