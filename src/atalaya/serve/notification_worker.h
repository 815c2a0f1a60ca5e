// The emergency-session notification worker inside `atalaya serve`: a
// background thread that runs deliver_due_notifications
// (process/notification_delivery.h, the same run as `atalaya process
// notify`) every `every`, on its own connection to the store, beside the
// outbox's DeliveryWorker (delivery_worker.h). Several servers (and `process
// notify` runs) may deliver from one store at once: each notification is
// claimed before its attempt, so it is sent once.
//
// Without an SMTP relay in the settings, e-mail notices stay queued; the log
// says so whenever the number waiting changes, not on every run.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "atalaya/process/notification_delivery.h"

namespace atalaya::serve {

class NotificationWorker {
 public:
  using Log = std::function<void(const std::string&)>;
  // Checks the settings (throws std::invalid_argument naming one) and opens
  // its own store connection now (throws Error(Unavailable)); delivers from
  // start() to stop().
  NotificationWorker(const std::string& db, process::NotifySettings settings, std::chrono::milliseconds every, Log log);
  ~NotificationWorker();
  NotificationWorker(const NotificationWorker&) = delete;
  NotificationWorker& operator=(const NotificationWorker&) = delete;

  void start();
  // Ends the current attempt's wait at most at the settings' time-out; joins the thread.
  void stop();
  int runs() const;  // runs completed so far

 private:
  void loop();
  void report(const process::NotifyReport& r);
  std::unique_ptr<process::ProcessStore> store_;
  process::NotifySettings settings_;
  std::chrono::milliseconds every_;
  Log log_;
  int no_relay_logged_ = 0;  // e-mails waiting for a relay, as last logged
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  int runs_ = 0;
  std::thread thread_;
};

}  // namespace atalaya::serve
