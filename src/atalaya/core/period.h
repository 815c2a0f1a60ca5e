// A reporting period: a calendar month, quarter or year, or a fiscal year.
//
// Periods are small values with a total order within one frequency. They
// encode to a single integer (code()) so the store can index them, and print
// in the forms analysts read: 2023-07, 2023-Q3, 2023, FY2023.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace atalaya {

enum class Frequency : uint8_t { Month = 1, Quarter = 2, Year = 3, FiscalYear = 4 };

// "M", "Q", "A", "FY" (and long forms month/quarter/year/fiscal_year).
std::optional<Frequency> parse_frequency(std::string_view text);
std::string_view frequency_code(Frequency f);

class Period {
 public:
  Period() = default;
  static Period month(int year, int month);            // month 1..12
  static Period quarter(int year, int quarter);        // quarter 1..4
  static Period year(int year);
  // A fiscal year labelled by the calendar year in which it ENDS, starting in
  // start_month (10 = U.S. federal fiscal year: FY2023 = Oct 2022 .. Sep 2023).
  static Period fiscal_year(int label_year, int start_month = 10);

  // Parses 2023-07, 2023-7, 202307, 2023M07, 2023-Q3, 2023Q3, 2023, FY2023.
  static std::optional<Period> parse(std::string_view text);
  // Inverse of code().
  static Period from_code(int64_t code);

  Frequency frequency() const { return freq_; }
  int year() const { return year_; }       // label year (fiscal: year it ends)
  int sub() const { return sub_; }         // month, quarter, fiscal start month, or 0
  int64_t code() const;                    // orders periods of one frequency
  std::string to_string() const;

  // The calendar month range this period covers.
  Period first_month() const;
  Period last_month() const;
  // Month arithmetic (only for monthly periods).
  Period plus_months(int n) const;
  // The period of frequency `to` that contains this monthly period
  // (fiscal_start used when to == FiscalYear).
  Period roll_up(Frequency to, int fiscal_start = 10) const;
  bool valid() const { return year_ != 0; }

  friend bool operator==(const Period&, const Period&) = default;
  friend bool operator<(const Period& a, const Period& b) { return a.code() < b.code(); }

 private:
  Period(Frequency f, int y, int s) : freq_(f), year_(y), sub_(s) {}
  Frequency freq_ = Frequency::Month;
  int year_ = 0;
  int sub_ = 0;
};

// A monthly period as a count of months (year * 12 + month - 1), so month
// differences and ranges are integer arithmetic: month_number(b) -
// month_number(a) is the months from a to b.
inline int month_number(const Period& month) { return month.year() * 12 + (month.sub() - 1); }

// Three-letter English month abbreviations as CBP prints them (JAN..DEC),
// case-insensitive; also full English and Spanish month names. 0 if unknown.
int parse_month_name(std::string_view text);

}  // namespace atalaya
