// Tests for mapping files (mapping.h) and the mapped CSV / HXL adapter
// (mapped_csv.h), through to duplicate resolution in parse_statistics_file
// (ingest.h): a broken mapping names its line and field, and each mapping
// feature shapes the observations as documented.
#include "atalaya/ingest/mapping.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "atalaya/core/input_error.h"
#include "atalaya/ingest/csv_reader.h"
#include "atalaya/ingest/ingest.h"
#include "atalaya/ingest/mapped_csv.h"

#include "atalaya/ingest/parsed_file_testing.h"

namespace atalaya {
namespace {

using testing::Flat;
using testing::flatten;
using testing::problems_text;

// The InputProblem a mapping text is refused with.
InputProblem refusal(const std::string& toml) {
  try {
    parse_mapping(toml, "m.toml");
  } catch (const InputError& e) {
    EXPECT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].file, "m.toml");
    return e.problems()[0];
  }
  ADD_FAILURE() << "mapping accepted:\n" << toml;
  return {};
}

using testing::TempFile;

const char kDarienMapping[] = R"(# Panama, Darién
[source]
id = "pa-snm-darien"
name = "Panama SNM: irregular transit through the Darién"
reporter = "PAN"
location = "Darién"
event = "irregular_transit"
unit = "persons"
status = "final"

[columns]
period = "t"
citizenship = "nat"
count = "n"

[period]
format = "YYYY-MM"
annual_through = 2019
)";

// --- parse_mapping -----------------------------------------------------------

TEST(ParseMapping, FullMapping) {
  const std::string text = R"([source]
id = "test-full"
name = "A full mapping"
format = "csv"
encoding = "latin-1"
delimiter = ";"
duplicates = "sum"
reporter = "Panamá"
event = "irregular_transit"
unit = "persons"
status = "provisional"
location = "Darién"

[columns]
year = "anio"
month = "mes"
citizenship = "nacionalidad"
demographic = "grupo"
count = "total"

[period]
format = "auto"
frequency = "M"
annual_through = 2019
fiscal_year_start = 7

[values.demographic]
"Adultos" = "single_adult"
"Menores" = "unaccompanied_child"

[values.citizenship]
"Tierra de nadie" = "UNK"

[filter]
tipo = ["A", "B"]
region = "Darién"
)";
  Mapping m = parse_mapping(text, "full.toml");
  EXPECT_EQ(m.path, "full.toml");
  EXPECT_EQ(m.source, "test-full");
  EXPECT_EQ(m.name, "A full mapping");
  EXPECT_EQ(m.format, "csv");
  EXPECT_EQ(m.encoding, TextEncoding::Windows1252);
  EXPECT_FALSE(m.detect_encoding);
  EXPECT_EQ(m.delimiter, ';');
  EXPECT_TRUE(m.sum_duplicates);
  EXPECT_EQ(m.fixed, (std::map<std::string, std::string>{{"reporter", "Panamá"},
                                                         {"event", "irregular_transit"},
                                                         {"unit", "persons"},
                                                         {"status", "provisional"},
                                                         {"location", "Darién"}}));
  EXPECT_EQ(m.year_column, "anio");
  EXPECT_EQ(m.month_column, "mes");
  EXPECT_EQ(m.count_column, "total");
  EXPECT_TRUE(m.period_column.empty());
  EXPECT_EQ(m.columns, (std::map<std::string, std::string>{{"citizenship", "nacionalidad"},
                                                           {"demographic", "grupo"}}));
  EXPECT_EQ(m.period_format, "auto");
  EXPECT_EQ(m.frequency, Frequency::Month);
  EXPECT_EQ(m.annual_through, 2019);
  EXPECT_EQ(m.fiscal_year_start, 7);
  EXPECT_EQ(m.values["demographic"]["Adultos"], "single_adult");
  EXPECT_EQ(m.values["demographic"]["Menores"], "unaccompanied_child");
  EXPECT_EQ(m.values["citizenship"]["Tierra de nadie"], "UNK");
  EXPECT_EQ(m.filter["tipo"], (std::set<std::string>{"A", "B"}));
  EXPECT_EQ(m.filter["region"], (std::set<std::string>{"Darién"}));
}

TEST(ParseMapping, Defaults) {
  Mapping m = parse_mapping(kDarienMapping, "darien.toml");
  EXPECT_EQ(m.format, "csv");
  EXPECT_EQ(m.encoding, TextEncoding::Utf8);
  EXPECT_TRUE(m.detect_encoding);
  EXPECT_EQ(m.delimiter, ',');
  EXPECT_FALSE(m.sum_duplicates);
  EXPECT_EQ(m.period_column, "t");
  EXPECT_EQ(m.period_format, "YYYY-MM");
  EXPECT_FALSE(m.frequency.has_value());
  EXPECT_EQ(m.fiscal_year_start, 10);
  EXPECT_EQ(m.annual_through, 2019);
}

