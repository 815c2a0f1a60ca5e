#include "atalaya/core/error.h"
#include "atalaya/analysis/cube.h"

#include "atalaya/analysis/explain.h"

#include <algorithm>
#include <bit>
#include <iterator>
#include <string_view>
#include <unordered_map>
#include <limits>
#include <stdexcept>

namespace atalaya {
namespace {

// Months since year 0: consecutive months differ by one.
Period month_at(int index) { return Period::month(index / 12, index % 12 + 1); }

// The union of ascending id lists, ascending; ids below `n`.
std::vector<uint32_t> merge_union(const std::vector<const std::vector<uint32_t>*>& lists, size_t n) {
  if (lists.empty()) return {};
  if (lists.size() == 1) return *lists.front();
  size_t total = 0;
  for (auto* l : lists) total += l->size();
  if (total < n / 16) {  // few ids: sort them rather than scan a mark per series
    std::vector<uint32_t> out;
    for (auto* l : lists) out.insert(out.end(), l->begin(), l->end());
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }
  std::vector<uint8_t> marked(n, 0);
  for (auto* l : lists)
    for (uint32_t id : *l) marked[id] = 1;
  std::vector<uint32_t> out;
  for (uint32_t id = 0; id < n; ++id)
    if (marked[id]) out.push_back(id);
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

Cube Cube::load(SeriesStore& store) {
  std::map<std::string, SourceDeclaration> declarations;
  for (auto& s : store.sources()) declarations[s.source] = s.declaration;
  return Cube(store.select(SeriesSelection{}), std::move(declarations));
}

void Cube::build_index() {
  constexpr size_t kDims = std::size(kDimensions);
  const uint32_t n = static_cast<uint32_t>(series_.size());
  last_month_.clear();
  for (auto& [source, f] : facts_) {
    f.covered.clear();
    f.unsettled.clear();
  }

  // Dimension values interned: each series' values as ranks in the sorted
  // list of the dimension's distinct values (a rank orders like its value).
  values_.assign(kDims, {});
  ids_of_value_.assign(kDims, {});
  ranks_.assign(static_cast<size_t>(n) * kDims, 0);
  for (size_t d = 0; d < kDims; ++d) {
    std::unordered_map<std::string_view, uint32_t> seen;
    std::vector<std::string_view> distinct;
    for (uint32_t id = 0; id < n; ++id) {
      const std::string_view v = *dimension_value(series_[id].key, kDimensions[d]);
      auto [it, inserted] = seen.try_emplace(v, static_cast<uint32_t>(distinct.size()));
      if (inserted) distinct.push_back(v);
      ranks_[id * kDims + d] = it->second;
    }
    std::vector<uint32_t> order(distinct.size());
    for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return distinct[a] < distinct[b]; });
    std::vector<uint32_t> rank_of(distinct.size());
    for (uint32_t r = 0; r < order.size(); ++r) {
      rank_of[order[r]] = r;
      values_[d].emplace_back(distinct[order[r]]);
    }
    ids_of_value_[d].assign(distinct.size(), {});
    for (uint32_t id = 0; id < n; ++id) {
      uint32_t& r = ranks_[id * kDims + d];
      r = rank_of[r];
      ids_of_value_[d][r].push_back(id);
    }
  }

