// What an API endpoint is: its method and path (OpenAPI style, with {name}
// for a path segment), the query parameters it accepts, whether its answer
// may be cached, and the handler that answers it. The server's route table is
// the list of these; openapi.json describes the same list (a test holds them
// in step).
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "atalaya/access/permissions.h"
#include "atalaya/analysis/route.h"
#include "atalaya/core/messages.h"
#include "atalaya/serve/request_params.h"
#include "atalaya/serve/snapshot.h"

namespace atalaya::serve {

inline constexpr const char* kJsonType = "application/json; charset=utf-8";

struct ServerLimits {
  size_t max_body_bytes = 64 * 1024;   // request bodies (alert notes)
  size_t max_series_rows = 200'000;    // rows of one series answer
  int max_forecast_groups = 25;        // forecast `top`
  int max_backtest_groups = 10;        // backtest `top`
  int max_horizon = 36;
  int max_origins = 48;
};

// How uploads are read (endpoints_uploads.cpp); their size bound is the front's.
struct UploadSettings {
  std::string sources_dir;  // the registered mappings: a source's *.toml ([source] id)
  std::string dir = "/tmp";  // temporary files (an upload's body, a multipart file part)
  std::string store;         // the store's location, for the audit lines of refused uploads (set by the server)
};

// What a handler is given.
class ResponseCache;
class UploadFile;
class Gatekeeper;
struct RequestAccess;

struct ApiContext {
  std::shared_ptr<const Snapshot> data;  // the data as of this request
  StoreAccess& store;                    // for alerts (read and change)
  SnapshotSource& snapshots;             // to invalidate after a change
  const std::vector<Route>& routes;
  const ServerLimits& limits;
  const ResponseCache& cache;  // for its size in /health
  const UploadSettings& uploads;
  Gatekeeper& gate;            // who is asking: accounts, sessions, the sign-in limiter (request_access.h)
};

struct ApiCall {
  const RequestParams& params;
  std::vector<std::string> path_args;  // the {name} segments, in order
  const std::string& body;
  std::string base_url = {};         // "http://host:port" as the client reached the server (links in feeds)
  // The language of the answer's texts: ?lang, else Accept-Language. Set for
  // localised endpoints (the server then keys its cache by it and answers
  // Vary: Accept-Language).
  Language lang = Language::En;
  // Set when the client has gone or the request's deadline has passed: long
  // work checks it and stops (ForecastRequest::cancelled). Null: never.
  const std::atomic<bool>* cancelled = nullptr;
  // An upload endpoint's body, on disk (body is then empty), and its Content-Type.
  const UploadFile* upload = nullptr;
  std::string content_type = {};
  // Who is asking (request_access.h): the server has checked the endpoint's
  // right already; a handler checks a scoped right (upload_data for a
  // source's reporter) or a read of non-public data it finds (a drill's
  // alert) with access->require / access->read_restricted. Never null on
  // the server.
  const RequestAccess* access = nullptr;
};

struct ApiAnswer {
  std::string body;
  std::string content_type = kJsonType;
  std::string disposition;  // Content-Disposition of a download
  int status = 200;
  // Extra headers (Set-Cookie of a sign-in); only on answers that are not cached.
  std::vector<std::pair<std::string, std::string>> headers = {};
};

using Handler = std::function<ApiAnswer(const ApiContext&, const ApiCall&)>;

struct Endpoint {
  std::string method;  // GET or POST
  std::string path;    // "/api/v1/alerts/{id}"
  std::vector<std::string> query;  // accepted query parameters
  bool cacheable = true;           // a read whose answer depends only on the data and the URL
  Handler handler;
  // Its texts are written in the request's language (ApiCall::lang): it
  // takes `lang`, reads Accept-Language without it, and is cached per language.
  bool localised = false;
  // Its answer can take seconds of a core (back-tests, forecasts, wide
  // series): computed on the server's small expensive pool, whose bound
  // answers 503 + Retry-After beyond it. Its cached answers stay cheap.
  bool expensive = false;
  // Its body is a file, streamed to disk as it arrives (ApiCall::upload),
  // up to the server's upload bound rather than the small body limit.
  bool upload = false;
  // The right a call needs (access/permissions.h), checked on the request
  // path before the cache and the handler: 401 for the public, 403 for
  // others, with the missing right named.
  access::Right right = access::Right::ReadPublished;
  // A query parameter that, when given, makes the call a read of non-public
  // data (ReadRestricted, recorded in the audit trail): "drill".
  std::string restricted_by = {};
  // The audit trail's verb for this call ("alert.acknowledge", "read.drills"):
  // a refused change and a read of non-public data are recorded under it,
  // with the object "<kind>:<first path segment>" ("alert:17").
  std::string action = {};
  // Sign-in: the credentials are in the body; a session cookie is not read
  // and no CSRF token is asked.
  bool signs_in = false;
};

// Declares an endpoint's right and audit verb (see Endpoint).
inline Endpoint needs(Endpoint e, access::Right right, std::string action) {
  e.right = right;
  e.action = std::move(action);
  return e;
}

// The endpoint groups, each in its own file.
std::vector<Endpoint> catalogue_endpoints();  // health, sources, countries, dimensions, openapi
std::vector<Endpoint> series_endpoints();     // series and its downloads
std::vector<Endpoint> analysis_endpoints();   // forecast, backtest, routes, overview
std::vector<Endpoint> alert_endpoints();      // alerts: list, one, acknowledge, resolve
std::vector<Endpoint> upload_endpoints();     // a source's new vintage from an uploaded file
std::vector<Endpoint> session_endpoints();    // sign in and out, who am I
std::vector<Endpoint> account_endpoints();    // the audit trail
std::vector<Endpoint> user_endpoints();       // accounts and personal tokens
std::vector<Endpoint> process_endpoints();    // the L.A. Process: reads and changes

// Every endpoint, in the order the OpenAPI document lists them.
std::vector<Endpoint> all_endpoints();

// JSON answer helpers.
ApiAnswer json_answer(const nlohmann::json& j);

}  // namespace atalaya::serve
