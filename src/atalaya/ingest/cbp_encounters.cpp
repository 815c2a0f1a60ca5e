// CBP encounter layouts -> harmonised observations.
#include "atalaya/ingest/cbp_encounters.h"

#include <cctype>
#include <algorithm>
#include <charconv>
#include <exception>
#include <thread>

#include "atalaya/core/huge_pages.h"
#include "atalaya/core/period.h"
#include "atalaya/ingest/csv_reader.h"

namespace atalaya {
namespace {

std::string encounter_event(std::string_view type) {
  std::string t = normalise_header(type);
  if (t == "apprehensions" || t == "apprehension") return "apprehension";
  if (t == "inadmissibles" || t == "inadmissible") return "inadmissible";
  if (t == "expulsions" || t == "expulsion") return "expulsion";
  return "";
}

// CBP's demographic labels, old and new.
std::string demographic_code(std::string_view raw) {
  std::string t = normalise_header(raw);
  if (t == "single_adults" || t == "single_adult") return "single_adult";
  if (t == "fmua" || t == "family_units" || t == "individuals_in_a_family_unit") return "family_unit";
  if (t == "uac" || t == "uc_single_minors" || t == "unaccompanied_children" ||
      t == "uc_single_minor" || t == "uac_single_minors")
    return "unaccompanied_child";
  if (t == "accompanied_minors" || t == "accompanied_minor") return "accompanied_minor";
  return "";
}

struct Columns {
  int fiscal_year = -1, month = -1, component = -1, region = -1, aor = -1, demographic = -1,
      citizenship = -1, authority = -1, type = -1, count = -1;
};

}  // namespace

std::string normalise_header(std::string_view name) {
  std::string out;
  bool gap = false;
  for (unsigned char c : name) {
    if (std::isalnum(c)) {
      if (gap && !out.empty()) out.push_back('_');
      gap = false;
      out.push_back(static_cast<char>(std::tolower(c)));
    } else {
      gap = true;
    }
  }
  return out;
}

static Columns find_columns(const std::vector<std::string_view>& header) {
  Columns c;
  for (int i = 0; i < static_cast<int>(header.size()); ++i) {
    std::string h = normalise_header(header[i]);
    if (h == "fiscal_year") c.fiscal_year = i;
    else if (h == "month_abbv" || h == "month") c.month = i;
    else if (h == "component") c.component = i;
    else if (h == "land_border_region") c.region = i;
    else if (h == "area_of_responsibility") c.aor = i;
    else if (h == "demographic") c.demographic = i;
    else if (h == "citizenship_grouping" || h == "citizenship") c.citizenship = i;
    else if (h == "title_of_authority") c.authority = i;
    else if (h == "encounter_type") c.type = i;
    else if (h == "encounter_count") c.count = i;
  }
  return c;
}

CbpLayout detect_cbp_layout(const std::vector<std::string_view>& header) {
  Columns c = find_columns(header);
  if (c.fiscal_year < 0 || c.month < 0 || c.count < 0 || c.citizenship < 0 || c.type < 0 ||
      c.demographic < 0 || c.authority < 0)
    return CbpLayout::None;
  if (c.aor >= 0) return CbpLayout::Nationwide;
  if (c.component >= 0) return CbpLayout::SouthwestBorder;
  return CbpLayout::None;
}

namespace {

// Parses the data records of `chunk` (whole lines of a CBP file whose first
// line is `first_line`) into `b`.
void parse_records(std::string_view chunk, uint32_t first_line, const Columns& c, size_t width, bool swb,
                   ParsedFileBuilder& b, ParseProgress* progress) {
  size_t reported = 0;
  CsvReader csv(chunk, ',', first_line);
  std::vector<std::string_view> f;
  const int location_col = swb ? c.component : c.aor;
  std::string cache;
  FieldInterner interners[5];
  std::vector<uint8_t> key_ok;  // per series: 1 complete, 0 not, 2 unknown yet
  uint32_t rows = 0;
  while (csv.next_record(f)) {
    const uint32_t line = csv.line();
    if (f.size() == 1 && f[0].empty()) continue;  // blank line
    if ((++rows & 0x3FFF) == 0 && progress) {
      progress->done += csv.offset() - reported;
      reported = csv.offset();
    }
    if (f.size() != width) {
      b.problem(line, "", std::string(f[0]),
                std::to_string(width) + " fields, found " + std::to_string(f.size()));
      continue;
    }
    // Fiscal year: "2023" or "2025 (FYTD)" (the current, incomplete year).
    std::string_view fy_raw = trim(f[c.fiscal_year]);
    int fy = 0;
    auto [p, ec] = std::from_chars(fy_raw.data(), fy_raw.data() + fy_raw.size(), fy);
    bool fytd = p != fy_raw.data() + fy_raw.size() && trim(std::string_view(p, fy_raw.data() + fy_raw.size() - p)) == "(FYTD)";
    if (ec != std::errc() || fy < 1900 || fy > 2200 ||
        (p != fy_raw.data() + fy_raw.size() && !fytd)) {
      b.problem(line, "Fiscal Year", std::string(fy_raw), "a fiscal year such as 2023 or 2025 (FYTD)");
      continue;
    }
    int month = parse_month_name(f[c.month]);
    if (month == 0) {
      b.problem(line, "Month (abbv)", std::string(f[c.month]), "a month abbreviation JAN..DEC");
      continue;
    }
    Period period = Period::month(month >= 10 ? fy - 1 : fy, month);
    int64_t value = 0;
    bool missing = false;
    if (!b.count(f[c.count], line, "Encounter Count", value, missing)) continue;
    if (missing) continue;

    // Key of the raw values: 12 bits per column id; past 4,096 distinct
    // values in a column, fall back to a string key.
    const int cols[5] = {location_col, c.demographic, c.citizenship, c.authority, c.type};
    uint64_t packed = 0;
    bool fits = true;
    for (int i = 0; i < 5; ++i) {
      uint32_t id = interners[i].id(f[cols[i]]);
      fits = fits && id < 4096;
      packed = (packed << 12) | (id & 4095);
    }
    auto make = [&] {
      SeriesDef d;
      d.key.reporter = "USA";
      d.key.location = std::string(trim(f[location_col]));
      d.key.citizenship = b.country(f[c.citizenship], line, swb ? "Citizenship Grouping" : "Citizenship");
      d.key.event = encounter_event(f[c.type]);
      d.key.demographic = demographic_code(f[c.demographic]);
      d.key.authority = std::string(trim(f[c.authority]));
      d.unit = Unit::Events;
      return d;
    };
    uint32_t series;
    if (fits) {
      series = b.series_for(packed, make);
    } else {
      cache.clear();
      for (int col : cols) cache.append(f[col]).push_back('\x1f');
      series = b.series_for(cache, make);
    }
    // Whether a series' key is complete is worked out once per series and
    // kept in a byte: reading the key itself for every row misses the cache.
    if (series >= key_ok.size()) key_ok.resize(series + 1, 2);
    if (key_ok[series] == 1) {
      b.add(series, period, value, fytd ? Status::Provisional : Status::Final, line);
      continue;
    }
    bool bad = false;
    const SeriesKey& k = b.file().series[series].key;
    key_ok[series] = !k.citizenship.empty() && !k.event.empty() && !k.demographic.empty();
    if (k.citizenship.empty()) {
      bad = true;  // reported once per name by finish(); count this line too
      if (!b.last_series_was_new()) b.country(f[c.citizenship], line, "");
    }
    if (k.event.empty()) {
      b.problem(line, "Encounter Type", std::string(f[c.type]), "Apprehensions, Inadmissibles or Expulsions");
      bad = true;
    }
    if (k.demographic.empty()) {
      b.problem(line, "Demographic", std::string(f[c.demographic]),
                "Single Adults, FMUA, UAC or Accompanied Minors");
      bad = true;
    }
    if (bad) continue;
    b.add(series, period, value, fytd ? Status::Provisional : Status::Final, line);
  }
  b.set_rows_read(rows);
  if (progress) progress->done += csv.offset() - reported;
}

}  // namespace

ParsedFile read_cbp_encounters(const std::string& path, std::string_view text, ParseProgress* progress) {
  CsvReader csv(text);
  std::vector<std::string_view> f;
  if (!csv.next_record(f)) throw InputError(InputProblem{path, 1, "", "", "a CBP encounters header"});
  CbpLayout layout = detect_cbp_layout(f);
  if (layout == CbpLayout::None)
    throw InputError(InputProblem{path, 1, "", std::string(f.empty() ? "" : f[0]),
                                  "a CBP encounters header (Fiscal Year, Month (abbv), ..., Encounter Count)"});
  const Columns c = find_columns(f);
  const size_t width = f.size();
  const bool swb = layout == CbpLayout::SouthwestBorder;
  const char* source = swb ? "us-cbp-swb" : "us-cbp-nationwide";
  const char* format = swb ? "cbp-swb" : "cbp-nationwide";
  ParsedFileBuilder b(source, path, format);
  b.set_source_name(swb ? "U.S. CBP southwest land border encounters" : "U.S. CBP nationwide encounters");
  {
    SourceDeclaration d;
    d.measure = Measure::Flow;
    d.coverage = swb ? "U.S. southwest land border (Border Patrol sectors and OFO field offices)"
                     : "every U.S. border and port of entry";
    // Both files count the same encounters as the sector-level nationality
    // file (gdidata's us-cbp-swb-nat); nationwide includes the southwest border.
    d.overlaps = swb ? std::vector<std::string>{"us-cbp-swb-nat", "us-cbp-nationwide"}
                     : std::vector<std::string>{"us-cbp-swb", "us-cbp-swb-nat"};
    d.publisher = "U.S. Customs and Border Protection";
    d.licence = "Public domain (U.S. government work)";
    d.schedule = "M";
    b.file().declaration = d;
  }
  const std::string_view body = text.substr(csv.offset());
  const uint32_t body_line = csv.line() + 1;

  // Large files are parsed in two halves on two threads. The split is at a
  // line end with an even number of quotes before it, so no quoted field
  // is cut; otherwise the file is parsed in one piece.
  size_t split = std::string_view::npos;
  if (body.size() > (8u << 20)) {
    size_t nl = body.find('\n', body.size() / 2);
    if (nl != std::string_view::npos &&
        std::count(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(nl), '"') % 2 == 0)
      split = nl + 1;
  }
  // Room for every row at once, estimated from the first line's length
  // with a quarter to spare: growing a vector of millions of rows copies
  // it each time and touches fresh memory page by page. The second half's
  // rows are appended to the first builder's (absorb), so it takes room
  // for all of them.
  const size_t first_end = body.find('\n');
  const size_t first_length = first_end == std::string_view::npos ? body.size() + 1 : first_end + 1;
  const size_t expected_rows = body.size() / first_length * 5 / 4 + 16;
  b.file().rows.reserve(expected_rows);
  advise_huge_pages(b.file().rows);
  if (split == std::string_view::npos || split >= body.size()) {
    parse_records(body, body_line, c, width, swb, b, progress);
    return b.finish();
  }
  const std::string_view first = body.substr(0, split), second = body.substr(split);
  const auto second_line =
      body_line + static_cast<uint32_t>(std::count(first.begin(), first.end(), '\n'));
  ParsedFileBuilder b2(source, path, format);
  b2.file().rows.reserve(expected_rows / 2 + 16);
  advise_huge_pages(b2.file().rows);
  std::exception_ptr failure;
  std::thread worker([&] {
    try {
      parse_records(second, second_line, c, width, swb, b2, progress);
    } catch (...) {
      failure = std::current_exception();
    }
  });
  parse_records(first, body_line, c, width, swb, b, progress);
  worker.join();
  if (failure) std::rethrow_exception(failure);
  b.absorb(std::move(b2));
  return b.finish();
}

}  // namespace atalaya
