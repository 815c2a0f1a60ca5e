// Tests for the CBP encounter adapter (cbp_encounters.h): each published
// layout is recognised, fiscal months become calendar months, CBP's labels
// harmonise, and bad rows are reported by line and column.
#include "atalaya/ingest/cbp_encounters.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "atalaya/core/input_error.h"

#include "atalaya/ingest/parsed_file_testing.h"

namespace atalaya {
namespace {

const char kSwbHeader[] =
    "Fiscal Year,Month Grouping,Month (abbv),Component,Demographic,Citizenship Grouping,Title of Authority,"
    "Encounter Type,Encounter Count\n";
const char kNationwideHeader[] =
    "Fiscal Year,Month (abbv),Land Border Region,Area of Responsibility,AOR (Abbv),Demographic,Citizenship,"
    "Title of Authority,Encounter Type,Encounter Count\n";
const char kSnakeHeader[] =
    "fiscal_year,month_abbv,land_border_region,area_of_responsibility,aor_abbv,demographic,citizenship,"
    "title_of_authority,encounter_type,encounter_count\n";

using testing::Flat;
using testing::flatten;
using testing::problems_text;

std::vector<std::string_view> split(std::string_view header) {
  std::vector<std::string_view> out;
  if (!header.empty() && header.back() == '\n') header.remove_suffix(1);
  size_t start = 0;
  for (size_t i = 0; i <= header.size(); ++i) {
    if (i == header.size() || header[i] == ',') {
      out.push_back(header.substr(start, i - start));
      start = i + 1;
    }
  }
  return out;
}

TEST(CbpLayout, RecognisesEachPublishedHeader) {
  EXPECT_EQ(detect_cbp_layout(split(kSwbHeader)), CbpLayout::SouthwestBorder);
  EXPECT_EQ(detect_cbp_layout(split(kNationwideHeader)), CbpLayout::Nationwide);
  EXPECT_EQ(detect_cbp_layout(split(kSnakeHeader)), CbpLayout::Nationwide);
  EXPECT_EQ(detect_cbp_layout(split("Fiscal Year,Month (abbv),Citizenship,Encounter Count")), CbpLayout::None);
  EXPECT_EQ(detect_cbp_layout(split("t,q,nat,n")), CbpLayout::None);
  EXPECT_EQ(detect_cbp_layout({}), CbpLayout::None);
}

TEST(CbpLayout, NormaliseHeader) {
  EXPECT_EQ(normalise_header("AOR (Abbv)"), "aor_abbv");
  EXPECT_EQ(normalise_header("  Month (abbv) "), "month_abbv");
  EXPECT_EQ(normalise_header("Encounter Count"), "encounter_count");
  EXPECT_EQ(normalise_header("UC / Single Minors"), "uc_single_minors");
  EXPECT_EQ(normalise_header("fiscal_year"), "fiscal_year");
  EXPECT_EQ(normalise_header(""), "");
}

TEST(CbpEncounters, SouthwestBorderRowsWithFiscalMonthsAndFytd) {
  const std::string text = std::string(kSwbHeader) +
      "2023,FYTD,OCT,Office of Field Operations,Single Adults,Haiti,Title 8,Inadmissibles,120\n"      // 2
      "2023,FYTD,SEP,U.S. Border Patrol,FMUA,VENEZUELA,Title 8,Apprehensions,\"1,234\"\n"             // 3
      "2025 (FYTD),FYTD,JAN,U.S. Border Patrol,UAC,Mexico,Title 42,Expulsions,7\n"                   // 4
      "2025 (FYTD),FYTD,NOV,U.S. Border Patrol,Accompanied Minors,Other,Title 8,Apprehensions,0\n"   // 5
      "\n"                                                                                            // 6 blank
      "2024,FYTD,DEC,Office of Field Operations,Single Adults,Haiti,Title 8,Inadmissibles,\n";        // 7 no count
  ParsedFile f = read_cbp_encounters("swb.csv", text);
  EXPECT_TRUE(f.problems.empty()) << problems_text(f);
  EXPECT_EQ(f.source, "us-cbp-swb");
  EXPECT_EQ(f.format, "cbp-swb");
  EXPECT_EQ(f.path, "swb.csv");
  EXPECT_FALSE(f.source_name.empty());
  EXPECT_EQ(f.rows_read, 5u);  // the blank line is not a record
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 4u);

