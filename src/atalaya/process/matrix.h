// The pillars × states matrix of a declaration as of a day: for each pillar
// open that day and each party endorsing that day, the commitments made by
// then, counted by their latest self-reported status at a meeting held by
// then ("not_reported" when none was), with totals per pillar and per party.
//
// A commitment made jointly counts once in each of its parties' cells and
// once in its pillar's total (so a pillar's total may be less than the sum
// of its cells). A commitment whose parties no longer endorse the
// declaration that day still counts in its pillar's total, not in any cell.
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "atalaya/process/process_store.h"

namespace atalaya::process {

// The buckets: the five reported statuses in their order, then not_reported.
inline constexpr size_t kStatusBuckets = 6;
inline constexpr size_t kNotReported = 5;
// "planning" ... "withdrawn", "not_reported".
std::string_view bucket_name(size_t bucket);

struct StatusCounts {
  std::array<int, kStatusBuckets> n{};
  int total() const;
  friend bool operator==(const StatusCounts&, const StatusCounts&) = default;
};

struct MatrixRow {
  Pillar pillar;
  std::map<std::string, StatusCounts> cells;  // by party; only parties with a commitment here
  StatusCounts total;                         // each commitment once
};

struct Matrix {
  std::string declaration, as_of;
  std::vector<std::string> parties;  // endorsing on as_of, in code order
  std::vector<MatrixRow> rows;       // pillars open on as_of, by number
  std::map<std::string, StatusCounts> party_totals;  // every party in `parties`, even with none
  StatusCounts total;
};

// The matrix from what the store holds (pure: no store needed): `reports`
// may hold reports at any meeting; only those at meetings held on or before
// `as_of` count, the newest by meeting day, then recording time.
Matrix build_matrix(const std::string& declaration, const std::string& as_of, const std::vector<Pillar>& pillars,
                    const std::vector<Endorsement>& endorsements, const std::vector<Commitment>& commitments,
                    const std::vector<Meeting>& meetings, const std::vector<StatusReport>& reports);

// Reads the declaration's pillars, endorsements, commitments, meetings and
// the reports at meetings held by `as_of` from the store, then builds the
// matrix. Throws Error(NotFound, "declaration") for an unknown declaration
// and Error(InvalidArgument, "as_of") for a day that is not YYYY-MM-DD.
Matrix matrix_of(ProcessStore& store, const std::string& declaration, const std::string& as_of);

}  // namespace atalaya::process
