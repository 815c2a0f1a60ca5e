// Series queries over the store.
#include "atalaya/core/error.h"
#include "atalaya/analysis/series_query.h"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>

#include "atalaya/analysis/explain.h"
#include "atalaya/core/country.h"
#include "atalaya/core/text.h"
#include "atalaya/core/vocabulary.h"

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

std::vector<std::string> resolve_value(const std::string& dim, const std::string& v) {
  if (is_country_dimension(dim) && v != "_T") {
    std::string code = citizenship_code(v);
    if (code.empty()) throw Error(ErrorCode::InvalidArgument, dim, unknown_country_message(dim, v));
    return {code};
  }
  if (v == "_T") return {""};  // the total: a key not broken down by this dimension
  if (dim == "event" && v == "encounter") return {"encounter", "apprehension", "inadmissible", "expulsion"};
  return {v};
}

SeriesSelection resolve_selection(const SeriesQuery& q, const std::vector<std::string>& known_sources) {
  SeriesSelection sel;
  sel.vintage = q.vintage;
  for (auto& [dim, values] : q.filters) {
    if (!is_dimension(dim)) throw Error(ErrorCode::InvalidArgument, dim, dim + ": not a dimension (source, reporter, location, citizenship, counterpart, event, demographic, authority)");
    auto& out = sel.dimensions[dim];
    for (auto& v : values)
      for (auto& r : resolve_value(dim, v)) out.push_back(std::move(r));
  }
  for (auto& d : q.by)
    if (!is_dimension(d)) throw Error(ErrorCode::InvalidArgument, "by", "by: '" + d + "' is not a dimension");

  if (auto it = sel.dimensions.find("source"); it != sel.dimensions.end()) {
    std::set<std::string> known(known_sources.begin(), known_sources.end());
    for (auto& src : it->second) {
      if (!known.count(src)) {
        std::string list;
        for (auto& k : known) list += (list.empty() ? "" : ", ") + k;
        throw Error(ErrorCode::InvalidArgument, "source", "source: no source '" + src + "' in the store (it holds: " +
                                    (list.empty() ? "nothing yet" : list) + ")");
      }
    }
  }
  return sel;
}

std::string_view value_state_name(ValueState s) {
  switch (s) {
    case ValueState::Reported: return "reported";
    case ValueState::Suppressed: return "suppressed";
    case ValueState::Missing: return "missing";
  }
  return "reported";
}

std::string SeriesRow::period_text() const {
  return through ? period.to_string() + ".." + through->to_string() : period.to_string();
}

uint32_t key_shape(const SeriesKey& key) {
  uint32_t shape = 0;
  for (size_t d = 1; d < std::size(kDimensions); ++d)
    if (!dimension_value(key, kDimensions[d])->empty()) shape |= 1u << d;
  return shape;
}

