// A webhook receiver on 127.0.0.1 for tests, built on cpp-httplib's server:
// it checks each request's signature as a real receiver would, drops
// duplicate deliveries by X-Atalaya-Delivery, and can be scripted to answer
// errors first or to hold answers (to exercise retries and time-outs).
//
// Tests only: unit_tests links cpp-httplib, atalaya_lib does not.
#pragma once

#include <httplib.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "atalaya/warning/webhook.h"

namespace atalaya::testing {

class LoopbackReceiver {
 public:
  struct Request {
    std::string body, signature, delivery_id, user_agent, content_type;
    bool signature_valid = false;
    int answered = 0;  // the status the receiver answered
  };

  // port 0: any free port. A fixed port lets a test start the receiver late
  // on a port a client has already been given.
  explicit LoopbackReceiver(std::string secret, int port = 0) : secret_(std::move(secret)) {
    server_.Post("/hook", [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); });
    if (port == 0) {
      port_ = server_.bind_to_any_port("127.0.0.1");
      if (port_ <= 0) throw std::runtime_error("loopback receiver: no free port on 127.0.0.1");
    } else {
      if (!server_.bind_to_port("127.0.0.1", port))
        throw std::runtime_error("loopback receiver: cannot bind 127.0.0.1:" + std::to_string(port));
      port_ = port;
    }
    // The socket already listens, so requests made before this thread
    // accepts simply wait in the backlog.
    thread_ = std::thread([this] {
      server_.listen_after_bind();
      listen_returned_ = true;
    });
  }

  ~LoopbackReceiver() {
    release();
    // stop() is a no-op until the server runs; wait for it so join() returns.
    while (!server_.is_running() && !listen_returned_) std::this_thread::yield();
    server_.stop();
    thread_.join();
  }

  LoopbackReceiver(const LoopbackReceiver&) = delete;
  LoopbackReceiver& operator=(const LoopbackReceiver&) = delete;

  int port() const { return port_; }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/hook"; }

  // The next requests are answered with these statuses in turn (with an
  // optional Retry-After in seconds); after them, 200.
  void answer_first(std::vector<int> statuses, std::optional<int> retry_after = std::nullopt) {
    std::lock_guard lock(mutex_);
    script_.assign(statuses.begin(), statuses.end());
    retry_after_ = retry_after;
  }

  // A 3xx answer points here (its Location header).
  void redirect_to(std::string location) {
    std::lock_guard lock(mutex_);
    location_ = std::move(location);
  }

  // Requests are held unanswered until release() (or destruction).
  void hold_answers() {
    std::lock_guard lock(mutex_);
    holding_ = true;
  }
  void release() {
    {
      std::lock_guard lock(mutex_);
      holding_ = false;
    }
    released_.notify_all();
  }

  std::vector<Request> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  // The bodies a receiver acts on: answered 2xx, signature valid, first of their delivery id.
  std::vector<std::string> accepted_bodies() const {
    std::lock_guard lock(mutex_);
    return accepted_;
  }

 private:
  void handle(const httplib::Request& req, httplib::Response& res) {
    Request r;
    r.body = req.body;
    r.signature = req.get_header_value("X-Atalaya-Signature");
    r.delivery_id = req.get_header_value("X-Atalaya-Delivery");
    r.user_agent = req.get_header_value("User-Agent");
    r.content_type = req.get_header_value("Content-Type");
    r.signature_valid = verify_webhook_signature(secret_, r.body, r.signature);

    std::unique_lock lock(mutex_);
    released_.wait(lock, [this] { return !holding_; });
    int status = 200;
    if (!r.signature_valid) {
      status = 401;
    } else if (!script_.empty()) {
      status = script_.front();
      script_.pop_front();
    }
    if (status >= 200 && status < 300 && seen_ids_.insert(r.delivery_id).second) accepted_.push_back(r.body);
    r.answered = status;
    requests_.push_back(r);

    res.status = status;
    if (status >= 300 && retry_after_) res.set_header("Retry-After", std::to_string(*retry_after_));
    if (status >= 300 && status < 400 && !location_.empty()) res.set_header("Location", location_);
    res.set_content(status < 300 ? "ok" : "refused by test receiver (status " + std::to_string(status) + ")",
                    "text/plain");
  }

  const std::string secret_;
  httplib::Server server_;
  int port_ = 0;
  std::thread thread_;
  std::atomic<bool> listen_returned_{false};

  mutable std::mutex mutex_;
  std::condition_variable released_;
  bool holding_ = false;
  std::deque<int> script_;
  std::optional<int> retry_after_;
  std::string location_;
  std::vector<Request> requests_;
  std::vector<std::string> accepted_;
  std::set<std::string> seen_ids_;
};

}  // namespace atalaya::testing
