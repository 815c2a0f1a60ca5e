// Selection options shared by series, forecast and backtest.
#include "cli/selection_options.h"

#include <optional>
#include <stdexcept>

namespace atalaya::cli {
namespace {

std::optional<Period> period_option(const std::string& text, const char* name) {
  if (text.empty()) return std::nullopt;
  auto p = Period::parse(text);
  if (!p)
    throw std::invalid_argument(std::string("--") + name + ": '" + text +
                                "' is not a period (expected 2023-07, 2023-Q3, 2023 or FY2023)");
  return p;
}

}  // namespace

void SelectionOptions::add_to(CLI::App& cmd) {
  for (auto d : kDimensions) {
    std::string dim(d);
    cmd.add_option("--" + dim, filters[dim], "only these " + dim + " values (comma-separated)")->delimiter(',');
  }
  cmd.add_option("--from", from, "first period, e.g. 2021-01, 2021-Q1, 2021, FY2021");
  cmd.add_option("--to", to, "last period");
  cmd.add_option("--by", by, "group by these dimensions (comma-separated)")->delimiter(',');
}

SeriesQuery SelectionOptions::query() const {
  SeriesQuery q;
  for (auto& [d, v] : filters)
    if (!v.empty()) q.filters[d] = v;
  q.from = period_option(from, "from");
  q.to = period_option(to, "to");
  q.by = by;
  return q;
}

}  // namespace atalaya::cli
