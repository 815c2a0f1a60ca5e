#include "atalaya/process/process_rules.h"

#include <cctype>
#include <cmath>
#include <set>

#include "atalaya/core/error.h"

namespace atalaya::process {
namespace {

[[noreturn]] void refuse(const std::string& parameter, const std::string& message,
                         ErrorCode code = ErrorCode::InvalidArgument) {
  throw Error(code, parameter, parameter + ": " + message);
}

void check_optional_day(const std::optional<std::string>& day, const std::string& parameter) {
  if (day) check_day(*day, parameter);
}

bool is_month(const std::string& t) {
  return t.size() == 7 && t[4] == '-' && std::isdigit(static_cast<unsigned char>(t[0])) &&
         std::isdigit(static_cast<unsigned char>(t[5])) && std::isdigit(static_cast<unsigned char>(t[6])) &&
         t.substr(5) >= "01" && t.substr(5) <= "12";
}

}  // namespace

void check_code(const std::string& code, const std::string& parameter) {
  bool ok = !code.empty() && code.size() <= 80;
  for (char c : code) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
  if (!ok) refuse(parameter, "expected a code of 1 to 80 letters, digits, '-', '_' or '.', got '" + code + "'");
}

void check_party(const std::string& party, PartyKind kind, const std::string& parameter) {
  if (kind == PartyKind::State) {
    bool ok = party.size() == 3;
    for (char c : party) ok = ok && c >= 'A' && c <= 'Z';
    if (!ok) refuse(parameter, "expected a state's ISO alpha-3 code (COL, USA), got '" + party + "'");
    return;
  }
  check_code(party, parameter);
}

void check_declaration(const Declaration& d) {
  check_code(d.code, "code");
  check_day(d.adopted_on, "adopted_on");
  if (d.title.empty()) refuse("title", "a declaration needs a title (in English, Spanish or both)");
}

void check_endorsement(const Endorsement& e, const Declaration& d) {
  check_party(e.party, e.kind, "party");
  check_day(e.joined_on, "joined_on");
  if (e.joined_on < d.adopted_on)
    refuse("joined_on", e.joined_on + " is before " + d.code + " was adopted (" + d.adopted_on + ")");
  check_optional_day(e.withdrew_on, "withdrew_on");
  if (e.withdrew_on && *e.withdrew_on <= e.joined_on)
    refuse("withdrew_on", *e.withdrew_on + " is not after the day " + e.party + " joined (" + e.joined_on + ")");
}

void check_endorses_on(const std::string& party, const std::optional<Endorsement>& e, const std::string& declaration,
                       const std::string& day, const std::string& parameter) {
  if (!e) refuse(parameter, party + " does not endorse " + declaration + " and is not its partner");
  if (day < e->joined_on)
    refuse(parameter, party + " joined " + declaration + " on " + e->joined_on + ", after " + day);
  if (e->withdrew_on && day >= *e->withdrew_on)
    refuse(parameter, party + " withdrew from " + declaration + " on " + *e->withdrew_on + ", by " + day);
}

void check_meeting(const Meeting& m) {
  check_code(m.code, "code");
  check_day(m.held_on, "held_on");
  for (const std::string& p : m.hosts) check_code(p, "hosts");
  for (const std::string& p : m.participants) check_code(p, "participants");
}

void check_commitment(const Commitment& c) {
  check_code(c.code, "code");
  check_day(c.made_on, "made_on");
  check_code(c.pillar, "pillar");
  if (!c.package.empty()) check_code(c.package, "package");
  if (!c.made_at.empty()) check_code(c.made_at, "made_at");
  if (c.text.empty()) refuse("text", "a commitment needs its text (in English, Spanish or both)");
  if (c.parties.empty()) refuse("parties", "a commitment needs who committed: a state, several, or an organisation");
  std::set<std::string> seen;
  for (const std::string& p : c.parties) {
    check_code(p, "parties");
    if (!seen.insert(p).second) refuse("parties", p + " is named twice");
  }
  if (c.target) {
    if (!std::isfinite(c.target->value) || c.target->value < 0)
      refuse("target.value", "expected a number of zero or more");
    if (c.target->unit.empty()) refuse("target.unit", "a numeric target needs its unit (persons resettled, USD)");
  }
  if (c.deadline) check_day(c.deadline->by, "deadline");
  for (size_t i = 0; i < c.roadmap.size(); ++i) {
    const std::string at = "roadmap[" + std::to_string(i) + "]";
    check_day(c.roadmap[i].due_on, at + ".due_on");
    check_optional_day(c.roadmap[i].done_on, at + ".done_on");
    if (c.roadmap[i].description.empty()) refuse(at + ".description", "a milestone needs its description");
  }
  if (c.indicator) {
    if (c.indicator->selection.empty())
      refuse("indicator.selection", "an indicator names the series it reads (dimension = values)");
    if (c.indicator->counting == Counting::CumulativeFrom && !is_month(c.indicator->from))
      refuse("indicator.from", "counting cumulative_from needs the first month counted (YYYY-MM), got '" +
                                   c.indicator->from + "'");
  }
}

void check_contact(const Contact& c) {
  check_code(c.party, "party");
  if (c.channel == Channel::Webhook) {
    if (c.address.rfind("https://", 0) != 0 && c.address.rfind("http://", 0) != 0)
      refuse("address", "a webhook's address is an http:// or https:// URL, got '" + c.address + "'");
  } else if (c.address.find('@') == std::string::npos || c.address.find_first_of(" \t\r\n") != std::string::npos) {
    refuse("address", "expected an e-mail address, got '" + c.address + "'");
  }
}

Pillar apply_pillar_change(const PillarChange& change, const std::optional<Pillar>& current, const Meeting& meeting,
                           const std::optional<Pillar>& merge_target) {
  const std::string& code = change.pillar;
  const Pillar& wanted = change.after;
  if (change.kind == PillarChangeKind::Added) {
    if (current) refuse("pillar", current->code + " exists already", ErrorCode::Conflict);
    Pillar p = wanted;
    p.code = code;
    check_code(p.code, "pillar");
    if (p.opened_on.empty()) p.opened_on = meeting.held_on;
    check_day(p.opened_on, "after.opened_on");
    if (p.name.empty()) refuse("after.name", "a pillar needs a name (in English, Spanish or both)");
    if (p.closed_on || p.merged_into) refuse("after.closed_on", "a pillar is added open");
    check_optional_day(p.ends_on, "after.ends_on");
    if (p.kind == PillarKind::Temporary && !p.ends_on)
      refuse("after.ends_on", "a temporary pillar needs the day it is planned to end");
    if (p.ends_on && *p.ends_on <= p.opened_on)
      refuse("after.ends_on", *p.ends_on + " is not after the pillar opens (" + p.opened_on + ")");
    if (p.kind == PillarKind::Emergency && !p.event_id)
      refuse("after.event_id", "an emergency pillar answers one warning event: give its id");
    return p;
  }
  if (!current) refuse("pillar", "no pillar " + code + " in " + wanted.declaration, ErrorCode::NotFound);
  if (current->closed_on)
    refuse("pillar",
           code + " was closed on " + *current->closed_on +
               (current->merged_into ? " (merged into " + *current->merged_into + ")" : std::string(" (retired)")) +
               "; a closed pillar takes no further decisions",
           ErrorCode::Conflict);
  if (meeting.held_on < current->opened_on)
    refuse("meeting", meeting.code + " was held on " + meeting.held_on + ", before " + code + " opened (" +
                          current->opened_on + ")");
  Pillar p = *current;
  switch (change.kind) {
    case PillarChangeKind::Continued:
      if (p.kind == PillarKind::Permanent)
        refuse("kind", code + " is a permanent pillar: it goes on without a decision; continue a temporary or "
                              "emergency pillar");
      [[fallthrough]];
    case PillarChangeKind::Changed:
      // Fields left empty keep their value.
      if (!wanted.name.empty()) p.name = wanted.name;
      if (!wanted.goals.empty()) p.goals = wanted.goals;
      if (wanted.number) p.number = wanted.number;
      if (wanted.ends_on) {
        check_day(*wanted.ends_on, "after.ends_on");
        if (*wanted.ends_on <= p.opened_on)
          refuse("after.ends_on", *wanted.ends_on + " is not after the pillar opened (" + p.opened_on + ")");
        p.ends_on = wanted.ends_on;
      }
      break;
    case PillarChangeKind::Merged:
      if (!wanted.merged_into || *wanted.merged_into == code)
        refuse("after.merged_into", "a merge names the open pillar " + code + " goes into");
      if (!merge_target || merge_target->closed_on)
        refuse("after.merged_into", *wanted.merged_into + " is not an open pillar of " + p.declaration);
      p.merged_into = wanted.merged_into;
      p.closed_on = meeting.held_on;
      break;
    case PillarChangeKind::Retired:
      p.closed_on = meeting.held_on;
      break;
    case PillarChangeKind::Added:
      break;
  }
  return p;
}

}  // namespace atalaya::process
