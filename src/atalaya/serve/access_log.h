// The server's structured access log: one JSON object per request per line
// (time, remote address, method, path, query, status, bytes sent, duration in
// milliseconds, whether the answer came from the cache), written to a file or
// standard output. Thread-safe; a background thread flushes once a second so
// a tail -f follows, without a write system call per request under load.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <string>
#include <thread>

namespace atalaya::serve {

struct AccessRecord {
  std::string remote, method, path, query;
  int status = 0;
  size_t bytes = 0;
  double ms = 0;
  std::string cache;  // "hit", "miss", "" (not cacheable)
};

class AccessLog {
 public:
  // `path` "-" is standard output; empty: no log.
  explicit AccessLog(const std::string& path);
  ~AccessLog();
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void write(const AccessRecord& r);

 private:
  std::mutex mu_;
  std::condition_variable stop_;
  bool stopping_ = false;
  FILE* out_ = nullptr;
  bool owned_ = false;
  std::thread flusher_;
};

}  // namespace atalaya::serve
