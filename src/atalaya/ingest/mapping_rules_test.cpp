// Tests for the reshaping rules of mapping files: counterpart, [combine],
// [melt], [multiple], [exclude], day and week dates, exponent counts, the
// demographic code list and vocabulary files (docs/user-guide.md, "Mapping files").
#include <gtest/gtest.h>

#include <string>

#include "atalaya/core/day_date.h"
#include "atalaya/core/input_error.h"
#include "atalaya/core/vocabulary.h"
#include "atalaya/ingest/mapped_csv.h"
#include "atalaya/ingest/mapping.h"
#include "atalaya/ingest/parsed_file_testing.h"

namespace atalaya {
namespace {

using testing::flatten;
using testing::problems_text;

InputProblem refusal(const std::string& toml) {
  try {
    parse_mapping(toml, "m.toml");
  } catch (const InputError& e) {
    return e.problems().at(0);
  }
  ADD_FAILURE() << "mapping accepted:\n" << toml;
  return {};
}

ParsedFile read(const std::string& toml, const std::string& csv) {
  return read_mapped_csv("f.csv", csv, parse_mapping(toml, "m.toml"));
}

// --- counterpart ---------------------------------------------------------------

TEST(MappingRules, CounterpartFromAColumnOrFixed) {
  ParsedFile f = read(R"([source]
id = "mx-returns-from"
reporter = "MEX"
event = "deportation"

[columns]
year = "anio"
citizenship = "nat"
counterpart = "desde"
count = "n"
)",
                      "anio,nat,desde,n\n2023,HND,Estados Unidos,5\n2023,HND,,7\n2023,HND,Atlantis,1\n");
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 2u) << problems_text(f);
  EXPECT_EQ(got[0].key.counterpart, "USA");
  EXPECT_EQ(got[0].key.citizenship, "HND");
  EXPECT_EQ(got[1].key.counterpart, "");
  ASSERT_EQ(f.problems.size(), 1u);
  EXPECT_EQ(f.problems[0].line, 4u);
  EXPECT_EQ(f.problems[0].column, "desde");

  Mapping m = parse_mapping("[source]\nid = \"x\"\nreporter = \"MEX\"\nevent = \"return\"\ncounterpart = \"USA\"\n"
                            "[columns]\nyear = \"y\"\ncount = \"n\"\n",
                            "m.toml");
  EXPECT_EQ(m.fixed["counterpart"], "USA");
  InputProblem p = refusal("[source]\nid = \"x\"\nreporter = \"MEX\"\nevent = \"return\"\ncounterpart = \"Atlantis\"\n"
                           "[columns]\nyear = \"y\"\ncount = \"n\"\n");
  EXPECT_EQ(p.column, "source.counterpart");
  EXPECT_EQ(p.line, 5u);
}

// --- demographic code list -------------------------------------------------------

TEST(MappingRules, DemographicOutsideTheCodeListIsRefusedNamingTheList) {
  ParsedFile f = read(R"([source]
id = "x"
reporter = "USA"
event = "encounter"

[columns]
year = "y"
demographic = "d"
count = "n"

[values.demographic]
"Adults" = "adult"
)",
                      "y,d,n\n2023,Adults,1\n2023,Grown-ups,2\n2023,,3\n");
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 2u) << problems_text(f);
  EXPECT_EQ(got[0].key.demographic, "adult");
  EXPECT_EQ(got[1].key.demographic, "");
  ASSERT_EQ(f.problems.size(), 1u);
  EXPECT_EQ(f.problems[0].line, 3u);
  EXPECT_EQ(f.problems[0].column, "d");
  EXPECT_NE(f.problems[0].expected.find("[values.demographic]"), std::string::npos);
  EXPECT_NE(f.problems[0].expected.find("unaccompanied_child"), std::string::npos);

  EXPECT_EQ(refusal("[source]\nid = \"x\"\nreporter = \"USA\"\nevent = \"encounter\"\ndemographic = \"kids\"\n"
                    "[columns]\nyear = \"y\"\ncount = \"n\"\n")
                .column,
            "source.demographic");
}

// --- [combine] -------------------------------------------------------------------

