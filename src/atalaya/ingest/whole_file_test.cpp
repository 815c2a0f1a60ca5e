// "Nothing lost by accident" at parse time (ingest.h, parsed_file.h): an
// empty file, a header-only file and a file cut off mid-line are refused
// naming the file, for every adapter; implausible and overflowing counts are
// refused naming line and column; problem lists and echoed values stay
// bounded however broken the file.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <limits>
#include <string>

#include "atalaya/core/input_error.h"
#include "atalaya/ingest/ingest.h"
#include "atalaya/ingest/mapping.h"
#include "atalaya/ingest/parsed_file_testing.h"

namespace atalaya {
namespace {

using testing::problems_text;

using testing::TempFile;

const char kCbpHeader[] =
    "Fiscal Year,Month Grouping,Month (abbv),Component,Demographic,Citizenship Grouping,Title of Authority,"
    "Encounter Type,Encounter Count\r\n";
const char kCbpRow[] = "2023,FYTD,OCT,U.S. Border Patrol,Single Adults,Mexico,Title 8,Apprehensions,172\r\n";
const char kSdmxHeader[] =
    "DATAFLOW,SOURCE,REPORTER,LOCATION,CITIZENSHIP,EVENT,DEMOGRAPHIC,AUTHORITY,FREQ,TIME_PERIOD,OBS_VALUE,"
    "UNIT_MEASURE,OBS_STATUS\n";
const char kSdmxRow[] = "ATALAYA:MIGRATION_FLOWS(1.0),cr-dgme,CRI,Paso Canoas,HTI,irregular_transit,,,M,2023-07,172,"
                        "PERSONS,A\n";
const char kCsvHeader[] = "\"t\",\"q\",\"nat\",\"n\"\n";
const char kCsvRow[] = "\"2021-09\",\"2021-Q3\",\"HTI\",172\n";
const char kHxlHeader[] = "ISO3,Year,Stock\n#country+code,#date+year,#affected+idps+stock\n";
const char kHxlRow[] = "HTI,2021,172\n";

const char kCsvMapping[] = R"([source]
id = "pa-test"
reporter = "PAN"
event = "irregular_transit"
[columns]
period = "t"
citizenship = "nat"
count = "n"
)";
const char kHxlMapping[] = R"([source]
id = "idmc-test"
format = "hxl"
event = "displacement"
[columns]
year = "#date+year"
reporter = "#country+code"
count = "#affected+stock"
)";

// One format: its header, one data row, and the mapping it needs (or none).
struct Format {
  const char* name;
  std::string header, row;
  std::optional<Mapping> mapping;
};

std::vector<Format> formats() {
  return {{"cbp", kCbpHeader, kCbpRow, std::nullopt},
          {"sdmx", kSdmxHeader, kSdmxRow, std::nullopt},
          {"csv", kCsvHeader, kCsvRow, parse_mapping(kCsvMapping, "csv.toml")},
          {"hxl", kHxlHeader, kHxlRow, parse_mapping(kHxlMapping, "hxl.toml")}};
}

// The one problem `parse_statistics_file` refuses the file with.
InputProblem refusal(const std::string& path, const Mapping* m, ParseOptions options = {}) {
  try {
    ParsedFile f = parse_statistics_file(path, m, options);
    ADD_FAILURE() << path << " accepted, " << f.rows.size() << " rows\n" << problems_text(f);
  } catch (const InputError& e) {
    EXPECT_EQ(e.problems().size(), 1u);
    return e.problems().at(0);
  }
  return {};
}

TEST(WholeFile, EveryFormatReadsItsGoodFile) {
  for (auto& f : formats()) {
    SCOPED_TRACE(f.name);
    TempFile data(std::string(f.name) + "-good.csv", f.header + f.row);
    ParsedFile p = parse_statistics_file(data.path(), f.mapping ? &*f.mapping : nullptr);
    EXPECT_TRUE(p.problems.empty()) << problems_text(p);
    ASSERT_EQ(p.rows.size(), 1u);
    EXPECT_EQ(p.rows[0].value, 172);
  }
}

