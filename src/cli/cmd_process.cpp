// atalaya process: the L.A. Process read from the store (process/): the
// declaration's endorsers, its pillars and their history, action packages,
// commitments with their newest status and assessment, meetings and what
// each recorded. Texts are shown in --lang (the other language when a text
// has only one). The changing subcommands are in cmd_process_write.cpp.
#include <iostream>
#include <nlohmann/json.hpp>

#include "atalaya/core/text.h"
#include "atalaya/ingest/csv_reader.h"
#include "atalaya/process/process_json.h"
#include "cli/process_command.h"

namespace atalaya::cli {

std::unique_ptr<process::ProcessStore> open_process(const GlobalOptions& global, bool must_exist) {
  if (must_exist) require_existing_store(global.db);
  return process::open_process_store(global.db);
}

void print_rows(const Rows& r, const std::string& format, const std::string& empty_note) {
  if (format == "csv") {
    std::string out;
    for (const auto* line : {&r.header}) {
      for (size_t i = 0; i < line->size(); ++i) out += (i ? "," : "") + (*line)[i];
      out += "\n";
    }
    for (const auto& row : r.rows) {
      for (size_t i = 0; i < row.size(); ++i) {
        if (i) out += ",";
        append_csv_field(out, row[i]);
      }
      out += "\n";
    }
    std::cout << out;
    return;
  }
  if (r.rows.empty()) {
    std::cout << empty_note << "\n";
    return;
  }
  std::vector<size_t> width(r.header.size());
  for (size_t i = 0; i < r.header.size(); ++i) width[i] = display_width(r.header[i]);
  for (const auto& row : r.rows)
    for (size_t i = 0; i < row.size() && i < width.size(); ++i) width[i] = std::max(width[i], display_width(row[i]));
  auto line = [&](const std::vector<std::string>& cells) {
    std::string out;
    for (size_t i = 0; i < cells.size(); ++i) {
      out += cells[i];
      if (i + 1 < cells.size()) out += std::string(width[i] - display_width(cells[i]) + 2, ' ');
    }
    std::cout << out << "\n";
  };
  line(r.header);
  for (const auto& row : r.rows) line(row);
}

namespace {

using nlohmann::json;

std::string joined(const std::vector<std::string>& items, const char* sep = " ") {
  std::string out;
  for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
  return out;
}

std::string number_text(double v) {
  if (v == static_cast<double>(static_cast<int64_t>(v)) && std::abs(v) < 1e15) return thousands(static_cast<int64_t>(v));
  std::ostringstream s;
  s << v;
  return s.str();
}

std::string target_text(const process::Commitment& c) {
  if (!c.target) return "";
  std::string t = number_text(c.target->value) + " " + c.target->unit;
  if (c.deadline) t += " by " + c.deadline->as_stated;
  return t;
}

std::string pillar_state(const process::Pillar& p) {
  if (p.merged_into) return "merged into " + *p.merged_into + " " + *p.closed_on;
  if (p.closed_on) return "closed " + *p.closed_on;
  return p.ends_on ? "open, ends " + *p.ends_on : "open";
}

// Options every reading subcommand takes.
struct ReadOptions {
  std::string declaration = kDefaultDeclaration;
  std::string format = "table";
};

CLI::App* reading(CLI::App* process, const std::string& name, const std::string& help, ReadOptions& o,
                  bool csv = true) {
  auto* sub = process->add_subcommand(name, help);
  sub->add_option("--declaration", o.declaration, std::string("the declaration's code (default ") + kDefaultDeclaration + ")");
  sub->add_option("--format", o.format, csv ? "table, csv or json" : "table or json")
      ->check(CLI::IsMember(csv ? std::vector<std::string>{"table", "csv", "json"}
                                : std::vector<std::string>{"table", "json"}));
  return sub;
}

void print_json(const json& j) { std::cout << j.dump(2) << "\n"; }

process::CommitmentRecord require_commitment(process::ProcessStore& store, const std::string& declaration,
                                             const std::string& code) {
  auto c = store.commitment(declaration, code);
  if (!c)
    throw Error(ErrorCode::NotFound, "commitment",
                "no commitment '" + code + "' in " + declaration + " (atalaya process commitments lists them)");
  return *c;
}

}  // namespace

void add_process_command(CLI::App& app, const GlobalOptions& global, int& status) {
  auto* cmd = app.add_subcommand("process", "The L.A. Process: declarations, endorsers, pillars, commitments, meetings");
  cmd->require_subcommand(1);
  cmd->footer(
      "Examples:\n  atalaya process pillars\n  atalaya process commitments --pillar P2 --party USA\n"
      "  atalaya --lang es process commitment la-2022-P2-USA-h2b\n"
      "  atalaya process report la-2022-P2-USA-h2b --meeting lima-2022 --status in_progress --narrative '...'");
  const std::string& lang = global.lang;

  {
    auto o = std::make_shared<ReadOptions>();
    auto* sub = reading(cmd, "declarations", "The declarations followed in the store", *o);
    sub->callback([&global, &status, &lang, o] {
      auto store = open_process(global, true);
      const auto all = store->declarations();
      if (o->format == "json") {
        json j = json::array();
        for (const auto& d : all) j.push_back(process::to_json(d));
        print_json(j);
      } else {
        Rows r{{"code", "adopted_on", "place", "title"}, {}};
        for (const auto& d : all) r.rows.push_back({d.code, d.adopted_on, d.place, d.title.in(lang)});
        print_rows(r, o->format, "no declarations in the store");
      }
      status = 0;
    });
  }
  {
    auto o = std::make_shared<ReadOptions>();
    auto on = std::make_shared<std::string>();
    auto* sub = reading(cmd, "endorsers", "The states that endorse a declaration and its partner organisations", *o);
    sub->add_option("--on", *on, "only those endorsing on this day (YYYY-MM-DD)");
    sub->callback([&global, &status, o, on] {
      if (!on->empty()) process::check_day(*on, "--on");
      auto store = open_process(global, true);
      std::vector<process::Endorsement> shown;
      for (const auto& e : store->endorsements(o->declaration))
        if (on->empty() || e.active_on(*on)) shown.push_back(e);
      if (o->format == "json") {
        json j = json::array();
        for (const auto& e : shown) j.push_back(process::to_json(e));
        print_json(j);
      } else {
        Rows r{{"party", "kind", "joined_on", "withdrew_on", "source"}, {}};
        for (const auto& e : shown)
          r.rows.push_back({e.party, std::string(process::party_kind_name(e.kind)), e.joined_on,
                            e.withdrew_on.value_or(""), e.source});
        print_rows(r, o->format, "no endorsers of " + o->declaration);
      }
      status = 0;
    });
  }
  {
    auto o = std::make_shared<ReadOptions>();
    auto* sub = reading(cmd, "pillars", "A declaration's pillars, open and closed, in order", *o);
    sub->callback([&global, &status, &lang, o] {
      auto store = open_process(global, true);
      const auto all = store->pillars(o->declaration);
      if (o->format == "json") {
        json j = json::array();
        for (const auto& p : all) j.push_back(process::to_json(p));
        print_json(j);
      } else {
        Rows r{{"number", "code", "kind", "opened_on", "state", "name"}, {}};
        for (const auto& p : all)
          r.rows.push_back({std::to_string(p.number), p.code, std::string(process::pillar_kind_name(p.kind)),
                            p.opened_on, pillar_state(p), p.name.in(lang)});
        print_rows(r, o->format, "no pillars in " + o->declaration);
      }
      status = 0;
    });
  }
  {
    auto o = std::make_shared<ReadOptions>();
    auto pillar = std::make_shared<std::string>();
    auto* sub = reading(cmd, "pillar-history", "Every decision about the pillars (or one pillar), oldest first", *o);
    sub->add_option("pillar", *pillar, "one pillar's code (default: all)");
    sub->callback([&global, &status, &lang, o, pillar] {
      auto store = open_process(global, true);
      const auto changes = store->pillar_history(o->declaration, *pillar);
      if (o->format == "json") {
        json j = json::array();
        for (const auto& c : changes) j.push_back(process::to_json(c, false));
        print_json(j);
      } else {
        std::map<std::string, std::string> held;
        for (const auto& m : store->meetings(o->declaration)) held[m.code] = m.held_on;
        Rows r{{"held_on", "meeting", "pillar", "decision", "after", "note"}, {}};
        for (const auto& c : changes)
          r.rows.push_back({held[c.meeting], c.meeting, c.pillar, std::string(process::pillar_change_kind_name(c.kind)),
                            pillar_state(c.after), c.note.in(lang)});
        print_rows(r, o->format, "no pillar decisions recorded in " + o->declaration);
      }
      status = 0;
    });
  }
  {
    auto o = std::make_shared<ReadOptions>();
    auto* sub = reading(cmd, "packages", "A declaration's action packages, with their leads", *o);
    sub->callback([&global, &status, &lang, o] {
      auto store = open_process(global, true);
      const auto all = store->packages(o->declaration);
      if (o->format == "json") {
        json j = json::array();
        for (const auto& p : all) j.push_back(process::to_json(p));
        print_json(j);
      } else {
        Rows r{{"code", "pillar", "lead", "participants", "name"}, {}};
        for (const auto& p : all) r.rows.push_back({p.code, p.pillar, p.lead, joined(p.participants), p.name.in(lang)});
        print_rows(r, o->format, "no action packages in " + o->declaration);
      }
      status = 0;
    });
  }
  {
    auto o = std::make_shared<ReadOptions>();
    auto f = std::make_shared<process::CommitmentFilter>();
    auto* sub = reading(cmd, "commitments", "Commitments with their newest self-reported status and assessment", *o);
    sub->add_option("--pillar", f->pillar, "only under this pillar (its code)");
    sub->add_option("--party", f->party, "only those this state or organisation made (alone or jointly)");
    sub->add_option("--package", f->package, "only under this action package (its code)");
    sub->callback([&global, &status, &lang, o, f] {
      auto store = open_process(global, true);
      f->declaration = o->declaration;
      const auto all = store->commitments(*f);
      if (o->format == "json") {
        json j = json::array();
        for (const auto& r : all) {
          json c = process::to_json(r.commitment);
          c["latest_status"] = r.latest_status ? process::to_json(*r.latest_status, false) : json(nullptr);
          c["latest_assessment"] = r.latest_assessment ? process::to_json(*r.latest_assessment, false) : json(nullptr);
          j.push_back(c);
        }
        print_json(j);
      } else {
        Rows r{{"code", "pillar", "parties", "kind", "target", "status", "assessment", "text"}, {}};
        for (const auto& x : all) {
          const auto& c = x.commitment;
          r.rows.push_back({c.code, c.pillar, joined(c.parties, "+"), std::string(process::commitment_kind_name(c.kind)),
                            target_text(c),
                            x.latest_status ? std::string(process::reported_status_name(x.latest_status->status)) : "",
                            x.latest_assessment ? std::string(process::completion_name(x.latest_assessment->completion)) : "",
                            o->format == "table" ? echoed_value(c.text.in(lang), 60) : c.text.in(lang)});
        }
        print_rows(r, o->format, "no commitments match");
      }
      status = 0;
    });
  }
  {
    auto o = std::make_shared<ReadOptions>();
    auto code = std::make_shared<std::string>();
    auto* sub = reading(cmd, "commitment", "One commitment in full: target, roadmap, evidence, indicator, newest status", *o, false);
    sub->add_option("code", *code, "the commitment's code (atalaya process commitments lists them)");
    sub->callback([&global, &status, &lang, o, code, sub] {
      if (!sub->get_subcommands().empty()) return;  // `commitment add` ran instead
      if (code->empty()) throw std::invalid_argument("code: give the commitment's code (atalaya process commitments lists them)");
      auto store = open_process(global, true);
      const auto r = require_commitment(*store, o->declaration, *code);
      const auto& c = r.commitment;
      if (o->format == "json") {
        json j = process::to_json(c);
        j["latest_status"] = r.latest_status ? process::to_json(*r.latest_status, false) : json(nullptr);
        j["latest_assessment"] = r.latest_assessment ? process::to_json(*r.latest_assessment, false) : json(nullptr);
        print_json(j);
        status = 0;
        return;
      }
      std::cout << c.code << " (" << c.declaration << ")\n" << c.text.in(lang) << "\n\n";
      std::cout << "parties:   " << joined(c.parties, ", ") << "\n";
      std::cout << "pillar:    " << c.pillar << (c.package.empty() ? "" : ", package " + c.package) << "\n";
      std::cout << "kind:      " << process::commitment_kind_name(c.kind) << "\n";
      std::cout << "made:      " << c.made_on << (c.made_at.empty() ? "" : " at " + c.made_at) << "\n";
      std::cout << "target:    " << (c.target ? target_text(c) : "none (not a numeric commitment)") << "\n";
      if (c.target && !c.target->note.empty()) std::cout << "           as announced: " << c.target->note << "\n";
      if (c.deadline) std::cout << "deadline:  " << c.deadline->as_stated << " (by " << c.deadline->by << ")\n";
      std::cout << "indicator: " << (c.indicator ? c.indicator->description.in(lang) : "none: progress is not read from the data") << "\n";
      std::cout << "status:    "
                << (r.latest_status ? std::string(process::reported_status_name(r.latest_status->status)) + " at " +
                                          r.latest_status->meeting
                                    : "none reported")
                << "\n";
      std::cout << "assessed:  "
                << (r.latest_assessment ? std::string(process::completion_name(r.latest_assessment->completion)) +
                                              " at " + r.latest_assessment->meeting
                                        : "not assessed")
                << "\n";
      if (!c.roadmap.empty()) {
        std::cout << "\nroadmap:\n";
        for (const auto& m : c.roadmap)
          std::cout << "  " << m.due_on << "  " << (m.done_on ? "done " + *m.done_on : "due") << "  "
                    << m.description.in(lang) << "\n";
      }
      if (!c.evidence.empty()) {
        std::cout << "\nevidence:\n";
        for (const auto& e : c.evidence) std::cout << "  " << e << "\n";
      }
      if (!c.source.empty()) std::cout << "\nsource: " << c.source << "\n";
      status = 0;
    });
  }
  {
    auto o = std::make_shared<ReadOptions>();
    auto* sub = reading(cmd, "meetings", "A declaration's meetings (ministerial, technical, emergency), by date", *o);
    sub->callback([&global, &status, &lang, o] {
      auto store = open_process(global, true);
      const auto all = store->meetings(o->declaration);
      if (o->format == "json") {
        json j = json::array();
        for (const auto& m : all) j.push_back(process::to_json(m, false));
        print_json(j);
      } else {
        Rows r{{"held_on", "code", "kind", "place", "title"}, {}};
        for (const auto& m : all)
          r.rows.push_back({m.held_on, m.code, std::string(process::meeting_kind_name(m.kind)), m.place, m.title.in(lang)});
        print_rows(r, o->format, "no meetings in " + o->declaration);
      }
      status = 0;
    });
  }
  {
    auto o = std::make_shared<ReadOptions>();
    auto code = std::make_shared<std::string>();
    auto* sub = reading(cmd, "meeting", "One meeting: agenda, pillar decisions, reports and assessments, notices", *o, false);
    sub->add_option("code", *code, "the meeting's code (atalaya process meetings lists them)");
    sub->callback([&global, &status, &lang, o, code, sub] {
      if (!sub->get_subcommands().empty()) return;  // `meeting add` ran instead
      if (code->empty()) throw std::invalid_argument("code: give the meeting's code (atalaya process meetings lists them)");
      auto store = open_process(global, true);
      const auto m = store->meeting(o->declaration, *code);
      if (!m)
        throw Error(ErrorCode::NotFound, "meeting",
                    "no meeting '" + *code + "' in " + o->declaration + " (atalaya process meetings lists them)");
      std::vector<process::PillarChange> decided;
      for (auto& c : store->pillar_history(o->declaration, ""))
        if (c.meeting == m->code) decided.push_back(c);
      const auto reports = store->reports_at(o->declaration, m->code);
      const auto assessments = store->assessments_at(o->declaration, m->code);
      const auto notices = store->notifications(o->declaration, m->code);
      if (o->format == "json") {
        json j = process::to_json(*m, false);
        for (auto [key, items] : {std::pair{"pillar_changes", json::array()}, {"reports", json::array()},
                                  {"assessments", json::array()}, {"notifications", json::array()}})
          j[key] = items;
        for (const auto& c : decided) j["pillar_changes"].push_back(process::to_json(c, false));
        for (const auto& r : reports) j["reports"].push_back(process::to_json(r, false));
        for (const auto& a : assessments) j["assessments"].push_back(process::to_json(a, false));
        // Addresses are personal data: a notice shows its party and channel.
        for (const auto& n : notices) {
          json x = process::to_json(n);
          x.erase("address");
          x.erase("body");
          j["notifications"].push_back(x);
        }
        print_json(j);
        status = 0;
        return;
      }
      std::cout << m->title.in(lang) << "\n" << m->code << ": " << process::meeting_kind_name(m->kind) << ", "
                << m->held_on << (m->place.empty() ? "" : ", " + m->place) << "\n";
      if (!m->hosts.empty()) std::cout << "hosts: " << joined(m->hosts, ", ") << "\n";
      if (!m->participants.empty()) std::cout << "participants: " << joined(m->participants, ", ") << "\n";
      if (m->event_id)
        std::cout << "called from warning event " << *m->event_id << " (raised " << m->event_raised_at << ") at "
                  << m->called_at << "\n";
      if (!m->agenda.empty()) {
        std::cout << "\nagenda:\n";
        for (size_t i = 0; i < m->agenda.size(); ++i) std::cout << "  " << i + 1 << ". " << m->agenda[i].in(lang) << "\n";
      }
      if (!decided.empty()) {
        std::cout << "\npillar decisions:\n";
        for (const auto& c : decided)
          std::cout << "  " << c.pillar << " " << process::pillar_change_kind_name(c.kind) << ": "
                    << pillar_state(c.after) << (c.note.empty() ? "" : " (" + c.note.in(lang) + ")") << "\n";
      }
      std::cout << "\nstatus reports: " << reports.size() << "\n";
      for (const auto& r : reports)
        std::cout << "  " << r.commitment << "  " << process::reported_status_name(r.status) << "\n";
      std::cout << "assessments: " << assessments.size() << "\n";
      for (const auto& a : assessments)
        std::cout << "  " << a.commitment << "  " << process::completion_name(a.completion) << "\n";
      if (!notices.empty()) {
        std::cout << "\nnotifications:\n";
        for (const auto& n : notices)
          std::cout << "  " << n.party << " " << process::channel_name(n.channel) << "  queued " << n.queued_at << "  "
                    << (!n.delivered_at.empty() ? "delivered " + n.delivered_at
                        : !n.failed_at.empty()  ? "given up " + n.failed_at + ": " + n.last_error
                                                : "not yet delivered (" + std::to_string(n.attempts) + " attempts)")
                    << "\n";
      }
      status = 0;
    });
  }
  {
    auto o = std::make_shared<ReadOptions>();
    auto code = std::make_shared<std::string>();
    auto* sub = reading(cmd, "history", "A commitment's self-reported statuses and assessments, meeting by meeting", *o);
    sub->add_option("code", *code, "the commitment's code")->required();
    sub->callback([&global, &status, &lang, o, code] {
      auto store = open_process(global, true);
      require_commitment(*store, o->declaration, *code);
      const auto reports = store->status_history(o->declaration, *code);
      const auto assessed = store->assessments(o->declaration, *code);
      if (o->format == "json") {
        json j = {{"commitment", *code}, {"reports", json::array()}, {"assessments", json::array()}};
        for (const auto& r : reports) j["reports"].push_back(process::to_json(r, false));
        for (const auto& a : assessed) j["assessments"].push_back(process::to_json(a, false));
        print_json(j);
        status = 0;
        return;
      }
      std::map<std::string, std::string> held;
      for (const auto& m : store->meetings(o->declaration)) held[m.code] = m.held_on;
      // One list by meeting date: a report and an assessment at a meeting side by side.
      struct Line {
        std::string held_on, recorded_at, meeting, what, verdict, text;
      };
      std::vector<Line> lines;
      for (const auto& r : reports)
        lines.push_back({held[r.meeting], r.recorded_at, r.meeting, "reported",
                         std::string(process::reported_status_name(r.status)), r.narrative.in(lang)});
      for (const auto& a : assessed)
        lines.push_back({held[a.meeting], a.recorded_at, a.meeting, "assessed",
                         std::string(process::completion_name(a.completion)), a.rationale.in(lang)});
      std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
        return std::tie(a.held_on, a.recorded_at) < std::tie(b.held_on, b.recorded_at);
      });
      Rows r{{"held_on", "meeting", "what", "verdict", "recorded_at", "text"}, {}};
      for (const auto& l : lines) r.rows.push_back({l.held_on, l.meeting, l.what, l.verdict, l.recorded_at, l.text});
      print_rows(r, o->format, "nothing reported or assessed for " + *code + " yet");
      status = 0;
    });
  }
  add_process_writes(cmd, global, status);
  add_process_seed_commands(cmd, global, status);
}

}  // namespace atalaya::cli
