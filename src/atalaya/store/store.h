// The series store: durable home of every vintage of every source.
//
// A vintage is one ingested file's contribution to a source: the rows whose
// value is new or differs from what the source held before. Nothing is ever
// overwritten, so "latest" is a view (the newest vintage holding each
// series-period) and any earlier vintage can be recalled. One implementation
// (sql_series_store.cpp) runs on both backends: SQLite, the embedded
// default, and PostgreSQL.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "atalaya/core/actor.h"
#include "atalaya/core/observation.h"
#include "atalaya/ingest/parsed_file.h"
#include "atalaya/core/error.h"

namespace atalaya {

enum class WriteOutcome {
  NewVintage,       // rows were added as a new vintage
  SameFile,         // a file with this digest was already ingested for the source
  NoChangedValues,  // a different file, but every value equals what is stored
};

// One value a vintage revises: what the latest view held, and from which
// vintage, and what the file says now.
struct Revision {
  SeriesKey key;
  Unit unit = Unit::Events;
  Period period;
  int64_t old_value = 0, new_value = 0;
  Status old_status = Status::Final, new_status = Status::Final;
  int revises_vintage = 0;  // the vintage the old value comes from
};

// How many revisions WriteResult::largest_revisions lists at most.
inline constexpr size_t kLargestRevisions = 20;

// "new_vintage", "same_file", "no_changed_values": as the audit trail and the API name them.
const char* write_outcome_name(WriteOutcome o);

struct WriteResult {
  WriteOutcome outcome = WriteOutcome::NewVintage;
  // The new vintage's number (with WriteOptions::dry_run, the number it
  // would get), or the matching one for SameFile.
  int vintage = 0;
  uint64_t rows_written = 0;    // new or revised observations stored
  uint64_t rows_revised = 0;    // of which, revisions of a stored value
  uint64_t series_added = 0;
  uint64_t rows_withdrawn = 0;  // held before, absent from this complete release
  // The kLargestRevisions revisions with the largest absolute change, largest
  // first (ties: by series key, then period); a status-only revision
  // changes by 0.
  std::vector<Revision> largest_revisions;
};

// How one file is written, as the caller (a person at the command line, an
// upload) decides.
struct WriteOptions {
  // The file replaces everything its source holds, on purpose: values it
  // lacks are withdrawn however many they are (ParsedFile::max_withdrawal
  // is not applied), and even when the file is not a complete release.
  // `atalaya ingest --replace`.
  bool replace = false;
  // A preview: the whole write is computed in its transaction (series
  // added, rows new, revised and withdrawn; WithdrawalRefused still thrown)
  // and then rolled back, so the result is what the same write would do
  // now, and nothing is stored but its audit line ("vintage.preview").
  // `atalaya ingest --dry-run`, an upload's ?dry_run=1.
  bool dry_run = false;
  // Who writes it: the audit trail's line for the write (action
  // "vintage.write", object "source:<code>") is appended in the write's own
  // transaction; a file refused or changing nothing gets a line of its own.
  Actor actor;
};

struct SourceSummary {
  std::string source;
  std::string name;
  int vintages = 0;
  uint64_t series = 0;
  uint64_t observations = 0;    // in the latest view
  std::string first_period, last_period;
  std::string last_ingest;      // UTC timestamp of the newest vintage
  SourceDeclaration declaration;  // as its newest declaring file said
};

struct VintageInfo {
  std::string source;
  int number = 0;
  std::string file, digest, format, ingested_at;
  uint64_t rows_read = 0, rows_written = 0;
};

// A period a source covers for keys of one shape (see covered_periods).
struct CoveredPeriod {
  uint32_t shape = 0;
  Period period;
  Status status = Status::Final;  // the least settled status of the values there
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

class SeriesStore {
 public:
  virtual ~SeriesStore() = default;
  // Writes one parsed file as a vintage of its source, in one transaction:
  // all of it or none of it. `file.problems` must already be dealt with.
  // A complete release that would withdraw more than file.max_withdrawal of
  // the observations its source holds in the latest view is refused with
  // WithdrawalRefused (nothing written) unless options.replace.
  virtual WriteResult write_vintage(const ParsedFile& file, const WriteOptions& options) = 0;
  WriteResult write_vintage(const ParsedFile& file) { return write_vintage(file, WriteOptions{}); }
  virtual std::vector<SourceSummary> sources() = 0;
  virtual std::vector<VintageInfo> vintages(const std::string& source) = 0;
  virtual std::vector<StoredSeries> select(const SeriesSelection& selection) = 0;
  // The periods for which a source's latest view (or its view as of its
  // Nth vintage) holds at least one value, per key shape (bit d set when the
  // key gives kDimensions[d]): the periods its releases cover. Inside them a
  // key with no value is what the source declares an absent key to be;
  // outside them nothing is known.
  virtual std::vector<CoveredPeriod> covered_periods(const std::string& source, std::optional<int> vintage) = 0;
  // Observations stored, every vintage's counted (withdrawals too): the
  // points of all observation blocks.
  virtual uint64_t stored_rows() = 0;
  // Advances whenever any process commits a write to this store (a
  // vintage, an alert): a server compares it to know when to reload.
  virtual int64_t data_version() = 0;

};

// Opens (creating and migrating as needed) the series store at `location`:
// an SQLite file's path, or a postgresql:// URI (store/sql/connection.h).
// Throws Error(Unavailable) when it cannot be opened or is not an Atalaya
// store.
std::unique_ptr<SeriesStore> open_store(const std::string& location);

// A failure of the store the caller may show as it is: an Error whose code
// says what kind (Busy, NotFound, Conflict, Unavailable, Internal).
class StoreError : public Error {
 public:
  explicit StoreError(const std::string& message, ErrorCode code = ErrorCode::Internal) : Error(code, "", message) {}
};

// A complete release refused because it would withdraw more than its
// source's limit (ParsedFile::max_withdrawal). what() names the file, the
// counts and how to force it; nothing was written.
class WithdrawalRefused : public StoreError {
 public:
  WithdrawalRefused(const std::string& file, const std::string& source, uint64_t withdrawn, uint64_t held,
                    double max_share);
  uint64_t withdrawn = 0;  // values the file would withdraw
  uint64_t held = 0;       // values the source holds in the latest view
  double max_share = 0;    // the limit applied
};

}  // namespace atalaya
