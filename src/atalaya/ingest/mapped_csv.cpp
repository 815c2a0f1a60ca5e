// Mapped CSV and HXL ingest.
#include "atalaya/ingest/mapped_csv.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "atalaya/core/text.h"
#include "atalaya/core/country.h"
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
  std::string fixed;
  const std::map<std::string, std::string>* values = nullptr;
};

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

  const int count_col = find_column("count", m.count_column);
  const int period_col = m.period_column.empty() ? -1 : find_column("period", m.period_column);
  const int year_col = m.year_column.empty() ? -1 : find_column("year", m.year_column);
  const int month_col = m.month_column.empty() ? -1 : find_column("month", m.month_column);
  std::vector<ResolvedField> fields;
  for (const char* name : kMappedFields) {
    ResolvedField r;
    r.field = name;
    if (auto it = m.columns.find(name); it != m.columns.end()) r.column = find_column(name, it->second);
    else if (auto it2 = m.fixed.find(name); it2 != m.fixed.end()) r.fixed = it2->second;
    if (auto it3 = m.values.find(name); it3 != m.values.end()) r.values = &it3->second;
    fields.push_back(std::move(r));
  }
  std::vector<std::pair<int, const std::set<std::string>*>> filters;
  for (auto& [col, allowed] : m.filter) filters.emplace_back(find_column("filter." + col, col), &allowed);

  ParsedFileBuilder b(m.source, path, hxl ? "hxl" : "mapped-csv");
  b.set_source_name(m.name);
  b.set_max_count(m.max_count);
  const size_t width = header.size();
  std::string cache;
  uint32_t rows = 0;
  auto value_of = [&](const ResolvedField& r) -> std::string_view {
    std::string_view raw = r.column >= 0 ? trim(f[r.column]) : std::string_view(r.fixed);
    if (r.values) {
      auto it = r.values->find(std::string(raw));
      if (it != r.values->end()) return it->second;
    }
    return raw;
  };

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
        period = Period::parse(period_raw);
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

    int64_t value = 0;
    bool missing = false;
    if (!b.count(f[count_col], line, header[count_col], value, missing)) continue;
    if (missing) continue;

    cache.clear();
    for (auto& r : fields) {
      if (r.column >= 0) cache.append(f[r.column]);
      cache.push_back('\x1f');
    }
    bool bad = false;
    uint32_t series = b.series_for(cache, [&] {
      SeriesDef d;
      for (auto& r : fields) {
        std::string_view v = value_of(r);
        const std::string col = r.column >= 0 ? header[r.column] : "source." + r.field;
        if (r.field == "reporter") {
          d.key.reporter = b.country(v, line, col);
        } else if (r.field == "citizenship") {
          d.key.citizenship = v.empty() ? "" : b.country(v, line, col);
          if (d.key.citizenship.empty() && !v.empty()) d.key.citizenship = "\x01";  // unknown
        } else if (r.field == "location") {
          d.key.location = std::string(v);
        } else if (r.field == "event") {
          d.key.event = std::string(v);
        } else if (r.field == "demographic") {
          d.key.demographic = std::string(v);
        } else if (r.field == "authority") {
          d.key.authority = std::string(v);
        } else if (r.field == "unit") {
          // No unit declared: the model's default, events.
          d.unit = r.column < 0 && r.fixed.empty() ? Unit::Events
                                                   : parse_unit(v).value_or(static_cast<Unit>(0));
        }
      }
      return d;
    });
    const SeriesDef& d = b.file().series[series];
    if (d.key.reporter.empty() || d.key.citizenship == "\x01") {
      bad = true;  // reported once per name by finish(); count this line too
      if (!b.last_series_was_new()) {
        if (d.key.reporter.empty()) b.country(value_of(fields[0]), line, "");
        if (d.key.citizenship == "\x01") b.country(value_of(fields[2]), line, "");
      }
    }
    if (!is_known_event(d.key.event)) {
      auto& r = fields[3];
      b.problem(line, r.column >= 0 ? header[r.column] : "source.event", std::string(value_of(r)),
                "an event from the vocabulary (or a [values.event] entry mapping it)");
      bad = true;
    }
    if (static_cast<int>(d.unit) == 0) {
      auto& r = fields[6];
      b.problem(line, r.column >= 0 ? header[r.column] : "source.unit", std::string(value_of(r)),
                "events, persons or cases (or a [values.unit] entry mapping it)");
      bad = true;
    }
    Status status = Status::Final;
    if (auto& r = fields[7]; r.column >= 0 || !r.fixed.empty()) {
      auto s = parse_status(value_of(r));
      if (!s) {
        b.problem(line, r.column >= 0 ? header[r.column] : "source.status", std::string(value_of(r)),
                  "provisional, final or estimated (or a [values.status] entry mapping it)");
        bad = true;
      } else {
        status = *s;
      }
    }
    if (bad) continue;
    b.add(series, *period, value, status, line);
  }
  b.set_rows_read(rows);
  return b.finish();
}

}  // namespace atalaya
