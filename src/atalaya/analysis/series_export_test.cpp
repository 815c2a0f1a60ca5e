#include "atalaya/analysis/series_export.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace atalaya {
namespace {

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

TEST(SeriesExport, CsvQuotesGroupValuesAndCarriesUnitAndStatus) {
  EXPECT_EQ(series_csv(darien()),
            "citizenship,period,value,unit,status\n"
            "HTI,2021-08,17279,persons,final\n"
            "\"Côte, \"\"d'Ivoire\"\"\",2021-09,12,persons,provisional\n");
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

}  // namespace
}  // namespace atalaya
