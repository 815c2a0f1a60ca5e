// The rules the process store enforces, on the model alone: what a
// well-formed record is, and what a decision about a pillar does to it. The
// store (sql_process_store.cpp) looks up what a rule needs (the
// declaration, the meeting, the current pillar) and calls these inside its
// write transaction; each throws Error(InvalidArgument or Conflict,
// parameter, "parameter: what was expected, got what").
#pragma once

#include <optional>
#include <string>

#include "atalaya/process/process_model.h"

namespace atalaya::process {

// A code ("la-2022", "P1", "lima-2022"): 1 to 80 letters, digits, '-', '_' or '.'.
void check_code(const std::string& code, const std::string& parameter);
// A party: a state's ISO alpha-3 code (three capital letters), or an organisation's code.
void check_party(const std::string& party, PartyKind kind, const std::string& parameter);

void check_declaration(const Declaration& d);
// Joined on or after the adoption; withdrew after joining.
void check_endorsement(const Endorsement& e, const Declaration& d);
// A party endorses (or is a partner of) the declaration on `day`, as `endorsement` (if any) says.
void check_endorses_on(const std::string& party, const std::optional<Endorsement>& endorsement,
                       const std::string& declaration, const std::string& day, const std::string& parameter);
// Meetings saved directly are regular (ministerial or technical) with a real day.
void check_meeting(const Meeting& m);
// The commitment's own fields: code, made_on, text, parties, target, deadline, roadmap, indicator.
void check_commitment(const Commitment& c);
void check_contact(const Contact& c);

// The pillar as `change` leaves it. `current` is the pillar now (none for
// Added), `meeting` the meeting that decided, `merge_target` the pillar a
// Merged change closes into. Refuses an Added pillar that exists (Conflict),
// a change to a pillar that does not exist, a change to a closed pillar
// (Conflict), a decision dated before the pillar opened, a temporary pillar
// without an end after its opening, an emergency pillar without its event,
// continuing a permanent pillar, and a merge into a pillar not open.
Pillar apply_pillar_change(const PillarChange& change, const std::optional<Pillar>& current, const Meeting& meeting,
                           const std::optional<Pillar>& merge_target);

}  // namespace atalaya::process
