// SDMX-CSV 1.0 / 2.0 reading and writing for ATALAYA:MIGRATION_FLOWS.
#include "atalaya/ingest/sdmx_csv.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <map>
#include <stdexcept>

#include "atalaya/ingest/csv_reader.h"

namespace atalaya {
namespace {

constexpr std::string_view kBom = "\xEF\xBB\xBF";

std::string_view strip_bom(std::string_view s) {
  if (s.substr(0, kBom.size()) == kBom) s.remove_prefix(kBom.size());
  return s;
}

// A column header's component ID: "TIME_PERIOD: Time" -> TIME_PERIOD (labels=both),
// "STRUCTURE[;]" / "ATTR[]" -> STRUCTURE / ATTR (multi-value markers).
std::string_view header_id(std::string_view h) {
  h = trim(strip_bom(h));
  if (auto c = h.find(':'); c != std::string_view::npos) h = h.substr(0, c);
  if (auto b = h.find('['); b != std::string_view::npos) h = h.substr(0, b);
  return trim(h);
}

// A coded value without its label: "M: Monthly" -> M (labels=both separates
// the code and its name with ": ").
std::string_view value_code(std::string_view v) {
  v = trim(v);
  if (auto c = v.find(": "); c != std::string_view::npos) v = v.substr(0, c);
  return trim(v);
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::toupper(static_cast<unsigned char>(x)) == std::toupper(static_cast<unsigned char>(y));
         });
}

bool is_separator(char c) { return c == ',' || c == ';' || c == '\t' || c == '|'; }

// Position just after the leading STRUCTURE / STRUCTURE[x] term, or npos.
size_t after_structure_term(std::string_view s) {
  if (s.substr(0, 9) != "STRUCTURE") return std::string_view::npos;
  size_t pos = 9;
  if (pos < s.size() && s[pos] == '[') {
    auto close = s.find(']', pos);
    if (close == std::string_view::npos) return std::string_view::npos;
    pos = close + 1;
  }
  return pos;
}

// The field separator: the character following the first column's term
// (SDMX-CSV 2.0 says so for STRUCTURE; applied to DATAFLOW as well).
char sniff_delimiter(std::string_view text) {
  text = strip_bom(text);
  size_t pos = std::string_view::npos;
  if (text.substr(0, 8) == "DATAFLOW") pos = 8;
  else pos = after_structure_term(text);
  if (pos != std::string_view::npos && pos < text.size() && is_separator(text[pos])) return text[pos];
  return ',';
}

bool parse_digits(std::string_view s, size_t n, int& out) {
  if (s.size() != n) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  std::from_chars(s.data(), s.data() + s.size(), out);
  return true;
}

bool plausible_year(int y) { return y >= 1900 && y <= 2200; }

// SDMX TIME_PERIOD forms used by the dataflow: 2023, 2023-A1, 2023-Q3,
// 2023-07, 2023-M07, and Atalaya's FY2023 (fiscal year starting in October).
std::optional<Period> parse_sdmx_period(std::string_view t) {
  int y = 0, s = 0;
  if (t.size() == 6 && (t[0] == 'F' || t[0] == 'f') && (t[1] == 'Y' || t[1] == 'y')) {
    if (parse_digits(t.substr(2), 4, y) && plausible_year(y)) return Period::fiscal_year(y, 10);
    return std::nullopt;
  }
  if (t.size() < 4 || !parse_digits(t.substr(0, 4), 4, y) || !plausible_year(y)) return std::nullopt;
  if (t.size() == 4) return Period::year(y);
  if (t[4] != '-') return std::nullopt;
  std::string_view rest = t.substr(5);
  if (rest == "A1") return Period::year(y);  // a reporting year starting on 1 January
  if (rest.size() == 2 && rest[0] == 'Q' && parse_digits(rest.substr(1), 1, s) && s >= 1 && s <= 4)
    return Period::quarter(y, s);
  if (!rest.empty() && rest[0] == 'M') rest.remove_prefix(1);
  if (parse_digits(rest, 2, s) && s >= 1 && s <= 12) return Period::month(y, s);
  return std::nullopt;
}

