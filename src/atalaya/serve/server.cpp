// The request path every API call takes (see server.h).
#include "atalaya/serve/server.h"

#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <regex>

#include "atalaya/core/error.h"
#include "atalaya/core/input_error.h"
#include "atalaya/core/messages.h"
#include "atalaya/core/text.h"
#include "atalaya/serve/access_log.h"
#include "atalaya/serve/api_error.h"
#include "atalaya/serve/delivery_worker.h"
#include "atalaya/serve/error_status.h"
#include "atalaya/serve/gzip.h"
#include "atalaya/serve/response_cache.h"

namespace atalaya::serve {
namespace {

// Set by the pre-routing handler and read by the logger; httplib handles a
// request start to end on one thread.
thread_local std::chrono::steady_clock::time_point t_request_start;
thread_local const char* t_cache_state = "";

constexpr size_t kCompressAbove = 1024;  // smaller answers gain nothing from gzip

std::string error_body(int status, const std::string& parameter, const std::string& message) {
  nlohmann::json j;
  j["error"] = {{"status", status},
                {"parameter", parameter.empty() ? nlohmann::json(nullptr) : nlohmann::json(parameter)},
                {"message", message}};
  return j.dump();
}

const char* status_words(int status) {
  switch (status) {
    case 400: return "bad request";
    case 404: return "no such path (the API is under /api/v1; see /api/v1/openapi.json)";
    case 405: return "method not allowed here";
    case 401: return "an editor's access token is needed";
    case 413: return "request body too large";
    case 414: return "request URI too long";
    case 422: return "the query is too costly to answer";
    default: return status >= 500 ? "internal error" : "request failed";
  }
}

// "/api/v1/alerts/{id}/resolve" -> "/api/v1/alerts/([^/]+)/resolve"
std::string path_regex(const std::string& path) {
  return std::regex_replace(path, std::regex(R"(\{[^}]+\})"), "([^/]+)");
}

// The language a request asks for: ?lang=en|es, else Accept-Language.
Language request_language(const httplib::Request& req) {
  if (req.has_param("lang")) {
    const std::string given = req.get_param_value("lang");
    auto lang = parse_language(given);
    if (!lang || given.size() > 16)
      throw ApiError(400, "lang", "lang: '" + echoed_value(given) + "' is not a supported language (expected en or es)");
    return *lang;
  }
  return negotiate_language(req.get_header_value("Accept-Language"));
}

// The query in a canonical order, for the cache key.
std::string canonical_query(const httplib::Params& params) {
  std::vector<std::pair<std::string, std::string>> v(params.begin(), params.end());
  std::stable_sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.first < b.first; });
  std::string out;
  for (auto& [k, x] : v) out += (out.empty() ? "" : "&") + k + "=" + x;
  return out;
}

// Any listed tag, weak (W/"...") or strong, naming either form of the answer.
bool etag_matches(const std::string& if_none_match, const CachedAnswer& a) {
  if (if_none_match.empty()) return false;
  if (if_none_match == "*") return true;
  return if_none_match.find(a.etag) != std::string::npos || if_none_match.find(a.gzip_etag) != std::string::npos;
}

std::vector<Route> load_routes(const std::string& dir) {
  std::vector<Route> routes;
  if (dir.empty() || !std::filesystem::is_directory(dir)) return routes;
  std::vector<std::filesystem::path> files;
  for (auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".toml") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  for (auto& f : files) routes.push_back(load_route_file(f.string()));
  return routes;
}

// Debian's compiled cpp-httplib listens with a backlog of 5
// (CPPHTTPLIB_LISTEN_BACKLOG is fixed inside the shared library), so a burst
// of new connections (64 clients starting at once) overflows the accept queue
// and the kernel drops SYNs that clients resend only a second later. Linux
// lets listen() be called again on a listening socket to change its backlog;
// the socket is found by its port among this process's descriptors.
void widen_listen_backlog(int port, int backlog) {
  for (int fd = 0; fd < 4096; ++fd) {
    sockaddr_storage addr{};
    socklen_t len = sizeof addr;
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) != 0) continue;
    int bound = -1;
    if (addr.ss_family == AF_INET) bound = ntohs(reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
    if (addr.ss_family == AF_INET6) bound = ntohs(reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port);
    int listening = 0;
    socklen_t optlen = sizeof listening;
    if (bound == port && ::getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &listening, &optlen) == 0 && listening)
      ::listen(fd, backlog);
  }
}

}  // namespace

