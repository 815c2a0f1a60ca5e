// The one kind of failure an API handler reports on purpose: an HTTP status,
// the parameter (query parameter, path segment or body field) at fault, and a
// message a person can act on. The server turns it into
// {"error": {"status": ..., "parameter": ..., "message": ...}}.
#pragma once

#include <stdexcept>
#include <string>

namespace atalaya::serve {

class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string parameter, const std::string& message)
      : std::runtime_error(message), status_(status), parameter_(std::move(parameter)) {}
  int status() const { return status_; }
  // Empty when no single parameter is at fault.
  const std::string& parameter() const { return parameter_; }

 private:
  int status_;
  std::string parameter_;
};

}  // namespace atalaya::serve
