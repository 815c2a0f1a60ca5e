#include "atalaya/warning/lifecycle.h"

#include "atalaya/core/error.h"

namespace atalaya {

void check_person_change(const std::string& what, const std::string& noun, AlertStatus from, AlertStatus to) {
  if (from == AlertStatus::Resolved || from == AlertStatus::Expired)
    throw Error(ErrorCode::Conflict, "", what + " is already " + std::string(alert_status_name(from)) + "; a closed " +
                                             noun + " cannot change (a new firing opens a new " + noun + ")");
  if (to == AlertStatus::Open || to == AlertStatus::Expired)
    throw Error(ErrorCode::InvalidArgument, "status",
                what + ": a person can acknowledge or resolve an " + noun + ", not make it " +
                    std::string(alert_status_name(to)));
  if (from == to) throw Error(ErrorCode::Conflict, "", what + " is already " + std::string(alert_status_name(to)));
}

}  // namespace atalaya
