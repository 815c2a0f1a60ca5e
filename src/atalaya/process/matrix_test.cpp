#include "atalaya/process/matrix.h"

#include <gtest/gtest.h>

#include "atalaya/core/error.h"
#include "atalaya/process/memory_process_store_testing.h"
#include "atalaya/process/seed.h"

namespace atalaya::process {
namespace {

StatusCounts counts(std::initializer_list<std::pair<size_t, int>> buckets) {
  StatusCounts c;
  for (auto [b, n] : buckets) c.n[b] = n;
  return c;
}
constexpr size_t kPlanning = 0, kFulfilled = 2;

Pillar pillar(const std::string& code, int number, const std::string& opened,
              std::optional<std::string> closed = std::nullopt) {
  Pillar p;
  p.declaration = "d";
  p.code = code;
  p.number = number;
  p.opened_on = opened;
  p.closed_on = closed;
  return p;
}
Endorsement endorser(const std::string& party, const std::string& joined) {
  return Endorsement{"d", party, PartyKind::State, joined, std::nullopt, "s"};
}
Commitment commitment(const std::string& code, const std::string& pillar, std::vector<std::string> parties,
                      const std::string& made_on) {
  Commitment c;
  c.declaration = "d";
  c.code = code;
  c.pillar = pillar;
  c.parties = std::move(parties);
  c.made_on = made_on;
  return c;
}
Meeting meeting(const std::string& code, const std::string& day) {
  Meeting m;
  m.declaration = "d";
  m.code = code;
  m.held_on = day;
  return m;
}
StatusReport report(const std::string& commitment, const std::string& meeting, ReportedStatus s,
                    const std::string& at) {
  StatusReport r;
  r.commitment = commitment;
  r.meeting = meeting;
  r.status = s;
  r.recorded_at = at;
  return r;
}

struct Fixture {
  std::vector<Pillar> pillars{pillar("P1", 1, "2022-06-10"), pillar("P2", 2, "2022-06-10"),
                              pillar("T1", 3, "2022-10-06", "2023-06-23")};
  std::vector<Endorsement> endorsers{endorser("USA", "2022-06-10"), endorser("MEX", "2022-06-10"),
                                     endorser("GUY", "2022-09-01")};
  std::vector<Commitment> commitments{commitment("a", "P1", {"USA"}, "2022-06-10"),
                                      commitment("b", "P1", {"USA", "MEX"}, "2022-06-10"),
                                      commitment("c", "P2", {"MEX"}, "2022-06-10"),
                                      commitment("g", "P2", {"GUY"}, "2022-10-06"),
                                      commitment("t", "T1", {"USA"}, "2022-10-06")};
  std::vector<Meeting> meetings{meeting("m0", "2022-06-10"), meeting("m1", "2022-10-06"), meeting("m2", "2023-06-23")};
  std::vector<StatusReport> reports{report("a", "m1", ReportedStatus::Planning, "2022-10-06T10:00:00Z"),
                                    report("a", "m2", ReportedStatus::Fulfilled, "2023-06-23T10:00:00Z"),
                                    report("c", "m1", ReportedStatus::InProgress, "2022-10-06T11:00:00Z"),
                                    // Two reports at one meeting: the newer counts.
                                    report("c", "m1", ReportedStatus::Stalled, "2022-10-06T12:00:00Z")};

