// Mapping files: TOML -> Mapping, with errors that name line and field.
#include "atalaya/ingest/mapping.h"

#include <algorithm>
#include <optional>
#include <sstream>
#include <toml++/toml.h>

#include "atalaya/core/country.h"
#include "atalaya/core/input_error.h"
#include "atalaya/core/toml_input.h"
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


}  // namespace

Mapping parse_mapping(const std::string& text, const std::string& path) {
  toml::table root = parse_toml(text, path);
  Mapping m;
  m.path = path;
  m.digest = sha256_hex(text);
  check_known_keys(path, root, "", {"source", "columns", "period", "values", "filter"});

  auto* source = root["source"].as_table();
  if (!source) toml_fail(path, nullptr, "source", "", "a [source] table with an id");
  check_known_keys(path, *source, "source",
                   {"id", "name", "format", "encoding", "delimiter", "duplicates", "release", "max_withdrawal",
                    "max_count", "reporter", "location", "citizenship", "event", "demographic", "authority", "unit",
                    "status", "measure", "absent", "coverage", "overlaps", "publisher", "licence", "schedule",
                    "publication_lag_months", "simulated"});
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
    else toml_fail(path, &v, "columns." + key, "", "period, year, month, count, reporter, location, citizenship, event, demographic, authority, unit or status");
  }
  if (m.count_column.empty()) toml_fail(path, columns, "columns.count", "", "the column holding the count");
  if (m.period_column.empty() && m.year_column.empty())
    toml_fail(path, columns, "columns.period", "", "the column holding the period (or columns.year)");

  if (auto* period = root["period"].as_table()) {
    check_known_keys(path, *period, "period", {"format", "frequency", "annual_through", "fiscal_year_start"});
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
  if (auto* filter = root["filter"].as_table()) {
    for (auto& [k, v] : *filter) {
      std::string col(k.str());
      if (auto* arr = v.as_array()) {
        for (auto& e : *arr) m.filter[col].insert(as_string(path, e, "filter." + col));
      } else {
        m.filter[col].insert(as_string(path, v, "filter." + col));
      }
    }
  }

  // Fixed values are checked now, so a broken mapping fails before any data is read.
  auto check_fixed = [&](const std::string& field, auto&& valid, const std::string& expected) {
    auto it = m.fixed.find(field);
    if (it != m.fixed.end() && !valid(it->second))
      toml_fail(path, source->get(field), "source." + field, it->second, expected);
  };
  check_fixed("event", [](const std::string& e) { return is_known_event(e); },
              "an event from the vocabulary (encounter, apprehension, irregular_transit, ...)");
  check_fixed("unit", [](const std::string& u) { return parse_unit(u).has_value(); }, "events, persons or cases");
  check_fixed("status", [](const std::string& s) { return parse_status(s).has_value(); },
              "provisional, final or estimated");
  check_fixed("reporter", [](const std::string& r) { return !citizenship_code(r).empty(); },
              "a country name or ISO code");
  if (!m.fixed.count("reporter") && !m.columns.count("reporter"))
    toml_fail(path, source, "source.reporter", "", "the reporting country (or columns.reporter)");
  if (!m.fixed.count("event") && !m.columns.count("event"))
    toml_fail(path, source, "source.event", "", "the event counted (or columns.event)");
  return m;
}

Mapping load_mapping(const std::string& path) {
  std::string text = read_file(path);
  return parse_mapping(text, path);
}

}  // namespace atalaya
