// Wakes a server when another process commits to its PostgreSQL store:
// a thread with its own connection LISTENs for the store's change
// notification (store/sql/connection.h wait_for_change) and calls
// `on_change` (the server invalidates its snapshot), so a write by another
// server or an ingest is seen at once instead of at the next periodic
// check. SQLite has no notifications; the periodic check serves it alone.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "atalaya/store/sql/connection.h"

namespace atalaya::serve {

class ChangeListener {
 public:
  // Connects now (throws Error(Unavailable)); listens from start() to stop().
  ChangeListener(const std::string& db, std::function<void()> on_change);
  ~ChangeListener();
  ChangeListener(const ChangeListener&) = delete;
  ChangeListener& operator=(const ChangeListener&) = delete;

  void start();
  void stop();  // returns within one wait (250 ms)

 private:
  std::unique_ptr<sql::Connection> db_;
  std::function<void()> on_change_;
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

}  // namespace atalaya::serve
