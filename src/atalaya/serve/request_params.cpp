// Query parameters with their checks (see request_params.h).
#include "atalaya/serve/request_params.h"

#include <algorithm>
#include <charconv>
#include <cstdlib>

#include "atalaya/core/observation.h"
#include "atalaya/serve/api_error.h"

namespace atalaya::serve {
namespace {

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t") - b + 1);
}

}  // namespace

RequestParams::RequestParams(const std::multimap<std::string, std::string>& given,
                             const std::vector<std::string>& accepted) {
  for (auto& [name, value] : given) {
    if (std::find(accepted.begin(), accepted.end(), name) == accepted.end())
      throw ApiError(400, name,
                     name + ": not a parameter here" +
                         (accepted.empty() ? std::string(" (this endpoint takes none)")
                                           : " (expected one of: " + joined(accepted) + ")"));
    auto [it, fresh] = values_.emplace(name, value);
    if (!fresh) it->second += "," + value;
  }
}

std::string RequestParams::text(const std::string& name) const {
  auto it = values_.find(name);
  return it == values_.end() ? "" : it->second;
}

std::vector<std::string> RequestParams::list(const std::string& name) const {
  std::vector<std::string> out;
  const std::string all = text(name);
  size_t start = 0;
  while (start <= all.size()) {
    size_t comma = all.find(',', start);
    if (comma == std::string::npos) comma = all.size();
    std::string v = trim(all.substr(start, comma - start));
    if (!v.empty()) out.push_back(std::move(v));
    start = comma + 1;
  }
  return out;
}

std::optional<int> RequestParams::optional_integer(const std::string& name, int min, int max) const {
  if (!has(name)) return std::nullopt;
  const std::string t = trim(text(name));
  int v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (t.empty() || ec != std::errc() || end != t.data() + t.size() || v < min || v > max)
    throw ApiError(400, name,
                   name + ": '" + text(name) + "' is not a whole number from " + std::to_string(min) + " to " +
                       std::to_string(max));
  return v;
}

int RequestParams::integer(const std::string& name, int fallback, int min, int max) const {
  return optional_integer(name, min, max).value_or(fallback);
}

std::vector<double> RequestParams::numbers(const std::string& name, std::vector<double> fallback) const {
  if (!has(name)) return fallback;
  std::vector<double> out;
  for (auto& item : list(name)) {
    char* end = nullptr;
    const double v = std::strtod(item.c_str(), &end);
    if (end != item.c_str() + item.size())
      throw ApiError(400, name, name + ": '" + item + "' is not a number (e.g. " + name + "=80,95)");
    out.push_back(v);
  }
  if (out.empty()) throw ApiError(400, name, name + ": empty (e.g. " + name + "=80,95)");
  return out;
}

std::string RequestParams::choice(const std::string& name, const std::vector<std::string>& choices,
                                  std::string fallback) const {
  if (!has(name)) return fallback;
  const std::string v = trim(text(name));
  if (std::find(choices.begin(), choices.end(), v) == choices.end())
    throw ApiError(400, name, name + ": '" + v + "' is not one of: " + joined(choices));
  return v;
}

std::optional<Period> RequestParams::period(const std::string& name, bool month_only) const {
  if (!has(name) || trim(text(name)).empty()) return std::nullopt;
  auto p = Period::parse(trim(text(name)));
  if (!p || (month_only && p->frequency() != Frequency::Month))
    throw ApiError(400, name,
                   name + ": '" + text(name) + "' is not a " +
                       (month_only ? std::string("month (expected 2021-08)")
                                   : std::string("period (expected 2021-08, 2021-Q3, 2021 or FY2021)")));
  return p;
}

SeriesQuery RequestParams::series_query() const {
  SeriesQuery q;
  for (auto d : kDimensions) {
    const std::string dim(d);
    auto values = list(dim);
    if (!values.empty()) q.filters[dim] = std::move(values);
  }
  q.from = period("from");
  q.to = period("to");
  if (q.from && q.to && q.from->frequency() == q.to->frequency() && *q.to < *q.from)
    throw ApiError(400, "to", "to: " + q.to->to_string() + " is before from " + q.from->to_string());
  for (auto& b : list("by")) {
    if (std::find(std::begin(kDimensions), std::end(kDimensions), b) == std::end(kDimensions)) {
      std::vector<std::string> dims(std::begin(kDimensions), std::end(kDimensions));
      throw ApiError(400, "by", "by: '" + b + "' is not a dimension (expected one of: " + joined(dims) + ")");
    }
    q.by.push_back(b);
  }
  return q;
}

const std::vector<std::string>& RequestParams::selection_names() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n(std::begin(kDimensions), std::end(kDimensions));
    n.insert(n.end(), {"from", "to", "by"});
    return n;
  }();
  return names;
}

}  // namespace atalaya::serve
