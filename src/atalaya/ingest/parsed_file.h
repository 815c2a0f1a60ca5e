// The product of every ingest adapter: one file's harmonised observations for
// one source, ready to be written to the store as one vintage.
//
// Observations are stored compactly (series index + period + value) because a
// file may hold millions of rows; the series keys are interned once.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "atalaya/core/input_error.h"
#include "atalaya/core/observation.h"

namespace atalaya {

struct SeriesDef {
  SeriesKey key;
  Unit unit = Unit::Events;
};

struct ObservationRow {
  uint32_t series = 0;  // index into ParsedFile::series
  Period period;
  int64_t value = 0;
  Status status = Status::Final;
  uint32_t line = 0;
};

struct ParsedFile {
  std::string source;        // dataset id shared by every row
  std::string source_name;   // human-readable dataset name
  std::string format;        // "cbp-swb", "mapped-csv", "hxl", "sdmx-csv", ...
  std::string path;
  std::string digest;        // SHA-256 of the file's bytes, hex
  uint64_t bytes = 0;
  uint32_t rows_read = 0;    // data records seen
  std::vector<SeriesDef> series;
  std::vector<ObservationRow> rows;
  std::vector<InputProblem> problems;  // rows that failed validation
  uint32_t rows_rejected = 0;          // rows left out because of a problem
};

// Builds a ParsedFile: interns series keys, validates counts, and collects
// problems. Unknown country names are gathered so that all of them are
// reported together, each with its nearest known names.
class ParsedFileBuilder {
 public:
  ParsedFileBuilder(std::string source, std::string path, std::string format);
  ParsedFileBuilder(const ParsedFileBuilder&) = delete;
  ParsedFileBuilder& operator=(const ParsedFileBuilder&) = delete;

  // Interns a series. `cache_key` is any string that identifies the raw field
  // values that produced `key` (lets adapters skip building keys for repeated rows).
  uint32_t series_for(std::string_view cache_key, const std::function<SeriesDef()>& make);
  // True if the last series_for() call created the series (its maker ran).
  bool last_series_was_new() const { return last_new_; }
  void add(uint32_t series, Period period, int64_t value, Status status, uint32_t line);
  void problem(uint32_t line, std::string column, std::string value, std::string expected);

  // Harmonises a country name or code to an alpha-3 or group code, caching
  // answers. An unknown name is recorded once per distinct value (with every
  // line it appears on counted) and "" is returned.
  std::string country(std::string_view raw, uint32_t line, std::string_view column);

  // Parses a non-negative integer count ("1,234", "1234", "1234.0" are
  // accepted; "", "..", "-" are missing). Returns false and records a
  // problem on a bad value. `missing` is set for an empty/missing value.
  bool count(std::string_view raw, uint32_t line, std::string_view column, int64_t& out,
             bool& missing);

  void set_rows_read(uint32_t n) { file_.rows_read = n; }
  void set_source_name(std::string name) { file_.source_name = std::move(name); }
  ParsedFile& file() { return file_; }
  // Finishes: adds one problem per unknown country name, then returns the file.
  ParsedFile finish();

 private:
  struct StringHash {
    using is_transparent = void;
    size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  struct UnknownName {
    uint32_t first_line = 0;
    std::string column;
    uint32_t occurrences = 0;
  };
  ParsedFile file_;
  bool last_new_ = false;
  std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>> series_index_;
  std::unordered_map<std::string, uint32_t> key_index_;
  std::unordered_map<std::string, std::string, StringHash, std::equal_to<>> country_cache_;
  std::unordered_map<std::string, UnknownName, StringHash, std::equal_to<>> unknown_;
};

// SHA-256 of bytes, lower-case hex.
std::string sha256_hex(std::string_view bytes);

}  // namespace atalaya
