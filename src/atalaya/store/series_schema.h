// The series feature's migrations (feature name "series").
#pragma once

#include <vector>

#include "atalaya/store/sql/schema.h"
#include "atalaya/store/sql/table_copy.h"

namespace atalaya {

const std::vector<sql::Migration>& series_migrations();

// The series tables, parents first, for `atalaya store copy`.
const std::vector<sql::TableToCopy>& series_tables();

}  // namespace atalaya
