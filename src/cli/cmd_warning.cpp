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
#include "cli/commands.h"

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
    std::string triggers, webhook, secret_env, format = "table", as_of;
    bool no_notify = false;
    int attempts = 5;
    double first_delay = 1.0;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("watch", "Evaluate the early-warning triggers on the store and update the alerts");
  cmd->add_option("--triggers", o->triggers, "trigger file (default triggers/default.toml under $ATALAYA_ROOT or installed beside the program)");
  cmd->add_option("--webhook", o->webhook, "also notify this URL (in addition to the trigger file's [[webhook]]s)");
  cmd->add_option("--webhook-secret-env", o->secret_env, "environment variable holding --webhook's HMAC secret");
  cmd->add_flag("--no-notify", o->no_notify, "queue notifications but do not send them now");
  cmd->add_option("--attempts", o->attempts, "delivery attempts per notification in this run (default 5)")
      ->check(CLI::Range(1, 100));
  cmd->add_option("--retry-delay", o->first_delay, "seconds before the second attempt; doubles each time (default 1)")
      ->check(CLI::Range(0.0, 600.0));
  cmd->add_option("--format", o->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  cmd->add_option("--as-of", o->as_of,
                  "evaluate the data as it stood at the end of this month (YYYY-MM): a drill on history, "
                  "or a first run that starts from a past month");
  cmd->footer(
      "Run it after every ingest.\n\n"
      "Examples:\n"
      "  atalaya ingest --mapping sources/pa-snm-darien.toml ../shared/data/corridor/pa-darien-transit-by-nationality.csv\n"
      "  atalaya watch\n"
      "  atalaya watch --as-of 2021-08 --triggers triggers/default.toml");
  cmd->callback([&global, &status, o] {
    TriggerSet set = load_trigger_file(trigger_file(o->triggers));
    if (!o->webhook.empty()) {
      check_webhook_url(o->webhook);
      WebhookEndpoint w{o->webhook, "", o->secret_env};
      if (!o->secret_env.empty())
        if (const char* s = std::getenv(o->secret_env.c_str())) w.secret = s;
      set.webhooks.push_back(w);
    }
    const std::optional<Period> as_of = parse_month_option("--as-of", o->as_of);
    auto store = global.open_store(true);
    // Over a large store this takes a while: say which stage it is in (on a terminal only).
    ProgressLine progress("watch");
    progress.update("loading " + global.db + "...");
    Cube cube = Cube::load(*store);
    if (as_of) cube = cube.as_of(*as_of);
    AlertFilter active_filter;
    active_filter.active_only = true;
    std::vector<Alert> active = store->alerts(active_filter);
    progress.update("evaluating " + std::to_string(set.triggers.size()) + " triggers" +
                    (as_of ? " as of " + as_of->to_string() : "") + "...");
    Evaluation ev = evaluate_triggers(cube, set, &active);
    progress.clear();
    LifecyclePolicy policy;
    policy.expire_after_months = set.expire_after_months;
    auto updates = merge_firings(active, ev.firings, ev.evaluated, policy);
    std::vector<AlertWrite> writes;
    int opened = 0, extended = 0, escalated = 0, expired = 0;
    for (auto& u : updates) {
      writes.push_back(u.write);
      opened += u.kind == AlertChangeKind::Opened;
      extended += u.kind == AlertChangeKind::Extended;
      escalated += u.kind == AlertChangeKind::Escalated;
      expired += u.kind == AlertChangeKind::Expired;
    }
    std::vector<std::string> endpoints;
    for (auto& w : set.webhooks) endpoints.push_back(w.url);
    store->save_alerts(writes, endpoints, webhook_notification_builder());
    OutboxReport outbox;
    if (!o->no_notify && !set.webhooks.empty()) {
      RetryPolicy retry;
      retry.max_attempts = o->attempts;
      retry.initial_delay = std::chrono::milliseconds(static_cast<int64_t>(o->first_delay * 1000));
      outbox = deliver_due(*store, set.webhooks, retry);
    }
    std::vector<Alert> open = store->alerts(active_filter);
    if (o->format == "json") {
      nlohmann::json j = {{"triggers", set.triggers.size()},
                          {"series_evaluated", ev.series_evaluated},
                          {"below_minimum_volume", ev.below_volume},
                          {"opened", opened},
                          {"extended", extended},
                          {"escalated", escalated},
                          {"expired", expired},
                          {"notifications", {{"delivered", outbox.delivered}, {"failed", outbox.failed}}},
                          {"notes", ev.notes},
                          {"active", nlohmann::json::array()}};
      for (auto& a : open) j["active"].push_back(alert_to_json(a));
      std::cout << j.dump(2) << "\n";
    } else {
      std::cout << "watch: " << set.triggers.size() << " triggers from " << set.file << ", "
                << thousands(static_cast<int64_t>(ev.series_evaluated)) << " series evaluated ("
                << thousands(static_cast<int64_t>(ev.below_volume)) << " below their minimum volume)\n";
      std::cout << "alerts: " << opened << " opened, " << extended << " extended, " << escalated << " escalated, "
                << expired << " expired; " << open.size() << " active\n";
      if (!set.webhooks.empty())
        std::cout << "notifications: " << outbox.delivered << " delivered, " << outbox.failed
                  << " still pending (retried on the next run)\n";
      for (auto& e : outbox.errors) std::cerr << "atalaya: notification not delivered: " << e << "\n";
      for (auto& n : ev.notes) std::cout << "note: " << n << "\n";
      std::cout << "\n";
      print_alert_table(open, true, global.language());
    }
    status = 0;
  });
}

