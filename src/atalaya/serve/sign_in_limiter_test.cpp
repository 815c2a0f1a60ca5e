#include "atalaya/serve/sign_in_limiter.h"

#include <gtest/gtest.h>

namespace atalaya::serve {
namespace {

using std::chrono::seconds;

TEST(SignInLimiter, ABurstThenTheRefillRatePerAddress) {
  SignInLimiter limiter(3, 6);  // 3 at once, then one every 10 s
  const auto t0 = SignInLimiter::Clock::time_point() + std::chrono::hours(1);
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.take("203.0.113.7", t0), 0) << i;
  EXPECT_EQ(limiter.take("203.0.113.7", t0), 10);
  EXPECT_EQ(limiter.take("198.51.100.4", t0), 0);  // another address has its own bucket
  EXPECT_EQ(limiter.take("203.0.113.7", t0 + seconds(4)), 6);
  EXPECT_EQ(limiter.take("203.0.113.7", t0 + seconds(10)), 0);
  EXPECT_EQ(limiter.take("203.0.113.7", t0 + seconds(10)), 10);
  // Refilled to the burst, no further.
  for (int i = 0; i < 3; ++i) EXPECT_EQ(limiter.take("203.0.113.7", t0 + seconds(3600)), 0) << i;
  EXPECT_GT(limiter.take("203.0.113.7", t0 + seconds(3600)), 0);
}

TEST(SignInLimiter, ForgetsFullBucketsFirstWhenItHoldsTooManyAddresses) {
  SignInLimiter limiter(2, 6, 2);  // one attempt back every 10 s; two addresses held
  const auto t0 = SignInLimiter::Clock::time_point() + std::chrono::hours(1);
  EXPECT_EQ(limiter.take("a", t0), 0);
  EXPECT_EQ(limiter.take("a", t0), 0);
  EXPECT_EQ(limiter.take("b", t0), 0);
  // 10 s on, b is full again and forgotten for c; a (one attempt back) is kept.
  EXPECT_EQ(limiter.take("c", t0 + seconds(10)), 0);
  EXPECT_EQ(limiter.take("a", t0 + seconds(10)), 0);
  EXPECT_EQ(limiter.take("a", t0 + seconds(10)), 10) << "a's bucket was forgotten, not b's";
}

}  // namespace
}  // namespace atalaya::serve
