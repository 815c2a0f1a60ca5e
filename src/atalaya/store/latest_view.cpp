#include "atalaya/store/latest_view.h"

#include <utility>

namespace atalaya {

void SeriesView::apply(const std::vector<BlockPoint>& block, int64_t vintage) {
  if (block.empty()) return;
  // Both are ordered by period: one merge.
  merged_.clear();
  merged_.reserve(points_.size() + block.size());
  size_t held = 0;
  for (const BlockPoint& p : block) {
    while (held < points_.size() && points_[held].period < p.period) merged_.push_back(points_[held++]);
    if (held < points_.size() && points_[held].period == p.period) ++held;  // replaced or withdrawn
    if (p.status != kWithdrawnStatus) merged_.push_back(HeldPoint{p.period, p.value, p.status, vintage});
  }
  merged_.insert(merged_.end(), points_.begin() + static_cast<std::ptrdiff_t>(held), points_.end());
  std::swap(points_, merged_);
}

}  // namespace atalaya
