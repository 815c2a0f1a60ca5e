// SDMX-CSV 1.0 / 2.0 reading and writing.
#include "atalaya/ingest/sdmx_csv.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <sstream>
#include <tuple>

#include "atalaya/core/input_error.h"

#include "atalaya/ingest/parsed_file_testing.h"

namespace atalaya {
namespace {

using testing::Flat;
using testing::flatten;
using testing::problems_text;

SeriesKey key(std::string reporter, std::string location, std::string citizenship, std::string event,
              std::string demographic = "", std::string authority = "") {
  return SeriesKey{"test-source", std::move(reporter),    std::move(location), std::move(citizenship),
                   std::move(event), std::move(demographic), std::move(authority)};
}

SeriesKey with_counterpart(SeriesKey k, std::string counterpart) {
  k.counterpart = std::move(counterpart);
  return k;
}

std::vector<SdmxObservation> sample_rows() {
  return {
      {key("USA", "San Diego, CA", "HTI", "encounter", "single_adult", "Title 8"), Unit::Events,
       Period::month(2023, 7), 1234, Status::Final},
      {key("USA", "San Diego, CA", "HTI", "encounter", "single_adult", "Title 8"), Unit::Events,
       Period::month(2023, 8), 0, Status::Provisional},
      {key("PAN", "Dari\xC3\xA9n \"gap\"", "VEN", "irregular_transit"), Unit::Persons, Period::quarter(2023, 3),
       98765, Status::Estimated},
      {with_counterpart(key("MEX", "", "OTH", "return", "", ""), "USA"), Unit::Cases, Period::year(2022), 42,
       Status::Final},
      {key("USA", "", "", "expulsion", "family_unit", "Title 42"), Unit::Events, Period::fiscal_year(2023, 10),
       5000000000LL, Status::Provisional},
  };
}

void expect_round_trip(SdmxCsvVersion version, const std::string& format) {
  auto rows = sample_rows();
  std::ostringstream out;
  write_sdmx_csv(out, version, rows);
  const std::string text = out.str();
  EXPECT_EQ(text.find('\r'), std::string::npos);
  ASSERT_EQ(text.back(), '\n');

  // Past the default bound (kDefaultMaxCount) the 5,000,000,000 is refused;
  // with a higher one, 64-bit values read back.
  EXPECT_EQ(read_sdmx_csv("rt.csv", text).problem_count(), 1u);
  ParsedFile f = read_sdmx_csv("rt.csv", text, "", 10'000'000'000);
  EXPECT_TRUE(f.problems.empty()) << problems_text(f);
  EXPECT_EQ(f.format, format);
  EXPECT_EQ(f.source, "test-source");
  EXPECT_EQ(f.bytes, text.size());
  EXPECT_EQ(f.digest, sha256_hex(text));
  EXPECT_EQ(f.rows_read, rows.size());
  auto got = flatten(f);
  ASSERT_EQ(got.size(), rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(got[i].key, rows[i].key);
    EXPECT_EQ(got[i].unit, rows[i].unit);
    EXPECT_EQ(got[i].period, rows[i].period);
    EXPECT_EQ(got[i].value, rows[i].value);
    EXPECT_EQ(got[i].status, rows[i].status);
    EXPECT_EQ(got[i].line, i + 2);
  }
}

TEST(SdmxCsv, RoundTripV1) { expect_round_trip(SdmxCsvVersion::V1, "sdmx-csv-1.0"); }
TEST(SdmxCsv, RoundTripV2) { expect_round_trip(SdmxCsvVersion::V2, "sdmx-csv-2.0"); }

TEST(SdmxCsv, WritesTheDocumentedHeaderAndRows) {
  std::ostringstream v1, v2;
  std::vector<SdmxObservation> rows = {sample_rows()[0], sample_rows()[4]};
  write_sdmx_csv(v1, SdmxCsvVersion::V1, rows);
  write_sdmx_csv(v2, SdmxCsvVersion::V2, rows);
  EXPECT_EQ(v1.str(),
            "DATAFLOW,SOURCE,REPORTER,LOCATION,CITIZENSHIP,COUNTERPART,EVENT,DEMOGRAPHIC,AUTHORITY,FREQ,TIME_PERIOD,"
            "OBS_VALUE,UNIT_MEASURE,OBS_STATUS\n"
            "ATALAYA:MIGRATION_FLOWS(1.0),test-source,USA,\"San Diego, CA\",HTI,,encounter,single_adult,Title 8,"
            "M,2023-07,1234,EVENTS,A\n"
            "ATALAYA:MIGRATION_FLOWS(1.0),test-source,USA,,,,expulsion,family_unit,Title 42,FY,FY2023,5000000000,"
            "EVENTS,P\n");
  EXPECT_EQ(v2.str(),
            "STRUCTURE,STRUCTURE_ID,ACTION,SOURCE,REPORTER,LOCATION,CITIZENSHIP,COUNTERPART,EVENT,DEMOGRAPHIC,"
            "AUTHORITY,FREQ,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS\n"
            "dataflow,ATALAYA:MIGRATION_FLOWS(1.0),I,test-source,USA,\"San Diego, CA\",HTI,,encounter,single_adult,"
            "Title 8,M,2023-07,1234,EVENTS,A\n"
            "dataflow,ATALAYA:MIGRATION_FLOWS(1.0),I,test-source,USA,,,,expulsion,family_unit,Title 42,FY,FY2023,"
            "5000000000,EVENTS,P\n");
}

TEST(SdmxCsv, CounterpartIsACountryAndMayBeAbsent) {
  const std::string text =
      "DATAFLOW,SOURCE,REPORTER,CITIZENSHIP,COUNTERPART,EVENT,FREQ,TIME_PERIOD,OBS_VALUE\n"
      "ATALAYA:MIGRATION_FLOWS(1.0),s,Mexico,Haiti,United States,return,A,2022,5\n"  // 2
      "ATALAYA:MIGRATION_FLOWS(1.0),s,MEX,HTI,_T,return,A,2022,7\n"                  // 3: a total
      "ATALAYA:MIGRATION_FLOWS(1.0),s,MEX,HTI,Atlantis,return,A,2022,7\n";           // 4: unknown
  ParsedFile f = read_sdmx_csv("cp.csv", text);
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 2u) << problems_text(f);
  EXPECT_EQ(got[0].key.counterpart, "USA");
  EXPECT_EQ(got[0].key.citizenship, "HTI");
  EXPECT_EQ(got[1].key.counterpart, "");
  ASSERT_EQ(f.problems.size(), 1u);
  EXPECT_EQ(f.problems[0].line, 4u);
  EXPECT_EQ(f.problems[0].column, "COUNTERPART");
}

TEST(SdmxCsv, DemographicMustBeInTheCodeList) {
  const std::string text =
      "DATAFLOW,SOURCE,REPORTER,EVENT,DEMOGRAPHIC,FREQ,TIME_PERIOD,OBS_VALUE\n"
      "ATALAYA:MIGRATION_FLOWS(1.0),s,USA,encounter,F_0-4,A,2022,5\n"
      "ATALAYA:MIGRATION_FLOWS(1.0),s,USA,encounter,Grown-ups,A,2022,5\n";
  ParsedFile f = read_sdmx_csv("dem.csv", text);
  ASSERT_EQ(flatten(f).size(), 1u);
  ASSERT_EQ(f.problems.size(), 1u);
  EXPECT_EQ(f.problems[0].column, "DEMOGRAPHIC");
  EXPECT_NE(f.problems[0].expected.find("single_adult"), std::string::npos) << f.problems[0].expected;
}

TEST(SdmxCsv, WriteRefusesRowsItCannotRepresent) {
  std::ostringstream out;
  auto rows = sample_rows();
  rows[1].period = Period::fiscal_year(2023, 7);
  EXPECT_THROW(write_sdmx_csv(out, SdmxCsvVersion::V1, rows), std::invalid_argument);
  rows = sample_rows();
  rows[2].value = -1;
  EXPECT_THROW(write_sdmx_csv(out, SdmxCsvVersion::V2, rows), std::invalid_argument);
  rows = sample_rows();
  rows[0].period = Period();
  EXPECT_THROW(write_sdmx_csv(out, SdmxCsvVersion::V2, rows), std::invalid_argument);
  EXPECT_TRUE(out.str().empty());  // nothing written before the check
}

TEST(SdmxCsv, ReadsHandWrittenV1WithLabelsAnyOrderAndQuotes) {
  // Columns out of order, a labelled header, a quoted location with a comma,
  // country names instead of codes, SDMX 2023-M07 periods, and no optional
  // DEMOGRAPHIC/AUTHORITY columns.
  const std::string text =
      "DATAFLOW,TIME_PERIOD: Time,FREQ: Frequency,SOURCE,OBS_VALUE: Observation value,REPORTER,LOCATION,"
      "CITIZENSHIP,EVENT,UNIT_MEASURE,OBS_STATUS\r\n"
      "ATALAYA:MIGRATION_FLOWS(1.0),2023-M07,M,pa-snm,\"1,500\",Panama,\"Dari\xC3\xA9n, Bajo Chiquito\",Haiti,"
      "irregular_transit,PERSONS,P\r\n"
      "ATALAYA:MIGRATION_FLOWS(1.0): Migration flows,2023-Q3: 2023-Q3,Q: Quarterly,pa-snm,4200,PAN,"
      "\"Dari\xC3\xA9n, Bajo Chiquito\",VEN: Venezuela,irregular_transit,PERSONS: Persons,A: Normal value\r\n"
      "ATALAYA:MIGRATION_FLOWS(1.0),2023,,pa-snm,,PAN,,VEN,irregular_transit,PERSONS,\r\n";  // empty value: skipped
  ParsedFile f = read_sdmx_csv("hand-v1.csv", text);
  EXPECT_TRUE(f.problems.empty()) << problems_text(f);
  EXPECT_EQ(f.format, "sdmx-csv-1.0");
  EXPECT_EQ(f.source, "pa-snm");
  EXPECT_EQ(f.rows_read, 3u);
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 2u);
  SeriesKey hti{"pa-snm", "PAN", "Dari\xC3\xA9n, Bajo Chiquito", "HTI", "irregular_transit", "", ""};
  EXPECT_EQ(got[0].key, hti);
  EXPECT_EQ(got[0].period, Period::month(2023, 7));
  EXPECT_EQ(got[0].value, 1500);
  EXPECT_EQ(got[0].unit, Unit::Persons);
  EXPECT_EQ(got[0].status, Status::Provisional);
  EXPECT_EQ(got[0].line, 2u);
  EXPECT_EQ(got[1].key.citizenship, "VEN");
  EXPECT_EQ(got[1].key.location, "Dari\xC3\xA9n, Bajo Chiquito");
  EXPECT_EQ(got[1].period, Period::quarter(2023, 3));
  EXPECT_EQ(got[1].value, 4200);
  EXPECT_EQ(got[1].status, Status::Final);
  EXPECT_EQ(got[1].line, 3u);
}

TEST(SdmxCsv, ReadsHandWrittenV2WithActionsAndExtraColumns) {
  const std::string text =
      "STRUCTURE,STRUCTURE_ID,ACTION,SERIES_KEY,REPORTER,CITIZENSHIP,EVENT,LOCATION,SOURCE,FREQ,"
      "TIME_PERIOD: Time,OBS_VALUE,OBS_STATUS,UPDATED\n"
      "dataflow,ATALAYA:MIGRATION_FLOWS(1.0),I,x,USA,MEX,encounter,\"Tucson, AZ\",us-cbp,M,2024-01,10,A,2024-02-01\n"
      "dataflow,ATALAYA:MIGRATION_FLOWS(1.0.0),R,x,USA,MEX,encounter,\"Tucson, AZ\",us-cbp,M,2024-02,11,E,\n"
      "dataflow,ATALAYA:MIGRATION_FLOWS(1.0),D,x,USA,MEX,encounter,\"Tucson, AZ\",us-cbp,M,2024-03,-,,\n"
      "dataflow,ATALAYA:MIGRATION_FLOWS,A,x,USA,,encounter,,us-cbp,A,2024,99,,\n";
  ParsedFile f = read_sdmx_csv("hand-v2.csv", text);
  EXPECT_EQ(f.format, "sdmx-csv-2.0");
  EXPECT_EQ(f.source, "us-cbp");
  ASSERT_EQ(f.problems.size(), 1u) << problems_text(f);
  EXPECT_EQ(f.problems[0].file, "hand-v2.csv");
  EXPECT_EQ(f.problems[0].line, 4u);
  EXPECT_EQ(f.problems[0].column, "ACTION");
  EXPECT_NE(f.problems[0].expected.find("deletions are not supported"), std::string::npos);
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 3u);
  EXPECT_EQ(got[0].key, (SeriesKey{"us-cbp", "USA", "Tucson, AZ", "MEX", "encounter", "", ""}));
  EXPECT_EQ(got[0].period, Period::month(2024, 1));
  EXPECT_EQ(got[0].unit, Unit::Events);  // no UNIT_MEASURE column: events
  EXPECT_EQ(got[1].status, Status::Estimated);
  EXPECT_EQ(got[2].key, (SeriesKey{"us-cbp", "USA", "", "", "encounter", "", ""}));
  EXPECT_EQ(got[2].period, Period::year(2024));
  EXPECT_EQ(f.series.size(), 2u);
}

