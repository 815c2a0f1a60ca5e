// The audit trail's migrations (feature "audit") and its tables, for
// `atalaya store copy`.
#pragma once

#include <vector>

#include "atalaya/store/sql/schema.h"
#include "atalaya/store/sql/table_copy.h"

namespace atalaya::audit {

const std::vector<sql::Migration>& audit_migrations();
const std::vector<sql::TableToCopy>& audit_tables();

}  // namespace atalaya::audit
