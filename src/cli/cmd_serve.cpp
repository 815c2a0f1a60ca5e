// atalaya serve [--port N] [--bind ADDR] [--web DIR] [--routes DIR]: the JSON
// API and the dashboard over the store.
#include <malloc.h>

#include <csignal>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <thread>

#include "atalaya/serve/server.h"
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
                  "who may acknowledge and resolve alerts: a file of NAME SHA256-OF-TOKEN lines (default: anyone "
                  "who reaches the server)");
  auto triggers = std::make_shared<std::string>();
  auto deliver_every = std::make_shared<double>(30);
  cmd->add_option("--triggers", *triggers,
                  "trigger file whose [[webhook]]s the background worker delivers to (default triggers/default.toml "
                  "when found)");
  cmd->add_option("--deliver-every", *deliver_every,
                  "seconds between runs of the webhook delivery worker (0: no worker; default 30)")
      ->check(CLI::Range(0.0, 86400.0));
  cmd->add_option("--threads", o->threads, "worker threads (each keep-alive connection holds one)")
      ->capture_default_str()
      ->check(CLI::Range(2, 1024));
  cmd->footer(
      "Reads the store given by --db; reloads when it changes (a new ingest, a watch run).\n"
      "API reference: docs/api.md, and GET /api/v1/openapi.json.\n\n"
      "Example:\n"
      "  atalaya --db demo-out/real.db serve --port 8080\n"
      "  curl 'http://127.0.0.1:8080/api/v1/series?source=pa-snm-darien&citizenship=HTI&from=2021-06&to=2021-09'");
  cmd->callback([o, &global, &status, triggers, deliver_every] {
    if (!std::filesystem::exists(global.db))
      throw std::runtime_error("no store at " + global.db + " (ingest a file first, or give --db PATH or $ATALAYA_DB)");
    o->db = global.db;
    // Without a dashboard the API is still served (and the start says how to get one);
    // without routes the route view has nothing to show, so that is an error.
    std::string no_dashboard = "not built (make web) or not found: give --web DIR or set ATALAYA_ROOT";
    if (o->web_dir.empty()) o->web_dir = find_shipped("web/dist", true).value_or("");
    else o->web_dir = shipped_or_given(o->web_dir, true);
    if (o->routes_dir.empty()) o->routes_dir = require_shipped("routes", true, "--routes DIR", "route directory");
    else o->routes_dir = shipped_or_given(o->routes_dir, true);
    // glibc gives each of the many worker threads its own malloc arena; over
    // a 5-minute soak that grew the server from 90 to 103 MiB with no more
    // data held (bench/serve). One arena per core keeps it flat near 50 MiB
    // at the same speed.
    // The outbox worker: the trigger file's endpoints (none without a trigger file).
    if (*deliver_every > 0) {
      std::optional<std::string> file = triggers->empty() ? find_shipped("triggers/default.toml")
                                                          : std::optional(shipped_or_given(*triggers));
      if (file) o->webhooks = load_trigger_file(*file).webhooks;
      o->deliver_every = std::chrono::milliseconds(static_cast<int64_t>(*deliver_every * 1000));
    }
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
              << (o->editors_file.empty() ? std::string("anyone who reaches the server (see --editors)")
                                          : "the editors in " + o->editors_file)
              << "\n";
    std::cerr << "atalaya serve: webhook notifications "
              << (o->webhooks.empty() ? std::string("not delivered here (no [[webhook]] in the trigger file, or "
                                                    "--deliver-every 0)")
                                      : "delivered to " + std::to_string(o->webhooks.size()) + " endpoint(s) every " +
                                            [&] {
                                              std::ostringstream t;
                                              t << *deliver_every;
                                              return t.str();
                                            }() + " s")
              << "\n";
    std::cerr << "atalaya serve: listening on http://" << host << ":" << port << "/" << std::endl;
    server.listen();
    g_server = nullptr;
    std::cerr << "atalaya serve: stopped\n";
    status = 0;
  });
}

}  // namespace atalaya::cli
