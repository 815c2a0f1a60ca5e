// Reading a declaration's seed file strictly (seed.h); loading it is in
// seed_load.cpp.
#include "atalaya/process/seed.h"

#include <algorithm>
#include <map>
#include <set>
#include <toml++/toml.h>

#include "atalaya/core/country.h"
#include "atalaya/core/error.h"
#include "atalaya/core/input_error.h"
#include "atalaya/core/observation.h"
#include "atalaya/core/period.h"
#include "atalaya/core/toml_input.h"

namespace atalaya::process {
namespace {

// The value as written, for error messages.
std::string text_of(const toml::node* node) {
  if (!node) return "";
  if (auto s = node->as_string()) return s->get();
  if (auto i = node->as_integer()) return std::to_string(i->get());
  if (auto f = node->as_floating_point()) return std::to_string(f->get());
  if (auto b = node->as_boolean()) return b->get() ? "true" : "false";
  if (node->is_table()) return "a table";
  if (node->is_array()) return "a list";
  return "a date or time";
}

// One file's reader: every error names the file, the line and the field.
class SeedReader {
 public:
  explicit SeedReader(std::string path) : path_(std::move(path)) {}

  [[noreturn]] void fail(const toml::node* node, const std::string& field, const std::string& expected) const {
    toml_fail(path_, node, field, text_of(node), expected);
  }

  // The node of a required key; a missing one is reported at the table's line.
  const toml::node& required(const toml::table& t, std::string_view key, const std::string& at,
                             const std::string& expected) const {
    const toml::node* n = t.get(key);
    if (!n) toml_fail(path_, &t, at + "." + std::string(key), "", expected + " (missing)");
    return *n;
  }

  std::string string(const toml::node& n, const std::string& field) const {
    auto s = n.as_string();
    if (!s || s->get().empty()) fail(&n, field, "a non-empty string");
    return s->get();
  }
  std::string string(const toml::table& t, std::string_view key, const std::string& at) const {
    return string(required(t, key, at, "a non-empty string"), at + "." + std::string(key));
  }
  std::optional<std::string> optional_string(const toml::table& t, std::string_view key, const std::string& at) const {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    return string(*n, at + "." + std::string(key));
  }

  std::vector<std::string> strings(const toml::node& n, const std::string& field, bool may_be_empty) const {
    auto a = n.as_array();
    if (!a) fail(&n, field, "a list of strings");
    std::vector<std::string> out;
    for (auto& e : *a) out.push_back(string(e, field));
    if (out.empty() && !may_be_empty) fail(&n, field, "at least one value");
    return out;
  }

  std::string day(const toml::node& n, const std::string& field) const {
    const std::string text = string(n, field);
    try {
      check_day(text, field);
    } catch (const Error&) {
      fail(&n, field, "a day as YYYY-MM-DD (2022-06-10)");
    }
    return text;
  }
  std::string day(const toml::table& t, std::string_view key, const std::string& at) const {
    return day(required(t, key, at, "a day as YYYY-MM-DD"), at + "." + std::string(key));
  }
  std::optional<std::string> optional_day(const toml::table& t, std::string_view key, const std::string& at) const {
    const toml::node* n = t.get(key);
    if (!n) return std::nullopt;
    return day(*n, at + "." + std::string(key));
  }

  // A state: an ISO alpha-3 code, exactly as written there ("GUY", not "Guyana").
  std::string state(const toml::node& n, const std::string& field) const {
    const std::string code = string(n, field);
    const Country* c = find_country(code);
    if (!c || code != c->alpha3) {
      std::string expected = "an ISO 3166-1 alpha-3 country code";
      if (c) expected += " (" + std::string(c->alpha3) + " for " + c->name_en + ")";
      else if (auto near = nearest_country_names(code, 3); !near.empty()) {
        expected += " (nearest known:";
        for (auto& x : near) expected += " " + x + ";";
        expected.back() = ')';
      }
      fail(&n, field, expected);
    }
    return code;
  }
  std::vector<std::string> states(const toml::node& n, const std::string& field, bool may_be_empty) const {
    auto a = n.as_array();
    if (!a) fail(&n, field, "a list of ISO alpha-3 country codes");
    std::vector<std::string> out;
    for (auto& e : *a) out.push_back(state(e, field));
    if (out.empty() && !may_be_empty) fail(&n, field, "at least one country code");
    return out;
  }

