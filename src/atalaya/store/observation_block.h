// One block of observations: the points one vintage writes for one series,
// stored as one row of observation_block (series_id, vintage_id, points,
// data) instead of one row per point, so a file of 3,000,000 values in
// 30,000 series is 30,000 rows for the database to index.
//
// The encoding of `data`, version 1:
//   byte 0          the version, 1
//   then per point, in ascending period order:
//     varint        period code minus the previous point's (the first: minus 0)
//     varint        value (never negative)
//     byte          status: a Status, or 0 for a withdrawal (the value was in
//                   the source's latest view and this complete release lacks it)
//     varint        zigzag(line minus the previous point's line; the first: minus 0)
// A varint is 7 bits a byte, least significant first, the high bit set on
// every byte but the last (at most 10 bytes); zigzag maps 0,-1,1,-2,... to
// 0,1,2,3,... The point count is the row's `points` column, checked against
// the data when decoding.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace atalaya {

// The status a block stores for a withdrawal; never a Status value.
inline constexpr uint8_t kWithdrawnStatus = 0;

struct BlockPoint {
  int64_t period = 0;  // Period::code()
  int64_t value = 0;   // 0 for a withdrawal
  uint8_t status = 0;  // Status, or kWithdrawnStatus
  uint32_t line = 0;   // provenance in the vintage's file; 0 for a withdrawal
};

// Appends points one by one and gives the encoded bytes. Throws
// Error(InvalidArgument) for a point whose period does not come after the
// previous one's (a series and period given twice) or whose value is
// negative, naming the series.
class BlockWriter {
 public:
  explicit BlockWriter(int64_t series_id) : series_id_(series_id) { data_.push_back(kVersion); }
  void add(const BlockPoint& p);
  size_t points() const { return points_; }
  const std::string& data() const { return data_; }

  static constexpr uint8_t kVersion = 1;

 private:
  int64_t series_id_;
  std::string data_;
  size_t points_ = 0;
  int64_t period_ = 0;
  int64_t line_ = 0;
};

// The points of a block. Throws Error(Internal) naming the series and
// vintage ids when the data is truncated, corrupt, of an unknown version or
// does not hold `points` points.
std::vector<BlockPoint> decode_block(std::string_view data, int64_t points, int64_t series_id, int64_t vintage_id);

}  // namespace atalaya
