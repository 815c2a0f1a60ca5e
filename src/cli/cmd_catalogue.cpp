// atalaya sources, atalaya countries, atalaya simulate
#include <iomanip>
#include <iostream>

#include "atalaya/core/country.h"
#include "atalaya/sim/route_simulator.h"
#include "cli/commands.h"

namespace atalaya::cli {

void add_sources_command(CLI::App& app, const GlobalOptions& global, int& status) {
  auto show_vintages = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("sources", "List the datasets in the store: vintages, rows, period range, last ingest");
  cmd->add_option("--vintages", *show_vintages, "list every vintage of this source, with file and digest");
  cmd->footer("Examples:\n  atalaya sources\n  atalaya sources --vintages us-cbp-swb");
  cmd->callback([&global, &status, show_vintages] {
    auto store = global.open_store(true);
    if (!show_vintages->empty()) {
      auto vs = store->vintages(*show_vintages);
      if (vs.empty()) {
        std::cerr << "atalaya: no source '" << *show_vintages << "' in " << global.db << "\n";
        status = 1;
        return;
      }
      for (auto& v : vs)
        std::cout << "vintage " << v.number << "  " << v.ingested_at << "  " << v.format << "  "
                  << thousands(static_cast<int64_t>(v.rows_read)) << " rows read, "
                  << thousands(static_cast<int64_t>(v.rows_written)) << " written  sha256:" << v.digest.substr(0, 16)
                  << "  " << v.file << "\n";
      status = 0;
      return;
    }
    auto sources = store->sources();
    if (sources.empty()) std::cout << "(no sources in " << global.db << ")\n";
    std::cout << std::left << std::setw(34) << "source" << std::right << std::setw(9) << "vintages" << std::setw(9)
              << "series" << std::setw(12) << "obs" << "  " << std::left << std::setw(19) << "periods"
              << std::setw(22) << "last ingest" << "measure\n";
    for (auto& s : sources) {
      const SourceDeclaration& d = s.declaration;
      std::cout << std::left << std::setw(34) << s.source << std::right << std::setw(9) << s.vintages << std::setw(9)
                << s.series << std::setw(12) << thousands(static_cast<int64_t>(s.observations)) << "  " << std::left
                << std::setw(19) << (s.first_period + " .. " + s.last_period) << std::setw(22) << s.last_ingest
                << measure_name(d.measure) << (d.simulated ? " (simulated)" : "") << "\n";
      if (!d.overlaps.empty()) {
        std::string list;
        for (auto& o : d.overlaps) list += (list.empty() ? "" : ", ") + o;
        std::cout << "    overlaps " << list << (d.coverage.empty() ? "" : " (" + d.coverage + ")") << "\n";
      }
    }
    status = 0;
  });
}

void add_countries_command(CLI::App& app, int& status) {
  auto query = std::make_shared<std::string>();
  auto* cmd = app.add_subcommand("countries", "Look a country up by any name or code");
  cmd->add_option("query", *query, "a name, variant, ISO alpha-3/alpha-2 or M49 code")->required();
  cmd->footer("Examples:\n  atalaya countries 'CHINA, PEOPLES REPUBLIC OF'\n  atalaya countries 332");
  cmd->callback([query, &status] {
    if (const Country* c = find_country(*query)) {
      std::cout << c->alpha3 << "  " << c->alpha2 << "  " << std::setw(3) << std::setfill('0') << c->m49
                << std::setfill(' ') << "  " << c->name_en << " / " << c->name_es << "  (" << c->region << ")\n";
      status = 0;
      return;
    }
    if (const CitizenshipGroup* g = find_group(*query)) {
      std::cout << g->code << "  group: " << g->name_en << " / " << g->name_es << ". " << g->note << "\n";
      status = 0;
      return;
    }
    std::cerr << "atalaya: no country or group '" << *query << "'";
    auto near = nearest_country_names(*query, 5);
    if (!near.empty()) {
      std::cerr << "; nearest known:";
      for (auto& n : near) std::cerr << "\n  " << n;
    }
    std::cerr << "\n";
    status = 1;
  });
}

void add_simulate_command(CLI::App& app, int& status) {
  auto out = std::make_shared<std::string>();
  auto config = std::make_shared<sim::SimulationConfig>();
  auto* cmd = app.add_subcommand(
      "simulate", "Write synthetic monthly data for the Darién -> Honduras -> Mexico -> U.S. route, "
                  "with injected migration events, mapping files and a ground-truth file");
  cmd->add_option("--out", *out, "directory to write into")->required();
  cmd->add_option("--seed", config->seed, "random seed (same seed, same files)");
  cmd->add_option("--months", config->months, "number of months");
  cmd->add_option("--events", config->events, "number of injected migration events");
  cmd->footer("Example:\n  atalaya simulate --out sim && for f in sim/*.toml; do atalaya ingest --mapping $f ${f%.toml}.csv; done");
  cmd->callback([out, config, &status] {
    auto result = sim::simulate_route(*config, *out);
    for (auto& f : result.files) std::cout << f << "\n";
    for (auto& e : result.events)
      std::cout << "event: " << e.citizenship << " " << e.start << " .. " << e.end << " (peak " << e.peak
                << ", x" << std::fixed << std::setprecision(1) << e.magnitude << ")\n";
    status = 0;
  });
}

}  // namespace atalaya::cli