  EXPECT_EQ(got[0].key, (SeriesKey{"us-cbp-swb", "USA", "Office of Field Operations", "HTI", "inadmissible",
                                   "single_adult", "Title 8"}));
  EXPECT_EQ(got[0].unit, Unit::Events);
  EXPECT_EQ(got[0].period, Period::month(2022, 10));  // OCT of FY2023
  EXPECT_EQ(got[0].value, 120);
  EXPECT_EQ(got[0].status, Status::Final);
  EXPECT_EQ(got[0].line, 2u);

  EXPECT_EQ(got[1].key, (SeriesKey{"us-cbp-swb", "USA", "U.S. Border Patrol", "VEN", "apprehension",
                                   "family_unit", "Title 8"}));
  EXPECT_EQ(got[1].period, Period::month(2023, 9));  // SEP of FY2023
  EXPECT_EQ(got[1].value, 1234);
  EXPECT_EQ(got[1].line, 3u);

  EXPECT_EQ(got[2].key, (SeriesKey{"us-cbp-swb", "USA", "U.S. Border Patrol", "MEX", "expulsion",
                                   "unaccompanied_child", "Title 42"}));
  EXPECT_EQ(got[2].period, Period::month(2025, 1));
  EXPECT_EQ(got[2].status, Status::Provisional);  // the year to date may still be revised

  EXPECT_EQ(got[3].key.citizenship, "OTH");
  EXPECT_EQ(got[3].key.demographic, "accompanied_minor");
  EXPECT_EQ(got[3].period, Period::month(2024, 11));  // NOV of FY2025
  EXPECT_EQ(got[3].value, 0);
  EXPECT_EQ(got[3].status, Status::Provisional);
  EXPECT_EQ(got[3].line, 5u);
}

TEST(CbpEncounters, NationwideRowsUseTheAreaOfResponsibility) {
  const std::string text = std::string(kNationwideHeader) +
      "2024,DEC,Southwest Land Border,San Diego Sector,San Diego,Single Adults,"
      "\"CHINA, PEOPLES REPUBLIC OF\",Title 8,Apprehensions,55\r\n"
      "2024,MAR,Northern Land Border,Buffalo Field Office,Buffalo,Individuals in a Family Unit,"
      "INDIA,Title 8,Inadmissibles,9\r\n"
      "2024,APR,Southwest Land Border,El Paso Sector,El Paso,UC / Single Minors,"
      "\"Guatemala\",Title 8,Apprehensions,3\r\n";
  ParsedFile f = read_cbp_encounters("nationwide.csv", text);
  EXPECT_TRUE(f.problems.empty()) << problems_text(f);
  EXPECT_EQ(f.source, "us-cbp-nationwide");
  EXPECT_EQ(f.format, "cbp-nationwide");
  EXPECT_EQ(f.rows_read, 3u);
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].key, (SeriesKey{"us-cbp-nationwide", "USA", "San Diego Sector", "CHN", "apprehension",
                                   "single_adult", "Title 8"}));
  EXPECT_EQ(got[0].period, Period::month(2023, 12));
  EXPECT_EQ(got[0].value, 55);
  EXPECT_EQ(got[1].key.location, "Buffalo Field Office");
  EXPECT_EQ(got[1].key.citizenship, "IND");
  EXPECT_EQ(got[1].key.event, "inadmissible");
  EXPECT_EQ(got[1].key.demographic, "family_unit");
  EXPECT_EQ(got[1].period, Period::month(2024, 3));
  EXPECT_EQ(got[2].key.demographic, "unaccompanied_child");
  EXPECT_EQ(got[2].key.citizenship, "GTM");
  EXPECT_EQ(got[2].period, Period::month(2024, 4));
  EXPECT_EQ(got[2].line, 4u);
}

