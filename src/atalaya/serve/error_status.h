// The HTTP status of each kind of library error (core/error.h), for the
// server's error answers. (A stop-gap beside the request path: the HTTP
// front's own status mapping, serve/http_status.*, is to absorb it.)
#pragma once

#include "atalaya/core/error.h"

namespace atalaya::serve {

// InvalidArgument 400, NotFound 404, Conflict 409, TooCostly 422,
// Unauthenticated 401, Forbidden 403, Busy and Unavailable 503, Internal 500.
int status_of_error(ErrorCode code);

}  // namespace atalaya::serve
