// atalaya watch, alerts, alert ack|resolve, replay: the early-warning commands.
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "atalaya/analysis/cube.h"
#include "atalaya/core/country.h"
#include "atalaya/core/utc_time.h"
#include "atalaya/warning/alert_book.h"
#include "atalaya/warning/alert_json.h"
#include "atalaya/warning/atom.h"
#include "atalaya/warning/cap.h"
#include "atalaya/warning/evaluate.h"
#include "atalaya/warning/outbox.h"
#include "atalaya/warning/event_json.h"
#include "atalaya/warning/replay_run.h"
#include "atalaya/warning/watch_run.h"
#include "cli/commands.h"
#include "cli/principal.h"
#include "cli/event_print.h"

namespace atalaya::cli {
namespace {

// --triggers as given (a relative path that does not exist here is also
// looked for where the shipped files are), else the shipped default.
std::string trigger_file(const std::string& given) {
  if (!given.empty()) return shipped_or_given(given);
  return require_shipped("triggers/default.toml", false, "--triggers FILE", "default trigger file");
}

std::string number(double v) {
  if (!std::isfinite(v)) return "no data";  // a month no release covers, never 0
  return thousands(static_cast<int64_t>(std::llround(v)));
}

// A statistic as printed (2, 2.59552): a month with no data, or a ratio
// against a baseline of 0, in words, never "nan" or "inf".
std::string statistic(double v) {
  if (std::isnan(v)) return "–";
  if (std::isinf(v)) return v > 0 ? "unbounded (baseline 0)" : "-unbounded";
  std::ostringstream out;
  out << v;
  return out.str();
}

// A CSV field: empty for a month with no data.
std::string csv_number(double v) { return std::isfinite(v) ? statistic(v) : ""; }

std::string who(const Alert& a) {
  auto it = a.key.find("citizenship");
  if (it == a.key.end()) return "";
  return it->second;
}

std::string where(const Alert& a) {
  for (auto dim : {"checkpoint", "source", "location", "reporter"})
    if (auto it = a.key.find(dim); it != a.key.end()) return it->second;
  return a.key_text();
}

std::string span(const Alert& a) {
  std::string s = a.first_period.to_string();
  if (!(a.last_period == a.first_period)) s += ".." + a.last_period.to_string();
  return s;
}

std::string window(const Alert& a) {
  if (!a.window_from || !a.window_to) return "";
  return a.window_from->to_string() + ".." + a.window_to->to_string();
}

void print_alert_table(const std::vector<Alert>& alerts, bool evidence, Language lang) {
  if (alerts.empty()) {
    std::cout << "(no alerts)\n";
    return;
  }
  std::cout << std::left << std::setw(6) << "id" << std::setw(13) << "status" << std::setw(10) << "severity"
            << std::setw(18) << "trigger" << std::setw(6) << "who" << std::setw(26) << "where" << std::setw(18)
            << "months" << std::right << std::setw(10) << "value" << std::setw(10) << "baseline" << "  "
            << "arrival window\n";
  for (auto& a : alerts) {
    std::cout << std::left << std::setw(6) << a.id << std::setw(13) << alert_status_name(a.status) << std::setw(10)
              << severity_name(a.severity) << std::setw(18) << a.trigger << std::setw(6) << who(a) << std::setw(26)
              << where(a) << std::setw(18) << span(a) << std::right << std::setw(10) << number(a.evidence.value)
              << std::setw(10) << number(a.evidence.baseline) << "  " << window(a) << "\n";
    if (evidence) {
      std::cout << "      " << a.explanation_in(lang) << "\n";
      if (!a.evidence.recent.empty()) {
        std::cout << "      recent (" << a.evidence.recent_start.to_string() << " on):";
        size_t from = a.evidence.recent.size() > 8 ? a.evidence.recent.size() - 8 : 0;
        if (from) std::cout << " ...";
        for (size_t i = from; i < a.evidence.recent.size(); ++i) std::cout << " " << number(a.evidence.recent[i]);
        std::cout << "\n";
      }
    }
  }
}

// A list of alerts as one CAP feed: an Atom document whose entries carry
// each alert's CAP message, linking to its URL under the API when known.
std::string alerts_cap_feed(const std::vector<Alert>& alerts, std::string base_url) {
  while (!base_url.empty() && base_url.back() == '/') base_url.pop_back();
  CapOptions cap;
  std::vector<CapSubject> subjects;
  std::map<std::string, int64_t> alert_of;  // subject key -> alert id, for its URL
  for (auto& a : alerts) {
    subjects.push_back(cap_subject(a, cap));
    alert_of[subjects.back().key] = a.id;
  }
  AtomOptions atom;
  atom.title = "Atalaya early-warning alerts (CAP 1.2)";
  atom.updated_when_empty = utc_now();
  if (!base_url.empty()) atom.self_url = base_url + "/api/v1/alerts/cap.atom";
  CapUrl url;
  if (!base_url.empty())
    url = [base_url, alert_of](const CapSubject& s) {
      return base_url + "/api/v1/alerts/" + std::to_string(alert_of.at(s.key)) + "/cap";
    };
  return cap_atom_feed(subjects, atom, cap, url);
}

std::optional<Period> parse_month_option(const std::string& name, const std::string& text) {
  if (text.empty()) return std::nullopt;
  auto p = Period::parse(text);
  if (!p || p->frequency() != Frequency::Month)
    throw std::invalid_argument(name + ": '" + text + "' is not a month (expected YYYY-MM)");
  return p;
}

}  // namespace

void add_watch_command(CLI::App& app, const GlobalOptions& global, int& status) {
  struct Options {
    std::string triggers, webhook, secret_env, format = "table", as_of, drill;
    bool no_notify = false;   // deprecated no-ops: watch only queues (atalaya deliver sends)
    int attempts = 5;
    double first_delay = 1.0;
    Credentials credentials;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("watch", "Evaluate the early-warning triggers on the store and update the warning events");
  cmd->add_option("--triggers", o->triggers, "trigger file (default triggers/default.toml under $ATALAYA_ROOT or installed beside the program)");
  cmd->add_option("--webhook", o->webhook, "also notify this URL (in addition to the trigger file's [[webhook]]s)");
  cmd->add_option("--webhook-secret-env", o->secret_env, "environment variable holding --webhook's HMAC secret");
  // Deprecated: watch no longer sends notifications, so these change nothing
  // (hidden; accepted so that existing scripts keep running).
  std::vector<CLI::Option*> deprecated{cmd->add_flag("--no-notify", o->no_notify, "deprecated, no effect")->group(""),
                                      cmd->add_option("--attempts", o->attempts, "deprecated, no effect")->group(""),
                                      cmd->add_option("--retry-delay", o->first_delay, "deprecated, no effect")->group("")};
  cmd->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  cmd->add_option("--as-of", o->as_of,
                  "a drill on history: evaluate the data as it stood at the end of this month (YYYY-MM), "
                  "in the drill space as-of-YYYY-MM (or --drill), never the live inbox");
  cmd->add_option("--drill", o->drill,
                  "write to this drill space, never the live inbox, and notify no one (atalaya drills lists them)");
  add_credential_options(cmd, o->credentials);
  cmd->footer(
      "Run it after every ingest. It queues webhook notifications and returns; `atalaya deliver`\n"
      "(or the worker of `atalaya serve`) sends them.\n\n"
      "Examples:\n"
      "  atalaya ingest --mapping sources/pa-snm-darien.toml ../shared/data/corridor/pa-darien-transit-by-nationality.csv\n"
      "  atalaya watch\n"
      "  atalaya watch --as-of 2021-08                 # a drill: see it with atalaya events --drill as-of-2021-08");
  cmd->callback([&global, &status, o, deprecated] {
    TriggerSet set = load_trigger_file(trigger_file(o->triggers));
    if (!o->webhook.empty()) {
      check_webhook_url(o->webhook);
      WebhookEndpoint w{o->webhook, "", o->secret_env};
      if (!o->secret_env.empty())
        if (const char* s = std::getenv(o->secret_env.c_str())) w.secret = s;
      set.webhooks.push_back(w);
    }
    WatchRequest request;
    request.as_of = parse_month_option("--as-of", o->as_of);
    request.space = watch_space(request.as_of, o->drill.empty() ? "" : checked_drill_name("--drill", o->drill));
    const std::string& space = request.space;
    // The live inbox is the watch's (run_warning); a drill space is the task force's rehearsal (change_alerts).
    require_right(global.db, o->credentials, space.empty() ? access::Right::RunWarning : access::Right::ChangeAlerts,
                  space.empty() ? "watch.run" : "drill.watch");
    auto store = global.open_alerts(true);
    // Over a large store this takes a while: say which stage it is in (on a terminal only).
    ProgressLine progress("watch");
    progress.update("loading " + global.db + "...");
    const Cube cube = Cube::load(*global.open_store(true));
    progress.update("evaluating " + std::to_string(set.triggers.size()) + " triggers" +
                    (request.as_of ? " as of " + request.as_of->to_string() : "") + "...");
    WatchReport report;
    try {
      report = run_watch(*store, cube, set, request);
    } catch (const Error& e) {
      throw StoreError(std::string("watch: the alerts could not be stored (nothing was changed or queued): ") +
                       e.what());
    }
    progress.clear();
    if (std::any_of(deprecated.begin(), deprecated.end(), [](CLI::Option* x) { return x->count() > 0; }))
      std::cerr << "atalaya: watch --no-notify, --attempts and --retry-delay are deprecated and do nothing: watch "
                   "only queues notifications; `atalaya deliver` sends them\n";
    const Evaluation& ev = report.run.evaluation;
    const WatchCounts& c = report.run.counts;
    const int queued = report.queued;
    const std::vector<WarningEvent>& open = report.active;
    if (o->format == "json") {
      nlohmann::json j = {{"triggers", set.triggers.size()},
                          {"drill", space.empty() ? nlohmann::json(nullptr) : nlohmann::json(space)},
                          {"series_evaluated", ev.series_evaluated},
                          {"below_minimum_volume", ev.below_volume},
                          {"events", {{"opened", c.events_opened}, {"escalated", c.events_escalated},
                                      {"spread", c.events_spread}, {"expired", c.events_expired}}},
                          {"opened", c.alerts_opened},
                          {"extended", c.alerts_extended},
                          {"escalated", c.alerts_escalated},
                          {"expired", c.alerts_expired},
                          {"notifications", {{"queued", queued}}},
                          {"notes", ev.notes},
                          {"active", nlohmann::json::array()}};
      for (auto& e : open) j["active"].push_back(event_to_json(e));
      std::cout << j.dump(2) << "\n";
    } else {
      std::cout << "watch: " << set.triggers.size() << " triggers from " << set.file << ", "
                << thousands(static_cast<int64_t>(ev.series_evaluated)) << " series evaluated ("
                << thousands(static_cast<int64_t>(ev.below_volume)) << " below their minimum volume)\n";
      if (!space.empty())
        std::cout << "drill: " << space << " (the live inbox is untouched; atalaya events --drill " << space
                  << ")\n";
      std::cout << "events: " << c.events_opened << " opened, " << c.events_escalated << " escalated, "
                << c.events_spread << " spread, " << c.events_expired << " expired; " << open.size() << " active\n";
      std::cout << "alerts: " << c.alerts_opened << " opened, " << c.alerts_extended << " extended, "
                << c.alerts_escalated << " escalated, " << c.alerts_expired << " expired\n";
      if (!set.webhooks.empty() && space.empty())
        std::cout << "notifications: " << queued << " queued for " << set.webhooks.size()
                  << " endpoint(s); atalaya deliver (or atalaya serve) sends them\n";
      for (auto& n : ev.notes) std::cout << "note: " << n << "\n";
      std::cout << "\n";
      print_event_inbox(std::cout, open, true, global.language());
    }
    status = 0;
  });
}

void add_alerts_command(CLI::App& app, const GlobalOptions& global, int& status) {
  struct Options {
    std::string status = "active", trigger, format = "table", sender = "atalaya", base_url, drill;
    Credentials credentials;
    int64_t show = 0;
    size_t limit = 0;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("alerts", "List early-warning alerts (export as JSON, CAP 1.2 or Atom)");
  cmd->add_option("--status", o->status, "active (open or acknowledged; default), open, acknowledged, resolved, expired, all")
      ->check(CLI::IsMember({"active", "open", "acknowledged", "resolved", "expired", "all"}));
  cmd->add_option("--trigger", o->trigger, "only this trigger's alerts");
  cmd->add_option("--limit", o->limit, "at most this many, newest first");
  cmd->add_option("--drill", o->drill, "a drill space's alerts instead of the live inbox's");
  cmd->add_option("--show", o->show, "one alert in full: evidence, history, notifications");
  cmd->add_option("--format", o->format, "table, json, cap (CAP 1.2 XML) or atom (Atom feed)")
      ->check(CLI::IsMember({"table", "json", "cap", "atom"}));
  cmd->add_option("--base-url", o->base_url,
                  "the API's public address (https://atalaya.example.org): feed entries link to each CAP message there");
  cmd->footer("Examples:\n  atalaya alerts\n  atalaya alerts --status all --format atom > alerts.xml\n"
              "  atalaya alerts --status all --format cap --base-url https://atalaya.example.org > cap.xml\n"
              "  atalaya alerts --show 3");
  add_credential_options(cmd, o->credentials);
  cmd->callback([&global, &status, o] {
    auto store = global.open_alerts(true);
    std::vector<Alert> alerts;
    if (o->show) {
      auto a = store->alert(o->show);
      if (!a) throw std::invalid_argument("--show: no alert " + std::to_string(o->show));
      if (!a->space.empty()) read_restricted(global.db, o->credentials, "read.drill", "drill:" + a->space);
      alerts.push_back(*a);
    } else {
      AlertFilter f;
      select_status(o->status, f.status, f.active_only);
      if (!o->trigger.empty()) f.trigger = o->trigger;
      if (!o->drill.empty()) {
        f.space = checked_drill_name("--drill", o->drill);
        read_restricted(global.db, o->credentials, "read.drill", "drill:" + f.space);
      }
      f.limit = o->limit;
      alerts = store->alerts(f);
    }
    if (o->format == "json") {
      nlohmann::json j = nlohmann::json::array();
      for (auto& a : alerts) j.push_back(alert_to_json(a));
      std::cout << (o->show ? j[0] : j).dump(2) << "\n";
    } else if (o->format == "cap") {
      // One alert: its CAP message. A list: one Atom feed carrying each message (docs/triggers.md).
      if (o->show) std::cout << cap_alert_xml(alerts.at(0), CapOptions{});
      else std::cout << alerts_cap_feed(alerts, o->base_url);
    } else if (o->format == "atom") {
      AtomOptions opts;
      opts.updated_when_empty = utc_now();  // an empty feed is still a valid feed, updated now
      std::cout << atom_feed(alerts, opts);
    } else if (o->show) {
      const Alert& a = alerts[0];
      std::cout << "alert " << a.id << ": " << a.headline() << "\n"
                << "trigger:  " << a.trigger << " (" << a.trigger_name_in(global.language()) << "), rule " << a.rule << "\n"
                << "key:      " << a.key_text() << "\n"
                << "status:   " << alert_status_name(a.status) << ", severity " << severity_name(a.severity) << "\n"
                << "months:   " << span(a) << "\n";
      if (a.window_from) std::cout << "arrival:  " << window(a) << " (projected)\n";
      std::cout << "evidence: " << a.explanation_in(global.language()) << "\n"
                << "          value " << number(a.evidence.value) << ", baseline " << number(a.evidence.baseline)
                << ", threshold " << statistic(a.evidence.threshold) << ", score " << statistic(a.evidence.score) << "\n";
      if (!a.evidence.recent.empty()) {
        std::cout << "recent:  ";
        Period p = a.evidence.recent_start;
        for (double v : a.evidence.recent) {
          std::cout << " " << p.to_string() << "=" << number(v);
          p = p.plus_months(1);
        }
        std::cout << "\n";
      }
      std::cout << "history:\n";
      for (auto& h : a.history)
        std::cout << "  " << h.at << "  " << std::left << std::setw(13) << alert_status_name(h.status) << std::setw(16)
                  << h.actor << h.note << "\n";
      auto deliveries = store->deliveries_of(a.id);
      if (!deliveries.empty()) std::cout << "notifications:\n";
      for (auto& d : deliveries)
        std::cout << "  " << d.event << " to " << d.endpoint << ": "
                  << (!d.delivered_at.empty() ? "delivered " + d.delivered_at
                                              : (d.failed_at.empty() ? "pending" : "given up " + d.failed_at) +
                                                    " after " + std::to_string(d.attempts) + " attempt(s)" +
                                                    (d.last_error.empty() ? "" : " (" + d.last_error + ")"))
                  << "\n";
    } else {
      print_alert_table(alerts, false, global.language());
    }
    status = 0;
  });
}

void add_alert_command(CLI::App& app, const GlobalOptions& global, int& status) {
  add_lifecycle_command(app, global, status,
                        {"alert", "an alert", "Acknowledge or resolve an alert", "alerts", "task force informed",
                         [](AlertStore& store, int64_t id, AlertStatus to, const Actor& actor, const std::string& note) {
                           const Alert a = store.change_alert_status(id, to, actor, note);
                           return ChangedLifecycle{a.id, a.status, a.headline()};
                         }});
}

void add_replay_command(CLI::App& app, const GlobalOptions& global, int& status) {
  struct Options {
    std::string from, to, triggers, format = "table", drill;
    std::vector<std::string> only;
    bool every_change = false;
    Credentials credentials;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "replay", "Run the triggers month by month over history, seeing at each month only the data up to it");
  cmd->add_option("--from", o->from, "first month evaluated (YYYY-MM)")->required();
  cmd->add_option("--to", o->to, "last month evaluated (YYYY-MM)")->required();
  cmd->add_option("--triggers", o->triggers, "trigger file (default triggers/default.toml under $ATALAYA_ROOT or installed beside the program)");
  cmd->add_option("--trigger", o->only, "only these trigger ids (repeatable)");
  cmd->add_option("--format", o->format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}));
  cmd->add_option("--drill", o->drill,
                  "also keep the replay's events and alerts in this drill space (a new or emptied one), to "
                  "look at with atalaya events --drill or the dashboard");
  cmd->add_flag("--every-change", o->every_change,
                "table: also show each month an event is only updated (csv and json always do)");
  add_credential_options(cmd, o->credentials);
  cmd->footer("Replay never writes to the live inbox; without --drill it writes nothing at all.\n\n"
              "Examples:\n"
              "  atalaya replay --from 2020-01 --to 2024-12\n"
              "  atalaya replay --from 2021-01 --to 2021-12 --drill haiti-2021\n"
              "  atalaya replay --from 2021-06 --to 2021-08 --trigger upstream-surge --format csv");
  cmd->callback([&global, &status, o] {
    auto from = parse_month_option("--from", o->from);
    auto to = parse_month_option("--to", o->to);
    if (*to < *from) throw std::invalid_argument("--to: " + o->to + " is before --from " + o->from);
    ReplayRequest request;
    request.from = *from;
    request.to = *to;
    request.space = o->drill.empty() ? "" : checked_drill_name("--drill", o->drill);
    const std::string& space = request.space;
    const TriggerSet set = select_triggers(load_trigger_file(trigger_file(o->triggers)), o->only);
    if (!space.empty()) require_right(global.db, o->credentials, access::Right::ChangeAlerts, "drill.replay");
    auto store = global.open_alerts(true);
    ProgressLine progress("replay");
    progress.update("loading " + global.db + "...");
    const Cube full = Cube::load(*global.open_store(true));
    progress.clear();
    nlohmann::json changes = nlohmann::json::array();
    if (o->format == "csv")
      std::cout << "month,change,alert,trigger,severity,key,first,last,value,baseline,window_from,window_to,"
                   "explanation,event,event_change,event_severity,event_phase\n";
    if (o->format == "table") {
      std::cout << std::left << std::setw(9) << "month" << std::setw(11) << "change";
      print_event_header(std::cout, false);
    }
    ReplayObserver observer;
    observer.month_started = [&progress](const Period& m, int done, int months) {
      progress.update(m.to_string() + " (" + std::to_string(done) + "/" + std::to_string(months) + " months)");
    };
    // Rows are printed as each month is replayed (a long replay takes minutes).
    observer.month_changed = [&](const ReplayMonth& month) {
      const Period& m = month.month;
      progress.clear();  // rows go to the terminal too
      for (auto& w : month.writes) {
        const std::string event_change = event_change_name(w);
        if (o->format == "table") {
          if (event_change == "updated" && !o->every_change) continue;
          std::cout << std::left << std::setw(9) << m.to_string() << std::setw(11) << event_change;
          print_event_line(std::cout, w.event, false);
          continue;
        }
        for (auto& x : w.alerts) {
          const Alert& a = x.alert;
          const char* kind = alert_change_name(x);
          if (o->format == "json") {
            auto j = alert_to_json(a);
            j["replay_month"] = m.to_string();
            j["change"] = kind;
            j["event_change"] = event_change;
            j["event_severity"] = severity_name(w.event.severity);
            j["event_phase"] = event_phase_name(w.event.phase);
            changes.push_back(j);
          } else {
            std::string expl = a.evidence.explanation;
            for (auto& c : expl)
              if (c == '"') c = '\'';
            std::cout << m.to_string() << "," << kind << "," << a.id << "," << a.trigger << ","
                      << severity_name(a.severity) << ",\"" << a.key_text() << "\"," << a.first_period.to_string()
                      << "," << a.last_period.to_string() << "," << csv_number(a.evidence.value) << ","
                      << csv_number(a.evidence.baseline) << "," << (a.window_from ? a.window_from->to_string() : "")
                      << "," << (a.window_to ? a.window_to->to_string() : "") << ",\"" << expl << "\","
                      << w.event.id << "," << event_change << "," << severity_name(w.event.severity) << ","
                      << event_phase_name(w.event.phase) << "\n";
          }
        }
      }
    };
    replay_history(full, set, request, *store, observer);
    progress.clear();
    if (o->format == "json") std::cout << changes.dump(2) << "\n";
    if (!space.empty() && o->format == "table")
      std::cout << "\ndrill: " << space << " holds the replay's events (atalaya events --drill " << space
                << " --status all)\n";
    status = 0;
  });
}

}  // namespace atalaya::cli
