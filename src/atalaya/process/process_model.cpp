#include "atalaya/process/process_model.h"

#include <array>
#include <cstdio>

#include "atalaya/core/day_date.h"
#include "atalaya/core/error.h"
#include "atalaya/core/period.h"

namespace atalaya::process {
namespace {

// Names by enum value; parse is the inverse.
template <typename E, size_t N>
std::optional<E> parse_name(const std::array<std::string_view, N>& names, std::string_view text) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == text) return static_cast<E>(i);
  return std::nullopt;
}

constexpr std::array<std::string_view, 2> kPartyKinds = {"state", "organisation"};
constexpr std::array<std::string_view, 3> kPillarKinds = {"permanent", "temporary", "emergency"};
constexpr std::array<std::string_view, 5> kPillarChangeKinds = {"added", "changed", "continued", "retired", "merged"};
constexpr std::array<std::string_view, 5> kCommitmentKinds = {"policy", "funding", "pathway_places", "capacity",
                                                              "operation"};
constexpr std::array<std::string_view, 2> kCountings = {"cumulative_from", "level_by"};
constexpr std::array<std::string_view, 3> kMeetingKinds = {"ministerial", "technical", "emergency"};
constexpr std::array<std::string_view, 5> kReportedStatuses = {"planning", "in_progress", "fulfilled", "stalled",
                                                               "withdrawn"};
constexpr std::array<std::string_view, 5> kCompletions = {"no_evidence", "not_started", "limited", "substantial",
                                                          "complete"};
constexpr std::array<std::string_view, 2> kChannels = {"webhook", "email"};

std::string iso_day(int y, int m, int d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
  return buf;
}

}  // namespace

std::string_view party_kind_name(PartyKind k) { return kPartyKinds.at(static_cast<size_t>(k)); }
std::optional<PartyKind> parse_party_kind(std::string_view t) { return parse_name<PartyKind>(kPartyKinds, t); }
std::string_view pillar_kind_name(PillarKind k) { return kPillarKinds.at(static_cast<size_t>(k)); }
std::optional<PillarKind> parse_pillar_kind(std::string_view t) { return parse_name<PillarKind>(kPillarKinds, t); }
std::string_view pillar_change_kind_name(PillarChangeKind k) { return kPillarChangeKinds.at(static_cast<size_t>(k)); }
std::optional<PillarChangeKind> parse_pillar_change_kind(std::string_view t) {
  return parse_name<PillarChangeKind>(kPillarChangeKinds, t);
}
std::string_view commitment_kind_name(CommitmentKind k) { return kCommitmentKinds.at(static_cast<size_t>(k)); }
std::optional<CommitmentKind> parse_commitment_kind(std::string_view t) {
  return parse_name<CommitmentKind>(kCommitmentKinds, t);
}
std::string_view counting_name(Counting c) { return kCountings.at(static_cast<size_t>(c)); }
std::optional<Counting> parse_counting(std::string_view t) { return parse_name<Counting>(kCountings, t); }
std::string_view meeting_kind_name(MeetingKind k) { return kMeetingKinds.at(static_cast<size_t>(k)); }
std::optional<MeetingKind> parse_meeting_kind(std::string_view t) { return parse_name<MeetingKind>(kMeetingKinds, t); }
std::string_view reported_status_name(ReportedStatus s) { return kReportedStatuses.at(static_cast<size_t>(s)); }
std::optional<ReportedStatus> parse_reported_status(std::string_view t) {
  return parse_name<ReportedStatus>(kReportedStatuses, t);
}
std::string_view completion_name(Completion c) { return kCompletions.at(static_cast<size_t>(c)); }
std::optional<Completion> parse_completion(std::string_view t) { return parse_name<Completion>(kCompletions, t); }
std::string_view channel_name(Channel c) { return kChannels.at(static_cast<size_t>(c)); }
std::optional<Channel> parse_channel(std::string_view t) { return parse_name<Channel>(kChannels, t); }

void check_day(std::string_view text, const std::string& parameter) {
  // Strictly YYYY-MM-DD: the form every date of the process is kept in.
  const bool shaped = text.size() == 10 && text[4] == '-' && text[7] == '-';
  const DateReading r = shaped ? read_date(text) : DateReading{};
  if (r.shape != DateShape::Day || !r.valid)
    throw Error(ErrorCode::InvalidArgument, parameter,
                parameter + ": expected a day as YYYY-MM-DD (2022-06-10), got '" + std::string(text) + "'");
}

Deadline read_deadline(std::string_view text, const std::string& parameter) {
  Deadline d{std::string(text), ""};
  const DateReading day = text.size() == 10 && text[4] == '-' && text[7] == '-' ? read_date(text) : DateReading{};
  if (day.shape == DateShape::Day && day.valid) {
    d.by = d.as_stated;
    return d;
  }
  const bool month = text.size() == 7 && text[4] == '-';
  const bool year = text.size() == 4;
  const bool fiscal = text.size() == 6 && text.substr(0, 2) == "FY";
  const std::optional<Period> p = (month || year || fiscal) ? Period::parse(text) : std::nullopt;
  if (!p)
    throw Error(ErrorCode::InvalidArgument, parameter,
                parameter + ": expected a deadline as a day (2022-08-31), a month (2022-08), a year (2028) or a "
                            "U.S. fiscal year (FY2024), got '" + std::string(text) + "'");
  const Period last = p->last_month();
  d.by = iso_day(last.year(), last.sub(), days_in_month(last.year(), last.sub()));
  return d;
}

}  // namespace atalaya::process
