// atalaya ingest FILE... [--mapping FILE] [--vocabulary FILE] [--skip-invalid] [--replace] [--dry-run] [--token T]
// Once the store has accounts, writing a vintage needs upload_data for each
// reporter of the file's series (cli/principal.h).
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <condition_variable>
#include <iostream>
#include <mutex>
#include <sstream>
#include <thread>
#include <optional>
#include <functional>
#include <set>

#include "atalaya/core/vocabulary.h"
#include "atalaya/ingest/ingest.h"
#include "atalaya/ingest/mapping.h"
#include "atalaya/ingest/vintage_file.h"
#include "cli/commands.h"
#include "cli/principal.h"

namespace atalaya::cli {
namespace {

struct IngestOptions {
  std::vector<std::string> files;
  std::string mapping;
  std::string vocabulary;
  bool skip_invalid = false;
  bool dry_run = false;
  bool replace = false;
  size_t max_problems = 50;
  Credentials credentials;
};

// A progress bar on stderr, redrawn by its own thread, only when a person
// watches (stderr is a terminal) and only once a stage has run for a moment.
class Progress {
 public:
  Progress() : tty_(isatty(STDERR_FILENO)) {}
  ~Progress() { done(); }
  // Shows `what` for `file`; with `parse` set, a bar of its bytes done.
  void stage(const std::string& file, const std::string& what, ParseProgress* parse = nullptr) {
    done();
    if (!tty_) return;
    running_ = true;
    drawer_ = std::thread([this, file, what, parse] {
      auto start = std::chrono::steady_clock::now();
      std::unique_lock lock(mutex_);
      while (!wake_.wait_for(lock, std::chrono::milliseconds(200), [this] { return !running_; })) {
        if (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(400)) continue;
        std::string line = file + ": " + what;
        if (parse && parse->total) {
          double f = std::min(1.0, static_cast<double>(parse->done.load()) / static_cast<double>(parse->total));
          int filled = static_cast<int>(f * 30);
          line += " [" + std::string(filled, '#') + std::string(30 - filled, '.') + "] " +
                  std::to_string(static_cast<int>(f * 100)) + "%";
        } else {
          line += "...";
        }
        std::cerr << "\r\033[K" << line << std::flush;
        drawn_ = true;
      }
    });
  }
  void done() {
    if (!drawer_.joinable()) return;
    {
      std::lock_guard lock(mutex_);
      running_ = false;
    }
    wake_.notify_all();
    drawer_.join();
    if (drawn_) std::cerr << "\r\033[K" << std::flush;
    drawn_ = false;
  }

