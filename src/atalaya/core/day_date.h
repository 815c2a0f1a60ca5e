// Day dates and ISO weeks as statistics files print them (2021-07-15,
// 15/07/2021, 2021-W28), read strictly: 2021-02-30 and 2021-07-99 are not
// dates. Mapped CSV turns them into months by a declared rule (see
// docs/user-guide.md, [period] day_rule and week_rule).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "atalaya/core/period.h"

namespace atalaya {

enum class DateShape { NotADate, Day, Week };

struct DateReading {
  DateShape shape = DateShape::NotADate;
  bool valid = false;  // a real calendar day, or a week the ISO year has
  int year = 0, month = 0, day = 0;  // Day
  int week = 0;                      // Week (year is the ISO week-numbering year)
};

// Recognises 2021-07-15, 2021/07/15, 2021-7-5 (year first), 15/07/2021,
// 15-07-2021, 15.07.2021 (day first, or month first with day_first = false),
// optionally followed by a time (T10:00, " 00:00:00"); and ISO weeks 2021-W28,
// 2021W28, 2021-W28-4. Anything else is NotADate (a month, a year, ...).
DateReading read_date(std::string_view text, bool day_first = true);

int days_in_month(int year, int month);
// Days since 1970-01-01 of a proleptic Gregorian date, and back (H. Hinnant's
// days_from_civil and civil_from_days). m is 1..12, d 1..31.
int64_t days_from_civil(int64_t y, int m, int d);
void civil_from_days(int64_t z, int& y, int& m, int& d);
// The month holding the Thursday of ISO week `week` of ISO year `year` (the
// month the week's majority of days falls in); nullopt if the year has no such week.
std::optional<Period> iso_week_month(int year, int week);
// 52 or 53.
int iso_weeks_in_year(int year);

}  // namespace atalaya
