// The SQLite implementation of sql::Connection: one file, write-ahead log,
// a busy timeout for writers that meet another's lock. Opening refuses a
// database that holds tables that are not a store's.
#pragma once

#include <memory>
#include <string>

#include "atalaya/store/sql/connection.h"

namespace atalaya::sql {

// Opens (creating when missing) the SQLite store at `path`. Throws
// Error(Unavailable) naming the path when it cannot be opened or is not an
// Atalaya store.
std::unique_ptr<Connection> connect_sqlite(const std::string& path);

}  // namespace atalaya::sql
