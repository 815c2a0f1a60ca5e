#include "atalaya/serve/change_listener.h"

#include <chrono>
#include <iostream>

namespace atalaya::serve {

ChangeListener::ChangeListener(const std::string& db, std::function<void()> on_change)
    : db_(sql::connect(db)), on_change_(std::move(on_change)) {
  db_->data_version();  // starts listening: a commit from now on is not missed
}

ChangeListener::~ChangeListener() { stop(); }

void ChangeListener::start() {
  thread_ = std::thread([this] {
    while (!stopping_) {
      try {
        if (db_->wait_for_change(std::chrono::milliseconds(250))) on_change_();
      } catch (const std::exception& e) {
        // A lost server: the periodic check still runs; the connection
        // reconnects on its next command.
        std::cerr << "atalaya serve: change listener: " << e.what() << std::endl;
        for (int i = 0; i < 20 && !stopping_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
    }
  });
}

void ChangeListener::stop() {
  stopping_ = true;
  if (thread_.joinable()) thread_.join();
}

}  // namespace atalaya::serve