TEST(SdmxCsv, ReadsSemicolonSeparatedV2) {
  const std::string text =
      "STRUCTURE[|];STRUCTURE_ID;ACTION;SOURCE;REPORTER;EVENT;TIME_PERIOD;OBS_VALUE\n"
      "dataflow;ATALAYA:MIGRATION_FLOWS(1.0): Flujos migratorios;I;cr-dgme;CRI;irregular_transit;2023-10;12,0\n"
      "dataflow;ATALAYA:MIGRATION_FLOWS(1.0);I;cr-dgme;CRI;irregular_transit;2023-11;1.234\n";
  std::vector<std::string_view> comma_split = {
      "STRUCTURE[|];STRUCTURE_ID;ACTION;SOURCE;REPORTER;EVENT;TIME_PERIOD;OBS_VALUE"};
  EXPECT_EQ(detect_sdmx_csv(comma_split), SdmxCsvVersion::V2);
  ParsedFile f = read_sdmx_csv("semi.csv", text);
  auto got = flatten(f);
  ASSERT_EQ(got.size(), 1u) << problems_text(f);
  EXPECT_EQ(got[0].value, 12);
  ASSERT_EQ(f.problems.size(), 1u);
  EXPECT_EQ(f.problems[0].line, 3u);
  EXPECT_EQ(f.problems[0].column, "OBS_VALUE");
}

