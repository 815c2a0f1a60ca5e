#include "atalaya/analysis/cube.h"

#include "atalaya/analysis/explain.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

namespace atalaya {
namespace {

// Months since year 0: consecutive months differ by one.
Period month_at(int index) { return Period::month(index / 12, index % 12 + 1); }

std::vector<uint32_t> merge_union(const std::vector<const std::vector<uint32_t>*>& lists) {
  std::vector<uint32_t> out;
  if (lists.size() == 1) return *lists.front();
  for (auto* l : lists) out.insert(out.end(), l->begin(), l->end());
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

int MonthlySeries::index_of(const Period& month) const {
  if (month.frequency() != Frequency::Month || values.empty()) return -1;
  int i = month_number(month) - month_number(start);
  return i >= 0 && i < static_cast<int>(values.size()) ? i : -1;
}

bool MonthlySeries::has_gaps() const {
  return std::any_of(values.begin(), values.end(), [](double v) { return is_missing(v); });
}

MonthlySeries gap_free_tail(const MonthlySeries& s) {
  size_t first = 0;
  for (size_t i = s.values.size(); i-- > 0;)
    if (is_missing(s.values[i])) {
      first = i + 1;
      break;
    }
  if (first == 0) return s;
  MonthlySeries t;
  t.group = s.group;
  t.unit = s.unit;
  t.start = s.start.plus_months(static_cast<int>(first));
  t.values.assign(s.values.begin() + static_cast<long>(first), s.values.end());
  if (s.provisional.size() == s.values.size())
    t.provisional.assign(s.provisional.begin() + static_cast<long>(first), s.provisional.end());
  return t;
}

Cube::Cube(std::vector<StoredSeries> series, std::map<std::string, SourceDeclaration> declarations)
    : series_(std::move(series)) {
  for (auto& [source, d] : declarations) facts_[source].declaration = std::move(d);
  build_index();
}

Cube Cube::load(Store& store) {
  std::map<std::string, SourceDeclaration> declarations;
  for (auto& s : store.sources()) declarations[s.source] = s.declaration;
  return Cube(store.select(SeriesSelection{}), std::move(declarations));
}

void Cube::build_index() {
  index_.assign(std::size(kDimensions), {});
  last_month_.clear();
  for (auto& [source, f] : facts_) {
    f.covered.clear();
    f.unsettled.clear();
  }
  shape_of_.assign(series_.size(), 0);
  for (uint32_t id = 0; id < series_.size(); ++id) {
    const StoredSeries& s = series_[id];
    const uint32_t shape = key_shape(s.key);
    shape_of_[id] = shape;
    SourceFacts& facts = facts_[s.key.source];
    auto& covered = facts.covered[shape];
    for (auto& p : s.points) {
      covered.push_back(p.period.code());
      if (p.status != Status::Final) {
        Status& u = facts.unsettled.try_emplace(p.period.code(), p.status).first->second;
        if (p.status == Status::Provisional) u = Status::Provisional;
      }
    }
    for (size_t d = 0; d < std::size(kDimensions); ++d)
      index_[d][std::string(*dimension_value(s.key, kDimensions[d]))].push_back(id);
    for (auto it = s.points.rbegin(); it != s.points.rend(); ++it) {
      if (it->period.frequency() != Frequency::Month) continue;
      auto [pos, inserted] = last_month_.emplace(s.key.source, it->period);
      if (!inserted && pos->second < it->period) pos->second = it->period;
      break;  // points ascend by period code, so the last monthly one is the latest
    }
  }
  coverage_.clear();
  for (auto& [source, f] : facts_) {
    for (auto& [shape, codes] : f.covered) {
      std::sort(codes.begin(), codes.end());
      codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
      // Months as a bitmap, for the dense monthly groups early warning reads.
      MonthCoverage mc;
      for (int64_t c : codes) {
        Period p = Period::from_code(c);
        if (p.frequency() != Frequency::Month) continue;
        const int m = month_number(p);
        if (mc.months.empty()) mc.first = m;
        mc.months.resize(m - mc.first + 1, 0);
        mc.months[m - mc.first] = 1;
      }
      coverage_[{source, shape}] = std::move(mc);
    }
  }
}

std::vector<std::string> Cube::sources() const {
  std::vector<std::string> out;
  for (auto& [source, ids] : index_.empty() ? decltype(index_)::value_type{} : index_[0]) out.push_back(source);
  std::sort(out.begin(), out.end());
  return out;
}

std::optional<Period> Cube::last_month(const std::string& source) const {
  auto it = last_month_.find(source);
  if (it == last_month_.end()) return std::nullopt;
  return it->second;
}

std::vector<uint32_t> Cube::select(const SeriesSelection& selection) const {
  std::vector<uint32_t> result;
  bool first = true;
  for (auto& [dim, values] : selection.dimensions) {
    auto d = std::find(std::begin(kDimensions), std::end(kDimensions), dim) - std::begin(kDimensions);
    if (d == static_cast<long>(std::size(kDimensions))) throw std::invalid_argument(dim + ": not a dimension");
    std::vector<const std::vector<uint32_t>*> lists;
    for (auto& v : values)
      if (auto it = index_[d].find(v); it != index_[d].end()) lists.push_back(&it->second);
    std::vector<uint32_t> matching = lists.empty() ? std::vector<uint32_t>{} : merge_union(lists);
    if (first) {
      result = std::move(matching);
      first = false;
    } else {
      std::vector<uint32_t> both;
      std::set_intersection(result.begin(), result.end(), matching.begin(), matching.end(),
                            std::back_inserter(both));
      result = std::move(both);
    }
    if (result.empty()) return result;
  }
  if (first) {
    result.resize(series_.size());
    for (uint32_t i = 0; i < result.size(); ++i) result[i] = i;
  }
  return result;
}

SeriesResult Cube::query(const SeriesQuery& q) const {
  if (q.vintage) throw std::invalid_argument("vintage: the cube holds the latest view only");
  SeriesSelection sel = resolve_selection(q, sources());
  std::vector<const StoredSeries*> chosen;
  for (uint32_t id : select(sel)) chosen.push_back(&series_[id]);
  SeriesResult r = aggregate_series(chosen, q, sel, facts_);
  if (chosen.empty()) {
    auto more = explain_no_series(q, sel, [this](const SeriesSelection& s) {
      std::vector<SeriesKey> keys;
      for (uint32_t id : select(s)) keys.push_back(series_[id].key);
      return keys;
    });
    r.notes.insert(r.notes.end(), more.begin(), more.end());
  }
  return r;
}

std::vector<MonthlySeries> Cube::monthly(const SeriesQuery& q) const {
  SeriesSelection sel = resolve_selection(q, sources());
  struct Group {
    MonthlySeries out;
    int first = 0, last = -1;   // month indices of the dense span
    int end = 0;                // min over contributing sources of their last month
    std::vector<uint32_t> ids;
  };
  std::unordered_map<std::string, size_t> group_of;
  std::vector<Group> groups;
  const int from = q.from ? month_number(q.from->first_month()) : 0;
  const int to = q.to ? month_number(q.to->last_month()) : 1 << 30;
  std::string label;
  for (uint32_t id : select(sel)) {
    const StoredSeries& s = series_[id];
    auto source_end = last_month_.find(s.key.source);
    if (source_end == last_month_.end()) continue;  // no monthly data in this source
    label.clear();
    for (auto& d : q.by) {
      label += *dimension_value(s.key, d);
      label += '\x1f';
    }
    auto [it, inserted] = group_of.emplace(label, groups.size());
    if (inserted) {
      groups.emplace_back();
      Group& g = groups.back();
      for (auto& d : q.by) g.out.group.emplace_back(*dimension_value(s.key, d));
      g.out.unit = s.unit;
      g.first = 1 << 30;
      g.end = 1 << 30;
    }
    Group& g = groups[it->second];
    g.ids.push_back(id);
    g.end = std::min(g.end, month_number(source_end->second));
    for (auto& p : s.points) {
      if (p.period.frequency() != Frequency::Month) continue;
      g.first = std::min(g.first, month_number(p.period));
      break;
    }
  }
  // Series of several sources are never added into one month (they may
  // count the same people, or other units): such a selection is refused.
  for (const Group& g : groups) {
    const std::string& first_source = series_[g.ids.front()].key.source;
    for (uint32_t id : g.ids) {
      const std::string& other = series_[id].key.source;
      if (other == first_source) continue;
      throw std::invalid_argument("source: the selection adds series of " + first_source + " and " + other +
                                  ", and series of several sources are never added (they may count the same "
                                  "people, or other units): pick one source, or group by source");
    }
  }
  const double kMissing = std::numeric_limits<double>::quiet_NaN();
  std::vector<uint8_t> incomplete, covered_by_source;
  std::vector<std::pair<const std::string*, uint32_t>> parts;  // (source, shape) of a group's series
  std::vector<MonthlySeries> out;
  for (Group& g : groups) {
    int first = std::max(g.first, from);
    int last = std::min(g.end, to);
    if (first > last) continue;
    const size_t n = static_cast<size_t>(last - first + 1);
    g.out.start = month_at(first);
    g.out.provisional.assign(n, 0);
    // A month is known when every (source, shape) of the group covers it;
    // then an absent key is 0, unless its source withholds or omits values.
    parts.clear();
    for (uint32_t id : g.ids) parts.emplace_back(&series_[id].key.source, shape_of_[id]);
    std::sort(parts.begin(), parts.end(), [](auto& a, auto& b) {
      return *a.first < *b.first || (*a.first == *b.first && a.second < b.second);
    });
    parts.erase(std::unique(parts.begin(), parts.end(),
                            [](auto& a, auto& b) { return *a.first == *b.first && a.second == b.second; }),
                parts.end());
    // Known where each source covers the month with some shape of key the
    // group holds (a file with totals before 2019-10 and citizenships after
    // covers every month once).
    incomplete.assign(n, 0);
    bool absent_is_zero = true;
    for (size_t a = 0; a < parts.size();) {
      size_t b = a;
      while (b < parts.size() && *parts[b].first == *parts[a].first) ++b;
      auto f = facts_.find(*parts[a].first);
      if (f != facts_.end() && f->second.declaration.absent != AbsentKey::Zero) absent_is_zero = false;
      covered_by_source.assign(n, 0);
      for (size_t k = a; k < b; ++k) {
        auto c = coverage_.find({*parts[k].first, parts[k].second});
        if (c == coverage_.end()) continue;
        for (size_t i = 0; i < n; ++i) {
          const int m = first + static_cast<int>(i) - c->second.first;
          if (m >= 0 && m < static_cast<int>(c->second.months.size()) && c->second.months[m]) covered_by_source[i] = 1;
        }
      }
      for (size_t i = 0; i < n; ++i)
        if (!covered_by_source[i]) incomplete[i] = 1;
      a = b;
    }
    g.out.values.assign(n, absent_is_zero ? 0.0 : kMissing);
    for (uint32_t id : g.ids) {
      for (auto& p : series_[id].points) {
        if (p.period.frequency() != Frequency::Month) continue;
        int i = month_number(p.period) - first;
        if (i < 0 || i > last - first) continue;
        double& v = g.out.values[i];
        v = is_missing(v) ? static_cast<double>(p.value) : v + static_cast<double>(p.value);
        if (p.status == Status::Provisional) g.out.provisional[i] = 1;
      }
    }
    for (size_t i = 0; i < n; ++i)
      if (incomplete[i]) g.out.values[i] = kMissing;
    out.push_back(std::move(g.out));
  }
  std::sort(out.begin(), out.end(), [](const MonthlySeries& a, const MonthlySeries& b) { return a.group < b.group; });
  return out;
}

Cube Cube::as_of(const Period& month) const {
  const int64_t cut = month.last_month().code();
  std::vector<StoredSeries> kept;
  kept.reserve(series_.size());
  for (auto& s : series_) {
    StoredSeries t;
    t.key = s.key;
    t.unit = s.unit;
    for (auto& p : s.points)
      if (p.period.last_month().code() <= cut) t.points.push_back(p);
    if (!t.points.empty()) kept.push_back(std::move(t));
  }
  std::map<std::string, SourceDeclaration> declarations;
  for (auto& [source, f] : facts_) declarations[source] = f.declaration;
  return Cube(std::move(kept), std::move(declarations));
}

}  // namespace atalaya