 private:
  bool tty_;
  bool running_ = false;
  bool drawn_ = false;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::thread drawer_;
};

// Who writes a vintage of `source`: asked with every reporter of the file's
// series; throws when one is refused, else answers the actor to record.
using UploadCheck = std::function<Actor(const std::string& source, const std::set<std::string>& reporters)>;

// A revised value, as one line: its key, period, old and new value, and the
// vintage the old value came from.
std::string revision_line(const Revision& r) {
  std::string key;
  for (const std::string* part : {&r.key.citizenship, &r.key.event, &r.key.reporter, &r.key.location,
                                  &r.key.counterpart, &r.key.demographic, &r.key.authority})
    if (!part->empty()) key += (key.empty() ? "" : ", ") + *part;
  std::string line = key + " " + r.period.to_string() + ": " + thousands(r.old_value) + " -> " +
                     thousands(r.new_value);
  const int64_t change = r.new_value - r.old_value;
  line += change ? std::string(" (") + (change > 0 ? "+" : "-") + thousands(std::llabs(change)) + ")"
                 : " (status " + std::string(status_name(r.old_status)) + " -> " + std::string(status_name(r.new_status)) + ")";
  return line + ", revising vintage " + std::to_string(r.revises_vintage);
}

int ingest_one(const IngestOptions& o, const std::string& path, const Mapping* mapping, SeriesStore* store,
               Progress& progress, const UploadCheck& may_upload) {
  ParseProgress parse;
  progress.stage(path, "parsing", &parse);
  VintageFileOptions read_options;
  read_options.digest = store != nullptr;  // a dry run without a store compares nothing
  read_options.progress = &parse;
  read_options.replace = o.replace;
  read_options.skip_invalid = o.skip_invalid;
  VintageFile read = read_vintage_file(path, mapping, read_options);
  ParsedFile& file = read.file;
  progress.done();
  if (file.problem_count() > 0) {
    size_t shown = std::min(file.problems.size(), o.max_problems);
    for (size_t i = 0; i < shown; ++i) std::cerr << file.problems[i].to_string() << "\n";
    if (shown < file.problem_count())
      std::cerr << "... and " << thousands(static_cast<int64_t>(file.problem_count() - shown))
                << " more problems\n";
    if (read.refused) {
      std::cerr << path << ": " << thousands(static_cast<int64_t>(file.problem_count()))
                << (file.problem_count() == 1 ? " problem" : " problems") << "; nothing was stored (use --skip-invalid to store the valid rows)\n";
      return 1;
    }
    std::cerr << path << ": skipped " << thousands(file.rows_rejected)
              << " invalid rows (--skip-invalid)\n";
  }
  // The whole line is printed once the work is done, so the progress bar
  // on stderr never cuts into it.
  std::ostringstream line;
  line << path << ": " << file.source << ", " << thousands(file.rows_read) << " rows read, "
       << thousands(static_cast<int64_t>(file.rows.size())) << " observations in "
       << thousands(static_cast<int64_t>(file.series.size())) << " series";
  if (o.dry_run && !store) {
    std::cout << line.str() << " (dry run: nothing stored)\n";
    return 0;
  }
  std::set<std::string> reporters;
  for (const auto& s : file.series) reporters.insert(s.key.reporter);
  const Actor actor = may_upload(file.source, reporters);
  progress.stage(path, o.dry_run ? "comparing with the store" : "storing");
  WriteOptions write_options;
  write_options.replace = o.replace;
  write_options.dry_run = o.dry_run;
  write_options.actor = actor;
  WriteResult r = store->write_vintage(file, write_options);
  progress.done();
  if (o.dry_run) {
    // What the write would do, from the same write rolled back.
    switch (r.outcome) {
      case WriteOutcome::SameFile:
        line << "; identical to vintage " << r.vintage << " of " << file.source << " (same SHA-256): would change nothing";
        break;
      case WriteOutcome::NoChangedValues:
        line << "; every value equals what is stored: would change nothing";
        break;
      case WriteOutcome::NewVintage:
        line << "; would be vintage " << r.vintage << ": " << thousands(static_cast<int64_t>(r.rows_written - r.rows_revised))
             << " new, " << thousands(static_cast<int64_t>(r.rows_revised)) << " revised, "
             << thousands(static_cast<int64_t>(r.rows_withdrawn)) << " withdrawn";
        if (r.series_added) line << ", " << thousands(static_cast<int64_t>(r.series_added)) << " new series";
        break;
    }
    std::cout << line.str() << " (dry run: nothing stored)\n";
    if (!r.largest_revisions.empty()) {
      std::cout << "  largest revisions:\n";
      for (const Revision& v : r.largest_revisions) std::cout << "    " << revision_line(v) << "\n";
    }
    return 0;
  }
  switch (r.outcome) {
    case WriteOutcome::SameFile:
      line << "; identical to vintage " << r.vintage << " of " << file.source << " (same SHA-256); nothing changed";
      break;
    case WriteOutcome::NoChangedValues:
      line << "; every value equals what is stored; nothing changed";
      break;
    case WriteOutcome::NewVintage:
      line << "; stored as vintage " << r.vintage << ": " << thousands(static_cast<int64_t>(r.rows_written))
           << " observations written";
      if (r.rows_revised) line << " (" << thousands(static_cast<int64_t>(r.rows_revised)) << " revised)";
      if (r.rows_withdrawn)
        line << "; " << thousands(static_cast<int64_t>(r.rows_withdrawn))
             << " observations held before and absent from this release withdrawn";
      break;
  }
  std::cout << line.str() << "\n";
  return 0;
}

}  // namespace

void add_ingest_command(CLI::App& app, const GlobalOptions& global, int& status) {
  auto o = std::make_shared<IngestOptions>();
  auto* cmd = app.add_subcommand("ingest", "Ingest statistics files into the store, one vintage per file");
  cmd->add_option("files", o->files, "CSV files: a CBP encounters layout, SDMX-CSV, or any CSV/HXL with --mapping")
      ->required()
      ->check(CLI::ExistingFile);
  cmd->add_option("--mapping,-m", o->mapping,
                  "mapping file (TOML) describing the CSV's columns; a relative path that does not exist here, "
                  "such as sources/pa-snm-darien.toml, is also looked for under $ATALAYA_ROOT and installed "
                  "beside the program");
  add_credential_options(cmd, o->credentials);
  cmd->add_option("--vocabulary", o->vocabulary,
                  "vocabulary file (TOML) declaring events beyond the shipped ones (default $ATALAYA_VOCABULARY)")
      ->check(CLI::ExistingFile);
  auto* replace = cmd->add_flag(
      "--replace", o->replace,
      "the file replaces everything its source holds: withdraw what it lacks however much that is, "
      "and accept a file with a header only (withdrawing everything)");
  cmd->add_flag("--skip-invalid", o->skip_invalid, "store the valid rows and report every skipped one")
      ->excludes(replace);
  cmd->add_flag("--dry-run", o->dry_run,
                "parse, validate and harmonise; store nothing. When the store exists, also say what the write "
                "would change (rows new, revised, withdrawn; the largest revisions)");
  cmd->footer(
      "Each file is one transaction: all of it is stored, or none of it.\n"
      "Re-ingesting an identical file changes nothing; a corrected file adds a vintage.\n"
      "A complete release that would withdraw more than 5% of what its source holds (or the mapping's\n"
      "max_withdrawal) is refused unless --replace is given.\n\n"
      "Examples:\n"
      "  atalaya ingest ../shared/data/cbp/sw-land-border-encounters-fy22-fy25aug.csv\n"
      "  atalaya ingest --mapping sources/pa-snm-darien.toml ../shared/data/corridor/pa-darien-transit-by-nationality.csv");
  cmd->callback([o, &global, &status] {
    std::string vocabulary = o->vocabulary;
    if (const char* env = std::getenv("ATALAYA_VOCABULARY"); vocabulary.empty() && env && *env) vocabulary = env;
    if (!vocabulary.empty()) load_vocabulary(vocabulary);
    std::optional<Mapping> mapping;
    if (!o->mapping.empty()) {
      const std::string path = shipped_or_given(o->mapping);
      if (!std::filesystem::is_regular_file(path))
        throw std::invalid_argument("--mapping: " + o->mapping +
                                    ": no such file (here, under $ATALAYA_ROOT or installed beside the program)");
      mapping = load_mapping(path);
    }
    std::unique_ptr<SeriesStore> store;
    UploadCheck may_upload = [](const std::string&, const std::set<std::string>&) { return local_operator_actor(); };
    if (!o->dry_run) {
      store = global.open_store();
      auto accounts = access::open_account_store(global.db);
      auto who = std::make_shared<access::Principal>(resolve_principal(*accounts, o->credentials));
      may_upload = [who, &global](const std::string& source, const std::set<std::string>& reporters) {
        for (const std::string& r : reporters)
          require_of(global.db, *who, access::Right::UploadData, "vintage.write", r, "source:" + source);
        return who->actor;
      };
    } else if (store_exists(global.db)) {
      // A dry run compares with the store only when there is one: it must
      // not create an empty store.
      store = global.open_store(true);
    }
    Progress progress;
    int failures = 0;
    for (auto& f : o->files) {
      try {
        failures += ingest_one(*o, f, mapping ? &*mapping : nullptr, store.get(), progress, may_upload);
      } catch (const InputError& e) {
        progress.done();
        for (auto& p : e.problems()) std::cerr << p.to_string() << "\n";
        std::cerr << f << ": nothing was stored\n";
        ++failures;
      } catch (const WithdrawalRefused& e) {
        progress.done();
        std::cerr << e.what() << "\n";
        ++failures;
      }
    }
    status = failures ? 1 : 0;
  });
}

}  // namespace atalaya::cli