TEST(SdmxCsv, NegativeValueIsAProblemNamingLineAndColumn) {
  const std::string text =
      "DATAFLOW,SOURCE,REPORTER,EVENT,TIME_PERIOD,OBS_VALUE\n"
      "ATALAYA:MIGRATION_FLOWS(1.0),s,USA,encounter,2023-07,5\n"
      "ATALAYA:MIGRATION_FLOWS(1.0),s,USA,encounter,2023-08,-5\n";
  ParsedFile f = read_sdmx_csv("neg.csv", text);
  EXPECT_EQ(f.rows.size(), 1u);
  ASSERT_EQ(f.problems.size(), 1u) << problems_text(f);
  EXPECT_EQ(f.problems[0].file, "neg.csv");
  EXPECT_EQ(f.problems[0].line, 3u);
  EXPECT_EQ(f.problems[0].column, "OBS_VALUE");
  EXPECT_EQ(f.problems[0].value, "-5");
}

TEST(SdmxCsv, HeaderWithoutObsValueThrows) {
  const std::string text =
      "DATAFLOW,SOURCE,REPORTER,TIME_PERIOD,VALUE\n"
      "ATALAYA:MIGRATION_FLOWS(1.0),s,USA,2023-07,5\n";
  try {
    read_sdmx_csv("noval.csv", text);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].file, "noval.csv");
    EXPECT_EQ(e.problems()[0].line, 1u);
    EXPECT_EQ(e.problems()[0].column, "OBS_VALUE");
  }
}

