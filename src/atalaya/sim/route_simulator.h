// Route simulator: synthetic but realistic monthly migration counts for one
// route (origins -> Darién (Panama) -> Honduras -> Mexico -> U.S. southwest
// border), written as the CSV + TOML mapping files the ingest pipeline reads.
// Used for demos and for early-warning tests, because the injected migration
// events (and where/when each checkpoint sees them) are known exactly.
//
// Contract: output depends only on the SimulationConfig. The generator uses
// std::mt19937_64 (whose sequence the standard fixes) and hand-written
// distributions, so the same seed gives byte-identical files.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace atalaya::sim {

struct SimulationConfig {
  int first_year = 2016;
  int first_month = 1;   // 1..12
  int months = 108;      // number of monthly periods written (>= 1)
  uint64_t seed = 20211; // deterministic: same seed -> byte-identical files
  // ISO alpha-3 codes (or group codes such as "OOO"), written in this order.
  // A citizenship's own parameters are drawn from (seed, code), so adding or
  // reordering codes does not change the other series' baselines.
  std::vector<std::string> citizenships = {"VEN", "HTI", "CUB", "ECU", "COL",
                                           "CHN", "IND", "AFG", "OOO"};
  int events = 4;  // number of injected migration events (>= 0)
};

// One injected event as seen at the Darién (where it originates).
// Periods are "YYYY-MM". start/end are the first/last month whose excess is at
// least 10% of the peak excess; magnitude is the peak flow as a multiple of the
// citizenship's typical (trend, deseasonalised) level.
struct SimulatedEvent {
  std::string citizenship;
  std::string start;
  std::string peak;
  std::string end;
  double magnitude = 0;
};

struct SimulationResult {
  std::vector<std::string> files;             // every file written, as paths under out_dir
  std::vector<SimulatedEvent> events;         // ordered by start month, then citizenship
};

// Writes into out_dir (created if missing): one CSV per checkpoint, one TOML
// mapping file per CSV (same stem + ".toml": pa-darien.csv -> pa-darien.toml),
// and ground-truth.csv with one row per event per checkpoint (that
// checkpoint's lagged start/peak/end/magnitude).
// Existing files of the same names are overwritten.
// Throws std::invalid_argument for an unusable config (bad month, no
// citizenships, events that cannot be placed without overlap) and
// std::runtime_error naming the path on any I/O failure.
SimulationResult simulate_route(const SimulationConfig& config, const std::string& out_dir);

}  // namespace atalaya::sim
