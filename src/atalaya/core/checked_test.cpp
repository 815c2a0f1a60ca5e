#include "atalaya/core/checked.h"

#include <gtest/gtest.h>

#include <limits>

namespace atalaya {
namespace {

constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
constexpr int64_t kMin = std::numeric_limits<int64_t>::min();

TEST(CheckedAdd, AddsWhatFits) {
  EXPECT_EQ(checked_add(2, 3), 5);
  EXPECT_EQ(checked_add(-2, 3), 1);
  EXPECT_EQ(checked_add(kMax - 1, 1), kMax);
  EXPECT_EQ(checked_add(kMin + 1, -1), kMin);
  EXPECT_EQ(checked_add(kMax, kMin), -1);
}

TEST(CheckedAdd, RefusesOverflowWithBothOperands) {
  try {
    checked_add(kMax, 1);
    FAIL() << "no overflow_error";
  } catch (const std::overflow_error& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("9223372036854775807 and 1"), std::string::npos) << msg;
    EXPECT_NE(msg.find("does not fit in a 64-bit integer"), std::string::npos) << msg;
  }
  EXPECT_THROW(checked_add(kMin, -1), std::overflow_error);
  EXPECT_THROW(checked_add(kMax / 2 + 1, kMax / 2 + 1), std::overflow_error);
}

}  // namespace
}  // namespace atalaya
