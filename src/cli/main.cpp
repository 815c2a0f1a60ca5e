// atalaya: the command-line front door onto the Atalaya library.
#include <cstdlib>
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace atalaya::cli;
  CLI::App app{"Atalaya: a watchtower over migration flows in the Americas.\n"
               "Ingests official statistics into one harmonised, versioned store and queries them."};
  app.require_subcommand(1);
  // Lets --db come after the subcommand too (atalaya series --db x.db ...).
  app.fallthrough();
  app.set_version_flag("--version", std::string("atalaya ") + ATALAYA_VERSION);
  app.footer("Each command's --help shows its options and examples (atalaya route --help).\n"
             "The shipped triggers, routes, mapping files and dashboard are found under $ATALAYA_ROOT,\n"
             "then beside the installed program (../share/atalaya).\n\n"
             "Examples:\n  atalaya ingest ../shared/data/cbp/sw-land-border-encounters-fy22-fy25aug.csv\n"
             "  atalaya series --source us-cbp-swb --freq FY");
  GlobalOptions global;
  const char* env = std::getenv("ATALAYA_DB");
  global.db = env && *env ? env : "atalaya.db";
  app.add_option("--db", global.db, "the store: an SQLite file, or a postgresql:// URI (default $ATALAYA_DB or atalaya.db)");
  // English unless asked: LANG is the machine's, often not the reader's choice.
  const char* lang_env = std::getenv("ATALAYA_LANG");
  if (lang_env && *lang_env) {
    if (!atalaya::parse_language(lang_env)) {
      std::cerr << "atalaya: ATALAYA_LANG: '" << lang_env << "' is not a supported language (expected en or es)\n";
      return 2;
    }
    global.lang = std::string(atalaya::language_code(*atalaya::parse_language(lang_env)));
  }
  app.add_option("--lang", global.lang,
                 "language of the texts Atalaya writes: alert explanations, route roles and notes "
                 "(en or es; default $ATALAYA_LANG or en)")
      ->check(CLI::IsMember({"en", "es"}));
  int status = 0;
  add_ingest_command(app, global, status);
  add_sources_command(app, global, status);
  add_series_command(app, global, status);
  add_dimensions_command(app, global, status);
  add_countries_command(app, status);
  add_simulate_command(app, status);
  add_watch_command(app, global, status);
  add_alerts_command(app, global, status);
  add_alert_command(app, global, status);
  add_events_command(app, global, status);
  add_event_command(app, global, status);
  add_drills_command(app, global, status);
  add_deliver_command(app, global, status);
  add_outbox_command(app, global, status);
  add_replay_command(app, global, status);
  add_route_command(app, global, status);
  add_forecast_command(app, global, status);
  add_backtest_command(app, global, status);
  add_serve_command(app, global, status);
  add_store_command(app, status);
  add_user_command(app, global, status);
  add_token_command(app, global, status);
  add_audit_command(app, global, status);
  add_process_command(app, global, status);
  add_process_emergency_commands(app, global, status);  // after any other `process` command
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const atalaya::Error& e) {
    std::cerr << "atalaya: " << cli_message(e) << "\n";
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "atalaya: " << e.what() << "\n";
    return 1;
  }
  return status;
}
