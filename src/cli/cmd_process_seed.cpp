// atalaya process seed [FILE] | matrix | progress CODE: loading a
// declaration's seed file (process/seed.h), the pillars x states matrix
// (process/matrix.h) and a commitment's observed progress against its
// indicator (process/progress.h).
#include <cmath>
#include <iostream>
#include <nlohmann/json.hpp>

#include "atalaya/core/utc_time.h"
#include "atalaya/process/matrix.h"
#include "atalaya/process/progress.h"
#include "atalaya/process/seed.h"
#include "cli/principal.h"
#include "cli/process_command.h"

namespace atalaya::cli {
namespace {

using nlohmann::json;

constexpr const char* kShippedSeed = "data/process/los-angeles-declaration.toml";

void check_format(const std::string& format, std::initializer_list<const char*> allowed) {
  for (const char* a : allowed)
    if (format == a) return;
  std::string list;
  for (const char* a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  throw std::invalid_argument("--format: expected one of " + list + ", got '" + format + "'");
}

std::string today() { return utc_now().substr(0, 10); }

// ------------------------------------------------------------------ seed ---

std::string tally_line(const char* what, const process::SeedTally& t) {
  std::string line = std::string(what) + ": " + std::to_string(t.added) + " added, " + std::to_string(t.present) +
                     " already present";
  if (!t.differing.empty()) {
    line += ", " + std::to_string(t.differing.size()) + " differ from the file and were left as stored:";
    for (auto& code : t.differing) line += " " + code;
  }
  return line;
}

void add_seed(CLI::App* cmd, const GlobalOptions& global, int& status) {
  struct Options {
    std::string file;
    Credentials credentials;
  };
  auto o = std::make_shared<Options>();
  auto* sub = cmd->add_subcommand(
      "seed", "Load a declaration's seed file (default: the shipped Los Angeles Declaration); loading it again adds nothing");
  sub->add_option("file", o->file, std::string("the seed file (TOML; default ") + kShippedSeed + ")");
  add_credential_options(sub, o->credentials);
  sub->callback([&global, &status, o] {
    const std::string file =
        o->file.empty() ? require_shipped(kShippedSeed, false, "FILE", "seed file") : shipped_or_given(o->file);
    const process::ProcessSeed seed = process::read_seed(file);  // refused before anyone is asked
    const access::Principal who = require_right(global.db, o->credentials, access::Right::ManageProcess,
                                                "process.seed");
    auto store = open_process(global, false);
    const process::SeedLoad load = process::load_seed(*store, seed, who.actor);
    std::cout << "seed " << file << " (" << seed.declaration.code << ")\n";
    std::cout << "  " << tally_line("declaration", load.declaration) << "\n";
    std::cout << "  " << tally_line("endorsements", load.endorsements) << "\n";
    std::cout << "  " << tally_line("meetings", load.meetings) << "\n";
    std::cout << "  " << tally_line("pillars", load.pillars) << "\n";
    std::cout << "  " << tally_line("packages", load.packages) << "\n";
    std::cout << "  " << tally_line("commitments", load.commitments) << "\n";
    if (load.added() == 0)
      std::cout << "nothing added: the store already holds this seed (" << load.present() << " present)\n";
    else
      std::cout << load.added() << " added, " << load.present() << " already present\n";
    status = 0;
  });
}

// ---------------------------------------------------------------- matrix ---

json counts_json(const process::StatusCounts& c) {
  json j = json::object();
  for (size_t b = 0; b < process::kStatusBuckets; ++b) j[std::string(process::bucket_name(b))] = c.n[b];
  j["total"] = c.total();
  return j;
}

// "1 pillar", "4 pillars".
std::string counted(int n, const std::string& noun) { return std::to_string(n) + " " + noun + (n == 1 ? "" : "s"); }

std::string count_cell(const process::StatusCounts* c) { return c && c->total() ? std::to_string(c->total()) : ""; }

std::string breakdown(const process::StatusCounts& c) {
  std::string out;
  for (size_t b = 0; b < process::kStatusBuckets; ++b)
    if (c.n[b]) out += (out.empty() ? "" : ", ") + std::to_string(c.n[b]) + " " + std::string(process::bucket_name(b));
  return out.empty() ? "none" : out;
}

void print_matrix(const process::Matrix& m, const std::string& format, Language lang) {
  const std::string l = lang == Language::Es ? "es" : "en";
  if (format == "json") {
    json j{{"declaration", m.declaration}, {"as_of", m.as_of}, {"parties", m.parties}};
    j["pillars"] = json::array();
    for (auto& r : m.rows) {
      json cells = json::object();
      for (auto& [party, c] : r.cells) cells[party] = counts_json(c);
      j["pillars"].push_back({{"code", r.pillar.code},
                              {"number", r.pillar.number},
                              {"name", r.pillar.name.in(l)},
                              {"cells", cells},
                              {"total", counts_json(r.total)}});
    }
    json parties = json::object();
    for (auto& [party, c] : m.party_totals) parties[party] = counts_json(c);
    j["party_totals"] = parties;
    j["total"] = counts_json(m.total);
    std::cout << j.dump(2) << "\n";
    return;
  }
  Rows rows;
  if (format == "csv") {
    // One row per pillar and party holding commitments, then the totals.
    rows.header = {"pillar", "party"};
    for (size_t b = 0; b < process::kStatusBuckets; ++b) rows.header.emplace_back(process::bucket_name(b));
    rows.header.emplace_back("total");
    auto add = [&](const std::string& pillar, const std::string& party, const process::StatusCounts& c) {
      std::vector<std::string> row{pillar, party};
      for (size_t b = 0; b < process::kStatusBuckets; ++b) row.push_back(std::to_string(c.n[b]));
      row.push_back(std::to_string(c.total()));
      rows.rows.push_back(std::move(row));
    };
    for (auto& r : m.rows) {
      for (auto& [party, c] : r.cells) add(r.pillar.code, party, c);
      add(r.pillar.code, "total", r.total);
    }
    for (auto& [party, c] : m.party_totals) add("total", party, c);
    add("total", "total", m.total);
    print_rows(rows, "csv", "");
    return;
  }
  std::cout << m.declaration << " as of " << m.as_of << ": " << m.parties.size() << " endorsing, "
            << counted(static_cast<int>(m.rows.size()), "pillar") << " open, " << counted(m.total.total(), "commitment")
            << "\n";
  rows.header = {"pillar"};
  for (auto& p : m.parties) rows.header.push_back(p);
  rows.header.emplace_back("total");
  for (auto& r : m.rows) {
    std::vector<std::string> row{r.pillar.code};
    for (auto& p : m.parties) {
      auto it = r.cells.find(p);
      row.push_back(count_cell(it == r.cells.end() ? nullptr : &it->second));
    }
    row.push_back(std::to_string(r.total.total()));
    rows.rows.push_back(std::move(row));
  }
  std::vector<std::string> last{"total"};
  for (auto& p : m.parties) last.push_back(count_cell(&m.party_totals.at(p)));
  last.push_back(std::to_string(m.total.total()));
  rows.rows.push_back(std::move(last));
  print_rows(rows, "table", "");
  std::cout << "\nby latest reported status:\n";
  for (auto& r : m.rows)
    std::cout << "  " << r.pillar.code << " " << r.pillar.name.in(l) << ": " << breakdown(r.total) << "\n";
}

void add_matrix(CLI::App* cmd, const GlobalOptions& global, int& status) {
  struct Options {
    std::string declaration = kDefaultDeclaration, as_of, format = "table";
  };
  auto o = std::make_shared<Options>();
  auto* sub = cmd->add_subcommand(
      "matrix", "The pillars x states matrix: commitments by latest self-reported status, as of a day");
  sub->add_option("--declaration", o->declaration,
                  std::string("the declaration's code (default ") + kDefaultDeclaration + ")");
  sub->add_option("--as-of", o->as_of, "the day (YYYY-MM-DD; default today, UTC)");
  sub->add_option("--format", o->format, "table, csv or json (default table)");
  sub->callback([&global, &status, o] {
    check_format(o->format, {"table", "csv", "json"});
    auto store = open_process(global, true);
    print_matrix(process::matrix_of(*store, o->declaration, o->as_of.empty() ? today() : o->as_of), o->format,
                 global.language());
    status = 0;
  });
}

// -------------------------------------------------------------- progress ---

std::string number(double v) {
  if (std::abs(v - std::round(v)) < 1e-9 && std::abs(v) < 1e15) return thousands(static_cast<int64_t>(std::llround(v)));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

std::vector<std::string> flags_of(const process::Progress& p) {
  std::vector<std::string> out;
  if (p.no_indicator) out.emplace_back("no_indicator");
  if (p.claimed_fulfilled_data_short) out.emplace_back("claimed_fulfilled_data_short");
  if (p.deadline_passed_no_data) out.emplace_back("deadline_passed_no_data");
  if (p.deadline_passed_short) out.emplace_back("deadline_passed_short");
  return out;
}

void print_progress(const process::CommitmentRecord& rec, const process::Progress& p, const std::string& format,
                    const std::string& day) {
  const process::Commitment& c = rec.commitment;
  if (format == "json") {
    json j{{"commitment", c.code}, {"today", day}, {"no_indicator", p.no_indicator}, {"flags", flags_of(p)}};
    j["reported_status"] = rec.latest_status ? json(process::reported_status_name(rec.latest_status->status)) : json();
    if (c.target) j["target"] = {{"value", c.target->value}, {"unit", c.target->unit}};
    if (c.deadline) j["deadline"] = {{"as_stated", c.deadline->as_stated}, {"by", c.deadline->by}};
    if (!p.no_indicator) {
      j["refused"] = p.refused.empty() ? json() : json(p.refused);
      j["sources"] = p.sources;
      j["unit"] = p.unit;
      j["value"] = p.value ? json(*p.value) : json();
      j["share"] = p.share ? json(*p.share) : json();
      j["from"] = p.from;
      j["to"] = p.to;
      j["as_of"] = p.as_of;
      j["periods_counted"] = p.periods_counted;
      j["gaps"] = p.gaps;
      j["partial"] = p.partial;
      j["other_periods_ignored"] = p.other_periods_ignored;
      j["short_threshold"] = process::kShortOfTargetShare;
    }
    std::cout << j.dump(2) << "\n";
    return;
  }
  std::cout << "commitment  " << c.code << "\n";
  if (c.target)
    std::cout << "target      " << number(c.target->value) << " " << c.target->unit
              << (c.target->note.empty() ? "" : " (" + c.target->note + ")") << "\n";
  if (c.deadline) std::cout << "deadline    " << c.deadline->as_stated << " (by " << c.deadline->by << ")\n";
  std::cout << "reported    "
            << (rec.latest_status ? std::string(process::reported_status_name(rec.latest_status->status)) + " at " +
                                        rec.latest_status->meeting
                                  : std::string("not reported"))
            << "\n";
  if (p.no_indicator) {
    std::cout << "observed    no indicator: this commitment names no series to check it against\n";
    return;
  }
  if (!p.refused.empty()) {
    std::cout << "observed    not computed: " << p.refused << "\n";
  } else if (!p.value) {
    std::cout << "observed    no data in the selected series"
              << (p.sources.empty() ? "" : " (" + p.sources.front() + ")") << "\n";
  } else {
    std::cout << "observed    " << number(*p.value) << " " << p.unit;
    if (p.share) std::cout << " (" << number(std::round(*p.share * 1000) / 10) << "% of the target)";
    std::cout << ", " << (p.from.empty() ? "level" : p.from + ".." + p.to) << ", " << p.periods_counted
              << (p.periods_counted == 1 ? " month" : " months") << " counted, as of " << p.as_of << ", source "
              << p.sources.front() << "\n";
    if (!p.gaps.empty()) {
      std::cout << "gaps        ";
      for (size_t i = 0; i < p.gaps.size(); ++i) std::cout << (i ? ", " : "") << p.gaps[i];
      std::cout << " (missing, not counted as zero)\n";
    }
    if (p.partial) std::cout << "partial     the data stops before the deadline's month\n";
  }
  if (p.other_periods_ignored)
    std::cout << "not counted " << p.other_periods_ignored
              << " quarterly or annual values of the series (only months are counted)\n";
  const auto flags = flags_of(p);
  std::cout << "flags       ";
  if (flags.empty()) std::cout << "none";
  for (size_t i = 0; i < flags.size(); ++i) std::cout << (i ? ", " : "") << flags[i];
  std::cout << "\n";
}

void add_progress(CLI::App* cmd, const GlobalOptions& global, int& status) {
  struct Options {
    std::string declaration = kDefaultDeclaration, code, today, format = "table";
  };
  auto o = std::make_shared<Options>();
  auto* sub = cmd->add_subcommand(
      "progress", "A commitment's observed progress against its indicator, beside its self-reported status");
  sub->add_option("code", o->code, "the commitment's code (la-2022-P2-USA-resettlement)")->required();
  sub->add_option("--declaration", o->declaration,
                  std::string("the declaration's code (default ") + kDefaultDeclaration + ")");
  sub->add_option("--today", o->today, "the day deadlines are judged on (YYYY-MM-DD; default today, UTC)");
  sub->add_option("--format", o->format, "table or json (default table)");
  sub->callback([&global, &status, o] {
    check_format(o->format, {"table", "json"});
    const std::string day = o->today.empty() ? today() : o->today;
    process::check_day(day, "today");
    auto store = open_process(global, true);
    auto rec = store->commitment(o->declaration, o->code);
    if (!rec)
      throw Error(ErrorCode::NotFound, "code",
                  "no commitment '" + o->code + "' in " + o->declaration + " (atalaya process commitments lists them)");
    auto series = global.open_store(true);
    print_progress(*rec, process::progress_of(*series, *rec, day), o->format, day);
    status = 0;
  });
}

}  // namespace

void add_process_seed_commands(CLI::App* process, const GlobalOptions& global, int& status) {
  add_seed(process, global, status);
  add_matrix(process, global, status);
  add_progress(process, global, status);
}

}  // namespace atalaya::cli
