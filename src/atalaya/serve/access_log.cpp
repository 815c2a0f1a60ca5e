// JSON-lines access log (see access_log.h).
#include "atalaya/serve/access_log.h"

#include <cmath>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "atalaya/core/utc_time.h"

namespace atalaya::serve {

AccessLog::AccessLog(const std::string& path) {
  if (path.empty()) return;
  if (path == "-") {
    out_ = stdout;
  } else {
    out_ = std::fopen(path.c_str(), "a");
    if (!out_) throw std::runtime_error("--access-log: cannot open " + path + " for appending");
    owned_ = true;
  }
  flusher_ = std::thread([this] {
    for (;;) {
      {
        std::unique_lock lock(mu_);
        if (stop_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stopping_; })) break;
      }
      drain();
    }
    drain();
  });
}

AccessLog::~AccessLog() {
  if (!out_) return;
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_.notify_all();
  flusher_.join();
  if (owned_) std::fclose(out_);
}

// Writes what has gathered, outside the lock requests take.
void AccessLog::drain() {
  std::string batch;
  uint64_t dropped = 0;
  {
    std::lock_guard lock(mu_);
    batch.swap(pending_);
    std::swap(dropped, dropped_);
  }
  if (dropped)
    batch += "{\"dropped\":" + std::to_string(dropped) + ",\"note\":\"access log lines dropped: the disk did not keep up\"}\n";
  if (batch.empty()) return;
  std::fwrite(batch.data(), 1, batch.size(), out_);
  std::fflush(out_);
}

void AccessLog::write(const AccessRecord& r) {
  if (!out_) return;
  nlohmann::json j{{"time", utc_now()}, {"remote", r.remote}, {"method", r.method}, {"path", r.path},
                   {"status", r.status}, {"bytes", r.bytes}, {"ms", std::round(r.ms * 1000) / 1000}};
  if (!r.query.empty()) j["query"] = r.query;
  if (!r.cache.empty()) j["cache"] = r.cache;
  if (r.abandoned) j["abandoned"] = true;
  const std::string line = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard lock(mu_);
  if (pending_.size() + line.size() > (64u << 20)) {
    ++dropped_;
    return;
  }
  pending_ += line;
}

}  // namespace atalaya::serve
