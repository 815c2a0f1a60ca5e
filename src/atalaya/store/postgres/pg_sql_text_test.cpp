#include "atalaya/store/postgres/pg_sql_text.h"

#include <gtest/gtest.h>

#include "atalaya/core/error.h"
#include "atalaya/store/postgres/pg_connection.h"

namespace atalaya::postgres {
namespace {

std::string numbered(const std::string& sql, int expected_count) {
  int count = -1;
  std::string out = number_placeholders(sql, count);
  EXPECT_EQ(count, expected_count) << sql;
  return out;
}

TEST(NumberPlaceholders, NumbersInOrder) {
  EXPECT_EQ(numbered("SELECT a FROM t WHERE b = ? AND c IN (?, ?)", 3), "SELECT a FROM t WHERE b = $1 AND c IN ($2, $3)");
  EXPECT_EQ(numbered("SELECT 1", 0), "SELECT 1");
}

TEST(NumberPlaceholders, LeavesLiteralsIdentifiersAndCommentsAlone) {
  EXPECT_EQ(numbered("SELECT '?', 'it''s ?', ? ", 1), "SELECT '?', 'it''s ?', $1 ");
  EXPECT_EQ(numbered("SELECT \"odd?name\", \"a\"\"?\" FROM t WHERE x = ?", 1),
            "SELECT \"odd?name\", \"a\"\"?\" FROM t WHERE x = $1");
  EXPECT_EQ(numbered("SELECT E'\\'?', ?", 1), "SELECT E'\\'?', $1");
  EXPECT_EQ(numbered("SELECT $$ ? $$, $tag$ '? $tag$, ?", 1), "SELECT $$ ? $$, $tag$ '? $tag$, $1");
  EXPECT_EQ(numbered("SELECT ? -- why?\n, ? /* what? /* nested? */ still? */ , ?", 3),
            "SELECT $1 -- why?\n, $2 /* what? /* nested? */ still? */ , $3");
  // A name ending in e before a quote is not an E'' string.
  EXPECT_EQ(numbered("SELECT name'\\', ?", 1), "SELECT name'\\', $1");
}

TEST(NumberPlaceholders, UnterminatedQuotesSwallowTheRest) {
  EXPECT_EQ(numbered("SELECT 'open ?", 0), "SELECT 'open ?");
}

TEST(MaskPassword, HidesPasswordsInEveryForm) {
  EXPECT_EQ(mask_password("postgresql://ana:s3cret@db.example.org:5432/atalaya"),
            "postgresql://ana:***@db.example.org:5432/atalaya");
  EXPECT_EQ(mask_password("postgresql://ana@db/atalaya?sslmode=require&password=s3cret&x=1"),
            "postgresql://ana@db/atalaya?sslmode=require&password=***&x=1");
  EXPECT_EQ(mask_password("postgresql:host=db password='a b\\' c' dbname=atalaya"),
            "postgresql:host=db password=*** dbname=atalaya");
  EXPECT_EQ(mask_password("postgresql:password=s3cret host=db"), "postgresql:password=*** host=db");
  EXPECT_EQ(mask_password("postgresql:///atalaya?host=/tmp/pg&user=postgres"),
            "postgresql:///atalaya?host=/tmp/pg&user=postgres");
}

TEST(LibpqConninfo, StripsTheSchemeOfKeyValueLocations) {
  EXPECT_EQ(libpq_conninfo("postgresql://h/db"), "postgresql://h/db");
  EXPECT_EQ(libpq_conninfo("postgres://h/db"), "postgres://h/db");
  EXPECT_EQ(libpq_conninfo("postgresql:host=h dbname=db"), "host=h dbname=db");
}

TEST(WithDatabase, KeepsEverythingButTheDatabase) {
  std::string kv = with_database("postgresql:///atalaya?host=/tmp/pg%20x&user=postgres", "t_1");
  EXPECT_EQ(kv, "postgresql:dbname='t_1' user='postgres' host='/tmp/pg x'");
  EXPECT_EQ(with_database("postgresql:host=h dbname=old", "new"), "postgresql:dbname='new' host='h'");
  EXPECT_THROW(with_database("postgresql://h/db?nonsense=1", "x"), Error);
}

TEST(ConnectPostgres, AnUnreachableServerIsUnavailableAndItsPasswordHidden) {
  try {
    connect_postgres("postgresql:///atalaya?host=/nonexistent/atalaya-socket&user=ana&password=hunter2");
    FAIL() << "expected Error(Unavailable)";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::Unavailable);
    std::string message = e.what();
    EXPECT_NE(message.find("password=***"), std::string::npos) << message;
    EXPECT_EQ(message.find("hunter2"), std::string::npos) << message;
  }
}

}  // namespace
}  // namespace atalaya::postgres
