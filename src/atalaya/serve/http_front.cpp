// The front's event loop (see http_front.h): epoll over the listening
// socket, an eventfd that workers wake it with, and every connection.
#include "atalaya/serve/http_front.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <deque>
#include <mutex>
#include <stdexcept>
#include <unordered_map>
#include <vector>

namespace atalaya::serve {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kReadChunk = 16384;
// A body larger than the limit but at most this is read and dropped before
// the 413, so the client (which is still sending it) sees the answer rather
// than a reset; a larger one is answered at once and the connection closed.
constexpr size_t kMaxDiscard = 1u << 20;
constexpr Millis kLingerTimeout{2'000};

enum class State {
  Idle,        // keep-alive: waiting for the next request's first byte
  Head,        // reading the request head
  Body,        // reading the request body
  Discard,     // reading and dropping an oversized body before the 413
  Upload,      // reading an upload's body into its file
  Dispatched,  // a worker is answering
  Writing,     // writing the answer
  Lingering,   // answer written, write side shut: draining until the client closes
};

struct Conn {
  int fd = -1;
  uint64_t id = 0;
  std::string remote_addr, local_addr;
  int remote_port = -1, local_port = -1;
  State state = State::Head;
  Clock::time_point deadline;
  std::string in;   // received, not yet consumed
  ParsedHead head;  // of the request being read
  size_t discard_left = 0;
  size_t upload_left = 0;    // Upload: body bytes still to come
  std::string upload_error;  // Upload: why the file refused a write
  int requests = 0;
  std::shared_ptr<Exchange> current;  // Body/Dispatched/Writing
  bool keep_alive = false;
  std::string out_head;  // Writing: the answer's head, then current->res.body
  size_t out_done = 0;
  size_t body_bytes = 0;  // of the answer being written
  uint32_t events = 0;
};

// 300000 ms -> "300", 1500 ms -> "1.5".
std::string seconds_text(Millis m) {
  std::string text = std::to_string(m.count() / 1000);
  if (const auto rest = m.count() % 1000) {
    std::string frac = std::to_string(1000 + rest).substr(1);
    while (frac.back() == '0') frac.pop_back();
    text += "." + frac;
  }
  return text;
}

std::string address_of(const sockaddr_storage& a, int& port) {
  char text[INET6_ADDRSTRLEN] = "";
  if (a.ss_family == AF_INET) {
    auto* v4 = reinterpret_cast<const sockaddr_in*>(&a);
    inet_ntop(AF_INET, &v4->sin_addr, text, sizeof text);
    port = ntohs(v4->sin_port);
  } else if (a.ss_family == AF_INET6) {
    auto* v6 = reinterpret_cast<const sockaddr_in6*>(&a);
    inet_ntop(AF_INET6, &v6->sin6_addr, text, sizeof text);
    port = ntohs(v6->sin6_port);
  }
  return text;
}

}  // namespace

struct HttpFront::Loop {
  FrontOptions options;
  Dispatch dispatch;
  Finished finished;
  ErrorAnswer error_answer;
  int listen_fd = -1, epoll_fd = -1, wake_fd = -1;
  std::atomic<bool> stopping{false};
  std::unordered_map<int, std::unique_ptr<Conn>> conns;  // by fd
  std::unordered_map<uint64_t, Conn*> by_id;
  uint64_t next_id = 1;
  std::mutex done_mu;
  std::vector<std::shared_ptr<Exchange>> done;  // finished by workers, to write

  void watch(Conn& c, uint32_t events) {
    if (c.events == events) return;
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = c.fd;
    epoll_ctl(epoll_fd, c.events == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, c.fd, &ev);
    c.events = events;
  }

  void close_conn(Conn& c) {
    const int fd = c.fd;
    if (c.state == State::Dispatched && c.current) {
      // The worker's answer will find no connection: the client is gone.
      c.current->client_gone = true;
      c.current->cancelled = true;
    }
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, fd, nullptr);
    ::close(fd);
    by_id.erase(c.id);
    conns.erase(fd);  // destroys c
  }