TEST(CbpEncounters, SnakeCaseNationwideVariant) {
  const std::string text = std::string(kSnakeHeader) +
      "2025 (FYTD),oct,Coastal Border,Miami Sector,Miami,fmua,cuba,Title 8,apprehensions,4\n"
      "2025 (FYTD),Feb,Coastal Border,Miami Sector,Miami,single adults,Cuba,Title 8,Apprehensions,6\n";
  ParsedFile f = read_cbp_encounters("snake.csv", text);
  EXPECT_TRUE(f.problems.empty()) << problems_text(f);
  EXPECT_EQ(f.source, "us-cbp-nationwide");
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].key, (SeriesKey{"us-cbp-nationwide", "USA", "Miami Sector", "CUB", "apprehension",
                                   "family_unit", "Title 8"}));
  EXPECT_EQ(got[0].period, Period::month(2024, 10));
  EXPECT_EQ(got[0].status, Status::Provisional);
  EXPECT_EQ(got[1].key.demographic, "single_adult");
  EXPECT_EQ(got[1].period, Period::month(2025, 2));
  EXPECT_EQ(got[1].value, 6);
}

TEST(CbpEncounters, NegativeAndNonNumericCountsNameLineAndColumn) {
  const std::string text = std::string(kSwbHeader) +
      "2023,FYTD,OCT,U.S. Border Patrol,Single Adults,Haiti,Title 8,Apprehensions,10\n"   // 2 ok
      "2023,FYTD,NOV,U.S. Border Patrol,Single Adults,Haiti,Title 8,Apprehensions,-5\n"   // 3
      "2023,FYTD,DEC,U.S. Border Patrol,Single Adults,Haiti,Title 8,Apprehensions,12x\n"  // 4
      "2023,FYTD,JAN,U.S. Border Patrol,Single Adults,Haiti,Title 8,Apprehensions,1.5\n"; // 5
  ParsedFile f = read_cbp_encounters("counts.csv", text);
  EXPECT_EQ(f.rows.size(), 1u);
  ASSERT_EQ(f.problems.size(), 3u) << problems_text(f);
  EXPECT_EQ(f.problems[0].file, "counts.csv");
  EXPECT_EQ(f.problems[0].line, 3u);
  EXPECT_EQ(f.problems[0].column, "Encounter Count");
  EXPECT_EQ(f.problems[0].value, "-5");
  EXPECT_NE(f.problems[0].expected.find("cannot be negative"), std::string::npos) << f.problems[0].expected;
  EXPECT_EQ(f.problems[1].line, 4u);
  EXPECT_EQ(f.problems[1].column, "Encounter Count");
  EXPECT_EQ(f.problems[1].value, "12x");
  EXPECT_EQ(f.problems[1].to_string(),
            "counts.csv:4: column 'Encounter Count': value \"12x\": expected a whole number of zero or more");
  EXPECT_EQ(f.problems[2].line, 5u);
  EXPECT_EQ(f.problems[2].value, "1.5");
}

TEST(CbpEncounters, UnknownCitizenshipReportedOnceWithNearestNames) {
  const std::string text = std::string(kSwbHeader) +
      "2023,FYTD,OCT,U.S. Border Patrol,Single Adults,ATLANTIS,Title 8,Apprehensions,1\n"   // 2
      "2023,FYTD,NOV,U.S. Border Patrol,Single Adults,Haiti,Title 8,Apprehensions,2\n"      // 3 ok
      "2023,FYTD,NOV,U.S. Border Patrol,Single Adults,ATLANTIS,Title 8,Apprehensions,3\n"   // 4 same key
      "2023,FYTD,DEC,U.S. Border Patrol,FMUA,ATLANTIS,Title 8,Apprehensions,4\n"            // 5 other key
      "2023,FYTD,DEC,U.S. Border Patrol,Single Adults,Venezuala,Title 8,Apprehensions,5\n"; // 6
  ParsedFile f = read_cbp_encounters("names.csv", text);
  ASSERT_EQ(f.rows.size(), 1u);
  EXPECT_EQ(f.rows[0].line, 3u);
  ASSERT_EQ(f.problems.size(), 2u) << problems_text(f);
  const InputProblem& a = f.problems[0];
  EXPECT_EQ(a.line, 2u);
  EXPECT_EQ(a.column, "Citizenship Grouping");
  EXPECT_EQ(a.value, "ATLANTIS");
  EXPECT_NE(a.expected.find("a known country name or code; nearest known: "), std::string::npos) << a.expected;
  EXPECT_NE(a.expected.find("(on 3 lines)"), std::string::npos) << a.expected;
  const InputProblem& v = f.problems[1];
  EXPECT_EQ(v.line, 6u);
  EXPECT_EQ(v.value, "Venezuala");
  EXPECT_NE(v.expected.find("Venezuela"), std::string::npos) << v.expected;
  EXPECT_EQ(v.expected.find("lines)"), std::string::npos) << v.expected;
}

