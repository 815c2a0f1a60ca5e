// The process feature's migrations (feature name "process"): declarations,
// endorsements, pillars and their changes, action packages, commitments
// (and their parties), meetings, status reports, assessments, contacts and
// emergency-session notifications.
#pragma once

#include <vector>

#include "atalaya/store/sql/schema.h"
#include "atalaya/store/sql/table_copy.h"

namespace atalaya::process {

const std::vector<sql::Migration>& process_migrations();

// The process tables, parents first, for `atalaya store copy`.
const std::vector<sql::TableToCopy>& process_tables();

}  // namespace atalaya::process
