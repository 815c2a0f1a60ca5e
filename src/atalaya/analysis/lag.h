// Transit lag between two checkpoints of a route: how many months a flow
// takes to travel from an upstream checkpoint (Darién) to a downstream one
// (U.S. southwest border), estimated from the two monthly series.
//
// Method (docs/routes.md): each series becomes its month-by-month deviation
// from its own trailing 12-month median on the log scale,
// log(1+x[t]) - log(1+median(x[t-12..t-1])), so that level, trend and slow
// drift do not dominate and only surges and drops are compared; the best lag
// is the one whose cross-correlation is highest. The uncertainty is the
// 10th-90th percentile of the best lag over a moving-block bootstrap of the
// months (6-month blocks, a fixed seed: the same input gives the same answer),
// and the share of resamples giving each lag is the lag's distribution.
// The trailing median looks only backwards, so truncating both series at a
// month gives the estimate as it stood then (replay does not peek ahead).
#pragma once

#include <string>
#include <vector>

#include "atalaya/analysis/month_distribution.h"

namespace atalaya {

struct LagEstimate {
  int months = 0;        // the best lag (downstream follows upstream by this many months)
  double low = 0;        // uncertainty interval of the lag, in months (low <= months <= high)
  double high = 0;
  double correlation = 0;  // strength of the association at the best lag (-1..1); 0 if not estimated
  int samples = 0;       // month pairs the estimate rests on (0 if too short to compare at all)
  bool estimated = false;  // false: too little data; `months` is then the declared prior
  std::string note;      // how it was obtained, or why it could not be
  // Correlation at each lag 0..max_lag searched (empty if the series were too
  // short or flat to compare); shows how sharp the peak is.
  std::vector<double> correlations;
  // How likely each lag is, over 0..max_lag months (first = 0): the share of
  // bootstrap resamples whose best lag it is, or, when not estimated, the
  // declared prior's distribution.
  MonthDistribution distribution;
};

// Fewer month pairs than this and the data cannot say: the prior is used.
inline constexpr int kMinLagPairs = 18;

// Estimates the lag of `downstream` behind `upstream`, both monthly series of
// counts (finite, >= 0) aligned on the same months (same length, same first
// month), searching lags 0..max_lag. `prior` (>= 0) is returned with
// estimated = false, the distribution declared_lag(prior, 1) and the interval
// [prior-1, prior+1] (not below 0: a declared lag is a judgement, not a
// measurement) when the series give fewer
// than kMinLagPairs month pairs, either is flat, or no lag correlates clearly
// (best r below the white-noise band 2/sqrt(pairs)); the note says which.
// Throws std::invalid_argument for different lengths, max_lag < 0, prior < 0
// or a negative or non-finite value.
LagEstimate estimate_lag(const std::vector<double>& upstream, const std::vector<double>& downstream,
                         int max_lag, int prior);

// The same with the prior's spread declared: when the data cannot say,
// `months` is `prior`, the distribution is `prior_distribution` (over months
// >= 0, not empty) and the interval is its 10th-90th percentile, widened to
// hold `prior`.
LagEstimate estimate_lag(const std::vector<double>& upstream, const std::vector<double>& downstream,
                         int max_lag, int prior, const MonthDistribution& prior_distribution);

}  // namespace atalaya
