// Transit lag between two checkpoints of a route: how many months a flow
// takes to travel from an upstream checkpoint (Darién) to a downstream one
// (U.S. southwest border), estimated from the two monthly series.
#pragma once

#include <string>
#include <vector>

namespace atalaya {

struct LagEstimate {
  int months = 0;        // the best lag (downstream follows upstream by this many months)
  double low = 0;        // uncertainty interval of the lag, in months (low <= months <= high)
  double high = 0;
  double correlation = 0;  // strength of the association at the best lag (-1..1)
  int samples = 0;       // month pairs the estimate rests on
  bool estimated = false;  // false: too little data; `months` is then the declared prior
  std::string note;      // how it was obtained, or why it could not be
};

// Estimates the lag of `downstream` behind `upstream`, both monthly series
// aligned on the same months (same length, same first month), searching
// lags 0..max_lag. `prior` is returned (estimated = false) when the series
// are too short or too flat to say.
LagEstimate estimate_lag(const std::vector<double>& upstream, const std::vector<double>& downstream,
                         int max_lag, int prior);

}  // namespace atalaya
