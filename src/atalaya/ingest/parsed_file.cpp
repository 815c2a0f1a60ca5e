// ParsedFileBuilder: interning, count validation and country harmonisation
// shared by every ingest adapter.
#include "atalaya/ingest/parsed_file.h"

#include <openssl/evp.h>

#include <algorithm>
#include <charconv>

#include "atalaya/core/country.h"
#include "atalaya/core/text.h"
#include "atalaya/ingest/csv_reader.h"

namespace atalaya {
namespace {

// Exponent notation, as R and spreadsheets write round counts: "1e+05",
// "1.5e3", "2E6". Kept apart from count()'s other rules.
enum class Exponent { NotExponent, Whole, NotWhole, Negative, TooLarge };

Exponent parse_exponent_count(std::string_view raw, int64_t& out) {
  const size_t e = raw.find_first_of("eE");
  if (e == std::string_view::npos || e == 0 || e + 1 >= raw.size()) return Exponent::NotExponent;
  std::string_view mantissa = raw.substr(0, e), exponent = raw.substr(e + 1);
  bool negative = false;
  if (mantissa[0] == '-' || mantissa[0] == '+') {
    negative = mantissa[0] == '-';
    mantissa.remove_prefix(1);
  }
  std::string digits;
  int fraction = 0;
  bool point = false;
  for (char c : mantissa) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
      if (point) ++fraction;
    } else if (c == '.' && !point) {
      point = true;
    } else {
      return Exponent::NotExponent;
    }
  }
  int power = 0;
  bool exp_negative = false;
  if (exponent[0] == '+' || exponent[0] == '-') {
    exp_negative = exponent[0] == '-';
    exponent.remove_prefix(1);
  }
  if (digits.empty() || exponent.empty() || exponent.size() > 3) return Exponent::NotExponent;
  for (char c : exponent) {
    if (c < '0' || c > '9') return Exponent::NotExponent;
    power = power * 10 + (c - '0');
  }
  // value = digits x 10^(shift)
  int shift = (exp_negative ? -power : power) - fraction;
  while (shift < 0) {  // dropping digits: only zeros may go
    if (digits.back() != '0') return Exponent::NotWhole;
    digits.pop_back();
    ++shift;
    if (digits.empty()) digits = "0";
  }
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size() - 1));
  if (digits != "0") digits.append(static_cast<size_t>(shift), '0');
  if (digits.size() > 18) return Exponent::TooLarge;
  std::from_chars(digits.data(), digits.data() + digits.size(), out);
  if (negative && out != 0) return Exponent::Negative;
  return Exponent::Whole;
}

}  // namespace

ParsedFileBuilder::ParsedFileBuilder(std::string source, std::string path, std::string format) {
  file_.source = std::move(source);
  file_.path = std::move(path);
  file_.format = std::move(format);
}

uint32_t ParsedFileBuilder::series_for(std::string_view cache_key,
                                       const std::function<SeriesDef()>& make) {
  auto it = series_index_.find(cache_key);
  last_new_ = it == series_index_.end();
  if (!last_new_) return it->second;
  uint32_t idx = intern_series(make());
  series_index_.emplace(std::string(cache_key), idx);
  return idx;
}

uint32_t ParsedFileBuilder::intern_series(SeriesDef def) {
  // Different raw values may harmonise to one key ("UAC" and "UC / Single
  // Minors"): they must share one series so duplicates are caught.
  def.key.source = file_.source;
  const SeriesKey& k = def.key;
  std::string canonical;
  for (const std::string* f : {&k.reporter, &k.location, &k.citizenship, &k.counterpart, &k.event, &k.demographic,
                                  &k.authority})
    canonical.append(*f).push_back('\x1f');
  canonical.push_back(static_cast<char>('0' + static_cast<int>(def.unit)));
  auto [kit, added] = key_index_.try_emplace(std::move(canonical), static_cast<uint32_t>(file_.series.size()));
  if (added) file_.series.push_back(std::move(def));
  return kit->second;
}

void ParsedFileBuilder::add(uint32_t series, Period period, int64_t value, Status status,
                            uint32_t line) {
  file_.rows.push_back(ObservationRow{series, period, value, status, line});
}

void ParsedFileBuilder::problem(uint32_t line, std::string column, std::string value,
                                std::string expected) {
  problem_lines_.push_back(line);
  file_.add_problem(InputProblem{file_.path, line, std::move(column), std::move(value), std::move(expected)});
}

std::string ParsedFileBuilder::country(std::string_view raw, uint32_t line,
                                       std::string_view column) {
  raw = trim(raw);
  auto it = country_cache_.find(raw);
  if (it == country_cache_.end())
    it = country_cache_.emplace(std::string(raw), citizenship_code(raw)).first;
  if (it->second.empty()) {
    auto& u = unknown_[std::string(raw)];
    if (u.occurrences++ == 0) {
      u.first_line = line;
      u.column = std::string(column);
    }
  }
  return it->second;
}

