// The series store's audit lines, on every backend: a new vintage's line is
// written in the vintage's own transaction and names who wrote it and the
// counts; a file that changes nothing, a refused withdrawal and a failed
// write each get a line too, and none of them leaves anything else behind.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "atalaya/store/audit/audit_log.h"
#include "atalaya/store/series_store_testing.h"
#include "atalaya/store/sql/test_database_testing.h"
#include "atalaya/store/store.h"

namespace atalaya {
namespace {
using namespace atalaya::testing;

class SeriesAudit : public sql::BackendTest {};

WriteOptions by_ana() {
  WriteOptions o;
  o.actor = Actor{3, "Ana Pérez", "198.51.100.7", "session"};
  return o;
}

TEST_P(SeriesAudit, EveryWriteIsAuditedWithWhoAndWhatChanged) {
  sql::TestDatabase db(GetParam());
  auto store = open_store(db.location());
  ASSERT_EQ(store->write_vintage(sample_file(), by_ana()).outcome, WriteOutcome::NewVintage);
  ParsedFile revised = sample_file("digest-2");
  revised.path = "/home/ana/Downloads/darien-corrected.csv";
  revised.rows[1].value = 21;
  ASSERT_EQ(store->write_vintage(revised, by_ana()).rows_revised, 1u);
  ASSERT_EQ(store->write_vintage(revised, by_ana()).outcome, WriteOutcome::SameFile);

  const auto lines = audit::open_audit_log(db.location())->lines({});
  ASSERT_EQ(lines.size(), 3u);
  for (const auto& l : lines) {
    EXPECT_EQ(l.entry.actor.name, "Ana Pérez");
    EXPECT_EQ(l.entry.actor.person_id, 3);
    EXPECT_EQ(l.entry.action, "vintage.write");
    EXPECT_EQ(l.entry.object, "source:test-src");
    EXPECT_EQ(l.entry.outcome, "ok");
  }
  const auto same = nlohmann::json::parse(lines[0].entry.detail);
  EXPECT_EQ(same["result"], "same_file");
  EXPECT_EQ(same["vintage"], 2);
  const auto second = nlohmann::json::parse(lines[1].entry.detail);
  EXPECT_EQ(second["result"], "new_vintage");
  EXPECT_EQ(second["vintage"], 2);
  EXPECT_EQ(second["rows_revised"], 1);
  EXPECT_EQ(second["file"], "darien-corrected.csv");  // the name only, never the person's folders
  EXPECT_EQ(lines[1].entry.detail.find("/home/ana"), std::string::npos);
}

TEST_P(SeriesAudit, ARefusedOrFailedWriteIsAuditedAndStoresNothingElse) {
  sql::TestDatabase db(GetParam());
  auto store = open_store(db.location());
  ASSERT_EQ(store->write_vintage(sample_file(), by_ana()).outcome, WriteOutcome::NewVintage);
  const std::string before = snapshot(*store);

  ParsedFile cut = sample_file("digest-cut");
  cut.rows.resize(1);
  EXPECT_THROW(store->write_vintage(cut, by_ana()), WithdrawalRefused);

  ParsedFile negative = sample_file("digest-negative");
  negative.rows[2].value = -1;  // breaks the CHECK constraint half-way through the write
  EXPECT_THROW(store->write_vintage(negative, by_ana()), Error);

  EXPECT_EQ(snapshot(*store), before);
  const auto lines = audit::open_audit_log(db.location())->lines({});
  ASSERT_EQ(lines.size(), 3u);
  EXPECT_EQ(lines[0].entry.outcome, "failed");
  EXPECT_EQ(lines[1].entry.outcome, "refused");
  EXPECT_EQ(nlohmann::json::parse(lines[1].entry.detail)["reason"], "withdrawal_limit");
  EXPECT_EQ(nlohmann::json::parse(lines[1].entry.detail)["withdrawn"], 3);
  EXPECT_EQ(lines[2].entry.outcome, "ok");
}

INSTANTIATE_TEST_SUITE_P(Backends, SeriesAudit, ::testing::ValuesIn(sql::test_backends()), sql::backend_name);

}  // namespace
}  // namespace atalaya
