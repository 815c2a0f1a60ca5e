// Route files and route analysis over the cube.
#include "atalaya/analysis/route.h"
#include "atalaya/core/text.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <toml++/toml.h>

#include "atalaya/core/country.h"
#include "atalaya/core/input_error.h"
#include "atalaya/core/toml_input.h"

namespace atalaya {
namespace {

// ---------------------------------------------------------------- parsing ---

// The value as written, for error messages (tables and arrays by kind only).
std::string text_of(const toml::node& node) {
  if (auto s = node.as_string()) return s->get();
  if (auto i = node.as_integer()) return std::to_string(i->get());
  if (auto f = node.as_floating_point()) return std::to_string(f->get());
  if (auto b = node.as_boolean()) return b->get() ? "true" : "false";
  if (node.is_table()) return "a table";
  if (node.is_array()) return "a list";
  return "";
}

std::string string_field(const std::string& path, const toml::node& node, const std::string& field) {
  if (auto s = node.as_string()) return s->get();
  toml_fail(path, &node, field, text_of(node), "a string");
}

int months_field(const std::string& path, const toml::node& node, const std::string& field) {
  auto i = node.as_integer();
  if (!i || i->get() < 0 || i->get() > 36) toml_fail(path, &node, field, text_of(node), "a whole number of months, 0 to 36");
  return static_cast<int>(i->get());
}

std::vector<std::string> strings_field(const std::string& path, const toml::node& node, const std::string& field) {
  std::vector<std::string> out;
  if (auto s = node.as_string()) {
    out.push_back(s->get());
  } else if (auto a = node.as_array()) {
    for (auto& e : *a) out.push_back(string_field(path, e, field));
  } else {
    toml_fail(path, &node, field, text_of(node), "a string or a list of strings");
  }
  if (out.empty()) toml_fail(path, &node, field, "[]", "at least one value");
  return out;
}

bool is_source_id(const std::string& id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  });
}

RouteCheckpoint parse_checkpoint(const std::string& path, const toml::table& t, size_t index, int default_max_lag) {
  const std::string at = "checkpoint[" + std::to_string(index + 1) + "]";
  check_known_keys(path, t, at,
                   {"id", "name", "name_es", "reporter", "sources", "select", "expected_lag_months", "max_lag_months",
                    "lag_spread_months"});
  RouteCheckpoint c;
  c.line = t.source().begin.line;
  c.max_lag_months = default_max_lag;
  bool has_lag = false;
  for (auto& [k, v] : t) {
    const std::string key(k.str()), field = at + "." + key;
    if (key == "id") {
      c.id = string_field(path, v, field);
      if (!is_source_id(c.id)) toml_fail(path, &v, field, c.id, "lower-case letters, digits and dashes");
    } else if (key == "name") {
      c.name = string_field(path, v, field);
    } else if (key == "name_es") {
      c.name_es = string_field(path, v, field);
    } else if (key == "reporter") {
      const std::string given = string_field(path, v, field);
      const Country* country = find_country(given);
      if (!country) {
        std::string expected = "a country name or ISO code";
        auto near = nearest_country_names(given, 3);
        if (!near.empty()) {
          expected += " (nearest known:";
          for (auto& n : near) expected += " " + n + ";";
          expected.back() = ')';
        }
        toml_fail(path, &v, field, given, expected);
      }
      c.reporter = country->alpha3;
    } else if (key == "sources") {
      c.sources = strings_field(path, v, field);
      for (auto& s : c.sources)
        if (!is_source_id(s)) toml_fail(path, &v, field, s, "source ids (lower-case letters, digits and dashes)");
    } else if (key == "select") {
      auto* sel = v.as_table();
      if (!sel) toml_fail(path, &v, field, text_of(v), "a table of dimension = [values], e.g. { event = [\"encounter\"] }");
      for (auto& [dk, dv] : *sel) {
        const std::string dim(dk.str());
        if (dim == "source" || dim == "reporter" || dim == "citizenship")
          toml_fail(path, &dv, field + "." + dim, "", "a dimension other than source, reporter or citizenship (the route sets those)");
        if (!dimension_value(SeriesKey{}, dim)) toml_fail(path, &dv, field + "." + dim, "", "location, event, demographic or authority");
        auto values = strings_field(path, dv, field + "." + dim);
        if (dim == "event")
          for (auto& e : values)
            if (!is_known_event(e)) toml_fail(path, &dv, field + ".event", e, "a known event (encounter, irregular_transit, ...)");
        c.selection[dim] = std::move(values);
      }
    } else if (key == "expected_lag_months") {
      c.expected_lag_months = months_field(path, v, field);
      has_lag = true;
      if (index == 0 && c.expected_lag_months != 0)
        toml_fail(path, &v, field, text_of(v), "nothing: the first checkpoint has no previous one to lag behind");
    } else if (key == "max_lag_months") {
      c.max_lag_months = months_field(path, v, field);
    } else if (key == "lag_spread_months") {
      c.lag_spread_months = months_field(path, v, field);
      if (index == 0) toml_fail(path, &v, field, text_of(v), "nothing: the first checkpoint has no lag to spread");
    }
  }
  const toml::node* here = &t;
  if (c.id.empty()) toml_fail(path, here, at + ".id", "", "a checkpoint id such as \"darien\"");
  if (c.name.empty()) c.name = c.id;
  if (c.name_es.empty()) c.name_es = c.name;
  if (c.reporter.empty()) toml_fail(path, here, at + ".reporter", "", "the country that counts there, e.g. \"PAN\"");
  if (c.sources.empty()) toml_fail(path, here, at + ".sources", "", "a list of source ids, preferred first");
  if (index > 0 && !has_lag)
    toml_fail(path, here, at + ".expected_lag_months", "", "the declared months from the previous checkpoint");
  if (c.expected_lag_months > c.max_lag_months)
    toml_fail(path, t.get("expected_lag_months"), at + ".expected_lag_months", std::to_string(c.expected_lag_months),
         "at most max_lag_months (" + std::to_string(c.max_lag_months) + ")");
  return c;
}