std::optional<Frequency> parse_sdmx_freq(std::string_view code) {
  if (code == "M") return Frequency::Month;
  if (code == "Q") return Frequency::Quarter;
  if (code == "A") return Frequency::Year;
  if (code == "FY") return Frequency::FiscalYear;  // Atalaya's convention, not an SDMX code
  return std::nullopt;
}

std::string_view freq_code(Frequency f) {
  switch (f) {
    case Frequency::Month: return "M";
    case Frequency::Quarter: return "Q";
    case Frequency::Year: return "A";
    case Frequency::FiscalYear: return "FY";
  }
  return "";
}

std::string_view freq_example(Frequency f) {
  switch (f) {
    case Frequency::Month: return "2023-07 or 2023-M07";
    case Frequency::Quarter: return "2023-Q3";
    case Frequency::Year: return "2023";
    case Frequency::FiscalYear: return "FY2023";
  }
  return "";
}

std::string sdmx_period_text(const Period& p) {
  char buf[16];
  switch (p.frequency()) {
    case Frequency::Month: std::snprintf(buf, sizeof buf, "%04d-%02d", p.year(), p.sub()); break;
    case Frequency::Quarter: std::snprintf(buf, sizeof buf, "%04d-Q%d", p.year(), p.sub()); break;
    case Frequency::Year: std::snprintf(buf, sizeof buf, "%04d", p.year()); break;
    case Frequency::FiscalYear: std::snprintf(buf, sizeof buf, "FY%04d", p.year()); break;
  }
  return buf;
}

std::optional<Unit> parse_unit_code(std::string_view code) {
  if (iequals(code, "EVENTS")) return Unit::Events;
  if (iequals(code, "PERSONS")) return Unit::Persons;
  if (iequals(code, "CASES")) return Unit::Cases;
  return std::nullopt;
}

std::string_view unit_code(Unit u) {
  switch (u) {
    case Unit::Events: return "EVENTS";
    case Unit::Persons: return "PERSONS";
    case Unit::Cases: return "CASES";
  }
  return "";
}

// OBS_STATUS, SDMX code list CL_OBS_STATUS: A normal, P provisional, E estimated.
std::optional<Status> parse_status_code(std::string_view code) {
  if (code == "A") return Status::Final;
  if (code == "P") return Status::Provisional;
  if (code == "E") return Status::Estimated;
  return std::nullopt;
}

std::string_view status_code(Status s) {
  switch (s) {
    case Status::Final: return "A";
    case Status::Provisional: return "P";
    case Status::Estimated: return "E";
  }
  return "";
}

// AGENCY:ID(VERSION) or AGENCY:ID (non-versioned, SDMX 3.0): true if it names
// Atalaya's dataflow (any version).
bool is_our_dataflow(std::string_view ref) {
  auto colon = ref.find(':');
  if (colon == std::string_view::npos || ref.substr(0, colon) != kSdmxAgency) return false;
  std::string_view rest = ref.substr(colon + 1);
  auto paren = rest.find('(');
  if (paren == std::string_view::npos) return rest == kSdmxDataflowId;
  return rest.substr(0, paren) == kSdmxDataflowId && rest.back() == ')' && rest.size() > paren + 2;
}

enum Col {
  kStructure,    // v1 DATAFLOW (holds the reference), v2 STRUCTURE (holds the type)
  kStructureId,  // v2 only
  kAction,       // v2 only, optional
  kSource,
  kReporter,
  kLocation,
  kCitizenship,
  kCounterpart,  // optional: files written before the dimension existed lack it
  kEvent,
  kDemographic,
  kAuthority,
  kFreq,
  kTimePeriod,
  kObsValue,
  kUnit,
  kStatus,
  kNumCols
};