TEST(ParseMapping, WithdrawalAndCountLimits) {
  Mapping d = parse_mapping(kDarienMapping, "darien.toml");
  EXPECT_EQ(d.max_withdrawal, kDefaultMaxWithdrawal);
  EXPECT_EQ(d.max_count, kDefaultMaxCount);
  std::string text = kDarienMapping;
  const std::string at = "status = \"final\"\n";
  auto with = [&](const std::string& lines) {
    std::string t = text;
    t.insert(t.find(at) + at.size(), lines);
    return t;
  };
  Mapping m = parse_mapping(with("max_withdrawal = 0.2\nmax_count = 20000000000\n"), "m.toml");
  EXPECT_DOUBLE_EQ(m.max_withdrawal, 0.2);
  EXPECT_EQ(m.max_count, 20'000'000'000);
  EXPECT_DOUBLE_EQ(parse_mapping(with("max_withdrawal = 1\n"), "m.toml").max_withdrawal, 1.0);
  EXPECT_DOUBLE_EQ(parse_mapping(with("max_withdrawal = 0\n"), "m.toml").max_withdrawal, 0.0);

  // The inserted key is on the line after `status`.
  const size_t insert_at = text.find(at) + at.size();
  const auto inserted_line = static_cast<uint32_t>(std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(insert_at), '\n') + 1);
  InputProblem p = refusal(with("max_withdrawal = 1.5\n"));
  EXPECT_EQ(p.column, "source.max_withdrawal");
  EXPECT_EQ(p.line, inserted_line);
  EXPECT_EQ(p.value, "1.5");
  EXPECT_NE(p.expected.find("a share between 0 and 1"), std::string::npos) << p.expected;
  p = refusal(with("max_withdrawal = \"5%\"\n"));
  EXPECT_EQ(p.column, "source.max_withdrawal");
  EXPECT_EQ(p.value, "5%");
  p = refusal(with("max_count = 0\n"));
  EXPECT_EQ(p.column, "source.max_count");
  EXPECT_EQ(p.value, "0");
  EXPECT_NE(p.expected.find("a whole number of 1 or more"), std::string::npos) << p.expected;
  p = refusal(with("max_count = 1.5e9\n"));
  EXPECT_EQ(p.column, "source.max_count");
}

TEST(ParseMapping, MissingSourceIdNamesTheSourceTable) {
  InputProblem p = refusal("# comment\n[source]\nname = \"x\"\nreporter = \"PAN\"\nevent = \"return\"\n"
                           "[columns]\nperiod = \"t\"\ncount = \"n\"\n");
  EXPECT_EQ(p.column, "source.id");
  EXPECT_EQ(p.line, 2u);
  EXPECT_EQ(refusal("[columns]\nperiod = \"t\"\ncount = \"n\"\n").column, "source");
}

TEST(ParseMapping, UnknownKeyNamesLineAndField) {
  InputProblem p = refusal("[source]\nid = \"x\"\ncolour = \"x\"\nreporter = \"PAN\"\nevent = \"return\"\n"
                           "[columns]\nperiod = \"t\"\ncount = \"n\"\n");
  EXPECT_EQ(p.line, 3u);
  EXPECT_EQ(p.column, "source.colour");
  EXPECT_NE(p.expected.find("one of: id, name"), std::string::npos) << p.expected;
  EXPECT_EQ(p.to_string().rfind("m.toml:3: column 'source.colour':", 0), 0u) << p.to_string();

  p = refusal("[source]\nid = \"x\"\nreporter = \"PAN\"\nevent = \"return\"\n"
              "[columns]\nperiod = \"t\"\ncount = \"n\"\nweight = \"w\"\n");
  EXPECT_EQ(p.line, 8u);
  EXPECT_EQ(p.column, "columns.weight");

  p = refusal("[source]\nid = \"x\"\nreporter = \"PAN\"\nevent = \"return\"\n"
              "[columns]\nperiod = \"t\"\ncount = \"n\"\n[period]\nformt = \"YYYY\"\n");
  EXPECT_EQ(p.line, 9u);
  EXPECT_EQ(p.column, "period.formt");

  p = refusal("[source]\nid = \"x\"\nreporter = \"PAN\"\nevent = \"return\"\n"
              "[columns]\nperiod = \"t\"\ncount = \"n\"\n[extra]\na = 1\n");
  EXPECT_EQ(p.column, "extra");  // a top-level key: no leading dot
}

