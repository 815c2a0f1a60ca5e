// Tests for reporting periods (period.h): every accepted spelling parses,
// nonsense is refused, codes order and round-trip, and fiscal years roll up
// and unroll to the right calendar months.
#include "atalaya/core/period.h"

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace atalaya {
namespace {

std::string parsed(std::string_view text) {
  auto p = Period::parse(text);
  return p ? p->to_string() : "<none>";
}

TEST(PeriodParse, EveryAcceptedMonthForm) {
  for (const char* text : {"2023-07", "2023-7", "202307", "2023M07", "2023m7", "2023/07", "2023-07-01"}) {
    SCOPED_TRACE(text);
    auto p = Period::parse(text);
    ASSERT_TRUE(p.has_value());
    EXPECT_EQ(*p, Period::month(2023, 7));
    EXPECT_EQ(p->frequency(), Frequency::Month);
    EXPECT_EQ(p->year(), 2023);
    EXPECT_EQ(p->sub(), 7);
  }
}

TEST(PeriodParse, QuarterYearAndFiscalYearForms) {
  EXPECT_EQ(Period::parse("2023-Q3"), Period::quarter(2023, 3));
  EXPECT_EQ(Period::parse("2023Q3"), Period::quarter(2023, 3));
  EXPECT_EQ(Period::parse("2023q1"), Period::quarter(2023, 1));
  EXPECT_EQ(Period::parse("2023"), Period::year(2023));
  EXPECT_EQ(Period::parse("FY2023"), Period::fiscal_year(2023, 10));
  EXPECT_EQ(Period::parse("fy2023"), Period::fiscal_year(2023, 10));
  EXPECT_EQ(Period::parse(" \"2023-07\" "), Period::month(2023, 7));  // quoted and padded
}

TEST(PeriodParse, RejectsOutOfRangeAndNonPeriods) {
  for (const char* text : {"2023-13", "2023-00", "202313", "2023-Q5", "2023-Q0", "1800", "180001", "FY1800",
                           "", " ", "July", "2023-", "2023-Q", "2023-W01", "20230", "FY23", "23-07"}) {
    EXPECT_EQ(parsed(text), "<none>") << '"' << text << '"';
  }
}

TEST(PeriodFactories, RefuseOutOfRangeParts) {
  EXPECT_THROW(Period::month(2023, 0), std::invalid_argument);
  EXPECT_THROW(Period::month(2023, 13), std::invalid_argument);
  EXPECT_THROW(Period::quarter(2023, 5), std::invalid_argument);
  EXPECT_THROW(Period::fiscal_year(2023, 13), std::invalid_argument);
  EXPECT_FALSE(Period().valid());
  EXPECT_TRUE(Period::year(2023).valid());
}

TEST(PeriodToString, PrintsTheFormsAnalystsRead) {
  EXPECT_EQ(Period::month(2023, 7).to_string(), "2023-07");
  EXPECT_EQ(Period::month(2023, 12).to_string(), "2023-12");
  EXPECT_EQ(Period::quarter(2023, 3).to_string(), "2023-Q3");
  EXPECT_EQ(Period::year(2023).to_string(), "2023");
  EXPECT_EQ(Period::fiscal_year(2023).to_string(), "FY2023");
  // Printing and parsing agree.
  for (const Period& p : {Period::month(1999, 1), Period::quarter(2024, 4), Period::year(2010),
                          Period::fiscal_year(2025)}) {
    EXPECT_EQ(Period::parse(p.to_string()), p) << p.to_string();
  }
}

TEST(PeriodFrequency, CodesAndNames) {
  EXPECT_EQ(parse_frequency("M"), Frequency::Month);
  EXPECT_EQ(parse_frequency("monthly"), Frequency::Month);
  EXPECT_EQ(parse_frequency("q"), Frequency::Quarter);
  EXPECT_EQ(parse_frequency("A"), Frequency::Year);
  EXPECT_EQ(parse_frequency("year"), Frequency::Year);
  EXPECT_EQ(parse_frequency("FY"), Frequency::FiscalYear);
  EXPECT_EQ(parse_frequency("fiscal_year"), Frequency::FiscalYear);
  EXPECT_EQ(parse_frequency("W"), std::nullopt);
  EXPECT_EQ(parse_frequency(""), std::nullopt);
  EXPECT_EQ(frequency_code(Frequency::Month), "M");
  EXPECT_EQ(frequency_code(Frequency::Quarter), "Q");
  EXPECT_EQ(frequency_code(Frequency::Year), "A");
  EXPECT_EQ(frequency_code(Frequency::FiscalYear), "FY");
}

TEST(PeriodCode, OrdersWithinEachFrequencyAndRoundTrips) {
  const std::vector<std::vector<Period>> ascending = {
      {Period::month(2022, 12), Period::month(2023, 1), Period::month(2023, 2), Period::month(2023, 12),
       Period::month(2024, 1)},
      {Period::quarter(2022, 4), Period::quarter(2023, 1), Period::quarter(2023, 4), Period::quarter(2024, 1)},
      {Period::year(1999), Period::year(2000), Period::year(2023)},
      {Period::fiscal_year(2022), Period::fiscal_year(2023), Period::fiscal_year(2024),
       Period::fiscal_year(2023, 1), Period::fiscal_year(2023, 7)},
  };
  for (const auto& run : ascending) {
    for (size_t i = 0; i < run.size(); ++i) {
      SCOPED_TRACE(run[i].to_string());
      const Period back = Period::from_code(run[i].code());
      EXPECT_EQ(back, run[i]);
      EXPECT_EQ(back.sub(), run[i].sub());
      if (i > 0 && run[i].frequency() == run[i - 1].frequency() && run[i].sub() == run[i - 1].sub()) {
        EXPECT_LT(run[i - 1].code(), run[i].code());
        EXPECT_TRUE(run[i - 1] < run[i]);
      }
    }
  }
  // Every month and quarter of a span round-trips; codes of different
  // frequencies never collide.
  std::set<int64_t> codes;
  for (int y = 1990; y <= 2030; ++y) {
    for (int m = 1; m <= 12; ++m) {
      EXPECT_EQ(Period::from_code(Period::month(y, m).code()), Period::month(y, m));
      EXPECT_TRUE(codes.insert(Period::month(y, m).code()).second);
      EXPECT_TRUE(codes.insert(Period::fiscal_year(y, m).code()).second);
      EXPECT_EQ(Period::from_code(Period::fiscal_year(y, m).code()), Period::fiscal_year(y, m));
    }
    for (int q = 1; q <= 4; ++q) {
      EXPECT_EQ(Period::from_code(Period::quarter(y, q).code()), Period::quarter(y, q));
      EXPECT_TRUE(codes.insert(Period::quarter(y, q).code()).second);
    }
    EXPECT_EQ(Period::from_code(Period::year(y).code()), Period::year(y));
    EXPECT_TRUE(codes.insert(Period::year(y).code()).second);
  }
  EXPECT_THROW(Period::from_code(9000000), std::invalid_argument);
}

TEST(PeriodRollUp, MonthToQuarterYearAndFiscalYear) {
  EXPECT_EQ(Period::month(2023, 7).roll_up(Frequency::Month), Period::month(2023, 7));
  EXPECT_EQ(Period::month(2023, 7).roll_up(Frequency::Quarter), Period::quarter(2023, 3));
  EXPECT_EQ(Period::month(2023, 1).roll_up(Frequency::Quarter), Period::quarter(2023, 1));
  EXPECT_EQ(Period::month(2023, 12).roll_up(Frequency::Quarter), Period::quarter(2023, 4));
  EXPECT_EQ(Period::month(2023, 7).roll_up(Frequency::Year), Period::year(2023));
  // U.S. federal fiscal year: FY2023 = Oct 2022 .. Sep 2023.
  EXPECT_EQ(Period::month(2022, 9).roll_up(Frequency::FiscalYear), Period::fiscal_year(2022));
  EXPECT_EQ(Period::month(2022, 10).roll_up(Frequency::FiscalYear), Period::fiscal_year(2023));
  EXPECT_EQ(Period::month(2023, 9).roll_up(Frequency::FiscalYear), Period::fiscal_year(2023));
  EXPECT_EQ(Period::month(2023, 10).roll_up(Frequency::FiscalYear), Period::fiscal_year(2024));
  // Fiscal year starting in July: FY2024 = Jul 2023 .. Jun 2024.
  EXPECT_EQ(Period::month(2023, 6).roll_up(Frequency::FiscalYear, 7), Period::fiscal_year(2023, 7));
  EXPECT_EQ(Period::month(2023, 7).roll_up(Frequency::FiscalYear, 7), Period::fiscal_year(2024, 7));
  // Fiscal year starting in January is the calendar year.
  EXPECT_EQ(Period::month(2023, 1).roll_up(Frequency::FiscalYear, 1), Period::fiscal_year(2023, 1));
  EXPECT_EQ(Period::month(2023, 12).roll_up(Frequency::FiscalYear, 1), Period::fiscal_year(2023, 1));
  EXPECT_THROW(Period::year(2023).roll_up(Frequency::Quarter), std::logic_error);
}

TEST(PeriodRange, FirstAndLastMonths) {
  EXPECT_EQ(Period::fiscal_year(2023).first_month(), Period::month(2022, 10));
  EXPECT_EQ(Period::fiscal_year(2023).last_month(), Period::month(2023, 9));
  EXPECT_EQ(Period::fiscal_year(2024, 7).first_month(), Period::month(2023, 7));
  EXPECT_EQ(Period::fiscal_year(2024, 7).last_month(), Period::month(2024, 6));
  EXPECT_EQ(Period::fiscal_year(2023, 1).first_month(), Period::month(2023, 1));
  EXPECT_EQ(Period::fiscal_year(2023, 1).last_month(), Period::month(2023, 12));
  EXPECT_EQ(Period::quarter(2023, 3).first_month(), Period::month(2023, 7));
  EXPECT_EQ(Period::quarter(2023, 3).last_month(), Period::month(2023, 9));
  EXPECT_EQ(Period::year(2023).first_month(), Period::month(2023, 1));
  EXPECT_EQ(Period::year(2023).last_month(), Period::month(2023, 12));
  EXPECT_EQ(Period::month(2023, 7).first_month(), Period::month(2023, 7));
  EXPECT_EQ(Period::month(2023, 7).last_month(), Period::month(2023, 7));
  // Every month of a fiscal year rolls up to it.
  for (int start = 1; start <= 12; ++start) {
    const Period fy = Period::fiscal_year(2023, start);
    for (int i = 0; i < 12; ++i)
      EXPECT_EQ(fy.first_month().plus_months(i).roll_up(Frequency::FiscalYear, start), fy) << start << " " << i;
  }
}

TEST(PeriodArithmetic, PlusMonthsCrossesYears) {
  EXPECT_EQ(Period::month(2022, 10).plus_months(11), Period::month(2023, 9));
  EXPECT_EQ(Period::month(2023, 12).plus_months(1), Period::month(2024, 1));
  EXPECT_EQ(Period::month(2023, 1).plus_months(-1), Period::month(2022, 12));
  EXPECT_EQ(Period::month(2023, 1).plus_months(0), Period::month(2023, 1));
  EXPECT_THROW(Period::quarter(2023, 1).plus_months(1), std::logic_error);
}

TEST(ParseMonthName, CbpEnglishAndSpanishNames) {
  EXPECT_EQ(parse_month_name("OCT"), 10);
  EXPECT_EQ(parse_month_name("oct"), 10);
  EXPECT_EQ(parse_month_name("Sept"), 9);
  EXPECT_EQ(parse_month_name("SEP"), 9);
  EXPECT_EQ(parse_month_name("September"), 9);
  EXPECT_EQ(parse_month_name("enero"), 1);
  EXPECT_EQ(parse_month_name("ago"), 8);
  EXPECT_EQ(parse_month_name("Diciembre"), 12);
  EXPECT_EQ(parse_month_name("DEC "), 12);
  EXPECT_EQ(parse_month_name(""), 0);
  EXPECT_EQ(parse_month_name("Octember"), 0);
  EXPECT_EQ(parse_month_name("13"), 0);
}

}  // namespace
}  // namespace atalaya