namespace {

Period next_period(const Period& p) {
  return Period::from_code(p.code() + (p.frequency() == Frequency::FiscalYear ? 12 : 1));
}

// "2020-01..2020-03, 2020-06, 2020-08..2020-12" from ascending month numbers.
std::string month_ranges(const std::vector<int>& months) {
  std::string out;
  for (size_t i = 0; i < months.size();) {
    size_t j = i;
    while (j + 1 < months.size() && months[j + 1] == months[j] + 1) ++j;
    auto text = [](int m) { return Period::month(m / 12, m % 12 + 1).to_string(); };
    if (!out.empty()) out += ", ";
    out += text(months[i]);
    if (j > i) out += ".." + text(months[j]);
    i = j + 1;
  }
  return out;
}

std::string join(const std::set<std::string>& items) {
  std::string out;
  for (auto& i : items) out += (out.empty() ? "" : ", ") + i;
  return out;
}

// One native-frequency cell of a sub-group: the sum over its series.
struct Cell {
  int64_t value = 0;
  Status status = Status::Final;
  bool reported = false;  // some series has a value here
};

// The series of one answer line: a group (plus source when side by side)
// and one unit.
struct SubGroup {
  std::vector<std::string> group;
  Unit unit = Unit::Events;
  Measure measure = Measure::Flow;
  std::vector<const StoredSeries*> series;
  std::set<std::string> sources;
};

const SourceFacts& facts_of(const SourceFactsMap& facts, const std::string& source) {
  static const SourceFacts none;
  auto it = facts.find(source);
  return it == facts.end() ? none : it->second;
}

// A series counts a flow or a stock as its event's vocabulary entry says;
// an event without one takes its source's declared measure.
Measure measure_of(const StoredSeries& s, const SourceFactsMap& facts) {
  if (auto m = event_measure(s.key.event))
    if (auto parsed = parse_measure(*m)) return *parsed;
  return facts_of(facts, s.key.source).declaration.measure;
}

bool covered(const SourceFacts& f, uint32_t shape, int64_t code) {
  auto it = f.covered.find(shape);
  return it != f.covered.end() && std::binary_search(it->second.begin(), it->second.end(), code);
}

// Refuses a total over sources whose declarations say it would mislead.
void check_summable(const std::vector<std::string>& group, const std::vector<const StoredSeries*>& series,
                    const SourceFactsMap& facts) {
  std::map<std::string, std::set<Unit>> units;
  std::map<std::string, std::set<Measure>> measures;
  for (auto* s : series) {
    units[s->key.source].insert(s->unit);
    measures[s->key.source].insert(measure_of(*s, facts));
  }
  std::vector<std::string> sources;
  for (auto& [src, u] : units) sources.push_back(src);
  std::string where;
  for (auto& g : group) where += (where.empty() ? " for " : "/") + g;
  for (size_t i = 0; i < sources.size(); ++i) {
    for (size_t j = i + 1; j < sources.size(); ++j) {
      const auto& a = facts_of(facts, sources[i]).declaration;
      const auto& b = facts_of(facts, sources[j]).declaration;
      if (sources_overlap(sources[i], a, sources[j], b)) {
        std::string cover = !a.coverage.empty() ? a.coverage : b.coverage;
        throw Error(ErrorCode::InvalidArgument, "", "sum: " + sources[i] + " and " + sources[j] + " overlap" +
            (cover.empty() ? "" : " (both count " + cover + ")") + ": a total" + where +
            " would count the same people twice. Ask for one source (source=" + sources[i] +
            ") or see them side by side (without sum).");
      }
      const auto& ma = measures[sources[i]];
      const auto& mb = measures[sources[j]];
      if (ma.size() == 1 && mb.size() == 1 && *ma.begin() != *mb.begin())
        throw Error(ErrorCode::InvalidArgument, "", "sum: " + sources[i] + " counts a " + std::string(measure_name(*ma.begin())) +
                                    " and " + sources[j] + " a " + std::string(measure_name(*mb.begin())) +
                                    ": a flow over a period and a stock at a date cannot be added. "
                                    "See them side by side (without sum).");
    }
  }
  std::set<Unit> all;
  for (auto& [src, u] : units) all.insert(u.begin(), u.end());
  if (all.size() > 1) {
    std::string list;
    for (auto& [src, u] : units)
      for (Unit x : u) list += (list.empty() ? "" : ", ") + src + " counts " + std::string(unit_name(x));
    throw Error(ErrorCode::InvalidArgument, "", "sum: " + list + ": values in different units cannot be added" + where +
                                ". See them side by side (without sum).");
  }
}

// Refuses to add two series of one source of which one leaves a dimension
// as total that the other gives, while they agree on every dimension both
// give, in a period both cover: each counts (some of) the same people. Cost
// is linear in the series for each pair of key shapes present.
void check_breakdowns(const std::vector<const StoredSeries*>& series) {
  std::map<std::string, std::map<uint32_t, std::vector<const StoredSeries*>>> by_shape;  // source -> shape
  for (auto* s : series) by_shape[s->key.source][key_shape(s->key)].push_back(s);
  for (auto& [src, shapes] : by_shape) {
    if (shapes.size() < 2) continue;
    for (auto a = shapes.begin(); a != shapes.end(); ++a) {
      for (auto b = std::next(a); b != shapes.end(); ++b) {
        const uint32_t both = a->first & b->first;
        auto project = [&](const StoredSeries* s) {
          std::string k;
          for (size_t d = 1; d < std::size(kDimensions); ++d)
            if (both & (1u << d)) k += std::string(*dimension_value(s->key, kDimensions[d])) + '\x1f';
          return k;
        };
        std::map<std::string, const StoredSeries*> seen;
        for (auto* s : b->second) seen.emplace(project(s), s);
        for (auto* s : a->second) {
          auto match = seen.find(project(s));
          if (match == seen.end()) continue;
          // Only where both have values for one period.
          std::vector<int64_t> pa, pb, common;
          for (auto& p : s->points) pa.push_back(p.period.code());
          for (auto& p : match->second->points) pb.push_back(p.period.code());
          std::sort(pa.begin(), pa.end());
          std::sort(pb.begin(), pb.end());
          std::set_intersection(pa.begin(), pa.end(), pb.begin(), pb.end(), std::back_inserter(common));
          if (common.empty()) continue;
          const uint32_t differ = a->first ^ b->first;
          std::string dims;
          for (size_t d = 1; d < std::size(kDimensions); ++d)
            if (differ & (1u << d)) dims += (dims.empty() ? "" : " or ") + std::string(kDimensions[d]);
          auto describe = [](const StoredSeries* x) {
            std::string t;
            for (size_t d = 1; d < std::size(kDimensions); ++d) {
              auto v = *dimension_value(x->key, kDimensions[d]);
              t += (t.empty() ? "" : ", ") + std::string(kDimensions[d]) + "=" + (v.empty() ? "total" : std::string(v));
            }
            return t;
          };
          throw Error(ErrorCode::InvalidArgument, "by", "by: " + src + " publishes " + Period::from_code(common.front()).to_string() +
              " in two breakdowns that count (some of) the same people: " + describe(s) + "; and " +
              describe(match->second) + ". Adding them would count people twice. Group by " + dims +
              " (--by " + dims.substr(0, dims.find(' ')) + "), or select one breakdown (a value, or _T for the total)");
        }
      }
    }
  }
}

// A sub-group's value at one stored period, and why it may have none.
struct Native {
  Period period;
  Cell cell;
  ValueState state = ValueState::Reported;
};

// Every stored period of a sub-group, at each frequency its sources publish,
// from the first covered to the last: the sum of its series where some has a
// value; where none has, what the sources declare an absent key to be in a
// covered period, and missing where a source does not cover it (a gap).
// Periods in `skip` (counted in another unit of the same group) are left out.
std::vector<Native> native_periods(const SubGroup& sg, const SourceFactsMap& facts, const std::set<int64_t>& skip) {
  std::map<int64_t, Cell> cells;
  std::map<std::string, std::set<uint32_t>> shapes;  // source -> key shapes present
  for (const StoredSeries* s : sg.series) {
    shapes[s->key.source].insert(key_shape(s->key));
    for (auto& p : s->points) {
      Cell& c = cells[p.period.code()];
      if (__builtin_add_overflow(c.value, p.value, &c.value))
        throw std::overflow_error("the sum for " + p.period.to_string() + " overflows a 64-bit count");
      c.reported = true;
      if (status_rank(p.status) > status_rank(c.status)) c.status = p.status;
    }
  }
  std::set<int64_t> universe;
  for (auto& [src, sh] : shapes) {
    const SourceFacts& f = facts_of(facts, src);
    for (uint32_t shape : sh)
      if (auto it = f.covered.find(shape); it != f.covered.end()) universe.insert(it->second.begin(), it->second.end());
  }
  for (auto& [code, c] : cells) universe.insert(code);
  std::map<Frequency, std::pair<int64_t, int64_t>> spans;
  for (int64_t code : universe) {
    auto [it, added] = spans.try_emplace(Period::from_code(code).frequency(), code, code);
    if (!added) it->second.second = code;
  }
  std::vector<Native> natives;
  for (auto& [fr, span] : spans) {
    for (Period p = Period::from_code(span.first); p.code() <= span.second; p = next_period(p)) {
      Native n{p, {}, ValueState::Reported};
      if (auto c = cells.find(p.code()); c != cells.end()) n.cell = c->second;
      else if (skip.count(p.code())) continue;
      // Known when every source of the sub-group covers the period with
      // some shape of key the sub-group holds.
      bool complete = true;
      AbsentKey absent = AbsentKey::Zero;
      for (auto& [src, sh] : shapes) {
        const SourceFacts& f = facts_of(facts, src);
        complete = complete && std::any_of(sh.begin(), sh.end(), [&](uint32_t x) { return covered(f, x, p.code()); });
        if (f.declaration.absent != AbsentKey::Zero) absent = f.declaration.absent;
        // An absent key is as settled as the release it is absent from.
        if (!n.cell.reported)
          if (auto u = f.unsettled.find(p.code()); u != f.unsettled.end() && status_rank(u->second) > status_rank(n.cell.status))
            n.cell.status = u->second;
      }
      if (!complete) n.state = ValueState::Missing;  // for a total: some source has nothing here
      else if (!n.cell.reported && absent == AbsentKey::Suppressed) n.state = ValueState::Suppressed;
      else if (!n.cell.reported && absent == AbsentKey::Missing) n.state = ValueState::Missing;
      natives.push_back(n);
    }
  }
  return natives;
}

// What the rows of one answer have in common while they are built.
struct RollUp {
  const SeriesQuery& q;
  Period from_month, to_month;
  std::map<std::string, size_t> left_out;  // frequency code -> values coarser than asked
  bool any_partial = false, any_gap = false;