TEST(WholeFile, EmptyFileRefusedForEveryFormat) {
  TempFile empty("empty.csv", "");
  TempFile blank("blank.csv", "\xEF\xBB\xBF\r\n\n  \n");
  for (auto& f : formats()) {
    SCOPED_TRACE(f.name);
    const Mapping* m = f.mapping ? &*f.mapping : nullptr;
    InputProblem p = refusal(empty.path(), m);
    EXPECT_EQ(p.to_string(), empty.path() +
                                 ": expected a header and data rows; the file is empty (0 bytes): a failed "
                                 "download or export?");
    // Even --replace cannot make an empty file a release: no header, no source.
    ParseOptions replace;
    replace.allow_no_data = true;
    EXPECT_EQ(refusal(empty.path(), m, replace).file, empty.path());
    p = refusal(blank.path(), m);
    EXPECT_EQ(p.file, blank.path());
    EXPECT_NE(p.expected.find("only blank space"), std::string::npos) << p.expected;
  }
}

TEST(WholeFile, HeaderOnlyRefusedForEveryFormatUnlessReplacing) {
  for (auto& f : formats()) {
    SCOPED_TRACE(f.name);
    const Mapping* m = f.mapping ? &*f.mapping : nullptr;
    // With and without blank lines after the header.
    for (const std::string& tail : {std::string(), std::string("\n\r\n")}) {
      TempFile data(std::string(f.name) + "-header.csv", f.header + tail);
      InputProblem p = refusal(data.path(), m);
      EXPECT_EQ(p.file, data.path());
      EXPECT_NE(p.expected.find("the file holds a header only"), std::string::npos) << p.to_string();
      ParseOptions replace;
      replace.allow_no_data = true;
      if (std::string(f.name) == "sdmx") {
        // SDMX-CSV names its source in its rows: with none, there is no
        // source to replace.
        EXPECT_EQ(p.expected.find("--replace"), std::string::npos) << p.to_string();
        EXPECT_EQ(refusal(data.path(), m, replace).expected, p.expected);
        continue;
      }
      EXPECT_NE(p.expected.find("--replace"), std::string::npos) << p.to_string();
      ParsedFile accepted = parse_statistics_file(data.path(), m, replace);
      EXPECT_EQ(accepted.rows_read, 0u);
      EXPECT_TRUE(accepted.rows.empty());
      EXPECT_FALSE(accepted.source.empty());
    }
  }
  TempFile csv("csv-header-named.csv", kCsvHeader);
  Mapping m = parse_mapping(kCsvMapping, "csv.toml");
  EXPECT_NE(refusal(csv.path(), &m).expected.find("To withdraw everything pa-test holds on purpose"),
            std::string::npos);
}

TEST(WholeFile, CutOffMidLineRefusedForEveryFormatNamingTheLastLine) {
  for (auto& f : formats()) {
    SCOPED_TRACE(f.name);
    const Mapping* m = f.mapping ? &*f.mapping : nullptr;
    // Two rows, the second cut inside its count: 172 would be read as 17.
    std::string whole = f.header + f.row + f.row;
    const size_t cut = whole.rfind("172") + 2;
    TempFile data(std::string(f.name) + "-cut.csv", whole.substr(0, cut));
    const uint32_t last_line = static_cast<uint32_t>(std::count(whole.begin(), whole.begin() + static_cast<std::ptrdiff_t>(cut), '\n') + 1);
    for (bool replace : {false, true}) {  // --replace does not make a cut file whole
      ParseOptions options;
      options.allow_no_data = replace;
      InputProblem p = refusal(data.path(), m, options);
      EXPECT_EQ(p.file, data.path());
      EXPECT_EQ(p.line, last_line);
      EXPECT_NE(p.expected.find("line " + std::to_string(last_line) + " stops without one"), std::string::npos)
          << p.to_string();
      EXPECT_NE(p.expected.find("cut off"), std::string::npos) << p.to_string();
      EXPECT_EQ(p.value.substr(p.value.size() - 3), ",17");
    }
  }
}