TEST(ParseMapping, BadEventNamesLineFieldAndValue) {
  std::string text = kDarienMapping;
  text.replace(text.find("event = \"irregular_transit\""), 27, "event = \"irregular transits\"");
  InputProblem p = refusal(text);
  EXPECT_EQ(p.line, 7u);
  EXPECT_EQ(p.column, "source.event");
  EXPECT_EQ(p.value, "irregular transits");
}

TEST(ParseMapping, BadUnitStatusReporterAndOtherValues) {
  auto with = [](const std::string& from, const std::string& to) {
    std::string text = kDarienMapping;
    text.replace(text.find(from), from.size(), to);
    return refusal(text);
  };
  InputProblem p = with("unit = \"persons\"", "unit = \"people\"");
  EXPECT_EQ(p.line, 8u);
  EXPECT_EQ(p.column, "source.unit");
  EXPECT_EQ(p.value, "people");
  EXPECT_EQ(with("status = \"final\"", "status = \"done\"").column, "source.status");
  EXPECT_EQ(with("reporter = \"PAN\"", "reporter = \"Atlantis\"").column, "source.reporter");
  EXPECT_EQ(with("reporter = \"PAN\"\n", "").column, "source.reporter");
  EXPECT_EQ(with("event = \"irregular_transit\"\n", "").column, "source.event");
  EXPECT_EQ(with("id = \"pa-snm-darien\"", "id = \"PA SNM\"").column, "source.id");
  EXPECT_EQ(with("id = \"pa-snm-darien\"", "id = \"pa-snm-darien\"\nencoding = \"ebcdic\"").column,
            "source.encoding");
  EXPECT_EQ(with("id = \"pa-snm-darien\"", "id = \"pa-snm-darien\"\nduplicates = \"max\"").column,
            "source.duplicates");
  EXPECT_EQ(with("id = \"pa-snm-darien\"", "id = \"pa-snm-darien\"\ndelimiter = \";;\"").column,
            "source.delimiter");
  EXPECT_EQ(with("id = \"pa-snm-darien\"", "id = \"pa-snm-darien\"\nformat = \"json\"").column, "source.format");
  EXPECT_EQ(with("format = \"YYYY-MM\"", "format = \"MM/YYYY\"").column, "period.format");
  EXPECT_EQ(with("annual_through = 2019", "annual_through = \"2019\"").column, "period.annual_through");
  EXPECT_EQ(with("annual_through = 2019", "fiscal_year_start = 13").column, "period.fiscal_year_start");
  EXPECT_EQ(with("annual_through = 2019", "frequency = \"W\"").column, "period.frequency");
  EXPECT_EQ(with("annual_through = 2019", "annual_through = 2019\n[values.colour]\na = \"b\"").column,
            "values.colour");
}

TEST(ParseMapping, InvalidTomlNamesTheLine) {
  InputProblem p = refusal("[source]\nid = \"x\"\nname = \"unterminated\n[columns]\n");
  EXPECT_EQ(p.line, 3u);
  EXPECT_EQ(p.expected.rfind("valid TOML", 0), 0u) << p.expected;
  EXPECT_EQ(refusal("[source]\nid = \"x\"\n\n\nid = \"again\"\n").line, 5u);  // a repeated key
}

TEST(ParseMapping, MissingCountOrPeriodColumn) {
  std::string text = kDarienMapping;
  text.erase(text.find("count = \"n\"\n"), 12);
  InputProblem p = refusal(text);
  EXPECT_EQ(p.column, "columns.count");
  EXPECT_EQ(p.line, 11u);  // the [columns] table
  text = kDarienMapping;
  text.erase(text.find("period = \"t\"\n"), 13);
  EXPECT_EQ(refusal(text).column, "columns.period");
  text = kDarienMapping;
  text.replace(text.find("[columns]"), 9, "[colums]");
  EXPECT_EQ(refusal(text).column, "colums");
}

TEST(LoadMapping, ReadsAFileAndNamesAMissingOne) {
  TempFile file("load.toml", kDarienMapping);
  Mapping m = load_mapping(file.path());
  EXPECT_EQ(m.source, "pa-snm-darien");
  EXPECT_EQ(m.path, file.path());
  EXPECT_THROW(load_mapping(file.path() + ".missing"), InputError);
}

// --- read_mapped_csv ---------------------------------------------------------

