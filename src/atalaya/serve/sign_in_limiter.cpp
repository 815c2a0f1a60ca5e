#include "atalaya/serve/sign_in_limiter.h"

#include <algorithm>
#include <cmath>

namespace atalaya::serve {

double SignInLimiter::level(const Bucket& b, Clock::time_point now) const {
  const double elapsed = std::chrono::duration<double>(now - b.at).count();
  return std::min(burst_, b.tokens + std::max(0.0, elapsed) * per_second_);
}

long SignInLimiter::take(const std::string& origin, Clock::time_point now) {
  std::lock_guard lock(mu_);
  auto it = buckets_.find(origin);
  if (it == buckets_.end()) {
    if (buckets_.size() >= max_origins_) {
      for (auto b = buckets_.begin(); b != buckets_.end();)
        b = level(b->second, now) >= burst_ ? buckets_.erase(b) : std::next(b);
      // Every bucket in use: the new address shares the oldest one's fate.
      if (buckets_.size() >= max_origins_) buckets_.erase(buckets_.begin());
    }
    it = buckets_.emplace(origin, Bucket{burst_, now}).first;
  }
  Bucket& b = it->second;
  b.tokens = level(b, now);
  b.at = now;
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return std::max(1L, static_cast<long>(std::ceil((1 - b.tokens) / per_second_)));
}

}  // namespace atalaya::serve