  bool accepting = true;
  Clock::time_point resume_accepting;
  void pause_accepting() {
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, listen_fd, nullptr);
    accepting = false;
    resume_accepting = Clock::now() + Millis(100);
  }
  void maybe_resume_accepting() {
    if (accepting || Clock::now() < resume_accepting) return;
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = listen_fd;
    epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listen_fd, &ev);
    accepting = true;
  }

  void accept_all() {
    for (;;) {
      sockaddr_storage addr{};
      socklen_t len = sizeof addr;
      const int fd = ::accept4(listen_fd, reinterpret_cast<sockaddr*>(&addr), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        // Out of descriptors: the listening socket stays readable, so stop
        // watching it for a moment rather than spin.
        if (errno == EMFILE || errno == ENFILE) pause_accepting();
        return;  // EAGAIN, or a transient error: epoll says when to come back
      }
      if (conns.size() >= options.max_connections || stopping) {
        ::close(fd);
        continue;
      }
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      auto c = std::make_unique<Conn>();
      c->fd = fd;
      c->id = next_id++;
      c->remote_addr = address_of(addr, c->remote_port);
      sockaddr_storage local{};
      socklen_t local_len = sizeof local;
      if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) == 0)
        c->local_addr = address_of(local, c->local_port);
      // A new connection's first request head is due within header_timeout.
      c->state = State::Head;
      c->deadline = Clock::now() + options.header_timeout;
      Conn& ref = *c;
      by_id[c->id] = c.get();
      conns[fd] = std::move(c);
      // Edge-triggered, registered once: no epoll_ctl per request. Every
      // state change that may have left bytes unread reads them itself.
      watch(ref, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET);
    }
  }

  // Starts writing an answer the front makes itself; the connection closes after it.
  void answer_error(Conn& c, int status, const std::string& message) {
    auto x = c.current ? c.current : std::make_shared<Exchange>();
    if (!c.current) {
      x->started = Clock::now();
      x->req.remote_addr = c.remote_addr;
    }
    x->res = httplib::Response();
    x->res.status = status;
    error_answer(status, message, x->res);
    c.head.keep_alive = false;
    start_write(c, x);
  }

  void start_write(Conn& c, std::shared_ptr<Exchange> x) {
    c.current = std::move(x);
    Exchange& e = *c.current;
    // The front's own refusals (answer_error) close the connection; a
    // handler's answer, even a 4xx, leaves it usable.
    c.keep_alive = c.head.keep_alive && c.requests < options.max_requests_per_connection && !stopping;
    c.body_bytes = e.head_only ? 0 : e.res.body.size();
    c.out_head = response_head(e.res, e.res.body.size(), c.keep_alive);
    c.out_done = 0;
    c.state = State::Writing;
    c.deadline = Clock::now() + options.write_timeout;
    write_some(c);
  }

  // Writes what the socket takes; at the end, the next request or the close.
  void write_some(Conn& c) {
    Exchange& e = *c.current;
    const size_t total = c.out_head.size() + c.body_bytes;
    while (c.out_done < total) {
      iovec iov[2];
      int n = 0;
      if (c.out_done < c.out_head.size()) {
        iov[n++] = {c.out_head.data() + c.out_done, c.out_head.size() - c.out_done};
        if (c.body_bytes) iov[n++] = {e.res.body.data(), c.body_bytes};
      } else {
        const size_t at = c.out_done - c.out_head.size();
        iov[n++] = {e.res.body.data() + at, c.body_bytes - at};
      }
      msghdr msg{};
      msg.msg_iov = iov;
      msg.msg_iovlen = n;
      const ssize_t w = ::sendmsg(c.fd, &msg, MSG_NOSIGNAL);
      if (w < 0) {
        if (errno == EAGAIN || errno == EWOULDBLOCK) return;  // EPOLLOUT will say when to go on
        if (errno == EINTR) continue;
        e.client_gone = true;
        finished(e, 0);
        c.current.reset();
        close_conn(c);
        return;
      }
      c.out_done += static_cast<size_t>(w);
    }
    finished(e, c.body_bytes);
    c.current.reset();
    c.out_head.clear();
    if (!c.keep_alive) {
      // Shut our side and drain, so unread request bytes do not turn the
      // close into a reset that could destroy the answer in flight.
      ::shutdown(c.fd, SHUT_WR);
      c.state = State::Lingering;
      c.deadline = Clock::now() + kLingerTimeout;
      read_in(c);
      return;
    }
    c.state = State::Idle;
    c.head = ParsedHead();
    c.deadline = Clock::now() + options.idle_timeout;
    if (!read_in(c)) return;  // what arrived while the answer was made
    process_input(c);         // a pipelined request may be waiting
  }

  // Reads what has arrived; false when the connection was closed.
  bool read_in(Conn& c) {
    char buf[kReadChunk];
    for (;;) {
      const ssize_t r = ::recv(c.fd, buf, sizeof buf, 0);
      if (r > 0) {
        if (c.state == State::Lingering) continue;
        if (c.state == State::Upload && c.in.empty() && c.upload_left > 0) {
          // Straight to the file, so an upload holds one read in memory.
          const size_t n = std::min(static_cast<size_t>(r), c.upload_left);
          if (c.upload_error.empty() && !c.current->upload->write(std::string_view(buf, n)))
            c.upload_error = c.current->upload->error();  // answered by process_input; the rest is dropped
          c.upload_left -= n;
          c.in.append(buf + n, static_cast<size_t>(r) - n);  // a pipelined request's first bytes
          continue;
        }
        c.in.append(buf, static_cast<size_t>(r));
        // Never hold more than a head and a body (plus one read) per connection.
        if (c.in.size() > options.head.max_head + options.max_body_bytes + kReadChunk && c.state != State::Discard)
          return true;
        continue;
      }
      if (r == 0) {
        close_conn(c);
        return false;
      }
      if (errno == EAGAIN || errno == EWOULDBLOCK) return true;
      if (errno == EINTR) continue;
      close_conn(c);
      return false;
    }
  }

  void process_input(Conn& c) {
    size_t used = 0;
    for (;;) {
      const std::string_view pending = std::string_view(c.in).substr(used);
      if (c.state == State::Idle || c.state == State::Head) {
        if (pending.empty()) break;
        if (c.state == State::Idle) {
          c.state = State::Head;
          c.deadline = Clock::now() + options.header_timeout;
        }
        auto x = std::make_shared<Exchange>();
        ParsedHead h = parse_request_head(pending, options.head, x->req);
        if (h.state == ParsedHead::State::Incomplete) break;
        x->started = Clock::now();
        x->req.remote_addr = c.remote_addr;
        x->req.remote_port = c.remote_port;
        x->req.local_addr = c.local_addr;
        x->req.local_port = c.local_port;
        x->connection = c.id;
        c.head = h;
        c.current = x;
        ++c.requests;
        if (h.state == ParsedHead::State::Bad) {
          c.in.clear();
          answer_error(c, h.status, h.message);
          return;
        }
        used += h.head_bytes;
        x->head_only = x->req.method == "HEAD";
        const bool upload = options.streams_body && options.streams_body(x->req);
        const size_t limit = upload ? options.max_upload_bytes : options.max_body_bytes;
        if (h.content_length > limit) {
          const std::string message =
              upload ? "the upload is " + std::to_string(h.content_length) + " bytes, more than the server's limit of " +
                           std::to_string(limit) + " bytes (atalaya serve --max-upload-mb)"
                     : "body: " + std::to_string(h.content_length) + " bytes, more than the limit of " +
                           std::to_string(limit);
          if (upload || h.content_length > kMaxDiscard) {
            c.in.clear();
            answer_error(c, 413, message);
            return;
          }
          c.state = State::Discard;
          c.discard_left = h.content_length;
          c.deadline = Clock::now() + options.body_timeout;
          continue;
        }
        if (upload) {
          try {
            x->upload = std::make_shared<UploadFile>(options.upload_dir);
          } catch (const std::exception& e) {
            c.in.clear();
            answer_error(c, 503, e.what());
            return;
          }
          c.state = State::Upload;
          c.upload_left = h.content_length;
          c.upload_error.clear();
          c.deadline = Clock::now() + options.upload_timeout;
        } else {
          c.state = State::Body;
          c.deadline = Clock::now() + options.body_timeout;
        }
        if (h.expect_continue && c.in.size() - used < h.content_length) {
          static const char kContinue[] = "HTTP/1.1 100 Continue\r\n\r\n";
          ::send(c.fd, kContinue, sizeof kContinue - 1, MSG_NOSIGNAL);  // best effort: the client sends anyway after a wait
        }
        continue;
      }
      if (c.state == State::Discard) {
        const size_t n = std::min(pending.size(), c.discard_left);
        used += n;
        c.discard_left -= n;
        if (c.discard_left > 0) break;
        c.in.erase(0, used);
        answer_error(c, 413, "body: more than the limit of " + std::to_string(options.max_body_bytes) + " bytes");
        return;
      }
      if (c.state == State::Upload) {
        const size_t n = std::min(pending.size(), c.upload_left);
        if (n && c.upload_error.empty() && !c.current->upload->write(pending.substr(0, n)))
          c.upload_error = c.current->upload->error();
        used += n;
        c.upload_left -= n;
        if (c.upload_left > 0) break;
        c.in.erase(0, used);
        used = 0;
        if (!c.upload_error.empty()) {
          answer_error(c, 507, "the server could not keep the upload (" + c.upload_error + "); try again later");
          return;
        }
        c.state = State::Dispatched;
        c.current->deadline = Clock::now() + options.upload_timeout;
        dispatch(c.current);
        return;
      }
      if (c.state == State::Body) {
        if (pending.size() < c.head.content_length) break;
        c.current->req.body = std::string(pending.substr(0, c.head.content_length));
        used += c.head.content_length;
        c.in.erase(0, used);
        used = 0;
        c.state = State::Dispatched;
        c.current->deadline = Clock::now() + options.request_timeout;
        dispatch(c.current);
        return;
      }
      break;
    }
    if (used) c.in.erase(0, used);
  }

  void on_event(int fd, uint32_t events) {
    auto it = conns.find(fd);
    if (it == conns.end()) return;
    Conn& c = *it->second;
    if (c.state == State::Dispatched) {
      // Only the client's close matters now (what else it sends waits in
      // the socket until the answer is written).
      if (events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) close_conn(c);  // the client went away: stop the work
      return;
    }
    if (c.state == State::Writing) {
      if (events & (EPOLLHUP | EPOLLERR)) {
        c.current->client_gone = true;
        finished(*c.current, 0);
        c.current.reset();
        close_conn(c);
        return;
      }
      if (events & EPOLLOUT) write_some(c);
      return;
    }
    if (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)) {
      if (!read_in(c)) return;
      if (c.state == State::Lingering) return;
      process_input(c);
    }
  }

  void on_finished() {
    std::vector<std::shared_ptr<Exchange>> ready;
    {
      std::lock_guard lock(done_mu);
      ready.swap(done);
    }
    for (auto& x : ready) {
      auto it = by_id.find(x->connection);
      if (x->timed_out) continue;  // the front answered 503 (and logged it) at the deadline
      if (it == by_id.end() || it->second->current != x || it->second->state != State::Dispatched) {
        x->client_gone = true;
        finished(*x, 0);
        continue;
      }
      start_write(*it->second, x);
    }
  }

  void check_deadlines() {
    const auto now = Clock::now();
    std::vector<Conn*> late;
    for (auto& [fd, c] : conns) {
      if (c->state == State::Dispatched ? c->current->deadline < now : c->deadline < now) late.push_back(c.get());
    }
    for (Conn* c : late) {
      switch (c->state) {
        case State::Idle:
        case State::Writing:
        case State::Lingering:
          if (c->state == State::Writing) {
            c->current->client_gone = true;
            finished(*c->current, 0);
            c->current.reset();
          }
          close_conn(*c);
          break;
        case State::Head:
          if (c->in.empty()) {
            close_conn(*c);  // never said anything
            break;
          }
          c->in.clear();
          c->current.reset();
          answer_error(*c, 408, "the request head did not arrive within " +
                                     std::to_string(options.header_timeout.count() / 1000.0).substr(0, 4) + " s");
          break;
        case State::Body:
        case State::Discard:
        case State::Upload: {
          c->in.clear();
          const Millis allowed = c->state == State::Upload ? options.upload_timeout : options.body_timeout;
          answer_error(*c, 408, std::string(c->state == State::Upload ? "the upload" : "the request body") +
                                     " did not arrive within " + seconds_text(allowed) + " s");
          break;
        }
        case State::Dispatched: {
          // Tell the work to stop, and answer now on a fresh exchange.
          auto late_one = c->current;
          late_one->timed_out = true;
          late_one->cancelled = true;
          auto x = std::make_shared<Exchange>();
          x->req.method = late_one->req.method;
          x->req.path = late_one->req.path;
          x->req.params = late_one->req.params;
          x->req.remote_addr = late_one->req.remote_addr;
          x->started = late_one->started;
          x->connection = c->id;
          c->current = x;
          answer_error(*c, 503, "the answer took longer than the server's limit of " +
                                    seconds_text(late_one->upload ? options.upload_timeout : options.request_timeout) +
                                    " s; try again later");
          break;
        }
      }
    }
  }
};

