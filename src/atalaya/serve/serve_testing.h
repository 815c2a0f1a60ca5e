// For the server's tests: a store holding the real Darién crossings (Panama's
// Servicio Nacional de Migración, ../shared/data/corridor) and two alerts, and
// an ApiServer on a free loopback port, running until the fixture ends.
#pragma once

#include <gtest/gtest.h>
#include <httplib.h>

#include <functional>
#include <memory>
#include <thread>

#include "atalaya/ingest/real_data_testing.h"
#include "atalaya/serve/server.h"
#include "atalaya/store/sqlite/temp_db_testing.h"
#include "atalaya/warning/event_book.h"
#include "atalaya/warning/sample_alert_testing.h"

namespace atalaya::testing {

// Ingests a real corridor file through its shipped mapping.
inline void ingest_real(SeriesStore& store, const std::string& mapping, const std::string& file) {
  store.write_vintage(parse_real_file(mapping, file));
}

class ServedStore {
 public:
  // `editors_file`: who may change alerts (empty: anyone). `configure`
  // changes the options before the server starts (accounts, audit, ...).
  explicit ServedStore(const std::string& name, const std::string& editors_file = "",
                       const std::function<void(serve::ServerOptions&)>& configure = {})
      : db_(name) {
    {
      ingest_real(*open_store(db_.path()), "pa-snm-darien.toml", "corridor/pa-darien-transit-by-nationality.csv");
      auto store = open_alert_store(db_.path());
      // The two alerts as a watch would store them: fired, merged into
      // warning events (one per movement), written. The surge carries its
      // explanation as a catalogue message and the trigger's Spanish name;
      // the upstream alert stays as alerts stored before messages were
      // (English text only).
      std::vector<Firing> firings;
      Evaluated evaluated;
      for (Alert a : {sample_surge_alert(), sample_upstream_alert()}) {
        if (a.rule == "growth") {
          a.evidence.message = Message("detector.growth.rise")
                                   .num("value", 13141)
                                   .num("score", 3.4)
                                   .num("ratio", 2)
                                   .nested("compared", Message("detector.growth.trailing_mean").num("window", 3).num("baseline", 3862));
          a.evidence.trigger_name_es = "Cruces del Darién: repunte";
        }
        Firing f;
        f.trigger = a.trigger;
        f.trigger_name = a.trigger_name;
        f.rule = a.rule;
        f.key = a.key;
        f.period = a.last_period;
        f.severity = a.severity;
        f.evidence = a.evidence;
        f.window_from = a.window_from;
        f.window_to = a.window_to;
        evaluated[evaluated_key(f.trigger, key_text(f.key))] = f.period;
        firings.push_back(std::move(f));
      }
      std::vector<WarningEvent> active;
      auto writes = merge_into_events(active, firings, evaluated, MovementMap(), LifecyclePolicy{});
      store->save_events(writes, {});
    }
    serve::ServerOptions o;
    o.db = db_.path();
    o.port = 0;
    o.access_log = "";
    o.routes_dir = std::string(ATALAYA_SOURCE_DIR) + "/routes";
    o.threads = 8;
    o.reload_check_ms = 50;
    o.editors_file = editors_file;
    o.uploads.sources_dir = std::string(ATALAYA_SOURCE_DIR) + "/sources";
    o.uploads.dir = ::testing::TempDir();
    if (configure) configure(o);
    server_ = std::make_unique<serve::ApiServer>(o);
    port_ = server_->bind();
    thread_ = std::thread([this] { server_->listen(); });
  }
  ~ServedStore() { stop(); }
  // Stops the server and waits for it (its audit lines are then written).
  void stop() {
    if (!server_) return;
    server_->stop();
    thread_.join();
    server_.reset();
  }
  const std::string& db_path() const { return db_.path(); }
  int port() const { return port_; }
  serve::ApiServer& server() { return *server_; }
  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(60);
    return c;
  }

 private:
  TempDb db_;
  std::unique_ptr<serve::ApiServer> server_;
  int port_ = 0;
  std::thread thread_;
};

}  // namespace atalaya::testing
