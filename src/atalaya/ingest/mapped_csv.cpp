// Mapped CSV and HXL ingest.
#include "atalaya/ingest/mapped_csv.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "atalaya/core/text.h"
#include "atalaya/core/country.h"
#include "atalaya/core/day_date.h"
#include "atalaya/ingest/csv_reader.h"

namespace atalaya {
namespace {

std::vector<std::string> split_tag(std::string_view tag) {
  std::vector<std::string> parts;
  std::string cur;
  for (char c : trim(tag)) {
    if (c == '+' && !cur.empty()) {
      parts.push_back(ascii_lower(trim(cur)));
      cur.clear();
    } else if (c != '+') {
      cur.push_back(c);
    }
  }
  if (!cur.empty()) parts.push_back(ascii_lower(trim(cur)));
  return parts;
}

struct ResolvedField {
  std::string field;
  int column = -1;
  std::vector<int> combine;  // [combine.FIELD] columns, joined by separator
  std::string separator;
  std::string fixed;
  const std::map<std::string, std::string>* values = nullptr;
  const MultipleRule* multiple = nullptr;
  bool given() const { return column >= 0 || !combine.empty() || !fixed.empty(); }
};

// Field positions in kMappedFields.
enum FieldIndex { kReporter, kLocation, kCitizenship, kCounterpart, kEvent, kDemographic, kAuthority, kUnit, kStatus };
static_assert(std::size(kMappedFields) == kStatus + 1);

}  // namespace

bool hxl_tag_matches(std::string_view tag, std::string_view pattern) {
  auto t = split_tag(tag), p = split_tag(pattern);
  if (t.empty() || p.empty() || t[0] != p[0]) return false;
  for (size_t i = 1; i < p.size(); ++i)
    if (std::find(t.begin() + 1, t.end(), p[i]) == t.end()) return false;
  return true;
}

ParsedFile read_mapped_csv(const std::string& path, std::string_view text, const Mapping& m,
                           ParseProgress* progress) {
  size_t reported = 0;
  CsvReader csv(text, m.delimiter);
  std::vector<std::string_view> f;
  if (!csv.next_record(f)) throw InputError(InputProblem{path, 1, "", "", "a header row"});
  std::vector<std::string> header(f.begin(), f.end());
  std::vector<std::string> tags;
  const bool hxl = m.format == "hxl";
  if (hxl) {
    if (!csv.next_record(f)) throw InputError(InputProblem{path, 2, "", "", "an HXL hashtag row"});
    tags.assign(f.begin(), f.end());
    if (std::none_of(tags.begin(), tags.end(), [](auto& t) { return !t.empty() && trim(t)[0] == '#'; }))
      throw InputError(InputProblem{path, 2, "", tags.empty() ? "" : tags[0],
                                    "an HXL hashtag row (#country+code, ...) under the header"});
  }
  auto find_column = [&](const std::string& field, const std::string& spec) -> int {
    if (!spec.empty() && spec[0] == '#') {
      for (size_t i = 0; i < tags.size(); ++i)
        if (hxl_tag_matches(tags[i], spec)) return static_cast<int>(i);
    } else {
      for (size_t i = 0; i < header.size(); ++i)
        if (trim(header[i]) == spec) return static_cast<int>(i);
      for (size_t i = 0; i < header.size(); ++i)
        if (ascii_lower(trim(header[i])) == ascii_lower(spec)) return static_cast<int>(i);
    }
    std::string available;
    for (size_t i = 0; i < header.size(); ++i)
      available += (i ? ", " : "") + std::string(hxl && i < tags.size() ? tags[i] : header[i]);
    throw InputError(InputProblem{path, static_cast<uint32_t>(hxl ? 2 : 1), field, spec,
                                  "a column named by " + m.path + " (columns here: " + available + ")"});
  };

  // The count columns: one, or the melted ones (in file order), each with the
  // value it gives its field.
  struct CountColumn {
    int column;
    std::string value;  // the melted field's value; unused without [melt]
  };
  std::vector<CountColumn> counts;
  int melt_field = -1;
  if (m.melt) {
    for (auto& [col, value] : m.melt->columns) counts.push_back({find_column("melt.columns." + col, col), value});
    std::sort(counts.begin(), counts.end(), [](auto& a, auto& b) { return a.column < b.column; });
    melt_field = static_cast<int>(std::find_if(std::begin(kMappedFields), std::end(kMappedFields),
                                               [&](const char* x) { return m.melt->field == x; }) -
                                  std::begin(kMappedFields));
  } else {
    counts.push_back({find_column("count", m.count_column), ""});
  }
  const int period_col = m.period_column.empty() ? -1 : find_column("period", m.period_column);
  const int year_col = m.year_column.empty() ? -1 : find_column("year", m.year_column);
  const int month_col = m.month_column.empty() ? -1 : find_column("month", m.month_column);
  std::vector<ResolvedField> fields;
  for (const char* name : kMappedFields) {
    ResolvedField r;
    r.field = name;
    if (auto it = m.columns.find(name); it != m.columns.end()) {
      r.column = find_column(name, it->second);
    } else if (auto c = m.combine.find(name); c != m.combine.end()) {
      for (auto& col : c->second.columns) r.combine.push_back(find_column("combine." + r.field, col));
      r.separator = c->second.separator;
    } else if (auto it2 = m.fixed.find(name); it2 != m.fixed.end()) {
      r.fixed = it2->second;
    }
    if (auto it3 = m.values.find(name); it3 != m.values.end()) r.values = &it3->second;
    if (auto it4 = m.multiple.find(name); it4 != m.multiple.end()) r.multiple = &it4->second;
    fields.push_back(std::move(r));
  }
  std::vector<std::pair<int, const std::set<std::string>*>> filters, excludes;
  for (auto& [col, allowed] : m.filter) filters.emplace_back(find_column("filter." + col, col), &allowed);
  for (auto& [col, refused] : m.exclude) excludes.emplace_back(find_column("exclude." + col, col), &refused);

  ParsedFileBuilder b(m.source, path, hxl ? "hxl" : "mapped-csv");
  b.set_source_name(m.name);
  b.set_max_count(m.max_count);
  const size_t width = header.size();
  std::string cache;
  uint32_t rows = 0;
  auto column_name = [&](const ResolvedField& r) -> std::string {
    if (r.column >= 0) return header[r.column];
    if (!r.combine.empty()) return "combine." + r.field;
    return "source." + r.field;
  };
  // The field's cell as read: its column, its combined columns, or its fixed value.
  std::vector<std::string> raw(fields.size());
  auto read_raw = [&](size_t i) {
    const ResolvedField& r = fields[i];
    std::string& out = raw[i];
    out.clear();
    if (r.column >= 0) {
      out.assign(trim(f[r.column]));
    } else if (!r.combine.empty()) {
      for (size_t k = 0; k < r.combine.size(); ++k) {
        if (k) out += r.separator;
        out.append(trim(f[r.combine[k]]));
      }
    } else {
      out = r.fixed;
    }
  };
  auto mapped = [](const ResolvedField& r, std::string_view v) -> std::string_view {
    if (r.values) {
      auto it = r.values->find(std::string(v));
      if (it != r.values->end()) return it->second;
    }
    return v;
  };
  // A cell listing several values, read by its [multiple.FIELD] rule: the
  // values to count the row under (one, unless the rule splits it).
  auto expand = [&](const ResolvedField& r, const std::string& cell, std::vector<std::string>& out) {
    out.clear();
    const MultipleRule* rule = r.multiple;
    if (!rule || cell.find(rule->separator) == std::string::npos || (r.values && r.values->count(cell))) {
      out.push_back(cell);
      return;
    }
    if (rule->rule == "group") {
      out.push_back(rule->group);
      return;
    }
    size_t start = 0;
    while (true) {
      size_t at = cell.find(rule->separator, start);
      std::string part(trim(std::string_view(cell).substr(start, at == std::string::npos ? std::string::npos : at - start)));
      if (!part.empty() && std::find(out.begin(), out.end(), part) == out.end()) out.push_back(std::move(part));
      if (at == std::string::npos) break;
      start = at + rule->separator.size();
    }
    if (out.empty()) out.push_back("");
  };

  // A period from a day date or an ISO week, by the mapping's rules.
  // Returns false (after recording a problem) for a date it cannot take.
  auto date_period = [&](const DateReading& d, const std::string& text, uint32_t line,
                         std::optional<Period>& period) -> bool {
    const std::string& col = m.period_column;
    if (!d.valid) {
      b.problem(line, col, text,
                d.shape == DateShape::Week
                    ? "an ISO week that exists (weeks 1 to " + std::to_string(iso_weeks_in_year(d.year)) + " in " +
                          std::to_string(d.year) + ")"
                    : std::string(m.day_first ? "a calendar date (day/month/year or year-month-day) that exists"
                                              : "a calendar date (month/day/year or year-month-day) that exists"));
      return false;
    }
    if (d.shape == DateShape::Week) {
      if (m.week_rule != "thursday") {
        b.problem(line, col, text,
                  "a month or year; a week needs a rule in the mapping ([period] week_rule = \"thursday\": the "
                  "month holding the week's Thursday)");
        return false;
      }
      period = iso_week_month(d.year, d.week);
      return true;
    }
    if (m.day_rule != "month" && d.day != 1) {
      b.problem(line, col, text,
                "a month or year; a day date needs a rule in the mapping ([period] day_rule = \"month\": each "
                "dated row counts in its calendar month)");
      return false;
    }
    period = Period::month(d.year, d.month);
    return true;
  };

  std::vector<std::vector<std::string>> values(fields.size());
  std::vector<size_t> pick(fields.size());
  const size_t n_counts = counts.size();
  std::vector<int64_t> row_values(n_counts);
  std::vector<char> row_missing(n_counts);
  struct Emission {
    uint32_t series;
    int64_t value;
    Status status;
  };
  std::vector<Emission> emit;
  while (csv.next_record(f)) {
    const uint32_t line = csv.line();
    if (progress && (line & 0x3FFF) == 0) {
      progress->done += csv.offset() - reported;
      reported = csv.offset();
    }
    if (f.size() == 1 && trim(f[0]).empty()) continue;
    // Footer notes (as in World Bank downloads) have fewer fields; a short
    // row is a problem only if it is not blank.
    ++rows;
    if (f.size() != width) {
      b.problem(line, "", std::string(f[0]), std::to_string(width) + " fields, found " + std::to_string(f.size()));
      continue;
    }
    bool keep = true;
    for (auto& [col, allowed] : filters)
      if (!allowed->count(std::string(trim(f[col])))) keep = false;
    for (auto& [col, refused] : excludes)
      if (refused->count(std::string(trim(f[col])))) keep = false;
    if (!keep) continue;

    // Period.
    std::optional<Period> period;
    std::string period_raw;
    if (period_col >= 0) {
      period_raw = std::string(trim(f[period_col]));
      if (m.period_format == "FYYYYY" || m.frequency == Frequency::FiscalYear) {
        std::string_view pr = period_raw;
        if (pr.size() >= 2 && (pr[0] == 'F' || pr[0] == 'f')) pr.remove_prefix(2);
        int y = 0;
        auto [p, ec] = std::from_chars(pr.data(), pr.data() + pr.size(), y);
        if (ec == std::errc() && p == pr.data() + pr.size() && y > 1900 && y < 2200)
          period = Period::fiscal_year(y, m.fiscal_year_start);
      } else {
        const DateReading date = read_date(period_raw, m.day_first);
        if (date.shape != DateShape::NotADate) {
          if (!date_period(date, period_raw, line, period)) continue;
        } else {
          period = Period::parse(period_raw);
        }
        if (period) {
          auto fr = period->frequency();
          bool ok = m.period_format == "auto" ||
                    (m.period_format == "YYYY-MM" && fr == Frequency::Month) ||
                    (m.period_format == "YYYY" && fr == Frequency::Year) ||
                    (m.period_format == "YYYY-Qn" && fr == Frequency::Quarter);
          if (!ok) period.reset();
        }
        // Annual totals stored at a YYYY-01 month (as in Panama's Darién series).
        if (period && m.annual_through && period->frequency() == Frequency::Month &&
            period->year() <= *m.annual_through) {
          if (period->sub() != 1) {
            b.problem(line, m.period_column, period_raw,
                      "an annual total at month 01 for years up to " + std::to_string(*m.annual_through));
            continue;
          }
          period = Period::year(period->year());
        }
        if (period && m.frequency == Frequency::Year && period->frequency() == Frequency::Month)
          period = Period::year(period->year());
      }
    } else {
      int y = 0;
      std::string_view yr = trim(f[year_col]);
      period_raw = std::string(yr);
      auto [p, ec] = std::from_chars(yr.data(), yr.data() + yr.size(), y);
      if (ec == std::errc() && p == yr.data() + yr.size() && y > 1900 && y < 2200) {
        if (month_col >= 0) {
          std::string_view mr = trim(f[month_col]);
          int mo = parse_month_name(mr);
          if (mo == 0) std::from_chars(mr.data(), mr.data() + mr.size(), mo);
          if (mo >= 1 && mo <= 12) period = Period::month(y, mo);
          else period_raw += "-" + std::string(mr);
        } else {
          period = Period::year(y);
        }
      }
    }
    if (!period) {
      std::string expected = m.period_format == "auto" ? "a period such as 2023-07, 2023-Q3 or 2023"
                                                       : "a period in the form " + m.period_format;
      b.problem(line, period_col >= 0 ? m.period_column : m.year_column, period_raw, expected);
      continue;
    }

    // Counts: every count column is checked before anything is added, so a
    // bad cell rejects its whole row.
    bool bad_count = false, any = false;
    for (size_t c = 0; c < n_counts; ++c) {
      bool missing = false;
      if (!b.count(f[counts[c].column], line, header[counts[c].column], row_values[c], missing)) bad_count = true;
      row_missing[c] = missing;
      any = any || !row_missing[c];
    }
    if (bad_count || !any) continue;

    // Fields, each expanded by its [multiple.FIELD] rule.
    for (size_t i = 0; i < fields.size(); ++i) {
      if (static_cast<int>(i) == melt_field) continue;
      read_raw(i);
      expand(fields[i], raw[i], values[i]);
    }
    // Every combination of the split values, for every count column.
    std::fill(pick.begin(), pick.end(), 0);
    bool bad_row = false;
    emit.clear();
    while (true) {
      for (size_t c = 0; c < n_counts; ++c) {
        if (row_missing[c]) continue;
        cache.clear();
        for (size_t i = 0; i < fields.size(); ++i) {
          if (static_cast<int>(i) == melt_field) cache.append(std::to_string(c));
          else if (fields[i].given()) cache.append(values[i][pick[i]]);
          cache.push_back('\x1f');
        }
        auto value_of = [&](size_t i) -> std::string_view {
          if (static_cast<int>(i) == melt_field) return counts[c].value;
          return mapped(fields[i], values[i][pick[i]]);
        };
        uint32_t series = b.series_for(cache, [&] {
          SeriesDef d;
          for (size_t i = 0; i < fields.size(); ++i) {
            const ResolvedField& r = fields[i];
            std::string_view v = value_of(i);
            const std::string col = column_name(r);
            switch (static_cast<FieldIndex>(i)) {
              case kReporter: d.key.reporter = b.country(v, line, col); break;
              case kCitizenship:
              case kCounterpart: {
                std::string& out = i == kCitizenship ? d.key.citizenship : d.key.counterpart;
                out = v.empty() ? "" : b.country(v, line, col);
                if (out.empty() && !v.empty()) out = "\x01";  // unknown
                break;
              }
              case kLocation: d.key.location = std::string(v); break;
              case kEvent: d.key.event = std::string(v); break;
              case kDemographic: d.key.demographic = std::string(v); break;
              case kAuthority: d.key.authority = std::string(v); break;
              case kUnit:
                // No unit declared: the model's default, events.
                d.unit = !r.given() && static_cast<int>(i) != melt_field
                             ? Unit::Events
                             : parse_unit(v).value_or(static_cast<Unit>(0));
                break;
              case kStatus: break;
            }
          }
          return d;
        });
        const SeriesDef& d = b.file().series[series];
        bool bad = false;
        if (d.key.reporter.empty() || d.key.citizenship == "\x01" || d.key.counterpart == "\x01") {
          bad = true;  // reported once per name by finish(); count this line too
          if (!b.last_series_was_new()) {
            if (d.key.reporter.empty()) b.country(value_of(kReporter), line, "");
            if (d.key.citizenship == "\x01") b.country(value_of(kCitizenship), line, "");
            if (d.key.counterpart == "\x01") b.country(value_of(kCounterpart), line, "");
          }
        }
        if (!is_known_event(d.key.event)) {
          b.problem(line, column_name(fields[kEvent]), std::string(value_of(kEvent)),
                    "an event from the vocabulary (or a [values.event] entry mapping it; " + event_vocabulary_hint() +
                        ")");
          bad = true;
        }
        if (!is_known_demographic(d.key.demographic)) {
          b.problem(line, column_name(fields[kDemographic]), std::string(value_of(kDemographic)),
                    "a demographic code (or a [values.demographic] entry mapping it): " + demographic_code_list());
          bad = true;
        }
        if (static_cast<int>(d.unit) == 0) {
          b.problem(line, column_name(fields[kUnit]), std::string(value_of(kUnit)),
                    "events, persons or cases (or a [values.unit] entry mapping it)");
          bad = true;
        }
        Status status = Status::Final;
        if (fields[kStatus].given()) {
          auto st = parse_status(value_of(kStatus));
          if (!st) {
            b.problem(line, column_name(fields[kStatus]), std::string(value_of(kStatus)),
                      "provisional, final or estimated (or a [values.status] entry mapping it)");
            bad = true;
          } else {
            status = *st;
          }
        }
        if (bad) {
          bad_row = true;
          break;
        }
        emit.push_back(Emission{series, row_values[c], status});
      }
      if (bad_row) break;
      // Next combination of split values.
      size_t i = 0;
      for (; i < fields.size(); ++i) {
        if (static_cast<int>(i) == melt_field) continue;
        if (++pick[i] < values[i].size()) break;
        pick[i] = 0;
      }
      if (i == fields.size()) break;
    }
    // A row is stored whole or not at all.
    if (!bad_row)
      for (const Emission& e : emit) b.add(e.series, *period, e.value, e.status, line);
  }
  b.set_rows_read(rows);
  return b.finish();
}

}  // namespace atalaya