bool ParsedFileBuilder::count(std::string_view raw, uint32_t line, std::string_view column,
                              int64_t& out, bool& missing) {
  raw = trim(raw);
  missing = raw.empty() || raw == ".." || raw == "-" || raw == "NA";
  if (missing) return true;
  // Fast path: plain digits.
  auto [p, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), out);
  if (ec == std::errc() && p == raw.data() + raw.size() && out >= 0) return within_max_count(raw, line, column, out);
  // Exponent notation ("1e+05").
  switch (parse_exponent_count(raw, out)) {
    case Exponent::NotExponent: break;
    case Exponent::Whole: return within_max_count(raw, line, column, out);
    case Exponent::NotWhole:
      problem(line, std::string(column), std::string(raw), "a whole number of zero or more (this one has a fraction)");
      return false;
    case Exponent::Negative:
      problem(line, std::string(column), std::string(raw), "a count of zero or more (counts cannot be negative)");
      return false;
    case Exponent::TooLarge:
      problem(line, std::string(column), std::string(raw), "a whole number of at most 18 digits");
      return false;
  }
  // Thousands separators and a zero fraction ("1,234", "12.0").
  std::string digits;
  bool ok = true, fraction = false, negative = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c >= '0' && c <= '9') {
      if (fraction) {
        if (c != '0') ok = false;
      } else {
        digits.push_back(c);
      }
    } else if (c == ',' && !fraction && !digits.empty()) {
      continue;
    } else if (c == '.' && !fraction && !digits.empty()) {
      fraction = true;
    } else if (c == '-' && i == 0) {
      negative = true;
    } else {
      ok = false;
    }
  }
  std::string column_name(column);
  if (negative && ok && !digits.empty()) {
    problem(line, column_name, std::string(raw), "a count of zero or more (counts cannot be negative)");
    return false;
  }
  if (ok && !digits.empty() &&
      std::from_chars(digits.data(), digits.data() + digits.size(), out).ec == std::errc::result_out_of_range)
    return overflow_problem(raw, line, column);
  if (!ok || digits.empty() ||
      std::from_chars(digits.data(), digits.data() + digits.size(), out).ec != std::errc()) {
    problem(line, column_name, std::string(raw), "a whole number of zero or more");
    return false;
  }
  return within_max_count(raw, line, column, out);
}


bool ParsedFileBuilder::within_max_count(std::string_view raw, uint32_t line, std::string_view column,
                                         int64_t value) {
  if (value <= max_count_) return true;
  problem(line, std::string(column), std::string(raw),
          "a count of at most " + thousands(max_count_) +
              " (larger is not a plausible count for this source; if it is right, raise max_count in the "
              "mapping's [source])");
  return false;
}

bool ParsedFileBuilder::overflow_problem(std::string_view raw, uint32_t line, std::string_view column) {
  problem(line, std::string(column), std::string(raw),
          "a count of at most " + thousands(max_count_) + " (this one does not even fit in a 64-bit integer)");
  return false;
}

void ParsedFileBuilder::absorb(ParsedFileBuilder&& other) {
  std::vector<uint32_t> remap(other.file_.series.size());
  for (size_t i = 0; i < remap.size(); ++i) remap[i] = intern_series(std::move(other.file_.series[i]));
  file_.rows.reserve(file_.rows.size() + other.file_.rows.size());
  for (auto r : other.file_.rows) {
    r.series = remap[r.series];
    file_.rows.push_back(r);
  }
  for (auto& p : other.file_.problems) file_.add_problem(std::move(p));
  file_.problems_omitted += other.file_.problems_omitted;
  problem_lines_.insert(problem_lines_.end(), other.problem_lines_.begin(), other.problem_lines_.end());
  file_.rows_read += other.file_.rows_read;
  for (auto& [name, u] : other.unknown_) {
    auto [it, added] = unknown_.try_emplace(name, u);
    if (!added) it->second.occurrences += u.occurrences;  // ours come from earlier lines
  }
}

ParsedFile ParsedFileBuilder::finish() {
  std::vector<uint32_t>& lines = problem_lines_;
  std::sort(lines.begin(), lines.end());
  file_.rows_rejected = static_cast<uint32_t>(std::unique(lines.begin(), lines.end()) - lines.begin());
  for (auto& [name, u] : unknown_) file_.rows_rejected += u.occurrences;
  // One problem per unknown name, at its first line. Only the names among
  // the first kMaxKeptProblems problems by line are kept, and only they are
  // given the nearest known names (the costly part).
  std::vector<std::pair<const std::string*, const UnknownName*>> unknown;
  unknown.reserve(unknown_.size());
  for (auto& [name, u] : unknown_) unknown.emplace_back(&name, &u);
  std::sort(unknown.begin(), unknown.end(), [](const auto& a, const auto& b) {
    if (a.second->first_line != b.second->first_line) return a.second->first_line < b.second->first_line;
    return *a.first < *b.first;
  });
  if (unknown.size() > kMaxKeptProblems) {
    file_.problems_omitted += unknown.size() - kMaxKeptProblems;
    unknown.resize(kMaxKeptProblems);
  }
  std::vector<std::pair<InputProblem, const UnknownName*>> merged;
  merged.reserve(file_.problems.size() + unknown.size());
  for (auto& p : file_.problems) merged.emplace_back(std::move(p), nullptr);
  for (auto& [name, u] : unknown)
    merged.emplace_back(InputProblem{file_.path, u->first_line, u->column, *name, ""}, u);
  std::stable_sort(merged.begin(), merged.end(),
                   [](const auto& a, const auto& b) { return a.first.line < b.first.line; });
  if (merged.size() > kMaxKeptProblems) {
    file_.problems_omitted += merged.size() - kMaxKeptProblems;
    merged.resize(kMaxKeptProblems);
  }
  file_.problems.clear();
  for (auto& [p, u] : merged) {
    if (u) {
      std::string expected = "a known country name or code";
      auto near = nearest_country_names(p.value, 3);
      if (!near.empty()) {
        expected += "; nearest known: ";
        for (size_t i = 0; i < near.size(); ++i) expected += (i ? ", " : "") + near[i];
      }
      if (u->occurrences > 1) expected += " (on " + std::to_string(u->occurrences) + " lines)";
      p.expected = std::move(expected);
      p.value = echoed_value(p.value);  // a name may be a whole broken cell
    }
    file_.problems.push_back(std::move(p));
  }
  return std::move(file_);
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out.push_back(hex[md[i] >> 4]);
    out.push_back(hex[md[i] & 15]);
  }
  return out;
}

}  // namespace atalaya
