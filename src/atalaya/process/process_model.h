// The L.A. Process as data: a declaration and the states and organisations
// that endorse it, its policy pillars (permanent, temporary, emergency) and
// their history, action packages, commitments with targets, roadmaps and
// indicators, meetings (regular ministerial, technical, emergency), and at
// each meeting a commitment's self-reported status and the secretariat's
// independent assessment, both kept as history and never overwritten.
//
// Dates are ISO days ("2022-06-10") as text, checked by check_day(); times
// (recorded_at, called_at) are UTC ISO 8601. Texts people read come in
// English and Spanish (`Text`); either may be empty where the source gave
// only one language. Codes are short stable identifiers chosen by whoever
// records the thing ("la-2022", "P1", "lima-2022"); parties are ISO alpha-3
// country codes (states) or an organisation's code ("UNHCR", "IOM").
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atalaya/core/actor.h"

namespace atalaya::process {

struct Text {
  std::string en, es;
  // The text in `lang` ("en" or "es"), else in the other language.
  const std::string& in(std::string_view lang) const {
    const std::string& wanted = lang == "es" ? es : en;
    return wanted.empty() ? (lang == "es" ? en : es) : wanted;
  }
  bool empty() const { return en.empty() && es.empty(); }
  friend bool operator==(const Text&, const Text&) = default;
};

struct Declaration {
  std::string code;  // "la-2022"
  Text title;
  std::string adopted_on;  // ISO day
  std::string place;       // "Los Angeles, United States"
  std::string text_reference;  // where the declaration's text is published (URL)
};

enum class PartyKind : uint8_t { State, Organisation };
// "state" | "organisation".
std::string_view party_kind_name(PartyKind k);
std::optional<PartyKind> parse_party_kind(std::string_view text);

// A state's endorsement of a declaration, or an organisation's partnership
// with it: from `joined_on` until `withdrew_on` (exclusive) when set.
struct Endorsement {
  std::string declaration;  // code
  std::string party;        // ISO alpha-3, or an organisation's code
  PartyKind kind = PartyKind::State;
  std::string joined_on;    // ISO day
  std::optional<std::string> withdrew_on;
  std::string source;       // where the fact is published (a citation or URL)

  // Whether the party endorses the declaration on `day` (ISO day).
  bool active_on(const std::string& day) const {
    return joined_on <= day && (!withdrew_on || day < *withdrew_on);
  }
};

enum class PillarKind : uint8_t { Permanent, Temporary, Emergency };
// "permanent" | "temporary" | "emergency".
std::string_view pillar_kind_name(PillarKind k);
std::optional<PillarKind> parse_pillar_kind(std::string_view text);

// A pillar as it stands now (its history: PillarChange). A temporary pillar
// ends on `ends_on`; an emergency pillar answers one warning event.
struct Pillar {
  std::string declaration;  // code
  std::string code;         // "P1", "T-2023-1", "E-17"
  int number = 0;           // the order pillars are shown in
  PillarKind kind = PillarKind::Permanent;
  Text name;
  std::vector<Text> goals;
  std::string opened_on;                 // ISO day: adoption, or the meeting that added it
  std::optional<std::string> ends_on;    // temporary: the planned end
  std::optional<std::string> closed_on;  // retired or merged: the day of the meeting that decided it
  std::optional<std::string> merged_into;  // a pillar code, when merged
  std::optional<int64_t> event_id;       // emergency: the warning event it answers