TEST(MappedCsv, AnnualThroughTurnsMonthOneIntoTheYear) {
  Mapping m = parse_mapping(kDarienMapping, "darien.toml");
  const std::string text =
      "\"t\",\"q\",\"nat\",\"n\"\n"
      "\"2019-01\",\"2019-Q1\",\"CUB\",79\n"   // 2: the 2019 annual total
      "\"2019-03\",\"2019-Q1\",\"CUB\",5\n"    // 3: no monthly data before 2020
      "\"2020-03\",\"2020-Q1\",\"Haiti\",7\n"  // 4: monthly
      "\"2020\",\"2020\",\"CUB\",7\n";         // 5: not YYYY-MM
  ParsedFile f = read_mapped_csv("darien.csv", text, m);
  EXPECT_EQ(f.source, "pa-snm-darien");
  EXPECT_EQ(f.format, "mapped-csv");
  EXPECT_EQ(f.source_name, m.name);
  EXPECT_EQ(f.rows_read, 4u);
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 2u) << problems_text(f);
  EXPECT_EQ(got[0].key, (SeriesKey{"pa-snm-darien", "PAN", "Darién", "CUB", "irregular_transit", "", ""}));
  EXPECT_EQ(got[0].period, Period::year(2019));
  EXPECT_EQ(got[0].value, 79);
  EXPECT_EQ(got[0].unit, Unit::Persons);
  EXPECT_EQ(got[0].status, Status::Final);
  EXPECT_EQ(got[1].key.citizenship, "HTI");
  EXPECT_EQ(got[1].period, Period::month(2020, 3));
  ASSERT_EQ(f.problems.size(), 2u) << problems_text(f);
  EXPECT_EQ(f.problems[0].line, 3u);
  EXPECT_EQ(f.problems[0].column, "t");
  EXPECT_EQ(f.problems[0].value, "2019-03");
  EXPECT_NE(f.problems[0].expected.find("2019"), std::string::npos);
  EXPECT_EQ(f.problems[1].line, 5u);
  EXPECT_EQ(f.problems[1].column, "t");
  EXPECT_EQ(f.problems[1].expected, "a period in the form YYYY-MM");
}

TEST(MappedCsv, ValueMapsAndColumnFields) {
  Mapping m = parse_mapping(R"([source]
id = "mx-test"
reporter = "MEX"
status = "estimated"

[columns]
period = "periodo"
citizenship = "pais"
event = "evento"
demographic = "grupo"
unit = "u"
count = "total"

[values.event]
"Eventos" = "irregular_event"
"Devoluciones" = "return"

[values.demographic]
"Adultos" = "single_adult"
"Otros" = "adult"

[values.citizenship]
"Nadie" = "Stateless"

[values.unit]
P = "persons"
C = "cases"
)",
                            "mx.toml");
  const std::string text =
      "periodo,pais,evento,grupo,u,total\n"
      "2024-01,Honduras,Eventos,Adultos,P,\"1,200\"\n"  // 2
      "2024-Q1,Nadie,Devoluciones,Otros,C,3\n"          // 3
      "2024-02,Honduras,Huidas,Adultos,P,1\n"           // 4: event not mapped
      "2024-02,Honduras,Eventos,Adultos,K,1\n";         // 5: unit not mapped
  ParsedFile f = read_mapped_csv("mx.csv", text, m);
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 2u) << problems_text(f);
  EXPECT_EQ(got[0].key, (SeriesKey{"mx-test", "MEX", "", "HND", "irregular_event", "single_adult", ""}));
  EXPECT_EQ(got[0].unit, Unit::Persons);
  EXPECT_EQ(got[0].value, 1200);
  EXPECT_EQ(got[0].status, Status::Estimated);
  EXPECT_EQ(got[0].period, Period::month(2024, 1));
  EXPECT_EQ(got[1].key, (SeriesKey{"mx-test", "MEX", "", "XXA", "return", "adult", ""}));
  EXPECT_EQ(got[1].unit, Unit::Cases);
  EXPECT_EQ(got[1].period, Period::quarter(2024, 1));
  ASSERT_EQ(f.problems.size(), 2u) << problems_text(f);
  EXPECT_EQ(f.problems[0].line, 4u);
  EXPECT_EQ(f.problems[0].column, "evento");
  EXPECT_EQ(f.problems[0].value, "Huidas");
  EXPECT_EQ(f.problems[1].line, 5u);
  EXPECT_EQ(f.problems[1].column, "u");
  EXPECT_EQ(f.problems[1].value, "K");
}

