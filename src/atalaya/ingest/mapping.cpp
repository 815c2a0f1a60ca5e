// Mapping files: TOML -> Mapping, with errors that name line and field.
#include "atalaya/ingest/mapping.h"

#include <algorithm>
#include <optional>
#include <sstream>
#include <toml++/toml.h>

#include "atalaya/core/country.h"
#include "atalaya/core/input_error.h"
#include "atalaya/core/toml_input.h"
#include "atalaya/core/vocabulary.h"
#include "atalaya/ingest/parsed_file.h"

namespace atalaya {
namespace {

std::string as_string(const std::string& path, const toml::node& node, const std::string& field) {
  if (auto s = node.as_string()) return s->get();
  if (auto i = node.as_integer()) return std::to_string(i->get());
  toml_fail(path, &node, field, "", "a string");
}

bool is_field(std::string_view f) {
  return std::find_if(std::begin(kMappedFields), std::end(kMappedFields),
                      [&](const char* x) { return f == x; }) != std::end(kMappedFields);
}

// [combine.FIELD], [melt] and [multiple.FIELD].
void parse_reshaping(const std::string& path, toml::table& root, Mapping& m, const toml::table* source) {
  auto field_taken = [&](const std::string& field) -> std::string {
    if (m.columns.count(field)) return "columns." + field;
    if (m.combine.count(field)) return "combine." + field;
    if (m.melt && m.melt->field == field) return "melt";
    if (m.fixed.count(field)) return "source." + field;
    return "";
  };
  if (auto* node = root.get("combine")) {
    auto* combine = node->as_table();
    if (!combine) toml_fail(path, node, "combine", "", "tables [combine.FIELD] with columns and separator");
    for (auto& [k, v] : *combine) {
      const std::string field(k.str()), at = "combine." + field;
      if (!is_field(field)) toml_fail(path, &v, at, field, "a table named after a field (demographic, location, ...)");
      auto* t = v.as_table();
      if (!t) toml_fail(path, &v, at, "", "a table with columns = [\"a\", \"b\"] and separator");
      check_known_keys(path, *t, at, {"columns", "separator"});
      if (std::string taken = field_taken(field); !taken.empty() && taken != "source." + field)
        toml_fail(path, &v, at, field, "one source for the field (it is also given by " + taken + ")");
      CombineRule rule;
      auto* cols = t->get("columns");
      auto* arr = cols ? cols->as_array() : nullptr;
      if (!arr || arr->size() < 2) toml_fail(path, cols ? cols : &v, at + ".columns", "", "a list of two or more columns");
      for (auto& e : *arr) rule.columns.push_back(as_string(path, e, at + ".columns"));
      if (auto* sep = t->get("separator")) rule.separator = as_string(path, *sep, at + ".separator");
      m.combine[field] = std::move(rule);
    }
  }
  if (auto* node = root.get("melt")) {
    auto* melt = node->as_table();
    if (!melt) toml_fail(path, node, "melt", "", "a table with dimension and [melt.columns]");
    check_known_keys(path, *melt, "melt", {"dimension", "columns"});
    MeltRule rule;
    auto* dim = melt->get("dimension");
    if (!dim) toml_fail(path, melt, "melt.dimension", "", "the field the melted columns fill (event, demographic, ...)");
    rule.field = as_string(path, *dim, "melt.dimension");
    if (!is_field(rule.field) || rule.field == "status")
      toml_fail(path, dim, "melt.dimension", rule.field, "a field: reporter, location, citizenship, counterpart, event, demographic, authority or unit");
    if (std::string taken = field_taken(rule.field); !taken.empty())
      toml_fail(path, dim, "melt.dimension", rule.field, "a field no other key fills (it is also given by " + taken + ")");
    auto* cols = melt->get("columns");
    auto* t = cols ? cols->as_table() : nullptr;
    if (!t || t->empty())
      toml_fail(path, cols ? cols : melt, "melt.columns", "", "a [melt.columns] table of count column = value");
    for (auto& [ck, cv] : *t) {
      const std::string column(ck.str()), at = "melt.columns." + column;
      std::string value = as_string(path, cv, at);
      if (rule.field == "event" && !is_known_event(value))
        toml_fail(path, &cv, at, value, "an event from the vocabulary (" + event_codes() + "; " + event_vocabulary_hint() + ")");
      if (rule.field == "demographic" && !is_known_demographic(value))
        toml_fail(path, &cv, at, value, "a demographic code: " + demographic_code_list());
      if (rule.field == "unit" && !parse_unit(value))
        toml_fail(path, &cv, at, value, "events, persons or cases");
      if (is_country_dimension(rule.field) && !value.empty() && citizenship_code(value).empty())
        toml_fail(path, &cv, at, value, "a country name or code, or a declared group");
      rule.columns.emplace_back(column, std::move(value));
    }
    m.melt = std::move(rule);
  }
  if (auto* node = root.get("multiple")) {
    auto* multiple = node->as_table();
    if (!multiple) toml_fail(path, node, "multiple", "", "tables [multiple.FIELD] with separator, rule and group");
    for (auto& [k, v] : *multiple) {
      const std::string field(k.str()), at = "multiple." + field;
      if (!is_field(field) || field == "unit" || field == "status")
        toml_fail(path, &v, at, field, "a table named after a field (citizenship, counterpart, reporter, ...)");
      auto* t = v.as_table();
      if (!t) toml_fail(path, &v, at, "", "a table with separator, rule and group");
      check_known_keys(path, *t, at, {"separator", "rule", "group"});
      MultipleRule rule;
      if (auto* sep = t->get("separator")) rule.separator = as_string(path, *sep, at + ".separator");
      if (rule.separator.empty()) toml_fail(path, t->get("separator"), at + ".separator", "", "one or more characters");
      auto* r = t->get("rule");
      if (!r) toml_fail(path, &v, at + ".rule", "", "group or split");
      rule.rule = as_string(path, *r, at + ".rule");
      if (rule.rule != "group" && rule.rule != "split")
        toml_fail(path, r, at + ".rule", rule.rule,
                  "group (the row counts once, under a declared group code) or split (the row counts in full "
                  "under each listed value)");
      auto* g = t->get("group");
      if (rule.rule == "group") {
        if (!g) toml_fail(path, &v, at + ".group", "", "the group code the row is counted under, e.g. \"MULTIPLE\"");
        rule.group = as_string(path, *g, at + ".group");
        if (is_country_dimension(field) && citizenship_code(rule.group).empty())
          toml_fail(path, g, at + ".group", rule.group, "a group declared in the country reference (MULTIPLE, OTH, UNK, ...)");
        if (field == "event" && !is_known_event(rule.group))
          toml_fail(path, g, at + ".group", rule.group, "an event from the vocabulary");
        if (field == "demographic" && !is_known_demographic(rule.group))
          toml_fail(path, g, at + ".group", rule.group, "a demographic code: " + demographic_code_list());
      } else if (g) {
        toml_fail(path, g, at + ".group", rule.group, "no group with rule = \"split\"");
      }
      m.multiple[field] = std::move(rule);
    }
  }
  (void)source;
}

}  // namespace

Mapping parse_mapping(const std::string& text, const std::string& path) {
  toml::table root = parse_toml(text, path);
  Mapping m;
  m.path = path;
  m.digest = sha256_hex(text);
  check_known_keys(path, root, "",
                   {"source", "columns", "period", "values", "filter", "exclude", "combine", "melt", "multiple"});

  auto* source = root["source"].as_table();
  if (!source) toml_fail(path, nullptr, "source", "", "a [source] table with an id");
  check_known_keys(path, *source, "source",
                   {"id", "name", "format", "encoding", "delimiter", "duplicates", "release", "max_withdrawal",
                    "max_count", "reporter", "location", "citizenship", "counterpart", "event", "demographic",
                    "authority", "unit", "status", "measure", "absent", "coverage", "overlaps", "publisher",
                    "licence", "schedule", "publication_lag_months", "simulated"});
  for (auto& [k, v] : *source) {
    std::string key(k.str());
    // The two numeric keys, read before every other (string) key.
    if (key == "max_withdrawal") {
      std::optional<double> share;
      if (auto d = v.as_floating_point()) share = d->get();
      else if (auto i = v.as_integer()) share = static_cast<double>(i->get());
      if (!share || !(*share >= 0.0 && *share <= 1.0)) {
        std::ostringstream given;
        if (share) given << *share;
        else if (auto str = v.as_string()) given << str->get();
        toml_fail(path, &v, "source.max_withdrawal", given.str(),
                  "a share between 0 and 1 (0.05 = 5%; 1 never refuses a withdrawal)");
      }
      m.max_withdrawal = *share;
      continue;
    }
    if (key == "max_count") {
      auto i = v.as_integer();
      if (!i || i->get() < 1)
        toml_fail(path, &v, "source.max_count", i ? std::to_string(i->get()) : "",
                  "a whole number of 1 or more (the largest plausible count; default 1000000000)");
      m.max_count = i->get();
      continue;
    }
    if (key == "overlaps") {
      auto* arr = v.as_array();
      if (!arr) toml_fail(path, &v, "source.overlaps", "", "a list of source ids, e.g. [\"us-cbp-swb\"]");
      for (auto& e : *arr) m.declaration.overlaps.push_back(as_string(path, e, "source.overlaps"));
      continue;
    }
    if (key == "simulated") {
      auto b = v.as_boolean();
      if (!b) toml_fail(path, &v, "source.simulated", "", "true or false");
      m.declaration.simulated = b->get();
      continue;
    }
    if (key == "publication_lag_months") {
      auto i = v.as_integer();
      if (!i || i->get() < 0 || i->get() > 120)
        toml_fail(path, &v, "source.publication_lag_months", "", "a whole number of months, 0 to 120");
      m.declaration.publication_lag_months = static_cast<int>(i->get());
      continue;
    }
    std::string val = as_string(path, v, "source." + key);
    if (key == "measure") {
      auto me = parse_measure(val);
      if (!me) toml_fail(path, &v, "source.measure", val, "flow (counted over a period) or stock (counted at a date)");
      m.declaration.measure = *me;
      continue;
    }
    if (key == "absent") {
      auto a = parse_absent_key(val);
      if (!a) toml_fail(path, &v, "source.absent", val, "zero, suppressed or missing");
      m.declaration.absent = *a;
      continue;
    }
    if (key == "coverage") { m.declaration.coverage = val; continue; }
    if (key == "publisher") { m.declaration.publisher = val; continue; }
    if (key == "licence") { m.declaration.licence = val; continue; }
    if (key == "schedule") {
      if (val != "M" && val != "Q" && val != "A") toml_fail(path, &v, "source.schedule", val, "M, Q or A (how often the source is released)");
      m.declaration.schedule = val;
      continue;
    }
    if (key == "id") {
      m.source = val;
      bool ok = !val.empty() && std::all_of(val.begin(), val.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
      });
      if (!ok) toml_fail(path, &v, "source.id", val, "lower-case letters, digits and dashes");
    } else if (key == "name") {
      m.name = val;
    } else if (key == "format") {
      if (val != "csv" && val != "hxl") toml_fail(path, &v, "source.format", val, "csv or hxl");
      m.format = val;
    } else if (key == "encoding") {
      if (val == "utf-8" || val == "utf8") {
        m.encoding = TextEncoding::Utf8;
        m.detect_encoding = false;
      } else if (val == "windows-1252" || val == "cp1252" || val == "latin-1" || val == "latin1" ||
                 val == "iso-8859-1") {
        m.encoding = TextEncoding::Windows1252;
        m.detect_encoding = false;
      } else if (val == "auto") {
        m.detect_encoding = true;
      } else {
        toml_fail(path, &v, "source.encoding", val, "utf-8, windows-1252, latin-1 or auto");
      }
    } else if (key == "delimiter") {
      if (val == "\\t" || val == "tab") val = "\t";
      if (val.size() != 1) toml_fail(path, &v, "source.delimiter", val, "a single character");
      m.delimiter = val[0];
    } else if (key == "release") {
      if (val != "complete" && val != "incremental") toml_fail(path, &v, "source.release", val, "complete or incremental");
      m.complete_release = val == "complete";
    } else if (key == "duplicates") {
      if (val != "error" && val != "sum") toml_fail(path, &v, "source.duplicates", val, "error or sum");
      m.sum_duplicates = val == "sum";
    } else {
      m.fixed[key] = val;
    }
  }
  if (m.source.empty()) toml_fail(path, source, "source.id", "", "a dataset id such as \"pa-snm-darien\"");

