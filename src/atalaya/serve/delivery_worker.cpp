#include "atalaya/serve/delivery_worker.h"

namespace atalaya::serve {

DeliveryWorker::DeliveryWorker(const std::string& db, std::vector<WebhookEndpoint> endpoints,
                               std::chrono::milliseconds every, Log log)
    : store_(open_alert_store(db)), endpoints_(std::move(endpoints)), every_(every), log_(std::move(log)) {}

DeliveryWorker::~DeliveryWorker() { stop(); }

void DeliveryWorker::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void DeliveryWorker::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int DeliveryWorker::runs() const {
  std::lock_guard lock(mu_);
  return runs_;
}

void DeliveryWorker::loop() {
  auto stopping = [this] {
    std::lock_guard lock(mu_);
    return stopping_;
  };
  while (!stopping()) {
    try {
      const OutboxReport r = deliver_due(*store_, endpoints_, utc_seconds_now, stopping);
      if (log_ && (r.delivered || r.failed))
        log_("notifications: " + std::to_string(r.delivered) + " delivered, " + std::to_string(r.failed) +
             " failed (" + std::to_string(r.given_up) + " given up), " + std::to_string(r.paused) +
             " skipped while their endpoint is paused");
      if (log_) {
        for (auto& e : r.errors) log_("not delivered: " + e);
        for (auto& n : r.notes) log_(n);
      }
    } catch (const std::exception& e) {
      // A busy or broken store must not end the server; the next run tries again.
      if (log_) log_(std::string("delivery run failed: ") + e.what());
    }
    std::unique_lock lock(mu_);
    ++runs_;
    wake_.wait_for(lock, every_, [this] { return stopping_; });
  }
}

}  // namespace atalaya::serve
