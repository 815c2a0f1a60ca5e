#include "atalaya/warning/evaluate.h"

#include <algorithm>
#include <cmath>
#include <memory>
#include <set>
#include <span>
#include <unordered_set>

#include "atalaya/analysis/route.h"
#include "atalaya/analysis/surge_timing.h"
#include "atalaya/core/country.h"
#include "atalaya/core/parallel_chunks.h"

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

// The months after the last missing one.
std::span<const double> known_tail(const std::vector<double>& values) {
  size_t first = values.size();
  while (first > 0 && !is_missing(values[first - 1])) --first;
  return std::span<const double>(values.data() + first, values.size() - first);
}

// Groups per evaluation chunk: small enough that two threads share a
// trigger's slow groups (ETS fits) evenly, large enough to cost nothing.
constexpr size_t kChunk = 256;

// The groups of one selection, shared by the triggers that use it. A
// group's months are added up only when a rule reads them: most groups are
// below every trigger's minimum volume, and for those only the latest month
// is read.
struct SelectedGroups {
  MonthlyGroups groups;
  std::vector<double> latest;  // per group: its latest month (NaN where missing)
  std::vector<std::unique_ptr<MonthlySeries>> built;
  std::vector<std::string> keys;  // key texts, once a trigger needs them
  bool has_keys = false;

  // The group's monthly series, built on first use. Safe from several
  // threads as long as no two of them ask for the same group at once (each
  // chunk of groups belongs to one thread).
  const MonthlySeries& series(size_t g) {
    if (!built[g]) built[g] = std::make_unique<MonthlySeries>(groups.series(g));
    return *built[g];
  }
};

// The key text of each group (as Alert::key_text() would write it: dimensions
// in name order), built once per selection, not once per trigger.
std::vector<std::string> key_texts(const std::vector<std::string>& by, const MonthlyGroups& groups) {
  std::vector<size_t> order(by.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return by[a] < by[b]; });
  std::vector<std::string> out;
  out.reserve(groups.size());
  for (size_t g = 0; g < groups.size(); ++g) {
    const std::vector<std::string> values = groups.group(g);
    std::string k;
    for (size_t i : order) {
      if (!k.empty()) k += ';';
      k += by[i];
      k += '=';
      k += values[i];
    }
    out.push_back(std::move(k));
  }
  return out;
}

// Selections shared by several triggers are grouped once.
class GroupCache {
 public:
  GroupCache(const Cube& cube, int threads) : cube_(cube), threads_(threads) {}
  SelectedGroups& monthly(const SeriesQuery& q) {
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
      SelectedGroups e;
      e.groups = cube_.monthly_groups(q);
      e.latest.resize(e.groups.size());
      e.built.resize(e.groups.size());
      parallel_chunks<char>(e.groups.size(), 4 * kChunk, threads_, [&](size_t begin, size_t end, char&) {
        for (size_t g = begin; g < end; ++g) e.latest[g] = e.groups.latest(g);
      });
      it = cache_.emplace(k, std::move(e)).first;
    }
    return it->second;
  }
  // The key texts of a selection's groups.
  const std::vector<std::string>& key_texts(SelectedGroups& groups, const SeriesQuery& q) {
    if (!groups.has_keys) {
      groups.keys = atalaya::key_texts(q.by, groups.groups);
      groups.has_keys = true;
    }
    return groups.keys;
  }

 private:
  const Cube& cube_;
  const int threads_;
  std::map<std::string, SelectedGroups> cache_;
};

// trigger id -> key texts whose evaluation must be recorded; nullptr: all.
using WantedKeys = std::unordered_map<std::string, std::unordered_set<std::string>>;

// Whether a trigger judges a citizenship group: every nationality (and
// stateless people and other real populations); a residual group (OTH, OOO,
// UNK) only when the trigger asks for it.
bool judges_citizenship(const Trigger& t, const std::string& code) {
  if (!is_residual_citizenship(code)) return true;
  if (std::find(t.include_groups.begin(), t.include_groups.end(), code) != t.include_groups.end()) return true;
  auto it = t.selection.filters.find("citizenship");
  return it != t.selection.filters.end() && std::find(it->second.begin(), it->second.end(), code) != it->second.end();
}

