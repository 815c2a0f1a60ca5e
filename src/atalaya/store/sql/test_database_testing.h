// Fresh, empty databases for tests that run once per store backend.
//
//   class FooTest : public testing::TestWithParam<sql::Dialect> {};
//   TEST_P(FooTest, Bar) {
//     ATALAYA_SKIP_WITHOUT_BACKEND(GetParam());
//     sql::TestDatabase db(GetParam());
//     auto conn = sql::connect(db.location());
//     ...
//   }
//   INSTANTIATE_TEST_SUITE_P(Backends, FooTest, testing::ValuesIn(sql::test_backends()), sql::backend_name);
//
// SQLite: a file under the temp directory. PostgreSQL: a database created on
// the cluster that $ATALAYA_TEST_PG names (ctest starts one: see
// scripts/pg_cluster.sh) and dropped at the end. When ATALAYA_TEST_PG is
// set and the cluster cannot be reached, the test fails; when it is unset
// (unit_tests run by hand), PostgreSQL's tests are skipped, saying how to
// get a cluster.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <ostream>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "atalaya/store/postgres/pg_connection.h"
#include "atalaya/store/sql/connection.h"

namespace atalaya::sql {

// The backends every contract test runs on.
inline std::vector<Dialect> test_backends() { return {Dialect::Sqlite, Dialect::Postgres}; }

inline void PrintTo(Dialect d, std::ostream* os) { *os << (d == Dialect::Sqlite ? "Sqlite" : "Postgres"); }

inline std::string backend_name(const ::testing::TestParamInfo<Dialect>& info) {
  return info.param == Dialect::Sqlite ? "Sqlite" : "Postgres";
}

// The PostgreSQL cluster for tests ($ATALAYA_TEST_PG), empty when unset.
inline std::string test_pg_uri() {
  const char* uri = std::getenv("ATALAYA_TEST_PG");
  return uri ? uri : "";
}

inline constexpr const char* kNoTestCluster =
    "ATALAYA_TEST_PG is not set, so PostgreSQL's tests are skipped. Run them through ctest "
    "(cd build && ctest -R unit), which starts a private cluster, or start one by hand: "
    "scripts/pg_cluster.sh start /tmp/atalaya-pg && "
    "export ATALAYA_TEST_PG=$(scripts/pg_cluster.sh uri /tmp/atalaya-pg)";

inline bool backend_available(Dialect dialect) { return dialect == Dialect::Sqlite || !test_pg_uri().empty(); }

#define ATALAYA_SKIP_WITHOUT_BACKEND(dialect) \
  if (!::atalaya::sql::backend_available(dialect)) GTEST_SKIP() << ::atalaya::sql::kNoTestCluster

// A test run once per backend (INSTANTIATE_TEST_SUITE_P(Backends, Suite,
// ::testing::ValuesIn(sql::test_backends()), sql::backend_name)), skipped
// where the backend is not available.
class BackendTest : public ::testing::TestWithParam<Dialect> {
 protected:
  void SetUp() override { ATALAYA_SKIP_WITHOUT_BACKEND(GetParam()); }
};

class TestDatabase {
 public:
  explicit TestDatabase(Dialect dialect) : dialect_(dialect) {
    static std::atomic<int> counter{0};
    std::random_device random;
    char tag[16];
    std::snprintf(tag, sizeof tag, "%08x", random());
    std::string unique = std::to_string(::getpid()) + "_" + std::to_string(++counter) + "_" + tag;
    if (dialect == Dialect::Sqlite) {
      location_ = (std::filesystem::temp_directory_path() / ("atalaya-test-" + unique + ".db")).string();
      remove_files();
    } else {
      admin_ = test_pg_uri();
      if (admin_.empty()) throw std::runtime_error(kNoTestCluster);
      name_ = "t_" + unique;
      postgres::connect_postgres(admin_)->exec("CREATE DATABASE " + name_ + " STRATEGY FILE_COPY");  // faster than WAL_LOG for an empty database
      location_ = postgres::with_database(admin_, name_);
    }
  }
  ~TestDatabase() {
    if (dialect_ == Dialect::Sqlite) {
      remove_files();
    } else {
      try {
        postgres::connect_postgres(admin_)->exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
      } catch (const std::exception& e) {
        ADD_FAILURE() << "could not drop the test database " << name_ << ": " << e.what();
      }
    }
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  Dialect dialect() const { return dialect_; }
  // What sql::connect() opens: a file's path, or a PostgreSQL location.
  const std::string& location() const { return location_; }

 private:
  void remove_files() {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(location_ + suffix);
  }

  Dialect dialect_;
  std::string location_;
  std::string admin_;  // PostgreSQL: the cluster's URI
  std::string name_;   // PostgreSQL: the database's name
};

}  // namespace atalaya::sql
