// The server's front door: one thread that accepts connections and reads
// each request's head and body under absolute deadlines and size limits,
// hands complete requests to the caller (which answers them on worker
// threads), and writes the answers back under a write deadline.
//
// Why our own: a thread-per-connection server whose only timeouts are
// per-read lets a client that trickles one byte every few seconds hold a
// thread for ever; 64 such clients stopped cpp-httplib's pool answering
// anyone. Here a connection costs a buffer, not a thread, and its deadlines
// run from when the request began, whatever the client trickles:
//   - idle keep-alive: the next request's first byte within idle_timeout;
//   - head: the whole head within header_timeout of the connection being
//     ready for it (408 after, and the connection closed);
//   - body: the whole body within body_timeout of the head (408);
//   - upload (a request the streams_body classifier picks): its body goes
//     to a temporary file as it arrives (never held in memory), may be up to
//     max_upload_bytes (larger: 413 at once, from the head's Content-Length)
//     and has upload_timeout for the body, and again for the answer;
//   - answer: the handler within request_timeout (503 + Retry-After; the
//     work is told to stop through Exchange::cancelled);
//   - write: the whole answer within write_timeout (the connection closed).
// While a request is being answered the front watches its connection: when
// the client closes it, Exchange::cancelled is set so the work can stop.
#pragma once

#include <httplib.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "atalaya/serve/http_parse.h"
#include "atalaya/serve/upload_file.h"

namespace atalaya::serve {

using Millis = std::chrono::milliseconds;

struct FrontOptions {
  HeadLimits head;
  size_t max_body_bytes = 64 * 1024;  // larger: 413
  Millis idle_timeout{5'000};
  Millis header_timeout{10'000};
  Millis body_timeout{10'000};
  Millis request_timeout{30'000};
  Millis write_timeout{60'000};
  size_t max_connections = 4096;  // more are closed at once
  // Which requests are uploads, from the head alone (method, path): their
  // bodies are streamed to a file in upload_dir. Unset: none is.
  std::function<bool(const httplib::Request&)> streams_body;
  size_t max_upload_bytes = 64u << 20;  // larger: 413
  std::string upload_dir = "/tmp";
  Millis upload_timeout{300'000};
  int max_requests_per_connection = 1000;
};

// One request and its answer, shared between the front and a worker.
struct Exchange {
  httplib::Request req;
  httplib::Response res;
  std::chrono::steady_clock::time_point started;
  bool head_only = false;  // HEAD: the answer's head alone
  // An upload's body (FrontOptions::streams_body), req.body then empty.
  std::shared_ptr<UploadFile> upload;
  // Set by the front: the client closed the connection, or the deadline
  // passed (and the front answered 503 itself). Work that checks it stops early.
  std::atomic<bool> cancelled{false};
  std::atomic<bool> client_gone{false};
  std::atomic<bool> timed_out{false};
  // Set by the worker, for the access log.
  std::string cache_state;      // "hit", "miss", "" (not cacheable)
  std::string cache_key;        // a cacheable miss's key in the response cache
  bool stopped_early = false;   // the work stopped at a cancellation check
  bool logged = false;          // the worker wrote its access log line
  // The front's own.
  uint64_t connection = 0;
  std::chrono::steady_clock::time_point deadline;
};

class HttpFront {
 public:
  // Runs on the front's thread: must hand the exchange on and return at once.
  // Every exchange dispatched must come back once through finish().
  using Dispatch = std::function<void(std::shared_ptr<Exchange>)>;
  // Runs on the front's thread when an exchange ends, answered or not (for
  // the access log, unless Exchange::logged): `bytes` of body written.
  using Finished = std::function<void(const Exchange&, size_t bytes)>;
  // Fills the answer the front gives itself (408, 413, 503, ...).
  using ErrorAnswer = std::function<void(int status, const std::string& message, httplib::Response&)>;

  HttpFront(FrontOptions options, Dispatch dispatch, Finished finished, ErrorAnswer error_answer);
  ~HttpFront();
  HttpFront(const HttpFront&) = delete;
  HttpFront& operator=(const HttpFront&) = delete;

  // Binds and listens; returns the port (the chosen one for port 0). Throws
  // std::runtime_error when the address cannot be bound.
  int bind(const std::string& host, int port);
  // Serves until stop().
  void run();
  // Safe from a signal handler and from any thread.
  void stop();
  // A worker is done with the exchange (answered in exchange.res). Any thread.
  void finish(std::shared_ptr<Exchange> exchange);

 private:
  struct Loop;
  std::unique_ptr<Loop> loop_;
};

}  // namespace atalaya::serve
