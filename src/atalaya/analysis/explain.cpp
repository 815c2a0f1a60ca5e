// Why an answer is empty, what exists instead, and what each value counts.
#include "atalaya/core/error.h"
#include "atalaya/analysis/explain.h"

#include <algorithm>
#include <map>
#include <set>
#include <stdexcept>

#include "atalaya/core/country.h"
#include "atalaya/core/text.h"

namespace atalaya {
namespace {

constexpr size_t kListed = 12;  // values named in a note before "and N more"

// Normalised, and cut to the compared length.
std::string compared(std::string_view text) {
  std::string s = normalise_name(text.substr(0, 4 * kNearestComparedChars));
  if (s.size() > kNearestComparedChars) s.resize(kNearestComparedChars);
  return s;
}

std::string join(const std::vector<std::string>& items, const std::string& sep = ", ") {
  std::string out;
  for (auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

// "a, b, c and 4 more"
std::string listed(const std::set<std::string>& values) {
  std::vector<std::string> shown;
  for (auto& v : values) {
    if (shown.size() == kListed) break;
    shown.push_back(v.empty() ? "_T" : echoed_value(v));
  }
  std::string out = join(shown);
  if (values.size() > kListed) out += " and " + std::to_string(values.size() - kListed) + " more";
  return out;
}

// "us-cbp-swb-nat has it", "a and b have it"
std::string have_it(const std::set<std::string>& sources) {
  std::vector<std::string> list(sources.begin(), sources.end());
  if (list.size() == 1) return list.front() + " has it";
  std::string last = list.back();
  list.pop_back();
  return join(list) + " and " + last + " have it";
}

std::string shown_value(const std::string& dim, const std::string& typed, const std::vector<std::string>& values) {
  if (values.size() == 1 && values.front().empty()) return "_T (the total)";
  if (is_country_dimension(dim) && values.size() == 1) return values.front();
  return "'" + echoed_value(typed) + "'";
}

// One value of `dim` that no selected source has.
std::string describe_absent(const std::string& dim, const std::string& typed, const std::vector<std::string>& values,
                            const std::map<std::string, std::set<std::string>>& per_source, bool source_filter,
                            const SeriesSelection& selection, const KeyLookup& keys) {
  const std::string shown = shown_value(dim, typed, values);
  std::vector<std::string> parts;
  if (values.size() == 1 && values.front().empty()) {
    std::vector<std::string> sources;
    for (auto& [src, vals] : per_source) sources.push_back(src);
    return dim + ": no total (_T) in " + (source_filter ? join(sources) : "the store") +
           ": every series is broken down by " + dim + "; group by it (--by " + dim + ") or select its values";
  }
  std::set<std::string> all_values;
  for (auto& [src, vals] : per_source) {
    for (auto& v : vals)
      if (!v.empty()) all_values.insert(v);
  }
  if (is_country_dimension(dim)) {
    // Per source: a group code it counts the value inside, or what it lists.
    std::vector<std::string> unbroken, groups_part;
    for (auto& [src, vals] : per_source) {
      std::vector<std::string> groups;
      for (auto& v : vals)
        if (!v.empty() && !find_country(v))
          if (const CitizenshipGroup* g = find_group(v)) groups.push_back(std::string(g->code) + " (" + g->name_en + ")");
      if (!groups.empty()) {
        groups_part.push_back(shown + " is counted inside " + join(groups, " or ") + " in " + src);
      } else if (vals.size() == 1 && vals.begin()->empty()) {
        unbroken.push_back(src);
      } else if (source_filter) {
        std::set<std::string> own(vals);
        own.erase("");
        parts.push_back(src + " has no " + shown + " (its " + dim + " values: " + listed(own) + ")");
      }
    }
    if (groups_part.size() > 4) {  // without a source filter: every source with a group
      const size_t more = groups_part.size() - 4;
      groups_part.resize(4);
      groups_part.back() += " (and " + std::to_string(more) + " more sources)";
    }
    parts.insert(parts.begin(), groups_part.begin(), groups_part.end());
    if (!unbroken.empty()) parts.push_back(join(unbroken) + (unbroken.size() == 1 ? " does" : " do") +
                                           " not break " + dim + " down");
    if (parts.empty()) parts.push_back("no series in " + std::string(source_filter ? "the selected sources" : "the store") +
                                       " has " + shown);
  } else {
    std::vector<std::string> sources;
    for (auto& [src, vals] : per_source) sources.push_back(src);
    std::string part = "no " + shown + " in " + (source_filter ? join(sources) : "the store");
    if (all_values.empty()) {
      part += ", which does not break " + dim + " down";
    } else {
      auto near = nearest_values(typed, std::vector<std::string>(all_values.begin(), all_values.end()), 3);
      if (!near.empty()) {
        for (auto& n : near) n = echoed_value(n);
        part += "; nearest " + dim + " values: " + join(near);
      }
    }
    parts.push_back(part);
  }
  // Other sources that have the value: with the rest of the selection, else at all.
  if (source_filter) {
    std::set<std::string> selected;
    for (auto& [src, vals] : per_source) selected.insert(src);
    auto elsewhere = [&](const SeriesSelection& s) {
      std::set<std::string> out;
      for (auto& k : keys(s))
        if (!selected.count(k.source)) out.insert(k.source);
      return out;
    };
    SeriesSelection rest = selection;
    rest.dimensions.erase("source");
    std::set<std::string> others = elsewhere(rest);
    if (!others.empty()) {
      parts.push_back(have_it(others));
    } else {
      SeriesSelection only;
      only.vintage = selection.vintage;
      only.dimensions[dim] = values;
      others = elsewhere(only);
      if (!others.empty()) parts.push_back(have_it(others) + " (not with the rest of the selection)");
    }
  }
  return dim + ": " + join(parts, "; ");
}

}  // namespace

std::vector<std::string> nearest_values(std::string_view given, const std::vector<std::string>& values, size_t n) {
  std::vector<std::string> out;
  const std::string target = compared(given);
  if (n == 0 || target.empty()) return out;
  std::vector<std::pair<size_t, const std::string*>> ranked;
  std::vector<size_t> row;
  for (auto& v : values) {
    if (v.empty()) continue;
    const std::string candidate = compared(v);
    size_t d = edit_distance(target, candidate, row);
    if (d > 1 && target.size() >= 4 && candidate.find(target) != std::string::npos) d = 1;
    ranked.emplace_back(d, &v);
  }
  std::sort(ranked.begin(), ranked.end(), [](auto& a, auto& b) {
    return a.first != b.first ? a.first < b.first : *a.second < *b.second;
  });
  for (size_t i = 0; i < ranked.size() && i < n; ++i) out.push_back(*ranked[i].second);
  return out;
}

std::vector<std::string> explain_no_series(const SeriesQuery& q, const SeriesSelection& sel, const KeyLookup& keys) {
  std::vector<std::string> notes;
  SeriesSelection base;
  base.vintage = sel.vintage;
  const auto src = sel.dimensions.find("source");
  const bool source_filter = src != sel.dimensions.end();
  if (source_filter) base.dimensions["source"] = src->second;
  const std::vector<SeriesKey> base_keys = keys(base);
  if (base_keys.empty()) {
    notes.push_back(source_filter ? join(src->second) + (src->second.size() == 1 ? " holds" : " hold") +
                                        " no series" + (sel.vintage ? " in that vintage" : "")
                                  : std::string("the store holds no series yet"));
    return notes;
  }
  bool culprit = false;
  for (auto& [dim, typed] : q.filters) {
    if (dim == "source" || typed.empty()) continue;
    std::map<std::string, std::set<std::string>> per_source;
    std::set<std::string> present;
    for (auto& k : base_keys) {
      std::string v(*dimension_value(k, dim));
      per_source[k.source].insert(v);
      present.insert(std::move(v));
    }
    std::vector<std::pair<std::string, std::vector<std::string>>> absent;
    bool any_present = false;
    for (auto& t : typed) {
      auto values = resolve_value(dim, t);
      if (std::any_of(values.begin(), values.end(), [&](auto& v) { return present.count(v) > 0; }))
        any_present = true;
      else
        absent.emplace_back(t, std::move(values));
    }
    if (any_present) continue;
    culprit = true;
    for (auto& [t, values] : absent)
      notes.push_back(describe_absent(dim, t, values, per_source, source_filter, sel, keys));
  }
  if (culprit) return notes;
  // Every value exists, but not together: what each dimension takes with the rest.
  std::vector<std::string> dims;
  for (auto& [dim, typed] : q.filters) {
    if (dim == "source" || typed.empty()) continue;
    dims.push_back(dim);
    SeriesSelection relaxed = sel;
    relaxed.dimensions.erase(dim);
    std::set<std::string> values;
    for (auto& k : keys(relaxed)) values.emplace(*dimension_value(k, dim));
    if (values.empty()) continue;
    std::vector<std::string> asked;
    for (auto& t : typed) asked.push_back(echoed_value(t));
    notes.push_back(dim + ": no series has " + join(asked, " or ") + " with the rest of the selection; with the rest, " +
                    dim + " is " + listed(values));
  }
  if (notes.empty())
    notes.push_back("each value of " + join(dims) + " exists in " + (source_filter ? join(src->second) : "the store") +
                    ", but no series has them together");
  return notes;
}

std::vector<DimensionValueCount> count_dimension_values(const std::vector<const StoredSeries*>& series,
                                                        std::string_view dimension, std::optional<Period> from,
                                                        std::optional<Period> to) {
  if (std::find(std::begin(kDimensions), std::end(kDimensions), dimension) == std::end(kDimensions))
    throw Error(ErrorCode::InvalidArgument, "dimension", "dimension: '" + echoed_value(dimension) +
                                "' is not a dimension (source, reporter, location, citizenship, counterpart, event, "
                                "demographic, authority)");
  const Period first = from ? from->first_month() : Period();
  const Period last = to ? to->last_month() : Period();
  std::map<std::string, DimensionValueCount> counts;
  for (const StoredSeries* s : series) {
    uint64_t n = 0;
    for (auto& p : s->points)
      if (!(from && p.period.first_month() < first) && !(to && last < p.period.last_month())) ++n;
    if (n == 0) continue;
    std::string v(*dimension_value(s->key, dimension));
    DimensionValueCount& c = counts[v];
    c.value = v.empty() ? "_T" : v;
    ++c.series;
    c.observations += n;
  }
  std::vector<DimensionValueCount> out;
  for (auto& [v, c] : counts)
    if (!v.empty()) out.push_back(c);
  if (auto t = counts.find(""); t != counts.end()) out.push_back(t->second);
  return out;
}

}  // namespace atalaya