constexpr std::string_view kColNames[kNumCols] = {
    "STRUCTURE",   "STRUCTURE_ID", "ACTION", "SOURCE",      "REPORTER",  "LOCATION",     "CITIZENSHIP", "COUNTERPART",
    "EVENT",       "DEMOGRAPHIC",  "AUTHORITY", "FREQ",     "TIME_PERIOD", "OBS_VALUE",  "UNIT_MEASURE", "OBS_STATUS"};

// Problems that would repeat on every row (a file for another dataflow) are
// reported once per distinct value, with the number of lines.
struct Repeated {
  uint32_t first_line = 0;
  std::string column;
  std::string value;
  std::string expected;
  uint32_t occurrences = 0;
};


}  // namespace

std::optional<SdmxCsvVersion> detect_sdmx_csv(const std::vector<std::string_view>& header) {
  if (header.empty()) return std::nullopt;
  std::string_view h0 = trim(strip_bom(header[0]));
  if (header_id(h0) == "DATAFLOW") return SdmxCsvVersion::V1;
  if (h0.substr(0, 8) == "DATAFLOW" && h0.size() > 8 && is_separator(h0[8])) return SdmxCsvVersion::V1;
  size_t pos = after_structure_term(h0);
  if (pos == std::string_view::npos) return std::nullopt;
  if (pos == h0.size())
    return header.size() >= 2 && header_id(header[1]) == "STRUCTURE_ID" ? std::optional(SdmxCsvVersion::V2)
                                                                        : std::nullopt;
  // The whole header in one field: split with the wrong separator.
  if (is_separator(h0[pos]) && h0.substr(pos + 1, 12) == "STRUCTURE_ID") return SdmxCsvVersion::V2;
  return std::nullopt;
}

