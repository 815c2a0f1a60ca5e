// The benchmark series file both sides read (bench/ets/run and
// bench/forecast/run prepare it): header `series_id,month,value`, rows grouped
// by series, months in order and gapless; and the small helpers both
// programs write their CSV and read their arguments with. Shared by
// bench_ets and bench_forecast.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace bench {

struct Series {
  std::string id;
  std::vector<double> y;
};

// Months as a running count, to check that each series is gapless.
inline long month_index(const std::string& month, const std::string& where) {
  int year = 0, mon = 0;
  char dash = 0;
  std::istringstream in(month);
  if (!(in >> year >> dash >> mon) || dash != '-' || mon < 1 || mon > 12)
    throw std::runtime_error(where + ": month \"" + month + "\" is not YYYY-MM");
  return year * 12L + (mon - 1);
}

inline std::vector<Series> read_series(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw std::runtime_error(path + ": cannot open");
  std::string line;
  if (!std::getline(in, line) || line != "series_id,month,value")
    throw std::runtime_error(path + ":1: header must be series_id,month,value");
  std::vector<Series> out;
  long last_month = 0;
  for (int lineno = 2; std::getline(in, line); ++lineno) {
    if (line.empty()) continue;
    const std::string where = path + ":" + std::to_string(lineno);
    const size_t c1 = line.find(','), c2 = line.find(',', c1 + 1);
    if (c1 == std::string::npos || c2 == std::string::npos)
      throw std::runtime_error(where + ": expected series_id,month,value");
    const std::string id = line.substr(0, c1), month = line.substr(c1 + 1, c2 - c1 - 1);
    char* end = nullptr;
    const double value = std::strtod(line.c_str() + c2 + 1, &end);
    if (end == line.c_str() + c2 + 1 || *end != '\0' || !std::isfinite(value))
      throw std::runtime_error(where + ": field value \"" + line.substr(c2 + 1) + "\" is not a number");
    const long mi = month_index(month, where);
    if (out.empty() || out.back().id != id) {
      out.push_back({id, {}});
    } else if (mi != last_month + 1) {
      throw std::runtime_error(where + ": field month " + month + " does not follow the previous month of " + id);
    }
    last_month = mi;
    out.back().y.push_back(value);
  }
  return out;
}

// A number as the result CSV holds it: %.6g, "NA" when not finite.
inline std::string num(double v) {
  if (!std::isfinite(v)) return "NA";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return buf;
}

// argv[i] as a positive integer, or `fallback` when not given.
inline int positive_arg(int argc, char** argv, int i, int fallback) {
  if (argc <= i) return fallback;
  const int v = std::atoi(argv[i]);
  if (v < 1) throw std::runtime_error(std::string("argument ") + std::to_string(i) + " must be a positive integer");
  return v;
}

}  // namespace bench