  auto* columns = root["columns"].as_table();
  if (!columns) toml_fail(path, nullptr, "columns", "", "a [columns] table naming at least period and count");
  for (auto& [k, v] : *columns) {
    std::string key(k.str());
    std::string val = as_string(path, v, "columns." + key);
    if (key == "period") m.period_column = val;
    else if (key == "year") m.year_column = val;
    else if (key == "month") m.month_column = val;
    else if (key == "count") m.count_column = val;
    else if (is_field(key)) m.columns[key] = val;
    else toml_fail(path, &v, "columns." + key, "", "period, year, month, count, reporter, location, citizenship, counterpart, event, demographic, authority, unit or status");
  }
  const bool melted = root["melt"].is_table();
  if (m.count_column.empty() && !melted)
    toml_fail(path, columns, "columns.count", "", "the column holding the count (or a [melt] table of count columns)");
  if (!m.count_column.empty() && melted)
    toml_fail(path, columns->get("count"), "columns.count", m.count_column,
              "no count column with [melt] (each melted column holds its own count)");
  if (m.period_column.empty() && m.year_column.empty())
    toml_fail(path, columns, "columns.period", "", "the column holding the period (or columns.year)");

  if (auto* period = root["period"].as_table()) {
    check_known_keys(path, *period, "period",
                     {"format", "frequency", "annual_through", "fiscal_year_start", "day_rule", "date_order", "week_rule"});
    for (auto& [k, v] : *period) {
      std::string key(k.str());
      if (key == "format") {
        m.period_format = as_string(path, v, "period.format");
        static const char* kFormats[] = {"YYYY-MM", "YYYY", "YYYY-Qn", "FYYYYY", "auto"};
        if (std::find(std::begin(kFormats), std::end(kFormats), m.period_format) == std::end(kFormats))
          toml_fail(path, &v, "period.format", m.period_format, "YYYY-MM, YYYY, YYYY-Qn, FYYYYY or auto");
      } else if (key == "frequency") {
        auto f = parse_frequency(as_string(path, v, "period.frequency"));
        if (!f) toml_fail(path, &v, "period.frequency", as_string(path, v, key), "M, Q, A or FY");
        m.frequency = f;
      } else if (key == "day_rule") {
        m.day_rule = as_string(path, v, "period.day_rule");
        if (m.day_rule != "month")
          toml_fail(path, &v, "period.day_rule", m.day_rule, "month (each dated row counts in its calendar month)");
      } else if (key == "date_order") {
        std::string order = as_string(path, v, "period.date_order");
        if (order != "DMY" && order != "MDY")
          toml_fail(path, &v, "period.date_order", order, "DMY (15/07/2021) or MDY (07/15/2021)");
        m.day_first = order == "DMY";
      } else if (key == "week_rule") {
        m.week_rule = as_string(path, v, "period.week_rule");
        if (m.week_rule != "thursday")
          toml_fail(path, &v, "period.week_rule", m.week_rule,
                    "thursday (each ISO week counts in the month holding its Thursday)");
      } else if (key == "annual_through" || key == "fiscal_year_start") {
        auto i = v.as_integer();
        if (!i) toml_fail(path, &v, "period." + key, "", "a whole number");
        if (key == "annual_through") m.annual_through = static_cast<int>(i->get());
        else {
          if (i->get() < 1 || i->get() > 12) toml_fail(path, &v, "period.fiscal_year_start", std::to_string(i->get()), "a month number 1 to 12");
          m.fiscal_year_start = static_cast<int>(i->get());
        }
      }
    }
  }

