#include "atalaya/serve/error_status.h"

#include <gtest/gtest.h>

namespace atalaya::serve {
namespace {

TEST(ErrorStatusTest, EveryCodeHasItsStatus) {
  EXPECT_EQ(status_of_error(ErrorCode::InvalidArgument), 400);
  EXPECT_EQ(status_of_error(ErrorCode::NotFound), 404);
  EXPECT_EQ(status_of_error(ErrorCode::Conflict), 409);
  EXPECT_EQ(status_of_error(ErrorCode::TooCostly), 422);
  EXPECT_EQ(status_of_error(ErrorCode::Unauthenticated), 401);
  EXPECT_EQ(status_of_error(ErrorCode::Forbidden), 403);
  EXPECT_EQ(status_of_error(ErrorCode::Busy), 503);
  EXPECT_EQ(status_of_error(ErrorCode::Unavailable), 503);
  EXPECT_EQ(status_of_error(ErrorCode::Internal), 500);
}

}  // namespace
}  // namespace atalaya::serve