// ----------------------------------------------------------------- series ---

MonthlySeries checkpoint_monthly(const Cube& cube, const RouteCheckpoint& c, const std::string& source,
                                 const std::string& citizenship, std::optional<Period> from,
                                 std::optional<Period> to) {
  SeriesQuery q;
  q.filters = c.selection;
  q.filters["source"] = {source};
  q.filters["reporter"] = {c.reporter};
  if (!citizenship.empty()) q.filters["citizenship"] = {citizenship};
  q.from = from;
  q.to = to;
  auto groups = cube.monthly(q);
  if (groups.empty()) {
    MonthlySeries none;
    if (from) none.start = *from;
    return none;
  }
  return std::move(groups.front());
}


// The two series over the months both cover, after the last month either
// is missing (lags are read from consecutive months; a gap is never 0).
std::pair<std::vector<double>, std::vector<double>> align(const MonthlySeries& full_a, const MonthlySeries& full_b) {
  const MonthlySeries a = gap_free_tail(full_a), b = gap_free_tail(full_b);
  if (a.values.empty() || b.values.empty()) return {};
  const int first = std::max(month_number(a.start), month_number(b.start));
  const int last = std::min(month_number(a.end()), month_number(b.end()));
  std::pair<std::vector<double>, std::vector<double>> out;
  for (int m = first; m <= last; ++m) {
    out.first.push_back(a.values[m - month_number(a.start)]);
    out.second.push_back(b.values[m - month_number(b.start)]);
  }
  return out;
}

double window_sum(const MonthlySeries& s, const Period& from, const Period& to) {
  double total = 0;
  for (size_t i = 0; i < s.values.size(); ++i) {
    const int m = month_number(s.start) + static_cast<int>(i);
    if (m >= month_number(from) && m <= month_number(to) && !is_missing(s.values[i])) total += s.values[i];
  }
  return total;
}

