#include "atalaya/serve/http_status.h"

namespace atalaya::serve {

int http_status(ErrorCode code) {
  switch (code) {
    case ErrorCode::InvalidArgument: return 400;
    case ErrorCode::NotFound: return 404;
    case ErrorCode::Conflict: return 409;
    case ErrorCode::TooCostly: return 422;
    case ErrorCode::Unauthenticated: return 401;
    case ErrorCode::Forbidden: return 403;
    case ErrorCode::Busy: return 503;
    case ErrorCode::Unavailable: return 503;
    case ErrorCode::Internal: return 500;
  }
  return 500;
}

}  // namespace atalaya::serve
