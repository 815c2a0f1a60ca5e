// What only PostgreSQL's connection does (the contract both backends keep is
// in store/sql/connection_test.cpp).
#include "atalaya/store/postgres/pg_connection.h"

#include <gtest/gtest.h>

#include <exception>
#include <functional>
#include <thread>
#include <vector>

#include "atalaya/core/error.h"
#include "atalaya/store/sql/test_database_testing.h"

namespace atalaya::postgres {
namespace {

using sql::Transaction;

class PgConnectionTest : public testing::Test {
 protected:
  void SetUp() override {
    ATALAYA_SKIP_WITHOUT_BACKEND(sql::Dialect::Postgres);
    db_ = std::make_unique<sql::TestDatabase>(sql::Dialect::Postgres);
    conn_ = connect_postgres(db_->location());
    conn_->exec("CREATE TABLE item (id BIGINT PRIMARY KEY, name TEXT)");
  }
  void TearDown() override {
    conn_.reset();
    db_.reset();
  }
  sql::Connection& c() { return *conn_; }
  int64_t scalar(sql::Connection& conn, const std::string& sql) {
    auto q = conn.prepare(sql);
    EXPECT_TRUE(q->step()) << sql;
    return q->i64(0);
  }
  ErrorCode code_of(const std::function<void()>& f) {
    try {
      f();
    } catch (const Error& e) {
      return e.code();
    }
    ADD_FAILURE() << "expected an Error";
    return ErrorCode::Internal;
  }

  std::unique_ptr<sql::TestDatabase> db_;
  std::unique_ptr<sql::Connection> conn_;
};

TEST_F(PgConnectionTest, CreatesTheBookkeepingTablesOnceEvenWhenManyConnectAtOnce) {
  sql::TestDatabase fresh(sql::Dialect::Postgres);
  std::vector<std::thread> threads;
  std::vector<std::exception_ptr> failures(6);
  for (size_t i = 0; i < failures.size(); ++i)
    threads.emplace_back([&, i] {
      try {
        connect_postgres(fresh.location());
      } catch (...) {
        failures[i] = std::current_exception();
      }
    });
  for (auto& t : threads) t.join();
  for (auto& f : failures) {
    if (!f) continue;
    try {
      std::rethrow_exception(f);
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what();
    }
  }
  auto conn = connect_postgres(fresh.location());
  EXPECT_EQ(scalar(*conn, "SELECT count(*) FROM store_change"), 1);
  EXPECT_EQ(scalar(*conn, "SELECT count(*) FROM store_schema"), 0);
}

TEST_F(PgConnectionTest, ATransactionThatFailedCannotCommit) {
  c().begin(Transaction::Write);
  c().exec("INSERT INTO item VALUES (1, 'one')");
  EXPECT_EQ(code_of([&] { c().exec("INSERT INTO item VALUES (1, 'again')"); }), ErrorCode::Internal);
  EXPECT_EQ(code_of([&] { c().commit(); }), ErrorCode::Internal);
  EXPECT_FALSE(c().in_transaction());
  EXPECT_EQ(scalar(c(), "SELECT count(*) FROM item"), 0);
}

TEST_F(PgConnectionTest, ADeadlockIsBusy) {
  c().exec("INSERT INTO item VALUES (1, 'a'), (2, 'b')");
  auto other = connect_postgres(db_->location() + " options='-c deadlock_timeout=50ms'");
  c().exec("BEGIN; UPDATE item SET name = 'x' WHERE id = 1");
  other->exec("BEGIN; UPDATE item SET name = 'y' WHERE id = 2");
  std::exception_ptr first;
  std::thread t([&] {
    try {
      c().exec("UPDATE item SET name = 'x' WHERE id = 2");  // waits for `other`
    } catch (...) {
      first = std::current_exception();
    }
  });
  std::exception_ptr second;
  try {
    other->exec("UPDATE item SET name = 'y' WHERE id = 1");  // a cycle: one of the two is chosen
  } catch (...) {
    second = std::current_exception();
  }
  other->exec("ROLLBACK");  // lets the first go on
  t.join();
  ASSERT_TRUE(first || second) << "one of the two must be told";
  EXPECT_EQ(code_of([&] { std::rethrow_exception(first ? first : second); }), ErrorCode::Busy);
}

TEST_F(PgConnectionTest, ALostConnectionIsUnavailableThenReopened) {
  c().exec("INSERT INTO item VALUES (1, 'one')");
  auto before = c().prepare("SELECT name FROM item WHERE id = ?");
  before->bind(1, 1);
  ASSERT_TRUE(before->step());
  int64_t pid = scalar(c(), "SELECT pg_backend_pid()");
  auto other = connect_postgres(db_->location());
  auto kill = other->prepare("SELECT pg_terminate_backend(?::int)");
  kill->bind(1, pid);
  ASSERT_TRUE(kill->step());
  // The server closes the connection shortly after.
  ErrorCode code = ErrorCode::Internal;
  for (int i = 0; i < 100; ++i) {
    try {
      c().exec("SELECT 1");
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    } catch (const Error& e) {
      code = e.code();
      break;
    }
  }
  EXPECT_EQ(code, ErrorCode::Unavailable);
  // The next command opens a new session; statements prepared before run
  // again, and changes are still heard.
  EXPECT_NE(scalar(c(), "SELECT pg_backend_pid()"), pid);
  before->reset();
  ASSERT_TRUE(before->step());
  EXPECT_EQ(before->text(0), "one");
  // What changed while the session was lost is unknown: "may have changed".
  EXPECT_TRUE(c().wait_for_change(std::chrono::milliseconds(0)));
  EXPECT_FALSE(c().wait_for_change(std::chrono::milliseconds(50)));
  other->begin(Transaction::Write);
  other->commit();
  EXPECT_TRUE(c().wait_for_change(std::chrono::seconds(10)));
}

TEST_F(PgConnectionTest, OwnCommitsDoNotWakeTheWaiter) {
  c().data_version();
  c().begin(Transaction::Write);
  c().commit();
  EXPECT_FALSE(c().wait_for_change(std::chrono::milliseconds(100)));
}

TEST_F(PgConnectionTest, NothingElseRunsWhileABulkInsertIsOpen) {
  c().begin(Transaction::Write);
  auto bulk = c().bulk_insert("item", {"id"});
  int64_t id = 1;
  bulk->row(&id);
  EXPECT_EQ(code_of([&] { c().exec("SELECT 1"); }), ErrorCode::Internal);
  bulk->finish();
  c().commit();
  EXPECT_EQ(scalar(c(), "SELECT count(*) FROM item"), 1);
}

TEST_F(PgConnectionTest, BindingAParameterTheStatementLacksIsAnError) {
  auto q = c().prepare("SELECT name FROM item WHERE id = ?");
  EXPECT_EQ(code_of([&] { q->bind(2, 1); }), ErrorCode::Internal);
}

TEST_F(PgConnectionTest, BooleansAndNumericsReadAsIntegers) {
  auto q = c().prepare("SELECT 1 = 1, 1 = 2, 7.0::numeric, 'abc'");
  ASSERT_TRUE(q->step());
  EXPECT_EQ(q->i64(0), 1);
  EXPECT_EQ(q->i64(1), 0);
  EXPECT_EQ(q->i64(2), 7);
  EXPECT_EQ(code_of([&] { q->i64(3); }), ErrorCode::Internal);  // text is not silently 0
}

}  // namespace
}  // namespace atalaya::postgres