TEST(SdmxCsv, HeaderWithoutSourceNeedsADefault) {
  const std::string text =
      "STRUCTURE,STRUCTURE_ID,REPORTER,EVENT,TIME_PERIOD,OBS_VALUE\n"
      "dataflow,ATALAYA:MIGRATION_FLOWS(1.0),USA,encounter,2023-07,5\n";
  try {
    read_sdmx_csv("nosrc.csv", text);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.problems().size(), 1u);
    EXPECT_EQ(e.problems()[0].line, 1u);
    EXPECT_EQ(e.problems()[0].column, "SOURCE");
  }
  ParsedFile f = read_sdmx_csv("nosrc.csv", text, "given-source");
  EXPECT_TRUE(f.problems.empty()) << problems_text(f);
  ASSERT_EQ(f.series.size(), 1u);
  EXPECT_EQ(f.series[0].key.source, "given-source");
}

TEST(SdmxCsv, RowProblems) {
  const std::string text =
      "DATAFLOW,SOURCE,REPORTER,CITIZENSHIP,EVENT,FREQ,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,OBS_STATUS\n"
      "ATALAYA:MIGRATION_FLOWS(1.0),a,USA,MEX,encounter,M,2023-07,1,EVENTS,A\n"   // 2 ok
      "ATALAYA:MIGRATION_FLOWS(1.0),b,USA,MEX,encounter,M,2023-08,1,EVENTS,A\n"   // 3 other source
      "ATALAYA:MIGRATION_FLOWS(1.0),a,USA,MEX,encounter,Q,2023-09,1,EVENTS,A\n"   // 4 FREQ mismatch
      "ATALAYA:MIGRATION_FLOWS(1.0),a,USA,MEX,encounter,M,2023-13,1,EVENTS,A\n"   // 5 bad period
      "ATALAYA:MIGRATION_FLOWS(1.0),a,USA,MEX,encounter,W,2023-W01,1,EVENTS,A\n"  // 6 bad FREQ + period
      "ATALAYA:MIGRATION_FLOWS(1.0),a,USA,MEX,walking,M,2023-10,1,EVENTS,A\n"     // 7 unknown event
      "ATALAYA:MIGRATION_FLOWS(1.0),a,USA,Atlantis,encounter,M,2023-11,1,EVENTS,A\n"  // 8 unknown country
      "ATALAYA:MIGRATION_FLOWS(1.0),a,USA,MEX,encounter,M,2023-12,1,PERSONS,A\n"  // 9 unit differs in series
      "ATALAYA:MIGRATION_FLOWS(1.0),a,USA,MEX,encounter,M,2024-01,1,KG,F\n"       // 10 bad unit + status
      "OTHER:FLOW(1.0),a,USA,MEX,encounter,M,2024-02,1,EVENTS,A\n"               // 11 other dataflow
      "OTHER:FLOW(1.0),a,USA,MEX,encounter,M,2024-03,1,EVENTS,A\n"               // 12 (reported once)
      "ATALAYA:MIGRATION_FLOWS(1.0),a,USA,MEX\n";                                // 13 short row
  ParsedFile f = read_sdmx_csv("bad.csv", text);
  EXPECT_EQ(f.rows.size(), 1u);
  EXPECT_EQ(f.source, "a");
  std::vector<std::pair<uint32_t, std::string>> seen;
  for (auto& p : f.problems) seen.emplace_back(p.line, p.column);
  std::vector<std::pair<uint32_t, std::string>> want = {
      {3, "SOURCE"},      {4, "TIME_PERIOD"}, {5, "TIME_PERIOD"}, {6, "FREQ"},     {6, "TIME_PERIOD"},
      {7, "EVENT"},       {8, "CITIZENSHIP"}, {9, "UNIT_MEASURE"}, {10, "UNIT_MEASURE"}, {10, "OBS_STATUS"},
      {11, "DATAFLOW"},   {13, ""}};
  EXPECT_EQ(seen, want) << problems_text(f);
  EXPECT_EQ(f.rows_read, 12u);
}