  // { en = "...", es = "..." }, at least one of them.
  Text text(const toml::node& n, const std::string& field) const {
    auto t = n.as_table();
    if (!t) fail(&n, field, "a table { en = \"...\", es = \"...\" }");
    check_known_keys(path_, *t, field, {"en", "es"});
    Text out;
    if (auto en = t->get("en")) out.en = string(*en, field + ".en");
    if (auto es = t->get("es")) out.es = string(*es, field + ".es");
    if (out.empty()) fail(&n, field, "a text in English (en) or Spanish (es), or both");
    return out;
  }
  Text text(const toml::table& t, std::string_view key, const std::string& at) const {
    return text(required(t, key, at, "a table { en = \"...\", es = \"...\" }"), at + "." + std::string(key));
  }
  std::vector<Text> texts(const toml::node& n, const std::string& field) const {
    auto a = n.as_array();
    if (!a) fail(&n, field, "a list of { en = \"...\", es = \"...\" }");
    std::vector<Text> out;
    for (auto& e : *a) out.push_back(text(e, field));
    return out;
  }

  // A `source` field: a key of [sources], resolved to its citation.
  std::string source(const toml::table& t, const std::string& at) const {
    const toml::node& n = required(t, "source", at, "a key of [sources]");
    const std::string key = string(n, at + ".source");
    auto it = sources_.find(key);
    if (it == sources_.end()) fail(&n, at + ".source", "a key of [sources]" + known(sources_));
    return it->second;
  }

  template <typename Map>
  static std::string known(const Map& m) {
    if (m.empty()) return " (there are none)";
    std::string list;
    for (auto& [k, v] : m) list += (list.empty() ? "" : ", ") + k;
    return " (one of: " + list + ")";
  }

  template <typename E>
  E word(const toml::table& t, std::string_view key, const std::string& at, std::optional<E> (*parse)(std::string_view),
         const std::string& expected) const {
    const toml::node& n = required(t, key, at, expected);
    auto v = parse(string(n, at + "." + std::string(key)));
    if (!v) fail(&n, at + "." + std::string(key), expected);
    return *v;
  }

  // An array of tables under `key` of the root (absent: none).
  std::vector<const toml::table*> tables(const toml::table& root, std::string_view key) const {
    std::vector<const toml::table*> out;
    const toml::node* n = root.get(key);
    if (!n) return out;
    auto a = n->as_array();
    if (!a) fail(n, std::string(key), "an array of tables: [[" + std::string(key) + "]]");
    for (auto& e : *a) {
      auto t = e.as_table();
      if (!t) fail(&e, std::string(key), "a table: [[" + std::string(key) + "]]");
      out.push_back(t);
    }
    return out;
  }

  std::string at(std::string_view key, size_t index) const {
    return std::string(key) + "[" + std::to_string(index + 1) + "]";
  }

  // A code given once in its kind.
  void unique(std::set<std::string>& seen, const std::string& code, const toml::table& t, const std::string& field) {
    if (!seen.insert(code).second) fail(t.get("code"), field, "a code not used before in the file");
  }