TEST(WholeFile, LineEndsOfEveryKindAreWhole) {
  EXPECT_NO_THROW(check_whole_file("lf.csv", "a\n1\n"));
  EXPECT_NO_THROW(check_whole_file("crlf.csv", "a\r\n1\r\n"));
  EXPECT_NO_THROW(check_whole_file("cr.csv", "a\r1\r"));
  try {
    check_whole_file("cr.csv", "a\r1\r2");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.problems()[0].line, 3u);  // lone CRs end lines as CsvReader counts them
    EXPECT_EQ(e.problems()[0].value, "2");
  }
  try {
    check_whole_file("crlf.csv", "\xEF\xBB\xBF" "a\r\n1\r\n22");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.problems()[0].to_string(),
              "crlf.csv:3: value \"22\": expected a line break at the end of the file: line 3 stops without one, so "
              "the file may have been cut off (an interrupted download); if the file is complete, add the final "
              "line break");
  }
}

TEST(WholeFile, ACutOffLineIsEchoedShortenedHoweverLong) {
  // A file of one endless line (zeros, a binary file sent by mistake) must
  // not be copied whole into its problem.
  const std::string endless(1 << 20, 'x');
  try {
    check_whole_file("endless.csv", endless);
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(e.problems()[0].line, 1u);
    const std::string& shown = e.problems()[0].value;
    EXPECT_EQ(shown, "\u2026" + std::string(kEchoedValueChars, 'x'));  // its end, where the cut is
  }
}

// --- counts ------------------------------------------------------------------