struct ApiServer::Impl {
  ServerOptions options;
  StoreAccess store;
  SnapshotSource snapshots;
  std::vector<Route> routes;
  std::vector<Endpoint> endpoints;
  ResponseCache cache;
  Editors editors;
  AccessLog log;
  httplib::Server http;
  int port = 0;

  explicit Impl(ServerOptions o)
      : options(std::move(o)),
        store(open_store(options.db), open_alert_store(options.db)),
        snapshots(store, std::chrono::milliseconds(options.reload_check_ms)),
        routes(load_routes(options.routes_dir)),
        endpoints(all_endpoints()),
        cache(options.cache_bytes),
        editors(options.editors_file.empty() ? Editors() : Editors::load(options.editors_file)),
        log(options.access_log) {}

  void answer(const Endpoint& e, const httplib::Request& req, httplib::Response& res);
  void send(const httplib::Request& req, httplib::Response& res, const CachedAnswer& a, bool cacheable,
            bool localised);
  void setup();
};

void ApiServer::Impl::send(const httplib::Request& req, httplib::Response& res, const CachedAnswer& a,
                           bool cacheable, bool localised) {
  if (!a.disposition.empty()) res.set_header("Content-Disposition", a.disposition);
  if (localised && !cacheable) res.set_header("Vary", "Accept-Language");
  if (cacheable) {
    res.set_header("Cache-Control", "public, max-age=60");
    res.set_header("Vary", localised ? "Accept-Encoding, Accept-Language" : "Accept-Encoding");
    if (etag_matches(req.get_header_value("If-None-Match"), a)) {
      res.status = 304;
      res.set_header("ETag", a.etag);
      return;
    }
  } else {
    res.set_header("Cache-Control", "no-store");
  }
  if (!a.gzip_body.empty() && accepts_gzip(req.get_header_value("Accept-Encoding"))) {
    if (cacheable) res.set_header("ETag", a.gzip_etag);
    res.set_header("Content-Encoding", "gzip");
    res.set_content(a.gzip_body, a.content_type.c_str());
  } else {
    if (cacheable) res.set_header("ETag", a.etag);
    res.set_content(a.body, a.content_type.c_str());
  }
}