HttpFront::HttpFront(FrontOptions options, Dispatch dispatch, Finished finished, ErrorAnswer error_answer)
    : loop_(std::make_unique<Loop>()) {
  loop_->options = options;
  loop_->dispatch = std::move(dispatch);
  loop_->finished = std::move(finished);
  loop_->error_answer = std::move(error_answer);
  loop_->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  loop_->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (loop_->epoll_fd < 0 || loop_->wake_fd < 0) throw std::runtime_error(std::string("epoll: ") + std::strerror(errno));
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = loop_->wake_fd;
  epoll_ctl(loop_->epoll_fd, EPOLL_CTL_ADD, loop_->wake_fd, &ev);
}

HttpFront::~HttpFront() {
  for (auto& [fd, c] : loop_->conns) ::close(fd);
  if (loop_->listen_fd >= 0) ::close(loop_->listen_fd);
  ::close(loop_->epoll_fd);
  ::close(loop_->wake_fd);
}

int HttpFront::bind(const std::string& host, int port) {
  // Room for every connection allowed, under the process's descriptor limit
  // (raised to its hard limit when that is lower), less some for the store and logs.
  rlimit files{};
  if (getrlimit(RLIMIT_NOFILE, &files) == 0) {
    const rlim_t wanted = static_cast<rlim_t>(loop_->options.max_connections) + 64;
    if (files.rlim_cur < wanted && files.rlim_cur < files.rlim_max) {
      files.rlim_cur = std::min(wanted, files.rlim_max);
      setrlimit(RLIMIT_NOFILE, &files);
    }
    if (files.rlim_cur != RLIM_INFINITY && files.rlim_cur < wanted)
      loop_->options.max_connections = files.rlim_cur > 128 ? static_cast<size_t>(files.rlim_cur) - 64 : 64;
  }

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  if (getaddrinfo(host.c_str(), service.c_str(), &hints, &found) != 0 || !found)
    throw std::runtime_error("cannot bind " + host + ": not an address or a known host name");
  std::string why;
  for (addrinfo* a = found; a; a = a->ai_next) {
    const int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, 1024) == 0) {
      loop_->listen_fd = fd;
      break;
    }
    why = std::strerror(errno);
    ::close(fd);
  }
  freeaddrinfo(found);
  if (loop_->listen_fd < 0)
    throw std::runtime_error("cannot bind " + host + ":" + service + " (" + why +
                             "; in use, or not an address of this machine?)");
  sockaddr_storage addr{};
  socklen_t len = sizeof addr;
  getsockname(loop_->listen_fd, reinterpret_cast<sockaddr*>(&addr), &len);
  int bound = port;
  address_of(addr, bound);
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.fd = loop_->listen_fd;
  epoll_ctl(loop_->epoll_fd, EPOLL_CTL_ADD, loop_->listen_fd, &ev);
  return bound;
}

