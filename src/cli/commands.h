// The `atalaya` program's commands. Each registers itself on the CLI11 app
// and runs against the library; the program holds no logic of its own.
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "atalaya/store/store.h"

namespace atalaya::cli {

struct GlobalOptions {
  std::string db;  // --db, default $ATALAYA_DB or atalaya.db
  // Opens the store, creating it. With must_exist, a missing file is an
  // error instead (a query on a mistyped --db must not create an empty store).
  std::unique_ptr<Store> open_store(bool must_exist = false) const;
};

// Each returns the process exit status through `status` when its subcommand ran.
void add_ingest_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_sources_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_series_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_dimensions_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_countries_command(CLI::App& app, int& status);
void add_simulate_command(CLI::App& app, int& status);
void add_watch_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_alerts_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_alert_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_replay_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_route_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_forecast_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_backtest_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_serve_command(CLI::App& app, const GlobalOptions& global, int& status);

// 1234567 -> "1,234,567"
std::string thousands(int64_t n);

}  // namespace atalaya::cli
