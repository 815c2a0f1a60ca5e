// The observation block's encoding (observation_block.h) and the merge of
// blocks into a series' view (latest_view.h).
#include "atalaya/store/observation_block.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "atalaya/core/error.h"
#include "atalaya/core/period.h"
#include "atalaya/store/latest_view.h"

namespace atalaya {
namespace {

bool same(const BlockPoint& a, const BlockPoint& b) {
  return a.period == b.period && a.value == b.value && a.status == b.status && a.line == b.line;
}

std::string encode(int64_t series, const std::vector<BlockPoint>& points) {
  BlockWriter w(series);
  for (const BlockPoint& p : points) w.add(p);
  EXPECT_EQ(w.points(), points.size());
  return w.data();
}

// The message of the Error decode_block throws for `data`, or "" if none.
std::string decode_error(const std::string& data, int64_t points) {
  try {
    decode_block(data, points, 42, 7);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(ObservationBlock, RoundTripsPointsOfEveryShape) {
  const int64_t month = Period::month(2023, 1).code();
  const std::vector<BlockPoint> points = {
      {month, 0, 2, 1},                                  // a zero count
      {month + 1, 250000, 1, 4000000000u},               // a line far down, then back up
      {month + 2, 0, kWithdrawnStatus, 0},               // a withdrawal
      {month + 40, 9'000'000'000'000'000'000, 3, 17},    // a huge count, a gap in periods
      {Period::year(2030).code(), 5, 2, 16},             // another frequency, far above
  };
  const std::string data = encode(9, points);
  EXPECT_EQ(static_cast<uint8_t>(data[0]), BlockWriter::kVersion);
  const std::vector<BlockPoint> back = decode_block(data, static_cast<int64_t>(points.size()), 9, 1);
  ASSERT_EQ(back.size(), points.size());
  for (size_t i = 0; i < points.size(); ++i) EXPECT_TRUE(same(back[i], points[i])) << "point " << i;
}

TEST(ObservationBlock, IsCompactForATypicalSeries) {
  // 100 months of small counts from lines a few thousand apart: about
  // seven bytes a point, against six integers a row before.
  std::vector<BlockPoint> points;
  for (int i = 0; i < 100; ++i)
    points.push_back(BlockPoint{Period::month(2015, 1).code() + i, i % 7 * 13, 2, static_cast<uint32_t>(30 + i * 3000)});
  const std::string data = encode(1, points);
  EXPECT_LE(data.size(), 1 + 100 * 7u);
  EXPECT_EQ(decode_block(data, 100, 1, 1).size(), 100u);
}

TEST(ObservationBlock, RefusesARepeatedPeriodOrANegativeValue) {
  const int64_t m = Period::month(2023, 1).code();
  BlockWriter w(5);
  w.add({m, 1, 2, 2});
  try {
    w.add({m, 2, 2, 3});
    FAIL() << "expected Error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("series id 5"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("twice"), std::string::npos) << e.what();
  }
  EXPECT_THROW(w.add({m - 1, 2, 2, 3}), Error);
  EXPECT_THROW(w.add({m + 1, -1, 2, 3}), Error);
  EXPECT_EQ(w.points(), 1u);
}

TEST(ObservationBlock, TruncatedOrCorruptDataIsAnErrorNamingTheBlock) {
  const int64_t m = Period::month(2023, 1).code();
  const std::string data = encode(42, {{m, 300, 2, 10}, {m + 1, 5, 1, 11}});
  ASSERT_TRUE(decode_error(data, 2).empty());
  // Every cut short of the whole is refused, naming series and vintage.
  for (size_t n = 0; n < data.size(); ++n) {
    const std::string why = decode_error(data.substr(0, n), 2);
    EXPECT_NE(why.find("series id 42, vintage id 7"), std::string::npos) << n << ": " << why;
  }
  EXPECT_NE(decode_error(data, 3).find("2 of its 3 points"), std::string::npos);
  EXPECT_NE(decode_error(data, 1).find("longer than"), std::string::npos);
  EXPECT_NE(decode_error(data, -1).find("-1"), std::string::npos);
  std::string newer = data;
  newer[0] = 2;
  EXPECT_NE(decode_error(newer, 2).find("version 2"), std::string::npos);
  std::string bad_status = data;
  bad_status[1 + 3 + 2] = 9;  // period (3 bytes), value 300 (2 bytes), then the status
  EXPECT_NE(decode_error(bad_status, 2).find("status 9"), std::string::npos);
  EXPECT_NE(decode_error(std::string(1, 1) + std::string(11, '\xff'), 1).find("10 bytes"), std::string::npos);
  EXPECT_NE(decode_error("", 0).find("truncated"), std::string::npos);
}

TEST(SeriesView, LaterVintagesReplaceAndWithdrawalsRemove) {
  SeriesView view;
  view.apply({{1, 10, 2, 1}, {2, 20, 2, 2}, {3, 30, 2, 3}}, 1);
  view.apply({{2, 21, 1, 5}, {4, 40, 2, 6}}, 2);         // revises 2, adds 4
  view.apply({{1, 0, kWithdrawnStatus, 0}, {5, 50, 3, 7}}, 3);  // withdraws 1, adds 5
  view.apply({}, 4);
  std::vector<std::string> seen;
  for (const HeldPoint& p : view.points())
    seen.push_back(std::to_string(p.period) + "=" + std::to_string(p.value) + "/s" + std::to_string(p.status) + "/v" +
                   std::to_string(p.vintage));
  EXPECT_EQ(seen, (std::vector<std::string>{"2=21/s1/v2", "3=30/s2/v1", "4=40/s2/v2", "5=50/s3/v3"}));
  view.apply({{2, 0, kWithdrawnStatus, 0}, {3, 0, kWithdrawnStatus, 0}, {4, 0, kWithdrawnStatus, 0},
              {5, 0, kWithdrawnStatus, 0}},
             5);
  EXPECT_TRUE(view.points().empty());
}

}  // namespace
}  // namespace atalaya