  // Per source (rank in dimension 0): its facts, and the covered periods of
  // each key shape, merged series by series (most series of a source cover
  // the same periods, so a merge is rarely needed).
  const size_t n_sources = values_[0].size();
  std::vector<SourceFacts*> facts_of(n_sources);
  for (size_t r = 0; r < n_sources; ++r) facts_of[r] = &facts_[values_[0][r]];
  shape_of_.assign(n, 0);
  first_month_.assign(n, kNoMonth);
  monthly_begin_.assign(n, 0);
  monthly_end_.assign(n, 0);
  std::vector<int64_t> codes, merged;
  for (uint32_t id = 0; id < n; ++id) {
    const StoredSeries& s = series_[id];
    const uint32_t shape = key_shape(s.key);
    shape_of_[id] = shape;
    SourceFacts& facts = *facts_of[ranks_[id * kDims]];
    codes.clear();
    for (auto& p : s.points) {
      codes.push_back(p.period.code());
      if (p.status != Status::Final) {
        Status& u = facts.unsettled.try_emplace(p.period.code(), p.status).first->second;
        if (p.status == Status::Provisional) u = Status::Provisional;
      }
    }
    if (!std::is_sorted(codes.begin(), codes.end())) std::sort(codes.begin(), codes.end());
    codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
    auto& covered = facts.covered[shape];
    if (!std::includes(covered.begin(), covered.end(), codes.begin(), codes.end())) {
      merged.clear();
      std::set_union(covered.begin(), covered.end(), codes.begin(), codes.end(), std::back_inserter(merged));
      covered.swap(merged);
    }

    // Where the monthly points are: one run of ascending months, or (points
    // in another order) anywhere.
    uint32_t begin = 0, end = 0;
    bool run = true;
    for (uint32_t i = 0; i < s.points.size(); ++i) {
      if (s.points[i].period.frequency() != Frequency::Month) continue;
      if (first_month_[id] == kNoMonth) {
        first_month_[id] = month_number(s.points[i].period);
        begin = i;
      } else if (end != i || month_number(s.points[i].period) <= month_number(s.points[i - 1].period)) {
        run = false;
      }
      end = i + 1;
    }
    monthly_begin_[id] = run ? begin : 1;
    monthly_end_[id] = run ? end : 0;
    for (auto it = s.points.rbegin(); it != s.points.rend(); ++it) {
      if (it->period.frequency() != Frequency::Month) continue;
      auto [pos, inserted] = last_month_.emplace(s.key.source, it->period);
      if (!inserted && pos->second < it->period) pos->second = it->period;
      break;  // points ascend by period code, so the last monthly one is the latest
    }
  }

