// Series queries over the store.
#include "atalaya/analysis/series_query.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "atalaya/core/country.h"

namespace atalaya {
namespace {

bool is_dimension(const std::string& d) {
  return std::find(std::begin(kDimensions), std::end(kDimensions), d) != std::end(kDimensions);
}

// The stored period that a point contributes to at frequency `to`, or nullopt
// when the point is coarser than `to` (an annual total cannot be split into months).
std::optional<Period> roll_up(const Period& p, Frequency to) {
  if (p.frequency() == to) return p;
  if (p.frequency() == Frequency::Month) return p.roll_up(to);
  if (p.frequency() == Frequency::Quarter) {
    if (to == Frequency::Year) return Period::year(p.year());
    if (to == Frequency::FiscalYear) return p.first_month().roll_up(to);  // quarters nest in Oct-Sep years
  }
  return std::nullopt;
}

int status_rank(Status s) {
  switch (s) {
    case Status::Final: return 0;
    case Status::Estimated: return 1;
    case Status::Provisional: return 2;
  }
  return 0;
}

}  // namespace

SeriesSelection resolve_selection(const SeriesQuery& q, const std::vector<std::string>& known_sources) {
  SeriesSelection sel;
  sel.vintage = q.vintage;
  for (auto& [dim, values] : q.filters) {
    if (!is_dimension(dim)) throw std::invalid_argument(dim + ": not a dimension (source, reporter, location, citizenship, counterpart, event, demographic, authority)");
    auto& out = sel.dimensions[dim];
    for (auto& v : values) {
      if (is_country_dimension(dim)) {
        std::string code = citizenship_code(v);
        if (code.empty()) {
          throw std::invalid_argument(unknown_country_message(dim, v));
        }
        out.push_back(code);
      } else if (dim == "event" && v == "encounter") {
        for (auto e : {"encounter", "apprehension", "inadmissible", "expulsion"}) out.push_back(e);
      } else {
        out.push_back(v);
      }
    }
  }
  for (auto& d : q.by)
    if (!is_dimension(d)) throw std::invalid_argument("by: '" + d + "' is not a dimension");

  if (auto it = sel.dimensions.find("source"); it != sel.dimensions.end()) {
    std::set<std::string> known(known_sources.begin(), known_sources.end());
    for (auto& src : it->second) {
      if (!known.count(src)) {
        std::string list;
        for (auto& k : known) list += (list.empty() ? "" : ", ") + k;
        throw std::invalid_argument("source: no source '" + src + "' in the store (it holds: " +
                                    (list.empty() ? "nothing yet" : list) + ")");
      }
    }
  }
  return sel;
}

SeriesResult aggregate_series(const std::vector<const StoredSeries*>& stored, const SeriesQuery& q,
                              const SeriesSelection& sel) {
  SeriesResult result;
  for (auto& [dim, values] : sel.dimensions)
    if (values.size() == 1) result.fixed[dim] = values.front();
  result.by = q.by;
  struct Sum {
    int64_t value = 0;
    Status status = Status::Final;
    std::optional<Unit> unit;
  };
  std::map<std::pair<std::vector<std::string>, int64_t>, Sum> sums;
  std::map<std::vector<std::string>, std::set<Unit>> units;
  std::map<std::string, size_t> left_out;
  Period from_month = q.from ? q.from->first_month() : Period();
  Period to_month = q.to ? q.to->last_month() : Period();
  for (const StoredSeries* sp : stored) {
    const StoredSeries& s = *sp;
    std::vector<std::string> group;
    for (auto& d : q.by) group.emplace_back(*dimension_value(s.key, d));
    units[group].insert(s.unit);
    for (auto& p : s.points) {
      std::optional<Period> target = q.frequency ? roll_up(p.period, *q.frequency) : p.period;
      if (!target) {
        ++left_out[std::string(frequency_code(p.period.frequency()))];
        continue;
      }
      if (q.from && target->first_month() < from_month) continue;
      if (q.to && to_month < target->last_month()) continue;
      Sum& sum = sums[{group, target->code()}];
      sum.value += p.value;
      if (!sum.unit) sum.unit = s.unit;
      if (status_rank(p.status) > status_rank(sum.status)) sum.status = p.status;
    }
  }
  for (auto& [k, v] : sums) result.rows.push_back(
        SeriesRow{k.first, Period::from_code(k.second), v.value, v.status, v.unit.value_or(Unit::Events)});
  for (auto& [f, n] : left_out)
    result.notes.push_back(std::to_string(n) + " observations stored at frequency " + f +
                           " are coarser than the frequency asked for and are not shown");
  if (!stored.empty()) result.unit = stored.front()->unit;
  for (auto& [g, u] : units) {
    if (u.size() > 1) {
      result.notes.push_back(
          "values add different units (events, persons, cases); narrow the selection (source, reporter) "
          "until one unit remains");
      break;
    }
  }
  return result;
}

SeriesResult run_series_query(Store& store, const SeriesQuery& q) {
  std::vector<std::string> known;
  for (auto& s : store.sources()) known.push_back(s.source);
  SeriesSelection sel = resolve_selection(q, known);
  sel.vintage = q.vintage;
  auto stored = store.select(sel);
  std::vector<const StoredSeries*> ptrs;
  ptrs.reserve(stored.size());
  for (auto& s : stored) ptrs.push_back(&s);
  return aggregate_series(ptrs, q, sel);
}

}  // namespace atalaya
