// What every store backend shares: the refusal of a withdrawal past a
// source's limit.
#include "atalaya/store/store.h"

#include <cmath>
#include <cstdio>

#include "atalaya/core/text.h"

namespace atalaya {

const char* write_outcome_name(WriteOutcome o) {
  switch (o) {
    case WriteOutcome::NewVintage: return "new_vintage";
    case WriteOutcome::SameFile: return "same_file";
    case WriteOutcome::NoChangedValues: return "no_changed_values";
  }
  return "";
}

namespace {


// 0.05 -> "5%", 0.0625 -> "6.3%" (one decimal, none when whole).
std::string percent(double share) {
  char buf[32];
  const double p = std::round(share * 1000.0) / 10.0;
  if (share > 0 && p == 0) return "less than 0.1%";
  if (p == std::floor(p)) std::snprintf(buf, sizeof buf, "%.0f%%", p);
  else std::snprintf(buf, sizeof buf, "%.1f%%", p);
  return buf;
}

std::string refusal_message(const std::string& file, const std::string& source, uint64_t withdrawn, uint64_t held,
                            double max_share) {
  std::string m = file;
  m.append(": would withdraw ").append(thousands(static_cast<int64_t>(withdrawn)));
  m.append(" of the ").append(thousands(static_cast<int64_t>(held)));
  m.append(" values ").append(source).append(" holds (");
  m.append(percent(held ? static_cast<double>(withdrawn) / static_cast<double>(held) : 0.0));
  m.append("), more than its limit of ").append(percent(max_share));
  m.append(" (max_withdrawal in the mapping's [source]); nothing was stored. If this file really replaces "
           "them, ingest it with --replace");
  return m;
}

}  // namespace

WithdrawalRefused::WithdrawalRefused(const std::string& file, const std::string& source, uint64_t withdrawn_,
                                     uint64_t held_, double max_share_)
    : StoreError(refusal_message(file, source, withdrawn_, held_, max_share_), ErrorCode::Conflict),
      withdrawn(withdrawn_),
      held(held_),
      max_share(max_share_) {}

}  // namespace atalaya
