// The webhook delivery worker inside `atalaya serve`: a background thread
// that runs deliver_due (warning/outbox.h, the same run as `atalaya deliver`)
// every `every`, on its own connection to the store, so an endpoint that
// hangs holds up neither the API nor `watch`. Several processes may deliver
// from one store at once: each delivery is claimed before its attempt.
//
// Each run that records attempts is a commit, which advances the store's
// change version, so the server reloads its data snapshot after it (serve/snapshot.h); back-off and the
// circuit breaker keep such runs rare while an endpoint is failing.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "atalaya/warning/outbox.h"

namespace atalaya::serve {

class DeliveryWorker {
 public:
  using Log = std::function<void(const std::string&)>;
  // Opens its own store connection now (throws StoreError); delivers from start() to stop().
  DeliveryWorker(const std::string& db, std::vector<WebhookEndpoint> endpoints, std::chrono::milliseconds every,
                 Log log);
  ~DeliveryWorker();
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  void start();
  // Ends the current attempt's wait at most at its endpoint's time-out; joins the thread.
  void stop();
  int runs() const;  // runs completed so far

 private:
  void loop();
  std::unique_ptr<AlertStore> store_;
  std::vector<WebhookEndpoint> endpoints_;
  std::chrono::milliseconds every_;
  Log log_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;
  int runs_ = 0;
  std::thread thread_;
};

}  // namespace atalaya::serve