void add_alerts_command(CLI::App& app, const GlobalOptions& global, int& status) {
  struct Options {
    std::string status = "active", trigger, format = "table", sender = "atalaya";
    int64_t show = 0;
    size_t limit = 0;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("alerts", "List early-warning alerts (export as JSON, CAP 1.2 or Atom)");
  cmd->add_option("--status", o->status, "active (open or acknowledged; default), open, acknowledged, resolved, expired, all")
      ->check(CLI::IsMember({"active", "open", "acknowledged", "resolved", "expired", "all"}));
  cmd->add_option("--trigger", o->trigger, "only this trigger's alerts");
  cmd->add_option("--limit", o->limit, "at most this many, newest first");
  cmd->add_option("--show", o->show, "one alert in full: evidence, history, notifications");
  cmd->add_option("--format", o->format, "table, json, cap (CAP 1.2 XML) or atom (Atom feed)")
      ->check(CLI::IsMember({"table", "json", "cap", "atom"}));
  cmd->footer("Examples:\n  atalaya alerts\n  atalaya alerts --status all --format atom > alerts.xml\n"
              "  atalaya alerts --show 3");
  cmd->callback([&global, &status, o] {
    auto store = global.open_store(true);
    std::vector<Alert> alerts;
    if (o->show) {
      auto a = store->alert(o->show);
      if (!a) throw std::invalid_argument("--show: no alert " + std::to_string(o->show));
      alerts.push_back(*a);
    } else {
      AlertFilter f;
      if (o->status == "active") f.active_only = true;
      else if (o->status != "all") f.status = parse_alert_status(o->status);
      if (!o->trigger.empty()) f.trigger = o->trigger;
      f.limit = o->limit;
      alerts = store->alerts(f);
    }
    if (o->format == "json") {
      nlohmann::json j = nlohmann::json::array();
      for (auto& a : alerts) j.push_back(alert_to_json(a));
      std::cout << (o->show ? j[0] : j).dump(2) << "\n";
    } else if (o->format == "cap") {
      CapOptions opts;
      if (o->show || alerts.size() == 1) {
        std::cout << cap_alert_xml(alerts.at(0), opts);
      } else {
        for (auto& a : alerts) std::cout << cap_alert_xml(a, opts) << "\n";
      }
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
                  << (d.delivered_at.empty() ? "pending after " + std::to_string(d.attempts) + " attempt(s)" +
                                                   (d.last_error.empty() ? "" : " (" + d.last_error + ")")
                                             : "delivered " + d.delivered_at)
                  << "\n";
    } else {
      print_alert_table(alerts, false, global.language());
    }
    status = 0;
  });
}

void add_alert_command(CLI::App& app, const GlobalOptions& global, int& status) {
  auto* cmd = app.add_subcommand("alert", "Acknowledge or resolve an alert");
  cmd->require_subcommand(1);
  cmd->footer("Examples:\n  atalaya alerts\n  atalaya alert ack 3 --by maria --note 'task force informed'\n"
              "  atalaya alert resolve 3 --by maria --note 'arrivals back to normal'");
  for (auto [verb, to, help] : {std::tuple{"ack", AlertStatus::Acknowledged, "Acknowledge an alert: someone is on it"},
                                std::tuple{"resolve", AlertStatus::Resolved, "Resolve an alert: no further action"}}) {
    struct Options {
      int64_t id = 0;
      std::string by, note;
    };
    auto o = std::make_shared<Options>();
    auto* sub = cmd->add_subcommand(verb, help);
    sub->add_option("id", o->id, "the alert's id (atalaya alerts lists them)")->required();
    sub->add_option("--by", o->by, "who (default $USER)");
    sub->add_option("--note", o->note, "why, for the record");
    sub->footer(std::string("Example:\n  atalaya alert ") + verb + " 3 --by maria --note 'task force informed'");
    AlertStatus target = to;
    sub->callback([&global, &status, o, target] {
      auto store = global.open_store(true);
      std::string actor = o->by;
      if (actor.empty()) {
        const char* user = std::getenv("USER");
        actor = user && *user ? user : "unknown";
      }
      Alert a = store->change_alert_status(o->id, target, actor, o->note);
      std::cout << "alert " << a.id << " " << alert_status_name(a.status) << " by " << actor << ": " << a.headline()
                << "\n";
      status = 0;
    });
  }
}

void add_replay_command(CLI::App& app, const GlobalOptions& global, int& status) {
  struct Options {
    std::string from, to, triggers, format = "table";
    std::vector<std::string> only;
    bool every_change = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand(
      "replay", "Run the triggers month by month over history, seeing at each month only the data up to it");
  cmd->add_option("--from", o->from, "first month evaluated (YYYY-MM)")->required();
  cmd->add_option("--to", o->to, "last month evaluated (YYYY-MM)")->required();
  cmd->add_option("--triggers", o->triggers, "trigger file (default triggers/default.toml under $ATALAYA_ROOT or installed beside the program)");
  cmd->add_option("--trigger", o->only, "only these trigger ids (repeatable)");
  cmd->add_option("--format", o->format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}));
  cmd->add_flag("--every-change", o->every_change,
                "table: also show each month an alert is extended (csv and json always do)");
  cmd->footer("Replay never writes alerts to the store.\n\n"
              "Examples:\n"
              "  atalaya replay --from 2020-01 --to 2024-12\n"
              "  atalaya replay --from 2021-06 --to 2021-08 --trigger upstream-surge --format csv");
  cmd->callback([&global, &status, o] {
    auto from = parse_month_option("--from", o->from);
    auto to = parse_month_option("--to", o->to);
    if (*to < *from) throw std::invalid_argument("--to: " + o->to + " is before --from " + o->from);
    TriggerSet set = load_trigger_file(trigger_file(o->triggers));
    if (!o->only.empty()) {
      std::vector<Trigger> kept;
      for (auto& id : o->only) {
        auto it = std::find_if(set.triggers.begin(), set.triggers.end(), [&](const Trigger& t) { return t.id == id; });
        if (it == set.triggers.end()) throw std::invalid_argument("--trigger: no trigger '" + id + "' in " + set.file);
        kept.push_back(*it);
      }
      set.triggers = kept;
    }
    auto store = global.open_store(true);
    ProgressLine progress("replay");
    progress.update("loading " + global.db + "...");
    Cube full = Cube::load(*store);
    progress.clear();
    std::vector<Alert> active;
    LifecyclePolicy policy;
    policy.expire_after_months = set.expire_after_months;
    policy.actor = "atalaya replay";
    nlohmann::json events = nlohmann::json::array();
    int64_t next_id = 1;
    if (o->format == "csv") std::cout << "month,change,alert,trigger,severity,key,first,last,value,baseline,window_from,window_to,explanation\n";
    if (o->format == "table")
      std::cout << std::left << std::setw(9) << "month" << std::setw(10) << "change" << std::setw(6) << "alert"
                << std::setw(18) << "trigger" << std::setw(10) << "severity" << std::setw(6) << "who"
                << std::setw(26) << "where" << std::right << std::setw(10) << "value" << "  arrival window\n";
    const int months = atalaya::month_number(*to) - atalaya::month_number(*from) + 1;
    int done = 0;
    for (Period m = *from; !(*to < m); m = m.plus_months(1)) {
      progress.update(m.to_string() + " (" + std::to_string(++done) + "/" + std::to_string(months) +
                      " months)");
      Cube cube = full.as_of(m);
      Evaluation ev = evaluate_triggers(cube, set, &active);
      auto updates = merge_firings(active, ev.firings, ev.evaluated, policy);
      if (!updates.empty()) progress.clear();  // rows go to the terminal too
      for (auto& u : updates) {
        Alert& a = u.write.alert;
        if (a.id == 0) {  // number alerts in replay order; keep the number on the active copy
          a.id = next_id++;
          for (auto& x : active)
            if (x.id == 0 && x.trigger == a.trigger && x.key == a.key) x.id = a.id;
        }
        const char* kind = u.kind == AlertChangeKind::Opened      ? "opened"
                           : u.kind == AlertChangeKind::Extended  ? "extended"
                           : u.kind == AlertChangeKind::Escalated ? "escalated"
                                                                  : "expired";
        if (o->format == "json") {
          auto j = alert_to_json(a);
          j["replay_month"] = m.to_string();
          j["change"] = kind;
          events.push_back(j);
        } else if (o->format == "csv") {
          std::string expl = a.evidence.explanation;
          for (auto& c : expl)
            if (c == '"') c = '\'';
          std::cout << m.to_string() << "," << kind << "," << a.id << "," << a.trigger << "," << severity_name(a.severity)
                    << ",\"" << a.key_text() << "\"," << a.first_period.to_string() << "," << a.last_period.to_string()
                    << "," << csv_number(a.evidence.value) << "," << csv_number(a.evidence.baseline) << ","
                    << (a.window_from ? a.window_from->to_string() : "") << ","
                    << (a.window_to ? a.window_to->to_string() : "") << ",\"" << expl << "\"\n";
        } else if (u.kind != AlertChangeKind::Extended || o->every_change) {
          std::cout << std::left << std::setw(9) << m.to_string() << std::setw(10) << kind << std::setw(6) << a.id
                    << std::setw(18) << a.trigger << std::setw(10) << severity_name(a.severity) << std::setw(6)
                    << who(a) << std::setw(26) << where(a) << std::right << std::setw(10)
                    << number(a.evidence.value) << "  " << window(a) << "\n";
        }
      }
    }
    progress.clear();
    if (o->format == "json") std::cout << events.dump(2) << "\n";
    status = 0;
  });
}

}  // namespace atalaya::cli
