// atalaya process emergency|notify|notifications: an emergency session
// called from a warning event, its notifications delivered, and the time
// each party was notified after the event was first raised
// (process/emergency_session.h, process/notification_delivery.h).
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "atalaya/core/utc_time.h"
#include "atalaya/process/emergency_session.h"
#include "atalaya/process/notification_delivery.h"
#include "cli/commands.h"
#include "cli/principal.h"

namespace atalaya::cli {
namespace {

using nlohmann::json;
using namespace atalaya::process;

// The library's parameter names as these commands spell them.
Error with_our_flags(const Error& e) {
  static const std::map<std::string, std::string> flags{{"held_on", "--held-on"}, {"drill", "--drill"},
                                                        {"hosts", "--host"},      {"declaration", "--declaration"},
                                                        {"event", "EVENT_ID"},    {"meeting", "MEETING"}};
  std::string text = e.what();
  auto it = flags.find(e.parameter());
  if (it != flags.end() && text.rfind(e.parameter() + ":", 0) == 0) text = it->second + text.substr(e.parameter().size());
  return Error(e.code(), "", text);
}

// The process subcommand: the one another file registered, else a new one.
CLI::App* process_command(CLI::App& app) {
  try {
    return app.get_subcommand("process");
  } catch (const CLI::OptionNotFound&) {
    auto* cmd = app.add_subcommand("process", "The L.A. Process: declarations, pillars, commitments, meetings");
    cmd->require_subcommand(1);
    return cmd;
  }
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

std::string state_of(const Notification& n) {
  if (!n.delivered_at.empty()) return "delivered";
  if (!n.failed_at.empty()) return "failed";
  return "waiting";
}

void print_session(const EmergencySessionWrite& w, const EmergencySessionPlan& plan, const std::string& format) {
  const Meeting& m = w.meeting;
  const Pillar& p = w.pillar.after;
  if (format == "json") {
    json states = json::array();
    for (auto& rs : plan.route_states)
      states.push_back({{"party", rs.party},
                        {"participant", rs.participant},
                        {"notified", rs.notified},
                        {"not_notified", rs.not_notified.empty() ? json(nullptr) : json(rs.not_notified)}});
    std::cout << json{{"declaration", m.declaration},
                      {"meeting", m.code},
                      {"title", {{"en", m.title.en}, {"es", m.title.es}}},
                      {"held_on", m.held_on},
                      {"event_id", m.event_id ? json(*m.event_id) : json(nullptr)},
                      {"event_raised_at", m.event_raised_at},
                      {"called_at", m.called_at},
                      {"called_by", m.called_by.name},
                      {"participants", m.participants},
                      {"pillar", p.code},
                      {"route_states", states},
                      {"notifications_queued", w.notifications.size()},
                      {"evidence", json::parse(m.evidence)}}
                     .dump(2)
              << "\n";
    return;
  }
  std::cout << "emergency session " << m.code << " called (" << m.declaration << "), held on " << m.held_on << "\n"
            << "  " << m.title.en << "\n  " << m.title.es << "\n"
            << "  warning event " << (m.event_id ? std::to_string(*m.event_id) : "?") << ", first raised "
            << m.event_raised_at << "; called " << m.called_at << " by " << m.called_by.name << "\n"
            << "  emergency pillar " << p.code << " (number " << p.number << "): " << p.name.en << "\n"
            << "agenda:\n";
  for (size_t i = 0; i < m.agenda.size(); ++i) std::cout << "  " << i + 1 << ". " << m.agenda[i].en << "\n";
  std::cout << "route states:\n";
  for (auto& rs : plan.route_states) {
    std::cout << "  " << std::left << std::setw(4) << rs.party << " " << std::setw(14)
              << (rs.participant ? "participant" : "not endorser");
    std::string notified;
    for (auto& n : rs.notified) notified += (notified.empty() ? "" : ", ") + n;
    if (!notified.empty()) std::cout << " notice queued: " << notified;
    if (!rs.not_notified.empty()) std::cout << " " << rs.not_notified;
    std::cout << "\n";
  }
  std::cout << w.notifications.size() << " notification(s) queued; atalaya process notify sends them\n";
}

}  // namespace

void add_process_emergency_commands(CLI::App& app, const GlobalOptions& global, int& status) {
  CLI::App* process = process_command(app);

  // ---- process emergency EVENT_ID --held-on DAY ----
  struct CallOptions {
    int64_t event = 0;
    std::string held_on, declaration = "la-2022", drill, place, by, format = "table";
    std::vector<std::string> hosts;
    Credentials credentials;
  };
  auto c = std::make_shared<CallOptions>();
  auto* call = process->add_subcommand("emergency", "Call an emergency session from a warning event");
  call->add_option("EVENT_ID", c->event, "the warning event (atalaya events lists them)")->required();
  call->add_option("--held-on", c->held_on, "the day the session is held, YYYY-MM-DD")->required();
  call->add_option("--declaration", c->declaration, "the declaration's code (default la-2022)");
  call->add_option("--drill,--space", c->drill,
                   "the event is in this drill space (replay --drill, watch --as-of): a drill session");
  call->add_option("--host", c->hosts, "a hosting state (ISO alpha-3, a participant); repeatable");
  call->add_option("--place", c->place, "where it meets (\"virtual\")");
  call->add_option("--by", c->by, "who calls it, without accounts (default $USER)");
  call->add_option("--format", c->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  add_credential_options(call, c->credentials);
  call->footer(
      "The participants are the states on the event's route that endorse the declaration on --held-on;\n"
      "the others are listed as not endorsers, not notified. The session gets the event's evidence and\n"
      "projected windows, opens an emergency pillar tied to the event (E-<event id>), and queues one\n"
      "notification per participant and contact (atalaya process notify sends them). Needs the right\n"
      "call_emergency_session.\n\n"
      "Examples:\n  atalaya process emergency 17 --held-on 2026-12-09\n"
      "  atalaya process emergency 3 --held-on 2026-12-09 --drill replay-2021 --host PAN");
  call->callback([&global, &status, c] {
    const access::Principal who =
        require_right(global.db, c->credentials, access::Right::CallEmergencySession, "emergency_session.call");
    Actor by = who.actor;
    if (who.actor.credential == "local") by.name = person_or_user(c->by);
    if (!c->drill.empty()) checked_drill_name("--drill", c->drill);
    auto alerts = global.open_alerts(true);
    auto store = open_process_store(global.db);
    EmergencyCall request;
    request.declaration = c->declaration;
    request.held_on = c->held_on;
    request.place = c->place;
    request.hosts = c->hosts;
    request.drill = c->drill;
    request.called_at = utc_now();
    request.called_by = by;
    try {
      const EmergencySessionPlan plan = plan_emergency_session(*alerts, *store, c->event, request);
      const EmergencySessionWrite written = store->call_emergency_session(plan.write, by);
      print_session(written, plan, c->format);
    } catch (const Error& e) {
      throw with_our_flags(e);
    }
    status = 0;
  });

  // ---- process notify ----
  struct NotifyOptions {
    std::string smtp, from, secret_env, format = "table";
    int max_attempts = 5;
    int retry_delay = 30;
    Credentials credentials;
  };
  auto n = std::make_shared<NotifyOptions>();
  if (const char* s = std::getenv("ATALAYA_SMTP")) n->smtp = s;
  if (const char* s = std::getenv("ATALAYA_MAIL_FROM")) n->from = s;
  auto* notify = process->add_subcommand("notify", "Deliver the emergency-session notifications that are due");
  notify->add_option("--smtp", n->smtp, "the SMTP relay, smtp://host:port (default $ATALAYA_SMTP; none: e-mails wait)");
  notify->add_option("--from", n->from, "the sender's address (default $ATALAYA_MAIL_FROM)");
  notify->add_option("--webhook-secret-env", n->secret_env, "environment variable holding the webhooks' HMAC secret");
  notify->add_option("--max-attempts", n->max_attempts, "attempts before giving up (default 5)")
      ->check(CLI::Range(1, 100));
  notify->add_option("--retry-delay", n->retry_delay, "seconds before the second attempt, doubling after (default 30)")
      ->check(CLI::Range(0, 86400));
  notify->add_option("--format", n->format, "table or json")->check(CLI::IsMember({"table", "json"}));
  add_credential_options(notify, n->credentials);
  notify->footer(
      "One run makes at most one attempt per due notification; a failed one is retried by a later run\n"
      "after an exponential back-off, and given up on a refusal that retrying will not change (a webhook's\n"
      "4xx, an SMTP 5xx) or once its attempts are used up. Each attempt is recorded: atalaya process\n"
      "notifications shows when each party was notified. Needs the right manage_process.\n"
      "Each notice is claimed before its attempt, so runs at once (and atalaya serve, which sends them\n"
      "too: serve --smtp, --mail-from) send it once.\n"
      "Exit status: 0 when nothing failed, 1 when an attempt failed.\n\n"
      "Examples:\n  atalaya process notify --smtp smtp://127.0.0.1:25 --from secretariat@example.org\n"
      "  ATALAYA_HOOK_SECRET=... atalaya process notify --webhook-secret-env ATALAYA_HOOK_SECRET");
  notify->callback([&global, &status, n] {
    require_right(global.db, n->credentials, access::Right::ManageProcess, "notifications.deliver");
    require_existing_store(global.db);
    NotifySettings settings;
    settings.smtp_url = n->smtp;
    settings.from = n->from;
    settings.max_attempts = n->max_attempts;
    settings.retry_delay = std::chrono::seconds(n->retry_delay);
    if (!n->secret_env.empty()) {
      const char* secret = std::getenv(n->secret_env.c_str());
      if (!secret) throw std::invalid_argument("--webhook-secret-env: $" + n->secret_env + " is not set");
      settings.webhook_secret = secret;
    }
    try {
      settings.check();
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument("--" + std::string(e.what()));
    }
    auto store = open_process_store(global.db);
    const NotifyReport r = deliver_due_notifications(*store, settings);
    if (n->format == "json") {
      std::cout << json{{"delivered", r.delivered}, {"failed", r.failed}, {"given_up", r.given_up},
                        {"no_relay", r.no_relay}, {"errors", r.errors}}
                       .dump()
                << "\n";
    } else {
      std::cout << "notify: " << r.delivered << " delivered, " << r.failed << " failed (" << r.given_up
                << " of them given up)\n";
      for (auto& e : r.errors) std::cerr << "atalaya: not delivered: " << e << "\n";
      if (r.no_relay)
        std::cerr << "atalaya: " << r.no_relay
                  << " e-mail notification(s) due, not sent: no SMTP relay (give --smtp or set ATALAYA_SMTP)\n";
    }
    status = r.failed ? 1 : 0;
  });

  // ---- process notifications [MEETING] ----
  struct ListOptions {
    std::string meeting, declaration = "la-2022", format = "table";
    Credentials credentials;
  };
  auto l = std::make_shared<ListOptions>();
  auto* list = process->add_subcommand("notifications", "List emergency-session notifications and when they arrived");
  list->add_option("MEETING", l->meeting, "one session's code (default: every session's)");
  list->add_option("--declaration", l->declaration, "the declaration's code (default la-2022)");
  list->add_option("--format", l->format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}));
  add_credential_options(list, l->credentials);
  list->footer(
      "For each notification: queued, delivered (or given up) and how long after the warning event was\n"
      "first raised and after the session was called it was delivered. Contacts' addresses are not\n"
      "public: once the store has accounts this needs read_restricted.\n\n"
      "Examples:\n  atalaya process notifications\n  atalaya process notifications emergency-17-2026-12-09 --format csv");
  list->callback([&global, &status, l] {
    require_existing_store(global.db);
    read_restricted(global.db, l->credentials, "read.notifications", "declaration:" + l->declaration);
    auto store = open_process_store(global.db);
    if (!l->meeting.empty() && !store->meeting(l->declaration, l->meeting))
      throw std::invalid_argument("MEETING: no meeting '" + l->meeting + "' of " + l->declaration);
    const std::vector<Notification> list = store->notifications(l->declaration, l->meeting);
    std::map<std::string, Meeting> sessions;
    for (auto& x : list)
      if (!sessions.count(x.meeting))
        sessions[x.meeting] = store->meeting(x.declaration, x.meeting).value_or(Meeting{});
    auto since = [](const std::optional<int64_t>& s) { return s ? std::to_string(*s) : std::string(); };
    if (l->format == "json") {
      json out = json::array();
      for (auto& x : list) {
        const NotificationTimes t = notification_times(sessions[x.meeting], x);
        out.push_back({{"id", x.id},
                       {"meeting", x.meeting},
                       {"party", x.party},
                       {"channel", channel_name(x.channel)},
                       {"address", x.address},
                       {"state", state_of(x)},
                       {"event_raised_at", sessions[x.meeting].event_raised_at},
                       {"called_at", sessions[x.meeting].called_at},
                       {"queued_at", x.queued_at},
                       {"delivered_at", x.delivered_at.empty() ? json(nullptr) : json(x.delivered_at)},
                       {"failed_at", x.failed_at.empty() ? json(nullptr) : json(x.failed_at)},
                       {"attempts", x.attempts},
                       {"seconds_since_raised", t.since_raised ? json(*t.since_raised) : json(nullptr)},
                       {"seconds_since_called", t.since_called ? json(*t.since_called) : json(nullptr)},
                       {"last_error", x.last_error}});
      }
      std::cout << json{{"declaration", l->declaration}, {"notifications", out}}.dump(2) << "\n";
    } else if (l->format == "csv") {
      std::cout << "id,meeting,party,channel,address,state,event_raised_at,called_at,queued_at,delivered_at,failed_at,"
                   "attempts,seconds_since_raised,seconds_since_called,last_error\n";
      for (auto& x : list) {
        const Meeting& m = sessions[x.meeting];
        const NotificationTimes t = notification_times(m, x);
        std::cout << x.id << "," << csv_field(x.meeting) << "," << x.party << "," << channel_name(x.channel) << ","
                  << csv_field(x.address) << "," << state_of(x) << "," << m.event_raised_at << "," << m.called_at
                  << "," << x.queued_at << "," << x.delivered_at << "," << x.failed_at << "," << x.attempts << ","
                  << since(t.since_raised) << "," << since(t.since_called) << "," << csv_field(x.last_error) << "\n";
      }
    } else if (list.empty()) {
      std::cout << "no notifications" << (l->meeting.empty() ? "" : " for " + l->meeting) << "\n";
    } else {
      std::string current;
      for (auto& x : list) {
        const Meeting& m = sessions[x.meeting];
        if (x.meeting != current) {
          current = x.meeting;
          std::cout << current << ": event first raised " << (m.event_raised_at.empty() ? "?" : m.event_raised_at)
                    << ", session called " << (m.called_at.empty() ? "?" : m.called_at) << "\n";
        }
        const NotificationTimes t = notification_times(m, x);
        std::cout << "  " << std::left << std::setw(4) << x.party << " " << std::setw(8) << channel_name(x.channel)
                  << std::setw(10) << state_of(x) << " queued " << x.queued_at;
        if (!x.delivered_at.empty()) {
          std::cout << ", delivered " << x.delivered_at;
          if (t.since_raised) std::cout << " (" << duration_text(*t.since_raised) << " after first raised";
          if (t.since_called) std::cout << (t.since_raised ? ", " : " (") << duration_text(*t.since_called) << " after the call";
          if (t.since_raised || t.since_called) std::cout << ")";
        } else if (!x.failed_at.empty()) {
          std::cout << ", given up " << x.failed_at << " after " << x.attempts << " attempt(s): " << x.last_error;
        } else if (x.attempts) {
          std::cout << ", " << x.attempts << " attempt(s), next from " << x.next_attempt_at << ": " << x.last_error;
        }
        std::cout << "  " << x.address << "\n";
      }
    }
    status = 0;
  });
}

}  // namespace atalaya::cli