TEST(MappedCsv, FilterKeepsOnlyListedValues) {
  Mapping m = parse_mapping(R"([source]
id = "unhcr-test"
event = "asylum_application"
[columns]
year = "year"
reporter = "coa_iso"
citizenship = "coo_iso"
count = "applied"
[filter]
app_pc = ["P"]
)",
                            "unhcr.toml");
  const std::string text =
      "year,coa_iso,coo_iso,app_pc,applied\n"
      "2022,USA,VEN,P,100\n"
      "2022,USA,VEN,C,40\n"
      "2022,MEX,HTI,P,7\n"
      "2022,MEX,ATLANTIS,C,1\n";  // filtered out before its country is looked at
  ParsedFile f = read_mapped_csv("unhcr.csv", text, m);
  EXPECT_TRUE(f.problems.empty()) << problems_text(f);
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].key, (SeriesKey{"unhcr-test", "USA", "", "VEN", "asylum_application", "", ""}));
  EXPECT_EQ(got[0].period, Period::year(2022));
  EXPECT_EQ(got[0].value, 100);
  EXPECT_EQ(got[0].unit, Unit::Events);  // no unit declared
  EXPECT_EQ(got[1].key.reporter, "MEX");
  EXPECT_EQ(got[1].line, 4u);
}

TEST(HxlTag, Matching) {
  EXPECT_TRUE(hxl_tag_matches("#affected+idps+ind+stock+conflict", "#affected+stock+conflict"));
  EXPECT_TRUE(hxl_tag_matches("#affected+idps+ind+stock+conflict", "#affected"));
  EXPECT_TRUE(hxl_tag_matches(" #Country+Code ", "#country+code"));
  EXPECT_TRUE(hxl_tag_matches("#affected+conflict+stock", "#affected+stock+conflict"));
  EXPECT_FALSE(hxl_tag_matches("#affected+idps+ind+newdisp+conflict", "#affected+stock+conflict"));
  EXPECT_FALSE(hxl_tag_matches("#country+name", "#country+code"));
  EXPECT_FALSE(hxl_tag_matches("#country", "#country+code"));
  EXPECT_FALSE(hxl_tag_matches("#affected_extra+stock", "#affected+stock"));
  EXPECT_FALSE(hxl_tag_matches("", "#country"));
  EXPECT_FALSE(hxl_tag_matches("#country", ""));
}

TEST(MappedCsv, HxlColumnsChosenByTag) {
  Mapping m = parse_mapping(R"([source]
id = "idmc-test"
format = "hxl"
event = "displacement"
unit = "persons"
[columns]
year = "#date+year"
reporter = "#country+code"
citizenship = "#country+code"
count = "#affected+stock+conflict"
)",
                            "idmc.toml");
  const std::string text =
      "ISO3,Name,Year,Conflict New,Conflict Stock\n"
      "#country+code,#country+name,#date+year,#affected+idps+ind+newdisp+conflict,"
      "#affected+idps+ind+stock+conflict\n"
      "COL,Colombia,2022,339000,4766000\n"
      "HTI,Haiti,2022,106000,\n"           // no stock figure: skipped
      "HTI,Haiti,2023,,313000\n";
  ParsedFile f = read_mapped_csv("idmc.csv", text, m);
  EXPECT_TRUE(f.problems.empty()) << problems_text(f);
  EXPECT_EQ(f.format, "hxl");
  EXPECT_EQ(f.rows_read, 3u);  // the tag row is not data
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].key, (SeriesKey{"idmc-test", "COL", "", "COL", "displacement", "", ""}));
  EXPECT_EQ(got[0].period, Period::year(2022));
  EXPECT_EQ(got[0].value, 4766000);
  EXPECT_EQ(got[0].line, 3u);
  EXPECT_EQ(got[1].key.reporter, "HTI");
  EXPECT_EQ(got[1].period, Period::year(2023));
  EXPECT_EQ(got[1].value, 313000);
  EXPECT_EQ(got[1].line, 5u);

  // Without a tag row the file is refused.
  EXPECT_THROW(read_mapped_csv("idmc.csv", "ISO3,Year,Stock\nCOL,2022,1\n", m), InputError);
}