double median(std::vector<double> v) {
  const size_t n = v.size();
  std::nth_element(v.begin(), v.begin() + n / 2, v.end());
  const double hi = v[n / 2];
  if (n % 2) return hi;
  return (*std::max_element(v.begin(), v.begin() + n / 2) + hi) / 2;
}

}  // namespace

Route parse_route(const std::string& text, const std::string& path) {
  toml::table root = parse_toml(text, path);
  check_known_keys(path, root, "", {"route", "asylum", "checkpoint"});
  Route r;
  r.file = path;
  int default_max_lag = 3;
  auto* head = root["route"].as_table();
  if (!head) toml_fail(path, root.get("route"), "route", "", "a [route] table with an id and a name");
  check_known_keys(path, *head, "route", {"id", "name", "name_es", "description", "max_lag_months"});
  for (auto& [k, v] : *head) {
    const std::string key(k.str()), field = "route." + key;
    if (key == "id") {
      r.id = string_field(path, v, field);
      if (!is_source_id(r.id)) toml_fail(path, &v, field, r.id, "lower-case letters, digits and dashes");
    } else if (key == "name") {
      r.name = string_field(path, v, field);
    } else if (key == "name_es") {
      r.name_es = string_field(path, v, field);
    } else if (key == "description") {
      r.description = string_field(path, v, field);
    } else {
      default_max_lag = months_field(path, v, field);
    }
  }
  if (r.id.empty()) toml_fail(path, head, "route.id", "", "a route id such as \"darien-north\"");
  if (r.name.empty()) r.name = r.id;
  if (r.name_es.empty()) r.name_es = r.name;

  if (auto* node = root.get("asylum")) {
    auto* asylum = node->as_table();
    if (!asylum) toml_fail(path, node, "asylum", text_of(*node), "an [asylum] table");
    check_known_keys(path, *asylum, "asylum", {"source", "receiving_share"});
    for (auto& [k, v] : *asylum) {
      const std::string key(k.str()), field = "asylum." + key;
      if (key == "source") {
        r.asylum_source = string_field(path, v, field);
        if (!is_source_id(r.asylum_source)) toml_fail(path, &v, field, r.asylum_source, "a source id");
      } else {
        auto share = v.value<double>();
        if (!share || !(*share > 0 && *share <= 1)) toml_fail(path, &v, field, text_of(v), "a share above 0 and at most 1, e.g. 0.05");
        r.receiving_share = *share;
      }
    }
    if (r.asylum_source.empty()) toml_fail(path, asylum, "asylum.source", "", "the asylum-application source id");
  }

  auto* node = root.get("checkpoint");
  auto* list = node ? node->as_array() : nullptr;
  if (!list || !list->is_array_of_tables())
    toml_fail(path, node, "checkpoint", "", "[[checkpoint]] tables, in the order the flow passes them");
  std::set<std::string> ids;
  for (size_t i = 0; i < list->size(); ++i) {
    RouteCheckpoint c = parse_checkpoint(path, *list->get(i)->as_table(), i, default_max_lag);
    if (!ids.insert(c.id).second)
      toml_fail(path, list->get(i)->as_table()->get("id"), "checkpoint[" + std::to_string(i + 1) + "].id", c.id,
           "an id not used by an earlier checkpoint");
    r.checkpoints.push_back(std::move(c));
  }
  if (r.checkpoints.size() < 2) toml_fail(path, node, "checkpoint", "", "at least two checkpoints");
  return r;
}

Route load_route_file(const std::string& path) {
  return parse_route(read_input_file(path, "a readable route file"), path);
}

std::string checkpoint_source(const Cube& cube, const RouteCheckpoint& checkpoint) {
  const std::vector<std::string> held = cube.sources();
  for (auto& s : checkpoint.sources)
    if (std::binary_search(held.begin(), held.end(), s)) return s;
  return "";
}

std::vector<CheckpointSeries> route_series(const Cube& cube, const Route& route, const std::string& citizenship,
                                           std::optional<Period> from, std::optional<Period> to) {
  std::vector<CheckpointSeries> out;
  for (auto& c : route.checkpoints) {
    CheckpointSeries s;
    s.source = checkpoint_source(cube, c);
    if (s.has_data()) s.series = checkpoint_monthly(cube, c, s.source, citizenship, from, to);
    out.push_back(std::move(s));
  }
  return out;
}