void HttpFront::run() {
  Loop& l = *loop_;
  epoll_event events[256];
  auto next_check = Clock::now();
  while (!l.stopping) {
    const int n = epoll_wait(l.epoll_fd, events, 256, 100);
    for (int i = 0; i < n; ++i) {
      const int fd = events[i].data.fd;
      if (fd == l.listen_fd) l.accept_all();
      else if (fd == l.wake_fd) {
        uint64_t count;
        while (::read(l.wake_fd, &count, sizeof count) > 0) {
        }
        l.on_finished();
      } else {
        l.on_event(fd, events[i].events);
      }
    }
    if (Clock::now() >= next_check) {
      l.maybe_resume_accepting();
      l.check_deadlines();
      next_check = Clock::now() + Millis(100);
    }
  }
  // Stopped: close the door and every connection; workers still busy
  // finish into a queue no one reads.
  std::vector<Conn*> all;
  for (auto& [fd, c] : l.conns) all.push_back(c.get());
  for (Conn* c : all) l.close_conn(*c);
}

void HttpFront::stop() {
  loop_->stopping = true;
  const uint64_t one = 1;
  [[maybe_unused]] auto w = ::write(loop_->wake_fd, &one, sizeof one);
}

void HttpFront::finish(std::shared_ptr<Exchange> exchange) {
  bool first;
  {
    std::lock_guard lock(loop_->done_mu);
    first = loop_->done.empty();
    loop_->done.push_back(std::move(exchange));
  }
  // One wake-up per batch: the loop takes the whole list when it wakes.
  if (!first) return;
  const uint64_t one = 1;
  [[maybe_unused]] auto w = ::write(loop_->wake_fd, &one, sizeof one);
}

}  // namespace atalaya::serve
