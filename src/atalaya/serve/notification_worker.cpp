#include "atalaya/serve/notification_worker.h"

namespace atalaya::serve {

NotificationWorker::NotificationWorker(const std::string& db, process::NotifySettings settings,
                                       std::chrono::milliseconds every, Log log)
    : settings_(std::move(settings)), every_(every), log_(std::move(log)) {
  settings_.check();
  store_ = process::open_process_store(db);
}

NotificationWorker::~NotificationWorker() { stop(); }

void NotificationWorker::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void NotificationWorker::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

int NotificationWorker::runs() const {
  std::lock_guard lock(mu_);
  return runs_;
}

void NotificationWorker::report(const process::NotifyReport& r) {
  if (!log_) return;
  if (r.delivered || r.failed)
    log_("emergency-session notices: " + std::to_string(r.delivered) + " delivered, " + std::to_string(r.failed) +
         " failed (" + std::to_string(r.given_up) + " given up)");
  for (auto& e : r.errors) log_("notice not delivered: " + e);
  if (r.no_relay != no_relay_logged_ && r.no_relay > 0)
    log_(std::to_string(r.no_relay) +
         " e-mail notice(s) due, not sent: no SMTP relay (atalaya serve --smtp URL --mail-from ADDRESS, or "
         "atalaya process notify --smtp URL --from ADDRESS)");
  no_relay_logged_ = r.no_relay;
}

void NotificationWorker::loop() {
  auto stopping = [this] {
    std::lock_guard lock(mu_);
    return stopping_;
  };
  while (!stopping()) {
    try {
      report(process::deliver_due_notifications(*store_, settings_, utc_seconds_now, stopping));
    } catch (const std::exception& e) {
      // A busy or broken store must not end the server; the next run tries again.
      if (log_) log_(std::string("notification run failed: ") + e.what());
    }
    std::unique_lock lock(mu_);
    ++runs_;
    wake_.wait_for(lock, every_, [this] { return stopping_; });
  }
}

}  // namespace atalaya::serve
