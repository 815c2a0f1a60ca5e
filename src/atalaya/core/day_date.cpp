// Strict day dates and ISO weeks.
#include "atalaya/core/day_date.h"

#include <charconv>

namespace atalaya {
namespace {

bool digits(std::string_view s, size_t min, size_t max, int& out) {
  if (s.size() < min || s.size() > max) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  std::from_chars(s.data(), s.data() + s.size(), out);
  return true;
}


// ISO weekday, Monday 1 .. Sunday 7.
int iso_weekday(long days) { return static_cast<int>(((days % 7) + 7 + 3) % 7) + 1; }  // 1970-01-01 was a Thursday

bool plausible_year(int y) { return y >= 1900 && y <= 2200; }

// Drops a trailing time: "2021-07-15T10:00:00", "2021-07-15 00:00:00", "... 10:00".
std::string_view without_time(std::string_view t) {
  auto cut = t.find_first_of("T ");
  if (cut == std::string_view::npos || cut < 8) return t;
  std::string_view time = t.substr(cut + 1);
  if (time.empty()) return t;
  for (char c : time)
    if (!((c >= '0' && c <= '9') || c == ':' || c == '.' || c == 'Z')) return t;
  if (time.find(':') == std::string_view::npos) return t;
  return t.substr(0, cut);
}

}  // namespace

int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

void civil_from_days(int64_t z, int& y, int& m, int& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe) + static_cast<int>(era) * 400 + (m <= 2);
}

int days_in_month(int year, int month) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

int iso_weeks_in_year(int year) {
  const int jan1 = iso_weekday(days_from_civil(year, 1, 1));
  const bool leap = days_in_month(year, 2) == 29;
  return jan1 == 4 || (leap && jan1 == 3) ? 53 : 52;
}

std::optional<Period> iso_week_month(int year, int week) {
  if (!plausible_year(year) || week < 1 || week > iso_weeks_in_year(year)) return std::nullopt;
  const long jan4 = days_from_civil(year, 1, 4);  // always in week 1
  const long monday1 = jan4 - (iso_weekday(jan4) - 1);
  const long thursday = monday1 + 3 + 7L * (week - 1);
  int y = 0, m = 0, d = 0;
  civil_from_days(thursday, y, m, d);
  return Period::month(y, m);
}

DateReading read_date(std::string_view t, bool day_first) {
  DateReading r;
  while (!t.empty() && t.front() == ' ') t.remove_prefix(1);
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  // ISO week: 2021-W28, 2021W28, 2021-W28-4, 2021W284.
  if (t.size() >= 7 && (t[4] == 'W' || t[4] == 'w' || (t[4] == '-' && (t[5] == 'W' || t[5] == 'w')))) {
    int y = 0, w = 0, wd = 0;
    if (!digits(t.substr(0, 4), 4, 4, y)) return r;
    std::string_view rest = t.substr(t[4] == '-' ? 6 : 5);
    if (rest.size() < 2 || !digits(rest.substr(0, 2), 2, 2, w)) return r;
    rest.remove_prefix(2);
    if (!rest.empty() && rest[0] == '-') rest.remove_prefix(1);
    if (!rest.empty() && !digits(rest, 1, 1, wd)) return r;
    r.shape = DateShape::Week;
    r.year = y;
    r.week = w;
    r.valid = plausible_year(y) && w >= 1 && w <= iso_weeks_in_year(y) && (rest.empty() || (wd >= 1 && wd <= 7));
    return r;
  }
  t = without_time(t);
  // Three numbers separated by one kind of separator.
  char sep = 0;
  for (char c : t) {
    if (c == '-' || c == '/' || c == '.') {
      sep = c;
      break;
    }
  }
  if (!sep) return r;
  std::string_view parts[3];
  size_t n = 0, start = 0;
  for (size_t i = 0; i <= t.size(); ++i) {
    if (i == t.size() || t[i] == sep) {
      if (n == 3) return r;
      parts[n++] = t.substr(start, i - start);
      start = i + 1;
    }
  }
  if (n != 3) return r;
  int a = 0, b = 0, c = 0;
  if (digits(parts[0], 4, 4, a) && digits(parts[1], 1, 2, b) && digits(parts[2], 1, 2, c)) {
    r.year = a, r.month = b, r.day = c;
  } else if (digits(parts[0], 1, 2, a) && digits(parts[1], 1, 2, b) && digits(parts[2], 4, 4, c)) {
    r.year = c;
    r.day = day_first ? a : b;
    r.month = day_first ? b : a;
  } else {
    return r;
  }
  r.shape = DateShape::Day;
  r.valid = plausible_year(r.year) && r.month >= 1 && r.month <= 12 && r.day >= 1 &&
            r.day <= days_in_month(r.year, r.month);
  return r;
}

}  // namespace atalaya
