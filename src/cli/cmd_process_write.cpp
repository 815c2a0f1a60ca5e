// atalaya process endorse | pillar add|change|continue|retire|merge |
// meeting add | commitment add | report | assess | contact add: the
// changes to the L.A. Process, each checked against the permission matrix
// before the store (which applies the process's rules and writes the audit
// line) is asked. A focal point reports and adds commitments only for its
// own states (report_commitments, scoped to each of the commitment's
// parties); the secretariat records the rest (manage_process).
#include <algorithm>
#include <iostream>

#include "atalaya/access/account_store.h"
#include "cli/principal.h"
#include "cli/process_command.h"

namespace atalaya::cli {
namespace {

using access::Right;

// Options every changing subcommand takes.
struct WriteOptions {
  std::string declaration = kDefaultDeclaration;
  Credentials credentials;
};

CLI::App* changing(CLI::App* parent, const std::string& name, const std::string& help, WriteOptions& o) {
  auto* sub = parent->add_subcommand(name, help);
  sub->add_option("--declaration", o.declaration, std::string("the declaration's code (default ") + kDefaultDeclaration + ")");
  add_credential_options(sub, o.credentials);
  return sub;
}

std::string object_of(const std::string& declaration, const char* kind, const std::string& code) {
  return "declaration:" + declaration + "/" + kind + ":" + code;
}

// The secretariat's right, checked (a refusal is audited as denied) before the store is changed.
access::Principal secretariat(const GlobalOptions& g, const WriteOptions& o, const std::string& action) {
  return require_right(g.db, o.credentials, Right::ManageProcess, action);
}

// report_commitments for every party of a commitment: a focal point acts
// for its own states only, and a joint commitment needs all of them. For a
// commitment the store does not hold (`parties` unset), holding the right
// in some scope lets the store say so (and audit the refusal).
access::Principal reporter_for(const GlobalOptions& g, const WriteOptions& o,
                               const std::optional<std::vector<std::string>>& parties, const std::string& action,
                               const std::string& object) {
  auto accounts = access::open_account_store(g.db);
  access::Principal who = resolve_principal(*accounts, o.credentials);
  if (!parties) {
    const auto held = access::held_rights(who);
    if (std::find(held.begin(), held.end(), Right::ReportCommitments) == held.end())
      require_of(g.db, who, Right::ReportCommitments, action, {}, object);
    return who;
  }
  for (const std::string& party : *parties) require_of(g.db, who, Right::ReportCommitments, action, party, object);
  return who;
}

process::Text text_of(const std::string& en, const std::string& es) { return {en, es}; }

std::vector<process::Text> texts_of(const std::vector<std::string>& en, const std::vector<std::string>& es,
                                    const std::string& flag) {
  if (!es.empty() && es.size() != en.size())
    throw std::invalid_argument(flag + "-es: give one per " + flag + " (" + std::to_string(en.size()) + "), in order");
  std::vector<process::Text> out;
  for (size_t i = 0; i < en.size(); ++i) out.push_back({en[i], es.empty() ? "" : es[i]});
  return out;
}

void add_declaration(CLI::App* cmd, const GlobalOptions& global, int& status) {
  auto* declaration = cmd->add_subcommand("declaration", "Record a declaration (process seed loads the L.A. Declaration)");
  declaration->require_subcommand(1);
  struct Options {
    std::string code, title, title_es, adopted_on, place, text_reference;
    Credentials credentials;
  };
  auto o = std::make_shared<Options>();
  auto* sub = declaration->add_subcommand("add", "Add a declaration, or correct one by its code");
  sub->add_option("code", o->code, "its code (la-2022)")->required();
  sub->add_option("--title", o->title, "its title in English")->required();
  sub->add_option("--title-es", o->title_es, "its title in Spanish");
  sub->add_option("--adopted-on", o->adopted_on, "the day it was adopted (YYYY-MM-DD)")->required();
  sub->add_option("--place", o->place, "where it was adopted");
  sub->add_option("--text-reference", o->text_reference, "where its text is published (URL)");
  add_credential_options(sub, o->credentials);
  sub->footer("Example:\n  atalaya process declaration add la-2022 --title 'Los Angeles Declaration on Migration and "
              "Protection' --adopted-on 2022-06-10 --place 'Los Angeles, United States'");
  sub->callback([&global, &status, o] {
    auto store = open_process(global, false);
    const access::Principal who = require_right(global.db, o->credentials, Right::ManageProcess, "declaration.save");
    store->save_declaration({o->code, text_of(o->title, o->title_es), o->adopted_on, o->place, o->text_reference},
                            who.actor);
    std::cout << "declaration " << o->code << " (adopted " << o->adopted_on << ") saved\n";
    status = 0;
  });
}

void add_endorse(CLI::App* cmd, const GlobalOptions& global, int& status) {
  struct Options : WriteOptions {
    std::string party, joined_on, withdrew_on, source;
    bool organisation = false;
  };
  auto o = std::make_shared<Options>();
  auto* sub = changing(cmd, "endorse", "Record a state's endorsement (or an organisation's partnership), or its withdrawal", *o);
  sub->add_option("party", o->party, "the state's ISO alpha-3 code (CAN), or the organisation's code (UNHCR)")->required();
  sub->add_option("--joined-on", o->joined_on, "the day it joined (YYYY-MM-DD; kept when it is recorded already)");
  sub->add_option("--withdrew-on", o->withdrew_on, "the day it withdrew (YYYY-MM-DD)");
  sub->add_flag("--organisation", o->organisation, "an international organisation, a partner of the declaration");
  sub->add_option("--source", o->source, "where the fact is published (a citation or URL)");
  sub->footer("Examples:\n  atalaya process endorse CAN --joined-on 2023-01-15 --source https://...\n"
              "  atalaya process endorse PER --withdrew-on 2024-03-01");
  sub->callback([&global, &status, o] {
    auto store = open_process(global, true);
    const access::Principal who = secretariat(global, *o, "endorsement.save");
    process::Endorsement e{o->declaration, o->party,
                           o->organisation ? process::PartyKind::Organisation : process::PartyKind::State,
                           o->joined_on, std::nullopt, o->source};
    for (const auto& was : store->endorsements(o->declaration))
      if (was.party == o->party) {
        if (e.joined_on.empty()) e.joined_on = was.joined_on;
        if (e.source.empty()) e.source = was.source;
        if (!o->organisation) e.kind = was.kind;
        e.withdrew_on = was.withdrew_on;
      }
    if (e.joined_on.empty())
      throw std::invalid_argument("--joined-on: " + o->party + " is not recorded yet: give the day it joined");
    if (!o->withdrew_on.empty()) e.withdrew_on = o->withdrew_on;
    store->save_endorsement(e, who.actor);
    std::cout << e.party << (e.withdrew_on ? " withdrew from " + e.declaration + " on " + *e.withdrew_on
                                           : " endorses " + e.declaration + " from " + e.joined_on)
              << "\n";
    status = 0;
  });
}

void add_pillar(CLI::App* cmd, const GlobalOptions& global, int& status) {
  auto* pillar = cmd->add_subcommand("pillar", "A meeting's decision about a pillar: add, change, continue, retire, merge");
  pillar->require_subcommand(1);
  struct Options : WriteOptions {
    std::string code, meeting, name, name_es, kind = "permanent", ends_on, into, note, note_es;
    int number = 0;
    std::vector<std::string> goals, goals_es;
  };
  using Kind = process::PillarChangeKind;
  for (auto [verb, kind, help] : {std::tuple{"add", Kind::Added, "Add a pillar, decided by a meeting"},
                                  {"change", Kind::Changed, "Change a pillar's name, goals, number or end"},
                                  {"continue", Kind::Continued, "Continue a temporary or emergency pillar (optionally to a new end)"},
                                  {"retire", Kind::Retired, "Retire a pillar from the meeting's day"},
                                  {"merge", Kind::Merged, "Merge a pillar into another open one from the meeting's day"}}) {
    auto o = std::make_shared<Options>();
    auto* sub = changing(pillar, verb, help, *o);
    sub->add_option("code", o->code, "the pillar's code (P1, T-2023-1)")->required();
    sub->add_option("--meeting", o->meeting, "the meeting that decided it (its code)")->required();
    sub->add_option("--note", o->note, "what was decided and why, in English");
    sub->add_option("--note-es", o->note_es, "the same in Spanish");
    const Kind k = kind;
    if (k == Kind::Added || k == Kind::Changed || k == Kind::Continued) {
      sub->add_option("--ends-on", o->ends_on, "a temporary pillar's planned end (YYYY-MM-DD)");
    }
    if (k == Kind::Added || k == Kind::Changed) {
      auto* name = sub->add_option("--name", o->name, "its name in English");
      if (k == Kind::Added) name->required();
      sub->add_option("--name-es", o->name_es, "its name in Spanish");
      sub->add_option("--number", o->number, "the order it is shown in");
      sub->add_option("--goal", o->goals, "a goal in English (repeatable; replaces the goals)");
      sub->add_option("--goal-es", o->goals_es, "a goal in Spanish (repeatable, one per --goal)");
    }
    if (k == Kind::Added)
      sub->add_option("--kind", o->kind, "permanent or temporary (emergency pillars open with an emergency session)")
          ->check(CLI::IsMember({"permanent", "temporary"}));
    if (k == Kind::Merged) sub->add_option("--into", o->into, "the open pillar it goes into")->required();
    sub->footer("Example:\n  atalaya process pillar add T-2023-1 --meeting lima-2022 --kind temporary --number 5 \\\n"
                "    --name 'Response to the Darién crossings' --ends-on 2023-12-31\n"
                "  atalaya process pillar retire T-2023-1 --meeting panama-2023 --note 'crossings back to normal'");
    sub->callback([&global, &status, o, k] {
      auto store = open_process(global, true);
      const access::Principal who =
          secretariat(global, *o, "pillar." + std::string(process::pillar_change_kind_name(k)));
      process::PillarChange c;
      c.pillar = o->code;
      c.meeting = o->meeting;
      c.kind = k;
      c.note = text_of(o->note, o->note_es);
      c.after.declaration = o->declaration;
      c.after.code = o->code;
      c.after.kind = *process::parse_pillar_kind(o->kind);
      c.after.number = o->number;
      c.after.name = text_of(o->name, o->name_es);
      c.after.goals = texts_of(o->goals, o->goals_es, "--goal");
      if (!o->ends_on.empty()) c.after.ends_on = o->ends_on;
      if (!o->into.empty()) c.after.merged_into = o->into;
      const process::PillarChange done = store->change_pillar(c, who.actor);
      std::cout << "pillar " << done.pillar << " " << process::pillar_change_kind_name(done.kind) << " at "
                << done.meeting << ": "
                << (done.after.closed_on ? "closed from " + *done.after.closed_on
                                         : "open from " + done.after.opened_on +
                                               (done.after.ends_on ? ", ends " + *done.after.ends_on : ""))
                << "\n";
      status = 0;
    });
  }
}

void add_meeting(CLI::App* cmd, const GlobalOptions& global, int& status) {
  auto* meeting = cmd->get_subcommand("meeting");  // `process meeting CODE` reads one
  struct Options : WriteOptions {
    std::string code, kind = "ministerial", title, title_es, held_on, place, source;
    std::vector<std::string> hosts, participants, agenda, agenda_es;
  };
  auto o = std::make_shared<Options>();
  auto* sub = changing(meeting, "add", "Add a meeting, or correct one by its code", *o);
  sub->add_option("code", o->code, "the meeting's code (lima-2022)")->required();
  sub->add_option("--held-on", o->held_on, "the day it was held (YYYY-MM-DD)")->required();
  sub->add_option("--kind", o->kind, "ministerial (default) or technical")->check(CLI::IsMember({"ministerial", "technical"}));
  sub->add_option("--title", o->title, "its title in English")->required();
  sub->add_option("--title-es", o->title_es, "its title in Spanish");
  sub->add_option("--place", o->place, "where (Lima, Peru)");
  sub->add_option("--host", o->hosts, "a host state (repeatable)");
  sub->add_option("--participant", o->participants, "a participant (repeatable)");
  sub->add_option("--agenda", o->agenda, "an agenda item in English (repeatable, in order)");
  sub->add_option("--agenda-es", o->agenda_es, "an agenda item in Spanish (repeatable, one per --agenda)");
  sub->add_option("--source", o->source, "where the meeting is documented (URL)");
  sub->footer("Example:\n  atalaya process meeting add lima-2022 --held-on 2022-10-06 --title 'Lima ministerial' --host PER");
  sub->callback([&global, &status, o] {
    auto store = open_process(global, true);
    const access::Principal who = secretariat(global, *o, "meeting.save");
    process::Meeting m;
    m.declaration = o->declaration;
    m.code = o->code;
    m.kind = *process::parse_meeting_kind(o->kind);
    m.title = text_of(o->title, o->title_es);
    m.held_on = o->held_on;
    m.place = o->place;
    m.hosts = o->hosts;
    m.participants = o->participants;
    m.agenda = texts_of(o->agenda, o->agenda_es, "--agenda");
    m.source = o->source;
    store->save_meeting(m, who.actor);
    std::cout << "meeting " << m.code << " (" << o->kind << ", " << m.held_on << ") saved in " << m.declaration << "\n";
    status = 0;
  });
}

void add_commitment(CLI::App* cmd, const GlobalOptions& global, int& status) {
  auto* commitment = cmd->get_subcommand("commitment");  // `process commitment CODE` reads one
  struct Options : WriteOptions {
    std::string code, pillar, package, made_on, made_at, text, text_es, kind = "policy", unit, target_note, deadline,
        source;
    std::optional<double> target;
    std::vector<std::string> parties, evidence;
  };
  auto o = std::make_shared<Options>();
  auto* sub = changing(commitment, "add", "Add a commitment by one state, several jointly, or an organisation", *o);
  sub->add_option("code", o->code, "its code, stable across meetings (la-2022-P2-COL-etpv)")->required();
  sub->add_option("--party", o->parties, "who committed (repeatable: jointly)")->required();
  sub->add_option("--pillar", o->pillar, "the pillar it is under (its code)")->required();
  sub->add_option("--package", o->package, "the action package it is under (its code)");
  sub->add_option("--made-on", o->made_on, "the day it was made (YYYY-MM-DD)")->required();
  sub->add_option("--made-at", o->made_at, "the meeting it was made at (its code)");
  sub->add_option("--text", o->text, "the commitment in English")->required();
  sub->add_option("--text-es", o->text_es, "the commitment in Spanish");
  sub->add_option("--kind", o->kind, "policy (default), funding, pathway_places, capacity or operation")
      ->check(CLI::IsMember({"policy", "funding", "pathway_places", "capacity", "operation"}));
  sub->add_option("--target", o->target, "a numeric target's value");
  sub->add_option("--unit", o->unit, "the target's unit (persons resettled, USD)");
  sub->add_option("--target-note", o->target_note, "the target as announced (10000 to 20000)");
  sub->add_option("--deadline", o->deadline, "by when: a day, a month (2022-08), a year (2028) or a fiscal year (FY2024)");
  sub->add_option("--evidence", o->evidence, "a link to evidence (repeatable)");
  sub->add_option("--source", o->source, "where the commitment was published");
  sub->footer("Example:\n  atalaya process commitment add la-2022-P1-COL-etpv --party COL --pillar P1 --made-on 2022-06-10 \\\n"
              "    --text 'Regularise Venezuelans under the ETPV' --target 1800000 --unit persons --deadline 2024");
  sub->callback([&global, &status, o] {
    auto store = open_process(global, true);
    const std::string object = object_of(o->declaration, "commitment", o->code);
    const access::Principal who = reporter_for(global, *o, std::optional(o->parties), "commitment.add", object);
    process::Commitment c;
    c.declaration = o->declaration;
    c.code = o->code;
    c.parties = o->parties;
    c.pillar = o->pillar;
    c.package = o->package;
    c.made_on = o->made_on;
    c.made_at = o->made_at;
    c.text = text_of(o->text, o->text_es);
    c.kind = *process::parse_commitment_kind(o->kind);
    if (o->target) c.target = process::Target{*o->target, o->unit, o->target_note};
    else if (!o->unit.empty()) throw std::invalid_argument("--unit: give the target's value with --target");
    if (!o->deadline.empty()) c.deadline = process::read_deadline(o->deadline, "--deadline");
    c.evidence = o->evidence;
    c.source = o->source;
    const int64_t id = store->add_commitment(c, who.actor);
    std::cout << "commitment " << c.code << " added (id " << id << ") under " << c.pillar << "\n";
    status = 0;
  });
}

void add_report(CLI::App* cmd, const GlobalOptions& global, int& status) {
  struct Options : WriteOptions {
    std::string code, meeting, status, narrative, narrative_es;
  };
  auto o = std::make_shared<Options>();
  auto* sub = changing(cmd, "report", "Report a commitment's status at a meeting (a focal point, for its own state)", *o);
  sub->add_option("code", o->code, "the commitment's code")->required();
  sub->add_option("--meeting", o->meeting, "the meeting it is reported at")->required();
  sub->add_option("--status", o->status, "planning, in_progress, fulfilled, stalled or withdrawn")
      ->required()
      ->check(CLI::IsMember({"planning", "in_progress", "fulfilled", "stalled", "withdrawn"}));
  sub->add_option("--narrative", o->narrative, "what was done, in English");
  sub->add_option("--narrative-es", o->narrative_es, "the same in Spanish");
  sub->footer("Example:\n  atalaya process report la-2022-P1-COL-etpv --meeting lima-2022 --status in_progress \\\n"
              "    --narrative '1.6 million permits issued' --narrative-es '1,6 millones de permisos expedidos'");
  sub->callback([&global, &status, o] {
    auto store = open_process(global, true);
    const auto c = store->commitment(o->declaration, o->code);
    const access::Principal who =
        reporter_for(global, *o, c ? std::optional(c->commitment.parties) : std::nullopt, "commitment.report",
                     object_of(o->declaration, "commitment", o->code));
    const process::StatusReport r = store->report_status(
        {0, o->code, o->meeting, *process::parse_reported_status(o->status), text_of(o->narrative, o->narrative_es), {}, ""},
        who.actor);
    std::cout << r.commitment << " reported " << process::reported_status_name(r.status) << " at " << r.meeting
              << " by " << who.actor.name << "\n";
    status = 0;
  });
}

void add_assess(CLI::App* cmd, const GlobalOptions& global, int& status) {
  struct Options : WriteOptions {
    std::string code, meeting, completion, rationale, rationale_es;
  };
  auto o = std::make_shared<Options>();
  auto* sub = changing(cmd, "assess", "The secretariat's independent assessment of a commitment at a meeting", *o);
  sub->add_option("code", o->code, "the commitment's code")->required();
  sub->add_option("--meeting", o->meeting, "the meeting it is assessed at")->required();
  sub->add_option("--completion", o->completion, "no_evidence, not_started, limited, substantial or complete")
      ->required()
      ->check(CLI::IsMember({"no_evidence", "not_started", "limited", "substantial", "complete"}));
  sub->add_option("--rationale", o->rationale, "why, in English");
  sub->add_option("--rationale-es", o->rationale_es, "the same in Spanish");
  sub->footer("Example:\n  atalaya process assess la-2022-P1-COL-etpv --meeting lima-2022 --completion substantial \\\n"
              "    --rationale 'permits issued match the data'");
  sub->callback([&global, &status, o] {
    auto store = open_process(global, true);
    const access::Principal who = secretariat(global, *o, "commitment.assess");
    const process::Assessment a = store->assess(
        {0, o->code, o->meeting, *process::parse_completion(o->completion), text_of(o->rationale, o->rationale_es), {}, ""},
        who.actor);
    std::cout << a.commitment << " assessed " << process::completion_name(a.completion) << " at " << a.meeting << "\n";
    status = 0;
  });
}

void add_contact(CLI::App* cmd, const GlobalOptions& global, int& status) {
  auto* contact = cmd->add_subcommand("contact", "A party's contact point for emergency sessions");
  contact->require_subcommand(1);
  struct Options : WriteOptions {
    std::string party, channel = "email", address;
  };
  auto o = std::make_shared<Options>();
  auto* sub = changing(contact, "add", "Add a contact point: an e-mail address or a webhook", *o);
  sub->add_option("party", o->party, "the state's or organisation's code")->required();
  sub->add_option("--channel", o->channel, "email (default) or webhook")->check(CLI::IsMember({"email", "webhook"}));
  sub->add_option("--address", o->address, "the e-mail address, or the webhook's URL")->required();
  sub->footer("Example:\n  atalaya process contact add COL --address coordinacion@cancilleria.gov.co");
  sub->callback([&global, &status, o] {
    auto store = open_process(global, true);
    const access::Principal who = secretariat(global, *o, "contact.save");
    store->save_contact({o->party, *process::parse_channel(o->channel), o->address}, who.actor);
    std::cout << "contact added for " << o->party << " (" << o->channel << ")\n";
    status = 0;
  });
}

}  // namespace

void add_process_writes(CLI::App* cmd, const GlobalOptions& global, int& status) {
  add_declaration(cmd, global, status);
  add_endorse(cmd, global, status);
  add_pillar(cmd, global, status);
  add_meeting(cmd, global, status);
  add_commitment(cmd, global, status);
  add_report(cmd, global, status);
  add_assess(cmd, global, status);
  add_contact(cmd, global, status);
}

}  // namespace atalaya::cli
