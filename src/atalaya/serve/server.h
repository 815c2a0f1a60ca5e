// The HTTP server behind `atalaya serve`: the JSON API under /api/v1 (see
// docs/api.md) and the dashboard's static files, in one process. Its own
// front (http_front.h) reads requests under deadlines on one thread; cheap
// requests are answered on one worker pool, expensive ones (endpoints marked
// so: back-tests, forecasts, series) on a small second pool with a bounded
// queue, beyond which they get 503 and Retry-After (worker_pool.h).
//
// Every API request goes through one path: its parameters are checked
// against the endpoint's declaration, a cacheable read is answered from the
// response cache when the data has not changed (with ETag, 304 and gzip),
// and every failure becomes a JSON error naming the parameter at fault. The
// server keeps serving whatever one request does.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "atalaya/access/authenticator.h"
#include "atalaya/process/notification_delivery.h"
#include "atalaya/serve/endpoint.h"
#include "atalaya/serve/http_front.h"
#include "atalaya/store/audit/audit_log.h"
#include "atalaya/warning/trigger.h"

namespace atalaya::serve {

struct ServerOptions {
  std::string db;             // the store (must exist)
  std::string bind = "127.0.0.1";
  int port = 8080;            // 0: any free port
  std::string web_dir;        // the built dashboard; empty or missing: API only
  std::string routes_dir;     // route files (*.toml)
  std::string access_log = "-";  // "-": standard output; empty: none
  int threads = 16;           // workers for cheap requests (a connection holds none)
  int expensive_threads = 0;  // expensive requests answered at once (0: one per core, at least 2)
  int expensive_queue = 8;    // expensive requests waiting; more: 503 + Retry-After
  FrontOptions front;         // deadlines and size limits of the front door
  // Names (besides the bind address and localhost) and origins that may
  // send changes (write_guard.h).
  std::vector<std::string> public_hosts, public_origins;
  size_t cache_bytes = 64u << 20;
  int reload_check_ms = 500;  // how often the store's data version is checked (PostgreSQL also notifies at once)
  std::string editors_file;   // who may change alerts without accounts (editors.h, deprecated); empty: anyone
  // The accounts (request_access.h): null, or a store without accounts
  // yet: the single-user rules (anyone, or the editors file).
  std::shared_ptr<access::Authenticator> accounts;
  // Where reads of non-public data and refused changes are recorded
  // (audit_writer.h); null: not recorded.
  std::shared_ptr<audit::AuditLog> audit;
  // Peers (a reverse proxy on loopback) whose X-Forwarded-For and
  // X-Forwarded-Proto are believed (request_identity.h).
  std::vector<std::string> trusted_proxies;
  bool secure_cookies = false;  // the session cookie is Secure even when no proxy says TLS
  ServerLimits limits;
  // Uploads (POST /api/v1/sources/{id}/vintages): the registered mappings
  // and where bodies are kept; their size bound and deadline are
  // front.max_upload_bytes and front.upload_timeout.
  UploadSettings uploads;
  // Webhook endpoints the background delivery worker sends the outbox to
  // (serve/delivery_worker.h), every deliver_every; none: no worker.
  std::vector<WebhookEndpoint> webhooks;
  std::chrono::milliseconds deliver_every{30'000};
  // How emergency-session notifications are sent by a second background
  // worker (serve/notification_worker.h), also every deliver_every; null:
  // not sent by this server (`atalaya process notify` sends them).
  std::optional<process::NotifySettings> notices;
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
  // options.webhooks are given, and the notification worker when
  // options.notices are; call bind() first.
  void listen();
  void stop();

  const std::vector<Endpoint>& endpoints() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace atalaya::serve
