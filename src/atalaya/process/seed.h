// A declaration's seed file (data/process/*.toml, docs/process.md): the
// declaration, its endorsers, the meetings, the pillars added at its
// adoption, the action packages and the commitments, each fact with its
// source; read strictly, then loaded into a ProcessStore once.
//
// The file's layout:
//   [sources]            key = "citation" (title, publisher, date, address);
//                        every `source` field names one of these keys
//   [declaration]        code, title = {en, es}, adopted_on, place, text_reference, source
//   [[endorsers]]        parties = [...], kind ("state" | "organisation"), joined_on, source
//                        (optional withdrew_on)
//   [[meeting]]          code, kind, title, held_on, place, hosts, source
//                        (optional participants, agenda = [{en, es}])
//   [[pillar]]           code, number, kind, name, goals = [{en, es}], opened_on,
//                        added_at (a meeting), source (optional ends_on)
//   [[package]]          code, pillar, name, lead, participants, source
//   [[commitment]]       code, pillar, parties, kind, text, made_on, made_at, source
//                        (optional package, target = {value, unit, note},
//                        deadline, roadmap = [{due_on, description, done_on}],
//                        evidence = [...], indicator = {select = {dim = [...]},
//                        counting, from, description})
// Days are strings "YYYY-MM-DD"; a deadline is as announced (read_deadline).
#pragma once

#include <string>
#include <vector>

#include "atalaya/core/actor.h"
#include "atalaya/process/process_model.h"
#include "atalaya/process/process_store.h"

namespace atalaya::process {

struct ProcessSeed {
  std::string file;
  Declaration declaration;
  std::string declaration_source;  // the citation of the declaration's text
  std::vector<Endorsement> endorsements;
  std::vector<Meeting> meetings;
  // One change of kind Added per pillar, decided by the meeting named by
  // added_at; the citation is in the change's note.
  std::vector<PillarChange> pillars;
  std::vector<ActionPackage> packages;
  std::vector<Commitment> commitments;
};

// Reads a seed from TOML text; `path` names it in errors. Throws InputError
// (file, line, field, value, what was expected) on: a TOML syntax error, an
// unknown key, a missing field, a value of the wrong type, a party that is
// no ISO alpha-3 country code (states) or no endorsing organisation, a bad
// day or deadline, a source not in [sources], a code given twice, or a
// reference to a meeting, pillar or package the file does not hold; and on
// a commitment by a party that does not endorse the declaration on its
// made_on day.
ProcessSeed parse_seed(const std::string& text, const std::string& path);
// Reads the file at `path` (InputError if unreadable) and parses it.
ProcessSeed read_seed(const std::string& path);

// What loading found for one kind of thing.
struct SeedTally {
  int added = 0;    // not in the store: written
  int present = 0;  // in the store as the seed says it: left alone
  // In the store but different from the seed (edited since, or the seed
  // was corrected): left alone, never overwritten; their codes.
  std::vector<std::string> differing;
};

struct SeedLoad {
  SeedTally declaration, endorsements, meetings, pillars, packages, commitments;
  int added() const;
  int present() const;
  int differing() const;
};

// Writes what the store lacks, in dependency order (declaration,
// endorsements, meetings, pillars, packages, commitments), each through the
// store's own rules and audit. Idempotent: loading the same seed again adds
// nothing and says so (everything counted present). The store's refusal of
// one thing (an Error of the store's code) names the file and the thing and
// stops the load; what was written before stays, and loading again after
// the fix goes on from there.
SeedLoad load_seed(ProcessStore& store, const ProcessSeed& seed, const Actor& actor);

}  // namespace atalaya::process