RouteLags estimate_route_lags(const Cube& cube, const Route& route, const std::string& citizenship,
                              std::optional<Period> through) {
  RouteLags out;
  out.citizenship = citizenship;
  out.through = through;
  const size_t n = route.checkpoints.size();
  const std::optional<Period> none;
  std::vector<MonthlySeries> own(n), pooled(n);
  std::vector<size_t> with_data;
  for (size_t i = 0; i < n; ++i) {
    const RouteCheckpoint& c = route.checkpoints[i];
    out.sources.push_back(checkpoint_source(cube, c));
    out.declared.push_back(c.expected_lag_months);
    out.spread.push_back(c.lag_spread_months);
    if (out.sources.back().empty()) {
      std::string list;
      for (auto& s : c.sources) list += (list.empty() ? "" : ", ") + s;
      out.notes.push_back(c.name + ": no data (none of " + list + " is in the store); lags bridged across it");
      continue;
    }
    with_data.push_back(i);
    pooled[i] = checkpoint_monthly(cube, c, out.sources[i], "", none, through);
    if (!citizenship.empty()) own[i] = checkpoint_monthly(cube, c, out.sources[i], citizenship, none, through);
  }

  for (size_t h = 1; h < with_data.size(); ++h) {
    RouteHop hop;
    hop.from = with_data[h - 1];
    hop.to = with_data[h];
    MonthDistribution declared = point_mass(0);
    for (size_t i = hop.from + 1; i <= hop.to; ++i) {
      const RouteCheckpoint& c = route.checkpoints[i];
      hop.prior += c.expected_lag_months;
      hop.max_lag += c.max_lag_months;
      declared = convolve(declared, declared_lag(c.expected_lag_months, c.lag_spread_months));
    }
    std::string why;
    if (!citizenship.empty()) {
      auto [up, down] = align(own[hop.from], own[hop.to]);
      hop.lag = estimate_lag(up, down, hop.max_lag, hop.prior, declared);
      hop.basis = "citizenship";
      if (!hop.lag.estimated) why = citizenship + " series: " + hop.lag.note;
    }
    if (citizenship.empty() || !hop.lag.estimated) {
      auto [up, down] = align(pooled[hop.from], pooled[hop.to]);
      hop.lag = estimate_lag(up, down, hop.max_lag, hop.prior, declared);
      hop.basis = hop.lag.estimated ? "pooled" : "prior";
      const std::string pooled_note = hop.lag.note;
      if (hop.lag.estimated) {
        hop.lag.note = why.empty() ? pooled_note : why + "; all citizenships pooled instead: " + pooled_note;
      } else {
        hop.lag.note = (why.empty() ? "" : why + "; ") + "all citizenships pooled: " + pooled_note +
                       "; declared lag used";
      }
    }
    out.hops.push_back(std::move(hop));
  }

  for (size_t i = 0; i < n; ++i) out.cumulative.push_back(lag_between(out, 0, i));
  return out;
}

