#include "atalaya/analysis/series_export.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace atalaya {
namespace {

SeriesResult darien() {
  SeriesResult r;
  r.by = {"citizenship"};
  r.unit = Unit::Persons;
  r.fixed["source"] = "pa-snm-darien";
  r.notes = {"2 annual totals left out"};
  r.rows.push_back({{"HTI"}, *Period::parse("2021-08"), 17279, Status::Final, Unit::Persons});
  r.rows.push_back({{"Côte, \"d'Ivoire\""}, *Period::parse("2021-09"), 12, Status::Provisional, Unit::Persons});
  return r;
}

TEST(SeriesExport, CsvQuotesGroupValuesAndLeavesStatusOut) {
  EXPECT_EQ(series_csv(darien()),
            "citizenship,period,value\n"
            "HTI,2021-08,17279\n"
            "\"Côte, \"\"d'Ivoire\"\"\",2021-09,12\n");
}

TEST(SeriesExport, CsvWithoutGroupsHasPeriodAndValueOnly) {
  SeriesResult r;
  r.rows.push_back({{}, *Period::parse("FY2022"), 5, Status::Final, Unit::Events});
  EXPECT_EQ(series_csv(r), "period,value\nFY2022,5\n");
}

TEST(SeriesExport, JsonNamesRowsByDimension) {
  const nlohmann::json j = series_json(darien());
  EXPECT_EQ(j["by"], nlohmann::json({"citizenship"}));
  EXPECT_EQ(j["selection"]["source"], "pa-snm-darien");
  EXPECT_EQ(j["unit"], "persons");
  EXPECT_EQ(j["notes"].size(), 1u);
  ASSERT_EQ(j["rows"].size(), 2u);
  EXPECT_EQ(j["rows"][0], nlohmann::json({{"citizenship", "HTI"}, {"period", "2021-08"}, {"value", 17279},
                                          {"status", "final"}}));
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
