// atalaya ingest FILE... [--mapping FILE] [--skip-invalid] [--dry-run]
#include <unistd.h>

#include <iostream>
#include <optional>

#include "atalaya/ingest/ingest.h"
#include "atalaya/ingest/mapping.h"
#include "cli/commands.h"

namespace atalaya::cli {
namespace {

struct IngestOptions {
  std::vector<std::string> files;
  std::string mapping;
  bool skip_invalid = false;
  bool dry_run = false;
  size_t max_problems = 50;
};

// One stage line on stderr, rewritten in place, only when a person watches.
class Progress {
 public:
  Progress() : tty_(isatty(STDERR_FILENO)) {}
  void stage(const std::string& file, const std::string& what) {
    if (tty_) std::cerr << "\r\033[K" << file << ": " << what << "..." << std::flush;
  }
  void done() {
    if (tty_) std::cerr << "\r\033[K" << std::flush;
  }

 private:
  bool tty_;
};

int ingest_one(const IngestOptions& o, const std::string& path, const Mapping* mapping, Store* store,
               Progress& progress) {
  progress.stage(path, "parsing");
  ParsedFile file = parse_statistics_file(path, mapping, !o.dry_run);
  progress.done();
  if (!file.problems.empty()) {
    size_t shown = std::min(file.problems.size(), o.max_problems);
    for (size_t i = 0; i < shown; ++i) std::cerr << file.problems[i].to_string() << "\n";
    if (shown < file.problems.size())
      std::cerr << "... and " << file.problems.size() - shown << " more problems\n";
    if (!o.skip_invalid) {
      std::cerr << path << ": " << thousands(static_cast<int64_t>(file.problems.size()))
                << " problems; nothing was stored (use --skip-invalid to store the valid rows)\n";
      return 1;
    }
    std::cerr << path << ": skipped " << thousands(file.rows_rejected)
              << " invalid rows (--skip-invalid)\n";
  }
  std::cout << path << ": " << file.source << ", " << thousands(file.rows_read) << " rows read, "
            << thousands(static_cast<int64_t>(file.rows.size())) << " observations in "
            << thousands(static_cast<int64_t>(file.series.size())) << " series";
  if (o.dry_run) {
    std::cout << " (dry run: nothing stored)\n";
    return 0;
  }
  progress.stage(path, "storing");
  WriteResult r = store->write_vintage(file);
  progress.done();
  switch (r.outcome) {
    case WriteOutcome::SameFile:
      std::cout << "; identical to vintage " << r.vintage << " of " << file.source
                << " (same SHA-256); nothing changed\n";
      break;
    case WriteOutcome::NoChangedValues:
      std::cout << "; every value equals what is stored; nothing changed\n";
      break;
    case WriteOutcome::NewVintage:
      std::cout << "; stored as vintage " << r.vintage << ": " << thousands(static_cast<int64_t>(r.rows_written))
                << " observations written";
      if (r.rows_revised) std::cout << " (" << thousands(static_cast<int64_t>(r.rows_revised)) << " revised)";
      std::cout << "\n";
      break;
  }
  return 0;
}

}  // namespace

void add_ingest_command(CLI::App& app, const GlobalOptions& global, int& status) {
  auto o = std::make_shared<IngestOptions>();
  auto* cmd = app.add_subcommand("ingest", "Ingest statistics files into the store, one vintage per file");
  cmd->add_option("files", o->files, "CSV files: a CBP encounters layout, SDMX-CSV, or any CSV/HXL with --mapping")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--mapping,-m", o->mapping, "mapping file (TOML) describing the CSV's columns")
      ->check(CLI::ExistingFile);
  cmd->add_flag("--skip-invalid", o->skip_invalid, "store the valid rows and report every skipped one");
  cmd->add_flag("--dry-run", o->dry_run, "parse, validate and harmonise; store nothing");
  cmd->footer(
      "Each file is one transaction: all of it is stored, or none of it.\n"
      "Re-ingesting an identical file changes nothing; a corrected file adds a vintage.\n\n"
      "Examples:\n"
      "  atalaya ingest ../shared/data/cbp/sw-land-border-encounters-fy22-fy25aug.csv\n"
      "  atalaya ingest --mapping sources/pa-snm-darien.toml ../shared/data/corridor/pa-darien-transit-by-nationality.csv");
  cmd->callback([o, &global, &status] {
    std::optional<Mapping> mapping;
    if (!o->mapping.empty()) mapping = load_mapping(o->mapping);
    std::unique_ptr<Store> store;
    if (!o->dry_run) store = global.open_store();
    Progress progress;
    int failures = 0;
    for (auto& f : o->files) {
      try {
        failures += ingest_one(*o, f, mapping ? &*mapping : nullptr, store.get(), progress);
      } catch (const InputError& e) {
        progress.done();
        for (auto& p : e.problems()) std::cerr << p.to_string() << "\n";
        std::cerr << f << ": nothing was stored\n";
        ++failures;
      }
    }
    status = failures ? 1 : 0;
  });
}

}  // namespace atalaya::cli
