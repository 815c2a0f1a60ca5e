// SDMX-CSV data messages (versions 1.0 and 2.0, as published by the SDMX
// technical working group) for Atalaya's dataflow ATALAYA:MIGRATION_FLOWS(1.0).
//
// Columns (see docs/sdmx-csv.md):
//   v1.0: DATAFLOW
//   v2.0: STRUCTURE, STRUCTURE_ID, ACTION
//   then the dimensions SOURCE, REPORTER, LOCATION, CITIZENSHIP, EVENT,
//   DEMOGRAPHIC, AUTHORITY, FREQ, TIME_PERIOD; the measure OBS_VALUE; the
//   attributes UNIT_MEASURE (EVENTS, PERSONS, CASES) and OBS_STATUS (A, P, E).
//
// FREQ is M, Q or A, with TIME_PERIOD 2023-07 (or 2023-M07), 2023-Q3 and 2023.
// SDMX has no fiscal-year period, so Atalaya uses its own convention for
// them: FREQ=FY with TIME_PERIOD FY2023 (a U.S. federal fiscal year starting
// in October, labelled by the calendar year in which it ends).
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "atalaya/core/observation.h"
#include "atalaya/core/period.h"
#include "atalaya/ingest/parsed_file.h"

namespace atalaya {

inline constexpr std::string_view kSdmxAgency = "ATALAYA";
inline constexpr std::string_view kSdmxDataflowId = "MIGRATION_FLOWS";
inline constexpr std::string_view kSdmxDataflow = "ATALAYA:MIGRATION_FLOWS(1.0)";

// A header row that is SDMX-CSV: v1 starts with DATAFLOW, v2 with STRUCTURE,STRUCTURE_ID.
// Also recognises a v2 header split with the wrong delimiter (a ';'-separated
// file read as ',': one field "STRUCTURE;STRUCTURE_ID;...").
enum class SdmxCsvVersion { V1, V2 };
std::optional<SdmxCsvVersion> detect_sdmx_csv(const std::vector<std::string_view>& header);

// Reads an SDMX-CSV file whose text is already UTF-8. Dimension columns may
// appear in any order; a column header may be "ID: Label" (the part before ':'
// is used) and coded values may be "CODE: Label" (SDMX labels=both). Other
// columns (STRUCTURE_NAME, SERIES_KEY, OBS_KEY, label columns, custom columns)
// are ignored. The field separator is the character after DATAFLOW/STRUCTURE
// (',' by default; SDMX-CSV 2.0 allows e.g. ';', in which case ',' is the
// decimal mark in OBS_VALUE).
//
// Required: TIME_PERIOD, OBS_VALUE, and either SOURCE or a non-empty
// `default_source` (used when the column is absent or a row leaves it empty;
// a SOURCE value in the file takes precedence). Missing optional dimensions
// are empty. REPORTER and CITIZENSHIP are harmonised to alpha-3 through the
// builder. Row problems are recorded with file, line and column (rows with an
// empty OBS_VALUE, e.g. v2 partial-key attribute rows, are skipped silently);
// a header without TIME_PERIOD/OBS_VALUE (or SOURCE and no default) throws
// InputError naming the file, line 1 and each missing column. All rows must
// share one SOURCE and use dataflow ATALAYA:MIGRATION_FLOWS (any version).
// ACTION D rows (v2 delete) are recorded as problems: deletions are not supported.
// An OBS_VALUE above `max_count` is a problem (the file has no mapping to
// declare its own bound: ingest reads with the default).
ParsedFile read_sdmx_csv(const std::string& path, std::string_view utf8_text,
                         const std::string& default_source = "", int64_t max_count = kDefaultMaxCount);

struct SdmxObservation {
  SeriesKey key;
  Unit unit;
  Period period;
  int64_t value;
  Status status;
};

// Writes observations as SDMX-CSV with the header above (v2 rows carry
// STRUCTURE=dataflow and ACTION=I), RFC 4180 quoting where needed, LF endings.
// Throws std::invalid_argument, before writing anything, for a row that cannot
// be represented: an invalid period, a negative value, or a fiscal year not
// starting in October (FYyyyy cannot carry the start month).
void write_sdmx_csv(std::ostream& out, SdmxCsvVersion version, const std::vector<SdmxObservation>& rows);

}  // namespace atalaya
