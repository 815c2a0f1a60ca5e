// The store: durable home of every vintage of every source.
//
// A vintage is one ingested file's contribution to a source: the rows whose
// value is new or differs from what the source held before. Nothing is ever
// overwritten, so "latest" is a view (the newest vintage holding each
// series-period) and any earlier vintage can be recalled. SQLite is the
// embedded default; a PostgreSQL backend will implement the same interface.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "atalaya/core/observation.h"
#include "atalaya/ingest/parsed_file.h"

namespace atalaya {

enum class WriteOutcome {
  NewVintage,       // rows were added as a new vintage
  SameFile,         // a file with this digest was already ingested for the source
  NoChangedValues,  // a different file, but every value equals what is stored
};

struct WriteResult {
  WriteOutcome outcome = WriteOutcome::NewVintage;
  int vintage = 0;              // the new vintage's number, or the matching one for SameFile
  uint64_t rows_written = 0;    // new or revised observations stored
  uint64_t rows_revised = 0;    // of which, revisions of a stored value
  uint64_t series_added = 0;
  uint64_t rows_withdrawn = 0;  // held before, absent from this complete release
};

struct SourceSummary {
  std::string source;
  std::string name;
  int vintages = 0;
  uint64_t series = 0;
  uint64_t observations = 0;    // in the latest view
  std::string first_period, last_period;
  std::string last_ingest;      // UTC timestamp of the newest vintage
};

struct VintageInfo {
  std::string source;
  int number = 0;
  std::string file, digest, format, ingested_at;
  uint64_t rows_read = 0, rows_written = 0;
};

// One stored point of a series as seen through the latest view or a vintage.
struct StoredPoint {
  Period period;
  int64_t value = 0;
  Status status = Status::Final;
  int vintage = 0;  // the vintage number the value comes from
};

struct StoredSeries {
  SeriesKey key;
  Unit unit = Unit::Events;
  std::vector<StoredPoint> points;  // ordered by period code
};

// Which series to read: dimension -> accepted values (any of them). An empty
// map selects everything. `vintage` N reads each source as of its Nth vintage.
struct SeriesSelection {
  std::map<std::string, std::vector<std::string>> dimensions;
  std::optional<int> vintage;
};

class Store {
 public:
  virtual ~Store() = default;
  // Writes one parsed file as a vintage of its source, in one transaction:
  // all of it or none of it. `file.problems` must already be dealt with.
  virtual WriteResult write_vintage(const ParsedFile& file) = 0;
  virtual std::vector<SourceSummary> sources() = 0;
  virtual std::vector<VintageInfo> vintages(const std::string& source) = 0;
  virtual std::vector<StoredSeries> select(const SeriesSelection& selection) = 0;
  // Rows in the observation table, every vintage counted.
  virtual uint64_t stored_rows() = 0;
};

// Opens (creating and migrating as needed) an SQLite store at `path`.
// Throws StoreError if the file is not an Atalaya store or cannot be opened.
std::unique_ptr<Store> open_sqlite_store(const std::string& path);

class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace atalaya