ParsedFile read_sdmx_csv(const std::string& path, std::string_view text, const std::string& default_source,
                         int64_t max_count) {
  const char delim = sniff_delimiter(text);
  CsvReader csv(text, delim);
  std::vector<std::string_view> f;
  const std::string expected_header =
      "an SDMX-CSV header: DATAFLOW,... (SDMX-CSV 1.0) or STRUCTURE,STRUCTURE_ID,... (SDMX-CSV 2.0)";
  if (!csv.next_record(f)) throw InputError(InputProblem{path, 1, "", "", expected_header});
  const auto version = detect_sdmx_csv(f);
  if (!version) throw InputError(InputProblem{path, 1, "", std::string(trim(f[0])), expected_header});
  const bool v2 = *version == SdmxCsvVersion::V2;

  // Locate the columns; the first occurrence of an ID wins (with labels=name
  // a component's ID column precedes its name column).
  int col[kNumCols];
  std::fill(std::begin(col), std::end(col), -1);
  std::string available;
  for (int i = 0; i < static_cast<int>(f.size()); ++i) {
    std::string_view id = header_id(f[i]);
    available += (i ? ", " : "") + std::string(trim(f[i]));
    if (!v2 && id == "DATAFLOW") id = "STRUCTURE";
    if (!v2 && (id == "STRUCTURE" || id == "STRUCTURE_ID" || id == "ACTION") && i > 0) continue;
    for (int k = 0; k < kNumCols; ++k)
      if (id == kColNames[k] && col[k] < 0) col[k] = i;
  }
  std::vector<InputProblem> missing;
  auto require = [&](Col c, const std::string& what) {
    if (col[c] < 0)
      missing.push_back(InputProblem{path, 1, std::string(kColNames[c]), "",
                                     what + " (columns here: " + available + ")"});
  };
  require(kTimePeriod, "a TIME_PERIOD column");
  require(kObsValue, "an OBS_VALUE column");
  if (default_source.empty()) require(kSource, "a SOURCE column, or a default source for the file");
  if (!missing.empty()) throw InputError(std::move(missing));
  const size_t width = f.size();

  // The file's source: the first SOURCE value in the file, else the default.
  std::string source = default_source;
  uint32_t source_line = 0;
  if (col[kSource] >= 0) {
    CsvReader scan(text, delim);
    std::vector<std::string_view> r;
    scan.next_record(r);
    while (scan.next_record(r)) {
      if (static_cast<size_t>(col[kSource]) >= r.size()) continue;
      std::string_view s = value_code(r[col[kSource]]);
      if (!s.empty() && s != "_T") {  // "_T": a total over sources, not a source
        source = std::string(s);
        source_line = scan.line();
        break;
      }
    }
  }

  ParsedFileBuilder b(source, path, v2 ? "sdmx-csv-2.0" : "sdmx-csv-1.0");
  b.set_max_count(max_count);
  // SDMX-CSV carries its own actions (append, replace, information): a file
  // adds and revises, it never stands for everything its source holds.
  b.file().complete_release = false;
  b.file().digest = sha256_hex(text);
  b.file().bytes = text.size();

  std::map<std::string, Repeated> repeated;
  auto repeat_problem = [&](uint32_t line, std::string column, std::string value, std::string expected) {
    auto& r = repeated[column + '\x1f' + value];
    if (r.occurrences++ == 0) r = Repeated{line, std::move(column), std::move(value), std::move(expected), 1};
  };
  auto field = [&](Col c) -> std::string_view { return col[c] >= 0 ? trim(f[col[c]]) : std::string_view(); };
  // "_T" is SDMX's code for a total: the same as an empty dimension here, so
  // Atalaya's own aggregated exports read back.
  auto coded = [&](Col c) -> std::string_view {
    std::string_view v = col[c] >= 0 ? value_code(f[col[c]]) : std::string_view();
    return v == "_T" ? std::string_view() : v;
  };

  std::vector<uint32_t> series_line;  // first line of each series, for unit conflicts
  std::string cache, number;
  uint32_t rows = 0;
  while (csv.next_record(f)) {
    const uint32_t line = csv.line();
    if (f.size() == 1 && trim(f[0]).empty()) continue;
    ++rows;
    if (csv.unterminated_quote()) {
      b.problem(line, "", "", "a closing double quote for the field opened on this line");
      continue;
    }
    if (f.size() != width) {
      b.problem(line, "", std::string(f[0]),
                std::to_string(width) + " fields as in the header, found " + std::to_string(f.size()));
      continue;
    }

    // Structure reference.
    if (v2) {
      std::string_view type = coded(kStructure);
      std::string_view ref = col[kStructureId] >= 0 ? value_code(f[col[kStructureId]]) : std::string_view();
      if (!iequals(type, "dataflow")) {
        repeat_problem(line, "STRUCTURE", std::string(type), "dataflow (the structure type of Atalaya data)");
        continue;
      }
      if (!is_our_dataflow(ref)) {
        repeat_problem(line, "STRUCTURE_ID", std::string(ref), "the dataflow " + std::string(kSdmxDataflow));
        continue;
      }
    } else {
      std::string_view ref = coded(kStructure);
      if (!is_our_dataflow(ref)) {
        repeat_problem(line, "DATAFLOW", std::string(ref), "the dataflow " + std::string(kSdmxDataflow));
        continue;
      }
    }

    // Action (v2): Information, Append and Replace load; Delete is not supported.
    if (v2 && col[kAction] >= 0) {
      std::string_view action = coded(kAction);
      if (action == "D") {
        b.problem(line, "ACTION", "D", "deletions are not supported (action I, A or R)");
        continue;
      }
      if (!action.empty() && action != "I" && action != "A" && action != "R") {
        b.problem(line, "ACTION", std::string(action), "I (information), A (append) or R (replace)");
        continue;
      }
    }

    bool bad = false;

    // Measure. An empty value (or NaN) is no observation: skip the row.
    std::string_view raw = field(kObsValue);
    if (raw == "NaN") continue;
    if (delim != ',' && raw.find('.') != std::string_view::npos) {
      // With a ';' (or other) separator the decimal mark is ','; a '.' may be a
      // thousands separator, so 1.234 is refused rather than read as 1.
      b.problem(line, "OBS_VALUE", std::string(raw),
                std::string("a whole number without '.' (this file is separated by '") + delim +
                    "', so ',' is the decimal mark)");
      bad = true;
    }
    int64_t value = 0;
    bool is_missing = false;
    if (!bad) {
      std::string_view v = raw;
      if (delim != ',') {
        number.assign(raw);
        std::replace(number.begin(), number.end(), ',', '.');
        v = number;
      }
      if (!b.count(v, line, "OBS_VALUE", value, is_missing)) bad = true;
      else if (is_missing) continue;
    }

    // Source.
    std::string_view src = coded(kSource);
    if (src.empty()) {
      if (b.file().source.empty()) {
        b.problem(line, "SOURCE", "", "a dataset id (the file has no SOURCE value and no default source)");
        bad = true;
      }
    } else if (src != b.file().source) {
      b.problem(line, "SOURCE", std::string(src),
                "one SOURCE per file: \"" + b.file().source + "\" as on line " + std::to_string(source_line));
      bad = true;
    }

    // Period.
    std::optional<Frequency> freq;
    if (std::string_view fc = coded(kFreq); !fc.empty()) {
      freq = parse_sdmx_freq(fc);
      if (!freq) {
        b.problem(line, "FREQ", std::string(fc), "M (monthly), Q (quarterly), A (annual) or FY (fiscal year)");
        bad = true;
      }
    }
    std::string_view tp = coded(kTimePeriod);
    std::optional<Period> period = parse_sdmx_period(tp);
    if (!period) {
      b.problem(line, "TIME_PERIOD", std::string(tp), "a period such as 2023-07, 2023-M07, 2023-Q3, 2023 or FY2023");
      bad = true;
    } else if (freq && period->frequency() != *freq) {
      b.problem(line, "TIME_PERIOD", std::string(tp),
                "a period of frequency " + std::string(freq_code(*freq)) + " as FREQ says, such as " +
                    std::string(freq_example(*freq)));
      bad = true;
    }

    // Attributes.
    Unit unit = Unit::Events;
    std::string_view uc = coded(kUnit);
    if (!uc.empty()) {
      if (auto u = parse_unit_code(uc)) unit = *u;
      else {
        b.problem(line, "UNIT_MEASURE", std::string(uc), "EVENTS, PERSONS or CASES");
        bad = true;
      }
    }
    Status status = Status::Final;
    std::string_view sc = coded(kStatus);
    if (!sc.empty()) {
      if (auto s = parse_status_code(sc)) status = *s;
      else {
        b.problem(line, "OBS_STATUS", std::string(sc), "A (normal), P (provisional) or E (estimated)");
        bad = true;
      }
    }

    // Dimensions.
    SeriesKey key;
    if (std::string_view r = coded(kReporter); !r.empty()) {
      key.reporter = b.country(r, line, "REPORTER");
      if (key.reporter.empty()) bad = true;  // reported once per name by finish()
    }
    if (std::string_view c = coded(kCitizenship); !c.empty()) {
      key.citizenship = b.country(c, line, "CITIZENSHIP");
      if (key.citizenship.empty()) bad = true;
    }
    if (std::string_view c = coded(kCounterpart); !c.empty()) {
      key.counterpart = b.country(c, line, "COUNTERPART");
      if (key.counterpart.empty()) bad = true;
    }
    key.event = std::string(coded(kEvent));
    if (!key.event.empty() && !is_known_event(key.event)) {
      b.problem(line, "EVENT", key.event, "an event from the vocabulary: " + event_codes() + "; " + event_vocabulary_hint());
      bad = true;
    }
    key.location = field(kLocation) == "_T" ? "" : std::string(field(kLocation));  // not coded: kept as written
    key.demographic = std::string(coded(kDemographic));
    if (!is_known_demographic(key.demographic)) {
      b.problem(line, "DEMOGRAPHIC", key.demographic, "a demographic code: " + demographic_code_list());
      bad = true;
    }
    key.authority = field(kAuthority) == "_T" ? "" : std::string(field(kAuthority));  // not coded
    if (bad) continue;

    cache.clear();
    for (const std::string* s : {&key.reporter, &key.location, &key.citizenship, &key.counterpart, &key.event,
                                 &key.demographic, &key.authority}) {
      cache.append(*s);
      cache.push_back('\x1f');
    }
    const uint32_t series = b.series_for(cache, [&] { return SeriesDef{key, unit}; });
    if (series == series_line.size()) series_line.push_back(line);
    if (b.file().series[series].unit != unit) {
      b.problem(line, "UNIT_MEASURE", std::string(uc),
                "one unit per series: " + std::string(unit_code(b.file().series[series].unit)) + " as on line " +
                    std::to_string(series_line[series]));
      continue;
    }
    b.add(series, *period, value, status, line);
  }
  b.set_rows_read(rows);

  std::vector<Repeated> rep;
  for (auto& [k, r] : repeated) rep.push_back(std::move(r));
  std::sort(rep.begin(), rep.end(), [](const Repeated& a, const Repeated& c) { return a.first_line < c.first_line; });
  for (auto& r : rep) {
    if (r.occurrences > 1) r.expected += " (on " + std::to_string(r.occurrences) + " lines)";
    b.problem(r.first_line, std::move(r.column), std::move(r.value), std::move(r.expected));
  }
  return b.finish();
}

