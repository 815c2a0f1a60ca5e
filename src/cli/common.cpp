// Helpers shared by the commands.
#include <pwd.h>
#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <stdexcept>

#include "atalaya/core/text.h"
#include "atalaya/store/sql/connection.h"
#include "atalaya/warning/warning_event.h"
#include "cli/commands.h"

namespace atalaya::cli {

bool store_exists(const std::string& location) {
  return sql::is_postgres_uri(location) || std::filesystem::exists(location);
}

Actor local_operator_actor() {
  std::string user;
  if (const passwd* pw = getpwuid(geteuid()); pw && pw->pw_name) user = pw->pw_name;
  if (user.empty()) user = std::to_string(geteuid());
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  return Actor{0, "operator:" + user, "cli:" + user + "@" + host, "local"};
}

void require_existing_store(const std::string& location) {
  if (!store_exists(location))
    throw std::runtime_error("no store at " + location + " (ingest a file first, or give --db PATH or $ATALAYA_DB)");
}

std::unique_ptr<SeriesStore> GlobalOptions::open_store(bool must_exist) const {
  if (must_exist) require_existing_store(db);
  return atalaya::open_store(db);
}

std::unique_ptr<AlertStore> GlobalOptions::open_alerts(bool must_exist) const {
  if (must_exist) require_existing_store(db);
  return open_alert_store(db);
}

std::string thousands(int64_t n) { return atalaya::thousands(n); }

namespace {
// Library parameter -> flag, for every parameter a command's option sets.
const std::map<std::string, std::string, std::less<>>& parameter_flags() {
  static const std::map<std::string, std::string, std::less<>> flags{
      // the selection (selection_options.cpp)
      {"source", "--source"}, {"reporter", "--reporter"}, {"location", "--location"},
      {"citizenship", "--citizenship"}, {"counterpart", "--counterpart"}, {"event", "--event"},
      {"demographic", "--demographic"}, {"authority", "--authority"}, {"from", "--from"}, {"to", "--to"},
      {"by", "--by"},
      // forecast and backtest
      {"horizon", "--horizon"}, {"level", "--level"}, {"model", "--model"}, {"models", "--models"},
      {"leading", "--leading"}, {"max_lag", "--max-lag"}, {"lag_prior", "--lag-prior"}, {"top", "--top"},
      {"history", "--history"}, {"origins", "--origins"},
      // route, replay
      {"through", "--through"}, {"window", "--window"}, {"trigger", "--trigger"},
      // process (cmd_process*.cpp)
      {"declaration", "--declaration"}, {"joined_on", "--joined-on"}, {"withdrew_on", "--withdrew-on"},
      {"meeting", "--meeting"}, {"pillar", "--pillar"}, {"package", "--package"}, {"parties", "--party"},
      {"made_on", "--made-on"}, {"made_at", "--made-at"}, {"held_on", "--held-on"}, {"deadline", "--deadline"},
      {"target.unit", "--unit"}, {"target.value", "--target"}, {"after.ends_on", "--ends-on"},
      {"after.merged_into", "--into"}, {"after.name", "--name"}, {"address", "--address"}, {"text", "--text"},
      // process matrix, progress (cmd_process_seed.cpp)
      {"as_of", "--as-of"}, {"today", "--today"},
  };
  return flags;
}

// The parameters with_flags rewrites inside a message: forecast's and
// backtest's own (a selection's "source=..." in a group's title stays).
constexpr const char* kInlineParameters[] = {"by", "leading", "model", "models", "horizon", "origins", "top"};
}  // namespace

std::string flag_of(const std::string& parameter) {
  auto it = parameter_flags().find(parameter);
  return it == parameter_flags().end() ? "" : it->second;
}

std::string with_flags(std::string text) {
  for (const char* name : kInlineParameters) {
    const std::string from = std::string(name) + "=";
    for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + 1)) {
      const bool word_start = at == 0 || !(std::isalnum(static_cast<unsigned char>(text[at - 1])) ||
                                           text[at - 1] == '_' || text[at - 1] == '-');
      if (word_start) text.replace(at, from.size(), flag_of(name) + " ");
    }
  }
  return text;
}

std::string cli_message(const Error& error) {
  std::string text = error.what();
  const std::string& parameter = error.parameter();
  const std::string flag = flag_of(parameter);
  if (!flag.empty() && text.compare(0, parameter.size() + 1, parameter + ":") == 0)
    text = flag + text.substr(parameter.size());
  return with_flags(std::move(text));
}

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