CumulativeLag lag_between(const RouteLags& lags, size_t from, size_t to, double coverage) {
  const size_t n = lags.sources.size();
  if (from > to || to >= n || lags.declared.size() != n || lags.spread.size() != n)
    throw std::out_of_range("lag_between: checkpoints " + std::to_string(from) + " to " + std::to_string(to) +
                            " on a route of " + std::to_string(n));
  // Through each hop that starts at or after `from`; through the declared lag
  // otherwise (a checkpoint without data, or before the first one with data).
  struct Sum {
    int months = 0;
    MonthDistribution distribution = point_mass(0);
    bool from_data = true;
  };
  std::vector<Sum> sums(to + 1);
  for (size_t i = from + 1; i <= to; ++i) {
    auto hop = std::find_if(lags.hops.begin(), lags.hops.end(),
                            [&](const RouteHop& x) { return x.to == i && x.from >= from; });
    if (hop != lags.hops.end()) {
      const Sum& before = sums[hop->from];
      sums[i] = {before.months + hop->lag.months, convolve(before.distribution, hop->lag.distribution),
                 before.from_data && hop->lag.estimated};
    } else {
      const Sum& before = sums[i - 1];
      sums[i] = {before.months + lags.declared[i],
                 convolve(before.distribution, declared_lag(lags.declared[i], lags.spread[i])), false};
    }
  }
  const Sum& s = sums[to];
  const MonthInterval interval = central_interval(s.distribution, coverage);
  CumulativeLag c;
  c.checkpoint = to;
  c.months = s.months;
  c.low = std::min(interval.low, s.months);
  c.high = std::max(interval.high, s.months);
  c.coverage = coverage;
  double mass = 0;
  for (int k = c.low; k <= c.high; ++k) mass += s.distribution.at(k);
  c.mass = std::min(1.0, mass);
  c.distribution = s.distribution;
  c.from_data = s.from_data && !lags.sources[from].empty() && !lags.sources[to].empty();
  return c;
}

std::string_view country_role_name(CountryRole r) {
  switch (r) {
    case CountryRole::Sending: return "sending";
    case CountryRole::Transit: return "transit";
    case CountryRole::TransitAndReceiving: return "transit-and-receiving";
    case CountryRole::Receiving: return "receiving";
    case CountryRole::NotSeen: return "not seen";
  }
  return "";
}

RouteRoles route_roles(const Cube& cube, const Route& route, const std::string& citizenship, Period from,
                       Period to) {
  if (citizenship.empty()) throw std::invalid_argument("roles: a citizenship is needed (whose route is it?)");
  const std::string code = citizenship_code(citizenship);
  if (code.empty()) throw std::invalid_argument("roles: unknown citizenship '" + citizenship + "'");
  if (month_number(to) < month_number(from))
    throw std::invalid_argument("roles: the window ends (" + to.to_string() + ") before it starts (" +
                                from.to_string() + ")");
  RouteRoles out;
  out.citizenship = code;
  out.from = from;
  out.to = to;

  const Country* home = find_country(code);
  if (home) {
    CountryRoleEntry e;
    e.country = home->alpha3;
    e.role = CountryRole::Sending;
    e.note = Message("role.sending.home");
    out.countries.push_back(e);
  } else {
    out.notes.push_back(Message("role.note.group_not_country").text("citizenship", code));
  }

  std::vector<int> years;
  for (int y = from.year(); y <= to.year(); ++y) years.push_back(y);
  const Period year_from = Period::month(years.front(), 1), year_to = Period::month(years.back(), 12);
  const std::vector<std::string> held = cube.sources();
  const bool asylum_held =
      !route.asylum_source.empty() && std::binary_search(held.begin(), held.end(), route.asylum_source);
  if (route.asylum_source.empty())
    out.notes.push_back(Message("role.note.no_asylum_source"));
  else if (!asylum_held)
    out.notes.push_back(Message("role.note.asylum_source_missing").text("source", route.asylum_source));

  auto series = route_series(cube, route, code);
  const size_t last = series.size() - 1;

  for (size_t i = 0; i < series.size(); ++i) {
    const RouteCheckpoint& c = route.checkpoints[i];
    if (c.reporter == code) {
      out.notes.push_back(Message("role.note.home_checkpoint").local("checkpoint", c.name, c.name_es));
      continue;
    }
    CountryRoleEntry e;
    e.country = c.reporter;
    e.checkpoint = c.id;
    // No source, or a source that never reports this citizenship on its own
    // (CBP's early files fold most into "Other"): the route's word stands.
    if (!series[i].has_data() || series[i].series.values.empty()) {
      e.role = i == last ? CountryRole::Receiving : CountryRole::Transit;
      if (series[i].has_data())
        e.note = Message(i == last ? "role.no_series.receiving" : "role.no_series.transit")
                     .text("source", series[i].source)
                     .text("citizenship", code);
      else
        e.note = Message(i == last ? "role.no_data.receiving" : "role.no_data.transit");
      out.countries.push_back(e);
      continue;
    }
    e.flow = window_sum(series[i].series, from, to);
    e.flow_in_years = window_sum(series[i].series, year_from, year_to);
    if (asylum_held) {
      SeriesQuery q;
      q.filters["source"] = {route.asylum_source};
      q.filters["reporter"] = {c.reporter};
      q.filters["citizenship"] = {code};
      q.frequency = Frequency::Year;
      // A year UNHCR withholds (or does not cover) is unknown, not 0: the
      // role rests on the years with a value, and none means unknown.
      for (auto& row : cube.query(q).rows)
        if (row.period.year() >= years.front() && row.period.year() <= years.back() && row.value) {
          e.asylum += static_cast<double>(*row.value);
          e.asylum_known = true;
        }
    }
    const std::string span = years.size() == 1 ? std::to_string(years.front())
                                               : std::to_string(years.front()) + "-" + std::to_string(years.back());
    if (e.flow <= 0) {
      e.role = CountryRole::NotSeen;
      e.note = Message("role.not_seen").text("citizenship", code).local("checkpoint", c.name, c.name_es);
    } else if (i == last) {
      e.role = CountryRole::Receiving;
      e.note = Message("role.receiving.route_end");
    } else if (e.asylum_known && e.flow_in_years > 0 && e.asylum >= route.receiving_share * e.flow_in_years) {
      e.role = CountryRole::TransitAndReceiving;
      e.note = Message("role.transit_and_receiving")
                   .num("asylum", e.asylum)
                   .text("years", span)
                   .num("flow", e.flow_in_years)
                   .num("share", route.receiving_share * 100);
    } else {
      e.role = CountryRole::Transit;
      e.note = e.asylum_known ? Message("role.transit.asylum_below")
                                    .num("asylum", e.asylum)
                                    .text("years", span)
                                    .num("flow", e.flow_in_years)
                                    .num("share", route.receiving_share * 100)
               : asylum_held ? Message("role.transit.no_asylum_figure")
                                   .text("citizenship", code)
                                   .text("years", span)
                                   .text("source", route.asylum_source)
                             : Message("role.transit.asylum_not_compared");
    }
    out.countries.push_back(e);
  }
  return out;
}

