// Copies a feature's tables, row for row and with their ids, from one store
// to another (`atalaya store copy`: SQLite to PostgreSQL or back). Both
// stores must hold the feature at the same version; the destination's
// tables must be empty. Runs inside the caller's transactions: a read one
// on `from`, a write one on `to`, so a copy is all or nothing.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "atalaya/store/sql/connection.h"

namespace atalaya::sql {

struct CopiedTable {
  std::string table;
  uint64_t rows = 0;
};

// A table to copy and whether every column holds integers (copied by the
// backend's bulk path: COPY on PostgreSQL), the last one possibly a blob.
struct TableToCopy {
  const char* name;
  bool integers_only = false;
  bool last_is_blob = false;  // with integers_only: the last column is a BLOB / BYTEA
};

// Copies `tables` in order (parents before children). Throws
// Error(Conflict) when a destination table already holds rows, and
// Error(Unavailable) when the feature's versions differ.
std::vector<CopiedTable> copy_tables(Connection& from, Connection& to, const std::string& feature,
                                     const std::vector<TableToCopy>& tables);

// The columns of a table, in order.
std::vector<std::string> table_columns(Connection& db, const std::string& table);

}  // namespace atalaya::sql
