#include "atalaya/serve/byte_range.h"

#include <gtest/gtest.h>

#include <string>

namespace atalaya::serve {
namespace {

using Kind = RangeChoice::Kind;

TEST(ByteRange, OneRangeOfEachForm) {
  auto r = choose_range("bytes=10-19", 100);
  EXPECT_EQ(r.kind, Kind::Partial);
  EXPECT_EQ(r.first, 10u);
  EXPECT_EQ(r.last, 19u);
  r = choose_range("bytes=90-", 100);
  EXPECT_EQ(r.first, 90u);
  EXPECT_EQ(r.last, 99u);
  r = choose_range("bytes=-5", 100);
  EXPECT_EQ(r.first, 95u);
  EXPECT_EQ(r.last, 99u);
  r = choose_range("bytes=50-5000", 100);  // clipped at the end
  EXPECT_EQ(r.last, 99u);
}

TEST(ByteRange, ManyOverlappingRangesGiveTheFirstAlone) {
  std::string header = "bytes=";
  for (int i = 0; i < 20; ++i) header += (i ? "," : "") + std::to_string(i) + "-" + std::to_string(100000 + i);
  const auto r = choose_range(header, 160000);
  EXPECT_EQ(r.kind, Kind::Partial);
  EXPECT_EQ(r.first, 0u);
  EXPECT_EQ(r.last, 100000u);
  // The first satisfiable one, when the first is not.
  const auto s = choose_range("bytes=500-600, 3-4", 100);
  EXPECT_EQ(s.kind, Kind::Partial);
  EXPECT_EQ(s.first, 3u);
}

TEST(ByteRange, NoneSatisfiableIs416AndNonsenseIsIgnored) {
  EXPECT_EQ(choose_range("bytes=500-600", 100).kind, Kind::Unsatisfiable);
  EXPECT_EQ(choose_range("bytes=-0", 100).kind, Kind::Unsatisfiable);
  EXPECT_EQ(choose_range("", 100).kind, Kind::Whole);
  EXPECT_EQ(choose_range("items=1-2", 100).kind, Kind::Whole);
  EXPECT_EQ(choose_range("bytes=9-1", 100).kind, Kind::Whole);
  EXPECT_EQ(choose_range("bytes=a-b", 100).kind, Kind::Whole);
}

}  // namespace
}  // namespace atalaya::serve