TEST(MappingRules, CombineJoinsColumnsThenMapsTheResult) {
  ParsedFile f = read(R"([source]
id = "x"
reporter = "COL"
event = "refugee"

[columns]
year = "year"
count = "n"

[combine.demographic]
columns = ["sex", "age"]
separator = "_"

[values.demographic]
"female_0-4" = "F_0-4"
"male_60+" = "M_60+"
)",
                      "year,sex,age,n\n"
                      "2023,female,0-4,10\n"   // 2: mapped
                      "2023,F,18-59,20\n"      // 3: already a code
                      "2023,male,60+,30\n"     // 4: mapped
                      "2023,other,5-11,40\n"); // 5: not a code
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 3u) << problems_text(f);
  EXPECT_EQ(got[0].key.demographic, "F_0-4");
  EXPECT_EQ(got[1].key.demographic, "F_18-59");
  EXPECT_EQ(got[2].key.demographic, "M_60+");
  ASSERT_EQ(f.problems.size(), 1u);
  EXPECT_EQ(f.problems[0].line, 5u);
  EXPECT_EQ(f.problems[0].column, "combine.demographic");
  EXPECT_EQ(f.problems[0].value, "other_5-11");
}

TEST(MappingRules, CombineIsCheckedWhenTheMappingIsRead) {
  const std::string base = "[source]\nid = \"x\"\nreporter = \"COL\"\nevent = \"refugee\"\n"
                           "[columns]\nyear = \"y\"\ncount = \"n\"\n";
  InputProblem p = refusal(base + "[combine.demographic]\ncolumns = [\"sex\"]\n");
  EXPECT_EQ(p.column, "combine.demographic.columns");
  EXPECT_EQ(refusal(base + "[combine.colour]\ncolumns = [\"a\", \"b\"]\n").column, "combine.colour");
  EXPECT_EQ(refusal(base + "[combine.demographic]\ncolumns = [\"a\", \"b\"]\nsep = \"-\"\n").column,
            "combine.demographic.sep");
  p = refusal("[source]\nid = \"x\"\nreporter = \"COL\"\nevent = \"refugee\"\n"
              "[columns]\nyear = \"y\"\ncount = \"n\"\ndemographic = \"d\"\n"
              "[combine.demographic]\ncolumns = [\"a\", \"b\"]\n");
  EXPECT_EQ(p.column, "combine.demographic");
  EXPECT_NE(p.expected.find("columns.demographic"), std::string::npos);
}

// --- [melt] ----------------------------------------------------------------------

const char kMeltMapping[] = R"([source]
id = "unhcr-pop-test"
unit = "persons"

[columns]
year = "year"
reporter = "coa_iso"
citizenship = "coo_iso"

[melt]
dimension = "event"

[melt.columns]
refugees = "refugee"
asylum_seekers = "asylum_seeker"
oip = "other_in_need_of_protection"
)";

TEST(MappingRules, MeltTurnsCountColumnsIntoOneDimension) {
  ParsedFile f = read(kMeltMapping,
                      "year,coo_iso,coa_iso,refugees,asylum_seekers,oip\n"
                      "2021,VEN,COL,1297,28785,1842390\n"  // 2
                      "2022,VEN,COL,1381,22345,\n"          // 3: no oip figure
                      "2023,VEN,COL,1e+05,0,2851160\n");    // 4: exponent; a zero is a figure
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 8u) << problems_text(f);
  EXPECT_EQ(got[0].key.event, "refugee");
  EXPECT_EQ(got[0].key.reporter, "COL");
  EXPECT_EQ(got[0].key.citizenship, "VEN");
  EXPECT_EQ(got[0].unit, Unit::Persons);
  EXPECT_EQ(got[0].value, 1297);
  EXPECT_EQ(got[1].key.event, "asylum_seeker");
  EXPECT_EQ(got[1].value, 28785);
  EXPECT_EQ(got[2].key.event, "other_in_need_of_protection");
  EXPECT_EQ(got[2].value, 1842390);
  EXPECT_EQ(got[2].line, 2u);
  EXPECT_EQ(got[4].key.event, "asylum_seeker");  // 2022: two observations
  EXPECT_EQ(got[5].key.event, "refugee");
  EXPECT_EQ(got[5].value, 100000);
  EXPECT_EQ(got[5].period, Period::year(2023));
  EXPECT_EQ(got[6].value, 0);
  EXPECT_EQ(got[7].value, 2851160);
  EXPECT_EQ(f.series.size(), 3u);
}

TEST(MappingRules, MeltRejectsTheWholeRowOnOneBadCount) {
  ParsedFile f = read(kMeltMapping,
                      "year,coo_iso,coa_iso,refugees,asylum_seekers,oip\n"
                      "2021,VEN,COL,12,x,5\n");
  EXPECT_TRUE(f.rows.empty());
  ASSERT_EQ(f.problems.size(), 1u);
  EXPECT_EQ(f.problems[0].column, "asylum_seekers");
}

