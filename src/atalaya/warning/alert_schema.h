// The warning feature's migrations (feature name "warning"): alerts, warning
// events, the outbox and the webhook endpoints' breakers.
#pragma once

#include <vector>

#include "atalaya/store/sql/schema.h"
#include "atalaya/store/sql/table_copy.h"

namespace atalaya {

const std::vector<sql::Migration>& alert_migrations();

// The warning tables, parents first, for `atalaya store copy`.
const std::vector<sql::TableToCopy>& alert_tables();

}  // namespace atalaya
