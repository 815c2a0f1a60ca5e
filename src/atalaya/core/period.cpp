// Period parsing, printing, encoding and roll-up.
#include "atalaya/core/period.h"

#include <cctype>
#include <charconv>
#include <stdexcept>

#include "atalaya/core/text.h"

namespace atalaya {
namespace {

bool parse_int(std::string_view s, int& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool plausible_year(int y) { return y >= 1900 && y <= 2200; }

}  // namespace

std::optional<Frequency> parse_frequency(std::string_view text) {
  auto t = ascii_lower(text);
  if (t == "m" || t == "month" || t == "monthly") return Frequency::Month;
  if (t == "q" || t == "quarter" || t == "quarterly") return Frequency::Quarter;
  if (t == "a" || t == "y" || t == "year" || t == "annual" || t == "yearly") return Frequency::Year;
  if (t == "fy" || t == "fiscal_year" || t == "fiscal") return Frequency::FiscalYear;
  return std::nullopt;
}

std::string_view frequency_code(Frequency f) {
  switch (f) {
    case Frequency::Month: return "M";
    case Frequency::Quarter: return "Q";
    case Frequency::Year: return "A";
    case Frequency::FiscalYear: return "FY";
  }
  return "?";
}

Period Period::month(int year, int month) {
  if (month < 1 || month > 12) throw std::invalid_argument("month out of range");
  return Period(Frequency::Month, year, month);
}
Period Period::quarter(int year, int quarter) {
  if (quarter < 1 || quarter > 4) throw std::invalid_argument("quarter out of range");
  return Period(Frequency::Quarter, year, quarter);
}
Period Period::year(int year) { return Period(Frequency::Year, year, 0); }
Period Period::fiscal_year(int label_year, int start_month) {
  if (start_month < 1 || start_month > 12) throw std::invalid_argument("fiscal start month out of range");
  return Period(Frequency::FiscalYear, label_year, start_month);
}

std::optional<Period> Period::parse(std::string_view t) {
  while (!t.empty() && (t.front() == ' ' || t.front() == '"')) t.remove_prefix(1);
  while (!t.empty() && (t.back() == ' ' || t.back() == '"')) t.remove_suffix(1);
  int y = 0, s = 0;
  // FY2023
  if (t.size() == 6 && (t[0] == 'F' || t[0] == 'f') && (t[1] == 'Y' || t[1] == 'y')) {
    if (parse_int(t.substr(2), y) && plausible_year(y)) return fiscal_year(y, 10);
    return std::nullopt;
  }
  if (t.size() == 4) {
    if (parse_int(t, y) && plausible_year(y)) return year(y);
    return std::nullopt;
  }
  if (t.size() == 6 && all_digits(t)) {  // 202307
    if (parse_int(t.substr(0, 4), y) && parse_int(t.substr(4), s) && plausible_year(y) && s >= 1 && s <= 12)
      return month(y, s);
    return std::nullopt;
  }
  if (t.size() < 6 || !parse_int(t.substr(0, 4), y) || !plausible_year(y)) return std::nullopt;
  std::string_view rest = t.substr(4);
  if (rest[0] == '-' || rest[0] == '/' || rest[0] == '.') rest.remove_prefix(1);
  if (rest.empty()) return std::nullopt;
  char tag = static_cast<char>(std::toupper(static_cast<unsigned char>(rest[0])));
  if (tag == 'Q') {
    if (parse_int(rest.substr(1), s) && s >= 1 && s <= 4) return quarter(y, s);
    return std::nullopt;
  }
  if (tag == 'M') rest.remove_prefix(1);
  if (rest.size() >= 1 && rest.size() <= 2 && parse_int(rest, s) && s >= 1 && s <= 12) return month(y, s);
  // 2023-07-01 (a date naming the month's first day)
  if (rest.size() == 5 && rest[2] == '-' && parse_int(rest.substr(0, 2), s) && s >= 1 && s <= 12)
    return month(y, s);
  return std::nullopt;
}

int64_t Period::code() const {
  // Frequency in the high digits so codes of different frequencies never collide.
  int64_t base = static_cast<int64_t>(freq_) * 1000000;
  switch (freq_) {
    case Frequency::Month: return base + year_ * 12 + (sub_ - 1);
    case Frequency::Quarter: return base + year_ * 4 + (sub_ - 1);
    case Frequency::Year: return base + year_;
    case Frequency::FiscalYear: return base + year_ * 12 + (sub_ - 1);
  }
  return 0;
}

Period Period::from_code(int64_t code) {
  auto f = static_cast<Frequency>(code / 1000000);
  int64_t v = code % 1000000;
  switch (f) {
    case Frequency::Month: return Period(f, static_cast<int>(v / 12), static_cast<int>(v % 12) + 1);
    case Frequency::Quarter: return Period(f, static_cast<int>(v / 4), static_cast<int>(v % 4) + 1);
    case Frequency::Year: return Period(f, static_cast<int>(v), 0);
    case Frequency::FiscalYear: return Period(f, static_cast<int>(v / 12), static_cast<int>(v % 12) + 1);
  }
  throw std::invalid_argument("not a period code: " + std::to_string(code));
}

std::string Period::to_string() const {
  char buf[32];
  switch (freq_) {
    case Frequency::Month: std::snprintf(buf, sizeof buf, "%04d-%02d", year_, sub_); break;
    case Frequency::Quarter: std::snprintf(buf, sizeof buf, "%04d-Q%d", year_, sub_); break;
    case Frequency::Year: std::snprintf(buf, sizeof buf, "%04d", year_); break;
    case Frequency::FiscalYear: std::snprintf(buf, sizeof buf, "FY%04d", year_); break;
  }
  return buf;
}

Period Period::first_month() const {
  switch (freq_) {
    case Frequency::Month: return *this;
    case Frequency::Quarter: return month(year_, (sub_ - 1) * 3 + 1);
    case Frequency::Year: return month(year_, 1);
    case Frequency::FiscalYear:
      // A fiscal year starting in January is the calendar year itself.
      return sub_ == 1 ? month(year_, 1) : month(year_ - 1, sub_);
  }
  return *this;
}

Period Period::last_month() const {
  switch (freq_) {
    case Frequency::Month: return *this;
    case Frequency::Quarter: return month(year_, sub_ * 3);
    case Frequency::Year: return month(year_, 12);
    case Frequency::FiscalYear: return first_month().plus_months(11);
  }
  return *this;
}

Period Period::plus_months(int n) const {
  if (freq_ != Frequency::Month) throw std::logic_error("plus_months on a non-monthly period");
  int idx = year_ * 12 + (sub_ - 1) + n;
  return month(idx / 12, idx % 12 + 1);
}

Period Period::roll_up(Frequency to, int fiscal_start) const {
  if (freq_ != Frequency::Month) throw std::logic_error("roll_up from a non-monthly period");
  switch (to) {
    case Frequency::Month: return *this;
    case Frequency::Quarter: return quarter(year_, (sub_ - 1) / 3 + 1);
    case Frequency::Year: return year(year_);
    case Frequency::FiscalYear:
      // Labelled by the year the fiscal year ends in.
      return fiscal_year(fiscal_start == 1 || sub_ < fiscal_start ? year_ : year_ + 1, fiscal_start);
  }
  return *this;
}

int parse_month_name(std::string_view text) {
  // Fast path: CBP's upper-case abbreviations, millions of times per file.
  if (text.size() == 3) {
    static const char kAbbrev[] = "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC";
    for (int m = 0; m < 12; ++m)
      if (text[0] == kAbbrev[3 * m] && text[1] == kAbbrev[3 * m + 1] && text[2] == kAbbrev[3 * m + 2]) return m + 1;
  }
  static const char* kNames[][4] = {
      {"jan", "january", "enero", "ene"},     {"feb", "february", "febrero", "feb"},
      {"mar", "march", "marzo", "mar"},       {"apr", "april", "abril", "abr"},
      {"may", "may", "mayo", "may"},          {"jun", "june", "junio", "jun"},
      {"jul", "july", "julio", "jul"},        {"aug", "august", "agosto", "ago"},
      {"sep", "september", "septiembre", "set"}, {"oct", "october", "octubre", "oct"},
      {"nov", "november", "noviembre", "nov"}, {"dec", "december", "diciembre", "dic"}};
  auto t = ascii_lower(text);
  while (!t.empty() && t.back() == ' ') t.pop_back();
  if (t == "sept") return 9;
  for (int m = 0; m < 12; ++m)
    for (auto* n : kNames[m])
      if (t == n) return m + 1;
  return 0;
}

}  // namespace atalaya
