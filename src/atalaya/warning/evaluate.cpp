#include "atalaya/warning/evaluate.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <unordered_set>
#include <span>

#include "atalaya/analysis/route.h"
#include "atalaya/core/country.h"

namespace atalaya {
namespace {

std::map<std::string, std::string> key_of(const std::vector<std::string>& by, const std::vector<std::string>& group) {
  std::map<std::string, std::string> key;
  for (size_t i = 0; i < by.size(); ++i) key[by[i]] = group[i];
  return key;
}

// Whether the rule looks for rises only (then a latest value below the
// minimum volume cannot fire, and the rule's work can be skipped).
bool looks_up_only(const TriggerRule& rule) {
  return std::visit([](const auto& r) { return r.direction == Direction::Up; }, rule);
}

AlertEvidence evidence_of(const Detection& d, const MonthlySeries& s, int months) {
  AlertEvidence e;
  e.value = d.value;
  e.baseline = d.baseline;
  e.threshold = d.threshold;
  e.score = d.score;
  e.explanation = d.explanation;
  e.message = d.message;
  size_t n = std::min<size_t>(s.values.size(), static_cast<size_t>(std::max(1, months)));
  e.recent.assign(s.values.end() - static_cast<long>(n), s.values.end());
  e.recent_start = s.start.plus_months(static_cast<int>(s.values.size() - n));
  return e;
}

std::vector<std::string> key_texts(const std::vector<std::string>& by, const std::vector<MonthlySeries>& series);
inline std::vector<std::string> key_texts_of(const std::vector<std::string>& by, const std::vector<MonthlySeries>& series) {
  return key_texts(by, series);
}

// The months after the last missing one.
std::span<const double> known_tail(const std::vector<double>& values) {
  size_t first = values.size();
  while (first > 0 && !is_missing(values[first - 1])) --first;
  return std::span<const double>(values.data() + first, values.size() - first);
}

// Selections shared by several triggers are grouped once.
class GroupCache {
 public:
  explicit GroupCache(const Cube& cube) : cube_(cube) {}
  const std::vector<MonthlySeries>& monthly(const SeriesQuery& q) {
    std::string k;
    for (auto& [dim, values] : q.filters) {
      k += dim + "=";
      for (auto& v : values) k += v + ",";
      k += ";";
    }
    k += "|";
    for (auto& b : q.by) k += b + ",";
    auto it = cache_.find(k);
    if (it == cache_.end()) {
      auto series = cube_.monthly(q);
      auto texts = key_texts_of(q.by, series);
      it = cache_.emplace(k, Entry{std::move(series), std::move(texts)}).first;
    }
    last_ = &it->second;
    return it->second.series;
  }
  // The key texts of the groups monthly(q) returned last (call right after it).
  const std::vector<std::string>& key_texts(const SeriesQuery&) const { return last_->keys; }

