// The HTTP status of each library error code (core/error.h), in one place.
#pragma once

#include "atalaya/core/error.h"

namespace atalaya::serve {

// 400, 404, 409, 422, 401, 403, 503 (Busy: with Retry-After), 503, 500.
int http_status(ErrorCode code);

// Seconds a client should wait before retrying an answer of 503 Busy.
inline constexpr int kRetryAfterSeconds = 2;

}  // namespace atalaya::serve
