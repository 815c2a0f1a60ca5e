// The series feature's migrations (feature name "series").
#pragma once

#include <vector>

#include "atalaya/store/sql/schema.h"

namespace atalaya {

const std::vector<sql::Migration>& series_migrations();

}  // namespace atalaya