  bool open_on(const std::string& day) const { return opened_on <= day && (!closed_on || day < *closed_on); }
};

enum class PillarChangeKind : uint8_t { Added, Changed, Continued, Retired, Merged };
// "added" | "changed" | "continued" | "retired" | "merged".
std::string_view pillar_change_kind_name(PillarChangeKind k);
std::optional<PillarChangeKind> parse_pillar_change_kind(std::string_view text);

// One decision about a pillar, by a meeting. `after` is the pillar as the
// decision left it (for Retired and Merged: closed).
struct PillarChange {
  int64_t id = 0;
  std::string pillar;   // code
  std::string meeting;  // code of the meeting that decided it
  PillarChangeKind kind = PillarChangeKind::Added;
  Text note;
  Pillar after;
  Actor recorded_by;
  std::string recorded_at;  // UTC
};

// An action package under a pillar, led by one state with participants.
struct ActionPackage {
  std::string declaration;
  std::string code;    // "P1-integration"
  std::string pillar;  // code
  Text name;
  std::string lead;    // ISO alpha-3
  std::vector<std::string> participants;
  std::string source;
};

enum class CommitmentKind : uint8_t { Policy, Funding, PathwayPlaces, Capacity, Operation };
// "policy" | "funding" | "pathway_places" | "capacity" | "operation".
std::string_view commitment_kind_name(CommitmentKind k);
std::optional<CommitmentKind> parse_commitment_kind(std::string_view text);

// A deadline as announced ("2022-08", "FY2024", "2028", "2022-08-31") and the
// last day it allows (2022-08-31, 2024-09-30, 2028-12-31, 2022-08-31).
struct Deadline {
  std::string as_stated;
  std::string by;  // ISO day
};
// Reads an announced deadline: an ISO day, a month (2022-08), a year (2028)
// or a U.S. fiscal year (FY2024). Throws Error(InvalidArgument, parameter)
// naming what was expected otherwise.
Deadline read_deadline(std::string_view text, const std::string& parameter);

// A numeric target: `value` of `unit` ("persons resettled", "USD"), by the deadline.
struct Target {
  double value = 0;
  std::string unit;
  std::string note;  // e.g. "10000 to 20000": a range as announced
};

struct Milestone {
  std::string due_on;  // ISO day
  Text description;
  std::optional<std::string> done_on;
};

// How an indicator's series count toward a target.
enum class Counting : uint8_t {
  CumulativeFrom,  // the sum of the series' values from `from` (a month) up to the deadline
  LevelBy,         // the series' latest value at or before the deadline
};
std::string_view counting_name(Counting c);  // "cumulative_from" | "level_by"
std::optional<Counting> parse_counting(std::string_view text);

// Where a numeric commitment's progress is read from: a selection of
// series in the store (dimension -> accepted values, as SeriesSelection),
// all in one unit, and how they count.
struct Indicator {
  std::map<std::string, std::vector<std::string>> selection;
  Counting counting = Counting::CumulativeFrom;
  std::string from;  // CumulativeFrom: the first month counted (YYYY-MM)
  Text description;
};

struct Commitment {
  int64_t id = 0;
  std::string declaration;
  std::string code;  // "la-2022-P2-USA-h2b": stable across meetings
  std::vector<std::string> parties;  // one state, several jointly, or an organisation
  std::string pillar;                // code
  std::string package;               // code, or empty
  Text text;
  CommitmentKind kind = CommitmentKind::Policy;
  std::optional<Target> target;
  std::optional<Deadline> deadline;
  std::vector<Milestone> roadmap;
  std::vector<std::string> evidence;  // links
  std::string made_on;                // ISO day
  std::string made_at;                // meeting code, or empty
  std::optional<Indicator> indicator;
  std::string source;                 // where the commitment was published
};

enum class MeetingKind : uint8_t { Ministerial, Technical, Emergency };
// "ministerial" | "technical" | "emergency".
std::string_view meeting_kind_name(MeetingKind k);
std::optional<MeetingKind> parse_meeting_kind(std::string_view text);

struct Meeting {
  std::string declaration;
  std::string code;  // "lima-2022"
  MeetingKind kind = MeetingKind::Ministerial;
  Text title;
  std::string held_on;  // ISO day
  std::string place;
  std::vector<std::string> hosts;
  std::vector<std::string> participants;
  std::vector<Text> agenda;
  std::string source;
  // Emergency sessions: the warning event that called it, when it was
  // first raised, and when and by whom the session was called.
  std::optional<int64_t> event_id;
  std::string event_raised_at;  // UTC
  std::string called_at;        // UTC
  Actor called_by;
  std::string evidence;         // the event's evidence and projected windows (JSON text)
};

enum class ReportedStatus : uint8_t { Planning, InProgress, Fulfilled, Stalled, Withdrawn };
// "planning" | "in_progress" | "fulfilled" | "stalled" | "withdrawn".
std::string_view reported_status_name(ReportedStatus s);
std::optional<ReportedStatus> parse_reported_status(std::string_view text);

// The independent review's scale (as the Open Government Partnership's).
enum class Completion : uint8_t { NoEvidence, NotStarted, Limited, Substantial, Complete };
// "no_evidence" | "not_started" | "limited" | "substantial" | "complete".
std::string_view completion_name(Completion c);
std::optional<Completion> parse_completion(std::string_view text);

// A state's self-reported status of a commitment at a meeting.
struct StatusReport {
  int64_t id = 0;
  std::string commitment;  // code
  std::string meeting;     // code
  ReportedStatus status = ReportedStatus::Planning;
  Text narrative;
  Actor reported_by;
  std::string recorded_at;  // UTC
};

// The secretariat's independent assessment of a commitment at a meeting.
struct Assessment {
  int64_t id = 0;
  std::string commitment;
  std::string meeting;
  Completion completion = Completion::NoEvidence;
  Text rationale;
  Actor assessed_by;
  std::string recorded_at;
};

// How a party is reached when an emergency session is called.
enum class Channel : uint8_t { Webhook, Email };
std::string_view channel_name(Channel c);  // "webhook" | "email"
std::optional<Channel> parse_channel(std::string_view text);

// A party's contact point (its Special Coordinator's address, its webhook).
struct Contact {
  std::string party;
  Channel channel = Channel::Email;
  std::string address;  // a URL (webhook) or an e-mail address
};

// One notice of an emergency session to one party through one channel,
// queued with the session and delivered by `atalaya process notify` (or the
// server's delivery worker). queued_at and delivered_at measure the time
// frame of notification; failed_at is set when retrying was given up.
struct Notification {
  int64_t id = 0;
  std::string declaration, meeting, party;
  Channel channel = Channel::Email;
  std::string address;
  std::string subject;
  std::string body;  // the e-mail's text, or the webhook's JSON
  std::string queued_at, next_attempt_at, delivered_at, failed_at;  // UTC; empty when not (yet)
  int attempts = 0;
  std::string last_error;
};

// Throws Error(InvalidArgument, parameter) unless `text` is a real ISO day.
void check_day(std::string_view text, const std::string& parameter);

}  // namespace atalaya::process
