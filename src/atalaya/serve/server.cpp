// The request path every API call takes (see server.h).
#include "atalaya/serve/server.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <regex>
#include <thread>
#include <unordered_map>

#include "atalaya/core/error.h"
#include "atalaya/core/input_error.h"
#include "atalaya/core/messages.h"
#include "atalaya/core/text.h"
#include "atalaya/serve/access_log.h"
#include "atalaya/serve/api_error.h"
#include "atalaya/serve/change_listener.h"
#include "atalaya/serve/delivery_worker.h"
#include "atalaya/serve/gzip.h"
#include "atalaya/serve/http_status.h"
#include "atalaya/serve/notification_worker.h"
#include "atalaya/serve/request_access.h"
#include "atalaya/serve/request_identity.h"
#include "atalaya/serve/response_cache.h"
#include "atalaya/serve/static_files.h"
#include "atalaya/serve/worker_pool.h"
#include "atalaya/serve/write_guard.h"

namespace atalaya::serve {
namespace {

constexpr size_t kCompressAbove = 1024;  // smaller answers gain nothing from gzip

// The one JSON error shape. A refusal (401, 403) names the right missing.
std::string error_body(int status, const std::string& parameter, const std::string& message,
                       const std::string& missing_right = "") {
  nlohmann::json j;
  j["error"] = {{"status", status},
                {"parameter", parameter.empty() ? nlohmann::json(nullptr) : nlohmann::json(parameter)},
                {"message", message}};
  if (!missing_right.empty()) j["error"]["missing_right"] = missing_right;
  return j.dump();
}

const char* status_words(int status) {
  switch (status) {
    case 400: return "bad request";
    case 404: return "no such path (the API is under /api/v1; see /api/v1/openapi.json)";
    case 405: return "method not allowed here";
    case 401: return "who is asking is not known (sign in, or send a personal token)";
    case 408: return "the request did not arrive in time";
    case 413: return "request body too large";
    case 414: return "request URI too long";
    case 431: return "request header fields too large";
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

// Every answer: no content sniffing; HTML (the dashboard) may load only its
// own scripts, styles and data, and no site may frame it.
constexpr const char* kDashboardPolicy =
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

// Expensive work runs at a lower priority than the cheap pool and the front.
constexpr int kExpensiveNice = 10;

void security_headers(httplib::Response& res) {
  res.set_header("X-Content-Type-Options", "nosniff");
  if (res.get_header_value("Content-Type").rfind("text/html", 0) == 0) {
    res.set_header("Content-Security-Policy", kDashboardPolicy);
    res.set_header("Referrer-Policy", "no-referrer");
  }
}

void busy_answer(httplib::Response& res, const std::string& message) {
  res.status = 503;
  res.set_header("Retry-After", std::to_string(kRetryAfterSeconds));
  res.set_content(error_body(503, "", message), kJsonType);
}

}  // namespace

struct ApiServer::Impl {
  ServerOptions options;
  StoreAccess store;
  SnapshotSource snapshots;
  std::vector<Route> routes;
  std::vector<Endpoint> endpoints;
  std::vector<std::regex> patterns;                         // endpoints[i]'s path
  std::vector<std::pair<std::regex, std::string>> allowed;  // each path's methods, for 405
  ResponseCache cache;
  AuditWriter audit;
  Gatekeeper gate;
  WritePolicy writes;
  std::unique_ptr<StaticFiles> files;
  AccessLog log;
  int port = 0;
  // The pools are destroyed before the front, so work still running
  // finishes into a live front.
  HttpFront front;
  WorkerPool cheap, expensive;
  // Cacheable expensive misses being computed, by cache key, with the
  // exchanges that asked the same meanwhile: they wait for the first one's
  // answer (then found in the cache) instead of each taking a place on the
  // expensive pool. After a reload empties the cache, 64 clients asking the
  // same series would otherwise fill the pool's queue and get 503s.
  std::mutex computing_mutex;
  std::unordered_map<std::string, std::vector<std::shared_ptr<Exchange>>> computing;
  void computed(const std::string& key);

  explicit Impl(ServerOptions o)
      : options(std::move(o)),
        store(open_store(options.db), open_alert_store(options.db), process::open_process_store(options.db)),
        snapshots(store, std::chrono::milliseconds(options.reload_check_ms)),
        routes(load_routes(options.routes_dir)),
        endpoints(all_endpoints()),
        cache(options.cache_bytes),
        audit(options.audit),
        gate(GateOptions{options.accounts,
                         options.editors_file.empty() ? Editors() : Editors::load(options.editors_file),
                         options.trusted_proxies, options.secure_cookies},
             audit),
        writes(write_policy(options.bind, options.public_hosts, options.public_origins)),
        log(options.access_log),
        front(front_options(options), [this](std::shared_ptr<Exchange> x) { dispatch(std::move(x)); },
              [this](const Exchange& x, size_t bytes) {
                if (!x.logged) record(x, bytes);
              },
              [](int status, const std::string& message, httplib::Response& res) {
                res.set_content(error_body(status, status == 413 ? "body" : "", message), kJsonType);
                if (status == 503) res.set_header("Retry-After", std::to_string(kRetryAfterSeconds));
                security_headers(res);
              }),
        cheap(options.threads, 4096),
        expensive(expensive_threads(options), static_cast<size_t>(std::max(0, options.expensive_queue)),
                  kExpensiveNice) {
    options.uploads.store = options.db;
    if (!options.web_dir.empty() && std::filesystem::is_directory(options.web_dir))
      files = std::make_unique<StaticFiles>(options.web_dir);
    std::map<std::string, std::string> methods_of;
    for (auto& e : endpoints) {
      patterns.emplace_back(path_regex(e.path));
      std::string& allow = methods_of[e.path];
      allow += (allow.empty() ? "" : ", ") + e.method;
    }
    for (auto& [path, allow] : methods_of) allowed.emplace_back(std::regex(path_regex(path)), allow);
  }

  FrontOptions front_options(const ServerOptions& o) {
    FrontOptions f = o.front;
    f.max_body_bytes = o.limits.max_body_bytes;
    f.upload_dir = o.uploads.dir;
    // On the front's thread, from the head: is this request an upload?
    f.streams_body = [this](const httplib::Request& req) {
      if (req.method != "POST") return false;
      for (size_t i = 0; i < endpoints.size(); ++i)
        if (endpoints[i].upload && endpoints[i].method == "POST" && std::regex_match(req.path, patterns[i])) return true;
      return false;
    };
    return f;
  }
  static int expensive_threads(const ServerOptions& o) {
    return o.expensive_threads > 0 ? o.expensive_threads
                                   : static_cast<int>(std::max(2u, std::thread::hardware_concurrency()));
  }

  void dispatch(std::shared_ptr<Exchange> x);
  void handle(const std::shared_ptr<Exchange>& x);
  void finish(const std::shared_ptr<Exchange>& x) {
    security_headers(x->res);
    // The access log line is written here, on the worker, to keep the
    // front's one thread free; the front logs only what it answers itself
    // (a 408, a 503 at the deadline).
    if (!x->timed_out) {
      record(*x, x->head_only || x->res.status == 304 ? 0 : x->res.body.size());
      x->logged = true;
    }
    front.finish(x);
  }
  void record(const Exchange& x, size_t bytes);
  // False when the answer must be computed on the expensive pool.
  bool answer(const Endpoint& e, Exchange& x, bool on_expensive_pool);
  void send(const httplib::Request& req, httplib::Response& res, const CachedAnswer& a, bool cacheable,
            bool localised, bool personal = false);
  // The caller's right to this call, before the cache and the handler.
  // Sets `read` to the audit line's action and object when the call reads
  // data that is not public.
  void admit(const Endpoint& e, const httplib::Request& req, const RequestAccess& who,
             std::pair<std::string, std::string>& read);
  void not_found(const httplib::Request& req, httplib::Response& res);
  void audit_outcome(const Endpoint& e, const Exchange& x, const std::optional<RequestAccess>& who,
                     const std::pair<std::string, std::string>& read);
};

void ApiServer::Impl::send(const httplib::Request& req, httplib::Response& res, const CachedAnswer& a,
                           bool cacheable, bool localised, bool personal) {
  if (!a.disposition.empty()) res.set_header("Content-Disposition", a.disposition);
  if (localised && !cacheable) res.set_header("Vary", "Accept-Language");
  if (cacheable) {
    // An answer computed for someone who may read what is not public is
    // kept out of shared caches (a proxy's), and the browser asks again
    // (a 304 when unchanged) so it is not shown after signing out.
    res.set_header("Cache-Control", personal ? "private, no-cache" : "public, max-age=60");
    res.set_header("Vary", localised ? "Accept-Encoding, Accept-Language" : "Accept-Encoding");
    if (etag_matches(req.get_header_value("If-None-Match"), a)) {
      res.status = 304;
      res.set_header("ETag", a.etag);
      return;
    }
  } else {
    res.set_header("Cache-Control", "no-store");
  }
  // API answers ignore Range (200 and the whole body): they are computed,
  // not files, and a multi-range answer could be many times their size.
  if (!a.gzip_body.empty() && accepts_gzip(req.get_header_value("Accept-Encoding"))) {
    if (cacheable) res.set_header("ETag", a.gzip_etag);
    res.set_header("Content-Encoding", "gzip");
    res.set_content(a.gzip_body, a.content_type.c_str());
  } else {
    if (cacheable) res.set_header("ETag", a.etag);
    res.set_content(a.body, a.content_type.c_str());
  }
}

void ApiServer::Impl::admit(const Endpoint& e, const httplib::Request& req, const RequestAccess& who,
                            std::pair<std::string, std::string>& read) {
  access::Right needed = e.right;
  std::string object;
  if (!e.restricted_by.empty() && req.has_param(e.restricted_by)) {
    if (needed == access::Right::ReadPublished) needed = access::Right::ReadRestricted;
    object = e.restricted_by + ":" + req.get_param_value(e.restricted_by).substr(0, 100);
  }
  // A right held in some scope (a focal point's report_commitments) admits
  // the call; the handler checks each scope it touches (call.access->require).
  const auto held = access::held_rights(who.principal);
  if (std::find(held.begin(), held.end(), needed) == held.end()) who.require(needed);
  if (e.method != "GET" && !e.signs_in) who.check_csrf(req);
  if (e.method == "GET" && needed != access::Right::ReadPublished)
    read = {e.action.empty() ? "read " + e.path : e.action, object};
}

bool ApiServer::Impl::answer(const Endpoint& e, Exchange& x, bool on_expensive_pool) {
  const httplib::Request& req = x.req;
  httplib::Response& res = x.res;
  // Open data: any web page may read it; changes stay same-origin (no
  // preflight is answered for POST).
  if (e.method == "GET") res.set_header("Access-Control-Allow-Origin", "*");
  std::optional<RequestAccess> who;
  std::pair<std::string, std::string> read;  // a read of non-public data: action, object
  try {
    if (e.method != "GET") check_write(req, writes, e.upload);
    who = gate.identify(req, e.signs_in);
    admit(e, req, *who, read);
    std::shared_ptr<const Snapshot> data = snapshots.current();
    // An endpoint that takes `lang` answers in a language: the parameter's,
    // else the Accept-Language header's (English by default).
    const bool localised = e.localised;
    const Language lang = localised ? request_language(req) : Language::En;
    // Whoever may read what is not public gets answers of their own: the
    // cache never hands one to the public, nor a proxy's cache to anyone.
    const bool personal = who->accounts && who->may(access::Right::ReadRestricted);
    std::string key;
    if (e.cacheable) {
      // Only answers to checked parameters are cached, so a hit needs no check.
      key = e.method + " " + req.path + "?" + canonical_query(req.params);
      if (localised) key += "#" + std::string(language_code(lang));
      if (personal) key += "#restricted";
      if (auto hit = cache.find(key, data->generation)) {
        x.cache_state = "hit";
        send(req, res, *hit, true, localised, personal);
        if (!read.first.empty()) who->record(read.first, read.second, "ok");
        return true;
      }
      x.cache_state = "miss";
      x.cache_key = key;
    }
    const RequestParams params(req.params, e.query);
    if (e.expensive && !on_expensive_pool) return false;
    ApiCall call{params, {}, req.body, {}, lang};
    call.cancelled = &x.cancelled;
    call.upload = x.upload.get();
    if (e.upload) call.content_type = req.get_header_value("Content-Type");
    call.access = &*who;
    // Behind a TLS-terminating proxy, X-Forwarded-Proto says the client's scheme.
    if (req.has_header("Host"))
      call.base_url = (req.get_header_value("X-Forwarded-Proto") == "https" ? "https://" : "http://") +
                      req.get_header_value("Host");
    for (size_t i = 1; i < req.matches.size(); ++i) call.path_args.push_back(req.matches[i].str());
    ApiContext ctx{data, store, snapshots, routes, options.limits, cache, options.uploads, gate};
    ApiAnswer a = e.handler(ctx, call);
    auto cached = std::make_shared<CachedAnswer>();
    cached->content_type = a.content_type;
    cached->disposition = a.disposition;
    cached->body = std::move(a.body);
    const bool cacheable = e.cacheable && a.status == 200 && a.headers.empty();
    if (cacheable) {
      cached->etag = etag_of(cached->body);
      cached->gzip_etag = cached->etag.substr(0, cached->etag.size() - 1) + "-gz\"";
    }
    if (cached->body.size() > kCompressAbove &&
        (cached->content_type == kJsonType || cached->content_type.rfind("text/", 0) == 0))
      cached->gzip_body = gzip(cached->body);
    res.status = a.status;
    for (auto& [name, value] : a.headers) res.set_header(name, value);
    if (cacheable) cache.put(key, data->generation, cached);
    send(req, res, *cached, cacheable, localised, personal);
  } catch (const ApiError& err) {
    res.status = err.status();
    if (err.status() == 401) res.set_header("WWW-Authenticate", "Bearer realm=\"atalaya\"");
    if (err.status() == 503) res.set_header("Retry-After", std::to_string(kRetryAfterSeconds));
    if (err.retry_after() > 0) res.set_header("Retry-After", std::to_string(err.retry_after()));
    res.set_content(error_body(err.status(), err.parameter(), err.what()), kJsonType);
  } catch (const Error& err) {
    // The library's one error type: its code says the status.
    const int status = http_status(err.code());
    if (x.cancelled) x.stopped_early = true;
    res.status = status;
    if (status == 503) res.set_header("Retry-After", std::to_string(kRetryAfterSeconds));
    if (status == 401) res.set_header("WWW-Authenticate", "Bearer realm=\"atalaya\"");
    if (status == 500) std::cerr << "atalaya serve: " << req.method << " " << req.path << ": " << err.what() << "\n";
    const auto* refused = dynamic_cast<const access::Refused*>(&err);
    res.set_content(error_body(status, err.parameter(), err.what(), refused ? refused->missing : ""), kJsonType);
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
  audit_outcome(e, x, who, read);
  return true;
}

// The audit lines of an answered call: its read of non-public data, and a
// change refused for want of a credential or a right (sign-in records its
// own attempts in the account store).
void ApiServer::Impl::audit_outcome(const Endpoint& e, const Exchange& x, const std::optional<RequestAccess>& who,
                                    const std::pair<std::string, std::string>& read) {
  const int status = x.res.status;
  if (!read.first.empty() && who)
    who->record(read.first, read.second, status < 400 ? "ok" : status >= 500 ? "failed" : "refused");
  if (e.method == "GET" || e.signs_in || (status != 401 && status != 403) || !audit.enabled()) return;
  std::string object;
  const size_t dot = e.action.find('.');
  if (dot != std::string::npos && x.req.matches.size() > 1)
    object = e.action.substr(0, dot) + ":" + x.req.matches[1].str().substr(0, 100);
  nlohmann::json detail = {{"status", status}};
  try {
    const nlohmann::json error = nlohmann::json::parse(x.res.body)["error"];
    detail["reason"] = error["message"];
    if (error.contains("missing_right")) detail["missing_right"] = error["missing_right"];
  } catch (const std::exception&) {
  }
  if (who) {
    who->record(e.action.empty() ? e.method + " " + e.path : e.action, object, "denied", detail.dump());
  } else {
    RequestAccess anonymous;
    anonymous.principal = access::Principal::anonymous(client_origin(x.req, options.trusted_proxies));
    anonymous.audit = &audit;
    anonymous.record(e.action.empty() ? e.method + " " + e.path : e.action, object, "denied", detail.dump());
  }
}

void ApiServer::Impl::not_found(const httplib::Request& req, httplib::Response& res) {
  res.status = 404;
  res.set_content(error_body(404, "", req.path + ": " + status_words(404)), kJsonType);
}

// On the front's thread: hand on at once.
void ApiServer::Impl::dispatch(std::shared_ptr<Exchange> x) {
  if (!cheap.try_submit([this, x] { handle(x); })) {
    busy_answer(x->res, "the server has more requests waiting than it takes; try again shortly");
    finish(x);
  }
}

// The answer for `key` is in the cache now (or could not be made): the
// requests that waited for it are handled again, each finding it there or,
// when it was not cached (an error, a newer generation), computing it.
void ApiServer::Impl::computed(const std::string& key) {
  std::vector<std::shared_ptr<Exchange>> waiting;
  {
    std::lock_guard<std::mutex> lock(computing_mutex);
    auto it = computing.find(key);
    if (it == computing.end()) return;
    waiting = std::move(it->second);
    computing.erase(it);
  }
  for (auto& w : waiting) {
    w->cache_key.clear();
    dispatch(w);
  }
}

// On a cheap worker: route, answer, or hand an expensive miss on.
void ApiServer::Impl::handle(const std::shared_ptr<Exchange>& x) {
  httplib::Request& req = x->req;
  httplib::Response& res = x->res;
  res.status = 200;
  const std::string method = req.method == "HEAD" ? "GET" : req.method;
  if (req.path.rfind("/api/", 0) == 0) {
    for (size_t i = 0; i < endpoints.size(); ++i) {
      const Endpoint& e = endpoints[i];
      if (e.method != method) continue;
      if (e.path.find('{') == std::string::npos ? req.path != e.path
                                                 : !std::regex_match(req.path, req.matches, patterns[i]))
        continue;
      if (answer(e, *x, false)) return finish(x);
      // An expensive answer not in the cache: computed on the small pool,
      // or refused now when that pool and its queue are full; a request
      // for an answer already being computed waits for it.
      const std::string key = x->cache_key;
      if (!key.empty()) {
        std::lock_guard<std::mutex> lock(computing_mutex);
        auto [it, first] = computing.try_emplace(key);
        if (!first) {
          it->second.push_back(x);
          return;
        }
      }
      const bool taken = expensive.try_submit([this, x, &e, key] {
        if (!x->cancelled) answer(e, *x, true);
        finish(x);
        if (!key.empty()) computed(key);
      });
      if (!taken) {
        busy_answer(res, "the server is computing as many back-tests, forecasts and series as it takes at once; try "
                         "again in " + std::to_string(kRetryAfterSeconds) + " s (cached answers are served meanwhile)");
        finish(x);
        if (!key.empty()) computed(key);
      }
      return;
    }
    for (auto& [pattern, allow] : allowed) {
      if (!std::regex_match(req.path, pattern)) continue;
      res.status = 405;
      res.set_header("Allow", allow);
      res.set_content(error_body(405, "", req.method + " " + req.path + ": not allowed (allowed: " + allow + ")"),
                      kJsonType);
      return finish(x);
    }
    not_found(req, res);
    return finish(x);
  }
  if (method == "GET") {
    if (files && files->answer(req, res)) return finish(x);
    if (!files && req.path == "/") {
      res.set_content("<!doctype html><meta charset=utf-8><title>Atalaya</title><p>The dashboard is not built (" +
                          (options.web_dir.empty() ? std::string("no --web directory") : options.web_dir + " not found") +
                          "): run <code>make web</code>. The API is at <a href=/api/v1/openapi.json>/api/v1</a>.",
                      "text/html; charset=utf-8");
      return finish(x);
    }
  }
  not_found(req, res);
  finish(x);
}

void ApiServer::Impl::record(const Exchange& x, size_t bytes) {
  AccessRecord r;
  r.remote = x.req.remote_addr;
  r.method = x.req.method;
  r.path = x.req.path;
  r.query = canonical_query(x.req.params);
  r.status = x.client_gone ? 499 : x.res.status;  // 499: the client closed the connection first (as nginx logs it)
  r.bytes = bytes;
  r.ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - x.started).count();
  r.cache = x.cache_state;
  r.abandoned = x.client_gone && x.stopped_early;
  log.write(r);
}

ApiServer::ApiServer(ServerOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}

ApiServer::~ApiServer() { stop(); }

int ApiServer::bind() {
  impl_->port = impl_->front.bind(impl_->options.bind, impl_->options.port);
  return impl_->port;
}

void ApiServer::listen() {
  std::unique_ptr<DeliveryWorker> worker;
  std::unique_ptr<ChangeListener> listener;
  if (sql::is_postgres_uri(impl_->options.db)) {
    // Reloaded here, on the listener's thread, so the next request finds it done.
    listener = std::make_unique<ChangeListener>(impl_->options.db, [this] {
      impl_->snapshots.invalidate();
      impl_->snapshots.current();
    });
    listener->start();
  }
  const ServerOptions& o = impl_->options;
  if (!o.webhooks.empty() && o.deliver_every.count() > 0) {
    worker = std::make_unique<DeliveryWorker>(o.db, o.webhooks, o.deliver_every,
                                              [](const std::string& m) { std::cerr << "atalaya serve: " << m << std::endl; });
    worker->start();
  }
  std::unique_ptr<NotificationWorker> notices;
  if (o.notices && o.deliver_every.count() > 0) {
    notices = std::make_unique<NotificationWorker>(
        o.db, *o.notices, o.deliver_every, [](const std::string& m) { std::cerr << "atalaya serve: " << m << std::endl; });
    notices->start();
  }
  impl_->front.run();
  // stop() may run in a signal handler, so the workers are stopped here, after listening ends.
  if (notices) notices->stop();
  if (worker) worker->stop();
  if (listener) listener->stop();
}

void ApiServer::stop() { impl_->front.stop(); }

const std::vector<Endpoint>& ApiServer::endpoints() const { return impl_->endpoints; }

ApiAnswer json_answer(const nlohmann::json& j) {
  ApiAnswer a;
  a.body = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return a;
}

std::vector<Endpoint> all_endpoints() {
  std::vector<Endpoint> all;
  for (auto group : {catalogue_endpoints, series_endpoints, analysis_endpoints, alert_endpoints, upload_endpoints,
                     session_endpoints, account_endpoints, user_endpoints, process_endpoints}) {
    auto part = group();
    all.insert(all.end(), std::make_move_iterator(part.begin()), std::make_move_iterator(part.end()));
  }
  return all;
}

}  // namespace atalaya::serve