  if (auto* values = root["values"].as_table()) {
    for (auto& [k, v] : *values) {
      std::string field(k.str());
      if (!is_field(field)) toml_fail(path, &v, "values." + field, "", "a table named after a field (citizenship, event, ...)");
      auto* t = v.as_table();
      if (!t) toml_fail(path, &v, "values." + field, "", "a table of raw value = harmonised value");
      for (auto& [rk, rv] : *t) m.values[field][std::string(rk.str())] = as_string(path, rv, "values." + field + "." + std::string(rk.str()));
    }
  }
  for (const char* table : {"filter", "exclude"}) {
    auto* t = root[table].as_table();
    if (!t && root[table]) toml_fail(path, root.get(table), table, "", "a table of column = [values]");
    if (!t) continue;
    auto& out = std::string_view(table) == "filter" ? m.filter : m.exclude;
    for (auto& [k, v] : *t) {
      std::string col(k.str());
      const std::string at = std::string(table) + "." + col;
      if (auto* arr = v.as_array()) {
        for (auto& e : *arr) out[col].insert(as_string(path, e, at));
      } else {
        out[col].insert(as_string(path, v, at));
      }
    }
  }
  parse_reshaping(path, root, m, source);

  // Fixed values are checked now, so a broken mapping fails before any data is read.
  // A fixed value is checked as the rows will see it: through its [values.FIELD] map.
  auto check_fixed = [&](const std::string& field, auto&& valid, const std::string& expected) {
    auto it = m.fixed.find(field);
    if (it == m.fixed.end()) return;
    std::string value = it->second;
    if (auto vm = m.values.find(field); vm != m.values.end())
      if (auto mapped = vm->second.find(value); mapped != vm->second.end()) value = mapped->second;
    if (!valid(value))
      toml_fail(path, source->get(field), "source." + field, it->second, expected);
  };
  check_fixed("event", [](const std::string& e) { return is_known_event(e); },
              "an event from the vocabulary (encounter, apprehension, irregular_transit, ...; " +
                  event_vocabulary_hint() + ")");
  check_fixed("unit", [](const std::string& u) { return parse_unit(u).has_value(); }, "events, persons or cases");
  check_fixed("status", [](const std::string& s) { return parse_status(s).has_value(); },
              "provisional, final or estimated");
  check_fixed("reporter", [](const std::string& r) { return !citizenship_code(r).empty(); },
              "a country name or ISO code");
  check_fixed("counterpart", [](const std::string& r) { return citizenship_code(r).size() > 0; },
              "a country name or ISO code, or a declared group");
  check_fixed("demographic", [](const std::string& d) { return is_known_demographic(d); },
              "a demographic code: " + demographic_code_list());
  auto given = [&](const std::string& f) {
    return m.fixed.count(f) || m.columns.count(f) || m.combine.count(f) || (m.melt && m.melt->field == f);
  };
  if (!given("reporter"))
    toml_fail(path, source, "source.reporter", "", "the reporting country (or columns.reporter)");
  if (!given("event"))
    toml_fail(path, source, "source.event", "", "the event counted (or columns.event, or [melt] dimension = \"event\")");
  return m;
}

Mapping load_mapping(const std::string& path) {
  std::string text = read_file(path);
  return parse_mapping(text, path);
}

}  // namespace atalaya
