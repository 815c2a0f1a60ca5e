// atalaya deliver, atalaya outbox: the webhook delivery worker run on its own
// (once, or in a loop), and the outbox as people read it.
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>

#include "atalaya/core/utc_time.h"
#include "atalaya/warning/outbox.h"
#include "cli/commands.h"
#include "cli/principal.h"

namespace atalaya::cli {
namespace {

std::atomic<bool> g_stop{false};
extern "C" void stop_delivering(int) { g_stop = true; }

// The endpoints deliveries may go to: the trigger file's [[webhook]]s, and
// the one --webhook adds (as `watch --webhook` queued for it).
struct EndpointOptions {
  std::string triggers, webhook, secret_env;

  void add_to(CLI::App* cmd) {
    cmd->add_option("--triggers", triggers,
                    "trigger file whose [[webhook]]s are the endpoints (default triggers/default.toml under "
                    "$ATALAYA_ROOT or installed beside the program)");
    cmd->add_option("--webhook", webhook, "also this URL (as given to atalaya watch --webhook), with the defaults");
    cmd->add_option("--webhook-secret-env", secret_env, "environment variable holding --webhook's HMAC secret");
  }

  std::vector<WebhookEndpoint> load() const {
    const std::string file = triggers.empty()
                                 ? require_shipped("triggers/default.toml", false, "--triggers FILE", "default trigger file")
                                 : shipped_or_given(triggers);
    std::vector<WebhookEndpoint> endpoints = load_trigger_file(file).webhooks;
    if (!webhook.empty()) {
      check_webhook_url(webhook);
      WebhookEndpoint w{webhook, "", secret_env};
      if (!secret_env.empty())
        if (const char* s = std::getenv(secret_env.c_str())) w.secret = s;
      endpoints.push_back(w);
    }
    return endpoints;
  }
};

nlohmann::json report_json(const OutboxReport& r) {
  return {{"delivered", r.delivered}, {"failed", r.failed},     {"given_up", r.given_up},
          {"paused", r.paused},       {"unconfigured", r.unconfigured}, {"errors", r.errors},
          {"notes", r.notes}};
}

void print_report(const OutboxReport& r, const std::string& format) {
  if (format == "json") {
    std::cout << report_json(r).dump() << std::endl;
    return;
  }
  std::cout << "deliver: " << r.delivered << " delivered, " << r.failed << " failed (" << r.given_up
            << " of them given up), " << r.paused << " skipped while their endpoint is paused\n";
  for (auto& e : r.errors) std::cerr << "atalaya: not delivered: " << e << "\n";
  for (auto& n : r.notes) std::cout << "note: " << n << "\n";
  if (r.unconfigured)
    std::cerr << "atalaya: " << r.unconfigured
              << " due notification(s) are for endpoints no longer in the trigger file: not sent (see atalaya outbox)\n";
  std::cout << std::flush;
}

std::string state_of(const Delivery& d) {
  if (!d.delivered_at.empty()) return "delivered";
  if (!d.failed_at.empty()) return "failed";
  return "waiting";
}

}  // namespace

void add_deliver_command(CLI::App& app, const GlobalOptions& global, int& status) {
  struct Options {
    EndpointOptions endpoints;
    bool loop = false;
    double every = 30;
    std::string format = "table";
    Credentials credentials;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("deliver", "Send the webhook notifications waiting in the outbox");
  o->endpoints.add_to(cmd);
  cmd->add_flag("--loop", o->loop, "keep delivering until interrupted (Ctrl-C, SIGTERM)");
  cmd->add_option("--every", o->every, "with --loop: seconds between runs (default 30)")->check(CLI::Range(0.1, 86400.0));
  cmd->add_option("--format", o->format, "table or json (one JSON object per run)")
      ->check(CLI::IsMember({"table", "json"}));
  add_credential_options(cmd, o->credentials);
  cmd->footer(
      "One run makes at most one attempt per due notification, each bounded by its endpoint's time-out;\n"
      "failed ones are retried by later runs with exponential back-off. An endpoint that keeps failing is\n"
      "paused (circuit breaker). Settings per [[webhook]]: docs/triggers.md. `atalaya serve` runs the\n"
      "same worker in the background.\n"
      "Exit status: 0 when every due notification was delivered (or none was due), 1 when an attempt failed\n"
      "or an endpoint was paused.\n\n"
      "Examples:\n  atalaya deliver\n  atalaya deliver --loop --every 60");
  cmd->callback([&global, &status, o] {
    const std::vector<WebhookEndpoint> endpoints = o->endpoints.load();
    require_right(global.db, o->credentials, access::Right::RunWarning, "outbox.deliver");
    auto store = global.open_alerts(true);
    if (!o->loop) {
      OutboxReport r = deliver_due(*store, endpoints);
      print_report(r, o->format);
      status = r.failed || r.paused ? 1 : 0;
      return;
    }
    g_stop = false;
    std::signal(SIGINT, stop_delivering);
    std::signal(SIGTERM, stop_delivering);
    std::cerr << "atalaya deliver: every " << o->every << " s to " << endpoints.size()
              << " endpoint(s); stop with Ctrl-C" << std::endl;
    const auto interval = std::chrono::milliseconds(static_cast<int64_t>(o->every * 1000));
    while (!g_stop) {
      OutboxReport r = deliver_due(*store, endpoints, utc_seconds_now, [] { return g_stop.load(); });
      if (r.delivered || r.failed || r.unconfigured || o->format == "json") print_report(r, o->format);
      // Wake often enough to stop promptly when interrupted.
      for (auto slept = std::chrono::milliseconds(0); slept < interval && !g_stop; slept += std::chrono::milliseconds(100))
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    std::cerr << "atalaya deliver: stopped" << std::endl;
    status = 0;
  });
}

void add_outbox_command(CLI::App& app, const GlobalOptions& global, int& status) {
  struct Options {
    EndpointOptions endpoints;
    std::string state = "undelivered", format = "table", retry_endpoint;
    size_t limit = 100;
    bool retry = false;
    Credentials credentials;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("outbox", "List webhook notifications (waiting, given up, delivered) and endpoints");
  o->endpoints.add_to(cmd);
  cmd->add_option("--state", o->state, "undelivered (waiting or failed; default), waiting, failed, delivered, all")
      ->check(CLI::IsMember({"undelivered", "waiting", "failed", "delivered", "all"}));
  cmd->add_option("--limit", o->limit, "at most this many, newest first (default 100; 0: all)");
  cmd->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  cmd->add_flag("--retry", o->retry,
                "make every undelivered notification (given up ones too) due now, and close the endpoints' "
                "circuit breakers: after fixing a receiver");
  cmd->add_option("--endpoint", o->retry_endpoint, "with --retry: only this endpoint's");
  add_credential_options(cmd, o->credentials);
  cmd->footer(
      "A notification is 'failed' once retrying was given up (an answer that retrying will not change, a\n"
      "redirect, or its attempts used up). One for an endpoint no longer in the trigger file is flagged:\n"
      "it is never sent until that endpoint is configured again.\n\n"
      "Examples:\n  atalaya outbox\n  atalaya outbox --state all --limit 20\n"
      "  atalaya outbox --retry --endpoint https://hooks.example.org/atalaya && atalaya deliver");
  cmd->callback([&global, &status, o] {
    const std::vector<WebhookEndpoint> endpoints = o->endpoints.load();
    std::set<std::string> configured;
    for (auto& e : endpoints) configured.insert(e.url);
    auto store = global.open_alerts(true);
    if (o->retry) {
      require_right(global.db, o->credentials, access::Right::RunWarning, "outbox.retry");
      const int n = store->requeue_deliveries(o->retry_endpoint, utc_now());
      std::cout << "outbox: " << n << " notification(s) due again"
                << (o->retry_endpoint.empty() ? "" : " for " + o->retry_endpoint)
                << "; circuit breaker(s) closed. atalaya deliver sends them.\n";
      status = 0;
      return;
    }
    const DeliveryState state = o->state == "waiting"     ? DeliveryState::Waiting
                                : o->state == "failed"    ? DeliveryState::Failed
                                : o->state == "delivered" ? DeliveryState::Delivered
                                : o->state == "all"       ? DeliveryState::All
                                                          : DeliveryState::Undelivered;
    const std::vector<Delivery> list = store->deliveries(state, o->limit);
    const std::vector<EndpointHealth> health = store->endpoint_healths();
    if (o->format == "json") {
      nlohmann::json j = {{"deliveries", nlohmann::json::array()}, {"endpoints", nlohmann::json::array()}};
      for (auto& d : list)
        j["deliveries"].push_back({{"id", d.id},
                                   {"alert", d.alert_id},
                                   {"event", d.event},
                                   {"endpoint", d.endpoint},
                                   {"endpoint_configured", configured.count(d.endpoint) > 0},
                                   {"state", state_of(d)},
                                   {"attempts", d.attempts},
                                   {"created_at", d.created_at},
                                   {"next_attempt_at", d.next_attempt_at},
                                   {"delivered_at", d.delivered_at},
                                   {"failed_at", d.failed_at},
                                   {"last_http_status", d.last_http_status},
                                   {"last_error", d.last_error},
                                   {"delivery_key", d.delivery_key}});
      for (auto& h : health)
        j["endpoints"].push_back({{"url", h.url},
                                  {"configured", configured.count(h.url) > 0},
                                  {"consecutive_failures", h.consecutive_failures},
                                  {"paused_until", h.open_until},
                                  {"last_failure_at", h.last_failure_at},
                                  {"last_success_at", h.last_success_at},
                                  {"last_error", h.last_error}});
      std::cout << j.dump(2) << "\n";
      status = 0;
      return;
    }
    if (list.empty()) std::cout << "(no " << (o->state == "all" ? "" : o->state + " ") << "notifications)\n";
    else
      std::cout << std::left << std::setw(6) << "id" << std::setw(7) << "alert" << std::setw(20) << "event"
                << std::setw(11) << "state" << std::setw(9) << "attempts" << "endpoint\n";
    for (auto& d : list) {
      std::cout << std::left << std::setw(6) << d.id << std::setw(7) << d.alert_id << std::setw(20) << d.event
                << std::setw(11) << state_of(d) << std::setw(9) << d.attempts << d.endpoint;
      if (!configured.count(d.endpoint)) std::cout << "  [endpoint no longer configured: not sent]";
      std::cout << "\n";
      if (!d.delivered_at.empty()) std::cout << "      delivered " << d.delivered_at << "\n";
      else if (!d.failed_at.empty()) std::cout << "      given up " << d.failed_at << "\n";
      else if (d.attempts) std::cout << "      next attempt from " << d.next_attempt_at << "\n";
      if (!d.last_error.empty() && d.delivered_at.empty()) std::cout << "      last error: " << d.last_error << "\n";
    }
    for (auto& h : health) {
      if (h.consecutive_failures == 0 && h.open_until.empty()) continue;
      std::cout << "endpoint " << h.url << ": " << h.consecutive_failures << " consecutive failed attempt(s)";
      if (!h.open_until.empty()) std::cout << ", paused until " << h.open_until;
      if (!configured.count(h.url)) std::cout << " [no longer configured]";
      std::cout << "\n      last error: " << h.last_error << "\n";
    }
    status = 0;
  });
}

}  // namespace atalaya::cli
