// Helpers shared by the commands.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "atalaya/core/text.h"
#include "atalaya/store/sql/connection.h"
#include "atalaya/warning/warning_event.h"
#include "cli/commands.h"

namespace atalaya::cli {

namespace {
void check_exists(const std::string& db, bool must_exist) {
  if (must_exist && !sql::is_postgres_uri(db) && !std::filesystem::exists(db))
    throw std::runtime_error("no store at " + db + " (ingest a file first, or give --db PATH or $ATALAYA_DB)");
}
}  // namespace

std::unique_ptr<SeriesStore> GlobalOptions::open_store(bool must_exist) const {
  check_exists(db, must_exist);
  return atalaya::open_store(db);
}

std::unique_ptr<AlertStore> GlobalOptions::open_alerts(bool must_exist) const {
  check_exists(db, must_exist);
  return open_alert_store(db);
}

std::string thousands(int64_t n) { return atalaya::thousands(n); }

std::string person_or_user(const std::string& by) {
  if (!by.empty()) return by;
  const char* user = std::getenv("USER");
  return user && *user ? user : "unknown";
}

std::string checked_drill_name(const std::string& flag, const std::string& name) {
  if (!is_drill_name(name))
    throw std::invalid_argument(flag + ": '" + name + "' is not a drill name (" + kDrillNameRule + ")");
  return name;
}

ProgressLine::ProgressLine(std::string command) : command_(std::move(command)), tty_(isatty(STDERR_FILENO)) {}

ProgressLine::~ProgressLine() { clear(); }

void ProgressLine::update(const std::string& text) {
  if (!tty_) return;
  std::cerr << "\r\033[K" << command_ << ": " << text << std::flush;
  drawn_ = true;
}

void ProgressLine::clear() {
  if (drawn_) std::cerr << "\r\033[K" << std::flush;
  drawn_ = false;
}

}  // namespace atalaya::cli
