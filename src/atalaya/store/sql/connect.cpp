#include "atalaya/core/error.h"
#include "atalaya/store/sql/connection.h"
#include "atalaya/store/postgres/pg_connection.h"
#include "atalaya/store/sqlite/sqlite_connection.h"

namespace atalaya::sql {

bool is_postgres_uri(const std::string& location) {
  return location.rfind("postgresql:", 0) == 0 || location.rfind("postgres:", 0) == 0;
}

std::unique_ptr<Connection> connect(const std::string& location) {
  if (location.empty()) throw Error(ErrorCode::InvalidArgument, "db", "db: no store named (a file's path or a postgresql:// URI)");
  if (is_postgres_uri(location)) return postgres::connect_postgres(location);
  return connect_sqlite(location);
}

}  // namespace atalaya::sql