void write_sdmx_csv(std::ostream& out, SdmxCsvVersion version, const std::vector<SdmxObservation>& rows) {
  for (size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    const std::string where = "SDMX-CSV row " + std::to_string(i + 1) + ": ";
    if (!r.period.valid()) throw std::invalid_argument(where + "no valid period");
    if (r.value < 0) throw std::invalid_argument(where + "negative value " + std::to_string(r.value));
    if (r.period.frequency() == Frequency::FiscalYear && r.period.sub() != 10)
      throw std::invalid_argument(where + "a fiscal year starting in month " + std::to_string(r.period.sub()) +
                                  " cannot be written as FY" + std::to_string(r.period.year()) +
                                  " (SDMX-CSV files hold October fiscal years only)");
  }
  const bool v2 = version == SdmxCsvVersion::V2;
  std::string line = v2 ? "STRUCTURE,STRUCTURE_ID,ACTION," : "DATAFLOW,";
  line +=
      "SOURCE,REPORTER,LOCATION,CITIZENSHIP,COUNTERPART,EVENT,DEMOGRAPHIC,AUTHORITY,FREQ,TIME_PERIOD,OBS_VALUE,"
      "UNIT_MEASURE,OBS_STATUS\n";
  out << line;
  const std::string prefix = v2 ? "dataflow," + std::string(kSdmxDataflow) + ",I," : std::string(kSdmxDataflow) + ",";
  for (const auto& r : rows) {
    line = prefix;
    for (const std::string* s : {&r.key.source, &r.key.reporter, &r.key.location, &r.key.citizenship,
                                 &r.key.counterpart, &r.key.event, &r.key.demographic, &r.key.authority}) {
      append_csv_field(line, *s);
      line.push_back(',');
    }
    line.append(freq_code(r.period.frequency()));
    line.push_back(',');
    line.append(sdmx_period_text(r.period));
    line.push_back(',');
    line.append(std::to_string(r.value));
    line.push_back(',');
    line.append(unit_code(r.unit));
    line.push_back(',');
    line.append(status_code(r.status));
    line.push_back('\n');
    out << line;
  }
}

}  // namespace atalaya