  source_months_.assign(n_sources, {});
  for (size_t r = 0; r < n_sources; ++r) {
    SourceMonths& sm = source_months_[r];
    if (auto it = last_month_.find(values_[0][r]); it != last_month_.end()) sm.last = month_number(it->second);
    sm.absent_is_zero = facts_of[r]->declaration.absent == AbsentKey::Zero;
    for (auto& [shape, codes_of_shape] : facts_of[r]->covered) {
      // Months as a bitmap, for the dense monthly groups early warning reads.
      MonthCoverage mc;
      mc.shape = shape;
      for (int64_t c : codes_of_shape) {
        Period p = Period::from_code(c);
        if (p.frequency() != Frequency::Month) continue;
        const int m = month_number(p);
        if (mc.months.empty()) mc.first = m;
        mc.months.resize(m - mc.first + 1, 0);
        mc.months[m - mc.first] = 1;
      }
      sm.coverage.push_back(std::move(mc));
    }
  }
}

std::vector<std::string> Cube::sources() const { return values_.empty() ? std::vector<std::string>{} : values_[0]; }

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
    if (d == static_cast<long>(std::size(kDimensions))) throw Error(ErrorCode::InvalidArgument, dim, dim + ": not a dimension");
    std::vector<const std::vector<uint32_t>*> lists;
    if (!values_.empty())
      for (auto& v : values) {
        const auto& known = values_[d];
        auto it = std::lower_bound(known.begin(), known.end(), v);
        if (it != known.end() && *it == v) lists.push_back(&ids_of_value_[d][it - known.begin()]);
      }
    std::vector<uint32_t> matching = merge_union(lists, series_.size());
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
  if (q.vintage) throw Error(ErrorCode::InvalidArgument, "vintage", "vintage: the cube holds the latest view only");
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

MonthlyGroups Cube::monthly_groups(const SeriesQuery& q) const {
  constexpr size_t kDims = std::size(kDimensions);
  SeriesSelection sel = resolve_selection(q, sources());
  MonthlyGroups out;
  out.cube_ = this;
  for (auto& b : q.by)
    out.by_.push_back(static_cast<uint8_t>(std::find(std::begin(kDimensions), std::end(kDimensions), b) -
                                           std::begin(kDimensions)));
  // The selected series of sources with monthly data, ordered by their
  // group's values (as ranks; packed into one integer when they fit) and
  // then by id.
  std::vector<uint32_t> ids;
  for (uint32_t id : select(sel))
    if (source_months_[ranks_[id * kDims]].last != kNoMonth) ids.push_back(id);
  if (ids.empty()) return out;
  auto same_group = [&](uint32_t a, uint32_t b) {
    for (uint8_t d : out.by_)
      if (ranks_[a * kDims + d] != ranks_[b * kDims + d]) return false;
    return true;
  };
  int bits = 0;
  for (uint8_t d : out.by_) bits += std::bit_width(values_[d].size());
  if (bits <= 32) {
    std::vector<uint64_t> keyed(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      uint64_t k = 0;
      for (uint8_t d : out.by_) k = (k << std::bit_width(values_[d].size())) | ranks_[ids[i] * kDims + d];
      keyed[i] = k << 32 | ids[i];
    }
    std::sort(keyed.begin(), keyed.end());
    for (size_t i = 0; i < ids.size(); ++i) ids[i] = static_cast<uint32_t>(keyed[i]);
  } else {
    std::sort(ids.begin(), ids.end(), [&](uint32_t a, uint32_t b) {
      for (uint8_t d : out.by_)
        if (ranks_[a * kDims + d] != ranks_[b * kDims + d]) return ranks_[a * kDims + d] < ranks_[b * kDims + d];
      return a < b;
    });
  }

  // Series of several sources are never added into one month (they may
  // count the same people, or other units): such a selection is refused,
  // naming the group met first in id order.
  uint32_t refused = std::numeric_limits<uint32_t>::max(), other = 0;
  for (size_t a = 0; a < ids.size();) {
    size_t b = a + 1;
    while (b < ids.size() && same_group(ids[a], ids[b])) ++b;
    const uint32_t source = ranks_[ids[a] * kDims];
    for (size_t k = a + 1; k < b; ++k)
      if (ranks_[ids[k] * kDims] != source) {
        if (ids[a] < refused) refused = ids[a], other = ids[k];
        break;
      }
    a = b;
  }
  if (refused != std::numeric_limits<uint32_t>::max())
    throw Error(ErrorCode::InvalidArgument, "source", "source: the selection adds series of " + series_[refused].key.source + " and " +
                                series_[other].key.source +
                                ", and series of several sources are never added (they may count the same "
                                "people, or other units): pick one source, or group by source");

  // A group spans from its first monthly value to its source's last month,
  // clipped to from/to; a group with no month in that span is left out.
  const int from = q.from ? month_number(q.from->first_month()) : 0;
  const int to = q.to ? month_number(q.to->last_month()) : 1 << 30;
  for (size_t a = 0; a < ids.size();) {
    size_t b = a + 1;
    while (b < ids.size() && same_group(ids[a], ids[b])) ++b;
    int first = kNoMonth;
    for (size_t k = a; k < b; ++k) first = std::min(first, first_month_[ids[k]]);
    MonthlyGroups::Group g;
    g.begin = static_cast<uint32_t>(out.ids_.size());
    g.first = std::max(first, from);
    g.last = std::min(source_months_[ranks_[ids[a] * kDims]].last, to);
    if (g.first <= g.last) {
      out.ids_.insert(out.ids_.end(), ids.begin() + static_cast<long>(a), ids.begin() + static_cast<long>(b));
      g.end = static_cast<uint32_t>(out.ids_.size());
      out.groups_.push_back(g);
    }
    a = b;
  }
  return out;
}

std::vector<MonthlySeries> Cube::monthly(const SeriesQuery& q) const {
  const MonthlyGroups groups = monthly_groups(q);
  std::vector<MonthlySeries> out;
  out.reserve(groups.size());
  for (size_t g = 0; g < groups.size(); ++g) out.push_back(groups.series(g));
  return out;
}

std::vector<std::string> MonthlyGroups::group(size_t g) const {
  constexpr size_t kDims = std::size(kDimensions);
  std::vector<std::string> out;
  out.reserve(by_.size());
  const uint32_t id = ids_[groups_[g].begin];
  for (uint8_t d : by_) out.push_back(cube_->values_[d][cube_->ranks_[id * kDims + d]]);
  return out;
}

Period MonthlyGroups::start(size_t g) const { return month_at(groups_[g].first); }
Period MonthlyGroups::end(size_t g) const { return month_at(groups_[g].last); }

// A month is known when the group's source covers it with some shape of key
// the group holds (a file with totals before 2019-10 and citizenships after
// covers every month once); then an absent key is 0, unless the source
// withholds or omits values. These are the coverages of those shapes.
std::vector<const cube_detail::MonthCoverage*> MonthlyGroups::coverage(const Group& g) const {
  const auto& all = cube_->source_months_[cube_->ranks_[ids_[g.begin] * std::size(kDimensions)]].coverage;
  std::vector<const cube_detail::MonthCoverage*> out;
  uint32_t last_shape = 0;
  for (uint32_t k = g.begin; k < g.end; ++k) {
    const uint32_t shape = cube_->shape_of_[ids_[k]];
    if (k > g.begin && shape == last_shape) continue;  // the common case: one shape
    last_shape = shape;
    for (const auto& c : all)
      if (c.shape == shape && std::find(out.begin(), out.end(), &c) == out.end()) out.push_back(&c);
  }
  return out;
}

bool MonthlyGroups::covered(const std::vector<const cube_detail::MonthCoverage*>& coverage, int m) {
  for (const cube_detail::MonthCoverage* c : coverage) {
    const int i = m - c->first;
    if (i >= 0 && i < static_cast<int>(c->months.size()) && c->months[static_cast<size_t>(i)]) return true;
  }
  return false;
}

double MonthlyGroups::latest(size_t g) const {
  const Group& gr = groups_[g];
  const double kMissing = std::numeric_limits<double>::quiet_NaN();
  if (!covered(coverage(gr), gr.last)) return kMissing;
  const Cube& c = *cube_;
  double v = c.source_months_[c.ranks_[ids_[gr.begin] * std::size(kDimensions)]].absent_is_zero ? 0.0 : kMissing;
  for (uint32_t k = gr.begin; k < gr.end; ++k) {
    const uint32_t id = ids_[k];
    const auto& points = c.series_[id].points;
    const bool run = c.monthly_end_[id] >= c.monthly_begin_[id];
    // In a run, the month's point (if any) is among the last ones.
    for (uint32_t i = run ? c.monthly_end_[id] : static_cast<uint32_t>(points.size()); i-- > (run ? c.monthly_begin_[id] : 0);) {
      const StoredPoint& p = points[i];
      if (p.period.frequency() != Frequency::Month) continue;
      const int m = month_number(p.period);
      if (m == gr.last) v = is_missing(v) ? static_cast<double>(p.value) : v + static_cast<double>(p.value);
      if (run && m <= gr.last) break;
    }
  }
  return v;
}

MonthlySeries MonthlyGroups::series(size_t g) const {
  const Group& gr = groups_[g];
  const Cube& c = *cube_;
  const double kMissing = std::numeric_limits<double>::quiet_NaN();
  MonthlySeries out;
  out.group = group(g);
  out.start = month_at(gr.first);
  out.unit = c.series_[ids_[gr.begin]].unit;
  const size_t n = static_cast<size_t>(gr.last - gr.first + 1);
  out.provisional.assign(n, 0);
  out.values.assign(n, c.source_months_[c.ranks_[ids_[gr.begin] * std::size(kDimensions)]].absent_is_zero ? 0.0
                                                                                                           : kMissing);
  for (uint32_t k = gr.begin; k < gr.end; ++k) {
    const uint32_t id = ids_[k];
    const auto& points = c.series_[id].points;
    const bool run = c.monthly_end_[id] >= c.monthly_begin_[id];
    const uint32_t begin = run ? c.monthly_begin_[id] : 0, end = run ? c.monthly_end_[id] : static_cast<uint32_t>(points.size());
    for (uint32_t j = begin; j < end; ++j) {
      const StoredPoint& p = points[j];
      if (p.period.frequency() != Frequency::Month) continue;
      const int i = month_number(p.period) - gr.first;
      if (i < 0 || i >= static_cast<int>(n)) continue;
      double& v = out.values[static_cast<size_t>(i)];
      v = is_missing(v) ? static_cast<double>(p.value) : v + static_cast<double>(p.value);
      if (p.status == Status::Provisional) out.provisional[static_cast<size_t>(i)] = 1;
    }
  }
  // Where the source does not cover a month for any shape of the group's keys, the month is missing.
  const auto cov = coverage(gr);
  for (size_t i = 0; i < n; ++i)
    if (!covered(cov, gr.first + static_cast<int>(i))) out.values[i] = kMissing;
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
