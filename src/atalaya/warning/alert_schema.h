// The warning feature's migrations (feature name "warning"): alerts, warning
// events, the outbox and the webhook endpoints' breakers.
#pragma once

#include <vector>

#include "atalaya/store/sql/schema.h"

namespace atalaya {

const std::vector<sql::Migration>& alert_migrations();

}  // namespace atalaya