TEST(MappingRules, MeltIsCheckedWhenTheMappingIsRead) {
  std::string text = kMeltMapping;
  text.replace(text.find("oip = \"other_in_need_of_protection\""), 35, "oip = \"oip\"");
  InputProblem p = refusal(text);
  EXPECT_EQ(p.column, "melt.columns.oip");
  EXPECT_EQ(p.value, "oip");
  EXPECT_NE(p.expected.find("--vocabulary"), std::string::npos);
  text = kMeltMapping;
  text.replace(text.find("citizenship = \"coo_iso\""), 23, "citizenship = \"coo_iso\"\ncount = \"refugees\"");
  EXPECT_EQ(refusal(text).column, "columns.count");
  text = kMeltMapping;
  text.replace(text.find("unit = \"persons\""), 16, "unit = \"persons\"\nevent = \"refugee\"");
  EXPECT_EQ(refusal(text).column, "melt.dimension");
  text = kMeltMapping;
  text.replace(text.find("dimension = \"event\""), 19, "dimension = \"colour\"");
  EXPECT_EQ(refusal(text).column, "melt.dimension");
}

TEST(MappingRules, MeltedEventsMayComeFromAVocabularyFile) {
  load_vocabulary_text("[event.detained]\nlabel = \"Detained\"\nlabel_es = \"Detenido\"\nmeasure = \"stock\"\n",
                       "extra.toml");
  std::string text = kMeltMapping;
  text.replace(text.find("oip = \"other_in_need_of_protection\""), 35, "oip = \"detained\"");
  EXPECT_NO_THROW(parse_mapping(text, "m.toml"));
  reset_vocabulary();
  InputProblem p = refusal(text);
  EXPECT_EQ(p.column, "melt.columns.oip");
}

// --- [multiple] ------------------------------------------------------------------

const char kMissingMapping[] = R"([source]
id = "iom-mm-test"
reporter = "IOM"
event = "missing_person"
unit = "persons"
duplicates = "sum"

[columns]
period = "date"
citizenship = "nat"
count = "n"

[period]
day_rule = "month"
)";

TEST(MappingRules, SeveralValuesInACellAreRefusedWithoutARule) {
  ParsedFile f = read(kMissingMapping, "date,nat,n\n2021-07-15,AFG,2\n2021-07-16,\"AFG,IRN\",5\n");
  EXPECT_EQ(flatten(f).size(), 1u);
  ASSERT_EQ(f.problems.size(), 1u) << problems_text(f);  // never dropped silently
  EXPECT_EQ(f.problems[0].line, 3u);
  EXPECT_EQ(f.problems[0].value, "AFG,IRN");
}

TEST(MappingRules, MultipleGroupCountsTheRowOnceUnderTheGroup) {
  ParsedFile f = read(std::string(kMissingMapping) + "\n[multiple.citizenship]\nseparator = \",\"\n"
                                                     "rule = \"group\"\ngroup = \"MULTIPLE\"\n",
                      "date,nat,n\n2021-07-15,AFG,2\n2021-07-16,\"AFG, IRN\",5\n2021-07-20,\"IRN,AFG\",1\n");
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 3u) << problems_text(f);
  EXPECT_EQ(got[0].key.citizenship, "AFG");
  EXPECT_EQ(got[1].key.citizenship, "MULTIPLE");
  EXPECT_EQ(got[2].key.citizenship, "MULTIPLE");
  EXPECT_EQ(got[0].key.reporter, "IOM");
  EXPECT_EQ(got[1].period, Period::month(2021, 7));
}

TEST(MappingRules, MultipleSplitCountsTheRowUnderEachValue) {
  ParsedFile f = read(std::string(kMissingMapping) + "\n[multiple.citizenship]\nseparator = \";\"\nrule = \"split\"\n",
                      "date,nat,n\n2021-07-16,Afghanistan; Iran,5\n");
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 2u) << problems_text(f);
  EXPECT_EQ(got[0].key.citizenship, "AFG");
  EXPECT_EQ(got[0].value, 5);
  EXPECT_EQ(got[1].key.citizenship, "IRN");
  EXPECT_EQ(got[1].value, 5);
  EXPECT_EQ(got[1].line, 2u);
}

