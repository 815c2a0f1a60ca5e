// Loading a seed into a process store: what is missing is written through
// the store's rules; what is there is compared, never overwritten (seed.h).
#include <algorithm>

#include "atalaya/core/error.h"

#include "atalaya/process/seed.h"

namespace atalaya::process {
namespace {

bool same(const std::optional<Target>& a, const std::optional<Target>& b) {
  if (!a || !b) return !a && !b;
  return a->value == b->value && a->unit == b->unit && a->note == b->note;
}
bool same(const std::optional<Deadline>& a, const std::optional<Deadline>& b) {
  if (!a || !b) return !a && !b;
  return a->as_stated == b->as_stated && a->by == b->by;
}
bool same(const std::vector<Milestone>& a, const std::vector<Milestone>& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](const Milestone& x, const Milestone& y) {
    return x.due_on == y.due_on && x.description == y.description && x.done_on == y.done_on;
  });
}
bool same(const std::optional<Indicator>& a, const std::optional<Indicator>& b) {
  if (!a || !b) return !a && !b;
  return a->selection == b->selection && a->counting == b->counting && a->from == b->from &&
         a->description == b->description;
}

bool same(const Declaration& a, const Declaration& b) {
  return a.title == b.title && a.adopted_on == b.adopted_on && a.place == b.place &&
         a.text_reference == b.text_reference;
}
bool same(const Endorsement& a, const Endorsement& b) {
  return a.kind == b.kind && a.joined_on == b.joined_on && a.withdrew_on == b.withdrew_on && a.source == b.source;
}
bool same(const Meeting& a, const Meeting& b) {
  return a.kind == b.kind && a.title == b.title && a.held_on == b.held_on && a.place == b.place &&
         a.hosts == b.hosts && a.participants == b.participants && a.agenda == b.agenda && a.source == b.source;
}
// The pillar as the seed adds it; later decisions (changed, retired) make it
// differ, as they should.
bool same(const Pillar& a, const Pillar& b) {
  return a.number == b.number && a.kind == b.kind && a.name == b.name && a.goals == b.goals &&
         a.opened_on == b.opened_on && a.ends_on == b.ends_on && a.closed_on == b.closed_on;
}
bool same(const ActionPackage& a, const ActionPackage& b) {
  return a.pillar == b.pillar && a.name == b.name && a.lead == b.lead && a.participants == b.participants &&
         a.source == b.source;
}
bool same(const Commitment& a, const Commitment& b) {
  return a.parties == b.parties && a.pillar == b.pillar && a.package == b.package && a.text == b.text &&
         a.kind == b.kind && same(a.target, b.target) && same(a.deadline, b.deadline) && same(a.roadmap, b.roadmap) &&
         a.evidence == b.evidence && a.made_on == b.made_on && a.made_at == b.made_at &&
         same(a.indicator, b.indicator) && a.source == b.source;
}

// Counts one thing: written when absent, else present or differing. A
// refusal by the store names the seed file and the thing it stopped at.
template <typename T, typename Write>
void settle(const ProcessSeed& seed, const char* kind, SeedTally& tally, const std::string& code,
            const std::optional<T>& stored, const T& wanted, Write write) {
  if (!stored) {
    try {
      write();
    } catch (const Error& e) {
      throw Error(e.code(), e.parameter(),
                  seed.file + ": the store refused " + kind + " " + code + " (" + e.what() +
                      "); what was loaded before it stays, and loading again after a fix goes on from there");
    }
    ++tally.added;
  } else if (same(*stored, wanted)) {
    ++tally.present;
  } else {
    tally.differing.push_back(code);
  }
}

template <typename T, typename Key>
std::optional<T> find_in(const std::vector<T>& all, Key key) {
  for (auto& x : all)
    if (key(x)) return x;
  return std::nullopt;
}

}  // namespace

int SeedLoad::added() const {
  return declaration.added + endorsements.added + meetings.added + pillars.added + packages.added + commitments.added;
}
int SeedLoad::present() const {
  return declaration.present + endorsements.present + meetings.present + pillars.present + packages.present +
         commitments.present;
}
int SeedLoad::differing() const {
  size_t n = 0;
  for (auto* t : {&declaration, &endorsements, &meetings, &pillars, &packages, &commitments}) n += t->differing.size();
  return static_cast<int>(n);
}

SeedLoad load_seed(ProcessStore& store, const ProcessSeed& seed, const Actor& actor) {
  SeedLoad out;
  const std::string& decl = seed.declaration.code;
  settle(seed, "declaration", out.declaration, decl, store.declaration(decl), seed.declaration,
         [&] { store.save_declaration(seed.declaration, actor); });

  const auto endorsements = store.endorsements(decl);
  for (auto& e : seed.endorsements)
    settle(seed, "the endorsement of", out.endorsements, e.party,
           find_in(endorsements, [&](auto& x) { return x.party == e.party; }), e,
           [&] { store.save_endorsement(e, actor); });

  for (auto& m : seed.meetings)
    settle(seed, "meeting", out.meetings, m.code, store.meeting(decl, m.code), m,
           [&] { store.save_meeting(m, actor); });

  for (auto& c : seed.pillars)
    settle(seed, "pillar", out.pillars, c.after.code, store.pillar(decl, c.after.code), c.after,
           [&] { store.change_pillar(c, actor); });

  const auto packages = store.packages(decl);
  for (auto& p : seed.packages)
    settle(seed, "package", out.packages, p.code, find_in(packages, [&](auto& x) { return x.code == p.code; }), p,
           [&] { store.save_package(p, actor); });

  for (auto& c : seed.commitments) {
    std::optional<Commitment> stored;
    if (auto rec = store.commitment(decl, c.code)) stored = rec->commitment;
    settle(seed, "commitment", out.commitments, c.code, stored, c, [&] { store.add_commitment(c, actor); });
  }
  return out;
}

}  // namespace atalaya::process