  Matrix as_of(const std::string& day) const {
    return build_matrix("d", day, pillars, endorsers, commitments, meetings, reports);
  }
};

TEST(ProcessMatrix, CountsByLatestStatusAsOfTheDay) {
  const Matrix m = Fixture{}.as_of("2022-12-31");
  EXPECT_EQ(m.parties, (std::vector<std::string>{"GUY", "MEX", "USA"}));
  ASSERT_EQ(m.rows.size(), 3u);
  EXPECT_EQ(m.rows[0].pillar.code, "P1");
  EXPECT_EQ(m.rows[0].cells.at("USA"), counts({{kPlanning, 1}, {kNotReported, 1}}));
  EXPECT_EQ(m.rows[0].cells.at("MEX"), counts({{kNotReported, 1}}));
  // The joint commitment counts once in the pillar's total.
  EXPECT_EQ(m.rows[0].total, counts({{kPlanning, 1}, {kNotReported, 1}}));
  EXPECT_EQ(m.rows[1].cells.at("MEX"), counts({{static_cast<size_t>(ReportedStatus::Stalled), 1}}));
  EXPECT_EQ(m.rows[1].cells.at("GUY"), counts({{kNotReported, 1}}));
  EXPECT_EQ(m.party_totals.at("USA").total(), 3);
  EXPECT_EQ(m.total.total(), 5);
  EXPECT_EQ(bucket_name(kNotReported), "not_reported");
  EXPECT_EQ(bucket_name(kFulfilled), "fulfilled");
}

TEST(ProcessMatrix, ALateJoinerAppearsFromItsJoiningDay) {
  Fixture f;
  EXPECT_EQ(f.as_of("2022-08-31").parties, (std::vector<std::string>{"MEX", "USA"}));
  EXPECT_EQ(f.as_of("2022-09-01").parties, (std::vector<std::string>{"GUY", "MEX", "USA"}));
  // Listed with nothing before it commits.
  EXPECT_EQ(f.as_of("2022-09-01").party_totals.at("GUY").total(), 0);
  f.endorsers[1].withdrew_on = "2023-01-01";
  const Matrix after = f.as_of("2023-01-01");
  EXPECT_EQ(after.parties, (std::vector<std::string>{"GUY", "USA"}));
  // MEX's commitment under P2 stays in the pillar's total, in no cell.
  EXPECT_EQ(after.rows[1].total.total(), 2);
  EXPECT_FALSE(after.rows[1].cells.count("MEX"));
}

TEST(ProcessMatrix, LaterReportsAndClosedPillarsDoNotCountBefore) {
  Fixture f;
  EXPECT_EQ(f.as_of("2023-06-23").rows[0].cells.at("USA"), counts({{kFulfilled, 1}, {kNotReported, 1}}));
  EXPECT_EQ(f.as_of("2023-06-22").rows[0].cells.at("USA"), counts({{kPlanning, 1}, {kNotReported, 1}}));
  // The temporary pillar: open from 2022-10-06 until the meeting that retired it.
  EXPECT_EQ(f.as_of("2022-10-05").rows.size(), 2u);
  EXPECT_EQ(f.as_of("2022-10-06").rows.size(), 3u);
  EXPECT_EQ(f.as_of("2023-06-23").rows.size(), 2u);
}

TEST(ProcessMatrix, TheSeededDeclarationAnswers19CommitmentsBy6_11_2_0) {
  testing::MemoryProcessStore store;
  load_seed(store, read_seed(std::string(ATALAYA_SOURCE_DIR) + "/data/process/los-angeles-declaration.toml"),
            Actor{0, "operator:test", "cli", "local"});
  const Matrix m = matrix_of(store, "la-2022", "2022-06-10");
  EXPECT_EQ(m.parties.size(), 20u);
  ASSERT_EQ(m.rows.size(), 4u);
  std::vector<int> by_pillar;
  for (auto& r : m.rows) by_pillar.push_back(r.total.n[kNotReported] == r.total.total() ? r.total.total() : -1);
  EXPECT_EQ(by_pillar, (std::vector<int>{6, 11, 2, 0}));
  EXPECT_EQ(m.total.total(), 19);
  EXPECT_EQ(m.party_totals.at("USA").total(), 9);
  EXPECT_EQ(m.party_totals.at("CAN").total(), 3);
  EXPECT_EQ(m.party_totals.at("ARG").total(), 0);
  // The day before the adoption: no pillar, no party.
  const Matrix before = matrix_of(store, "la-2022", "2022-06-09");
  EXPECT_TRUE(before.rows.empty() && before.parties.empty());
  EXPECT_THROW(matrix_of(store, "la-2022", "10/06/2022"), Error);
  EXPECT_THROW(matrix_of(store, "nope", "2022-06-10"), Error);
}

}  // namespace
}  // namespace atalaya::process
