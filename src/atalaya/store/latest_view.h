// A series' view as of some vintage, built from its observation blocks
// (observation_block.h) applied oldest vintage first: a later vintage's
// point replaces the period's earlier one, a withdrawal removes it.
#pragma once

#include <cstdint>
#include <vector>

#include "atalaya/store/observation_block.h"

namespace atalaya {

// A value of the view and the vintage it comes from (its id or its number,
// as the caller passes them to apply()).
struct HeldPoint {
  int64_t period = 0;  // Period::code()
  int64_t value = 0;
  uint8_t status = 0;  // a Status: the view holds no withdrawals
  int64_t vintage = 0;
};

class SeriesView {
 public:
  // Applies one vintage's block; blocks must come in vintage order.
  void apply(const std::vector<BlockPoint>& block, int64_t vintage);
  // Ordered by period.
  const std::vector<HeldPoint>& points() const { return points_; }
  void clear() { points_.clear(); }

 private:
  std::vector<HeldPoint> points_;
  std::vector<HeldPoint> merged_;  // apply()'s scratch, kept for its capacity
};

}  // namespace atalaya