// Sources left out of triggers because another source in the cube counts the
// same people (SourceDeclaration::overlaps): judging both would raise twin
// alerts about one border. Of two overlapping sources the one a route lists
// at a checkpoint is kept (earlier in its list first), then the one with the
// later data, then the first by id. Source -> the one kept instead.
std::map<std::string, std::string> shadowed_sources(const Cube& cube, const TriggerSet& set) {
  std::map<std::string, int> route_rank;  // lower is preferred
  for (const Trigger& t : set.triggers)
    if (t.route)
      for (auto& cp : t.route->checkpoints)
        for (size_t i = 0; i < cp.sources.size(); ++i)
          if (!route_rank.count(cp.sources[i])) route_rank[cp.sources[i]] = static_cast<int>(i);
  auto better = [&](const std::string& a, const std::string& b) {
    const int ra = route_rank.count(a) ? route_rank[a] : 1000, rb = route_rank.count(b) ? route_rank[b] : 1000;
    if (ra != rb) return ra < rb;
    auto la = cube.last_month(a), lb = cube.last_month(b);
    if (la && lb && !(*la == *lb)) return *lb < *la;
    if (la.has_value() != lb.has_value()) return la.has_value();
    return a < b;
  };
  const auto& facts = cube.facts();
  std::map<std::string, std::string> out;
  for (auto& [a, fa] : facts)
    for (auto& b : fa.declaration.overlaps) {
      if (a == b || !facts.count(b)) continue;
      const std::string& loser = better(a, b) ? b : a;
      const std::string& winner = better(a, b) ? a : b;
      if (!out.count(loser)) out[loser] = winner;
    }
  // A source shadowed by one that is itself shadowed still yields to the kept one.
  for (auto& [loser, winner] : out)
    for (size_t hops = 0; hops < out.size() && out.count(winner) && out.at(winner) != loser; ++hops)
      winner = out.at(winner);
  return out;
}

