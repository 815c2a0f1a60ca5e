// The `atalaya` program's commands. Each registers itself on the CLI11 app
// and runs against the library; the program holds no logic of its own.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "atalaya/core/actor.h"
#include "atalaya/core/error.h"
#include "atalaya/core/messages.h"
#include "atalaya/store/store.h"
#include "atalaya/warning/alert_store.h"

namespace atalaya::cli {

// Throws when `location` names an SQLite file that does not exist (a
// PostgreSQL database is taken as it is): reading commands must not create
// an empty store from a mistyped path.
void require_existing_store(const std::string& location);
// Whether there is a store at `location` (a PostgreSQL database is taken to be one).
bool store_exists(const std::string& location);

struct GlobalOptions {
  std::string db;  // --db, default $ATALAYA_DB or atalaya.db
  std::string lang = "en";  // --lang, default $ATALAYA_LANG or English: the texts the library writes
  Language language() const { return parse_language(lang).value_or(Language::En); }
  // Opens the store, creating it. With must_exist, a missing file is an
  // error instead (a query on a mistyped --db must not create an empty store).
  // The series store and the alert store at --db (the same database).
  std::unique_ptr<SeriesStore> open_store(bool must_exist = false) const;
  std::unique_ptr<AlertStore> open_alerts(bool must_exist = false) const;
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
void add_events_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_event_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_drills_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_replay_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_route_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_forecast_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_backtest_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_serve_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_deliver_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_outbox_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_store_command(CLI::App& app, int& status);
void add_user_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_token_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_audit_command(CLI::App& app, const GlobalOptions& global, int& status);
void add_process_command(CLI::App& app, const GlobalOptions& global, int& status);
// `atalaya process emergency|notify|notifications` (cmd_process_emergency.cpp):
// added to the `process` command when one is registered before it, else to a new one.
void add_process_emergency_commands(CLI::App& app, const GlobalOptions& global, int& status);

// `atalaya NOUN ack|resolve ID [--by NAME] [--note TEXT]` (lifecycle_command.cpp).
struct ChangedLifecycle {
  int64_t id = 0;
  AlertStatus status = AlertStatus::Open;
  std::string headline;
};
using LifecycleChanger = std::function<ChangedLifecycle(AlertStore&, int64_t id, AlertStatus to, const Actor& actor,
                                                        const std::string& note)>;
struct LifecycleCommand {
  std::string noun;          // "alert"
  std::string article_noun;  // "an alert"
  std::string description;   // the command's help line
  std::string list_command;  // "alerts": the command that lists the ids
  std::string example_note;  // "task force informed"
  LifecycleChanger change;   // the store's change, answered for the printed line
};
void add_lifecycle_command(CLI::App& app, const GlobalOptions& global, int& status, const LifecycleCommand& command);

// Who makes a change: --by, else $USER, else "unknown".
std::string person_or_user(const std::string& by);

// A --drill value, checked (warning_event.h); throws std::invalid_argument naming `flag`.
std::string checked_drill_name(const std::string& flag, const std::string& name);

// ---- Library errors (common.cpp) ----------------------------------------------
// The one mapping from the library's parameter names to this program's
// flags: "horizon" -> "--horizon", "max_lag" -> "--max-lag"; empty for a
// parameter no option sets (a path segment, a body field).
std::string flag_of(const std::string& parameter);

// The person at the keyboard, as the audit trail names them until accounts
// identify people at the command line: "operator:<unix user>", from
// "cli:<unix user>@<host>".
Actor local_operator_actor();
// Parameters named inside a message ("needs leading=SOURCE", "top=0 for
// all") written as options ("needs --leading SOURCE", "--top 0 for all").
std::string with_flags(std::string text);
// An Error as the command line says it: its message's leading "parameter:"
// becomes "--flag:" when a flag sets that parameter, and with_flags.
std::string cli_message(const Error& error);

// 1234567 -> "1,234,567"
std::string thousands(int64_t n);

// ---- Shipped files (shipped.cpp) ----------------------------------------------
// Files shipped with Atalaya, named relative to a checkout (triggers/default.toml,
// routes/darien-north.toml, sources/NAME.toml, web/dist), are looked for under
// each root in turn: $ATALAYA_ROOT; <exe dir>/../share/atalaya (an installed
// copy; the dashboard is share/atalaya/web there); the source tree, only for
// the program in the build tree it was compiled in.
struct ShippedRoot {
  enum Kind { Environment, Installed, SourceTree };
  std::string dir, why;
  Kind kind;
};
std::vector<ShippedRoot> shipped_roots();
// The first root holding `relative` (a file, or with `directory` a directory;
// a dashboard directory must hold a built index.html).
std::optional<std::string> find_shipped(const std::string& relative, bool directory = false);
// An option's value: as given when it exists or is absolute, else the shipped
// file of that relative name when there is one, else as given (the caller's
// error names it).
std::string shipped_or_given(const std::string& given, bool directory = false);
// The shipped default, or an error naming `flag` and ATALAYA_ROOT and where
// it looked ("no default trigger file found: give --triggers, or set ATALAYA_ROOT ...").
std::string require_shipped(const std::string& relative, bool directory, const std::string& flag,
                            const std::string& what);

// Progress on one line of stderr, redrawn with \r, only when stderr is a
// terminal: update("2021-07 (43/60 months)") shows "replay: 2021-07 (43/60 months)".
// Prints nothing at all into pipes and files (tests, scripts).
class ProgressLine {
 public:
  explicit ProgressLine(std::string command);
  ~ProgressLine();
  ProgressLine(const ProgressLine&) = delete;
  ProgressLine& operator=(const ProgressLine&) = delete;
  bool active() const { return tty_; }
  void update(const std::string& text);
  void clear();  // erases the line (before printing results on a terminal)

 private:
  std::string command_;
  bool tty_;
  bool drawn_ = false;
};

}  // namespace atalaya::cli