 private:
  struct Entry {
    std::vector<MonthlySeries> series;
    std::vector<std::string> keys;
  };
  const Cube& cube_;
  std::map<std::string, Entry> cache_;
  const Entry* last_ = nullptr;
};

// The key text of each group (as Alert::key_text() would write it: dimensions
// in name order), built once per selection, not once per trigger.
std::vector<std::string> key_texts(const std::vector<std::string>& by, const std::vector<MonthlySeries>& series) {
  std::vector<size_t> order(by.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return by[a] < by[b]; });
  std::vector<std::string> out;
  out.reserve(series.size());
  for (const MonthlySeries& s : series) {
    std::string k;
    for (size_t i : order) {
      if (!k.empty()) k += ';';
      k += by[i];
      k += '=';
      k += s.group[i];
    }
    out.push_back(std::move(k));
  }
  return out;
}

// trigger id -> key texts whose evaluation must be recorded; nullptr: all.
using WantedKeys = std::unordered_map<std::string, std::unordered_set<std::string>>;

void evaluate_series_trigger(const Trigger& t, GroupCache& groups, int evidence_months, const WantedKeys* wanted,
                             Evaluation& out) {
  const auto& series = groups.monthly(t.selection);
  const auto& keys = groups.key_texts(t.selection);
  const bool up_only = looks_up_only(t.detector);
  const std::unordered_set<std::string>* record = nullptr;
  if (wanted) {
    auto it = wanted->find(t.id);
    if (it != wanted->end()) record = &it->second;
  } else {
    out.evaluated.reserve(out.evaluated.size() + series.size());
  }
  for (size_t g = 0; g < series.size(); ++g) {
    // Detectors read consecutive months: a series is judged on the months
    // after its last gap, never with a missing month read as 0.
    const MonthlySeries& s = series[g];
    if (s.values.empty() || is_missing(s.values.back())) continue;
    const std::span<const double> judged = known_tail(s.values);
    const Period month = s.end();
    if (!wanted || (record && record->count(keys[g]))) out.evaluated.emplace(evaluated_key(t.id, keys[g]), month);
    // A rise must reach the minimum volume; skip the rule's work when it cannot.
    if (s.values.back() < t.minimum_volume && t.rule != RuleType::Threshold && up_only) {
      ++out.below_volume;
      continue;
    }
    ++out.series_evaluated;
    auto d = detect(judged, t.detector);
    if (!d || !d->fired) continue;
    Firing f;
    f.trigger = t.id;
    f.trigger_name = t.name;
    f.rule = std::string(rule_type_name(t.rule));
    f.key = key_of(t.selection.by, s.group);
    f.period = month;
    f.severity = t.severity;
    f.evidence = evidence_of(*d, s, evidence_months);
    f.evidence.trigger_name_es = t.name_es;
    out.firings.push_back(std::move(f));
  }
}

std::string citizenship_label(const std::string& code) {
  const Country* c = find_country(code);
  return c ? std::string(c->name_en) : code;
}
std::string citizenship_label_es(const std::string& code) {
  const Country* c = find_country(code);
  return c ? std::string(c->name_es) : code;
}

// A surge of a citizenship at an upstream checkpoint projects an arrival
// window at every later checkpoint, from the route's lags estimated on the
// data up to the month of the surge. The most upstream checkpoint that fires
// gives the projection (it is the earliest warning).
void evaluate_upstream_trigger(const Trigger& t, const Cube& cube, int evidence_months, const WantedKeys* wanted,
                               Evaluation& out) {
  const bool record_all = !wanted;
  const bool record_some = wanted && wanted->count(t.id);
  const Route& route = *t.route;
  const auto& cps = route.checkpoints;
  std::map<std::string, RouteLags> lags_by_citizenship;
  std::set<std::string> projected;  // checkpoint index + citizenship already given a window in this run
  for (size_t i = 0; i + 1 < cps.size(); ++i) {
    const std::string source = checkpoint_source(cube, cps[i]);
    if (source.empty()) continue;
    SeriesQuery q;
    q.filters = cps[i].selection;
    q.filters["source"] = {source};
    q.by = {"citizenship"};
    for (const MonthlySeries& s : cube.monthly(q)) {
      if (s.values.empty() || is_missing(s.values.back())) continue;
      const std::string& citizenship = s.group[0];
      const Period month = s.end();
      auto key_for = [&](size_t j) {
        return std::map<std::string, std::string>{
            {"route", route.id}, {"checkpoint", cps[j].id}, {"citizenship", citizenship}};
      };
      for (size_t j = i + 1; j < cps.size() && (record_all || record_some); ++j) {
        const std::string text = key_text(key_for(j));
        if (record_some && !wanted->at(t.id).count(text)) continue;
        std::string k = evaluated_key(t.id, text);
        auto it = out.evaluated.find(k);
        if (it == out.evaluated.end() || it->second < month) out.evaluated[k] = month;
      }
      if (s.values.back() < t.minimum_volume && looks_up_only(t.detector)) {
        ++out.below_volume;
        continue;
      }
      ++out.series_evaluated;
      auto d = detect(known_tail(s.values), t.detector);
      if (!d || !d->fired) continue;
      auto lag_it = lags_by_citizenship.find(citizenship);
      if (lag_it == lags_by_citizenship.end())
        lag_it = lags_by_citizenship.emplace(citizenship, estimate_route_lags(cube, route, citizenship, month)).first;
      const RouteLags& lags = lag_it->second;
      for (size_t j = i + 1; j < cps.size(); ++j) {
        std::string done = std::to_string(j) + "/" + citizenship;
        if (!projected.insert(done).second) continue;
        // Only the stretch from i to j: the hops before i do not widen the window.
        const CumulativeLag at_j = lag_between(lags, i, j);
        int months = std::max(0, at_j.months);
        int low = std::max(0, at_j.low);
        int high = std::max(low, at_j.high);
        Firing f;
        f.trigger = t.id;
        f.trigger_name = t.name;
        f.rule = "upstream";
        f.key = key_for(j);
        f.period = month;
        f.severity = t.severity;
        f.evidence = evidence_of(*d, s, evidence_months);
        f.evidence.trigger_name_es = t.name_es;
    f.evidence.trigger_name_es = t.name_es;
        f.evidence.source_checkpoint = cps[i].id;
        f.window_from = month.plus_months(low);
        f.window_to = month.plus_months(high);
        std::string basis;
        for (auto& hop : lags.hops)
          if (hop.from >= i && hop.to <= j && hop.to > hop.from) basis = basis.empty() ? hop.basis : basis;
        f.evidence.message = Message(at_j.from_data ? "upstream.projection.data" : "upstream.projection.declared")
                                 .local("checkpoint", cps[i].name, cps[i].name_es)
                                 .local("citizenship", citizenship_label(citizenship), citizenship_label_es(citizenship))
                                 .nested("detail", d->message)
                                 .local("downstream", cps[j].name, cps[j].name_es)
                                 .text("from", f.window_from->to_string())
                                 .text("to", f.window_to->to_string())
                                 .num("months", months)
                                 .num("low", low)
                                 .num("high", high)
                                 .text("through", month.to_string());
        f.evidence.explanation = render(f.evidence.message, Language::En);
        out.firings.push_back(std::move(f));
      }
    }
  }
  for (size_t i = 0; i < cps.size(); ++i)
    if (checkpoint_source(cube, cps[i]).empty())
      out.notes.push_back(render(Message("evaluate.checkpoint_without_data").text("route", route.id).text("checkpoint", cps[i].name),
                                 Language::En));
}

}  // namespace

Evaluation evaluate_triggers(const Cube& cube, const TriggerSet& set, const std::vector<Alert>* active) {
  Evaluation out;
  GroupCache groups(cube);
  WantedKeys wanted_keys;
  if (active)
    for (const Alert& a : *active) wanted_keys[a.trigger].insert(a.key_text());
  const WantedKeys* wanted = active ? &wanted_keys : nullptr;
  for (const Trigger& t : set.triggers) {
    if (t.rule == RuleType::Upstream) {
      evaluate_upstream_trigger(t, cube, set.evidence_months, wanted, out);
    } else {
      evaluate_series_trigger(t, groups, set.evidence_months, wanted, out);
    }
  }
  std::sort(out.notes.begin(), out.notes.end());
  out.notes.erase(std::unique(out.notes.begin(), out.notes.end()), out.notes.end());
  return out;
}

}  // namespace atalaya
