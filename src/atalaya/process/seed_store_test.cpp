// The seed and the matrix on the real process store (SQLite and PostgreSQL):
// what the in-memory store of the other tests stands in for.
#include <gtest/gtest.h>

#include "atalaya/process/matrix.h"
#include "atalaya/process/seed.h"
#include "atalaya/store/sql/test_database_testing.h"

namespace atalaya::process {
namespace {

class ProcessSeedOnStore : public ::testing::TestWithParam<sql::Dialect> {};

TEST_P(ProcessSeedOnStore, LoadsOnceAndTheMatrixAnswers6_11_2_0) {
  ATALAYA_SKIP_WITHOUT_BACKEND(GetParam());
  sql::TestDatabase db(GetParam());
  auto store = open_process_store(db.location());
  const ProcessSeed seed = read_seed(std::string(ATALAYA_SOURCE_DIR) + "/data/process/los-angeles-declaration.toml");
  const Actor actor{0, "operator:test", "cli", "local"};

  const SeedLoad first = load_seed(*store, seed, actor);
  EXPECT_EQ(first.present(), 0);
  EXPECT_EQ(first.commitments.added, 19);
  const SeedLoad second = load_seed(*store, seed, actor);
  EXPECT_EQ(second.added(), 0);
  EXPECT_EQ(second.differing(), 0) << (second.commitments.differing.empty() ? "" : second.commitments.differing[0]);
  EXPECT_EQ(second.present(), first.added());

  const Matrix m = matrix_of(*store, "la-2022", "2022-06-10");
  std::vector<int> by_pillar;
  for (auto& r : m.rows) by_pillar.push_back(r.total.total());
  EXPECT_EQ(by_pillar, (std::vector<int>{6, 11, 2, 0}));
  EXPECT_EQ(m.parties.size(), 20u);
}

INSTANTIATE_TEST_SUITE_P(Backends, ProcessSeedOnStore, ::testing::ValuesIn(sql::test_backends()), sql::backend_name);

}  // namespace
}  // namespace atalaya::process
