// The SQLite implementation of sql::Connection: one file, write-ahead log,
// a busy timeout for writers that meet another's lock. Opening refuses a
// database that holds tables that are not a store's.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "atalaya/store/sql/connection.h"

namespace atalaya::sql {

// Opens (creating when missing) the SQLite store at `path`. A writer waits
// up to `busy_timeout` for another's lock, then gets Error(Busy). Throws
// Error(Unavailable) naming the path when it cannot be opened or is not an
// Atalaya store.
std::unique_ptr<Connection> connect_sqlite(const std::string& path,
                                           std::chrono::milliseconds busy_timeout = std::chrono::seconds(10));

}  // namespace atalaya::sql
