// A request's query parameters, read with the checks every endpoint needs:
// only the parameters the endpoint declares are accepted (a misspelt filter
// must not silently select everything), numbers must be whole and in range,
// and every failure is an ApiError(400) naming the parameter.
//
// A parameter given twice (?citizenship=HTI&citizenship=VEN) is read as the
// comma-separated list of both.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "atalaya/analysis/series_query.h"
#include "atalaya/core/period.h"

namespace atalaya::serve {

class RequestParams {
 public:
  // `given`: name -> values in request order (httplib's Params, flattened).
  // Throws ApiError(400) for a name not in `accepted`.
  RequestParams(const std::multimap<std::string, std::string>& given, const std::vector<std::string>& accepted);

  bool has(const std::string& name) const { return values_.count(name) > 0; }
  // The raw text; empty when absent.
  std::string text(const std::string& name) const;
  // Comma-separated values, trimmed, empties dropped.
  std::vector<std::string> list(const std::string& name) const;
  // A whole number in [min, max]; `fallback` when absent.
  int integer(const std::string& name, int fallback, int min, int max) const;
  std::optional<int> optional_integer(const std::string& name, int min, int max) const;
  // Decimal numbers (interval levels), comma-separated.
  std::vector<double> numbers(const std::string& name, std::vector<double> fallback) const;
  // One of `choices`; `fallback` when absent.
  std::string choice(const std::string& name, const std::vector<std::string>& choices, std::string fallback) const;
  // A period (2021-07, 2021-Q3, 2021, FY2021), or a month when month_only.
  std::optional<Period> period(const std::string& name, bool month_only = false) const;

  // The selection parameters shared with the CLI (source ... authority,
  // from, to, by) as a SeriesQuery. `by` names are checked here.
  SeriesQuery series_query() const;

  // The selection parameters, for endpoint declarations.
  static const std::vector<std::string>& selection_names();

 private:
  std::map<std::string, std::string> values_;  // repeated names joined with ','
};

}  // namespace atalaya::serve
