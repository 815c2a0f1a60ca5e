// The HTTP server behind `atalaya serve`: the JSON API under /api/v1 (see
// docs/api.md) and the dashboard's static files, in one process, on
// cpp-httplib's thread pool.
//
// Every API request goes through one path: its parameters are checked
// against the endpoint's declaration, a cacheable read is answered from the
// response cache when the data has not changed (with ETag, 304 and gzip),
// and every failure becomes a JSON error naming the parameter at fault. The
// server keeps serving whatever one request does.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "atalaya/serve/endpoint.h"
#include "atalaya/warning/trigger.h"

namespace atalaya::serve {

struct ServerOptions {
  std::string db;             // the store (must exist)
  std::string bind = "127.0.0.1";
  int port = 8080;            // 0: any free port
  std::string web_dir;        // the built dashboard; empty or missing: API only
  std::string routes_dir;     // route files (*.toml)
  std::string access_log = "-";  // "-": standard output; empty: none
  int threads = 64;           // keep-alive connections each hold a thread
  size_t cache_bytes = 64u << 20;
  int reload_check_ms = 500;
  std::string editors_file;   // who may change alerts (editors.h); empty: anyone  // how often the store's files are looked at for changes
  ServerLimits limits;
  // Webhook endpoints the background delivery worker sends the outbox to
  // (serve/delivery_worker.h), every deliver_every; none: no worker.
  std::vector<WebhookEndpoint> webhooks;
  std::chrono::milliseconds deliver_every{30'000};
};

class ApiServer {
 public:
  // Opens the store and loads the data and the routes. Throws StoreError,
  // InputError (a broken route file) or std::runtime_error.
  explicit ApiServer(ServerOptions options);
  ~ApiServer();
  ApiServer(const ApiServer&) = delete;
  ApiServer& operator=(const ApiServer&) = delete;

  // Binds the socket; returns the port (the chosen one when options.port is
  // 0). Throws std::runtime_error when the address cannot be bound.
  int bind();
  // Serves until stop(), with the delivery worker running meanwhile when
  // options.webhooks are given; call bind() first.
  void listen();
  void stop();

  const std::vector<Endpoint>& endpoints() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace atalaya::serve
