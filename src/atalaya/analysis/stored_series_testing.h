// For analysis tests: stored series made by hand, and the message of an
// expected std::invalid_argument. Only tests include this header.
#pragma once

#include <cmath>
#include <stdexcept>
#include <string>
#include <vector>

#include "atalaya/core/error.h"
#include "atalaya/store/store.h"

namespace atalaya::testing {

// A monthly series under `key`: values[i] is the month first + i (final,
// vintage 1). Values are rounded to whole counts.
inline StoredSeries monthly_series(SeriesKey key, const std::string& first, const std::vector<double>& values,
                                   Unit unit = Unit::Events) {
  StoredSeries s;
  s.key = std::move(key);
  s.unit = unit;
  const Period start = *Period::parse(first);
  for (size_t i = 0; i < values.size(); ++i)
    s.points.push_back(
        StoredPoint{start.plus_months(static_cast<int>(i)), std::llround(values[i]), Status::Final, 1});
  return s;
}

// The message of the std::invalid_argument or Error(InvalidArgument) `run`
// throws; empty if none.
template <typename Run>
std::string invalid_argument_of(Run run) {
  try {
    run();
  } catch (const std::invalid_argument& e) {
    return e.what();
  } catch (const Error& e) {
    if (e.code() == ErrorCode::InvalidArgument) return e.what();
    throw;
  }
  return "";
}

}  // namespace atalaya::testing