TEST(MappedCsv, YearAndMonthColumns) {
  Mapping m = parse_mapping(R"([source]
id = "cr-test"
reporter = "CRI"
event = "irregular_transit"
[columns]
year = "Año"
month = "Mes"
citizenship = "Nacionalidad"
count = "Cantidad"
)",
                            "cr.toml");
  const std::string text =
      "Año,Mes,Nacionalidad,Cantidad\n"
      "2023,enero,Venezuela,10\n"
      "2023,ago,Haití,11\n"
      "2023,12,Ecuador,12\n"
      "2023,Sept,Colombia,13\n"
      "2023,Trece,Colombia,14\n"   // 6: bad month
      "23,1,Colombia,15\n";        // 7: bad year
  ParsedFile f = read_mapped_csv("cr.csv", text, m);
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 4u) << problems_text(f);
  EXPECT_EQ(got[0].period, Period::month(2023, 1));
  EXPECT_EQ(got[0].key.citizenship, "VEN");
  EXPECT_EQ(got[1].period, Period::month(2023, 8));
  EXPECT_EQ(got[1].key.citizenship, "HTI");
  EXPECT_EQ(got[2].period, Period::month(2023, 12));
  EXPECT_EQ(got[3].period, Period::month(2023, 9));
  ASSERT_EQ(f.problems.size(), 2u) << problems_text(f);
  EXPECT_EQ(f.problems[0].line, 6u);
  EXPECT_EQ(f.problems[0].column, "Año");
  EXPECT_EQ(f.problems[0].value, "2023-Trece");
  EXPECT_EQ(f.problems[1].line, 7u);
  EXPECT_EQ(f.problems[1].value, "23");
}

TEST(MappedCsv, Windows1252TextResolvesSpanishNames) {
  Mapping m = parse_mapping(R"([source]
id = "latin-test"
reporter = "Panamá"
event = "irregular_transit"
[columns]
period = "Período"
citizenship = "País"
count = "Total"
)",
                            "latin.toml");
  EXPECT_TRUE(m.detect_encoding);
  // Written by a Windows spreadsheet: Latin-1 / Windows-1252 bytes.
  const std::string raw =
      "Per\xED" "odo;Pa\xEDs;Total\r\n"
      "2023-07;Per\xFA;5\r\n"
      "2023-07;Rep\xFA" "blica Dominicana;6\r\n"
      "2023-07;M\xE9xico;7\r\n"
      "2023-07;C\xD4TE D\x92IVOIRE;8\r\n";
  EXPECT_FALSE(is_valid_utf8(raw));
  const std::string text = to_utf8(raw, m.encoding, m.detect_encoding);
  EXPECT_TRUE(is_valid_utf8(text));
  m.delimiter = ';';
  ParsedFile f = read_mapped_csv("latin.csv", text, m);
  EXPECT_TRUE(f.problems.empty()) << problems_text(f);
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 4u);
  EXPECT_EQ(got[0].key.reporter, "PAN");
  EXPECT_EQ(got[0].key.citizenship, "PER");
  EXPECT_EQ(got[1].key.citizenship, "DOM");
  EXPECT_EQ(got[2].key.citizenship, "MEX");
  EXPECT_EQ(got[3].key.citizenship, "CIV");
}

TEST(MappedCsv, MissingColumnListsTheAvailableColumns) {
  Mapping m = parse_mapping(kDarienMapping, "darien.toml");
  try {
    read_mapped_csv("other.csv", "\"t\",\"q\",\"nationality\",\"n\"\n\"2020-01\",\"2020-Q1\",\"CUB\",1\n", m);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    const InputProblem& p = e.problems()[0];
    EXPECT_EQ(p.file, "other.csv");
    EXPECT_EQ(p.line, 1u);
    EXPECT_EQ(p.column, "citizenship");
    EXPECT_EQ(p.value, "nat");
    EXPECT_NE(p.expected.find("darien.toml"), std::string::npos) << p.expected;
    EXPECT_NE(p.expected.find("(columns here: t, q, nationality, n)"), std::string::npos) << p.expected;
  }
  // A header matched without regard to case is fine.
  ParsedFile f = read_mapped_csv("upper.csv", "T,Q,NAT,N\n2020-01,2020-Q1,CUB,1\n", m);
  EXPECT_EQ(f.rows.size(), 1u) << problems_text(f);
  EXPECT_THROW(read_mapped_csv("empty.csv", "", m), InputError);
}

TEST(MappedCsv, UnknownCountriesReportedOnceCountingEveryLine) {
  Mapping m = parse_mapping(kDarienMapping, "darien.toml");
  const std::string text =
      "t,q,nat,n\n"
      "2021-01,2021-Q1,Venezuala,10\n"  // 2
      "2021-02,2021-Q1,Atlantis,3\n"    // 3
      "2021-03,2021-Q1,Venezuala,12\n"  // 4
      "2021-03,2021-Q1,CUB,1\n";        // 5
  ParsedFile f = read_mapped_csv("names.csv", text, m);
  ASSERT_EQ(f.rows.size(), 1u);
  ASSERT_EQ(f.problems.size(), 2u) << problems_text(f);
  EXPECT_EQ(f.problems[0].to_string().rfind(
                "names.csv:2: column 'nat': value \"Venezuala\": expected a known country name or code; "
                "nearest known: Venezuela",
                0),
            0u)
      << f.problems[0].to_string();
  EXPECT_NE(f.problems[0].expected.find("(on 2 lines)"), std::string::npos) << f.problems[0].expected;
  EXPECT_EQ(f.problems[1].line, 3u);
  EXPECT_EQ(f.problems[1].value, "Atlantis");
}