  explicit RollUp(const SeriesQuery& query)
      : q(query),
        from_month(query.from ? query.from->first_month() : Period()),
        to_month(query.to ? query.to->last_month() : Period()) {}
  bool in_range(const Period& first, const Period& last) const {
    return !(q.from && first < from_month) && !(q.to && to_month < last);
  }
};

// One row from the native periods that make a target period: flows add,
// stocks take their last reported value; partial when some of its months
// are not reported (a stock: when its last month is not).
SeriesRow row_of(const SubGroup& sg, std::vector<const Native*> parts, const Period& first, const Period& last,
                 RollUp& r) {
  std::sort(parts.begin(), parts.end(), [](const Native* a, const Native* b) {
    return a->period.first_month() < b->period.first_month() ||
           (a->period.first_month() == b->period.first_month() && a->period.code() < b->period.code());
  });
  SeriesRow row;
  row.group = sg.group;
  row.unit = sg.unit;
  row.measure = sg.measure;
  std::vector<int> months;
  bool any_suppressed = false;
  const Native* last_known = nullptr;
  int64_t sum = 0;
  for (auto* n : parts) {
    if (n->state == ValueState::Suppressed) any_suppressed = true;
    if (n->state != ValueState::Reported) continue;
    for (int m = month_number(n->period.first_month()); m <= month_number(n->period.last_month()); ++m)
      months.push_back(m);
    if (__builtin_add_overflow(sum, n->cell.value, &sum))
      throw std::overflow_error("the sum for " + first.to_string() + ".." + last.to_string() +
                                " overflows a 64-bit count");
    if (status_rank(n->cell.status) > status_rank(row.status)) row.status = n->cell.status;
    last_known = n;
  }
  if (!last_known) {
    row.state = any_suppressed ? ValueState::Suppressed : ValueState::Missing;
    r.any_gap = r.any_gap || row.state == ValueState::Missing;
    return row;
  }
  std::sort(months.begin(), months.end());
  months.erase(std::unique(months.begin(), months.end()), months.end());
  row.value = sg.measure == Measure::Stock ? last_known->cell.value : sum;
  const bool complete = sg.measure == Measure::Stock
                            ? month_number(last_known->period.last_month()) == month_number(last)
                            : static_cast<int>(months.size()) == month_number(last) - month_number(first) + 1;
  if (!complete || any_suppressed) {
    row.partial = true;
    row.covers = month_ranges(months);
    r.any_partial = true;
  }
  return row;
}

// The sub-group's rows at the frequency asked for, or its one total row.
void add_rows(const SubGroup& sg, const std::vector<Native>& natives, RollUp& r, std::vector<SeriesRow>& rows) {
  const SeriesQuery& q = r.q;
  if (q.total) {
    std::vector<const Native*> parts;
    for (const Native& n : natives)
      if (r.in_range(n.period.first_month(), n.period.last_month())) parts.push_back(&n);
    if (parts.empty()) return;
    auto lo = std::min_element(parts.begin(), parts.end(), [](const Native* a, const Native* b) {
      return a->period.first_month() < b->period.first_month();
    });
    const Native* last = *std::max_element(parts.begin(), parts.end(), [](const Native* a, const Native* b) {
      return a->period.last_month() < b->period.last_month();
    });
    SeriesRow row = row_of(sg, parts, q.from ? r.from_month : (*lo)->period.first_month(),
                           q.to ? r.to_month : last->period.last_month(), r);
    row.period = (*lo)->period;
    row.through = last->period;
    rows.push_back(std::move(row));
    return;
  }
  struct Target {
    Period period;
    std::vector<const Native*> parts;
    bool native = false;  // a part is stored at the target's own frequency
  };
  std::map<std::pair<int, int64_t>, Target> targets;  // (frequency, code)
  for (const Native& n : natives) {
    std::optional<Period> t = q.frequency ? roll_up(n.period, *q.frequency) : n.period;
    if (!t) {
      if (n.cell.reported) ++r.left_out[std::string(frequency_code(n.period.frequency()))];
      continue;
    }
    if (!r.in_range(t->first_month(), t->last_month())) continue;
    Target& tg = targets[{static_cast<int>(t->frequency()), t->code()}];
    tg.period = *t;
    tg.native = tg.native || n.period.frequency() == t->frequency();
    tg.parts.push_back(&n);
  }
  for (auto& [key, tg] : targets) {
    // A period stored at the target's own frequency wins over finer parts
    // of the same period (an annual total beside some of its months).
    std::vector<const Native*> parts;
    for (auto* n : tg.parts)
      if (!tg.native || n->period.frequency() == tg.period.frequency()) parts.push_back(n);
    SeriesRow row = row_of(sg, parts, tg.period.first_month(), tg.period.last_month(), r);
    row.period = tg.period;
    rows.push_back(std::move(row));
  }
}

std::string_view frequency_word(Frequency f) {
  switch (f) {
    case Frequency::Month: return "monthly";
    case Frequency::Quarter: return "quarterly";
    case Frequency::Year: return "annual";
    case Frequency::FiscalYear: return "fiscal-year";
  }
  return "";
}

// An answer with no rows although series matched: the range asked for is
// outside their periods. Says which periods they have, per frequency.
std::string range_note(const std::vector<const StoredSeries*>& stored, const SeriesQuery& q) {
  std::map<Frequency, std::pair<Period, Period>> spans;
  for (auto* s : stored)
    for (auto& p : s->points) {
      auto [it, added] = spans.try_emplace(p.period.frequency(), p.period, p.period);
      if (added) continue;
      if (p.period < it->second.first) it->second.first = p.period;
      if (it->second.second < p.period) it->second.second = p.period;
    }
  std::string asked = q.from && q.to ? "from " + q.from->to_string() + " to " + q.to->to_string()
                      : q.from       ? "from " + q.from->to_string() + " on"
                                     : "up to " + q.to->to_string();
  std::string has;
  for (auto& [f, span] : spans)
    has += (has.empty() ? "" : ", ") + span.first.to_string() + ".." + span.second.to_string() + " (" +
           std::string(frequency_word(f)) + ")";
  return "no values " + asked + ": the selection has periods " + has;
}

// Orders the answer's groups by size, the largest first, and keeps the
// `top` largest. A group's size: per unit and measure, a flow's total over
// its rows or a stock's last value; the largest of those. Missing values
// never count (as 0 or otherwise); a group with none comes last.
void order_by_size(SeriesResult& r, size_t top) {
  struct Acc {
    std::optional<int64_t> sum;
    std::optional<Period> last_at;
    int64_t last = 0;
  };
  std::map<std::vector<std::string>, std::map<std::pair<Unit, Measure>, Acc>> acc;
  std::vector<std::vector<std::string>> groups;
  for (auto& row : r.rows) {
    auto [it, added] = acc.try_emplace(row.group);
    if (added) groups.push_back(row.group);
    if (!row.value) continue;
    Acc& a = it->second[{row.unit, row.measure}];
    if (row.measure == Measure::Flow) {
      int64_t s = a.sum.value_or(0);
      if (__builtin_add_overflow(s, *row.value, &s)) s = INT64_MAX;
      a.sum = s;
    } else {
      const Period end = (row.through ? *row.through : row.period).last_month();
      if (!a.last_at || !(end < *a.last_at)) {
        a.last_at = end;
        a.last = *row.value;
      }
      a.sum = a.last;
    }
  }
  std::map<std::vector<std::string>, std::optional<int64_t>> size;
  for (auto& [g, per] : acc) {
    std::optional<int64_t> best;
    for (auto& [k, a] : per)
      if (a.sum && (!best || *a.sum > *best)) best = a.sum;
    size[g] = best;
  }
  std::stable_sort(groups.begin(), groups.end(), [&](auto& a, auto& b) {
    const auto& sa = size[a];
    const auto& sb = size[b];
    if (sa.has_value() != sb.has_value()) return sa.has_value();
    if (sa && *sa != *sb) return *sa > *sb;
    return a < b;
  });
  const size_t kept = top && top < groups.size() ? top : groups.size();
  std::map<std::vector<std::string>, size_t> rank;
  for (size_t i = 0; i < kept; ++i) rank[groups[i]] = i;
  std::vector<SeriesRow> rows;
  rows.reserve(r.rows.size());
  for (auto& row : r.rows)
    if (rank.count(row.group)) rows.push_back(std::move(row));
  std::stable_sort(rows.begin(), rows.end(),
                   [&](const SeriesRow& a, const SeriesRow& b) { return rank[a.group] < rank[b.group]; });
  r.rows = std::move(rows);
  r.notes.push_back("groups are sorted by size, the largest first (flows: the total over the answer's periods; "
                    "stocks: the last value; a group with no value comes last)");
  if (kept < groups.size())
    r.notes.push_back(std::to_string(groups.size() - kept) + " of " + std::to_string(groups.size()) +
                      " groups left out: only the top " + std::to_string(kept) + " by size are shown");
}

}  // namespace

