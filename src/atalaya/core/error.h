// The one error type the library throws on purpose: a code that says what
// kind of failure it is, the parameter at fault, and a message a person can
// act on. Front doors map it without reading the message: the server maps
// the code to an HTTP status and names the parameter in its JSON error; the
// command line maps the parameter to its flag ("horizon" -> "--horizon").
//
// InputError (core/input_error.h) stays apart: it is a file's problems, each
// with its line and column, not one parameter's.
#pragma once

#include <stdexcept>
#include <string>

namespace atalaya {

enum class ErrorCode {
  InvalidArgument,  // a parameter's value is not what was expected (HTTP 400)
  NotFound,         // what the request names does not exist (404)
  Conflict,         // the change is not allowed from the current state (409)
  TooCostly,        // the request would cost more than the limits allow (422)
  Unauthenticated,  // who is asking is not known (401)
  Forbidden,        // who is asking may not do this (403)
  Busy,             // the store or the server is busy; retrying later will do (503 + Retry-After)
  Unavailable,      // a backend cannot be reached or is broken (503)
  Internal,         // a bug or an unexpected failure (500)
};

// "invalid_argument", "not_found", ... (stable: in JSON errors and logs).
const char* error_code_name(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, std::string parameter, const std::string& message)
      : std::runtime_error(message), code_(code), parameter_(std::move(parameter)) {}
  ErrorCode code() const { return code_; }
  // The parameter (option, query parameter, path segment, body field) at
  // fault, in the library's name for it; empty when no single one is.
  const std::string& parameter() const { return parameter_; }

 private:
  ErrorCode code_;
  std::string parameter_;
};

}  // namespace atalaya