// The groups of a series trigger, in chunks over `threads` threads; each
// chunk's firings and counts are added to `out` in chunk order, so the
// result is the one a single thread gives.
void evaluate_series_trigger(const Trigger& t, GroupCache& groups, int evidence_months, const WantedKeys* wanted,
                             const std::map<std::string, std::string>& shadowed, int threads, Evaluation& out) {
  SelectedGroups& series = groups.monthly(t.selection);
  const auto by_at = [&](const char* dim) {
    auto it = std::find(t.selection.by.begin(), t.selection.by.end(), dim);
    return it == t.selection.by.end() ? -1 : static_cast<int>(it - t.selection.by.begin());
  };
  const int citizenship_at = by_at("citizenship"), source_at = by_at("source");
  auto named = [&](const char* dim, const std::string& value) {
    auto it = t.selection.filters.find(dim);
    return it != t.selection.filters.end() && std::find(it->second.begin(), it->second.end(), value) != it->second.end();
  };
  // Whether a group is left out: a citizenship that is not a nationality, or
  // a source another one overlaps (recorded as evaluated all the same, so an
  // alert from before expires).
  const bool may_leave_out = citizenship_at >= 0 || (source_at >= 0 && !shadowed.empty());
  auto left_out = [&](size_t g) {
    if (!may_leave_out) return false;
    const std::vector<std::string> group = series.groups.group(g);
    if (citizenship_at >= 0 && !judges_citizenship(t, group[citizenship_at])) return true;
    return source_at >= 0 && shadowed.count(group[source_at]) && !named("source", group[source_at]);
  };
  const bool up_only = looks_up_only(t.detector);
  const std::unordered_set<std::string>* record = nullptr;
  if (wanted) {
    auto it = wanted->find(t.id);
    if (it != wanted->end()) record = &it->second;
  }
  const std::vector<std::string>* keys = !wanted || record ? &groups.key_texts(series, t.selection) : nullptr;
  auto parts = parallel_chunks<Evaluation>(series.groups.size(), kChunk, threads, [&](size_t begin, size_t end,
                                                                                      Evaluation& part) {
    for (size_t g = begin; g < end; ++g) {
      // Detectors read consecutive months: a series is judged on the months
      // after its last gap, never with a missing month read as 0.
      const double latest = series.latest[g];
      if (is_missing(latest)) continue;
      if (!wanted || (record && record->count((*keys)[g])))
        part.evaluated.emplace(evaluated_key(t.id, (*keys)[g]), series.groups.end(g));
      // A rise must reach the minimum volume; skip the rule's work when it cannot.
      if (latest < t.minimum_volume && t.rule != RuleType::Threshold && up_only) {
        ++part.below_volume;
        continue;
      }
      if (left_out(g)) continue;
      ++part.series_evaluated;
      // A threshold reads the latest month alone (detectors.h): the group's
      // other months are added up only if it fires, for the evidence.
      auto d = t.rule == RuleType::Threshold ? detect(std::span<const double>(&latest, 1), t.detector)
                                             : detect(known_tail(series.series(g).values), t.detector);
      if (!d || !d->fired) continue;
      const MonthlySeries& s = series.series(g);
      Firing f;
      f.trigger = t.id;
      f.trigger_name = t.name;
      f.rule = std::string(rule_type_name(t.rule));
      f.key = key_of(t.selection.by, s.group);
      f.period = series.groups.end(g);
      f.severity = t.severity;
      f.evidence = evidence_of(*d, s, evidence_months);
      f.evidence.trigger_name_es = t.name_es;
      part.firings.push_back(std::move(f));
    }
  });
  if (!wanted) out.evaluated.reserve(out.evaluated.size() + series.groups.size());
  for (Evaluation& part : parts) {
    for (Firing& f : part.firings) out.firings.push_back(std::move(f));
    for (auto& [k, month] : part.evaluated) out.evaluated.emplace(k, month);
    out.series_evaluated += part.series_evaluated;
    out.below_volume += part.below_volume;
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
  // Each checkpoint's series by citizenship, fetched when first needed.
  std::vector<std::optional<std::vector<MonthlySeries>>> by_citizenship(cps.size());
  auto series_at = [&](size_t i) -> const std::vector<MonthlySeries>& {
    if (!by_citizenship[i]) {
      by_citizenship[i].emplace();
      const std::string source = checkpoint_source(cube, cps[i]);
      if (source.empty()) return *by_citizenship[i];
      SeriesQuery q;
      q.filters = cps[i].selection;
      q.filters["source"] = {source};
      q.by = {"citizenship"};
      by_citizenship[i] = cube.monthly(q);
    }
    return *by_citizenship[i];
  };
  // How long a surge at checkpoint i goes on to its peak, from the surges
  // there that had ended by `through` (every citizenship), else from those at
  // every checkpoint of the route, else declared.
  std::map<std::pair<size_t, int>, TimeToPeak> timing;
  auto time_to_peak_at = [&](size_t i, Period through) -> const TimeToPeak& {
    auto key = std::make_pair(i, month_number(through));
    auto it = timing.find(key);
    if (it != timing.end()) return it->second;
    std::vector<const MonthlySeries*> here;
    for (const MonthlySeries& s : series_at(i)) here.push_back(&s);
    TimeToPeak ttp = time_to_peak(here, through, t.minimum_volume);
    ttp.note = "at " + cps[i].name + ": " + ttp.note;
    if (!ttp.from_data) {
      std::vector<const MonthlySeries*> all;
      for (size_t k = 0; k < cps.size(); ++k)
        for (const MonthlySeries& s : series_at(k)) all.push_back(&s);
      TimeToPeak pooled = time_to_peak(all, through, t.minimum_volume);
      if (pooled.from_data) ttp = std::move(pooled), ttp.note = "at every checkpoint of the route: " + ttp.note;
    }
    return timing.emplace(key, std::move(ttp)).first->second;
  };
  for (size_t i = 0; i + 1 < cps.size(); ++i) {
    for (const MonthlySeries& s : series_at(i)) {
      if (s.values.empty() || is_missing(s.values.back())) continue;
      const std::string& citizenship = s.group[0];
      if (!judges_citizenship(t, citizenship)) continue;
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
        const CumulativeLag at_j = lag_between(lags, i, j, t.window_coverage);
        const TimeToPeak* ttp = t.window_to_peak ? &time_to_peak_at(i, month) : nullptr;
        const MonthInterval window = central_interval(
            ttp ? convolve(at_j.distribution, ttp->distribution) : at_j.distribution, t.window_coverage);
        Firing f;
        f.trigger = t.id;
        f.trigger_name = t.name;
        f.rule = "upstream";
        f.key = key_for(j);
        f.period = month;
        f.severity = t.severity;
        f.evidence = evidence_of(*d, s, evidence_months);
        f.evidence.trigger_name_es = t.name_es;
        f.evidence.source_checkpoint = cps[i].id;
        f.window_from = month.plus_months(window.low);
        f.window_to = month.plus_months(window.high);
        {  // the explanation, from the message catalogues (core/messages_*.cpp)
          const MonthInterval transit = central_interval(at_j.distribution, t.window_coverage);
          Message rise("upstream.no_rise");
          if (ttp) {
            const MonthInterval r = central_interval(ttp->distribution, t.window_coverage);
            rise = Message("upstream.rise").num("low", r.low).num("high", r.high).local("note", ttp->note, ttp->note);
          }
          f.evidence.message =
              Message("upstream.projection")
                  .local("checkpoint", cps[i].name, cps[i].name_es)
                  .local("citizenship", citizenship_label(citizenship), citizenship_label_es(citizenship))
                  .nested("detail", d->message)
                  .local("projected", ttp ? "Projected peak at" : "Projected arrival at",
                         ttp ? "Pico previsto en" : "Llegada prevista a")
                  .local("downstream", cps[j].name, cps[j].name_es)
                  .text("from", f.window_from->to_string())
                  .text("to", f.window_to->to_string())
                  .num("coverage", t.window_coverage * 100)
                  .num("months", at_j.months)
                  .num("low", transit.low)
                  .num("high", transit.high)
                  .nested("basis", at_j.from_data ? Message("upstream.basis.data").text("through", month.to_string())
                                                  : Message("upstream.basis.declared"))
                  .nested("rise", rise);
          f.evidence.explanation = render(f.evidence.message, Language::En);
        }
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

Evaluation evaluate_triggers(const Cube& cube, const TriggerSet& set, const std::vector<Alert>* active, int threads) {
  Evaluation out;
  if (threads <= 0) threads = hardware_threads();
  GroupCache groups(cube, threads);
  WantedKeys wanted_keys;
  if (active)
    for (const Alert& a : *active) wanted_keys[a.trigger].insert(a.key_text());
  const WantedKeys* wanted = active ? &wanted_keys : nullptr;
  const std::map<std::string, std::string> shadowed = shadowed_sources(cube, set);
  for (auto& [source, kept] : shadowed)
    out.notes.push_back(source + " counts some of the same people as " + kept + " (declared overlap): triggers read " +
                        kept + " only, so one border raises one alert");
  for (const Trigger& t : set.triggers) {
    if (t.rule == RuleType::Upstream) {
      evaluate_upstream_trigger(t, cube, set.evidence_months, wanted, out);
    } else {
      evaluate_series_trigger(t, groups, set.evidence_months, wanted, shadowed, threads, out);
    }
  }
  std::sort(out.notes.begin(), out.notes.end());
  out.notes.erase(std::unique(out.notes.begin(), out.notes.end()), out.notes.end());
  return out;
}

}  // namespace atalaya
