// A declarative mapping from a tidy CSV (or HXL-tagged CSV) to the model:
// which columns hold period, citizenship, count and the other dimensions,
// fixed values, value maps, period format, unit and status, and the reshaping
// rules (combine, melt, multiple values, exclude). Written in TOML;
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
inline constexpr const char* kMappedFields[] = {"reporter",    "location", "citizenship", "counterpart", "event",
                                                "demographic", "authority", "unit",        "status"};

// [combine.FIELD]: a field built from several columns joined by a separator
// (demographic from a sex and an age column: "F" + "_" + "0-4").
struct CombineRule {
  std::vector<std::string> columns;
  std::string separator = "_";
};

// [melt]: several count columns become one field, each column its own value
// (UNHCR's refugees, asylum_seekers, ... columns become the event).
struct MeltRule {
  std::string field;                                         // the field the columns fill
  std::vector<std::pair<std::string, std::string>> columns;  // count column -> value, in file order
};

// [multiple.FIELD]: a cell listing several values ("AFG,IRN").
struct MultipleRule {
  std::string separator = ",";
  std::string rule;   // "group": one row under `group`; "split": one row per value, each with the whole count
  std::string group;  // the declared group code (e.g. "MULTIPLE") for rule = "group"
};

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
  // column -> values that drop a row ([exclude])
  std::map<std::string, std::set<std::string>> exclude;
  // field -> columns joined into it ([combine.FIELD])
  std::map<std::string, CombineRule> combine;
  std::optional<MeltRule> melt;
  // field -> how a cell listing several values is read ([multiple.FIELD])
  std::map<std::string, MultipleRule> multiple;

  std::string period_column, year_column, month_column, count_column;
  std::string period_format = "auto";  // YYYY-MM | YYYY | YYYY-Qn | FYYYYY | auto
  std::optional<Frequency> frequency;
  std::optional<int> annual_through;   // YYYY-01 rows up to this year are annual totals
  int fiscal_year_start = 10;
  // Day dates (2021-07-15, 15/07/2021): "" refuses them (but the first of a
  // month, 2021-07-01, is that month); "month" counts each in its calendar month.
  std::string day_rule;
  bool day_first = true;  // [period] date_order: "DMY" (15/07/2021) or "MDY" (07/15/2021)
  // ISO weeks (2021-W28): "" refuses them; "thursday" counts each in the month holding its Thursday.
  std::string week_rule;
};

// Reads and validates a mapping file. Throws InputError naming the mapping
// file, the line and the field for anything missing, unknown or ill-typed.
Mapping load_mapping(const std::string& path);
// The same, from text (path is used in messages).
Mapping parse_mapping(const std::string& text, const std::string& path);

}  // namespace atalaya