void ApiServer::Impl::answer(const Endpoint& e, const httplib::Request& req, httplib::Response& res) {
  // Open data: any web page may read it; changes stay same-origin (no
  // preflight is answered for POST).
  if (e.method == "GET") res.set_header("Access-Control-Allow-Origin", "*");
  try {
    std::shared_ptr<const Snapshot> data = snapshots.current();
    // An endpoint that takes `lang` answers in a language: the parameter's,
    // else the Accept-Language header's (English by default).
    const bool localised = e.localised;
    const Language lang = localised ? request_language(req) : Language::En;
    std::string key;
    if (e.cacheable) {
      // Only answers to checked parameters are cached, so a hit needs no check.
      key = e.method + " " + req.path + "?" + canonical_query(req.params);
      if (localised) key += "#" + std::string(language_code(lang));
      if (auto hit = cache.find(key, data->generation)) {
        t_cache_state = "hit";
        send(req, res, *hit, true, localised);
        return;
      }
      t_cache_state = "miss";
    }
    const RequestParams params(req.params, e.query);
    if (e.method == "POST" && req.body.size() > options.limits.max_body_bytes)
      throw ApiError(413, "body", "body: " + std::to_string(req.body.size()) + " bytes, more than the limit of " +
                                      std::to_string(options.limits.max_body_bytes));
    const std::string authorization = req.get_header_value("Authorization");
    ApiCall call{params, {}, req.body, authorization, {}, lang};
    // Behind a TLS-terminating proxy, X-Forwarded-Proto says the client's scheme.
    if (req.has_header("Host"))
      call.base_url = (req.get_header_value("X-Forwarded-Proto") == "https" ? "https://" : "http://") +
                      req.get_header_value("Host");
    for (size_t i = 1; i < req.matches.size(); ++i) call.path_args.push_back(req.matches[i].str());
    ApiContext ctx{data, store, snapshots, routes, options.limits, cache, editors};
    ApiAnswer a = e.handler(ctx, call);
    auto cached = std::make_shared<CachedAnswer>();
    cached->content_type = a.content_type;
    cached->disposition = a.disposition;
    cached->body = std::move(a.body);
    const bool cacheable = e.cacheable && a.status == 200;
    if (cacheable) {
      cached->etag = etag_of(cached->body);
      cached->gzip_etag = cached->etag.substr(0, cached->etag.size() - 1) + "-gz\"";
    }
    // httplib compresses text/* itself; JSON (with a charset) is ours to do.
    if (cached->content_type == kJsonType && cached->body.size() > kCompressAbove)
      cached->gzip_body = gzip(cached->body);
    res.status = a.status;
    if (cacheable) cache.put(key, data->generation, cached);
    send(req, res, *cached, cacheable, localised);
  } catch (const ApiError& err) {
    res.status = err.status();
    if (err.status() == 401) res.set_header("WWW-Authenticate", "Bearer realm=\"atalaya\"");
    res.set_content(error_body(err.status(), err.parameter(), err.what()), kJsonType);
  } catch (const Error& err) {
    // The library's errors say their kind and parameter: no message to read.
    res.status = status_of_error(err.code());
    if (res.status == 401) res.set_header("WWW-Authenticate", "Bearer realm=\"atalaya\"");
    if (res.status == 503) res.set_header("Retry-After", "1");
    if (res.status == 500) std::cerr << "atalaya serve: " << req.method << " " << req.path << ": " << err.what() << "\n";
    res.set_content(error_body(res.status, err.parameter(), err.what()), kJsonType);
  } catch (const std::invalid_argument& err) {
    res.status = 400;
    res.set_content(error_body(400, "", err.what()), kJsonType);
  } catch (const InputError& err) {
    res.status = 400;
    res.set_content(error_body(400, "", err.what()), kJsonType);
  } catch (const std::exception& err) {
    std::cerr << "atalaya serve: " << req.method << " " << req.path << ": " << err.what() << "\n";
    res.status = 500;
    res.set_content(error_body(500, "", std::string("internal error: ") + err.what()), kJsonType);
  }
}