TEST(SdmxCsv, DetectsVersions) {
  using V = std::vector<std::string_view>;
  EXPECT_EQ(detect_sdmx_csv(V{"DATAFLOW", "SOURCE"}), SdmxCsvVersion::V1);
  EXPECT_EQ(detect_sdmx_csv(V{"\xEF\xBB\xBF" "DATAFLOW", "SOURCE"}), SdmxCsvVersion::V1);
  EXPECT_EQ(detect_sdmx_csv(V{"STRUCTURE", "STRUCTURE_ID", "ACTION"}), SdmxCsvVersion::V2);
  EXPECT_EQ(detect_sdmx_csv(V{"STRUCTURE[;]", "STRUCTURE_ID"}), SdmxCsvVersion::V2);
  EXPECT_EQ(detect_sdmx_csv(V{"STRUCTURE", "SOURCE"}), std::nullopt);
  EXPECT_EQ(detect_sdmx_csv(V{"Fiscal Year", "Month"}), std::nullopt);
  EXPECT_EQ(detect_sdmx_csv(V{}), std::nullopt);
}

TEST(SdmxCsv, NotSdmxThrows) {
  EXPECT_THROW(read_sdmx_csv("x.csv", "a,b\n1,2\n"), InputError);
  EXPECT_THROW(read_sdmx_csv("x.csv", ""), InputError);
}

}  // namespace
}  // namespace atalaya
