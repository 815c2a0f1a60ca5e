// atalaya serve [--port N] [--bind ADDR] [--web DIR] [--routes DIR]: the JSON
// API and the dashboard over the store.
#include <malloc.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include "atalaya/access/account_store.h"
#include "atalaya/process/notification_delivery.h"
#include "atalaya/serve/server.h"
#include "atalaya/store/audit/audit_log.h"
#include "atalaya/warning/trigger.h"
#include "cli/commands.h"

namespace atalaya::cli {
namespace {

serve::ApiServer* g_server = nullptr;

extern "C" void stop_on_signal(int) {
  if (g_server) g_server->stop();
}

}  // namespace

void add_serve_command(CLI::App& app, const GlobalOptions& global, int& status) {
  auto o = std::make_shared<serve::ServerOptions>();
  o->port = 8080;
  auto* cmd = app.add_subcommand("serve", "Serve the HTTP API (/api/v1) and the web dashboard");
  cmd->add_option("--port", o->port, "TCP port (0: any free port, printed at start)")->capture_default_str();
  cmd->add_option("--bind", o->bind, "address to listen on (0.0.0.0: every interface)")->capture_default_str();
  cmd->add_option("--web", o->web_dir, "the built dashboard (default web/dist under $ATALAYA_ROOT, share/atalaya/web installed beside the program, or web/dist of the source tree)");
  cmd->add_option("--routes", o->routes_dir, "directory of route files (default routes/, found as the dashboard is)");
  cmd->add_option("--access-log", o->access_log, "JSON-lines access log file ('-': standard output, '': none)")
      ->capture_default_str();
  cmd->add_option("--editors", o->editors_file,
                  "deprecated (use accounts: atalaya user add): on a store without accounts, who may acknowledge and "
                  "resolve alerts: a file of NAME SHA256-OF-TOKEN lines (default: anyone who reaches the server); "
                  "ignored once accounts exist");
  cmd->add_option("--trusted-proxy", o->trusted_proxies,
                  "the address of a reverse proxy in front (127.0.0.1 for deploy/nginx): its X-Forwarded-For names "
                  "the client, and its X-Forwarded-Proto https makes the session cookie Secure; repeat for more")
      ->take_all();
  cmd->add_flag("--secure-cookies", o->secure_cookies,
                "mark the session cookie Secure even when no trusted proxy says the request came through TLS");
  auto triggers = std::make_shared<std::string>();
  auto deliver_every = std::make_shared<double>(30);
  cmd->add_option("--triggers", *triggers,
                  "trigger file whose [[webhook]]s the background worker delivers to (default triggers/default.toml "
                  "when found)");
  cmd->add_option("--deliver-every", *deliver_every,
                  "seconds between runs of the background workers that send the alert outbox and emergency-session "
                  "notices (0: neither; default 30)")
      ->check(CLI::Range(0.0, 86400.0));
  // Emergency-session notices (atalaya process notify's settings).
  auto notify = std::make_shared<process::NotifySettings>();
  auto notify_secret_env = std::make_shared<std::string>();
  if (const char* v = std::getenv("ATALAYA_SMTP")) notify->smtp_url = v;
  if (const char* v = std::getenv("ATALAYA_MAIL_FROM")) notify->from = v;
  cmd->add_option("--smtp", notify->smtp_url,
                  "the SMTP relay (smtp://host:port) the notification worker sends emergency-session e-mails through "
                  "(default $ATALAYA_SMTP; none: they stay queued)");
  cmd->add_option("--mail-from", notify->from, "the sender's address of those e-mails (default $ATALAYA_MAIL_FROM)");
  cmd->add_option("--webhook-secret-env", *notify_secret_env,
                  "environment variable holding the HMAC secret of emergency-session webhooks (the trigger file's "
                  "[[webhook]]s keep their own)");
  auto check_every = std::make_shared<double>(0.5);
  cmd->add_option("--check-every", *check_every,
                  "seconds between checks of the store for changes made elsewhere (default 0.5; a PostgreSQL "
                  "store also notifies the server at once)")
      ->check(CLI::Range(0.01, 3600.0));
  cmd->add_option("--threads", o->threads, "worker threads for cheap requests (health, catalogue, cached answers, alerts)")
      ->capture_default_str()
      ->check(CLI::Range(2, 1024));
  cmd->add_option("--expensive-threads", o->expensive_threads,
                  "back-tests, forecasts and series computed at once (default: one per core, at least 2)")
      ->check(CLI::Range(1, 256));
  cmd->add_option("--expensive-queue", o->expensive_queue,
                  "expensive requests that may wait for those; more are answered 503 with Retry-After")
      ->capture_default_str()
      ->check(CLI::Range(0, 10000));
  auto request_timeout = std::make_shared<double>(30), header_timeout = std::make_shared<double>(10),
       body_timeout = std::make_shared<double>(10), idle_timeout = std::make_shared<double>(5),
       write_timeout = std::make_shared<double>(60);
  cmd->add_option("--request-timeout", *request_timeout,
                  "seconds an answer may take; then 503 with Retry-After, and the work stops (default 30)")
      ->check(CLI::Range(0.1, 3600.0));
  cmd->add_option("--header-timeout", *header_timeout,
                  "seconds a client has for a whole request head, however it trickles (default 10)")
      ->check(CLI::Range(0.1, 600.0));
  cmd->add_option("--body-timeout", *body_timeout, "seconds a client has for a whole request body (default 10)")
      ->check(CLI::Range(0.1, 600.0));
  cmd->add_option("--idle-timeout", *idle_timeout, "seconds a keep-alive connection may wait for its next request (default 5)")
      ->check(CLI::Range(0.1, 600.0));
  cmd->add_option("--write-timeout", *write_timeout, "seconds a client has to take a whole answer (default 60)")
      ->check(CLI::Range(0.1, 3600.0));
  cmd->add_option("--max-connections", o->front.max_connections, "open connections at most; more are closed at once")
      ->capture_default_str()
      ->check(CLI::Range(16, 1'000'000));
  auto max_upload_mb = std::make_shared<double>(64), upload_timeout = std::make_shared<double>(300);
  cmd->add_option("--max-upload-mb", *max_upload_mb,
                  "largest file POST /api/v1/sources/{id}/vintages accepts, in MiB; larger: 413 (default 64)")
      ->check(CLI::Range(0.001, 65536.0));
  cmd->add_option("--upload-timeout", *upload_timeout,
                  "seconds an upload has to arrive, and again to be read and stored (default 300)")
      ->check(CLI::Range(0.1, 86400.0));
  auto upload_dir = std::make_shared<std::string>();
  cmd->add_option("--upload-dir", *upload_dir,
                  "where uploads are kept while they are read (unnamed temporary files; default $TMPDIR or /tmp)");
  cmd->add_option("--sources", o->uploads.sources_dir,
                  "directory of registered source mappings (*.toml) uploads are read through (default sources/, "
                  "found as the dashboard is)");
  cmd->add_option("--public-host", o->public_hosts,
                  "a name the server is reached by (besides the bind address and localhost), from which changes "
                  "(POST) are accepted; repeat for more")
      ->take_all();
  cmd->add_option("--public-origin", o->public_origins,
                  "an origin (https://name[:port]) whose pages may send changes; repeat for more")
      ->take_all();
  cmd->footer(
      "Reads the store given by --db; reloads when it changes (a new ingest, a watch run).\n"
      "Sends the alert outbox and emergency-session notices in the background (--deliver-every);\n"
      "e-mail notices need --smtp and --mail-from (or $ATALAYA_SMTP, $ATALAYA_MAIL_FROM).\n"
      "For a shared server, put it behind the nginx configuration in deploy/ (docs/user-guide.md,\n"
      "\"Running a shared server\").\n"
      "API reference: docs/api.md, and GET /api/v1/openapi.json.\n\n"
      "Example:\n"
      "  atalaya --db demo-out/real.db serve --port 8080\n"
      "  curl 'http://127.0.0.1:8080/api/v1/series?source=pa-snm-darien&citizenship=HTI&from=2021-06&to=2021-09'");
  cmd->callback([o, &global, &status, triggers, deliver_every, notify, notify_secret_env, check_every, request_timeout, header_timeout, body_timeout,
                 idle_timeout, write_timeout, max_upload_mb, upload_timeout, upload_dir] {
    auto ms = [](double s) { return serve::Millis(static_cast<int64_t>(s * 1000)); };
    o->front.request_timeout = ms(*request_timeout);
    o->front.header_timeout = ms(*header_timeout);
    o->front.body_timeout = ms(*body_timeout);
    o->front.idle_timeout = ms(*idle_timeout);
    o->front.write_timeout = ms(*write_timeout);
    o->front.upload_timeout = ms(*upload_timeout);
    o->front.max_upload_bytes = static_cast<size_t>(*max_upload_mb * 1024 * 1024);
    const char* tmp = std::getenv("TMPDIR");
    o->uploads.dir = !upload_dir->empty() ? *upload_dir : tmp && *tmp ? tmp : "/tmp";
    if (o->uploads.sources_dir.empty()) o->uploads.sources_dir = find_shipped("sources", true).value_or("");
    else o->uploads.sources_dir = shipped_or_given(o->uploads.sources_dir, true);
    o->reload_check_ms = static_cast<int>(*check_every * 1000);
    require_existing_store(global.db);

    o->db = global.db;
    // Without a dashboard the API is still served (and the start says how to get one);
    // without routes the route view has nothing to show, so that is an error.
    std::string no_dashboard = "not built (make web) or not found: give --web DIR or set ATALAYA_ROOT";
    if (o->web_dir.empty()) o->web_dir = find_shipped("web/dist", true).value_or("");
    else o->web_dir = shipped_or_given(o->web_dir, true);
    if (o->routes_dir.empty()) o->routes_dir = require_shipped("routes", true, "--routes DIR", "route directory");
    else o->routes_dir = shipped_or_given(o->routes_dir, true);
    // The outbox worker: the trigger file's endpoints (none without a trigger file).
    if (*deliver_every > 0) {
      std::optional<std::string> file = triggers->empty() ? find_shipped("triggers/default.toml")
                                                          : std::optional(shipped_or_given(*triggers));
      if (file) o->webhooks = load_trigger_file(*file).webhooks;
      o->deliver_every = std::chrono::milliseconds(static_cast<int64_t>(*deliver_every * 1000));
      // The notification worker: every emergency-session notice due, webhooks
      // always, e-mails when there is a relay.
      if (!notify_secret_env->empty()) {
        const char* secret = std::getenv(notify_secret_env->c_str());
        if (!secret) throw std::invalid_argument("--webhook-secret-env: $" + *notify_secret_env + " is not set");
        notify->webhook_secret = secret;
      }
      try {
        notify->check();
      } catch (const std::invalid_argument& e) {
        const std::string m = e.what();
        throw std::invalid_argument(m.rfind("from:", 0) == 0 ? "--mail-" + m : "--" + m);
      }
      o->notices = *notify;
    }
    // Reads of non-public data and refused changes are recorded here (in
    // the store's own database, on a connection of their own).
    o->audit = audit::open_audit_log(o->db);
    // The people who may sign in, and their tokens; without accounts yet,
    // the single-user rules (anyone, or --editors).
    auto accounts = std::shared_ptr<access::AccountStore>(access::open_account_store(o->db));
    o->accounts = accounts;
    const bool has_accounts = accounts->has_accounts();
    // glibc gives each of the many worker threads its own malloc arena; over
    // a 5-minute soak that grew the server from 90 to 103 MiB with no more
    // data held (bench/serve). One arena per core keeps it flat near 50 MiB
    // at the same speed.
    mallopt(M_ARENA_MAX, static_cast<int>(std::max(2u, std::thread::hardware_concurrency())));
    serve::ApiServer server(*o);
    const int port = server.bind();
    g_server = &server;
    std::signal(SIGINT, stop_on_signal);
    std::signal(SIGTERM, stop_on_signal);
    const std::string host = o->bind == "0.0.0.0" ? "127.0.0.1" : o->bind;
    std::cerr << "atalaya serve: store " << o->db << "; dashboard "
              << (!o->web_dir.empty() && std::filesystem::is_directory(o->web_dir) ? o->web_dir : no_dashboard) << "\n";
    std::cerr << "atalaya serve: alert changes by "
              << (has_accounts            ? std::string("the accounts that hold change_alerts (atalaya user list)")
                  : o->editors_file.empty() ? std::string("anyone who reaches the server, until the store has accounts "
                                                          "(atalaya user add --admin)")
                                          : "the editors in " + o->editors_file + ", until the store has accounts")
              << "\n";
    std::cerr << "atalaya serve: alert webhook notifications "
              << (o->webhooks.empty() ? std::string("not delivered here (no [[webhook]] in the trigger file, or "
                                                    "--deliver-every 0)")
                                      : "delivered to " + std::to_string(o->webhooks.size()) + " endpoint(s) every " +
                                            [&] {
                                              std::ostringstream t;
                                              t << *deliver_every;
                                              return t.str();
                                            }() + " s")
              << "\n";
    std::cerr << "atalaya serve: emergency-session notices "
              << (!o->notices ? std::string("not delivered here (--deliver-every 0; atalaya process notify sends them)")
                  : o->notices->smtp_url.empty()
                      ? std::string("delivered by webhook; e-mail notices stay queued: no SMTP relay (give --smtp URL "
                                    "--mail-from ADDRESS, or set ATALAYA_SMTP and ATALAYA_MAIL_FROM)")
                      : "delivered by webhook, and by e-mail through " + o->notices->smtp_url + " from " +
                            o->notices->from)
              << "\n";
    std::cerr << "atalaya serve: listening on http://" << host << ":" << port << "/" << std::endl;
    server.listen();
    g_server = nullptr;
    std::cerr << "atalaya serve: stopped\n";
    status = 0;
  });
}

}  // namespace atalaya::cli
