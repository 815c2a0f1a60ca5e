#include "atalaya/core/error.h"
#include "atalaya/reports/overview.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <set>
#include <stdexcept>

#include "atalaya/analysis/explain.h"
#include "atalaya/core/country.h"
#include "atalaya/warning/alert_json.h"

namespace atalaya {
namespace {

using nlohmann::json;

constexpr size_t kLatestAlerts = 5;

double round_to(double x, int digits) {
  const double scale = std::pow(10.0, digits);
  return std::round(x * scale) / scale;
}

// Values are sums of integer counts, so they print as integers.
json count_json(std::optional<double> v) {
  if (!v || is_missing(*v)) return nullptr;  // no data: never shown as 0
  return static_cast<int64_t>(std::llround(*v));
}

std::optional<double> change(double value, std::optional<double> base) {
  if (!base || *base == 0) return std::nullopt;
  return value / *base - 1;
}

json change_json(std::optional<double> c) {
  if (!c) return nullptr;
  return round_to(*c, 4);
}

json mean_json(std::optional<double> m) {
  if (!m) return nullptr;
  return round_to(*m, 1);
}

// The value of `own` in `month`: stored (or 0, the series being dense) inside
// its span; 0 before it but inside `span` (the checkpoint's series, whose
// source reported that month without this citizenship); nullopt otherwise.
std::optional<double> value_at(const MonthlySeries& own, const MonthlySeries& span, const Period& month) {
  if (int i = own.index_of(month); i >= 0)
    return is_missing(own.values[i]) ? std::nullopt : std::optional<double>(own.values[i]);
  if (int i = span.index_of(month); i >= 0 && !is_missing(span.values[i])) return 0.0;
  return std::nullopt;
}

// Mean of the n months before `latest`, nullopt if any of them is unknown.
std::optional<double> trailing_mean(const MonthlySeries& own, const MonthlySeries& span, const Period& latest,
                                    int n) {
  double total = 0;
  for (int k = 1; k <= n; ++k) {
    auto v = value_at(own, span, latest.plus_months(-k));
    if (!v) return std::nullopt;
    total += *v;
  }
  return total / n;
}

// The checkpoint's series per citizenship from `from` to its latest month:
// the query route_series makes, grouped by citizenship.
std::vector<MonthlySeries> by_citizenship(const Cube& cube, const RouteCheckpoint& c, const std::string& source,
                                          const Period& from, const Period& latest) {
  SeriesQuery q;
  q.filters = c.selection;
  q.filters["source"] = {source};
  q.filters["reporter"] = {c.reporter};
  q.by = {"citizenship"};
  q.from = from;
  q.to = latest;
  return cube.monthly(q);
}

struct Riser {
  size_t checkpoint = 0;
  std::string citizenship;
  Period month;
  double value = 0;
  double mean = 0;
  std::optional<double> change;  // nullopt: a trailing mean of 0
  bool provisional = false;
};

// Infinite growth (a base of 0) first, then by change, then by size.
bool rises_more(const Riser& a, const Riser& b) {
  if (a.change.has_value() != b.change.has_value()) return !a.change.has_value();
  if (a.change && *a.change != *b.change) return *a.change > *b.change;
  if (a.value != b.value) return a.value > b.value;
  if (a.checkpoint != b.checkpoint) return a.checkpoint < b.checkpoint;
  return a.citizenship < b.citizenship;
}

void check_options(const OverviewOptions& o) {
  if (o.trailing_months < 1)
    throw Error(ErrorCode::InvalidArgument, "trailing_months", "trailing_months: " + std::to_string(o.trailing_months) + " (at least 1 needed)");
  if (o.recent_months < 0)
    throw Error(ErrorCode::InvalidArgument, "recent_months", "recent_months: " + std::to_string(o.recent_months) + " (0 or more needed)");
  if (o.rising_limit < 0)
    throw Error(ErrorCode::InvalidArgument, "rising_limit", "rising_limit: " + std::to_string(o.rising_limit) + " (0 or more needed)");
  if (!std::isfinite(o.rising_min_count))
    throw Error(ErrorCode::InvalidArgument, "rising_min_count", "rising_min_count: not a number");
}

json alerts_json(const std::vector<Alert>& active, Language lang) {
  std::vector<const Alert*> shown;
  int open = 0, acknowledged = 0;
  for (auto& a : active) {
    if (a.status == AlertStatus::Open) {
      ++open;
    } else if (a.status == AlertStatus::Acknowledged) {
      ++acknowledged;
    } else {
      continue;
    }
    shown.push_back(&a);
  }
  // ISO 8601 UTC timestamps order as text.
  std::sort(shown.begin(), shown.end(), [](const Alert* a, const Alert* b) {
    if (a->updated_at != b->updated_at) return a->updated_at > b->updated_at;
    return a->id > b->id;
  });
  if (shown.size() > kLatestAlerts) shown.resize(kLatestAlerts);
  json latest = json::array();
  for (auto* a : shown) latest.push_back(alert_to_json(*a, lang));
  return {{"open", open}, {"acknowledged", acknowledged}, {"latest", std::move(latest)}};
}

}  // namespace

json overview_report(const Cube& cube, const Route& route, const std::vector<Alert>& active,
                     const OverviewOptions& options, Language lang) {
  check_options(options);
  const std::vector<CheckpointSeries> series = route_series(cube, route, "");
  std::vector<Riser> risers;
  json checkpoints = json::array();
  for (size_t i = 0; i < route.checkpoints.size(); ++i) {
    const RouteCheckpoint& c = route.checkpoints[i];
    const CheckpointSeries& cs = series[i];
    const MonthlySeries& s = cs.series;
    json e{{"id", c.id}, {"name", c.name}, {"name_es", c.name_es}, {"reporter", c.reporter}};
    e["source"] = cs.has_data() ? json(cs.source) : json(nullptr);
    if (s.values.empty()) {
      for (auto* key : {"unit", "latest_month", "latest_value", "provisional", "trailing_mean", "change_vs_trailing",
                        "year_ago_value", "change_vs_year_ago"})
        e[key] = nullptr;
      e["recent"] = json::array();
      checkpoints.push_back(std::move(e));
      continue;
    }
    const Period latest = s.end();
    const double value = s.values.back();
    const std::optional<double> mean = trailing_mean(s, s, latest, options.trailing_months);
    const std::optional<double> year_ago = value_at(s, s, latest.plus_months(-12));
    e["unit"] = std::string(unit_name(s.unit));
    e["latest_month"] = latest.to_string();
    e["latest_value"] = count_json(value);
    e["provisional"] = s.provisional.back() != 0;
    e["trailing_mean"] = mean_json(mean);
    e["change_vs_trailing"] = change_json(change(value, mean));
    e["year_ago_value"] = count_json(year_ago);
    e["change_vs_year_ago"] = change_json(change(value, year_ago));
    json recent = json::array();
    const size_t n = std::min(s.values.size(), static_cast<size_t>(options.recent_months));
    for (size_t k = s.values.size() - n; k < s.values.size(); ++k)
      recent.push_back({{"month", s.start.plus_months(static_cast<int>(k)).to_string()},
                        {"value", count_json(s.values[k])},
                        {"provisional", s.provisional[k] != 0}});
    e["recent"] = std::move(recent);
    checkpoints.push_back(std::move(e));

    if (!mean) continue;  // the checkpoint's span does not reach back over the trailing months
    const Period from = latest.plus_months(-options.trailing_months);
    for (const MonthlySeries& own : by_citizenship(cube, c, cs.source, from, latest)) {
      const std::string& code = own.group.front();
      if (code.empty() || find_group(code)) continue;
      const int last = own.index_of(latest);
      if (last < 0) continue;  // cannot happen: one source, one last month; kept safe
      Riser r;
      r.checkpoint = i;
      r.citizenship = code;
      r.month = latest;
      r.value = own.values[last];
      if (is_missing(r.value) || r.value < options.rising_min_count) continue;
      auto m = trailing_mean(own, s, latest, options.trailing_months);
      if (!m) continue;
      r.mean = *m;
      r.change = change(r.value, m);
      if (r.change && *r.change <= 0) continue;  // "rising" shows growth only; a falling route shows none
      r.provisional = own.provisional[last] != 0;
      risers.push_back(std::move(r));
    }
  }

  std::sort(risers.begin(), risers.end(), rises_more);
  if (risers.size() > static_cast<size_t>(options.rising_limit)) risers.resize(options.rising_limit);
  json rising = json::array();
  for (auto& r : risers) {
    const Country* country = find_country(r.citizenship);
    rising.push_back({{"checkpoint", route.checkpoints[r.checkpoint].id},
                      {"citizenship", r.citizenship},
                      {"name", country ? json(lang == Language::Es ? country->name_es : country->name_en) : json(nullptr)},
                      {"latest_month", r.month.to_string()},
                      {"value", count_json(r.value)},
                      {"provisional", r.provisional},
                      {"trailing_mean", mean_json(r.mean)},
                      {"change_vs_trailing", change_json(r.change)}});
  }

  return {{"route", {{"id", route.id}, {"name", route.name}, {"name_es", route.name_es}}},
          {"trailing_months", options.trailing_months},
          {"checkpoints", std::move(checkpoints)},
          {"rising", std::move(rising)},
          {"alerts", alerts_json(active, lang)}};
}

json dimension_values(const Cube& cube, const std::vector<std::string>& sources) {
  SeriesQuery q;
  if (!sources.empty()) q.filters["source"] = sources;
  return dimension_values(cube, q);
}

json dimension_values(const Cube& cube, const SeriesQuery& selection, const std::optional<std::string>& dimension) {
  SeriesQuery q = selection;
  q.by.clear();
  const SeriesSelection sel = resolve_selection(q, cube.sources());
  std::vector<const StoredSeries*> chosen;
  for (uint32_t id : cube.select(sel)) chosen.push_back(&cube.series()[id]);
  std::vector<std::string> notes;
  if (chosen.empty())
    notes = explain_no_series(q, sel, [&cube](const SeriesSelection& s) {
      std::vector<SeriesKey> keys;
      for (uint32_t id : cube.select(s)) keys.push_back(cube.series()[id].key);
      return keys;
    });
  return dimensions_json(chosen, q, dimension, notes);
}

json dimensions_json(const std::vector<const StoredSeries*>& series, const SeriesQuery& selection,
                     const std::optional<std::string>& dimension, const std::vector<std::string>& notes) {
  if (dimension)
    (void)count_dimension_values({}, *dimension);  // throws for a name that is not a dimension
  json out = json::object();
  json counts = json::object();
  for (auto d : kDimensions) {
    const std::string name(d);
    const auto values = count_dimension_values(series, d, selection.from, selection.to);
    std::vector<std::string> list;
    json c = json::array();
    for (auto& v : values) {
      if (v.value != "_T") list.push_back(v.value);
      c.push_back({{"value", v.value}, {"series", v.series}, {"observations", v.observations}});
    }
    out[name] = std::move(list);
    if (!dimension || *dimension == name) counts[name] = std::move(c);
  }
  out["counts"] = std::move(counts);
  out["notes"] = notes;
  return out;
}

}  // namespace atalaya