TEST(MappingRules, MultipleRuleIsCheckedWhenTheMappingIsRead) {
  const std::string base = kMissingMapping;
  EXPECT_EQ(refusal(base + "[multiple.citizenship]\nrule = \"drop\"\n").column, "multiple.citizenship.rule");
  EXPECT_EQ(refusal(base + "[multiple.citizenship]\nrule = \"group\"\n").column, "multiple.citizenship.group");
  InputProblem p = refusal(base + "[multiple.citizenship]\nrule = \"group\"\ngroup = \"SEVERAL-ISH\"\n");
  EXPECT_EQ(p.column, "multiple.citizenship.group");
  EXPECT_NE(p.expected.find("country reference"), std::string::npos);
  EXPECT_EQ(refusal(base + "[multiple.citizenship]\nrule = \"split\"\ngroup = \"MULTIPLE\"\n").column,
            "multiple.citizenship.group");
}

// --- [exclude] -------------------------------------------------------------------

TEST(MappingRules, ExcludeDropsRowsHoldingAListedValue) {
  ParsedFile f = read(R"([source]
id = "x"
reporter = "MEX"
event = "deportation"

[columns]
year = "y"
citizenship = "nat"
count = "n"

[exclude]
nat = ["Total", "TOTAL"]
tipo = "subtotal"
)",
                      "y,nat,tipo,n\n2023,HND,,1\n2023,Total,,9\n2023,GTM,subtotal,9\n2023,GTM,,2\n");
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 2u) << problems_text(f);
  EXPECT_EQ(got[0].key.citizenship, "HND");
  EXPECT_EQ(got[1].key.citizenship, "GTM");
  EXPECT_EQ(f.rows_read, 4u);
  EXPECT_TRUE(f.problems.empty());
}

// --- day and week dates ------------------------------------------------------------

const char kDatedMapping[] = R"([source]
id = "dated"
reporter = "PAN"
event = "irregular_transit"
duplicates = "sum"

[columns]
period = "fecha"
count = "n"
)";

TEST(MappingRules, DayDatesNeedTheMonthRule) {
  ParsedFile f = read(kDatedMapping, "fecha,n\n2021-07-01,1\n2021-07-15,2\n15/07/2021,3\n");
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 1u);  // the first of a month is that month, as before
  EXPECT_EQ(got[0].period, Period::month(2021, 7));
  ASSERT_EQ(f.problems.size(), 2u);
  EXPECT_EQ(f.problems[0].line, 3u);
  EXPECT_EQ(f.problems[0].column, "fecha");
  EXPECT_NE(f.problems[0].expected.find("day_rule = \"month\""), std::string::npos);
}

TEST(MappingRules, DayRuleMonthCountsEachDateInItsMonth) {
  ParsedFile f = read(std::string(kDatedMapping) + "[period]\nday_rule = \"month\"\n",
                      "fecha,n\n2021-07-15,2\n15/07/2021,3\n31/08/2021,4\n2021-08-01T10:30:00,5\n2021-07,6\n");
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 5u) << problems_text(f);
  EXPECT_EQ(got[0].period, Period::month(2021, 7));
  EXPECT_EQ(got[1].period, Period::month(2021, 7));
  EXPECT_EQ(got[2].period, Period::month(2021, 8));
  EXPECT_EQ(got[3].period, Period::month(2021, 8));
  EXPECT_EQ(got[4].period, Period::month(2021, 7));
}

TEST(MappingRules, DatesAreCheckedStrictlyWithLineAndColumn) {
  ParsedFile f = read(std::string(kDatedMapping) + "[period]\nday_rule = \"month\"\n",
                      "fecha,n\n2021-07-99,1\n2021-02-30,1\n29/02/2021,1\n29/02/2024,1\n31/04/2021,1\n2021-13-01,1\n");
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 1u) << problems_text(f);
  EXPECT_EQ(got[0].period, Period::month(2024, 2));
  ASSERT_EQ(f.problems.size(), 5u);
  const uint32_t lines[] = {2, 3, 4, 6, 7};
  for (size_t i = 0; i < 5; ++i) {
    EXPECT_EQ(f.problems[i].line, lines[i]);
    EXPECT_EQ(f.problems[i].column, "fecha");
    EXPECT_NE(f.problems[i].expected.find("that exists"), std::string::npos) << f.problems[i].expected;
  }
  EXPECT_EQ(f.problems[0].value, "2021-07-99");
}

