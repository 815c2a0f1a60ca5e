#include "atalaya/process/emergency_session.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "atalaya/core/country.h"
#include "atalaya/core/error.h"
#include "atalaya/core/messages.h"
#include "atalaya/warning/webhook.h"

namespace atalaya::process {
namespace {

using nlohmann::json;

json month_json(const Period& p) { return p.valid() ? json(p.to_string()) : json(nullptr); }

std::string country_in(const std::string& code, Language lang) {
  if (const Country* c = find_country(code)) return lang == Language::Es ? c->name_es : c->name_en;
  return code;
}

// "Haiti nationals along Darién → U.S. southwest border" and its Spanish.
Text movement_of(const WarningEvent& e) {
  std::string where_en = e.route_name, where_es = e.route_name_es.empty() ? e.route_name : e.route_name_es;
  if (where_en.empty()) where_en = where_es = e.movement_text();
  if (e.citizenship.empty())
    return {"the movement along " + where_en, "el movimiento por " + where_es};
  return {"the movement of " + country_in(e.citizenship, Language::En) + " nationals along " + where_en,
          "el movimiento de nacionales de " + country_in(e.citizenship, Language::Es) + " por " + where_es};
}

// The event's headline (WarningEvent::headline) in `lang`: who, where, how
// severe, which phase, which months.
std::string headline_in(const WarningEvent& e, Language lang) {
  if (lang == Language::En) return e.headline();
  static const char* severity_es[] = {"", "menor", "moderada", "grave", "extrema"};
  static const char* phase_es[] = {"", "persistente", "en curso", "emergente"};
  std::string who = e.citizenship.empty() ? e.movement_text() : country_in(e.citizenship, Language::Es);
  const std::string where = e.route_name_es.empty() ? e.route_name : e.route_name_es;
  if (!where.empty()) who += (e.route.empty() ? " en " : " por ") + where;
  std::string months = e.first_period.to_string();
  if (!(e.last_period == e.first_period)) months += ".." + e.last_period.to_string();
  return who + ": " + severity_es[static_cast<int>(e.severity)] + ", " + phase_es[static_cast<int>(e.phase)] + ", " +
         months;
}

// The states counting at the route's checkpoints, once each, in route order.
std::vector<std::string> route_states(const WarningEvent& e) {
  std::vector<std::string> out;
  for (auto& cp : e.checkpoints)
    if (!cp.reporter.empty() && std::find(out.begin(), out.end(), cp.reporter) == out.end())
      out.push_back(cp.reporter);
  return out;
}

// A checkpoint's name for people in each language (its id when the event
// does not hold it).
Text checkpoint_name(const WarningEvent& e, const std::string& id) {
  for (auto& cp : e.checkpoints)
    if (cp.id == id) return {cp.name, cp.name_es.empty() ? cp.name : cp.name_es};
  return {id, id};
}

// "U.S. southwest border (USA): 2021-08 to 2021-10, from the surge seen at Darién".
Text window_line(const WarningEvent& e, const EventCheckpoint& cp) {
  const std::string name_es = cp.name_es.empty() ? cp.name : cp.name_es;
  const std::string who = cp.reporter.empty() ? "" : " (" + cp.reporter + ")";
  const std::string from = cp.window_from->to_string(), to = cp.window_to->to_string();
  const Text seen = cp.projected_from.empty() ? Text{} : checkpoint_name(e, cp.projected_from);
  return {cp.name + who + ": " + from + " to " + to + (seen.empty() ? "" : ", from the surge seen at " + seen.en),
          name_es + who + ": " + from + " a " + to + (seen.empty() ? "" : ", por el aumento observado en " + seen.es)};
}

std::vector<Text> windows_of(const WarningEvent& e) {
  std::vector<Text> out;
  for (auto& cp : e.checkpoints)
    if (cp.window_from && cp.window_to) out.push_back(window_line(e, cp));
  return out;
}

std::vector<Text> agenda_of(const WarningEvent& e, const Text& movement, const std::string& pillar_code) {
  std::vector<Text> agenda;
  agenda.push_back({"The warning event " + std::to_string(e.id) + ": " + e.headline(),
                    "El evento de alerta " + std::to_string(e.id) + ": " + headline_in(e, Language::Es)});
  for (auto& w : windows_of(e))
    agenda.push_back({"Projected arrival at " + w.en, "Llegada proyectada a " + w.es});
  agenda.push_back({"A coordinated response to " + movement.en + ": commitments under the emergency pillar " +
                        pillar_code,
                    "Una respuesta coordinada ante " + movement.es + ": compromisos en el pilar de emergencia " +
                        pillar_code});
  return agenda;
}

[[noreturn]] void refuse(const std::string& parameter, const std::string& message,
                         ErrorCode code = ErrorCode::InvalidArgument) {
  throw Error(code, parameter, parameter + ": " + message);
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

// The e-mail's text in one language.
std::string mail_text(const Meeting& m, const Declaration& d, const WarningEvent& e, const Pillar& pillar,
                      const std::string& party, Language lang) {
  const bool es = lang == Language::Es;
  const std::string l = es ? "es" : "en";
  std::string t;
  t += m.title.in(l) + "\n\n";
  t += (es ? "Declaración: " : "Declaration: ") + d.title.in(l) + " (" + d.code + ")\n";
  t += (es ? "Sesión: " : "Session: ") + m.code + "\n";
  t += (es ? "Fecha de la sesión: " : "Held on: ") + m.held_on + (m.place.empty() ? "" : ", " + m.place) + "\n";
  t += (es ? "Convocada: " : "Called: ") + m.called_at + (es ? " por " : " by ") + m.called_by.name + "\n";
  t += (es ? "Para: " : "To: ") + party + " (" + country_in(party, lang) + ")\n";
  t += (es ? "Participantes: " : "Participants: ") + join(m.participants, ", ") + "\n";
  if (!m.hosts.empty()) t += (es ? "Anfitriones: " : "Hosts: ") + join(m.hosts, ", ") + "\n";
  t += "\n";
  t += (es ? "Evento de alerta " : "Warning event ") + std::to_string(e.id) +
       (e.space.empty() ? "" : (es ? " (simulacro " : " (drill ") + e.space + ")") +
       ": " + headline_in(e, lang) + "\n";
  t += (es ? "Alerta emitida por primera vez: " : "First raised: ") + e.created_at + "\n";
  const std::vector<Text> windows = windows_of(e);
  if (!windows.empty()) {
    t += es ? "Ventanas de llegada proyectadas:\n" : "Projected arrival windows:\n";
    for (auto& w : windows) t += "  - " + w.in(l) + "\n";
  }
  t += "\n" + std::string(es ? "Orden del día:\n" : "Agenda:\n");
  for (size_t i = 0; i < m.agenda.size(); ++i) t += "  " + std::to_string(i + 1) + ". " + m.agenda[i].in(l) + "\n";
  t += "\n" + std::string(es ? "Pilar de emergencia: " : "Emergency pillar: ") + pillar.code + ", " + pillar.name.in(l) +
       "\n";
  return t;
}

// "Emergency session / Sesión de emergencia 2025-03-10: Haiti / Haití, warning event 17":
// short enough for a mail client's list, both languages.
std::string subject_of(const Meeting& m, const WarningEvent& e) {
  std::string s = e.space.empty() ? "" : "Drill / Simulacro " + e.space + ": ";
  s += "Emergency session / Sesión de emergencia " + m.held_on + ": ";
  if (!e.citizenship.empty()) {
    const std::string en = country_in(e.citizenship, Language::En), es = country_in(e.citizenship, Language::Es);
    s += en + (en == es ? "" : " / " + es) + ", ";
  }
  return s + "warning event / evento de alerta " + std::to_string(e.id);
}

json text_json(const Text& t) { return json{{"en", t.en}, {"es", t.es}}; }

json webhook_json(const Meeting& m, const Declaration& d, const WarningEvent& e, const Pillar& pillar,
                  const std::string& party) {
  json agenda = json::array();
  for (auto& a : m.agenda) agenda.push_back(text_json(a));
  json windows = json::array();
  for (auto& cp : e.checkpoints)
    if (cp.window_from && cp.window_to)
      windows.push_back({{"checkpoint", cp.id},
                         {"name", cp.name},
                         {"name_es", cp.name_es.empty() ? cp.name : cp.name_es},
                         {"reporter", cp.reporter.empty() ? json(nullptr) : json(cp.reporter)},
                         {"window_from", cp.window_from->to_string()},
                         {"window_to", cp.window_to->to_string()},
                         {"projected_from", cp.projected_from}});
  return json{{"event", "process.emergency_session"},
              {"delivery_id", new_delivery_id()},
              {"party", party},
              {"declaration", {{"code", d.code}, {"title", text_json(d.title)}}},
              {"session",
               {{"code", m.code},
                {"title", text_json(m.title)},
                {"held_on", m.held_on},
                {"place", m.place},
                {"hosts", m.hosts},
                {"participants", m.participants},
                {"agenda", agenda},
                {"called_at", m.called_at},
                {"called_by", m.called_by.name}}},
              {"warning_event",
               {{"id", e.id},
                {"drill", e.space.empty() ? json(nullptr) : json(e.space)},
                {"headline", e.headline()},
                {"headline_es", headline_in(e, Language::Es)},
                {"route", e.route},
                {"citizenship", e.citizenship.empty() ? json(nullptr) : json(e.citizenship)},
                {"severity", severity_name(e.severity)},
                {"phase", event_phase_name(e.phase)},
                {"first_period", month_json(e.first_period)},
                {"last_period", month_json(e.last_period)},
                {"first_raised_at", e.created_at},
                {"windows", windows}}},
              {"pillar", {{"code", pillar.code}, {"name", text_json(pillar.name)}}}};
}

}  // namespace

std::string emergency_pillar_code(const WarningEvent& e) {
  return "E-" + (e.space.empty() ? "" : e.space + "-") + std::to_string(e.id);
}

json emergency_evidence(const WarningEvent& e) {
  json checkpoints = json::array();
  for (auto& cp : e.checkpoints) {
    json c{{"id", cp.id},
           {"name", cp.name},
           {"name_es", cp.name_es.empty() ? cp.name : cp.name_es},
           {"reporter", cp.reporter.empty() ? json(nullptr) : json(cp.reporter)},
           {"observed", cp.observed()},
           {"severity", cp.observed() ? json(severity_name(cp.severity)) : json(nullptr)},
           {"alerts", cp.alerts},
           {"window_from", cp.window_from ? json(cp.window_from->to_string()) : json(nullptr)},
           {"window_to", cp.window_to ? json(cp.window_to->to_string()) : json(nullptr)},
           {"projected_from", cp.projected_from.empty() ? json(nullptr) : json(cp.projected_from)}};
    checkpoints.push_back(std::move(c));
  }
  json alerts = json::array();
  for (auto& a : e.alerts) {
    if (a.status != AlertStatus::Open && a.status != AlertStatus::Acknowledged) continue;
    alerts.push_back({{"id", a.id},
                      {"ref", alert_ref(a)},
                      {"trigger", a.trigger},
                      {"rule", a.rule},
                      {"severity", severity_name(a.severity)},
                      {"first_period", month_json(a.first_period)},
                      {"last_period", month_json(a.last_period)},
                      {"window_from", a.window_from ? json(a.window_from->to_string()) : json(nullptr)},
                      {"window_to", a.window_to ? json(a.window_to->to_string()) : json(nullptr)},
                      {"explanation", {{"en", a.explanation_in(Language::En)}, {"es", a.explanation_in(Language::Es)}}}});
  }
  json movement = json::object();
  for (auto& [k, v] : e.movement) movement[k] = v;
  return json{{"event_id", e.id},
              {"drill", e.space.empty() ? json(nullptr) : json(e.space)},
              {"headline", e.headline()},
              {"headline_es", headline_in(e, Language::Es)},
              {"movement", movement},
              {"route", e.route.empty() ? json(nullptr) : json(e.route)},
              {"route_name", e.route_name},
              {"route_name_es", e.route_name_es.empty() ? e.route_name : e.route_name_es},
              {"citizenship", e.citizenship.empty() ? json(nullptr) : json(e.citizenship)},
              {"severity", severity_name(e.severity)},
              {"status", alert_status_name(e.status)},
              {"phase", event_phase_name(e.phase)},
              {"momentum", std::isfinite(e.momentum) ? json(e.momentum) : json(nullptr)},
              {"first_period", month_json(e.first_period)},
              {"last_period", month_json(e.last_period)},
              {"first_raised_at", e.created_at},
              {"updated_at", e.updated_at},
              {"checkpoints", checkpoints},
              {"alerts", alerts}};
}

EmergencySessionPlan plan_emergency_session(const WarningEvent& e, const Declaration& d,
                                            const std::vector<Endorsement>& endorsements,
                                            const std::vector<Contact>& contacts, const std::vector<Pillar>& pillars,
                                            const EmergencyCall& call) {
  check_day(call.held_on, "held_on");
  const std::string event_name = "warning event " + std::to_string(e.id);
  if (!e.space.empty() && call.drill != e.space)
    refuse("drill", event_name + " is in the drill space '" + e.space +
                        "', not the live inbox: a session from it is a drill, called only with drill='" + e.space + "'");
  if (e.space.empty() && !call.drill.empty())
    refuse("drill", event_name + " is live, not in the drill space '" + call.drill + "'");
  for (auto& p : pillars)
    if (p.event_id == e.id && p.kind == PillarKind::Emergency && !p.closed_on)
      refuse("event", event_name + " already has the open emergency pillar " + p.code + " (opened " + p.opened_on +
                          "): review it at a meeting instead of calling a second session",
             ErrorCode::Conflict);
  const std::vector<std::string> states = route_states(e);
  if (states.empty())
    refuse("event", event_name + " is not on a route (" + e.movement_text() +
                        "): an emergency session meets the states on the event's route");

  EmergencySessionPlan plan;
  std::vector<std::string> participants;
  for (auto& s : states) {
    RouteState rs;
    rs.party = s;
    rs.participant = std::any_of(endorsements.begin(), endorsements.end(), [&](const Endorsement& en) {
      return en.declaration == d.code && en.party == s && en.kind == PartyKind::State && en.active_on(call.held_on);
    });
    if (rs.participant)
      participants.push_back(s);
    else
      rs.not_notified = "not an endorser of " + d.code + " on " + call.held_on + ": not notified";
    plan.route_states.push_back(std::move(rs));
  }
  if (participants.empty())
    refuse("event", "no state on the route of " + event_name + " (" + join(states, ", ") + ") endorses " + d.code +
                        " on " + call.held_on);
  for (auto& h : call.hosts)
    if (std::find(participants.begin(), participants.end(), h) == participants.end())
      refuse("hosts", "'" + h + "' is not a participant of this session (participants: " + join(participants, ", ") +
                          ")");

  const Text movement = movement_of(e);
  // A pillar code is never reused: after a closed emergency pillar for
  // this event, the next session's is "E-17-2", then "E-17-3".
  std::string pillar_code = emergency_pillar_code(e);
  auto taken = [&](const std::string& code) {
    return std::any_of(pillars.begin(), pillars.end(), [&](const Pillar& p) { return p.code == code; });
  };
  for (int n = 2; taken(pillar_code); ++n) pillar_code = emergency_pillar_code(e) + "-" + std::to_string(n);
  const bool drill = !e.space.empty();

  Meeting& m = plan.write.meeting;
  m.declaration = d.code;
  m.code = (drill ? "drill-" + e.space + "-" : "") + "emergency-" + std::to_string(e.id) + "-" + call.held_on;
  m.kind = MeetingKind::Emergency;
  const Text drill_mark = drill ? Text{"Drill " + e.space + ": ", "Simulacro " + e.space + ": "} : Text{};
  m.title = {drill_mark.en + "Emergency session on " + movement.en,
             drill_mark.es + "Sesión de emergencia sobre " + movement.es};
  m.held_on = call.held_on;
  m.place = call.place;
  m.hosts = call.hosts;
  m.participants = participants;
  m.agenda = agenda_of(e, movement, pillar_code);
  m.source = "atalaya warning event " + std::to_string(e.id) + (drill ? " (drill " + e.space + ")" : "");
  m.event_id = e.id;
  m.event_raised_at = e.created_at;
  m.called_at = call.called_at;
  m.called_by = call.called_by;
  m.evidence = emergency_evidence(e).dump();

  int number = 0;
  for (auto& p : pillars) number = std::max(number, p.number);
  PillarChange& change = plan.write.pillar;
  change.pillar = pillar_code;
  change.meeting = m.code;
  change.kind = PillarChangeKind::Added;
  change.note = {"Opened by the emergency session " + m.code + " called from " + event_name,
                 "Abierto por la sesión de emergencia " + m.code + " convocada a partir del evento de alerta " +
                     std::to_string(e.id)};
  change.recorded_by = call.called_by;
  Pillar& p = change.after;
  p.declaration = d.code;
  p.code = pillar_code;
  p.number = number + 1;
  p.kind = PillarKind::Emergency;
  p.name = {drill_mark.en + "Emergency response to " + movement.en,
            drill_mark.es + "Respuesta de emergencia ante " + movement.es};
  p.goals = {{"A coordinated response of the states on the route to " + movement.en + " (" + event_name + ")",
              "Una respuesta coordinada de los Estados de la ruta ante " + movement.es + " (evento de alerta " +
                  std::to_string(e.id) + ")"}};
  p.opened_on = call.held_on;
  p.event_id = e.id;

  for (RouteState& rs : plan.route_states) {
    if (!rs.participant) continue;
    for (auto& c : contacts) {
      if (c.party != rs.party) continue;
      Notification n;
      n.declaration = d.code;
      n.meeting = m.code;
      n.party = c.party;
      n.channel = c.channel;
      n.address = c.address;
      n.queued_at = n.next_attempt_at = call.called_at;
      if (c.channel == Channel::Email) {
        n.subject = subject_of(m, e);
        n.body = mail_text(m, d, e, p, c.party, Language::En) + "\n---\n\n" + mail_text(m, d, e, p, c.party, Language::Es);
      } else {
        n.subject = m.title.en;
        n.body = webhook_json(m, d, e, p, c.party).dump();
      }
      rs.notified.push_back(std::string(channel_name(c.channel)) + " to " + c.address);
      plan.write.notifications.push_back(std::move(n));
    }
    if (rs.notified.empty()) rs.not_notified = "no contact: not notified";
  }
  return plan;
}

EmergencySessionPlan plan_emergency_session(AlertStore& alerts, ProcessStore& process, int64_t event_id,
                                            const EmergencyCall& call) {
  const std::optional<WarningEvent> event = alerts.event(event_id);
  if (!event) refuse("event", "no warning event " + std::to_string(event_id), ErrorCode::NotFound);
  const std::optional<Declaration> d = process.declaration(call.declaration);
  if (!d) refuse("declaration", "no declaration '" + call.declaration + "'", ErrorCode::NotFound);
  return plan_emergency_session(*event, *d, process.endorsements(d->code), process.contacts(),
                                process.pillars(d->code), call);
}

}  // namespace atalaya::process