SeriesResult aggregate_series(const std::vector<const StoredSeries*>& stored, const SeriesQuery& q,
                              const SeriesSelection& sel, const SourceFactsMap& facts) {
  SeriesResult result;
  for (auto& [dim, values] : sel.dimensions)
    if (values.size() == 1) result.fixed[dim] = values.front();
  result.by = q.by;

  // Groups as asked; several sources in one group are answered side by side
  // unless their total is asked for (and allowed).
  std::map<std::vector<std::string>, std::vector<const StoredSeries*>> asked;
  for (const StoredSeries* s : stored) {
    std::vector<std::string> group;
    for (auto& d : q.by) group.emplace_back(*dimension_value(s->key, d));
    asked[group].push_back(s);
  }
  bool several = false;
  std::set<std::string> all_sources;
  for (auto& [g, list] : asked) {
    std::set<std::string> src;
    for (auto* s : list) src.insert(s->key.source);
    all_sources.insert(src.begin(), src.end());
    if (src.size() > 1) several = true;
  }
  result.sources.assign(all_sources.begin(), all_sources.end());
  const bool by_source = std::find(q.by.begin(), q.by.end(), "source") != q.by.end();
  const bool split_source = several && !by_source && !q.sum_sources;
  if (several && !by_source) {
    if (q.sum_sources) {
      for (auto& [g, list] : asked) check_summable(g, list, facts);
    } else {
      result.by.push_back("source");
      result.notes.push_back("answered per source, side by side (" + join(all_sources) +
                             "): their total needs sum (--sum), which is refused where sources overlap or "
                             "count different units or measures");
    }
  }

  // Sub-groups: one per answer line, per unit and per measure (a flow and
  // a stock are never added: they are shown apart).
  std::map<std::tuple<std::vector<std::string>, Unit, Measure>, SubGroup> subgroups;
  for (const StoredSeries* s : stored) {
    std::vector<std::string> group;
    for (auto& d : q.by) group.emplace_back(*dimension_value(s->key, d));
    if (split_source) group.push_back(s->key.source);
    const Measure measure = measure_of(*s, facts);
    SubGroup& sg = subgroups[{group, s->unit, measure}];
    sg.group = group;
    sg.unit = s->unit;
    sg.measure = measure;
    sg.series.push_back(s);
    sg.sources.insert(s->key.source);
  }
  // Where a publisher counted a key in persons one year and in cases
  // another, the other unit's row for that year is not a gap: it is left out.
  using GroupMeasure = std::pair<std::vector<std::string>, Measure>;
  std::map<GroupMeasure, int> units_per_group;
  std::map<std::vector<std::string>, std::set<Measure>> measures_per_group;
  for (auto& [k, sg] : subgroups) {
    ++units_per_group[{sg.group, sg.measure}];
    measures_per_group[sg.group].insert(sg.measure);
  }
  std::map<GroupMeasure, std::set<int64_t>> reported_in_some_unit;
  for (auto& [k, sg] : subgroups)
    if (units_per_group[{sg.group, sg.measure}] > 1)
      for (auto* s : sg.series)
        for (auto& p : s->points) reported_in_some_unit[{sg.group, sg.measure}].insert(p.period.code());

  RollUp r(q);
  for (auto& [k, sg] : subgroups) {
    // Two breakdowns of one source (by citizenship, by sex) are never added.
    check_breakdowns(sg.series);
    const std::vector<Native> natives = native_periods(sg, facts, reported_in_some_unit[{sg.group, sg.measure}]);
    add_rows(sg, natives, r, result.rows);
  }
  std::stable_sort(result.rows.begin(), result.rows.end(), [](const SeriesRow& a, const SeriesRow& b) {
    if (a.group != b.group) return a.group < b.group;
    if (a.measure != b.measure) return a.measure < b.measure;
    if (a.unit != b.unit) return a.unit < b.unit;
    if (a.period.frequency() != b.period.frequency()) return a.period.frequency() < b.period.frequency();
    return a.period.code() < b.period.code();
  });
  if (std::any_of(measures_per_group.begin(), measures_per_group.end(), [](auto& g) { return g.second.size() > 1; }))
    result.notes.push_back("flows (counted over a period) and stocks (counted at a date) are shown apart, "
                           "one row per measure: they are never added");
  for (size_t i = 1; i < result.rows.size(); ++i)
    if (result.rows[i].group == result.rows[i - 1].group && result.rows[i].unit != result.rows[i - 1].unit) {
      result.notes.push_back("values counted in different units (events, persons, cases) are shown apart, "
                             "one row per unit");
      break;
    }
  for (auto& [f, n] : r.left_out)
    result.notes.push_back(thousands(static_cast<int64_t>(n)) + " observations stored at frequency " + f +
                           " are coarser than the frequency asked for and are not shown");
  if (r.any_gap) result.notes.push_back("periods no release covers are missing (shown as –), never 0");
  if (r.any_partial)
    result.notes.push_back("partial periods are rolled up from incomplete sub-periods; each says which months it covers");
  if (result.rows.empty() && !stored.empty() && (q.from || q.to)) result.notes.push_back(range_note(stored, q));
  if (q.sort_by_size || q.top) order_by_size(result, q.top);
  if (!result.rows.empty()) result.unit = result.rows.front().unit;
  else if (!stored.empty()) result.unit = stored.front()->unit;
  return result;
}

