// The audit trail's contract, on both backends: a line is written with the
// change it speaks of or not at all, lines come back newest first through
// every filter, and nothing (ours or anyone's SQL) can change or delete one.
#include "atalaya/store/audit/audit_log.h"

#include <gtest/gtest.h>

#include "atalaya/core/error.h"
#include "atalaya/store/sql/test_database_testing.h"

namespace atalaya::audit {
namespace {

AuditEntry line(std::string person, int64_t id, std::string action, std::string object,
                std::string outcome = "ok") {
  AuditEntry e;
  e.actor.person_id = id;
  e.actor.name = std::move(person);
  e.actor.origin = "198.51.100.7";
  e.actor.credential = "session";
  e.action = std::move(action);
  e.object = std::move(object);
  e.outcome = std::move(outcome);
  e.detail = R"({"rows_revised":1})";
  return e;
}

class AuditLogTest : public sql::BackendTest {};

TEST_P(AuditLogTest, ALineIsWrittenWithItsChangeOrNotAtAll) {
  sql::TestDatabase t(GetParam());
  auto db = sql::connect(t.location());
  migrate_audit(*db);
  db->exec("CREATE TABLE thing(id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
  {
    sql::TransactionScope tx(*db, sql::Transaction::Write);
    db->exec("INSERT INTO thing(id, name) VALUES(1, 'kept')");
    append(*db, line("Ana Pérez", 3, "vintage.write", "source:pa-darien"));
    tx.commit();
  }
  {
    sql::TransactionScope tx(*db, sql::Transaction::Write);
    db->exec("INSERT INTO thing(id, name) VALUES(2, 'rolled back')");
    append(*db, line("Ana Pérez", 3, "vintage.write", "source:mx-upm"));
    // no commit: the change and its line go together
  }
  auto log = open_audit_log(t.location());
  const auto lines = log->lines({});
  ASSERT_EQ(lines.size(), 1u);
  const AuditRecord& r = lines[0];
  EXPECT_EQ(r.entry.actor.name, "Ana Pérez");
  EXPECT_EQ(r.entry.actor.person_id, 3);
  EXPECT_EQ(r.entry.actor.origin, "198.51.100.7");
  EXPECT_EQ(r.entry.actor.credential, "session");
  EXPECT_EQ(r.entry.action, "vintage.write");
  EXPECT_EQ(r.entry.object, "source:pa-darien");
  EXPECT_EQ(r.entry.outcome, "ok");
  EXPECT_EQ(r.entry.detail, R"({"rows_revised":1})");
  ASSERT_EQ(r.at.size(), 24u) << r.at;  // 2026-12-05T15:31:52.123Z
  EXPECT_EQ(r.at.back(), 'Z');
}

TEST_P(AuditLogTest, FiltersNarrowAndLinesComeNewestFirst) {
  sql::TestDatabase t(GetParam());
  auto log = open_audit_log(t.location());
  log->record(line("Ana Pérez", 3, "vintage.write", "source:pa-darien"));
  log->record(line("Ana Pérez", 3, "vintage.write", "source:mx-upm", "denied"));
  log->record(line("Luis Gómez", 4, "alert.acknowledge", "alert:17"));
  log->record(line("Luis Gómez", 4, "alert.resolve", "alert:17"));
  log->record(line("admin", 1, "account.add", "account:3"));

  auto actions = [&](const AuditFilter& f) {
    std::vector<std::string> out;
    for (auto& r : log->lines(f)) out.push_back(r.entry.action + " " + r.entry.object);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(actions({}), (V{"account.add account:3", "alert.resolve alert:17", "alert.acknowledge alert:17",
                            "vintage.write source:mx-upm", "vintage.write source:pa-darien"}));
  AuditFilter by_person;
  by_person.person_id = 4;
  EXPECT_EQ(actions(by_person), (V{"alert.resolve alert:17", "alert.acknowledge alert:17"}));
  AuditFilter by_name;
  by_name.person = "Ana Pérez";
  by_name.outcome = "denied";
  EXPECT_EQ(actions(by_name), (V{"vintage.write source:mx-upm"}));
  AuditFilter alerts;
  alerts.action = "alert.";
  EXPECT_EQ(actions(alerts).size(), 2u);
  AuditFilter exact;
  exact.action = "alert";  // not a prefix: no line's action is exactly "alert"
  EXPECT_TRUE(actions(exact).empty());
  AuditFilter sources;
  sources.object = "source:";
  EXPECT_EQ(actions(sources).size(), 2u);
  AuditFilter wildcard;
  wildcard.object = "%:";  // a LIKE wildcard in the filter is taken literally
  EXPECT_TRUE(actions(wildcard).empty());

  const auto all = log->lines({});
  AuditFilter page;
  page.limit = 2;
  EXPECT_EQ(log->lines(page).size(), 2u);
  page.before_id = all[1].id;
  EXPECT_EQ(actions(page), (V{"alert.acknowledge alert:17", "vintage.write source:mx-upm"}));

  AuditFilter today;
  today.from = all.back().at.substr(0, 10);
  today.to = all.front().at.substr(0, 10);
  EXPECT_EQ(log->lines(today).size(), 5u);
  AuditFilter before;
  before.to = "2001-01-01";
  EXPECT_TRUE(log->lines(before).empty());
}

TEST_P(AuditLogTest, ABadTimeBoundNamesItsParameter) {
  sql::TestDatabase t(GetParam());
  auto log = open_audit_log(t.location());
  AuditFilter f;
  f.from = "last tuesday";
  try {
    log->lines(f);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ErrorCode::InvalidArgument);
    EXPECT_EQ(e.parameter(), "from");
  }
}

TEST_P(AuditLogTest, NoProgramMayChangeOrDeleteALine) {
  sql::TestDatabase t(GetParam());
  auto log = open_audit_log(t.location());
  log->record(line("Ana Pérez", 3, "vintage.write", "source:pa-darien"));
  auto db = sql::connect(t.location());
  std::vector<std::string> attempts = {"UPDATE audit_line SET person = 'someone else'", "DELETE FROM audit_line"};
  if (GetParam() == sql::Dialect::Postgres) attempts.push_back("TRUNCATE audit_line");
  for (const std::string& attempt : attempts) {
    EXPECT_THROW(db->exec(attempt), std::exception) << attempt;
    if (db->in_transaction()) db->rollback();
  }
  const auto lines = log->lines({});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].entry.actor.name, "Ana Pérez");
}

INSTANTIATE_TEST_SUITE_P(Backends, AuditLogTest, ::testing::ValuesIn(sql::test_backends()), sql::backend_name);

}  // namespace
}  // namespace atalaya::audit