std::optional<std::pair<Period, Period>> surge_window(const MonthlySeries& s, std::optional<Period> from,
                                                      std::optional<Period> to, double factor) {
  constexpr int kTrailing = 12, kMinHistory = 6;
  const int n = static_cast<int>(s.values.size());
  const int first = from ? month_number(from->first_month()) : -(1 << 30);
  const int last = to ? month_number(to->last_month()) : 1 << 30;
  std::vector<uint8_t> flagged(n, 0);
  for (int t = kMinHistory; t < n; ++t) {
    const int m = month_number(s.start) + t;
    if (m < first || m > last) continue;
    std::vector<double> trailing;  // the known months of the trailing window (a gap is not 0)
    for (int i = std::max(0, t - kTrailing); i < t; ++i)
      if (!is_missing(s.values[i])) trailing.push_back(s.values[i]);
    if (trailing.empty()) continue;
    const double base = median(std::move(trailing));
    flagged[t] = s.values[t] > 0 && s.values[t] > factor * base;
  }
  // Runs of flagged months, a single quiet month inside a run allowed.
  std::optional<std::pair<int, int>> best;
  double best_total = -1;
  for (int t = 0; t < n;) {
    if (!flagged[t]) {
      ++t;
      continue;
    }
    int end = t;
    while (end + 1 < n && (flagged[end + 1] || (end + 2 < n && flagged[end + 2]))) end += flagged[end + 1] ? 1 : 2;
    double total = 0;
    for (int i = t; i <= end; ++i)
      if (!is_missing(s.values[i])) total += s.values[i];
    if (total > best_total) {
      best_total = total;
      best = {t, end};
    }
    t = end + 1;
  }
  if (!best) return std::nullopt;
  return std::make_pair(s.start.plus_months(best->first), s.start.plus_months(best->second));
}

}  // namespace atalaya
