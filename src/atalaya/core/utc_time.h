// The current time in UTC, ISO 8601 with seconds ("2026-11-23T10:15:00Z"):
// the one form the store, the outbox and the feeds stamp times with.
#pragma once

#include <chrono>
#include <ctime>
#include <string>

namespace atalaya {

inline std::string utc_now() {
  auto t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace atalaya
