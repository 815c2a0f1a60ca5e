// Versioned schema migrations, per feature. Each capability owns its
// tables (series and vintages here; alerts, events and the outbox in
// warning/; later ones theirs) and lists the migrations that build them,
// each written for both dialects. The store records each feature's version
// in store_schema.
#pragma once

#include <string>
#include <vector>

#include "atalaya/store/sql/connection.h"

namespace atalaya::sql {

// One step from version i to i+1. Never edit a released step: add one.
struct Migration {
  const char* sqlite;
  const char* postgres;
  // A step that moves data: run after the SQL, in the same transaction.
  void (*then)(Connection&) = nullptr;
};

// Brings `feature`'s tables to the newest version under the write lock
// (another process opening the same store may be doing the same). Throws
// Error(Unavailable) when the store is newer than this program knows.
void migrate(Connection& db, const std::string& feature, const std::vector<Migration>& steps);

// The version of a feature's tables (0: none yet).
int feature_version(Connection& db, const std::string& feature);

}  // namespace atalaya::sql
