#include "atalaya/store/observation_block.h"

#include <algorithm>
#include <cstdint>

#include "atalaya/core/error.h"

namespace atalaya {
namespace {

void put_varint(std::string& out, uint64_t v) {
  while (v >= 0x80) {
    out.push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out.push_back(static_cast<char>(v));
}

uint64_t zigzag(int64_t v) { return (static_cast<uint64_t>(v) << 1) ^ static_cast<uint64_t>(v >> 63); }
int64_t unzigzag(uint64_t v) { return static_cast<int64_t>(v >> 1) ^ -static_cast<int64_t>(v & 1); }

// Reads a block's bytes; every read checks what is left.
class Reader {
 public:
  Reader(std::string_view data, int64_t series_id, int64_t vintage_id)
      : data_(data), series_id_(series_id), vintage_id_(vintage_id) {}
  bool done() const { return at_ == data_.size(); }
  uint8_t byte(const char* what) {
    if (at_ >= data_.size()) fail(std::string("truncated: its data ends where ") + what + " was expected");
    return static_cast<uint8_t>(data_[at_++]);
  }
  uint64_t varint(const char* what) {
    uint64_t v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      const uint8_t b = byte(what);
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
    fail(std::string("corrupt: ") + what + " runs past 10 bytes");
  }
  [[noreturn]] void fail(const std::string& why) const {
    throw Error(ErrorCode::Internal, "",
                "the observation block of series id " + std::to_string(series_id_) + ", vintage id " +
                    std::to_string(vintage_id_) + " is " + why + " (at byte " + std::to_string(at_) + " of " +
                    std::to_string(data_.size()) + ")");
  }

 private:
  std::string_view data_;
  int64_t series_id_, vintage_id_;
  size_t at_ = 0;
};

}  // namespace

void BlockWriter::add(const BlockPoint& p) {
  if (points_ > 0 && p.period <= period_)
    throw Error(ErrorCode::InvalidArgument, "",
                "series id " + std::to_string(series_id_) + " is given period code " + std::to_string(p.period) +
                    (p.period == period_ ? " twice" : " after " + std::to_string(period_)) +
                    " in one vintage: a series holds one value per period");
  if (p.value < 0)
    throw Error(ErrorCode::InvalidArgument, "",
                "series id " + std::to_string(series_id_) + ", period code " + std::to_string(p.period) +
                    ": the value " + std::to_string(p.value) + " is negative; a count cannot be");
  put_varint(data_, static_cast<uint64_t>(p.period - (points_ > 0 ? period_ : 0)));
  put_varint(data_, static_cast<uint64_t>(p.value));
  data_.push_back(static_cast<char>(p.status));
  put_varint(data_, zigzag(static_cast<int64_t>(p.line) - line_));
  period_ = p.period;
  line_ = p.line;
  ++points_;
}

std::vector<BlockPoint> decode_block(std::string_view data, int64_t points, int64_t series_id, int64_t vintage_id) {
  Reader in(data, series_id, vintage_id);
  const uint8_t version = in.byte("the version");
  if (version != BlockWriter::kVersion)
    in.fail("of version " + std::to_string(version) + ", which this program does not know (it reads " +
            std::to_string(BlockWriter::kVersion) + ")");
  if (points < 0) in.fail("said to hold " + std::to_string(points) + " points");
  std::vector<BlockPoint> out;
  out.reserve(static_cast<size_t>(std::min<int64_t>(points, static_cast<int64_t>(data.size()))));
  int64_t period = 0, line = 0;
  while (!in.done()) {
    if (static_cast<int64_t>(out.size()) == points)
      in.fail("longer than its " + std::to_string(points) + " points");
    BlockPoint p;
    const uint64_t step = in.varint("a period");
    if (!out.empty() && step == 0) in.fail("corrupt: a period repeats");
    period += static_cast<int64_t>(step);
    p.period = period;
    const uint64_t value = in.varint("a value");
    if (value > static_cast<uint64_t>(INT64_MAX)) in.fail("corrupt: a value is out of range");
    p.value = static_cast<int64_t>(value);
    p.status = in.byte("a status");
    if (p.status > 3) in.fail("corrupt: status " + std::to_string(p.status) + " is none of 0 to 3");
    line += unzigzag(in.varint("a line"));
    if (line < 0 || line > UINT32_MAX) in.fail("corrupt: a line number is out of range");
    p.line = static_cast<uint32_t>(line);
    out.push_back(p);
  }
  if (static_cast<int64_t>(out.size()) != points)
    in.fail("truncated: it holds " + std::to_string(out.size()) + " of its " + std::to_string(points) + " points");
  return out;
}

}  // namespace atalaya
