// Helpers shared by the commands.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include "atalaya/core/text.h"
#include "atalaya/warning/warning_event.h"
#include "cli/commands.h"

namespace atalaya::cli {

std::unique_ptr<Store> GlobalOptions::open_store(bool must_exist) const {
  if (must_exist && !std::filesystem::exists(db))
    throw std::runtime_error("no store at " + db + " (ingest a file first, or give --db PATH or $ATALAYA_DB)");
  return open_sqlite_store(db);
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