TEST(MappingRules, DateOrderMonthFirst) {
  ParsedFile f = read(std::string(kDatedMapping) + "[period]\nday_rule = \"month\"\ndate_order = \"MDY\"\n",
                      "fecha,n\n07/15/2021,1\n15/07/2021,1\n");
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].period, Period::month(2021, 7));
  ASSERT_EQ(f.problems.size(), 1u);
  EXPECT_EQ(f.problems[0].line, 3u);
  EXPECT_EQ(refusal(std::string(kDatedMapping) + "[period]\ndate_order = \"YMD\"\n").column, "period.date_order");
  EXPECT_EQ(refusal(std::string(kDatedMapping) + "[period]\nday_rule = \"week\"\n").column, "period.day_rule");
}

TEST(MappingRules, IsoWeeksCountInTheMonthOfTheirThursday) {
  ParsedFile refused = read(kDatedMapping, "fecha,n\n2021-W28,1\n");
  ASSERT_EQ(refused.problems.size(), 1u);
  EXPECT_NE(refused.problems[0].expected.find("week_rule"), std::string::npos);

  ParsedFile f = read(std::string(kDatedMapping) + "[period]\nweek_rule = \"thursday\"\n",
                      "fecha,n\n2021-W28,1\n2021W26,1\n2020-W53,1\n2021-W53,1\n2021-W01-3,1\n");
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 4u) << problems_text(f);
  EXPECT_EQ(got[0].period, Period::month(2021, 7));  // Thursday 15 July 2021
  EXPECT_EQ(got[1].period, Period::month(2021, 7));  // 28 June - 4 July: Thursday 1 July
  EXPECT_EQ(got[2].period, Period::month(2020, 12)); // Thursday 31 December 2020
  EXPECT_EQ(got[3].period, Period::month(2021, 1));  // 2021-W01: Thursday 7 January 2021
  ASSERT_EQ(f.problems.size(), 1u);
  EXPECT_EQ(f.problems[0].line, 5u);  // 2021 has 52 weeks
  EXPECT_EQ(refusal(std::string(kDatedMapping) + "[period]\nweek_rule = \"monday\"\n").column, "period.week_rule");
}

TEST(DayDate, ReadsShapesStrictly) {
  EXPECT_EQ(read_date("2023-07").shape, DateShape::NotADate);
  EXPECT_EQ(read_date("2023").shape, DateShape::NotADate);
  EXPECT_EQ(read_date("2023-Q3").shape, DateShape::NotADate);
  EXPECT_EQ(read_date("Jul 2023").shape, DateShape::NotADate);
  DateReading d = read_date("5/7/2021");
  EXPECT_EQ(d.shape, DateShape::Day);
  EXPECT_TRUE(d.valid);
  EXPECT_EQ(d.day, 5);
  EXPECT_EQ(d.month, 7);
  d = read_date("5/7/2021", false);
  EXPECT_EQ(d.day, 7);
  EXPECT_EQ(d.month, 5);
  EXPECT_FALSE(read_date("2100-02-29").valid);
  EXPECT_TRUE(read_date("2000-02-29").valid);
  EXPECT_EQ(iso_weeks_in_year(2020), 53);
  EXPECT_EQ(iso_weeks_in_year(2021), 52);
  EXPECT_EQ(iso_week_month(2021, 53), std::nullopt);
  EXPECT_EQ(iso_week_month(2025, 1), Period::month(2025, 1));  // 30 Dec 2024 - 5 Jan 2025
  EXPECT_EQ(iso_week_month(2026, 1), Period::month(2026, 1));  // Thursday 1 January 2026
}

// --- exponent counts ------------------------------------------------------------------

TEST(MappingRules, IntegralExponentCountsAreRead) {
  ParsedFile f = read(kDatedMapping, "fecha,n\n2021-01,1e+05\n2021-02,1.5e3\n2021-03,2E6\n2021-04,1.5e0\n"
                                     "2021-05,-1e3\n2021-06,1e-2\n2021-07,120e-1\n2021-08,1e30\n2021-09,e5\n");
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 4u) << problems_text(f);
  EXPECT_EQ(got[0].value, 100000);
  EXPECT_EQ(got[1].value, 1500);
  EXPECT_EQ(got[2].value, 2000000);
  EXPECT_EQ(got[3].value, 12);
  ASSERT_EQ(f.problems.size(), 5u) << problems_text(f);
  EXPECT_EQ(f.problems[0].value, "1.5e0");
  EXPECT_NE(f.problems[0].expected.find("whole number"), std::string::npos);
  EXPECT_NE(f.problems[1].expected.find("cannot be negative"), std::string::npos);
  EXPECT_EQ(f.problems[2].value, "1e-2");
  EXPECT_EQ(f.problems[3].value, "1e30");
  EXPECT_EQ(f.problems[4].value, "e5");
}

}  // namespace
}  // namespace atalaya