// --- parse_statistics_file / resolve_duplicates -------------------------------

const char kDuplicatesCsv[] =
    "year,coa,coo,applied\n"
    "2022,USA,VEN,100\n"  // 2
    "2022,USA,HTI,5\n"    // 3
    "2022,USA,VEN,40\n"   // 4: same key and year as line 2
    "2021,USA,VEN,1\n"    // 5
    "2022,USA,VEN,2\n";   // 6: and again

std::string duplicates_mapping(const char* duplicates) {
  return std::string("[source]\nid = \"dup-test\"\nevent = \"asylum_application\"\nduplicates = \"") + duplicates +
         "\"\n[columns]\nyear = \"year\"\nreporter = \"coa\"\ncitizenship = \"coo\"\ncount = \"applied\"\n";
}

TEST(ResolveDuplicates, ErrorNamesBothLines) {
  TempFile data("dup-error.csv", kDuplicatesCsv);
  Mapping m = parse_mapping(duplicates_mapping("error"), "dup.toml");
  ParsedFile f = parse_statistics_file(data.path(), &m);
  EXPECT_EQ(f.digest, sha256_hex(kDuplicatesCsv));
  EXPECT_EQ(f.bytes, std::string(kDuplicatesCsv).size());
  EXPECT_EQ(f.path, data.path());
  ASSERT_EQ(f.problems.size(), 2u) << problems_text(f);
  EXPECT_EQ(f.problems[0].line, 4u);
  EXPECT_EQ(f.problems[0].value, "2022");
  EXPECT_NE(f.problems[0].expected.find("line 2 has the same key"), std::string::npos) << f.problems[0].expected;
  EXPECT_EQ(f.problems[1].line, 6u);
  EXPECT_NE(f.problems[1].expected.find("line 2 has the same key"), std::string::npos) << f.problems[1].expected;
  // The first row of each key stays; rows are sorted by series then period.
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].key.citizenship, "VEN");
  EXPECT_EQ(got[0].period, Period::year(2021));
  EXPECT_EQ(got[1].key.citizenship, "VEN");
  EXPECT_EQ(got[1].period, Period::year(2022));
  EXPECT_EQ(got[1].value, 100);
  EXPECT_EQ(got[1].line, 2u);
  EXPECT_EQ(got[2].key.citizenship, "HTI");
  EXPECT_EQ(got[2].value, 5);
}

TEST(ResolveDuplicates, SumAddsRowsOfOneKey) {
  TempFile data("dup-sum.csv", kDuplicatesCsv);
  Mapping m = parse_mapping(duplicates_mapping("sum"), "dup.toml");
  ParsedFile f = parse_statistics_file(data.path(), &m);
  EXPECT_TRUE(f.problems.empty()) << problems_text(f);
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].period, Period::year(2021));
  EXPECT_EQ(got[0].value, 1);
  EXPECT_EQ(got[1].period, Period::year(2022));
  EXPECT_EQ(got[1].key.citizenship, "VEN");
  EXPECT_EQ(got[1].value, 142);
  EXPECT_EQ(got[2].key.citizenship, "HTI");
  EXPECT_EQ(got[2].value, 5);
}

TEST(ResolveDuplicates, DirectlyOnAParsedFile) {
  ParsedFile f;
  f.path = "x.csv";
  f.series = {SeriesDef{SeriesKey{"s", "USA", "", "HTI", "encounter", "", ""}, Unit::Events},
              SeriesDef{SeriesKey{"s", "USA", "", "MEX", "encounter", "", ""}, Unit::Events}};
  f.rows = {ObservationRow{1, Period::month(2023, 2), 5, Status::Final, 2},
            ObservationRow{0, Period::month(2023, 2), 6, Status::Final, 3},
            ObservationRow{1, Period::month(2023, 1), 7, Status::Final, 4},
            ObservationRow{1, Period::month(2023, 2), 8, Status::Final, 5}};
  ParsedFile summed = f;
  resolve_duplicates(summed, true);
  ASSERT_EQ(summed.rows.size(), 3u);
  EXPECT_EQ(summed.rows[0].series, 0u);
  EXPECT_EQ(summed.rows[1].period, Period::month(2023, 1));
  EXPECT_EQ(summed.rows[2].value, 13);
  EXPECT_EQ(summed.rows[2].line, 2u);
  EXPECT_TRUE(summed.problems.empty());
  resolve_duplicates(f, false);
  ASSERT_EQ(f.rows.size(), 3u);
  EXPECT_EQ(f.rows[2].value, 5);
  ASSERT_EQ(f.problems.size(), 1u);
  EXPECT_EQ(f.problems[0].line, 5u);
}