TEST(CbpEncounters, ManyDistinctValuesInAColumn) {
  // Thousands of distinct locations (past any small-id packing of the raw
  // values), each on two months: every row keeps its own key, and an unknown
  // name is still counted on every line it appears on.
  std::string text = kSwbHeader;
  const int n = 5000;
  for (int i = 0; i < n; ++i) {
    const char* citizenship = i % 2 ? "Haiti" : "ATLANTIS";
    for (const char* month : {"OCT", "NOV"})
      text += std::string("2023,FYTD,") + month + ",Station " + std::to_string(i) + ",Single Adults," +
              citizenship + ",Title 8,Apprehensions," + std::to_string(i) + "\n";
  }
  ParsedFile f = read_cbp_encounters("many.csv", text);
  EXPECT_EQ(f.rows_read, 2u * n);
  ASSERT_EQ(f.rows.size(), static_cast<size_t>(n));  // the Haiti rows
  ASSERT_EQ(f.problems.size(), 1u) << problems_text(f);
  EXPECT_EQ(f.problems[0].line, 2u);
  EXPECT_EQ(f.problems[0].value, "ATLANTIS");
  EXPECT_NE(f.problems[0].expected.find("(on " + std::to_string(n) + " lines)"), std::string::npos)
      << f.problems[0].expected;
  for (const Flat& r : flatten(f)) {
    // Line 2 + 2i is OCT of station i, line 3 + 2i its NOV.
    const int i = static_cast<int>((r.line - 2) / 2);
    ASSERT_EQ(r.key.location, "Station " + std::to_string(i)) << r.line;
    ASSERT_EQ(r.key.citizenship, "HTI") << r.line;
    ASSERT_EQ(r.value, i) << r.line;
    ASSERT_EQ(r.period, Period::month(2022, r.line % 2 == 0 ? 10 : 11)) << r.line;
  }
}

TEST(CbpEncounters, OtherRowProblems) {
  const std::string text = std::string(kSwbHeader) +
      "FY23,FYTD,OCT,U.S. Border Patrol,Single Adults,Haiti,Title 8,Apprehensions,1\n"        // 2 year
      "2023 (YTD),FYTD,OCT,U.S. Border Patrol,Single Adults,Haiti,Title 8,Apprehensions,1\n"  // 3 year
      "2023,FYTD,Octember,U.S. Border Patrol,Single Adults,Haiti,Title 8,Apprehensions,1\n"   // 4 month
      "2023,FYTD,OCT,U.S. Border Patrol,Single Adults,Haiti,Title 8,Walkers,1\n"              // 5 event
      "2023,FYTD,OCT,U.S. Border Patrol,Grown-ups,Haiti,Title 8,Apprehensions,1\n"            // 6 demographic
      "2023,FYTD,OCT,U.S. Border Patrol\n";                                                   // 7 short
  ParsedFile f = read_cbp_encounters("rows.csv", text);
  EXPECT_TRUE(f.rows.empty());
  EXPECT_EQ(f.rows_read, 6u);
  std::vector<std::pair<uint32_t, std::string>> seen;
  for (auto& p : f.problems) seen.emplace_back(p.line, p.column);
  std::vector<std::pair<uint32_t, std::string>> want = {{2, "Fiscal Year"},    {3, "Fiscal Year"},
                                                        {4, "Month (abbv)"},   {5, "Encounter Type"},
                                                        {6, "Demographic"},    {7, ""}};
  EXPECT_EQ(seen, want) << problems_text(f);
  EXPECT_NE(f.problems.back().expected.find("9 fields, found 4"), std::string::npos);
}

TEST(CbpEncounters, UnrecognisedHeaderThrowsInputError) {
  try {
    read_cbp_encounters("other.csv", "t,q,nat,n\n2023-01,2023-Q1,HTI,5\n");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].file, "other.csv");
    EXPECT_EQ(e.problems()[0].line, 1u);
    EXPECT_EQ(e.problems()[0].value, "t");
    EXPECT_NE(e.problems()[0].expected.find("CBP encounters header"), std::string::npos);
  }
  EXPECT_THROW(read_cbp_encounters("empty.csv", ""), InputError);
}

}  // namespace
}  // namespace atalaya
