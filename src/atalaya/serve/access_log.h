// The server's structured access log: one JSON object per request per line
// (time, remote address, method, path, query, status, bytes sent, duration in
// milliseconds, whether the answer came from the cache, whether the work
// was abandoned when the client went away), written to a file or
// standard output. Thread-safe. A request only appends its line to a memory
// buffer; a background thread writes the buffer out every 200 ms, so no
// request waits on the disk and a tail -f still follows. Should the disk
// stall, at most 64 MiB wait in memory and further lines are dropped (and
// counted in the log once it catches up).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
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
  // Status 499: the client closed the connection before the answer. Set
  // when the work then stopped at a cancellation check rather than running
  // to its end.
  bool abandoned = false;
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
  void drain();

  std::mutex mu_;
  std::condition_variable stop_;
  bool stopping_ = false;
  std::string pending_;
  uint64_t dropped_ = 0;
  FILE* out_ = nullptr;
  bool owned_ = false;
  std::thread flusher_;
};

}  // namespace atalaya::serve
