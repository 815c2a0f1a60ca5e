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
  // Seconds after which trying again will do (429, 503): the answer's Retry-After.
  ApiError& retry_after(long seconds) {
    retry_after_ = seconds;
    return *this;
  }
  long retry_after() const { return retry_after_; }
  // Empty when no single parameter is at fault.
  const std::string& parameter() const { return parameter_; }

 private:
  int status_;
  std::string parameter_;
  long retry_after_ = 0;
};

}  // namespace atalaya::serve
