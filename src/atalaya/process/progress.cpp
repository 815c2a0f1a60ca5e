#include "atalaya/process/progress.h"

#include <map>
#include <set>

#include "atalaya/core/period.h"

namespace atalaya::process {
namespace {

// Why these series may not be summed, or "" when they may.
std::string refusal(const std::vector<StoredSeries>& series) {
  std::set<std::string> sources;
  std::set<std::string_view> units;
  for (auto& s : series) {
    sources.insert(s.key.source);
    units.insert(unit_name(s.unit));
  }
  auto list = [](const auto& set) {
    std::string out;
    for (auto& x : set) out += (out.empty() ? "" : ", ") + std::string(x);
    return out;
  };
  if (units.size() > 1) return "the selected series count different units (" + list(units) + "): not summed";
  if (sources.size() > 1)
    return "the selection holds more than one source (" + list(sources) +
           "): their counts may overlap, so they are not summed; select one source";
  for (auto dim : kDimensions) {
    bool total = false, part = false;
    for (auto& s : series) {
      const std::string_view v = *dimension_value(s.key, dim);
      (v.empty() ? total : part) = true;
    }
    if (total && part)
      return "the selection holds both a total and its breakdown by " + std::string(dim) +
             ": they overlap, so they are not summed; select one or the other";
  }
  return "";
}

Period month_of_day(const std::string& day) { return *Period::parse(day.substr(0, 7)); }

}  // namespace

Progress observed_progress(const CommitmentRecord& record, const std::vector<StoredSeries>& series,
                           const std::string& today) {
  const Commitment& c = record.commitment;
  Progress out;
  out.commitment = c.code;
  if (!c.indicator) {
    out.no_indicator = true;
    return out;
  }
  std::set<std::string> sources;
  for (auto& s : series) sources.insert(s.key.source);
  out.sources.assign(sources.begin(), sources.end());
  out.refused = refusal(series);
  if (!out.refused.empty()) return out;
  if (!series.empty()) out.unit = std::string(unit_name(series.front().unit));

  // Month -> the selected series' sum; a month no series holds is absent.
  std::map<int, double> months;
  // Quarters and years are not months: not spread, not summed beside them.
  for (auto& s : series)
    for (auto& p : s.points) {
      if (p.period.frequency() == Frequency::Month) months[month_number(p.period)] += static_cast<double>(p.value);
      else ++out.other_periods_ignored;
    }
  auto month_text = [](int m) { return Period::month(m / 12, m % 12 + 1).to_string(); };

  // The deadline's month; without a deadline, no month bounds the span.
  const bool has_deadline = c.deadline.has_value();
  const int deadline = has_deadline ? month_number(month_of_day(c.deadline->by)) : 0;
  const std::optional<int> latest = months.empty() ? std::nullopt : std::optional(months.rbegin()->first);
  if (latest) {
    const int to = has_deadline ? std::min(deadline, *latest) : *latest;
    out.to = month_text(to);
    out.partial = has_deadline && *latest < deadline;
    if (c.indicator->counting == Counting::CumulativeFrom) {
      const std::optional<Period> first = Period::parse(c.indicator->from);
      if (!first || first->frequency() != Frequency::Month) {
        out.refused = "the indicator's first month '" + c.indicator->from + "' is not a month (YYYY-MM)";
        return out;
      }
      const int from = month_number(*first);
      out.from = c.indicator->from;
      double sum = 0;
      for (int m = from; m <= to; ++m) {
        auto it = months.find(m);
        if (it == months.end()) {
          out.gaps.push_back(month_text(m));
          continue;
        }
        sum += it->second;
        ++out.periods_counted;
        out.as_of = month_text(m);
        out.months.push_back({out.as_of, it->second});
      }
      if (out.periods_counted > 0) out.value = sum;
    } else {
      for (auto m = months.begin(); m != months.end() && m->first <= to; ++m)
        out.months.push_back({month_text(m->first), m->second});
      auto it = months.upper_bound(to);  // the latest month at or before `to`
      if (it != months.begin()) {
        --it;
        out.value = it->second;
        out.as_of = month_text(it->first);
        out.periods_counted = 1;
        out.partial = has_deadline && it->first < deadline;
      }
    }
  }
  if (out.value && c.target && c.target->value > 0) out.share = *out.value / c.target->value;

  const bool short_of_target = out.share && *out.share < kShortOfTargetShare;
  const bool claimed_fulfilled = record.latest_status && record.latest_status->status == ReportedStatus::Fulfilled;
  const bool deadline_passed = c.deadline && c.deadline->by < today;
  out.claimed_fulfilled_data_short = claimed_fulfilled && short_of_target;
  out.deadline_passed_no_data = deadline_passed && !out.value;
  out.deadline_passed_short = deadline_passed && short_of_target;
  return out;
}

Progress progress_of(SeriesStore& store, const CommitmentRecord& record, const std::string& today) {
  if (!record.commitment.indicator) return observed_progress(record, {}, today);
  SeriesSelection selection;
  selection.dimensions = record.commitment.indicator->selection;
  return observed_progress(record, store.select(selection), today);
}

}  // namespace atalaya::process
