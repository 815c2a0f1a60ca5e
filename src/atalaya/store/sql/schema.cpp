#include "atalaya/store/sql/schema.h"

#include "atalaya/core/error.h"

namespace atalaya::sql {

int feature_version(Connection& db, const std::string& feature) {
  auto q = db.prepare("SELECT version FROM store_schema WHERE feature = ?");
  q->bind(1, feature);
  return q->step() ? static_cast<int>(q->i64(0)) : 0;
}

void migrate(Connection& db, const std::string& feature, const std::vector<Migration>& steps) {
  const int target = static_cast<int>(steps.size());
  if (feature_version(db, feature) == target) return;  // the usual case: no write lock taken
  TransactionScope tx(db, Transaction::Write);
  // Read again under the write lock.
  const int version = feature_version(db, feature);
  if (version > target)
    throw Error(ErrorCode::Unavailable, "",
                db.describe() + ": its " + feature + " tables are at version " + std::to_string(version) +
                    ", newer than this program knows (" + std::to_string(target) + "); use a newer atalaya");
  for (int i = version; i < target; ++i) {
    const Migration& step = steps[static_cast<size_t>(i)];
    db.exec(db.dialect() == Dialect::Sqlite ? step.sqlite : step.postgres);
    if (step.then) step.then(db);
  }
  auto up = db.prepare(version == 0 ? "INSERT INTO store_schema(version, feature) VALUES(?, ?)"
                                    : "UPDATE store_schema SET version = ? WHERE feature = ?");
  up->bind(1, static_cast<int64_t>(target)).bind(2, feature).step();
  tx.commit();
}

}  // namespace atalaya::sql
