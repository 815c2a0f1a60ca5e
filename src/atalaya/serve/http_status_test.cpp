#include "atalaya/serve/http_status.h"

#include <gtest/gtest.h>

namespace atalaya::serve {
namespace {

TEST(HttpStatusTest, EveryCodeHasItsStatus) {
  EXPECT_EQ(http_status(ErrorCode::InvalidArgument), 400);
  EXPECT_EQ(http_status(ErrorCode::NotFound), 404);
  EXPECT_EQ(http_status(ErrorCode::Conflict), 409);
  EXPECT_EQ(http_status(ErrorCode::TooCostly), 422);
  EXPECT_EQ(http_status(ErrorCode::Unauthenticated), 401);
  EXPECT_EQ(http_status(ErrorCode::Forbidden), 403);
  EXPECT_EQ(http_status(ErrorCode::Busy), 503);
  EXPECT_EQ(http_status(ErrorCode::Unavailable), 503);
  EXPECT_EQ(http_status(ErrorCode::Internal), 500);
}

}  // namespace
}  // namespace atalaya::serve
