// A declarative mapping from a tidy CSV (or HXL-tagged CSV) to the model:
// which columns hold period, citizenship, count and the other dimensions,
// fixed values, value maps, period format, unit and status. Written in TOML;
// see docs/user-guide.md ("Mapping files") for the reference.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "atalaya/core/observation.h"
#include "atalaya/core/period.h"
#include "atalaya/core/source_declaration.h"
#include "atalaya/ingest/csv_reader.h"
#include "atalaya/ingest/parsed_file.h"

namespace atalaya {

// The fields a mapping can fill, from a column or a fixed value.
inline constexpr const char* kMappedFields[] = {"reporter", "location", "citizenship", "event",
                                                "demographic", "authority", "unit", "status"};

struct Mapping {
  std::string path;            // the mapping file, for messages
  std::string digest;          // SHA-256 of the mapping's text: a changed mapping re-reads a file
  std::string source;          // [source] id
  std::string name;            // [source] name
  std::string format = "csv";  // csv | hxl
  TextEncoding encoding = TextEncoding::Utf8;
  bool detect_encoding = true;
  char delimiter = ',';
  bool sum_duplicates = false;
  bool complete_release = true;  // [source] release = "complete" | "incremental"
  // [source] measure, absent, coverage, overlaps, publisher, licence,
  // schedule, publication_lag_months, simulated.
  SourceDeclaration declaration;
  // [source] max_withdrawal: the share (0 to 1) of the source's latest
  // observations a complete release may withdraw before it is refused.
  double max_withdrawal = kDefaultMaxWithdrawal;
  // [source] max_count: the largest plausible count; larger ones are problems.
  int64_t max_count = kDefaultMaxCount;

  // field -> column (a header name, or an HXL tag pattern such as #country+code)
  std::map<std::string, std::string> columns;
  // field -> fixed value
  std::map<std::string, std::string> fixed;
  // field -> raw value -> harmonised value
  std::map<std::string, std::map<std::string, std::string>> values;
  // column -> values a row must hold to be kept
  std::map<std::string, std::set<std::string>> filter;

  std::string period_column, year_column, month_column, count_column;
  std::string period_format = "auto";  // YYYY-MM | YYYY | YYYY-Qn | FYYYYY | auto
  std::optional<Frequency> frequency;
  std::optional<int> annual_through;   // YYYY-01 rows up to this year are annual totals
  int fiscal_year_start = 10;
};

// Reads and validates a mapping file. Throws InputError naming the mapping
// file, the line and the field for anything missing, unknown or ill-typed.
Mapping load_mapping(const std::string& path);
// The same, from text (path is used in messages).
Mapping parse_mapping(const std::string& text, const std::string& path);

}  // namespace atalaya
