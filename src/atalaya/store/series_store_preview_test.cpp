// The series store's dry run, on every backend: a preview computes the whole
// write in its transaction and rolls it back, so it answers exactly what the
// same write then does (rows new, revised, withdrawn, series added, the
// largest revisions) and leaves nothing stored.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "atalaya/store/audit/audit_log.h"
#include "atalaya/store/series_store_testing.h"
#include "atalaya/store/sql/test_database_testing.h"
#include "atalaya/store/store.h"

namespace atalaya {
namespace {
using namespace atalaya::testing;

class SeriesStorePreview : public sql::BackendTest {};

WriteOptions dry_run() {
  WriteOptions o;
  o.dry_run = true;
  return o;
}

// Everything a WriteResult says, as text, to compare a preview with the write.
std::string described(const WriteResult& r) {
  std::string out = std::to_string(static_cast<int>(r.outcome)) + " v" + std::to_string(r.vintage) + " w" +
                    std::to_string(r.rows_written) + " r" + std::to_string(r.rows_revised) + " s" +
                    std::to_string(r.series_added) + " x" + std::to_string(r.rows_withdrawn) + "\n";
  for (const Revision& v : r.largest_revisions)
    out += "  " + v.key.citizenship + " " + v.period.to_string() + " " + std::to_string(v.old_value) + "->" +
           std::to_string(v.new_value) + " status " + std::to_string(static_cast<int>(v.old_status)) + "->" +
           std::to_string(static_cast<int>(v.new_status)) + " of v" + std::to_string(v.revises_vintage) + "\n";
  return out;
}

TEST_P(SeriesStorePreview, FirstVintagePreviewStoresNothing) {
  sql::TestDatabase db(GetParam());
  auto store = open_store(db.location());
  const std::string empty = snapshot(*store);
  WriteResult preview = store->write_vintage(sample_file(), dry_run());
  EXPECT_EQ(preview.outcome, WriteOutcome::NewVintage);
  EXPECT_EQ(preview.vintage, 1);
  EXPECT_EQ(preview.rows_written, 4u);
  EXPECT_EQ(preview.series_added, 2u);
  EXPECT_TRUE(preview.largest_revisions.empty());
  EXPECT_EQ(snapshot(*store), empty);
  EXPECT_TRUE(store->sources().empty()) << "the source itself must not be left behind";
  // The preview itself is on the audit trail, as a preview.
  const auto lines = audit::open_audit_log(db.location())->lines({});
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].entry.action, "vintage.preview");
  EXPECT_EQ(lines[0].entry.outcome, "ok");
  EXPECT_EQ(described(store->write_vintage(sample_file())), described(preview));
}

TEST_P(SeriesStorePreview, PreviewEqualsTheWriteThatFollows) {
  sql::TestDatabase db(GetParam());
  auto store = open_store(db.location());
  ASSERT_EQ(store->write_vintage(sample_file()).outcome, WriteOutcome::NewVintage);
  // A corrected complete release: HTI 2023-02 revised 20 -> 25, MEX 2023-02
  // made final (a status-only revision), MEX 2023-01 dropped (withdrawn), a
  // new series CUB.
  ParsedFile corrected = sample_file("digest-corrected");
  corrected.path = "corrected.csv";
  corrected.max_withdrawal = 1.0;
  corrected.rows[1].value = 25;
  corrected.rows[3].status = Status::Final;
  corrected.rows.erase(corrected.rows.begin() + 2);
  corrected.rows.push_back(ObservationRow{2, Period::month(2023, 2), 7, Status::Final, 6});
  const std::string before = snapshot(*store);

  WriteResult preview = store->write_vintage(corrected, dry_run());
  EXPECT_EQ(snapshot(*store), before) << "a preview stored something";
  EXPECT_EQ(preview.outcome, WriteOutcome::NewVintage);
  EXPECT_EQ(preview.vintage, 2);
  EXPECT_EQ(preview.rows_written, 3u);  // two revisions and the new CUB value
  EXPECT_EQ(preview.rows_revised, 2u);
  EXPECT_EQ(preview.rows_withdrawn, 1u);
  EXPECT_EQ(preview.series_added, 1u);
  ASSERT_EQ(preview.largest_revisions.size(), 2u);
  const Revision& hti = preview.largest_revisions[0];
  EXPECT_EQ(hti.key.citizenship, "HTI");
  EXPECT_EQ(hti.period, Period::month(2023, 2));
  EXPECT_EQ(hti.old_value, 20);
  EXPECT_EQ(hti.new_value, 25);
  EXPECT_EQ(hti.revises_vintage, 1);
  EXPECT_EQ(preview.largest_revisions[1].key.citizenship, "MEX");
  EXPECT_EQ(preview.largest_revisions[1].old_status, Status::Provisional);
  EXPECT_EQ(preview.largest_revisions[1].new_status, Status::Final);

  // The same preview twice is the same answer; then the write agrees.
  EXPECT_EQ(described(store->write_vintage(corrected, dry_run())), described(preview));
  WriteResult written = store->write_vintage(corrected);
  EXPECT_EQ(described(written), described(preview));
  EXPECT_NE(snapshot(*store), before);

  // A later revision names the vintage it revises: 2, not 1.
  ParsedFile again = corrected;
  again.digest = "digest-again";
  again.rows[1].value = 26;
  WriteResult third = store->write_vintage(again, dry_run());
  ASSERT_EQ(third.largest_revisions.size(), 1u);
  EXPECT_EQ(third.largest_revisions[0].revises_vintage, 2);
  EXPECT_EQ(third.largest_revisions[0].old_value, 25);

  // The identical file and a file of equal values preview as such.
  EXPECT_EQ(store->write_vintage(corrected, dry_run()).outcome, WriteOutcome::SameFile);
  ParsedFile same_values = corrected;
  same_values.digest = "digest-same-values";
  EXPECT_EQ(store->write_vintage(same_values, dry_run()).outcome, WriteOutcome::NoChangedValues);
}

