// The text of SQL and of locations as PostgreSQL needs them: placeholders
// numbered, libpq connection strings from store locations, passwords masked.
#pragma once

#include <string>

namespace atalaya::postgres {

// `sql` with each `?` that stands outside a string literal ('...', E'...',
// $tag$...$tag$), a quoted identifier ("...") and a comment replaced by $1,
// $2, ... in order; `count` receives how many there were.
std::string number_placeholders(const std::string& sql, int& count);

// The string libpq is given for a store location: a URI as it is, the
// key-value string after a "postgresql:" (or "postgres:") prefix.
std::string libpq_conninfo(const std::string& location);

}  // namespace atalaya::postgres