SourceFactsMap source_facts(SeriesStore& store, const std::vector<SourceSummary>& summaries,
                            const std::set<std::string>& sources, std::optional<int> vintage) {
  SourceFactsMap facts;
  for (auto& s : summaries) {
    if (!sources.count(s.source)) continue;
    SourceFacts& f = facts[s.source];
    f.declaration = s.declaration;
    for (auto& c : store.covered_periods(s.source, vintage)) {
      f.covered[c.shape].push_back(c.period.code());
      if (c.status != Status::Final) {
        Status& u = f.unsettled.try_emplace(c.period.code(), c.status).first->second;
        if (status_rank(c.status) > status_rank(u)) u = c.status;
      }
    }
    for (auto& [shape, codes] : f.covered) std::sort(codes.begin(), codes.end());
  }
  return facts;
}

SeriesResult run_series_query(SeriesStore& store, const SeriesQuery& q) {
  std::vector<std::string> known;
  auto summaries = store.sources();
  for (auto& s : summaries) known.push_back(s.source);
  SeriesSelection sel = resolve_selection(q, known);
  sel.vintage = q.vintage;
  auto stored = store.select(sel);
  std::vector<const StoredSeries*> ptrs;
  ptrs.reserve(stored.size());
  std::set<std::string> sources;
  for (auto& s : stored) {
    ptrs.push_back(&s);
    sources.insert(s.key.source);
  }
  SeriesResult r = aggregate_series(ptrs, q, sel, source_facts(store, summaries, sources, q.vintage));
  if (stored.empty()) {
    // Says why, from the series the store holds (only an empty answer pays for this).
    auto more = explain_no_series(q, sel, [&store](const SeriesSelection& s) {
      std::vector<SeriesKey> keys;
      for (auto& series : store.select(s)) keys.push_back(std::move(series.key));
      return keys;
    });
    r.notes.insert(r.notes.end(), more.begin(), more.end());
  }
  return r;
}

}  // namespace atalaya