  void read_sources(const toml::table& root) {
    const toml::node* n = root.get("sources");
    if (!n) toml_fail(path_, nullptr, "sources", "", "a [sources] table of key = \"citation\" (missing)");
    auto t = n->as_table();
    if (!t) fail(n, "sources", "a [sources] table of key = \"citation\"");
    for (auto& [k, v] : *t) sources_[std::string(k.str())] = string(v, "sources." + std::string(k.str()));
  }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
  std::map<std::string, std::string> sources_;
};

void read_declaration(SeedReader& r, const toml::table& root, ProcessSeed& seed) {
  const toml::node* n = root.get("declaration");
  if (!n || !n->is_table()) toml_fail(r.path(), n, "declaration", "", "a [declaration] table");
  const toml::table& t = *n->as_table();
  check_known_keys(r.path(), t, "declaration", {"code", "title", "adopted_on", "place", "text_reference", "source"});
  Declaration& d = seed.declaration;
  d.code = r.string(t, "code", "declaration");
  d.title = r.text(t, "title", "declaration");
  d.adopted_on = r.day(t, "adopted_on", "declaration");
  d.place = r.string(t, "place", "declaration");
  d.text_reference = r.string(t, "text_reference", "declaration");
  seed.declaration_source = r.source(t, "declaration");
}

void read_endorsers(SeedReader& r, const toml::table& root, ProcessSeed& seed) {
  std::set<std::string> seen;
  const auto groups = r.tables(root, "endorsers");
  if (groups.empty()) toml_fail(r.path(), nullptr, "endorsers", "", "at least one [[endorsers]] group");
  for (size_t i = 0; i < groups.size(); ++i) {
    const toml::table& t = *groups[i];
    const std::string at = r.at("endorsers", i);
    check_known_keys(r.path(), t, at, {"parties", "kind", "joined_on", "withdrew_on", "source"});
    const PartyKind kind = r.word<PartyKind>(t, "kind", at, parse_party_kind, "\"state\" or \"organisation\"");
    const toml::node& parties = r.required(t, "parties", at, "a list of parties");
    std::vector<std::string> codes = kind == PartyKind::State ? r.states(parties, at + ".parties", false)
                                                              : r.strings(parties, at + ".parties", false);
    Endorsement e;
    e.declaration = seed.declaration.code;
    e.kind = kind;
    e.joined_on = r.day(t, "joined_on", at);
    e.withdrew_on = r.optional_day(t, "withdrew_on", at);
    e.source = r.source(t, at);
    if (e.joined_on < seed.declaration.adopted_on)
      r.fail(t.get("joined_on"), at + ".joined_on", "a day on or after the adoption (" + seed.declaration.adopted_on + ")");
    if (e.withdrew_on && *e.withdrew_on <= e.joined_on)
      r.fail(t.get("withdrew_on"), at + ".withdrew_on", "a day after joined_on (" + e.joined_on + ")");
    for (auto& code : codes) {
      if (!seen.insert(code).second) r.fail(&parties, at + ".parties", "parties not listed before (" + code + " is)");
      e.party = code;
      seed.endorsements.push_back(e);
    }
  }
}

void read_meetings(SeedReader& r, const toml::table& root, ProcessSeed& seed) {
  std::set<std::string> seen;
  const auto all = r.tables(root, "meeting");
  for (size_t i = 0; i < all.size(); ++i) {
    const toml::table& t = *all[i];
    const std::string at = r.at("meeting", i);
    check_known_keys(r.path(), t, at,
                     {"code", "kind", "title", "held_on", "place", "hosts", "participants", "agenda", "source"});
    Meeting m;
    m.declaration = seed.declaration.code;
    m.code = r.string(t, "code", at);
    r.unique(seen, m.code, t, at + ".code");
    m.kind = r.word<MeetingKind>(t, "kind", at, parse_meeting_kind, "\"ministerial\" or \"technical\"");
    if (m.kind == MeetingKind::Emergency)
      r.fail(t.get("kind"), at + ".kind", "\"ministerial\" or \"technical\" (emergency sessions are called from an alert)");
    m.title = r.text(t, "title", at);
    m.held_on = r.day(t, "held_on", at);
    m.place = r.string(t, "place", at);
    m.hosts = r.states(r.required(t, "hosts", at, "a list of host states"), at + ".hosts", false);
    if (auto p = t.get("participants")) m.participants = r.states(*p, at + ".participants", true);
    if (auto a = t.get("agenda")) m.agenda = r.texts(*a, at + ".agenda");
    m.source = r.source(t, at);
    seed.meetings.push_back(std::move(m));
  }
}

const Meeting* find_meeting(const ProcessSeed& seed, const std::string& code) {
  for (auto& m : seed.meetings)
    if (m.code == code) return &m;
  return nullptr;
}

std::string meeting_codes(const ProcessSeed& seed) {
  std::string list;
  for (auto& m : seed.meetings) list += (list.empty() ? "" : ", ") + m.code;
  return list.empty() ? " (the file holds none)" : " (one of: " + list + ")";
}

void read_pillars(SeedReader& r, const toml::table& root, ProcessSeed& seed) {
  std::set<std::string> seen;
  const auto all = r.tables(root, "pillar");
  for (size_t i = 0; i < all.size(); ++i) {
    const toml::table& t = *all[i];
    const std::string at = r.at("pillar", i);
    check_known_keys(r.path(), t, at,
                     {"code", "number", "kind", "name", "goals", "opened_on", "ends_on", "added_at", "source"});
    Pillar p;
    p.declaration = seed.declaration.code;
    p.code = r.string(t, "code", at);
    r.unique(seen, p.code, t, at + ".code");
    const toml::node& number = r.required(t, "number", at, "a whole number from 1");
    if (!number.as_integer() || number.as_integer()->get() < 1) r.fail(&number, at + ".number", "a whole number from 1");
    p.number = static_cast<int>(number.as_integer()->get());
    p.kind = r.word<PillarKind>(t, "kind", at, parse_pillar_kind, "\"permanent\" or \"temporary\"");
    if (p.kind == PillarKind::Emergency)
      r.fail(t.get("kind"), at + ".kind", "\"permanent\" or \"temporary\" (emergency pillars open with an emergency session)");
    p.name = r.text(t, "name", at);
    p.goals = r.texts(r.required(t, "goals", at, "a list of goals"), at + ".goals");
    p.opened_on = r.day(t, "opened_on", at);
    p.ends_on = r.optional_day(t, "ends_on", at);
    if (p.kind == PillarKind::Temporary && !p.ends_on)
      toml_fail(r.path(), &t, at + ".ends_on", "", "the planned end of a temporary pillar (missing)");
    if (p.kind == PillarKind::Permanent && p.ends_on)
      r.fail(t.get("ends_on"), at + ".ends_on", "nothing: a permanent pillar has no planned end");
    const std::string added_at = r.string(t, "added_at", at);
    const Meeting* m = find_meeting(seed, added_at);
    if (!m) r.fail(t.get("added_at"), at + ".added_at", "the code of a meeting in this file" + meeting_codes(seed));
    if (m->held_on != p.opened_on)
      r.fail(t.get("opened_on"), at + ".opened_on", "the day of the meeting that added it (" + m->held_on + ")");
    const std::string source = r.source(t, at);
    PillarChange c;
    c.pillar = p.code;
    c.meeting = added_at;
    c.kind = PillarChangeKind::Added;
    c.note = {"Source: " + source, "Fuente: " + source};
    c.after = std::move(p);
    seed.pillars.push_back(std::move(c));
  }
}

const Pillar* find_pillar(const ProcessSeed& seed, const std::string& code) {
  for (auto& c : seed.pillars)
    if (c.after.code == code) return &c.after;
  return nullptr;
}

std::string pillar_codes(const ProcessSeed& seed) {
  std::string list;
  for (auto& c : seed.pillars) list += (list.empty() ? "" : ", ") + c.after.code;
  return list.empty() ? " (the file holds none)" : " (one of: " + list + ")";
}

void read_packages(SeedReader& r, const toml::table& root, ProcessSeed& seed) {
  std::set<std::string> seen;
  const auto all = r.tables(root, "package");
  for (size_t i = 0; i < all.size(); ++i) {
    const toml::table& t = *all[i];
    const std::string at = r.at("package", i);
    check_known_keys(r.path(), t, at, {"code", "pillar", "name", "lead", "participants", "source"});
    ActionPackage p;
    p.declaration = seed.declaration.code;
    p.code = r.string(t, "code", at);
    r.unique(seen, p.code, t, at + ".code");
    p.pillar = r.string(t, "pillar", at);
    if (!find_pillar(seed, p.pillar)) r.fail(t.get("pillar"), at + ".pillar", "a pillar of this file" + pillar_codes(seed));
    p.name = r.text(t, "name", at);
    p.lead = r.state(r.required(t, "lead", at, "the leading state's code"), at + ".lead");
    p.participants = r.states(r.required(t, "participants", at, "a list of states ([] when not known)"),
                              at + ".participants", true);
    p.source = r.source(t, at);
    seed.packages.push_back(std::move(p));
  }
}

Target read_target(SeedReader& r, const toml::node& n, const std::string& field) {
  auto t = n.as_table();
  if (!t) r.fail(&n, field, "a table { value = ..., unit = \"...\", note = \"...\" }");
  check_known_keys(r.path(), *t, field, {"value", "unit", "note"});
  Target out;
  const toml::node& v = r.required(*t, "value", field, "a positive number");
  auto number = v.value<double>();
  if (!number || *number <= 0) r.fail(&v, field + ".value", "a positive number");
  out.value = *number;
  out.unit = r.string(*t, "unit", field);
  if (auto note = r.optional_string(*t, "note", field)) out.note = *note;
  return out;
}

Indicator read_indicator(SeedReader& r, const toml::node& n, const std::string& field) {
  auto t = n.as_table();
  if (!t) r.fail(&n, field, "a table { select = {...}, counting = \"...\", from = \"YYYY-MM\" }");
  check_known_keys(r.path(), *t, field, {"select", "counting", "from", "description"});
  Indicator out;
  const toml::node& sel = r.required(*t, "select", field, "a table of dimension = [values]");
  auto st = sel.as_table();
  if (!st || st->empty()) r.fail(&sel, field + ".select", "a table of dimension = [values], e.g. { source = [\"...\"] }");
  for (auto& [k, v] : *st) {
    const std::string dim(k.str());
    if (!dimension_value(SeriesKey{}, dim))
      r.fail(&v, field + ".select." + dim, "a dimension (source, reporter, location, citizenship, counterpart, event, demographic, authority)");
    out.selection[dim] = r.strings(v, field + ".select." + dim, false);
  }
  out.counting = r.word<Counting>(*t, "counting", field, parse_counting, "\"cumulative_from\" or \"level_by\"");
  if (auto from = t->get("from")) {
    const std::string month = r.string(*from, field + ".from");
    auto p = month.size() == 7 && month[4] == '-' ? Period::parse(month) : std::nullopt;
    if (!p) r.fail(from, field + ".from", "a month as YYYY-MM");
    out.from = month;
  }
  if (out.counting == Counting::CumulativeFrom && out.from.empty())
    toml_fail(r.path(), t, field + ".from", "", "the first month counted, YYYY-MM (missing)");
  if (out.counting == Counting::LevelBy && !out.from.empty())
    r.fail(t->get("from"), field + ".from", "nothing: a level is read at the deadline, not summed from a month");
  if (auto d = t->get("description")) out.description = r.text(*d, field + ".description");
  return out;
}

bool endorses_on(const ProcessSeed& seed, const std::string& party, const std::string& day) {
  for (auto& e : seed.endorsements)
    if (e.party == party && e.active_on(day)) return true;
  return false;
}

void read_commitments(SeedReader& r, const toml::table& root, ProcessSeed& seed) {
  std::set<std::string> seen;
  const auto all = r.tables(root, "commitment");
  for (size_t i = 0; i < all.size(); ++i) {
    const toml::table& t = *all[i];
    const std::string at = r.at("commitment", i);
    check_known_keys(r.path(), t, at,
                     {"code", "pillar", "package", "parties", "kind", "text", "target", "deadline", "roadmap",
                      "evidence", "made_on", "made_at", "indicator", "source"});
    Commitment c;
    c.declaration = seed.declaration.code;
    c.code = r.string(t, "code", at);
    r.unique(seen, c.code, t, at + ".code");
    c.pillar = r.string(t, "pillar", at);
    if (!find_pillar(seed, c.pillar)) r.fail(t.get("pillar"), at + ".pillar", "a pillar of this file" + pillar_codes(seed));
    if (auto pkg = r.optional_string(t, "package", at)) {
      auto it = std::find_if(seed.packages.begin(), seed.packages.end(), [&](auto& p) { return p.code == *pkg; });
      if (it == seed.packages.end()) r.fail(t.get("package"), at + ".package", "a package of this file");
      if (it->pillar != c.pillar) r.fail(t.get("package"), at + ".package", "a package of pillar " + c.pillar);
      c.package = *pkg;
    }
    const toml::node& parties = r.required(t, "parties", at, "a list of parties");
    for (auto& p : r.strings(parties, at + ".parties", false)) {
      // A state by its ISO code, or an organisation that endorses the declaration.
      const bool organisation = std::any_of(seed.endorsements.begin(), seed.endorsements.end(), [&](auto& e) {
        return e.party == p && e.kind == PartyKind::Organisation;
      });
      if (!organisation) {
        const Country* country = find_country(p);
        if (!country || p != country->alpha3)
          r.fail(&parties, at + ".parties", "ISO alpha-3 country codes or endorsing organisations ('" + p + "' is neither)");
      }
      c.parties.push_back(p);
    }
    c.kind = r.word<CommitmentKind>(t, "kind", at, parse_commitment_kind,
                                    "policy, funding, pathway_places, capacity or operation");
    c.text = r.text(t, "text", at);
    if (auto target = t.get("target")) c.target = read_target(r, *target, at + ".target");
    if (auto deadline = t.get("deadline")) {
      const std::string stated = r.string(*deadline, at + ".deadline");
      try {
        c.deadline = read_deadline(stated, at + ".deadline");
      } catch (const Error&) {
        r.fail(deadline, at + ".deadline", "a day (2022-08-31), a month (2022-08), a year (2028) or a U.S. fiscal year (FY2024)");
      }
    }
    if (auto roadmap = t.get("roadmap")) {
      auto a = roadmap->as_array();
      if (!a) r.fail(roadmap, at + ".roadmap", "a list of { due_on, description, done_on }");
      for (auto& e : *a) {
        auto mt = e.as_table();
        const std::string field = at + ".roadmap";
        if (!mt) r.fail(&e, field, "a table { due_on = \"...\", description = {...}, done_on = \"...\" }");
        check_known_keys(r.path(), *mt, field, {"due_on", "description", "done_on"});
        Milestone m;
        m.due_on = r.day(*mt, "due_on", field);
        m.description = r.text(*mt, "description", field);
        m.done_on = r.optional_day(*mt, "done_on", field);
        c.roadmap.push_back(std::move(m));
      }
    }
    if (auto evidence = t.get("evidence")) c.evidence = r.strings(*evidence, at + ".evidence", true);
    c.made_on = r.day(t, "made_on", at);
    c.made_at = r.string(t, "made_at", at);
    const Meeting* m = find_meeting(seed, c.made_at);
    if (!m) r.fail(t.get("made_at"), at + ".made_at", "the code of a meeting in this file" + meeting_codes(seed));
    if (m->held_on != c.made_on)
      r.fail(t.get("made_on"), at + ".made_on", "the day of the meeting it was made at (" + m->held_on + ")");
    if (!find_pillar(seed, c.pillar)->open_on(c.made_on))
      r.fail(t.get("made_on"), at + ".made_on", "a day pillar " + c.pillar + " is open");
    for (auto& p : c.parties)
      if (!endorses_on(seed, p, c.made_on))
        r.fail(&parties, at + ".parties", "parties endorsing the declaration on " + c.made_on + " (" + p + " does not)");
    if (auto ind = t.get("indicator")) c.indicator = read_indicator(r, *ind, at + ".indicator");
    c.source = r.source(t, at);
    seed.commitments.push_back(std::move(c));
  }
}

}  // namespace

ProcessSeed parse_seed(const std::string& text, const std::string& path) {
  const toml::table root = parse_toml(text, path);
  check_known_keys(path, root, "", {"sources", "declaration", "endorsers", "meeting", "pillar", "package", "commitment"});
  SeedReader r(path);
  ProcessSeed seed;
  seed.file = path;
  r.read_sources(root);
  read_declaration(r, root, seed);
  read_endorsers(r, root, seed);
  read_meetings(r, root, seed);
  read_pillars(r, root, seed);
  read_packages(r, root, seed);
  read_commitments(r, root, seed);
  return seed;
}

ProcessSeed read_seed(const std::string& path) {
  return parse_seed(read_input_file(path, "a readable seed file (TOML)"), path);
}

}  // namespace atalaya::process