TEST_P(SeriesStorePreview, RefusedWithdrawalIsRefusedInAPreviewToo) {
  sql::TestDatabase db(GetParam());
  auto store = open_store(db.location());
  ASSERT_EQ(store->write_vintage(sample_file()).outcome, WriteOutcome::NewVintage);
  const std::string before = snapshot(*store);
  ParsedFile cut = sample_file("digest-cut");
  cut.rows.resize(1);
  EXPECT_THROW(store->write_vintage(cut, dry_run()), WithdrawalRefused);
  EXPECT_EQ(snapshot(*store), before);
  WriteOptions forced = dry_run();
  forced.replace = true;
  EXPECT_EQ(store->write_vintage(cut, forced).rows_withdrawn, 3u);
  EXPECT_EQ(snapshot(*store), before);
}

TEST_P(SeriesStorePreview, ListsTheTwentyLargestRevisionsLargestFirst) {
  sql::TestDatabase db(GetParam());
  auto store = open_store(db.location());
  ParsedFile f;
  f.source = "many-src";
  f.format = "test";
  f.path = "many.csv";
  f.digest = "m1";
  f.series = {SeriesDef{key("many-src", "HTI"), Unit::Events}, SeriesDef{key("many-src", "VEN"), Unit::Events}};
  for (uint32_t s = 0; s < 2; ++s)
    for (int m = 0; m < 30; ++m)
      f.rows.push_back(ObservationRow{s, Period::month(2021 + m / 12, m % 12 + 1), 1000, Status::Final,
                                      static_cast<uint32_t>(2 + s * 30 + m)});
  ASSERT_EQ(store->write_vintage(f).rows_written, 60u);
  // Every value revised: HTI month m by +m, VEN month m by -m (so each
  // change but 0 comes twice and ties are broken by the key: HTI first).
  ParsedFile revised = f;
  revised.digest = "m2";
  for (size_t i = 0; i < revised.rows.size(); ++i) {
    const int64_t m = static_cast<int64_t>(i % 30);
    revised.rows[i].value = revised.rows[i].series == 0 ? 1000 + m : 1000 - m;
  }
  WriteResult r = store->write_vintage(revised, dry_run());
  EXPECT_EQ(r.rows_revised, 58u);  // month 0 of each series is unchanged
  ASSERT_EQ(r.largest_revisions.size(), kLargestRevisions);
  EXPECT_EQ(r.largest_revisions[0].key.citizenship, "HTI");
  EXPECT_EQ(r.largest_revisions[0].new_value, 1029);
  EXPECT_EQ(r.largest_revisions[1].key.citizenship, "VEN");
  EXPECT_EQ(r.largest_revisions[1].new_value, 971);
  for (size_t i = 1; i < r.largest_revisions.size(); ++i) {
    auto change = [](const Revision& v) { return std::llabs(v.new_value - v.old_value); };
    EXPECT_GE(change(r.largest_revisions[i - 1]), change(r.largest_revisions[i])) << i;
  }
  EXPECT_EQ(std::llabs(r.largest_revisions.back().new_value - 1000), 20);
  EXPECT_EQ(described(store->write_vintage(revised)), described(r));
}

INSTANTIATE_TEST_SUITE_P(Backends, SeriesStorePreview, ::testing::ValuesIn(sql::test_backends()), sql::backend_name);

}  // namespace
}  // namespace atalaya
