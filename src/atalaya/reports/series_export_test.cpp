#include "atalaya/reports/series_export.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "atalaya/reports/zip_testing.h"

namespace atalaya {
namespace {

using atalaya::testing::unzip;
using atalaya::testing::xml_text;

SeriesRow row(std::vector<std::string> group, const char* period, int64_t value, Status status, Unit unit) {
  SeriesRow r;
  r.group = std::move(group);
  r.period = *Period::parse(period);
  r.value = value;
  r.status = status;
  r.unit = unit;
  return r;
}

SeriesResult darien() {
  SeriesResult r;
  r.by = {"citizenship"};
  r.unit = Unit::Persons;
  r.fixed["source"] = "pa-snm-darien";
  r.notes = {"2 annual totals left out"};
  r.rows.push_back(row({"HTI"}, "2021-08", 17279, Status::Final, Unit::Persons));
  r.rows.push_back(row({"Côte, \"d'Ivoire\""}, "2021-09", 12, Status::Provisional, Unit::Persons));
  return r;
}

TEST(SeriesExport, CsvQuotesGroupValuesAndCarriesNamesUnitAndStatus) {
  // A code the country table does not hold has no name (an empty field).
  EXPECT_EQ(series_csv(darien()),
            "citizenship,citizenship_name,period,value,unit,status\n"
            "HTI,Haiti,2021-08,17279,persons,final\n"
            "\"Côte, \"\"d'Ivoire\"\"\",,2021-09,12,persons,provisional\n");
}

TEST(SeriesExport, CsvWithoutGroupsStartsAtPeriod) {
  SeriesResult r;
  r.rows.push_back(row({}, "FY2022", 5, Status::Final, Unit::Events));
  EXPECT_EQ(series_csv(r), "period,value,unit,status\nFY2022,5,events,final\n");
}

TEST(SeriesExport, MissingIsEmptyNeverZeroAndPartialSaysWhatItCovers) {
  SeriesResult r;
  SeriesRow gap = row({}, "2020-04", 0, Status::Final, Unit::Persons);
  gap.value.reset();
  gap.state = ValueState::Missing;
  SeriesRow part = row({}, "2025", 2904, Status::Final, Unit::Persons);
  part.partial = true;
  part.covers = "2025-01..2025-04";
  r.rows = {gap, part};
  EXPECT_EQ(series_csv(r),
            "period,value,unit,status\n"
            "2020-04,,persons,missing\n"
            "2025,2904,persons,partial (2025-01..2025-04); final\n");
  const nlohmann::json j = series_json(r);
  EXPECT_TRUE(j["rows"][0]["value"].is_null());
  EXPECT_EQ(j["rows"][0]["missing"], "missing");
  EXPECT_EQ(j["rows"][1]["partial"], true);
  EXPECT_EQ(j["rows"][1]["covers"], "2025-01..2025-04");
  // SDMX has no missing rows: the gap is left out, the partial year kept.
  const std::string sdmx = series_sdmx_csv(r);
  EXPECT_EQ(sdmx.find("2020-04"), std::string::npos) << sdmx;
  EXPECT_NE(sdmx.find("2904"), std::string::npos) << sdmx;
}

TEST(SeriesExport, JsonNamesRowsByDimension) {
  const nlohmann::json j = series_json(darien());
  EXPECT_EQ(j["by"], nlohmann::json({"citizenship"}));
  EXPECT_EQ(j["selection"]["source"], "pa-snm-darien");
  EXPECT_EQ(j["unit"], "persons");
  EXPECT_EQ(j["notes"].size(), 1u);
  ASSERT_EQ(j["rows"].size(), 2u);
  EXPECT_EQ(j["rows"][0], nlohmann::json({{"citizenship", "HTI"}, {"period", "2021-08"}, {"frequency", "M"},
                                          {"value", 17279}, {"status", "final"}, {"unit", "persons"},
                                          {"measure", "flow"}}));
  EXPECT_EQ(j["rows"][1]["status"], "provisional");
}

TEST(SeriesExport, SdmxCsvFillsGroupedPinnedAndTotalDimensions) {
  const std::string text = series_sdmx_csv(darien());
  const std::string header = text.substr(0, text.find('\n'));
  EXPECT_NE(header.find("STRUCTURE"), std::string::npos) << header;
  EXPECT_NE(header.find("OBS_VALUE"), std::string::npos) << header;
  // source pinned, citizenship grouped, the rest totals.
  EXPECT_NE(text.find("pa-snm-darien"), std::string::npos) << text;
  EXPECT_NE(text.find("HTI"), std::string::npos) << text;
  EXPECT_NE(text.find("_T"), std::string::npos) << text;
  EXPECT_NE(text.find("17279"), std::string::npos) << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 3) << text;
}

TEST(SeriesExport, XlsxIsAZipHoldingTheDataSheet) {
  const std::string bytes = series_xlsx(darien(), "Darién by citizenship");
  ASSERT_GT(bytes.size(), 4u);
  EXPECT_EQ(bytes.substr(0, 4), std::string("PK\x03\x04", 4));
  // Names are stored uncompressed in the local headers and the central directory.
  EXPECT_NE(bytes.find("xl/worksheets/sheet1.xml"), std::string::npos);
  EXPECT_NE(bytes.find("xl/worksheets/sheet2.xml"), std::string::npos);
  EXPECT_NE(bytes.find("xl/workbook.xml"), std::string::npos);
}

TEST(SeriesExport, XlsxOfNoRowsIsStillAWorkbook) {
  SeriesResult r;
  const std::string bytes = series_xlsx(r, "empty");
  EXPECT_EQ(bytes.substr(0, 4), std::string("PK\x03\x04", 4));
  EXPECT_NE(bytes.find("xl/worksheets/sheet1.xml"), std::string::npos);
}

TEST(SeriesExport, CsvBeginsWithAByteOrderMarkOnlyWhenAsked) {
  const std::string plain = series_csv(darien());
  EXPECT_EQ(plain.substr(0, 11), "citizenship");
  CsvOptions o;
  o.bom = true;
  const std::string marked = series_csv(darien(), o);
  EXPECT_EQ(marked.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(marked.substr(3), plain);
}

TEST(SeriesExport, CountryNamesBesideEachCountryDimensionInEnglishOrSpanish) {
  SeriesResult r;
  r.by = {"reporter", "citizenship", "counterpart", "location"};
  r.rows.push_back(row({"PAN", "HTI", "OOO", "Darién"}, "2021-08", 1, Status::Final, Unit::Persons));
  r.rows.push_back(row({"UNHCR", "VEN", "", "Darién"}, "2021-08", 2, Status::Final, Unit::Persons));
  EXPECT_EQ(series_csv(r),
            "reporter,reporter_name,citizenship,citizenship_name,counterpart,counterpart_name,location,period,value,"
            "unit,status\n"
            "PAN,Panama,HTI,Haiti,OOO,Other or unknown,Darién,2021-08,1,persons,final\n"
            "UNHCR,\"UNHCR, the UN Refugee Agency\",VEN,Venezuela (Bolivarian Republic of),,,Darién,2021-08,2,"
            "persons,final\n");
  CsvOptions es;
  es.lang = NameLanguage::Spanish;
  const std::string spanish = series_csv(r, es);
  EXPECT_NE(spanish.find("PAN,Panamá,HTI,Haití,"), std::string::npos) << spanish;
  EXPECT_EQ(country_display_name("HTI", NameLanguage::Spanish), "Haití");
  EXPECT_EQ(country_display_name("Haiti", NameLanguage::English), "");  // codes only, never names
  EXPECT_EQ(country_display_name("ZZZ", NameLanguage::English), "");
  EXPECT_EQ(parse_name_language("es"), NameLanguage::Spanish);
  EXPECT_FALSE(parse_name_language("fr"));
}

TEST(SeriesExport, CellsASpreadsheetWouldRunAreNeutralised) {
  EXPECT_EQ(neutralise_cell("=HYPERLINK(\"http://evil\",\"x\")"), "'=HYPERLINK(\"http://evil\",\"x\")");
  EXPECT_EQ(neutralise_cell("-2+3"), "'-2+3");
  EXPECT_EQ(neutralise_cell("+1"), "'+1");
  EXPECT_EQ(neutralise_cell("@SUM(A1)"), "'@SUM(A1)");
  EXPECT_EQ(neutralise_cell("\tx"), "'\tx");
  EXPECT_EQ(neutralise_cell("\rx"), "'\rx");
  EXPECT_EQ(neutralise_cell("Title 8"), "Title 8");
  EXPECT_EQ(neutralise_cell("a=b"), "a=b");
  EXPECT_EQ(neutralise_cell(""), "");

  SeriesResult r;
  r.by = {"location", "demographic"};
  r.rows.push_back(row({"=HYPERLINK(\"http://evil\",\"x\")", "-2+3"}, "2021-08", 7, Status::Final, Unit::Persons));
  SeriesRow gap = row({"@x", "+1"}, "2021-09", 0, Status::Final, Unit::Persons);
  gap.value.reset();
  gap.state = ValueState::Missing;
  r.rows.push_back(gap);
  // Quoted as RFC 4180 after the prefix; a missing value stays an empty
  // field (never "-" or 0), a count is written as it is.
  EXPECT_EQ(series_csv(r),
            "location,demographic,period,value,unit,status\n"
            "\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",'-2+3,2021-08,7,persons,final\n"
            "'@x,'+1,2021-09,,persons,missing\n");
}

TEST(SeriesExport, XlsxWritesHostileTextAsStringsNeverFormulas) {
  SeriesResult r;
  r.by = {"location", "citizenship"};
  r.rows.push_back(row({"=HYPERLINK(\"http://evil\",\"x\")", "HTI"}, "2021-08", 7, Status::Final, Unit::Persons));
  r.rows.push_back(row({"-2+3", "HTI"}, "2021-09", 8, Status::Final, Unit::Persons));
  auto files = unzip(series_xlsx(r, "=1+1"));
  ASSERT_TRUE(files.count("xl/worksheets/sheet1.xml"));
  const std::string& data = files["xl/worksheets/sheet1.xml"];
  EXPECT_EQ(data.find("<f>"), std::string::npos) << data;
  EXPECT_EQ(files["xl/worksheets/sheet2.xml"].find("<f>"), std::string::npos);
  const std::string strings = xml_text(files["xl/sharedStrings.xml"]);
  // Kept exactly, as text: a string cell is never evaluated.
  EXPECT_NE(strings.find("<t>=HYPERLINK(\"http://evil\",\"x\")</t>"), std::string::npos) << strings;
  EXPECT_NE(strings.find("<t>-2+3</t>"), std::string::npos) << strings;
  EXPECT_NE(strings.find("<t>=1+1</t>"), std::string::npos) << strings;
  // The data sheet has the names column too; values are numbers.
  EXPECT_NE(strings.find("<t>citizenship_name</t>"), std::string::npos);
  EXPECT_NE(strings.find("<t>Haiti</t>"), std::string::npos);
  EXPECT_NE(data.find("<v>7</v>"), std::string::npos) << data;
}

TEST(SeriesExport, XlsxAboutSheetSaysWhereTheNumbersComeFrom) {
  SeriesResult r = darien();
  r.sources = {"pa-snm-darien"};
  r.fixed["citizenship"] = "HTI";
  SourceSummary summary;
  summary.source = "pa-snm-darien";
  summary.name = "Panama SNM: irregular transit through the Darién";
  summary.declaration.publisher = "Servicio Nacional de Migración (Panamá)";
  summary.declaration.licence = "MIT (iom/gdidata restructuring)";
  summary.declaration.schedule = "M";
  auto vintages = [](const std::string& source) {
    std::vector<VintageInfo> v;
    for (int n = 1; n <= 3; ++n) {
      VintageInfo i;
      i.source = source;
      i.number = n;
      i.file = "/srv/data/pa-darien-transit-by-nationality-" + std::to_string(n) + ".csv";
      i.digest = std::string(63, '0') + std::to_string(n);
      i.ingested_at = "2025-06-0" + std::to_string(n) + "T10:00:00Z";
      v.push_back(i);
    }
    return v;
  };
  // The newest vintage, or the Nth asked for (a source with fewer: its latest).
  EXPECT_EQ(export_sources(r.sources, {summary}, vintages, std::nullopt).at(0).read->number, 3);
  EXPECT_EQ(export_sources(r.sources, {summary}, vintages, 2).at(0).read->number, 2);
  EXPECT_EQ(export_sources(r.sources, {summary}, vintages, 9).at(0).read->number, 3);

  ExportAbout about;
  about.title = "Darién, Haitians";
  about.query.filters["source"] = {"pa-snm-darien"};
  about.query.filters["citizenship"] = {"Haiti"};
  about.query.from = Period::parse("2021-01");
  about.query.to = Period::parse("2021-12");
  about.query.vintage = 2;
  about.sources = export_sources(r.sources, {summary}, vintages, 2);
  about.generated = "2025-07-01T12:00:00Z";
  about.lang = NameLanguage::Spanish;
  auto files = unzip(series_xlsx(r, about));
  const std::string strings = xml_text(files["xl/sharedStrings.xml"]);
  for (const char* expected :
       {"Darién, Haitians", "2025-07-01T12:00:00Z", "source: pa-snm-darien; citizenship: Haiti",
        "citizenship=HTI (Haití), source=pa-snm-darien", "2021-01", "2021-12", "as of each source's vintage 2",
        "2 annual totals left out", "Panama SNM: irregular transit through the Darién",
        "Servicio Nacional de Migración (Panamá)", "MIT (iom/gdidata restructuring)",
        "pa-darien-transit-by-nationality-2.csv", "2025-06-02T10:00:00Z", "sha256", "ingested_at", "publisher",
        "licence"})
    EXPECT_NE(strings.find(std::string(">") + expected + "<"), std::string::npos) << expected << "\n" << strings;
  EXPECT_NE(strings.find(std::string(63, '0') + "2"), std::string::npos);
  EXPECT_EQ(strings.find("pa-darien-transit-by-nationality-3.csv"), std::string::npos);
  EXPECT_EQ(strings.find("/srv/data"), std::string::npos);  // the file's name, never the server's path
  // The data sheet names countries in the language asked for.
  EXPECT_NE(strings.find("<t>Haití</t>"), std::string::npos);
  EXPECT_NE(files["xl/workbook.xml"].find("name=\"about\""), std::string::npos);
}

TEST(SeriesExport, DownloadNamesSayTheSelectionInSafeCharacters) {
  SeriesQuery q;
  q.filters["source"] = {"pa-snm-darien"};
  q.filters["citizenship"] = {"Haiti"};
  q.from = Period::parse("2021-01");
  q.to = Period::parse("2021-12");
  SeriesResult r = darien();
  r.fixed["citizenship"] = "HTI";
  EXPECT_EQ(download_stem(q, r), "atalaya_pa-snm-darien_HTI_2021-01_2021-12_M");
  // Several values, harmonised codes; a frequency asked; a vintage; a location with an accent.
  q.filters["citizenship"] = {"Venezuela", "HT"};
  q.filters["location"] = {"Darién"};
  q.frequency = Frequency::Year;
  q.vintage = 2;
  q.to.reset();
  EXPECT_EQ(download_stem(q, r), "atalaya_pa-snm-darien_Darien_VEN.HTI_from-2021-01_A_v2");
  // Nothing but [A-Za-z0-9._-], whatever the values.
  q.filters["location"] = {"../../etc/passwd \"=x\"; rm -rf /", "a\r\nb"};
  const std::string hostile = download_stem(q, r);
  EXPECT_EQ(hostile.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"),
            std::string::npos)
      << hostile;
  EXPECT_EQ(hostile.find(".."), std::string::npos) << hostile;
  // Bounded, and two long selections keep different names.
  SeriesQuery many = q, more = q;
  many.filters["location"].clear();
  for (int i = 0; i < 60; ++i) many.filters["location"].push_back("checkpoint-" + std::to_string(i));
  more.filters["location"] = many.filters["location"];
  more.filters["location"].back() = "checkpoint-x";
  EXPECT_LE(download_stem(many, r).size(), kMaxDownloadStem);
  EXPECT_NE(download_stem(many, r), download_stem(more, r));
  // No source asked: the sources the answer reads.
  SeriesQuery none;
  SeriesResult two;
  two.sources = {"mx-upm-irregular", "pa-snm-darien"};
  EXPECT_EQ(download_stem(none, two), "atalaya_mx-upm-irregular.pa-snm-darien");
}

}  // namespace
}  // namespace atalaya