void ApiServer::Impl::setup() {
  http.new_task_queue = [n = options.threads] { return new httplib::ThreadPool(static_cast<size_t>(n)); };
  http.set_keep_alive_max_count(1000);
  http.set_keep_alive_timeout(5);
  http.set_read_timeout(10);
  http.set_write_timeout(30);
  http.set_payload_max_length(options.limits.max_body_bytes);
  http.set_tcp_nodelay(true);

  http.set_pre_routing_handler([](const httplib::Request&, httplib::Response&) {
    t_request_start = std::chrono::steady_clock::now();
    t_cache_state = "";
    return httplib::Server::HandlerResponse::Unhandled;
  });
  http.set_logger([this](const httplib::Request& req, const httplib::Response& res) {
    AccessRecord r;
    r.remote = req.remote_addr;
    r.method = req.method;
    r.path = req.path;
    r.query = canonical_query(req.params);
    r.status = res.status;
    r.bytes = res.body.size();
    r.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_request_start).count();
    r.cache = t_cache_state;
    log.write(r);
  });
  // Errors httplib raises itself (unknown path, oversized body) get the same JSON.
  http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    std::string parameter = res.status == 413 ? "body" : "";
    std::string message = status_words(res.status);
    if (res.status == 404) message = req.path + ": " + message;
    res.set_content(error_body(res.status, parameter, message), kJsonType);
  });

  // Each endpoint's methods, and 405 for the others on the same path.
  std::map<std::string, std::vector<std::string>> methods_of;
  for (auto& e : endpoints) methods_of[e.path].push_back(e.method);
  for (auto& e : endpoints) {
    const std::string pattern = path_regex(e.path);
    auto handler = [this, &e](const httplib::Request& req, httplib::Response& res) { answer(e, req, res); };
    if (e.method == "GET") http.Get(pattern, handler);
    else http.Post(pattern, handler);
  }
  for (auto& [path, methods] : methods_of) {
    std::string allow;
    for (auto& m : methods) allow += (allow.empty() ? "" : ", ") + m;
    auto refuse = [allow](const httplib::Request& req, httplib::Response& res) {
      res.status = 405;
      res.set_header("Allow", allow);
      res.set_content(error_body(405, "", req.method + " " + req.path + ": not allowed (allowed: " + allow + ")"),
                      kJsonType);
    };
    const std::string pattern = path_regex(path);
    const bool get = std::count(methods.begin(), methods.end(), "GET");
    const bool post = std::count(methods.begin(), methods.end(), "POST");
    if (!get) http.Get(pattern, refuse);
    if (!post) http.Post(pattern, refuse);
    http.Put(pattern, refuse);
    http.Delete(pattern, refuse);
    http.Patch(pattern, refuse);
  }

  if (!options.web_dir.empty() && std::filesystem::is_directory(options.web_dir)) {
    http.set_mount_point("/", options.web_dir);
    http.set_file_request_handler([](const httplib::Request& req, httplib::Response& res) {
      // Vite names built assets by content hash: they never change.
      if (req.path.rfind("/assets/", 0) == 0) res.set_header("Cache-Control", "public, max-age=31536000, immutable");
      else res.set_header("Cache-Control", "no-cache");
    });
  } else {
    http.Get("/", [dir = options.web_dir](const httplib::Request&, httplib::Response& res) {
      res.set_content("<!doctype html><meta charset=utf-8><title>Atalaya</title><p>The dashboard is not built (" +
                          (dir.empty() ? std::string("no --web directory") : dir + " not found") +
                          "): run <code>make web</code>. The API is at <a href=/api/v1/openapi.json>/api/v1</a>.",
                      "text/html; charset=utf-8");
    });
  }
}

ApiServer::ApiServer(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) { impl_->setup(); }

ApiServer::~ApiServer() { stop(); }

int ApiServer::bind() {
  if (impl_->options.port == 0) {
    impl_->port = impl_->http.bind_to_any_port(impl_->options.bind);
    if (impl_->port < 0) throw std::runtime_error("cannot bind " + impl_->options.bind + " on any port");
  } else {
    if (!impl_->http.bind_to_port(impl_->options.bind, impl_->options.port))
      throw std::runtime_error("cannot bind " + impl_->options.bind + ":" + std::to_string(impl_->options.port) +
                               " (in use, or not an address of this machine?)");
    impl_->port = impl_->options.port;
  }
  widen_listen_backlog(impl_->port, 1024);
  return impl_->port;
}

void ApiServer::listen() {
  std::unique_ptr<DeliveryWorker> worker;
  const ServerOptions& o = impl_->options;
  if (!o.webhooks.empty() && o.deliver_every.count() > 0) {
    worker = std::make_unique<DeliveryWorker>(o.db, o.webhooks, o.deliver_every,
                                              [](const std::string& m) { std::cerr << "atalaya serve: " << m << std::endl; });
    worker->start();
  }
  impl_->http.listen_after_bind();
  // stop() may run in a signal handler, so the worker is stopped here, after listening ends.
  if (worker) worker->stop();
}

void ApiServer::stop() {
  if (impl_->http.is_running()) impl_->http.stop();
}

const std::vector<Endpoint>& ApiServer::endpoints() const { return impl_->endpoints; }

ApiAnswer json_answer(const nlohmann::json& j) {
  ApiAnswer a;
  a.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return a;
}

std::vector<Endpoint> all_endpoints() {
  std::vector<Endpoint> all;
  for (auto group : {catalogue_endpoints, series_endpoints, analysis_endpoints, alert_endpoints}) {
    auto part = group();
    all.insert(all.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
  }
  return all;
}

}  // namespace atalaya::serve
