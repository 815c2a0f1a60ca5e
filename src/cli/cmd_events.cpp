// atalaya events, event ack|resolve, drills: the warning events a task force
// acts on (one per movement; warning/warning_event.h) and the drill spaces.
#include <cstdlib>
#include <iostream>
#include <nlohmann/json.hpp>

#include "atalaya/core/utc_time.h"
#include "atalaya/warning/atom.h"
#include "atalaya/warning/event_cap.h"
#include "atalaya/warning/event_json.h"
#include "cli/commands.h"
#include "cli/principal.h"
#include "cli/event_print.h"

namespace atalaya::cli {
namespace {

std::string drill_space(const std::string& given) {
  return given.empty() ? "" : checked_drill_name("--drill", given);
}

}  // namespace

void add_events_command(CLI::App& app, const GlobalOptions& global, int& status) {
  struct Options {
    std::string status = "active", format = "table", drill;
    int64_t show = 0;
    size_t limit = 0;
    Credentials credentials;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("events", "The warning inbox: one event per movement, most new and urgent first");
  cmd->add_option("--status", o->status, "active (open or acknowledged; default), open, acknowledged, resolved, expired, all")
      ->check(CLI::IsMember({"active", "open", "acknowledged", "resolved", "expired", "all"}));
  cmd->add_option("--drill", o->drill, "a drill space's events instead of the live inbox's (atalaya drills lists them)");
  cmd->add_option("--limit", o->limit, "at most this many, in inbox order");
  cmd->add_option("--show", o->show, "one event in full: every checkpoint's evidence, projected windows, history");
  cmd->add_option("--format", o->format,
                  "table, json, or cap (CAP 1.2: one message with --show, else one Atom feed carrying each event's)")
      ->check(CLI::IsMember({"table", "json", "cap"}));
  cmd->footer("Examples:\n  atalaya events\n  atalaya events --show 4\n  atalaya events --drill as-of-2021-08 --status all\n"
              "  atalaya events --format cap > events.atom");
  add_credential_options(cmd, o->credentials);
  cmd->callback([&global, &status, o] {
    auto store = global.open_alerts(true);
    if (o->show) {
      auto e = store->event(o->show);
      if (!e) throw std::invalid_argument("--show: no event " + std::to_string(o->show));
      if (!e->space.empty()) read_restricted(global.db, o->credentials, "read.drill", "drill:" + e->space);
      if (o->format == "json")
        std::cout << event_to_json(*e, global.language()).dump(2) << "\n";
      else if (o->format == "cap")
        std::cout << cap_message_xml(cap_subject(*e));
      else
        print_event_detail(std::cout, *e, global.language());
      status = 0;
      return;
    }
    EventFilter f;
    f.space = drill_space(o->drill);
    if (!f.space.empty()) read_restricted(global.db, o->credentials, "read.drill", "drill:" + f.space);
    select_status(o->status, f.status, f.active_only);
    f.with_alerts = true;
    std::vector<WarningEvent> events = store->events(f);
    rank_events(events);
    if (o->limit && events.size() > o->limit) events.resize(o->limit);
    if (o->format == "json") {
      nlohmann::json j = nlohmann::json::array();
      for (auto& e : events) j.push_back(event_to_json(e, global.language()));
      std::cout << j.dump(2) << "\n";
    } else if (o->format == "cap") {
      std::vector<CapSubject> subjects;
      for (auto& e : events) subjects.push_back(cap_subject(e));
      AtomOptions atom;
      atom.title = "Atalaya warning events (CAP 1.2)";
      atom.updated_when_empty = utc_now();
      std::cout << cap_atom_feed(subjects, atom, CapOptions{});
    } else {
      if (!f.space.empty()) std::cout << "drill " << f.space << " (not the live inbox)\n";
      print_event_inbox(std::cout, events, true, global.language());
    }
    status = 0;
  });
}

void add_event_command(CLI::App& app, const GlobalOptions& global, int& status) {
  add_lifecycle_command(app, global, status,
                        {"event", "an event", "Acknowledge or resolve a warning event (its alerts follow)", "events",
                         "task force convened",
                         [](AlertStore& store, int64_t id, AlertStatus to, const Actor& actor, const std::string& note) {
                           const WarningEvent e = store.change_event_status(id, to, actor, note);
                           return ChangedLifecycle{e.id, e.status, e.headline()};
                         }});
}

void add_drills_command(CLI::App& app, const GlobalOptions& global, int& status) {
  struct Options {
    std::string remove;
    Credentials credentials;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("drills", "List the drill spaces (watch --as-of, replay --drill), or delete one");
  cmd->add_option("--delete", o->remove, "delete this drill space's events and alerts");
  add_credential_options(cmd, o->credentials);
  cmd->footer("Examples:\n  atalaya drills\n  atalaya drills --delete as-of-2021-08");
  cmd->callback([&global, &status, o] {
    auto store = global.open_alerts(true);
    if (!o->remove.empty()) {
      require_right(global.db, o->credentials, access::Right::ChangeAlerts, "drill.delete");
      const uint64_t n = store->delete_drill(checked_drill_name("--delete", o->remove));
      std::cout << "drill " << o->remove << ": " << n << " event(s) deleted\n";
      status = 0;
      return;
    }
    read_restricted(global.db, o->credentials, "read.drills", "");
    auto drills = store->drills();
    if (drills.empty()) std::cout << "(no drills)\n";
    for (auto& d : drills)
      std::cout << d.name << ": " << d.events << " events (" << d.active << " active), " << d.alerts
                << " alerts; created " << d.first_created << ", updated " << d.last_updated << "\n";
    status = 0;
  });
}

}  // namespace atalaya::cli
