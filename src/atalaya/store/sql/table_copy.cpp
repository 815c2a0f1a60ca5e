#include "atalaya/store/sql/table_copy.h"

#include "atalaya/core/error.h"
#include "atalaya/store/sql/schema.h"

namespace atalaya::sql {

std::vector<std::string> table_columns(Connection& db, const std::string& table) {
  std::vector<std::string> out;
  auto q = db.prepare(db.dialect() == Dialect::Sqlite
                          ? "SELECT name FROM pragma_table_info(?) ORDER BY cid"
                          : "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                            "AND table_name = ? ORDER BY ordinal_position");
  q->bind(1, table);
  while (q->step()) out.push_back(q->text(0));
  return out;
}

namespace {

uint64_t row_count(Connection& db, const std::string& table) {
  auto q = db.prepare("SELECT count(*) FROM " + table);
  q->step();
  return static_cast<uint64_t>(q->i64(0));
}

uint64_t copy_one(Connection& from, Connection& to, const TableToCopy& t) {
  const std::vector<std::string> columns = table_columns(from, t.name);
  if (columns.empty()) throw Error(ErrorCode::Internal, "", from.describe() + ": no table " + t.name);
  std::string list;
  for (auto& c : columns) list += (list.empty() ? "" : ", ") + c;
  auto read = from.prepare("SELECT " + list + " FROM " + t.name);
  uint64_t rows = 0;
  if (t.integers_only) {
    auto bulk = to.bulk_insert(t.name, columns);
    std::vector<int64_t> values(columns.size());
    const size_t integers = columns.size() - (t.last_is_blob ? 1 : 0);
    while (read->step()) {
      for (size_t c = 0; c < integers; ++c) values[c] = read->i64(static_cast<int>(c));
      if (t.last_is_blob) bulk->row(values.data(), read->blob(static_cast<int>(integers)));
      else bulk->row(values.data());
      ++rows;
    }
    bulk->finish();
  } else {
    std::string marks;
    for (size_t c = 0; c < columns.size(); ++c) marks += c ? ",?" : "?";
    auto write = to.prepare("INSERT INTO " + std::string(t.name) + "(" + list + ") VALUES(" + marks + ")");
    // Text carries every value both ways: each backend converts it to the
    // column's type (an integer column gets an integer).
    while (read->step()) {
      write->reset();
      for (size_t c = 0; c < columns.size(); ++c) {
        const int i = static_cast<int>(c);
        if (read->is_null(i)) write->bind_null(i + 1);
        else write->bind(i + 1, read->text(i));
      }
      write->step();
      ++rows;
    }
  }
  // PostgreSQL's identity columns number from their sequence: move it past
  // the copied ids so the next row gets a new one.
  if (to.dialect() == Dialect::Postgres && columns.front() == "id" && rows > 0)
    to.exec("SELECT setval(pg_get_serial_sequence('" + std::string(t.name) + "', 'id'), (SELECT max(id) FROM " +
            t.name + "))");
  return rows;
}

}  // namespace

std::vector<CopiedTable> copy_tables(Connection& from, Connection& to, const std::string& feature,
                                     const std::vector<TableToCopy>& tables) {
  const int version_from = feature_version(from, feature), version_to = feature_version(to, feature);
  if (version_from != version_to)
    throw Error(ErrorCode::Unavailable, "",
                "the " + feature + " tables are at version " + std::to_string(version_from) + " in " +
                    from.describe() + " but " + std::to_string(version_to) + " in " + to.describe());
  for (auto& t : tables)
    if (const uint64_t held = row_count(to, t.name))
      throw Error(ErrorCode::Conflict, "to",
                  to.describe() + " already holds " + std::to_string(held) + " rows in " + t.name +
                      ": a store is copied into an empty one only");
  std::vector<CopiedTable> out;
  for (auto& t : tables) out.push_back({t.name, copy_one(from, to, t)});
  return out;
}

}  // namespace atalaya::sql