TEST(Counts, AboveTheSourcesBoundRefusedWithLineAndColumn) {
  const std::string rows = std::string(kCsvHeader) + "\"2021-09\",\"2021-Q3\",\"HTI\",1000000000\n" +
                           "\"2021-10\",\"2021-Q4\",\"HTI\",1000000000000\n" +
                           "\"2021-11\",\"2021-Q4\",\"HTI\",\"1,000,000,001\"\n";
  TempFile data("bound.csv", rows);
  Mapping m = parse_mapping(kCsvMapping, "csv.toml");
  ParsedFile f = parse_statistics_file(data.path(), &m);
  ASSERT_EQ(f.problems.size(), 2u) << problems_text(f);
  EXPECT_EQ(f.problems[0].to_string(),
            data.path() + ":3: column 'n': value \"1000000000000\": expected a count of at most 1,000,000,000 "
                          "(larger is not a plausible count for this source; if it is right, raise max_count in "
                          "the mapping's [source])");
  EXPECT_EQ(f.problems[1].line, 4u);
  EXPECT_EQ(f.problems[1].value, "1,000,000,001");
  ASSERT_EQ(f.rows.size(), 1u);
  EXPECT_EQ(f.rows[0].value, 1'000'000'000);  // the bound itself is accepted

  // A source that declares larger counts.
  Mapping big = parse_mapping(std::string(kCsvMapping).insert(std::string(kCsvMapping).find("[columns]"),
                                                              "max_count = 1000000000000\n"),
                              "big.toml");
  ParsedFile g = parse_statistics_file(data.path(), &big);
  EXPECT_TRUE(g.problems.empty()) << problems_text(g);
  EXPECT_EQ(g.rows.size(), 3u);
  // And one that declares smaller ones.
  Mapping small = parse_mapping(std::string(kCsvMapping).insert(std::string(kCsvMapping).find("[columns]"),
                                                                "max_count = 999\n"),
                                "small.toml");
  EXPECT_EQ(parse_statistics_file(data.path(), &small).problem_count(), 3u);
}

TEST(Counts, OverflowRefusedWithLineAndColumnForEveryFormat) {
  for (auto& f : formats()) {
    SCOPED_TRACE(f.name);
    std::string row = f.row;
    row.replace(row.find("172"), 3, "99999999999999999999");
    TempFile data(std::string(f.name) + "-overflow.csv", f.header + f.row + row);
    ParsedFile p = parse_statistics_file(data.path(), f.mapping ? &*f.mapping : nullptr);
    ASSERT_EQ(p.problems.size(), 1u) << problems_text(p);
    const uint32_t line = static_cast<uint32_t>(std::count(f.header.begin(), f.header.end(), '\n') + 2);
    EXPECT_EQ(p.problems[0].line, line);
    EXPECT_FALSE(p.problems[0].column.empty());
    EXPECT_EQ(p.problems[0].value, "99999999999999999999");
    EXPECT_NE(p.problems[0].expected.find("does not even fit in a 64-bit integer"), std::string::npos)
        << p.problems[0].expected;
    EXPECT_EQ(p.rows.size(), 1u);
  }
}

TEST(Counts, BuilderBoundsAndOverflowsDirectly) {
  ParsedFileBuilder b("s", "f.csv", "test");
  int64_t v = 0;
  bool missing = false;
  EXPECT_TRUE(b.count("1,234", 2, "n", v, missing));
  EXPECT_EQ(v, 1234);
  EXPECT_TRUE(b.count("1000000000.0", 3, "n", v, missing));
  EXPECT_FALSE(b.count("1000000001", 4, "n", v, missing));
  EXPECT_FALSE(b.count("9223372036854775807", 5, "n", v, missing));  // fits, but above the bound
  EXPECT_FALSE(b.count("9223372036854775808", 6, "n", v, missing));  // does not fit
  EXPECT_FALSE(b.count("99,999,999,999,999,999,999", 7, "n", v, missing));
  EXPECT_FALSE(b.count("-99999999999999999999", 8, "n", v, missing));
  b.set_max_count(std::numeric_limits<int64_t>::max());
  EXPECT_TRUE(b.count("9223372036854775807", 9, "n", v, missing));
  EXPECT_EQ(v, std::numeric_limits<int64_t>::max());
  ParsedFile f = b.finish();
  ASSERT_EQ(f.problems.size(), 5u) << problems_text(f);
  EXPECT_NE(f.problems[0].expected.find("at most 1,000,000,000 (larger"), std::string::npos);
  EXPECT_NE(f.problems[1].expected.find("at most 1,000,000,000 (larger"), std::string::npos);
  EXPECT_NE(f.problems[2].expected.find("does not even fit"), std::string::npos);
  EXPECT_NE(f.problems[3].expected.find("does not even fit"), std::string::npos);
  EXPECT_NE(f.problems[4].expected.find("cannot be negative"), std::string::npos);
}

TEST(Counts, SumOfDuplicatesThatOverflowsIsAProblemNotAWrongValue) {
  ParsedFile f;
  f.path = "x.csv";
  f.series = {SeriesDef{SeriesKey{"s", "USA", "", "HTI", "encounter", "", ""}, Unit::Events},
              SeriesDef{SeriesKey{"s", "USA", "", "MEX", "encounter", "", ""}, Unit::Events}};
  const int64_t big = std::numeric_limits<int64_t>::max() / 2 + 1;
  f.rows = {ObservationRow{0, Period::month(2023, 1), big, Status::Final, 2},
            ObservationRow{1, Period::month(2023, 1), 4, Status::Final, 3},
            ObservationRow{0, Period::month(2023, 1), big, Status::Final, 4},
            ObservationRow{0, Period::month(2023, 1), 1, Status::Final, 5},
            ObservationRow{1, Period::month(2023, 1), 5, Status::Final, 6}};
  resolve_duplicates(f, true);
  ASSERT_EQ(f.problems.size(), 1u);
  EXPECT_EQ(f.problems[0].line, 4u);
  EXPECT_NE(f.problems[0].expected.find("from line 2 on"), std::string::npos) << f.problems[0].expected;
  EXPECT_NE(f.problems[0].expected.find("does not fit in a 64-bit integer"), std::string::npos);
  EXPECT_EQ(f.rows_rejected, 2u);  // the overflowing row and the one after it
  ASSERT_EQ(f.rows.size(), 1u);    // the key is left out whole; MEX summed
  EXPECT_EQ(f.rows[0].series, 1u);
  EXPECT_EQ(f.rows[0].value, 9);
}

// --- bounded problem lists ---------------------------------------------------

TEST(Problems, FirstOnesKeptTheRestCounted) {
  std::string text = kCsvHeader;
  for (int i = 0; i < 1000; ++i) text += "\"2021-09\",\"2021-Q3\",\"HTI\",x" + std::to_string(i) + "\n";
  TempFile data("many-bad.csv", text);
  Mapping m = parse_mapping(kCsvMapping, "csv.toml");
  ParsedFile f = parse_statistics_file(data.path(), &m);
  EXPECT_EQ(f.problems.size(), kMaxKeptProblems);
  EXPECT_EQ(f.problems_omitted, 1000u - kMaxKeptProblems);
  EXPECT_EQ(f.problem_count(), 1000u);
  EXPECT_EQ(f.rows_rejected, 1000u);
  EXPECT_EQ(f.problems.front().line, 2u);
  EXPECT_EQ(f.problems.back().line, 101u);
}

TEST(Problems, UnknownNamesBoundedAndMergedByLine) {
  // A bad count on line 2, then 500 distinct unknown names, then a bad count.
  std::string text = std::string(kCsvHeader) + "\"2021-09\",\"2021-Q3\",\"HTI\",x\n";
  for (int i = 0; i < 500; ++i) text += "\"2021-09\",\"2021-Q3\",\"Atlantis " + std::to_string(i) + "\",1\n";
  text += "\"2021-09\",\"2021-Q3\",\"HTI\",y\n";
  TempFile data("many-names.csv", text);
  Mapping m = parse_mapping(kCsvMapping, "csv.toml");
  ParsedFile f = parse_statistics_file(data.path(), &m);
  ASSERT_EQ(f.problems.size(), kMaxKeptProblems);
  EXPECT_EQ(f.problem_count(), 502u);
  EXPECT_EQ(f.rows_rejected, 502u);
  EXPECT_EQ(f.problems[0].line, 2u);
  EXPECT_EQ(f.problems[1].line, 3u);
  EXPECT_EQ(f.problems[1].value, "Atlantis 0");
  EXPECT_NE(f.problems[1].expected.find("nearest known: "), std::string::npos);
  EXPECT_EQ(f.problems.back().line, 101u);
}

TEST(Problems, AHugeCellIsEchoedShortenedWithSuggestions) {
  const std::string huge = "Venezuala" + std::string(1 << 20, 'x');
  TempFile data("huge-cell.csv", std::string(kCsvHeader) + "\"2021-09\",\"2021-Q3\",\"" + huge + "\",5\n" +
                                     "\"2021-09\",\"2021-Q3\",\"HTI\",\"" + huge + "\"\n");
  Mapping m = parse_mapping(kCsvMapping, "csv.toml");
  ParsedFile f = parse_statistics_file(data.path(), &m);
  ASSERT_EQ(f.problems.size(), 2u);
  const std::string name = f.problems[0].to_string();
  EXPECT_EQ(name.rfind(data.path() + ":2: column 'nat': value \"Venezualaxxx", 0), 0u) << name.substr(0, 300);
  EXPECT_NE(name.find("x\u2026\": expected a known country name or code; nearest known: "), std::string::npos)
      << name.substr(0, 300);
  EXPECT_LT(name.size(), 600u);
  const std::string count = f.problems[1].to_string();
  EXPECT_NE(count.find("x\u2026\": expected a whole number"), std::string::npos) << count.substr(0, 300);
  EXPECT_LT(count.size(), 400u);
  EXPECT_LE(f.problems[0].value.size(), 4 * kEchoedValueChars);  // stored shortened too
}

}  // namespace
}  // namespace atalaya
