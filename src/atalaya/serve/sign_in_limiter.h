// The server's own brake on sign-in attempts, per client address, in front
// of the account store's lockout (which counts failures per account and per
// origin): a token bucket of `burst` attempts refilled at `per_minute`, so
// a script guessing passwords from one address is slowed to that rate
// whatever the answers were, and never reaches the password hashing (which
// costs a core for a while on every attempt).
//
// Bounded: beyond `max_origins` addresses, full buckets are forgotten first.
#pragma once

#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace atalaya::serve {

class SignInLimiter {
 public:
  using Clock = std::chrono::steady_clock;
  explicit SignInLimiter(double burst = 10, double per_minute = 10, size_t max_origins = 10'000)
      : burst_(burst), per_second_(per_minute / 60.0), max_origins_(max_origins) {}

  // Takes one attempt from the origin's bucket: 0 when allowed, else the
  // whole seconds (at least 1) until the next attempt would be.
  long take(const std::string& origin, Clock::time_point now = Clock::now());

 private:
  struct Bucket {
    double tokens;
    Clock::time_point at;
  };
  double level(const Bucket& b, Clock::time_point now) const;

  double burst_, per_second_;
  size_t max_origins_;
  std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace atalaya::serve