TEST(ResolveDuplicates, AgreesWithAPlainMapOnManyUnorderedRows) {
  // Rows in no order, over many series and periods of every frequency, with
  // repeats: the result is sorted by series then period, repeats are summed
  // (or reported) against the first line of their key.
  ParsedFile f;
  f.path = "many.csv";
  const uint32_t kSeries = 3000;
  for (uint32_t s = 0; s < kSeries; ++s)
    f.series.push_back(SeriesDef{SeriesKey{"s", "USA", std::to_string(s), "HTI", "encounter", "", ""}, Unit::Events});
  std::map<std::pair<uint32_t, int64_t>, std::pair<int64_t, uint32_t>> want;  // value sum, first line
  uint64_t x = 88172645463325252ULL;
  auto next = [&x] {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return x;
  };
  for (uint32_t line = 2; line < 20002; ++line) {
    const uint32_t s = static_cast<uint32_t>(next() % kSeries);
    Period p;
    switch (next() % 4) {
      case 0: p = Period::month(2000 + static_cast<int>(next() % 30), 1 + static_cast<int>(next() % 12)); break;
      case 1: p = Period::quarter(2000 + static_cast<int>(next() % 30), 1 + static_cast<int>(next() % 4)); break;
      case 2: p = Period::year(2000 + static_cast<int>(next() % 30)); break;
      default: p = Period::fiscal_year(2000 + static_cast<int>(next() % 30)); break;
    }
    const int64_t v = static_cast<int64_t>(next() % 1000);
    f.rows.push_back(ObservationRow{s, p, v, Status::Final, line});
    auto [it, added] = want.try_emplace({s, p.code()}, v, line);
    if (!added) it->second.first += v;
  }
  ParsedFile reported = f;
  resolve_duplicates(f, true);
  ASSERT_EQ(f.rows.size(), want.size());
  size_t i = 0;
  for (auto& [k, v] : want) {
    SCOPED_TRACE(i);
    ASSERT_EQ(f.rows[i].series, k.first);
    ASSERT_EQ(f.rows[i].period.code(), k.second);
    ASSERT_EQ(f.rows[i].value, v.first);
    ASSERT_EQ(f.rows[i].line, v.second);
    ++i;
  }
  resolve_duplicates(reported, false);
  ASSERT_EQ(reported.rows.size(), want.size());
  EXPECT_EQ(reported.problem_count(), 20000u - want.size());
  EXPECT_EQ(reported.problems.size(), kMaxKeptProblems);  // the first ones kept, the rest counted
  for (auto& p : reported.problems) {
    ASSERT_GT(p.line, 0u);
    EXPECT_NE(p.expected.find("has the same key"), std::string::npos);
  }
}

TEST(ParseStatisticsFile, Windows1252FileDeclaredInTheMapping) {
  TempFile data("latin1.csv", "t,nat,n\r\n2023-07,Per\xFA,5\r\n2023-08,Hait\xED,6\r\n");
  Mapping m = parse_mapping("[source]\nid = \"latin\"\nreporter = \"PAN\"\nevent = \"irregular_transit\"\n"
                            "encoding = \"latin-1\"\n[columns]\nperiod = \"t\"\ncitizenship = \"nat\"\ncount = \"n\"\n",
                            "latin.toml");
  ParsedFile f = parse_statistics_file(data.path(), &m);
  EXPECT_TRUE(f.problems.empty()) << problems_text(f);
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 2u);
  EXPECT_EQ(got[0].key.citizenship, "PER");
  EXPECT_EQ(got[1].key.citizenship, "HTI");
}

TEST(ParseStatisticsFile, UnrecognisedFileWithoutMappingThrows) {
  TempFile data("unknown.csv", "t,nat,n\n2023-07,PER,5\n");
  try {
    parse_statistics_file(data.path(), nullptr);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].line, 1u);
    EXPECT_EQ(e.problems()[0].value, "t,nat,n");
    EXPECT_NE(e.problems()[0].expected.find("--mapping"), std::string::npos);
  }
  EXPECT_THROW(parse_statistics_file(data.path() + ".missing", nullptr), InputError);
}

}  // namespace
}  // namespace atalaya
