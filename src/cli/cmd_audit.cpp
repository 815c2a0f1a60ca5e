// atalaya audit: the audit trail as people ask it: who changed what, from
// where, when, and with what outcome; every filter narrows.
#include <iomanip>
#include <iostream>
#include <nlohmann/json.hpp>

#include "atalaya/ingest/csv_reader.h"
#include "atalaya/store/audit/audit_log.h"
#include "cli/commands.h"
#include "cli/principal.h"

namespace atalaya::cli {
namespace {

nlohmann::json line_json(const audit::AuditRecord& r) {
  const AuditEntry& e = r.entry;
  nlohmann::json j = {{"id", r.id},
                      {"at", r.at},
                      {"person_id", e.actor.person_id},
                      {"person", e.actor.name},
                      {"origin", e.actor.origin},
                      {"credential", e.actor.credential},
                      {"action", e.action},
                      {"object", e.object},
                      {"outcome", e.outcome}};
  j["detail"] = e.detail.empty() ? nlohmann::json(nullptr) : nlohmann::json::parse(e.detail, nullptr, false);
  return j;
}

void print_csv(const std::vector<audit::AuditRecord>& lines) {
  std::string out = "id,at,person_id,person,origin,credential,action,object,outcome,detail\n";
  for (const auto& r : lines) {
    const AuditEntry& e = r.entry;
    out += std::to_string(r.id) + "," + r.at + "," + std::to_string(e.actor.person_id) + ",";
    for (const std::string* f : {&e.actor.name, &e.actor.origin, &e.actor.credential, &e.action, &e.object,
                                 &e.outcome, &e.detail}) {
      append_csv_field(out, *f);
      out += f == &e.detail ? "\n" : ",";
    }
  }
  std::cout << out;
}

void print_table(const std::vector<audit::AuditRecord>& lines) {
  if (lines.empty()) {
    std::cout << "no audit lines match\n";
    return;
  }
  std::cout << std::left << std::setw(8) << "id" << std::setw(26) << "at" << std::setw(24) << "person"
            << std::setw(22) << "action" << std::setw(26) << "object" << "outcome\n";
  for (const auto& r : lines) {
    const AuditEntry& e = r.entry;
    std::cout << std::left << std::setw(8) << r.id << std::setw(26) << r.at << std::setw(24) << e.actor.name
              << std::setw(22) << e.action << std::setw(26) << e.object << e.outcome << "\n";
  }
}

}  // namespace

void add_audit_command(CLI::App& app, const GlobalOptions& global, int& status) {
  struct Options {
    audit::AuditFilter filter;
    std::string format = "table";
    Credentials credentials;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = app.add_subcommand("audit", "Read the audit trail: every change, and every read of non-public data");
  cmd->add_option("--person", o->filter.person, "the person's account name (exact)");
  cmd->add_option("--action", o->filter.action, "an action (vintage.write), or a prefix ending in '.' (alert.)");
  cmd->add_option("--object", o->filter.object, "an object (source:pa-darien), or a prefix ending in ':' (alert:)");
  cmd->add_option("--outcome", o->filter.outcome, "ok, denied, refused or failed")
      ->check(CLI::IsMember({"ok", "denied", "refused", "failed"}));
  cmd->add_option("--from", o->filter.from, "from this UTC date or time (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)");
  cmd->add_option("--to", o->filter.to, "to this UTC date (its whole day) or time");
  cmd->add_option("--before", o->filter.before_id, "lines older than this id (paging)");
  cmd->add_option("--limit", o->filter.limit, "at most this many, newest first (default 200)")
      ->check(CLI::Range(1, 100'000));
  cmd->add_option("--format", o->format, "table, csv or json")->check(CLI::IsMember({"table", "csv", "json"}));
  add_credential_options(cmd, o->credentials);
  cmd->footer(
      "Examples:\n  atalaya audit --action vintage. --from 2026-12-01\n"
      "  atalaya audit --object alert:17 --format json\n  atalaya audit --outcome denied --limit 50");
  cmd->callback([&global, &status, o] {
    require_existing_store(global.db);
    const access::Principal who = require_right(global.db, o->credentials, access::Right::ReadAudit, "read.audit");
    auto log = audit::open_audit_log(global.db);
    const auto lines = log->lines(o->filter);
    // Reading the trail is a read of non-public data: it is recorded too.
    const audit::AuditFilter& f = o->filter;
    log->record(AuditEntry{who.actor, "read.audit", "", "ok",
                           nlohmann::json{{"person", f.person}, {"action", f.action}, {"object", f.object},
                                          {"outcome", f.outcome}, {"from", f.from}, {"to", f.to},
                                          {"lines", lines.size()}}
                               .dump()});
    if (o->format == "json") {
      nlohmann::json j = nlohmann::json::array();
      for (const auto& r : lines) j.push_back(line_json(r));
      std::cout << nlohmann::json{{"lines", j}}.dump() << std::endl;
    } else if (o->format == "csv") {
      print_csv(lines);
    } else {
      print_table(lines);
    }
    status = 0;
  });
}

}  // namespace atalaya::cli
