// The response cache keeps memory bounded (least recently used out first),
// never serves an answer from older data, and refuses single answers big
// enough to flush everything else.
#include "atalaya/serve/response_cache.h"

#include <gtest/gtest.h>

namespace atalaya::serve {
namespace {

std::shared_ptr<const CachedAnswer> answer(size_t bytes) {
  auto a = std::make_shared<CachedAnswer>();
  a->body.assign(bytes, 'x');
  a->etag = etag_of(a->body);
  return a;
}

TEST(ResponseCache, StaysWithinItsBytesDroppingTheLeastRecentlyUsed) {
  ResponseCache cache(10'000);
  for (int i = 0; i < 100; ++i) cache.put("q" + std::to_string(i), 1, answer(1'000));
  EXPECT_LE(cache.bytes(), 10'000u);
  EXPECT_GT(cache.entries(), 0u);
  EXPECT_EQ(cache.find("q0", 1), nullptr);   // the oldest went first
  EXPECT_NE(cache.find("q99", 1), nullptr);  // the newest stayed
  // A lookup makes an entry recent: the oldest kept entry, once looked up,
  // outlives the next oldest when a new answer pushes one out.
  const size_t kept = cache.entries();
  ASSERT_NE(cache.find("q" + std::to_string(100 - kept), 1), nullptr);
  cache.put("fresh", 1, answer(1'000));
  EXPECT_NE(cache.find("q" + std::to_string(100 - kept), 1), nullptr);
  EXPECT_EQ(cache.find("q" + std::to_string(101 - kept), 1), nullptr);
}

TEST(ResponseCache, ANewGenerationForgetsOlderAnswers) {
  ResponseCache cache(1 << 20);
  cache.put("q", 1, answer(10));
  EXPECT_NE(cache.find("q", 1), nullptr);
  EXPECT_EQ(cache.find("q", 2), nullptr);  // the data changed: never the old answer
  cache.put("r", 2, answer(10));
  EXPECT_EQ(cache.find("q", 1), nullptr);  // dropped with its generation
  EXPECT_EQ(cache.entries(), 1u);
  cache.put("late", 1, answer(10));  // a slow answer computed on older data
  EXPECT_EQ(cache.find("late", 1), nullptr);
  EXPECT_EQ(cache.find("late", 2), nullptr);
}

TEST(ResponseCache, OneHugeAnswerIsNotKept) {
  ResponseCache cache(4'000);
  cache.put("small", 1, answer(100));
  cache.put("huge", 1, answer(3'000));  // over a quarter of the cache
  EXPECT_EQ(cache.find("huge", 1), nullptr);
  EXPECT_NE(cache.find("small", 1), nullptr);
}

TEST(ResponseCache, ETagsAreStableAndQuoted) {
  EXPECT_EQ(etag_of("abc"), etag_of("abc"));
  EXPECT_NE(etag_of("abc"), etag_of("abd"));
  EXPECT_EQ(etag_of("abc").front(), '"');
  EXPECT_EQ(etag_of("abc").back(), '"');
}

}  // namespace
}  // namespace atalaya::serve
