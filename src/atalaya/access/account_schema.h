// The access feature's tables (accounts, grants, personal tokens, sessions,
// the login throttle), for both dialects: sql::migrate(db, "access", ...).
#pragma once

#include <vector>

#include "atalaya/store/sql/schema.h"
#include "atalaya/store/sql/table_copy.h"

namespace atalaya::access {

const std::vector<sql::Migration>& account_migrations();

// The tables in copy order (parents first), for `atalaya store copy`.
std::vector<sql::TableToCopy> account_tables();

}  // namespace atalaya::access
